"""The sponsor's printable certificate, under /certificates/ (namespace "certificates")."""

from django.urls import path

from .views import printing

urlpatterns = [
    path("<int:certificate_id>/print.pdf", printing.certificate_print, name="print"),
]
