from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sponsorship.api.api import api
from sponsorship.core.access import public

admin.site.site_header = "Sponsor Management System: technical administration"

urlpatterns = [
    # Admin signs in through the service's own sign-in (passcode, lockout, audit).
    path(
        "admin/login/",
        public(RedirectView.as_view(pattern_name="accounts:sign_in", query_string=True)),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("casework/", include("sponsorship.casework.urls")),
    path("", include("sponsorship.accounts.urls")),
    path("", include("sponsorship.licences.urls")),
    path("", include("sponsorship.certificates.urls")),
    path("", include("sponsorship.duties.urls")),
    path("", include("sponsorship.records.urls")),
    path("", include("sponsorship.bulk.urls")),
    path("", include("sponsorship.audit.urls")),
    path("", include("sponsorship.api.urls")),
    path("", include("sponsorship.core.urls")),
]
