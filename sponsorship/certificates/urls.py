from django.urls import include, path

app_name = "certificates"

urlpatterns = [
    path("certificates/batches/", include("sponsorship.certificates.urls_batches")),
    # Drafts: create, the task list, sections, check and assign.
    path("certificates/", include("sponsorship.certificates.urls_drafts")),
    # Certificates: search, view, withdraw, notes, history, print, transfer, export.
    path("certificates/", include("sponsorship.certificates.urls_live")),
    path("certificates/", include("sponsorship.certificates.urls_print")),
    path("work-addresses/", include("sponsorship.certificates.urls_addresses")),
    path("defined-certificates/", include("sponsorship.certificates.urls_defined")),
    # CAS: drafts, batches and study addresses; then live CAS, search and export.
    path("cas/", include("sponsorship.certificates.urls_cas")),
    path("cas/", include("sponsorship.certificates.urls_cas_live")),
]
