"""The duties app's pages, all in the "duties" namespace: the sponsor's registers of workers and
students, events, reports and duties; the compliance dashboard; the Home Office's view of
activity reports."""

from . import urls_casework, urls_compliance, urls_sponsor, urls_students

app_name = "duties"

urlpatterns = [
    *urls_sponsor.urlpatterns,
    *urls_students.urlpatterns,
    *urls_compliance.urlpatterns,
    *urls_casework.urlpatterns,
]
