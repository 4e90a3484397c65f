"""The Home Office message board: live, scheduled and archived messages; writing one for every
sponsor or for some routes, changing it until it goes live, archiving it."""

from datetime import timedelta

from django.utils import timezone

from sponsorship.accounts.tests.journeys import text
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.casework.tests.test_casework_views import queries_for
from sponsorship.licences.models import Message, Route
from sponsorship.licences.tests.factories import MessageFactory


def message_data(**overrides):
    tomorrow = timezone.localdate() + timedelta(days=1)
    return {
        "title": "Changes to the going rates",
        "body": "New going rates apply from April.",
        "routes": [Route.SKILLED_WORKER, Route.SCALE_UP],
        "active_from_date": tomorrow.isoformat(),
        "active_from_time": "09:30",
        "active_to": (tomorrow + timedelta(days=30)).isoformat(),
        **overrides,
    }


def test_board_lists_live_scheduled_and_archived_messages(casework):
    live = MessageFactory(title="Live one", published_at=timezone.now() - timedelta(days=1))
    scheduled = MessageFactory(title="Later one", published_at=timezone.now() + timedelta(days=2))
    archived = MessageFactory(
        title="Old one",
        published_at=timezone.now() - timedelta(days=60),
        archived_at=timezone.now() - timedelta(days=1),
    )

    page = text(casework.get("/casework/messages/"))
    assert live.title in page
    assert scheduled.title not in page
    assert archived.title not in page
    assert f"/casework/messages/{live.pk}/edit/" not in page
    assert f"/casework/messages/{live.pk}/archive/" in page

    page = text(casework.get("/casework/messages/", {"view": "scheduled"}))
    assert scheduled.title in page
    assert f"/casework/messages/{scheduled.pk}/edit/" in page
    assert live.title not in page

    page = text(casework.get("/casework/messages/", {"view": "archived"}))
    assert archived.title in page
    assert f"/casework/messages/{archived.pk}/archive/" not in page
    assert f"/casework/messages/{archived.pk}/edit/" not in page


def test_write_a_message_for_some_routes(casework, caseworker):
    form = text(casework.get("/casework/messages/new/"))
    assert 'type="checkbox" value="SKILLED_WORKER"' in form
    assert "Tick none to send the message to every sponsor." in form

    response = casework.post("/casework/messages/new/", message_data())

    assert response.status_code == 302
    message = Message.objects.get()
    assert message.title == "Changes to the going rates"
    assert not message.for_all_routes
    assert sorted(r.route for r in message.routes.all()) == ["SCALE_UP", "SKILLED_WORKER"]
    assert timezone.localtime(message.published_at).strftime("%H:%M") == "09:30"
    assert AuditEvent.objects.get(verb=AuditVerb.MESSAGE_POSTED).actor == caseworker
    page = text(casework.get(response["Location"] + "?view=scheduled"))
    assert "is posted: it is live from" in page
    assert "Scale-up, Skilled Worker" in page


def test_no_route_ticked_means_every_sponsor(casework):
    casework.post("/casework/messages/new/", message_data(routes=[]))
    message = Message.objects.get()
    assert message.for_all_routes
    assert not message.routes.exists()


def test_a_message_needs_its_fields(casework):
    response = casework.post(
        "/casework/messages/new/",
        message_data(title="", active_from_time="", active_to="soon"),
    )
    page = text(response)
    assert "Enter a title" in page
    assert "Enter the time the message goes live" in page
    assert "Enter the last day the message is active as a real date" in page
    assert not Message.objects.exists()


def test_the_service_refuses_an_end_before_the_start(casework):
    today = timezone.localdate()
    response = casework.post(
        "/casework/messages/new/",
        message_data(
            active_from_date=(today + timedelta(days=3)).isoformat(),
            active_to=(today + timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 400
    assert 'id="id_active_to-error"' in text(response)
    assert not Message.objects.exists()


def test_edit_a_message_before_it_goes_live(casework):
    message = MessageFactory(
        title="Draft", published_at=timezone.now() + timedelta(days=2), routes=[Route.STUDENT]
    )
    form = text(casework.get(f"/casework/messages/{message.pk}/edit/"))
    assert 'value="Draft"' in form
    assert 'value="STUDENT" checked' in form

    response = casework.post(
        f"/casework/messages/{message.pk}/edit/", message_data(title="Final", routes=[])
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.title == "Final"
    assert message.for_all_routes
    assert AuditEvent.objects.filter(verb=AuditVerb.MESSAGE_EDITED).count() == 1


def test_a_live_message_cannot_be_edited(casework):
    message = MessageFactory(title="Live", published_at=timezone.now() - timedelta(minutes=1))

    page = text(casework.get(f"/casework/messages/{message.pk}/edit/"))
    assert "is live, so it cannot be changed" in page
    assert "Save the message" not in page

    response = casework.post(
        f"/casework/messages/{message.pk}/edit/", message_data(title="Sneaky change")
    )

    assert response.status_code == 409
    assert "This message is already live, so it cannot be changed." in text(response)
    message.refresh_from_db()
    assert message.title == "Live"


def test_archive_a_message(casework):
    message = MessageFactory(title="Going", published_at=timezone.now() - timedelta(days=1))

    page = text(casework.get(f"/casework/messages/{message.pk}/archive/"))
    assert "Archive “Going”?" in page
    message.refresh_from_db()
    assert message.archived_at is None

    response = casework.post(f"/casework/messages/{message.pk}/archive/")

    assert response.status_code == 302
    assert response["Location"] == "/casework/messages/?view=archived"
    message.refresh_from_db()
    assert message.archived_at is not None
    page = text(casework.get(response["Location"]))
    assert "“Going” is archived" in page
    # Archiving twice is refused by the service.
    assert casework.post(f"/casework/messages/{message.pk}/archive/").status_code == 409


def test_unknown_message_is_not_found(casework):
    assert casework.get("/casework/messages/999999/edit/").status_code == 404
    assert casework.post("/casework/messages/999999/archive/").status_code == 404


def test_board_queries_do_not_grow_with_messages(casework):
    for _ in range(3):
        MessageFactory(routes=[Route.STUDENT])
    few = queries_for(casework, "/casework/messages/")
    for _ in range(27):
        MessageFactory(routes=[Route.STUDENT, Route.SKILLED_WORKER])
    many = queries_for(casework, "/casework/messages/")
    assert many == few
