"""The sponsor's pages of sponsored students: the register, each student's events and reports,
included by duties/urls.py in the "duties" namespace."""

from django.urls import URLPattern, path

from .views import reports, students

urlpatterns: list[URLPattern] = [
    path("students/register/", students.student_list, name="students"),
    path("students/register/<int:student_id>/", students.student_page, name="student"),
    path(
        "students/register/<int:student_id>/events/new/",
        students.student_event_new,
        name="student_event_new",
    ),
    path(
        "students/register/<int:student_id>/report/",
        reports.student_report_new,
        name="student_report_new",
    ),
    path("students/reports/", reports.student_report_list, name="student_reports"),
    path("students/reports/<int:report_id>/", reports.student_report_page, name="student_report"),
    path(
        "students/reports/<int:report_id>/sent/",
        reports.student_report_sent,
        name="student_report_sent",
    ),
]
