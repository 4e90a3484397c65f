"""URLs of the licence pages: see the module docstrings of their views."""

from django.urls import path

from .views import key_people, paye, users

urlpatterns: list = [
    path("licence/users/", users.user_list, name="users"),
    path(
        "licence/users/request-level-1/",
        users.user_request_level_1,
        name="user_request_level_1",
    ),
    path("licence/users/new-level-2/", users.user_create_level_2, name="user_create_level_2"),
    path("licence/users/<int:user_id>/", users.user_detail, name="user"),
    path("licence/users/<int:user_id>/created/", users.user_created, name="user_created"),
    path("licence/users/<int:user_id>/amend/", users.user_amend, name="user_amend"),
    path("licence/users/<int:user_id>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("licence/key-personnel/", key_people.key_people, name="key_people"),
    path(
        "licence/key-personnel/<slug:role>/change/",
        key_people.key_person_change,
        name="key_person_change",
    ),
    path("licence/paye/", paye.paye_list, name="paye"),
    path("licence/paye/<int:paye_id>/delete/", paye.paye_delete, name="paye_delete"),
]
