"""The sponsor's pages of the register, HR events, reports, duties and reminders, included by
duties/urls.py in the "duties" namespace."""

from django.urls import URLPattern, path

from .views import duties, register, reminders, reports

urlpatterns: list[URLPattern] = [
    path("workers/register/", register.register, name="register"),
    path("workers/register/<int:worker_id>/", register.worker_page, name="worker"),
    path("workers/register/<int:worker_id>/dates/", register.worker_dates, name="worker_dates"),
    path("workers/register/<int:worker_id>/events/new/", register.event_new, name="event_new"),
    path("workers/register/<int:worker_id>/report/", reports.report_new, name="report_new"),
    path("workers/reports/", reports.report_list, name="reports"),
    path("workers/reports/<int:report_id>/", reports.report_page, name="report"),
    path("workers/reports/<int:report_id>/sent/", reports.report_sent, name="report_sent"),
    path("workers/duties/", duties.duty_list, name="duties"),
    path("workers/duties/<int:duty_id>/", duties.duty_page, name="duty"),
    path("compliance/reminders/", reminders.reminder_settings, name="settings"),
    path("account/reminders/", reminders.reminder_preference, name="preference"),
]
