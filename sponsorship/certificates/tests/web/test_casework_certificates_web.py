"""The Home Office's certificate pages: finding any sponsor's certificate by its number or the
worker's passport number, reading it, marking it used, recording the application's outcome
(granted or refused: used for good; rejected as invalid, void or withdrawn: usable again),
cancelling it with a reason, printing it. Every action is in the history and the audit trail."""

import pytest
from django.urls import reverse

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates import services
from sponsorship.certificates.models import (
    ApplicationOutcome,
    Certificate,
    CertificateAction,
    CertificateStatus,
)
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.certificates.tests.test_printing import pdf_text
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.web.support import field_error, queries_for, text


@pytest.fixture
def casework(signed_in, caseworker):
    return signed_in(caseworker)


def url(name: str, certificate: Certificate | None = None) -> str:
    args = [certificate.pk] if certificate is not None else []
    return reverse(f"casework:certificates:{name}", args=args)


def fresh(certificate: Certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


def audited(verb: AuditVerb) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


def actions_of(certificate: Certificate) -> list[str]:
    return list(certificate.events.values_list("action", flat=True))


def used(certificate: Certificate, caseworker) -> Certificate:
    return services.certificate_mark_used(actor=caseworker, certificate=certificate, ip=None)


# Finding a certificate


def test_the_casework_home_page_links_to_the_certificate_search(casework):
    response = casework.get(reverse("casework:home"))
    assert f'href="{url("find")}"' in response.content.decode()
    assert "Find a certificate by its number or the worker's passport number" in text(response)


@pytest.mark.parametrize("query", ["C2G8H88871U", "c2g8h88871u", " C2G8 H888 71U "])
def test_find_by_certificate_number_exactly_whatever_the_case_and_spaces(
    casework, level1, other_level1, query
):
    assigned_certificate(other_level1, number="C2G8H88871U", passport_number="X1")
    assigned_certificate(level1, number="C2G8H88871V", passport_number="X2")
    page = text(casework.get(url("find"), {"q": query}))
    assert "1 certificate found for C2G8H88871U" in page
    assert "C2G8H88871U Łukasz Marek Kowalczyk X1 Other Sponsor Ltd" in page
    assert "C2G8H88871V" not in page


def test_find_by_passport_number_across_sponsors(casework, level1, other_level1):
    ours = assigned_certificate(level1, passport_number="EP1234567")
    theirs = assigned_certificate(other_level1, passport_number="EP1234567")
    assigned_certificate(level1, passport_number="EP7654321")
    complete_draft(level1, passport_number="EP1234567")  # a draft: the sponsor's own work
    page = text(casework.get(url("find"), {"q": "ep 123 4567"}))
    assert "2 certificates found for EP1234567" in page
    assert f"{ours.number} Łukasz Marek Kowalczyk EP1234567 Harbour View Care Ltd" in page
    assert f"{theirs.number} Łukasz Marek Kowalczyk EP1234567 Other Sponsor Ltd" in page
    assert "Draft: not assigned" not in page


def test_no_match_says_so_and_how_to_search_again(casework, level1):
    assigned_certificate(level1, number="C2G8H88871U")
    page = text(casework.get(url("find"), {"q": "C2G8H888"}))
    assert "0 certificates found for C2G8H888" in page
    assert "No certificate has the number or passport number C2G8H888." in page
    assert "it must match in full" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a certificate number or passport number"),
        ("   ", "Enter a certificate number or passport number"),
        ("C" * 41, "A certificate or passport number is 40 characters or fewer"),
    ],
)
def test_a_missing_or_overlong_query_is_shown_on_the_field(casework, query, message):
    response = casework.get(url("find"), {"q": query})
    assert response.status_code == 400
    assert field_error(response, "q") == f"Error: {message}"
    assert f'<a href="#id_q">{message}</a>' in response.content.decode()
    assert "found for" not in text(response)


def test_opening_the_search_shows_no_error(casework):
    response = casework.get(url("find"))
    assert response.status_code == 200
    assert "There is a problem" not in text(response)


def test_search_query_count_does_not_grow_with_the_rows(casework, level1, other_level1):
    for n in range(3):
        assigned_certificate(other_level1 if n % 2 else level1, passport_number="EP1234567")
    few = queries_for(casework, url("find") + "?q=EP1234567")
    for n in range(27):
        assigned_certificate(other_level1 if n % 2 else level1, passport_number="EP1234567")
    many = queries_for(casework, url("find") + "?q=EP1234567")
    assert few == many
    assert "30 certificates found" in text(casework.get(url("find"), {"q": "EP1234567"}))


# Who may reach the pages


@pytest.fixture
def every_page(level1):
    certificate = assigned_certificate(level1)
    return certificate, [
        url("find") + "?q=EP1234567",
        *(url(name, certificate) for name in ("detail", "mark_used", "outcome", "cancel", "print")),
    ]


@pytest.mark.parametrize("actor", ["level1", "level2"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_sponsor_users_get_403_on_every_casework_certificate_page(
    request, signed_in, every_page, actor, method
):
    certificate, pages = every_page
    client = signed_in(request.getfixturevalue(actor))
    for page in pages:
        response = getattr(client, method)(
            page, {"reason": "Fraud", "confirmed": "yes", "outcome": "GRANTED"}
        )
        assert response.status_code == 403, page
    assert fresh(certificate).status == CertificateStatus.ASSIGNED
    assert not AuditEvent.objects.filter(verb__startswith="CERTIFICATE_").exists()


def test_an_unknown_certificate_is_404_on_every_page(casework):
    for name in ("detail", "mark_used", "outcome", "cancel", "print"):
        response = casework.get(reverse(f"casework:certificates:{name}", args=[999999]))
        assert response.status_code == 404, name


# Reading a certificate


def test_the_certificate_page_shows_sponsor_status_sections_and_history(casework, level1):
    certificate = assigned_certificate(level1, number="C2G8H88871U")
    services.certificate_note_save(
        actor=level1, certificate=certificate, version=certificate.version, note="Agreed.", ip=None
    )
    page = text(casework.get(url("detail", certificate)))
    assert "Harbour View Care Ltd · licence" in page
    assert "Certificate C2G8H88871U" in page
    assert "Status Assigned" in page
    assert "Use by 15 February 2027" in page
    assert "Application outcome None" in page
    assert "Personal information" in page and "Job and salary" in page
    assert "Job title Software developer" in page
    assert "Sponsor note Agreed." in page
    assert "16 November 2026, 10:00 Sponsor note added Assigned Zoë Hartley Agreed." in page
    assert "Mark as used" in page
    assert "Cancel certificate" in page
    assert "Record the application's outcome" not in page
    assert "Print the certificate and its history (PDF)" in page


def test_a_final_certificate_offers_no_action(casework, level1, caseworker):
    certificate = assigned_certificate(level1)
    services.certificate_cancel(actor=caseworker, certificate=certificate, reason="Fraud", ip=None)
    page = text(casework.get(url("detail", certificate)))
    assert "Status Cancelled" in page
    assert "Reason cancelled Fraud" in page
    assert "A cancelled certificate cannot be marked as used or cancelled." in page
    assert "Mark as used" not in page


# Marking a certificate used


def test_mark_used_after_a_confirmation(casework, level1, caseworker):
    certificate = assigned_certificate(level1)
    confirm = casework.get(url("mark_used", certificate))
    assert confirm.status_code == 200
    assert f"Mark certificate {certificate.number} as used" in text(confirm)
    assert fresh(certificate).status == CertificateStatus.ASSIGNED

    response = casework.post(url("mark_used", certificate), follow=True)
    page = text(response)
    assert f"Certificate {certificate.number} is marked as used." in page
    assert "Status Used" in page
    assert "Used in an application on 16 November 2026" in page
    assert "Used in an application Used Samira Haddad (Home Office)" in page
    assert "Record the application's outcome" in page
    assert fresh(certificate).status == CertificateStatus.USED
    event = audited(AuditVerb.CERTIFICATE_USED)[0]
    assert (event.actor_id, event.sponsor_id) == (caseworker.pk, certificate.sponsor_id)


def test_the_home_office_acts_whatever_the_licence_status(casework, level1, sponsor):
    certificate = assigned_certificate(level1)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    casework.post(url("mark_used", certificate))
    assert fresh(certificate).status == CertificateStatus.USED


# Recording the outcome


def test_the_outcome_page_explains_which_outcomes_let_the_certificate_be_used_again(
    casework, level1, caseworker
):
    certificate = used(assigned_certificate(level1), caseworker)
    page = text(casework.get(url("outcome", certificate)))
    assert "What was the outcome of the application?" in page
    for label in ApplicationOutcome.labels:
        assert label in page
    assert "Granted or refused: the certificate can never be used again." in page
    assert (
        "Rejected as invalid, void or withdrawn by the applicant: the certificate is assigned "
        "again and the worker can rely on it in another application." in page
    )


@pytest.mark.parametrize("outcome", [ApplicationOutcome.GRANTED, ApplicationOutcome.REFUSED])
def test_granted_or_refused_the_certificate_is_used_for_good(casework, level1, caseworker, outcome):
    certificate = used(assigned_certificate(level1), caseworker)
    response = casework.post(url("outcome", certificate), {"outcome": outcome}, follow=True)
    page = text(response)
    assert (
        f"Application outcome recorded for {certificate.number}: {outcome.label.lower()}. "
        "It can never be used again." in page
    )
    assert f"Application outcome {outcome.label}: the certificate can never be used again" in page
    assert "Mark as used" not in page
    after = fresh(certificate)
    assert (after.status, after.application_outcome) == (CertificateStatus.USED, outcome)
    assert actions_of(after)[-1] == CertificateAction.OUTCOME
    assert f"Application {outcome.label.lower()}." in page
    event = audited(AuditVerb.CERTIFICATE_OUTCOME)[0]
    assert (event.actor_id, event.payload["outcome"]) == (caseworker.pk, outcome)
    # Recorded once: the page now refuses, clearly.
    again = casework.post(url("outcome", certificate), {"outcome": ApplicationOutcome.VOID})
    assert again.status_code == 409
    assert (
        f"The outcome of the application certificate {certificate.number} was used in is "
        f"already recorded: {outcome.label.lower()}." in text(again)
    )
    assert fresh(certificate).application_outcome == outcome


@pytest.mark.parametrize(
    "outcome",
    [ApplicationOutcome.REJECTED_INVALID, ApplicationOutcome.VOID, ApplicationOutcome.WITHDRAWN],
)
def test_rejected_void_or_withdrawn_the_certificate_can_be_relied_on_again(
    casework, level1, caseworker, outcome
):
    certificate = used(assigned_certificate(level1), caseworker)
    response = casework.post(url("outcome", certificate), {"outcome": outcome}, follow=True)
    page = text(response)
    assert (
        f"Application outcome recorded for {certificate.number}: {outcome.label.lower()}. "
        "It is assigned again and the worker can rely on it in another application." in page
    )
    assert "Status Assigned" in page
    assert f"Application outcome {outcome.label}: the certificate can be relied on again" in page
    assert fresh(certificate).status == CertificateStatus.ASSIGNED
    # It can be used in a new application.
    assert "Mark as used" in page
    casework.post(url("mark_used", certificate))
    assert fresh(certificate).status == CertificateStatus.USED
    assert actions_of(certificate)[-3:] == [
        CertificateAction.USED,
        CertificateAction.OUTCOME,
        CertificateAction.USED,
    ]


@pytest.mark.parametrize("posted", [{}, {"outcome": "APPROVED"}])
def test_an_outcome_must_be_chosen_from_the_list(casework, level1, caseworker, posted):
    certificate = used(assigned_certificate(level1), caseworker)
    response = casework.post(url("outcome", certificate), posted)
    assert response.status_code == 400
    assert field_error(response, "outcome") == "Error: Select the outcome of the application"
    assert '<a href="#id_outcome">Select the outcome of the application</a>' in (
        response.content.decode()
    )
    assert fresh(certificate).application_outcome == ""
    assert not audited(AuditVerb.CERTIFICATE_OUTCOME)


# Cancelling


def test_cancel_with_a_reason_after_checking_it(casework, level1, caseworker):
    certificate = assigned_certificate(level1)
    form = casework.get(url("cancel", certificate))
    assert "Why are you cancelling this certificate?" in text(form)

    check = casework.post(
        url("cancel", certificate), {"reason": "Forged  documents.\nSee case 12."}
    )
    assert check.status_code == 200
    assert f"Check before you cancel certificate {certificate.number}" in text(check)
    assert "Reason Forged documents. See case 12." in text(check)
    assert fresh(certificate).status == CertificateStatus.ASSIGNED

    response = casework.post(
        url("cancel", certificate),
        {"reason": "Forged  documents.\nSee case 12.", "confirmed": "yes"},
        follow=True,
    )
    page = text(response)
    assert f"Certificate {certificate.number} is cancelled." in page
    assert "Status Cancelled" in page
    assert "Cancelled by the Home Office Cancelled Samira Haddad (Home Office) Forged" in page
    after = fresh(certificate)
    assert (after.status, after.closed_reason) == (
        CertificateStatus.CANCELLED,
        "Forged  documents.\nSee case 12.",
    )
    event = audited(AuditVerb.CERTIFICATE_CANCELLED)[0]
    assert (event.actor_id, event.target_id) == (caseworker.pk, str(certificate.pk))


def test_a_used_certificate_can_be_cancelled(casework, level1, caseworker):
    certificate = used(assigned_certificate(level1), caseworker)
    casework.post(url("cancel", certificate), {"reason": "Fraud", "confirmed": "yes"})
    assert fresh(certificate).status == CertificateStatus.CANCELLED


def test_changing_the_reason_goes_back_to_the_form_with_it(casework, level1):
    certificate = assigned_certificate(level1)
    response = casework.post(url("cancel", certificate), {"reason": "Fraud", "change": "yes"})
    assert response.status_code == 200
    assert ">Fraud</textarea>" in response.content.decode()
    assert fresh(certificate).status == CertificateStatus.ASSIGNED


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter the reason for cancelling the certificate"),
        ("   ", "Enter the reason for cancelling the certificate"),
        ("x" * 2001, "The reason must be 2,000 characters or fewer"),
    ],
)
def test_cancel_needs_a_reason(casework, level1, reason, message):
    certificate = assigned_certificate(level1)
    response = casework.post(url("cancel", certificate), {"reason": reason, "confirmed": "yes"})
    assert response.status_code == 400
    assert field_error(response, "reason") == f"Error: {message}"
    assert f'<a href="#id_reason">{message}</a>' in response.content.decode()
    assert fresh(certificate).status == CertificateStatus.ASSIGNED
    assert not audited(AuditVerb.CERTIFICATE_CANCELLED)


# Actions the status does not allow: a clear page, never a 500, nothing changed


def _in_status(status: str, level1, caseworker) -> Certificate:
    certificate = assigned_certificate(level1)
    if status == CertificateStatus.USED:
        used(certificate, caseworker)
    elif status == CertificateStatus.CANCELLED:
        services.certificate_cancel(actor=caseworker, certificate=certificate, reason="x", ip=None)
    elif status == CertificateStatus.WITHDRAWN:
        services.certificate_withdraw(
            actor=level1, certificate=certificate, version=None, reason="x", ip=None
        )
    return fresh(certificate)


@pytest.mark.parametrize(
    ("status", "page", "message"),
    [
        ("USED", "mark_used", "is used: only an assigned certificate can be marked as used."),
        ("CANCELLED", "mark_used", "is cancelled: only an assigned certificate can be marked"),
        ("ASSIGNED", "outcome", "is assigned: an outcome can be recorded only for a used"),
        ("WITHDRAWN", "outcome", "is withdrawn: an outcome can be recorded only for a used"),
        ("CANCELLED", "cancel", "is cancelled: only an assigned or used certificate can be"),
        ("WITHDRAWN", "cancel", "is withdrawn: only an assigned or used certificate can be"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_action_the_status_does_not_allow_is_refused_clearly(
    casework, level1, caseworker, status, page, message, method
):
    certificate = _in_status(status, level1, caseworker)
    before = (certificate.status, certificate.version, certificate.events.count())
    response = getattr(casework, method)(
        url(page, certificate), {"reason": "Fraud", "confirmed": "yes", "outcome": "GRANTED"}
    )
    assert response.status_code == 409
    shown = text(response)
    assert "This cannot be done" in shown
    assert f"Certificate {certificate.reference} {message}" in shown
    assert f"Go back to certificate {certificate.reference}" in shown
    after = fresh(certificate)
    assert (after.status, after.version, after.events.count()) == before


@pytest.mark.parametrize("page", ["detail", "mark_used", "outcome", "cancel", "print"])
def test_a_sponsors_draft_is_not_found_by_the_home_office(casework, level1, page):
    """A draft is the sponsor's own work until it is assigned."""
    draft = complete_draft(level1)
    assert casework.get(url(page, draft)).status_code == 404


def test_a_certificate_changed_by_someone_else_meanwhile_is_refused_clearly(
    casework, level1, caseworker, monkeypatch
):
    """Another caseworker cancels it between this page's read and its change."""
    certificate = assigned_certificate(level1)
    real = services.certificate_mark_used

    def cancelled_first(*, actor, certificate, ip):
        services.certificate_cancel(
            actor=caseworker, certificate=fresh(certificate), reason="x", ip=None
        )
        return real(actor=actor, certificate=certificate, ip=ip)

    monkeypatch.setattr(services, "certificate_mark_used", cancelled_first)
    response = casework.post(url("mark_used", certificate))
    assert response.status_code == 409
    assert (
        f"Certificate {certificate.number} is cancelled: only an assigned certificate can be "
        "marked as used." in text(response)
    )
    assert fresh(certificate).status == CertificateStatus.CANCELLED
    assert not audited(AuditVerb.CERTIFICATE_USED)


# Printing


def test_a_caseworker_prints_any_sponsors_certificate_audited(casework, other_level1, caseworker):
    certificate = assigned_certificate(other_level1, number="C2G8H88871U")
    response = casework.get(url("print", certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="C2G8H88871U.pdf"'
    assert "Sponsor Other Sponsor Ltd" in pdf_text(response.content)
    event = audited(AuditVerb.CERTIFICATE_PRINTED)[0]
    assert (event.actor_id, event.sponsor_id) == (caseworker.pk, other_level1.sponsor_id)
