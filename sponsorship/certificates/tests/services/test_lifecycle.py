"""After assignment, through the services: the sponsor withdraws (only while assigned) and adds
notes (on assigned or used certificates); the Home Office marks a certificate used, records the
application's outcome and cancels. Granted or refused: used for good. Rejected as invalid, void
or withdrawn: assigned again and usable again. WITHDRAWN, EXPIRED and CANCELLED are final."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import (
    ApplicationOutcome,
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from sponsorship.certificates.services import (
    certificate_assign,
    certificate_cancel,
    certificate_mark_used,
    certificate_note_save,
    certificate_record_outcome,
    certificate_withdraw,
    certificates_expire,
    reusable,
)
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotPermitted, StaleEdit
from sponsorship.licences.models import Allocation

S = CertificateStatus
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
NUMBER = "C2G8H88871U"
REASON = "The worker accepted another offer."


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("sponsor", "cos", "owner").get(pk=certificate.pk)


def history(certificate) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.status, e.text)
        for e in CertificateEvent.objects.filter(certificate=certificate)
    ]


def in_status(status, owner, caseworker) -> Certificate:
    """A certificate brought to `status` through the services."""
    if status == S.DRAFT:
        return complete_draft(owner)
    certificate = assigned_certificate(owner, number=NUMBER)
    if status == S.USED:
        certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)
    elif status == S.WITHDRAWN:
        withdraw(certificate, owner)
    elif status == S.EXPIRED:
        assert certificate.use_by is not None
        assert certificates_expire(certificate.use_by + timedelta(days=1)) == 1
    elif status == S.CANCELLED:
        certificate_cancel(
            actor=caseworker, certificate=certificate, reason="Fraud found.", ip=None
        )
    saved = stored(certificate)
    assert saved.status == status
    return saved


def withdraw(certificate, actor, reason=REASON, version=None):
    return certificate_withdraw(
        actor=actor,
        certificate=certificate,
        version=certificate.version if version is None else version,
        reason=reason,
        ip="192.0.2.1",
    )


def note(certificate, actor, text, version=None):
    return certificate_note_save(
        actor=actor,
        certificate=certificate,
        version=certificate.version if version is None else version,
        note=text,
        ip=None,
    )


def outcome(certificate, caseworker, value):
    return certificate_record_outcome(
        actor=caseworker, certificate=certificate, outcome=value, ip=None
    )


# Withdrawal by the sponsor.


def test_an_assigned_certificate_can_be_withdrawn_with_a_reason(sponsor, level1, allocation):
    draft = complete_draft(level1)
    certificate_assign(actor=level1, certificate=draft, version=1, ip=None)
    certificate = stored(draft)
    version = certificate.version

    withdraw(certificate, level1, reason="  The worker accepted another offer.  ")

    saved = stored(certificate)
    assert saved.status == S.WITHDRAWN
    assert (saved.closed_at, saved.closed_reason) == (NOW, REASON)
    assert saved.version == version + 1
    event = CertificateEvent.objects.filter(certificate=certificate).last()
    assert (event.action, event.status, event.text, event.actor) == (
        CertificateAction.WITHDRAWN,
        S.WITHDRAWN,
        REASON,
        level1,
    )
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_WITHDRAWN)
    assert (audit.sponsor, audit.actor, audit.ip_address) == (sponsor, level1, "192.0.2.1")
    assert audit.payload == {"status": "WITHDRAWN", "text": REASON}
    # The allocation unit is not given back.
    assert Allocation.objects.get(pk=allocation.pk).used == 1


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter the reason you are withdrawing this certificate"),
        ("   ", "Enter the reason you are withdrawing this certificate"),
        ("x" * 2001, "The reason must be 2,000 characters or fewer"),
    ],
)
def test_a_withdrawal_needs_a_reason_of_reasonable_length(level1, reason, message):
    certificate = assigned_certificate(level1, number=NUMBER)
    with pytest.raises(ApplicationError) as refused:
        withdraw(certificate, level1, reason=reason)
    assert refused.value.errors == [("reason", message)]
    assert stored(certificate).status == S.ASSIGNED


@pytest.mark.parametrize("status", [S.USED, S.WITHDRAWN, S.EXPIRED, S.CANCELLED])
def test_only_an_assigned_certificate_can_be_withdrawn(level1, caseworker, status):
    certificate = in_status(status, level1, caseworker)
    with pytest.raises(InvalidTransition) as refused:
        withdraw(certificate, level1)
    assert refused.value.message == (
        f"Certificate {NUMBER} is {certificate.get_status_display().lower()}: only an assigned "
        "certificate can be withdrawn."
    )
    assert stored(certificate).status == status


def test_a_draft_cannot_be_withdrawn(level1, caseworker):
    draft = in_status(S.DRAFT, level1, caseworker)
    with pytest.raises(InvalidTransition) as refused:
        withdraw(draft, level1)
    assert refused.value.message == (
        f"Certificate draft {draft.pk} is draft: only an assigned certificate can be withdrawn."
    )
    assert stored(draft).status == S.DRAFT


def test_a_stale_withdrawal_is_refused(level1):
    certificate = assigned_certificate(level1, number=NUMBER)
    note(stored(certificate), level1, "Start date agreed.")
    with pytest.raises(StaleEdit):
        withdraw(certificate, level1, version=certificate.version)
    assert stored(certificate).status == S.ASSIGNED


def test_a_certificate_used_meanwhile_cannot_be_withdrawn(level1, caseworker):
    # Read while assigned; the Home Office marks it used before the sponsor's withdrawal lands.
    certificate = assigned_certificate(level1, number=NUMBER)
    read_earlier = stored(certificate)
    certificate_mark_used(actor=caseworker, certificate=stored(certificate), ip=None)

    with pytest.raises((InvalidTransition, StaleEdit)):
        withdraw(read_earlier, level1)
    with pytest.raises(InvalidTransition):
        withdraw(read_earlier, level1, version=stored(certificate).version)

    assert stored(certificate).status == S.USED


# Sponsor notes.


@pytest.mark.parametrize("status", [S.ASSIGNED, S.USED])
def test_notes_are_added_then_amended_and_every_version_is_kept(level1, caseworker, status):
    certificate = in_status(status, level1, caseworker)

    note(certificate, level1, "  Start date moved to 1 February.  ")
    note(stored(certificate), level1, "Start date moved to 8 February.")

    saved = stored(certificate)
    assert saved.sponsor_note == "Start date moved to 8 February."
    assert saved.status == status
    assert history(certificate)[-2:] == [
        (CertificateAction.NOTE_ADDED, status, "Start date moved to 1 February."),
        (CertificateAction.NOTE_AMENDED, status, "Start date moved to 8 February."),
    ]
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_NOTE_SAVED).count() == 2


@pytest.mark.parametrize("status", [S.DRAFT, S.WITHDRAWN, S.EXPIRED, S.CANCELLED])
def test_notes_only_on_assigned_or_used_certificates(level1, caseworker, status):
    certificate = in_status(status, level1, caseworker)
    with pytest.raises(InvalidTransition) as refused:
        note(certificate, level1, "Start date moved.")
    assert refused.value.message == (
        "Notes can be added only to assigned or used certificates. This one is "
        f"{certificate.get_status_display().lower()}."
    )
    saved = stored(certificate)
    assert (saved.status, saved.sponsor_note) == (status, "")


@pytest.mark.parametrize(
    ("text", "message"),
    [(" ", "Enter the note"), ("x" * 3001, "The note must be 3,000 characters or fewer")],
)
def test_a_note_must_say_something_in_3000_characters(level1, text, message):
    certificate = assigned_certificate(level1, number=NUMBER)
    with pytest.raises(ApplicationError) as refused:
        note(certificate, level1, text)
    assert refused.value.errors == [("note", message)]
    assert stored(certificate).sponsor_note == ""


def test_a_stale_note_is_refused(level1, level2):
    certificate = assigned_certificate(level1, number=NUMBER)
    note(stored(certificate), level2, "First.")
    with pytest.raises(StaleEdit):
        note(certificate, level1, "Second.", version=certificate.version)
    assert stored(certificate).sponsor_note == "First."


# Used, by the Home Office.


def test_marking_an_assigned_certificate_used(level1, caseworker):
    certificate = assigned_certificate(level1, number=NUMBER)

    certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)

    saved = stored(certificate)
    assert (saved.status, saved.used_at, saved.application_outcome) == (S.USED, NOW, "")
    event = CertificateEvent.objects.filter(certificate=certificate).last()
    assert (event.action, event.status, event.actor) == (CertificateAction.USED, S.USED, caseworker)
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_USED).count() == 1


@pytest.mark.parametrize("status", [S.DRAFT, S.USED, S.WITHDRAWN, S.EXPIRED, S.CANCELLED])
def test_only_an_assigned_certificate_can_be_marked_used(level1, caseworker, status):
    certificate = in_status(status, level1, caseworker)
    with pytest.raises(InvalidTransition) as refused:
        certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)
    assert refused.value.message == (f"This cannot change from {status.lower()} to used.")
    assert stored(certificate).status == status


# The outcome of the application.


def test_an_outcome_only_for_a_used_certificate(level1, caseworker):
    certificate = in_status(S.ASSIGNED, level1, caseworker)
    with pytest.raises(InvalidTransition) as refused:
        outcome(certificate, caseworker, ApplicationOutcome.GRANTED)
    assert refused.value.message == (
        "An outcome can be recorded only for a used certificate whose application is still "
        "undecided."
    )
    assert stored(certificate).application_outcome == ""


def test_an_unknown_outcome_is_refused(level1, caseworker):
    certificate = in_status(S.USED, level1, caseworker)
    with pytest.raises(ApplicationError) as refused:
        outcome(certificate, caseworker, "MAYBE")
    assert refused.value.errors == [("outcome", "Select the outcome of the application")]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (ApplicationOutcome.GRANTED, "Application granted."),
        (ApplicationOutcome.REFUSED, "Application refused."),
    ],
)
def test_a_granted_or_refused_application_leaves_it_used_for_good(level1, caseworker, value, text):
    certificate = in_status(S.USED, level1, caseworker)

    outcome(certificate, caseworker, value)

    saved = stored(certificate)
    assert (saved.status, saved.application_outcome) == (S.USED, value)
    assert not reusable(saved)
    assert history(certificate)[-1] == (CertificateAction.OUTCOME, S.USED, text)
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_OUTCOME)
    assert audit.payload["outcome"] == value

    # A second outcome is refused, and it can never be used again nor withdrawn.
    for again in ApplicationOutcome.values:
        with pytest.raises(InvalidTransition):
            outcome(stored(certificate), caseworker, again)
    with pytest.raises(InvalidTransition):
        certificate_mark_used(actor=caseworker, certificate=stored(certificate), ip=None)
    with pytest.raises(InvalidTransition):
        withdraw(stored(certificate), level1)
    assert stored(certificate).status == S.USED
    assert stored(certificate).application_outcome == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (
            ApplicationOutcome.REJECTED_INVALID,
            "Application rejected as invalid. The certificate can be relied on again.",
        ),
        (ApplicationOutcome.VOID, "Application void. The certificate can be relied on again."),
        (
            ApplicationOutcome.WITHDRAWN,
            "Application withdrawn by the applicant. The certificate can be relied on again.",
        ),
    ],
)
def test_an_invalid_void_or_withdrawn_application_makes_it_usable_again(
    level1, caseworker, value, text
):
    certificate = in_status(S.USED, level1, caseworker)

    outcome(certificate, caseworker, value)

    saved = stored(certificate)
    assert (saved.status, saved.application_outcome) == (S.ASSIGNED, value)
    assert reusable(saved)
    assert history(certificate)[-1] == (CertificateAction.OUTCOME, S.ASSIGNED, text)

    # Used again in a new application, which is then granted.
    certificate_mark_used(actor=caseworker, certificate=saved, ip=None)
    again = stored(certificate)
    assert (again.status, again.application_outcome) == (S.USED, "")
    outcome(again, caseworker, ApplicationOutcome.GRANTED)
    final = stored(certificate)
    assert (final.status, final.application_outcome) == (S.USED, ApplicationOutcome.GRANTED)
    assert not reusable(final)


def test_a_certificate_assigned_again_can_be_withdrawn_by_the_sponsor(level1, caseworker):
    certificate = in_status(S.USED, level1, caseworker)
    outcome(certificate, caseworker, ApplicationOutcome.VOID)
    withdraw(stored(certificate), level1)
    assert stored(certificate).status == S.WITHDRAWN


# Cancellation by the Home Office.


@pytest.mark.parametrize("status", [S.ASSIGNED, S.USED])
def test_the_home_office_cancels_assigned_and_used_certificates(level1, caseworker, status):
    certificate = in_status(status, level1, caseworker)

    certificate_cancel(
        actor=caseworker, certificate=certificate, reason=" Forged documents. ", ip=None
    )

    saved = stored(certificate)
    assert (saved.status, saved.closed_reason, saved.closed_at) == (
        S.CANCELLED,
        "Forged documents.",
        NOW,
    )
    assert history(certificate)[-1] == (
        CertificateAction.CANCELLED,
        S.CANCELLED,
        "Forged documents.",
    )
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_CANCELLED)
    assert audit.actor == caseworker


@pytest.mark.parametrize("status", [S.DRAFT, S.WITHDRAWN, S.EXPIRED, S.CANCELLED])
def test_nothing_else_can_be_cancelled(level1, caseworker, status):
    certificate = in_status(status, level1, caseworker)
    with pytest.raises(InvalidTransition) as refused:
        certificate_cancel(actor=caseworker, certificate=certificate, reason="Fraud.", ip=None)
    assert refused.value.message == f"This cannot change from {status.lower()} to cancelled."
    assert stored(certificate).status == status


@pytest.mark.parametrize("actor", ["level1", "level2"])
def test_a_sponsor_user_cannot_cancel(request, level1, actor):
    user = request.getfixturevalue(actor)
    certificate = assigned_certificate(level1, number=NUMBER)
    with pytest.raises(NotPermitted) as refused:
        certificate_cancel(actor=user, certificate=certificate, reason="Fraud.", ip=None)
    assert refused.value.message == "Only the Home Office can cancel a certificate."
    assert refused.value.http_status == 403
    assert stored(certificate).status == S.ASSIGNED


def test_a_cancellation_needs_a_reason(level1, caseworker):
    certificate = assigned_certificate(level1, number=NUMBER)
    with pytest.raises(ApplicationError) as refused:
        certificate_cancel(actor=caseworker, certificate=certificate, reason="", ip=None)
    assert refused.value.errors == [("reason", "Enter the reason for cancelling the certificate")]
    assert stored(certificate).status == S.ASSIGNED


# Final statuses.


@pytest.mark.parametrize("status", [S.WITHDRAWN, S.EXPIRED, S.CANCELLED])
def test_withdrawn_expired_and_cancelled_are_final(level1, caseworker, status):
    certificate = in_status(status, level1, caseworker)
    attempts = [
        lambda c: withdraw(c, level1),
        lambda c: note(c, level1, "Anything."),
        lambda c: certificate_mark_used(actor=caseworker, certificate=c, ip=None),
        lambda c: outcome(c, caseworker, ApplicationOutcome.VOID),
        lambda c: certificate_cancel(actor=caseworker, certificate=c, reason="Fraud.", ip=None),
        lambda c: certificate_assign(actor=level1, certificate=c, version=c.version, ip=None),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidTransition):
            attempt(stored(certificate))
    saved = stored(certificate)
    assert saved.status == status
    assert saved.number == NUMBER
