"""Live CAS pages (view, fees, notes, withdraw, transfer, history, print), search and export,
under /cas/ in the "certificates" namespace."""

from django.urls import path

from .views import cas_live

urlpatterns = [
    path("", cas_live.cas_list, name="cas_list"),
    path("export.csv", cas_live.cas_export_csv, name="cas_export_csv"),
    path("export.xlsx", cas_live.cas_export_xlsx, name="cas_export_xlsx"),
    path("<int:certificate_id>/", cas_live.cas_detail, name="cas_detail"),
    path("<int:certificate_id>/fees/", cas_live.cas_fees, name="cas_fees"),
    path("<int:certificate_id>/withdraw/", cas_live.cas_withdraw, name="cas_withdraw"),
    path("<int:certificate_id>/note/", cas_live.cas_note, name="cas_note"),
    path("<int:certificate_id>/history/", cas_live.cas_history, name="cas_history"),
    path("<int:certificate_id>/transfer/", cas_live.cas_transfer, name="cas_transfer"),
    path("<int:certificate_id>/print.pdf", cas_live.cas_print, name="cas_print"),
]
