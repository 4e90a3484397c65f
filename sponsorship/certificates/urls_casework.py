"""The Home Office's certificate pages, under /casework/certificates/."""

from django.urls import path

from .views import casework

app_name = "certificates"

urlpatterns = [
    path("", casework.find, name="find"),
    path("<int:certificate_id>/", casework.detail, name="detail"),
    path("<int:certificate_id>/mark-used/", casework.mark_used, name="mark_used"),
    path("<int:certificate_id>/outcome/", casework.outcome, name="outcome"),
    path("<int:certificate_id>/cancel/", casework.cancel, name="cancel"),
    path("<int:certificate_id>/print.pdf", casework.certificate_print, name="print"),
]
