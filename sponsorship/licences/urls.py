from django.urls import include, path

from .views import sponsor

app_name = "licences"

urlpatterns = [
    path("licence/", sponsor.summary, name="summary"),
    path("messages/", sponsor.messages_board, name="messages"),
    path("messages/new/", sponsor.unread_messages, name="unread_messages"),
    path("messages/<int:message_id>/", sponsor.message_detail, name="message"),
    path("messages/<int:message_id>/read/", sponsor.message_mark_read, name="message_mark_read"),
    # Users, key personnel and PAYE; requests, evidence, allocations, action plans, status.
    path("", include("sponsorship.licences.urls_people")),
    path("", include("sponsorship.licences.urls_requests")),
]
