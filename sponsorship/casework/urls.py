from django.urls import include, path

from .views import calendar, casework, licence, messages, queues, requests

app_name = "casework"

urlpatterns = [
    path("", casework.home, name="home"),
    path("certificates/", include("sponsorship.certificates.urls_casework")),
    # Work queues and requests.
    path("queues/<str:queue>/", queues.queue, name="queue"),
    path("requests/<int:request_id>/", requests.request_detail, name="request"),
    path("requests/<int:request_id>/assign/", queues.request_assign, name="request_assign"),
    path("requests/<int:request_id>/ask/", requests.request_ask, name="request_ask"),
    path("requests/<int:request_id>/decide/", requests.request_decide, name="request_decide"),
    path("requests/<int:request_id>/decided/", requests.request_decided, name="request_decided"),
    # Sponsors, their licence and users.
    path("sponsors/<int:sponsor_id>/", casework.sponsor_detail, name="sponsor"),
    path("sponsors/<int:sponsor_id>/requests/", casework.sponsor_requests, name="sponsor_requests"),
    path("sponsors/<int:sponsor_id>/audit-trail/", casework.sponsor_audit, name="sponsor_audit"),
    path("sponsors/<int:sponsor_id>/rating/", licence.rating_change, name="rating_change"),
    path(
        "sponsors/<int:sponsor_id>/status/<slug:action>/",
        licence.status_change,
        name="status_change",
    ),
    path(
        "sponsors/<int:sponsor_id>/settled-exception/",
        licence.settled_exception,
        name="settled_exception",
    ),
    path("users/<int:user_id>/unlock/", casework.user_unlock, name="user_unlock"),
    path("users/<int:user_id>/deactivate/", casework.user_deactivate, name="user_deactivate"),
    # The message board.
    path("messages/", messages.message_list, name="messages"),
    path("messages/new/", messages.message_create, name="message_create"),
    path("messages/<int:message_id>/edit/", messages.message_edit, name="message_edit"),
    path("messages/<int:message_id>/archive/", messages.message_archive, name="message_archive"),
    # The bank holiday calendar of working-day counts.
    path("bank-holidays/", calendar.bank_holidays, name="bank_holidays"),
    path("bank-holidays/add/", calendar.bank_holiday_add, name="bank_holiday_add"),
    path("bank-holidays/remove/", calendar.bank_holiday_remove, name="bank_holiday_remove"),
]
