from django.urls import path

from .views import defined

urlpatterns = [
    path("", defined.defined_list, name="defined"),
    path("apply/", defined.defined_apply, name="defined_apply"),
    path("<int:request_id>/", defined.defined_detail, name="defined_detail"),
]
