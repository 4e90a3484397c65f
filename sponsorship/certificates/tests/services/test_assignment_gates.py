"""What the licence allows before any certificate is assigned: an active licence, a rating that
allows it (B: extensions only; provisional: one certificate), and a defined certificate for
Skilled Workers coming to the UK (DOMAIN.md "Licence", "Certificate of Sponsorship")."""

import pytest

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateStatus, CosCategory
from sponsorship.certificates.services import certificate_assign
from sponsorship.certificates.tests.factories import complete_draft
from sponsorship.core.errors import Conflict, NotReady
from sponsorship.licences.models import Allocation, LicenceStatus, Rating, Route
from sponsorship.licences.services import licence_status_change
from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory
from sponsorship.licences.tests.web.support import make_provisional, rate

B_RATED = (
    "Your Skilled Worker rating is B: you can only assign certificates to extend the stay of "
    "workers you already sponsor, until your rating is A again."
)
DEFINED_NEEDED = (
    "Skilled Worker applicants coming to the UK need a defined certificate. Apply for one under "
    "Defined certificates, or choose another category."
)
PROVISIONAL_USED = (
    "Your provisionally rated licence allows one certificate, for the Authorising Officer, and "
    "it has been assigned."
)


def assign(certificate):
    return certificate_assign(
        actor=certificate.owner, certificate=certificate, version=certificate.version, ip=None
    )


def stored(certificate) -> Certificate:
    return Certificate.objects.select_related("sponsor", "cos", "owner").get(pk=certificate.pk)


def used(allocation) -> int:
    return Allocation.objects.values_list("used", flat=True).get(pk=allocation.pk)


def assert_still_a_draft(certificate):
    saved = stored(certificate)
    assert (saved.status, saved.number, saved.version) == (CertificateStatus.DRAFT, None, 1)
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_ASSIGNED).exists()


# The licence status.


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (
            LicenceStatus.SUSPENDED,
            "licence_suspended",
            "Not available while your licence is suspended.",
        ),
        (LicenceStatus.DORMANT, "licence_dormant", "Not available while your licence is dormant."),
    ],
)
def test_a_suspended_or_dormant_licence_cannot_assign(
    sponsor, level1, caseworker, allocation, status, code, message
):
    certificate = complete_draft(level1)
    licence_status_change(
        caseworker=caseworker,
        sponsor_id=sponsor.pk,
        status=status,
        reasons="Compliance visit findings.",
        ip=None,
    )

    with pytest.raises(Conflict) as refused:
        assign(stored(certificate))

    assert (refused.value.code, refused.value.message) == (code, message)
    assert refused.value.http_status == 409
    assert_still_a_draft(certificate)
    assert used(allocation) == 0


def test_once_reinstated_the_licence_can_assign_again(sponsor, level1, caseworker, allocation):
    certificate = complete_draft(level1)
    for status in (LicenceStatus.SUSPENDED, LicenceStatus.ACTIVE):
        licence_status_change(
            caseworker=caseworker, sponsor_id=sponsor.pk, status=status, reasons="Visit.", ip=None
        )

    assign(stored(certificate))

    assert stored(certificate).status == CertificateStatus.ASSIGNED
    assert used(allocation) == 1


def test_a_licence_status_refusal_comes_before_any_other(sponsor, level1, caseworker, allocation):
    # Even an incomplete draft is refused for the licence first: nothing can be done until then.
    certificate = complete_draft(level1, sex="")
    licence_status_change(
        caseworker=caseworker,
        sponsor_id=sponsor.pk,
        status=LicenceStatus.SUSPENDED,
        reasons="Visit.",
        ip=None,
    )
    with pytest.raises(Conflict) as refused:
        assign(stored(certificate))
    assert refused.value.code == "licence_suspended"


# Ratings.


@pytest.mark.parametrize(
    "category",
    [CosCategory.CHANGE_OF_JOB, CosCategory.CHANGE_OF_EMPLOYMENT, CosCategory.SWITCHING],
)
def test_a_b_rated_route_refuses_certificates_for_new_workers(
    sponsor, level1, allocation, category
):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    certificate = complete_draft(level1, category=category)

    with pytest.raises(NotReady) as refused:
        assign(certificate)

    assert refused.value.errors == [("category", B_RATED)]
    assert_still_a_draft(certificate)
    assert used(allocation) == 0


def test_a_b_rated_route_still_assigns_extensions(sponsor, level1, allocation):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    certificate = complete_draft(level1, category=CosCategory.EXTENSION)

    assign(certificate)

    assert stored(certificate).status == CertificateStatus.ASSIGNED
    assert used(allocation) == 1


def test_a_b_rated_skilled_worker_coming_to_the_uk_is_told_both_reasons(
    sponsor, level1, allocation
):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    certificate = complete_draft(level1, category=CosCategory.ENTRY_CLEARANCE)
    with pytest.raises(NotReady) as refused:
        assign(certificate)
    assert refused.value.errors == [("category", DEFINED_NEEDED), ("category", B_RATED)]


def test_the_refusal_message_ends_with_a_single_full_stop(sponsor, level1, allocation):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    certificate = complete_draft(level1, category=CosCategory.CHANGE_OF_JOB)
    with pytest.raises(NotReady) as refused:
        assign(certificate)
    assert refused.value.message == f"This certificate cannot be assigned yet. {B_RATED}"


# Skilled Workers coming to the UK.


def test_a_skilled_worker_coming_to_the_uk_needs_a_defined_certificate(level1, allocation):
    certificate = complete_draft(level1, category=CosCategory.ENTRY_CLEARANCE)

    with pytest.raises(NotReady) as refused:
        assign(certificate)

    assert refused.value.errors == [("category", DEFINED_NEEDED)]
    assert_still_a_draft(certificate)
    assert used(allocation) == 0


def test_other_routes_may_assign_for_workers_coming_to_the_uk(db):
    creative = SponsorFactory(routes=[Route.CREATIVE_WORKER])
    user = Level1Factory(sponsor=creative)
    AllocationFactory(sponsor=creative, route=Route.CREATIVE_WORKER, limit=1)
    certificate = complete_draft(
        user, route=Route.CREATIVE_WORKER, category=CosCategory.ENTRY_CLEARANCE
    )

    assign(certificate)

    assert stored(certificate).status == CertificateStatus.ASSIGNED


# Routes.


def test_a_route_the_licence_no_longer_holds_cannot_assign(level1, allocation):
    # Saved while the route was held (made directly here), assigned after it was removed.
    certificate = complete_draft(level1, route=Route.SCALE_UP)
    with pytest.raises(NotReady) as refused:
        assign(certificate)
    assert refused.value.errors == [("route", "Your licence does not include the Scale-up route.")]
    assert_still_a_draft(certificate)


# A provisional rating: one certificate, for the Authorising Officer.


def test_a_provisional_route_allows_one_certificate_and_no_second(sponsor, level1):
    make_provisional(sponsor)
    units = AllocationFactory(sponsor=sponsor, route=Route.GBM_UK_EXPANSION, limit=2)
    first = complete_draft(level1, route=Route.GBM_UK_EXPANSION)
    second = complete_draft(level1, route=Route.GBM_UK_EXPANSION, family_name="Nowak")

    assign(first)
    saved = stored(first)
    assert (saved.status, saved.fee_pence, saved.skills_charge_pence) == (
        CertificateStatus.ASSIGNED,
        52_500,
        0,  # no Immigration Skills Charge on this route
    )

    with pytest.raises(NotReady) as refused:
        assign(second)

    assert refused.value.errors == [("route", PROVISIONAL_USED)]
    saved = stored(second)
    assert (saved.status, saved.number) == (CertificateStatus.DRAFT, None)
    assert used(units) == 1


def test_a_provisional_rating_does_not_limit_the_other_routes(sponsor, level1, allocation):
    make_provisional(sponsor)
    AllocationFactory(sponsor=sponsor, route=Route.GBM_UK_EXPANSION, limit=2)
    assign(complete_draft(level1, route=Route.GBM_UK_EXPANSION))

    skilled = complete_draft(level1)
    other = complete_draft(level1, family_name="Nowak")
    assign(skilled)
    assign(other)

    assert used(allocation) == 2
