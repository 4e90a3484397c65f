"""The Home Office's pages of migrant activity reports, included by duties/urls.py in the
"duties" namespace (mounted at the site root, beside the casework app's own pages)."""

from django.urls import URLPattern, path

from .views import casework

urlpatterns: list[URLPattern] = [
    path("casework/activity-reports/", casework.report_list, name="casework_reports"),
    path(
        "casework/activity-reports/<int:report_id>/",
        casework.report_page,
        name="casework_report",
    ),
]
