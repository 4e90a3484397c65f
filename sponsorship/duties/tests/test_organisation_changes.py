"""Organisation changes: recorded when they happen (a duty due 20 working days later in the head
office's nation, key personnel by its setting), met by the change of circumstances request. The
clock is Monday 16 November 2026 (conftest)."""

from datetime import date

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import ApplicationError
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import Duty, DutyStatus
from sponsorship.duties.services import organisation_change_record
from sponsorship.licences.models import LicenceStatus, Nation, OrganisationChange
from sponsorship.licences.services import change_request_submit

URL = "/compliance/organisation-changes/new/"


def record(actor, change_type=OrganisationChange.ADDRESS, change_date="2026-11-02", **kw):
    return organisation_change_record(
        actor=actor,
        change_type=change_type,
        change_date=change_date,
        summary=kw.pop("summary", "Head office moved to 5 Quay Street"),
        ip=None,
    )


def send_request(actor, change_type=OrganisationChange.ADDRESS, change_date=date(2026, 11, 2)):
    return change_request_submit(
        actor=actor,
        change_type=change_type,
        change_date=change_date,
        description="Head office moved to 5 Quay Street, Bristol.",
        declaration_name="Zoë Hartley",
        declaration_position="HR Director",
        evidence=[],
        ip=None,
    )


def test_a_recorded_change_is_due_20_working_days_later(level1):
    # Monday 2 November 2026 + 20 working days in England (no bank holiday) = Monday 30 November.
    duty = record(level1)
    assert (duty.kind, duty.status, duty.worker) == (EventKind.ORGANISATION_CHANGE, "OPEN", None)
    assert duty.due_on == date(2026, 11, 30)
    assert AuditEvent.objects.filter(verb=AuditVerb.DUTY_RAISED, sponsor=level1.sponsor).exists()


def test_in_scotland_st_andrews_day_is_not_counted(level1):
    level1.sponsor.nation = Nation.SCOTLAND
    level1.sponsor.save()
    # 20 working days from Monday 2 November: St Andrew's Day (Monday 30 November) is a bank
    # holiday in Scotland, so the 20th working day is Tuesday 1 December.
    assert record(level1).due_on == date(2026, 12, 1)


def test_key_personnel_changes_follow_their_setting(level1, settings):
    settings.KEY_PERSONNEL_CHANGE_WORKING_DAYS = 10
    # Monday 2 November + 10 working days = Monday 16 November.
    duty = record(level1, change_type=OrganisationChange.KEY_PERSONNEL)
    assert duty.due_on == date(2026, 11, 16)


def test_the_change_request_meets_the_duty(level1):
    duty = record(level1)
    request = send_request(level1)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE
    assert duty.licence_request == request
    assert request.reference in duty.closed_note


def test_a_request_of_another_kind_leaves_the_duty_open(level1):
    duty = record(level1)
    send_request(level1, change_type=OrganisationChange.NAME)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN


def test_a_request_sent_without_a_recorded_change_is_kept_as_a_duty_met(level1):
    request = send_request(level1, change_date=date(2026, 10, 1))
    duty = Duty.objects.get(sponsor=level1.sponsor)
    assert duty.status == DutyStatus.DONE
    assert duty.due_on == request.report_due
    # 1 October + 20 working days = 29 October: sent on 16 November, so late.
    assert request.reported_late


def test_bad_input_names_each_field_and_records_nothing(level1):
    with pytest.raises(ApplicationError) as raised:
        organisation_change_record(
            actor=level1, change_type="MOON", change_date="2026-13-01", summary="", ip=None
        )
    fields = {field for field, _ in raised.value.errors}
    assert fields == {"change_type", "change_date", "summary"}
    assert not Duty.objects.exists()


def test_a_future_change_and_the_same_change_twice_are_refused(level1):
    with pytest.raises(ApplicationError, match="today or in the past"):
        record(level1, change_date="2026-11-17")
    record(level1)
    with pytest.raises(ApplicationError, match="already recorded"):
        record(level1)


# --- The page ---------------------------------------------------------------------------


def form(**overrides):
    data = {
        "change_type": OrganisationChange.ADDRESS,
        "change_date_day": "2",
        "change_date_month": "11",
        "change_date_year": "2026",
        "summary": "Head office moved to 5 Quay Street",
    }
    data.update(overrides)
    return data


def test_a_level_1_user_records_a_change_on_the_page(signed_in, level1):
    client = signed_in(level1)
    assert "Record a change to your organisation" in client.get(URL).content.decode()
    response = client.post(URL, form())
    duty = Duty.objects.get(sponsor=level1.sponsor)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/workers/duties/{duty.pk}/")


def test_the_page_names_what_is_wrong(signed_in, level1):
    response = signed_in(level1).post(URL, form(change_date_month="13", summary=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The month of the change must be a number from 1 to 12" in page
    assert "Say what changed, in a sentence" in page
    assert not Duty.objects.exists()


def test_level_2_users_cannot_record_organisation_changes(signed_in, level2):
    assert signed_in(level2).get(URL).status_code == 403


def test_a_dormant_licence_refuses_it_with_the_reason(signed_in, level1):
    level1.sponsor.status = LicenceStatus.DORMANT
    level1.sponsor.save()
    response = signed_in(level1).get(URL)
    assert response.status_code == 409
    assert "not available while the licence is dormant" in response.content.decode()
