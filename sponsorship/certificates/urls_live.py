"""A sponsor's certificates after assignment: search, export, view, withdraw, note, history and
transfer. Mounted under /certificates/ in the "certificates" namespace."""

from django.urls import path

from .views import live

urlpatterns = [
    path("", live.certificate_list, name="list"),
    path("export.csv", live.certificate_export_csv, name="export_csv"),
    path("export.xlsx", live.certificate_export_xlsx, name="export_xlsx"),
    path("<int:certificate_id>/", live.certificate_detail, name="detail"),
    path("<int:certificate_id>/withdraw/", live.certificate_withdraw, name="withdraw"),
    path("<int:certificate_id>/note/", live.certificate_note, name="note"),
    path("<int:certificate_id>/history/", live.certificate_history_page, name="history"),
    path("<int:certificate_id>/transfer/", live.certificate_transfer, name="transfer"),
]
