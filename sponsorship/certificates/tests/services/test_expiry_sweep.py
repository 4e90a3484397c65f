"""The daily sweep: an assigned certificate not used by its use-by date expires, with a line of
history, and one audit event per sponsor lists the numbers. Running it twice expires nothing
twice (DOMAIN.md "Certificate of Sponsorship": use by assigned date + 3 months)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from sponsorship.certificates.services import (
    certificate_assign,
    certificate_mark_used,
    certificate_note_save,
    certificate_withdraw,
    certificates_expire,
)
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.core.errors import InvalidTransition, StaleEdit
from sponsorship.core.sweep import daily_sweep

LONDON = ZoneInfo("Europe/London")
STEP = "sponsorship.certificates.services.certificates_expire"
EXPIRED_TEXT = "Not used by its use-by date."


def at_ten(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("sponsor", "cos", "owner").get(pk=certificate.pk)


def statuses(*certificates) -> list[str]:
    return [stored(c).status for c in certificates]


def expiry_audits() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATES_EXPIRED).order_by("pk"))


@pytest.fixture
def assigned(level1, allocation):
    """Assigned through the service on Monday 16 November 2026: use by 16 February 2027."""
    draft = complete_draft(level1)
    certificate_assign(actor=level1, certificate=draft, version=1, ip=None)
    certificate = stored(draft)
    assert certificate.use_by == date(2027, 2, 16)
    return certificate


def test_an_unused_certificate_expires_the_day_after_its_use_by_date(frozen, sponsor, assigned):
    frozen.move_to(at_ten(date(2027, 2, 17)))

    assert certificates_expire() == 1

    saved = stored(assigned)
    assert saved.status == CertificateStatus.EXPIRED
    assert (saved.closed_reason, saved.closed_at) == (EXPIRED_TEXT, at_ten(date(2027, 2, 17)))
    event = CertificateEvent.objects.filter(certificate=assigned).last()
    assert (event.action, event.status, event.text, event.actor, event.sponsor) == (
        CertificateAction.EXPIRED,
        CertificateStatus.EXPIRED,
        EXPIRED_TEXT,
        None,
        sponsor,
    )
    (audit,) = expiry_audits()
    assert (audit.sponsor, audit.actor, audit.actor_label) == (sponsor, None, "daily sweep")
    assert audit.payload == {"numbers": [assigned.number]}


@pytest.mark.parametrize("day", [date(2027, 2, 15), date(2027, 2, 16)])
def test_nothing_expires_on_or_before_the_use_by_date(frozen, assigned, day):
    frozen.move_to(at_ten(day))
    assert certificates_expire() == 0
    assert stored(assigned).status == CertificateStatus.ASSIGNED
    assert expiry_audits() == []


def test_running_twice_expires_nothing_twice(frozen, assigned):
    frozen.move_to(at_ten(date(2027, 2, 17)))
    assert certificates_expire() == 1
    assert certificates_expire() == 0
    assert certificates_expire(date(2027, 2, 18)) == 0

    assert stored(assigned).status == CertificateStatus.EXPIRED
    assert (
        CertificateEvent.objects.filter(
            certificate=assigned, action=CertificateAction.EXPIRED
        ).count()
        == 1
    )
    assert len(expiry_audits()) == 1


def test_one_audit_event_per_sponsor_lists_its_numbers(
    sponsor, level1, other_sponsor, other_level1
):
    ours = [assigned_certificate(level1, number=f"C00000000{n}A") for n in range(1, 4)]
    theirs = assigned_certificate(other_level1, number="C000000009B")
    day_after = ours[0].use_by + timedelta(days=1)

    assert certificates_expire(day_after) == 4

    assert statuses(*ours, theirs) == [CertificateStatus.EXPIRED] * 4
    by_sponsor = {event.sponsor: sorted(event.payload["numbers"]) for event in expiry_audits()}
    assert by_sponsor == {
        sponsor: ["C000000001A", "C000000002A", "C000000003A"],
        other_sponsor: ["C000000009B"],
    }


def test_only_assigned_certificates_expire(level1, caseworker):
    draft = complete_draft(level1)
    used = assigned_certificate(level1, number="C000000001A")
    certificate_mark_used(actor=caseworker, certificate=used, ip=None)
    withdrawn = assigned_certificate(level1, number="C000000002A")
    certificate_withdraw(
        actor=level1, certificate=withdrawn, version=withdrawn.version, reason="Gone.", ip=None
    )
    due = assigned_certificate(level1, number="C000000003A")
    not_yet = assigned_certificate(level1, number="C000000004A")
    Certificate.objects.filter(pk=not_yet.pk).update(use_by=due.use_by + timedelta(days=1))

    assert certificates_expire(due.use_by + timedelta(days=1)) == 1

    assert statuses(draft, used, withdrawn, due, not_yet) == [
        CertificateStatus.DRAFT,
        CertificateStatus.USED,
        CertificateStatus.WITHDRAWN,
        CertificateStatus.EXPIRED,
        CertificateStatus.ASSIGNED,
    ]
    (audit,) = expiry_audits()
    assert audit.payload == {"numbers": ["C000000003A"]}


def test_an_expired_certificate_can_no_longer_be_used(frozen, caseworker, assigned):
    frozen.move_to(at_ten(date(2027, 2, 17)))
    certificates_expire()
    with pytest.raises(InvalidTransition):
        certificate_mark_used(actor=caseworker, certificate=stored(assigned), ip=None)
    assert stored(assigned).status == CertificateStatus.EXPIRED


def test_the_sweep_just_after_midnight_in_summer_uses_the_london_day(frozen, level1):
    # Use by 1 October 2027; at 00:05 on 2 October in London (23:05 on 1 October in UTC) it
    # has expired.
    certificate = assigned_certificate(level1, number="C000000001A")
    Certificate.objects.filter(pk=certificate.pk).update(use_by=date(2027, 10, 1))

    frozen.move_to(datetime(2027, 10, 1, 23, 55, tzinfo=LONDON))
    assert certificates_expire() == 0
    frozen.move_to(datetime(2027, 10, 2, 0, 5, tzinfo=LONDON))
    assert certificates_expire() == 1
    assert stored(certificate).status == CertificateStatus.EXPIRED


def test_the_daily_sweep_runs_the_expiry(frozen, assigned):
    frozen.move_to(at_ten(date(2027, 2, 17)))

    first = daily_sweep()
    second = daily_sweep()

    assert first[STEP] == 1
    assert second[STEP] == 0
    assert stored(assigned).status == CertificateStatus.EXPIRED
    assert len(expiry_audits()) == 1


def test_the_daily_sweep_for_a_given_day(assigned):
    assert daily_sweep(date(2027, 2, 16))[STEP] == 0
    assert daily_sweep(date(2027, 2, 17))[STEP] == 1
    assert stored(assigned).status == CertificateStatus.EXPIRED


def test_a_note_saved_as_the_sweep_runs_does_not_bring_the_certificate_back(
    frozen, level1, assigned
):
    read_before_the_sweep = stored(assigned)
    frozen.move_to(at_ten(date(2027, 2, 17)))
    certificates_expire()

    with pytest.raises((StaleEdit, InvalidTransition)):
        certificate_note_save(
            actor=level1,
            certificate=read_before_the_sweep,
            version=read_before_the_sweep.version,
            note="Start date agreed.",
            ip=None,
        )

    assert stored(assigned).status == CertificateStatus.EXPIRED
