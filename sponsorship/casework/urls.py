from django.urls import path

from .views import casework

app_name = "casework"

urlpatterns = [
    path("", casework.home, name="home"),
    path("sponsors/<int:sponsor_id>/", casework.sponsor_detail, name="sponsor"),
    path("sponsors/<int:sponsor_id>/audit-trail/", casework.sponsor_audit, name="sponsor_audit"),
    path("users/<int:user_id>/unlock/", casework.user_unlock, name="user_unlock"),
]
