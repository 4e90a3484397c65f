"""The compliance dashboard and organisation changes, included by duties/urls.py."""

from django.urls import URLPattern, path

from .views import dashboard, organisation

urlpatterns: list[URLPattern] = [
    path("compliance/", dashboard.dashboard, name="dashboard"),
    path(
        "compliance/organisation-changes/new/",
        organisation.organisation_change_new,
        name="organisation_change_new",
    ),
]
