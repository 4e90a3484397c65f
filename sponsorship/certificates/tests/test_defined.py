"""Defined certificates of sponsorship: applying, the Home Office's decision (grant, refuse,
reject), certificates under a grant, the 3-month lapse, and the gates, in services, pages and
the API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sponsorship.certificates.defined import (
    DefinedJob,
    certificate_create_from_defined,
    defined_cos_apply,
    defined_denial,
)
from sponsorship.certificates.models import CertificateStatus, CosCategory
from sponsorship.certificates.services import certificate_assign, certificate_update
from sponsorship.certificates.tests.factories import COMPLETE_CORE
from sponsorship.core.errors import ApplicationError, Conflict, NotFound, NotPermitted, NotReady
from sponsorship.licences.models import (
    Allocation,
    LicenceStatus,
    Rating,
    RequestKind,
    RequestStatus,
    Route,
)
from sponsorship.licences.services import request_decide
from sponsorship.licences.tests.api.support import Api, token_for
from sponsorship.licences.tests.web.support import field_error, rate, text

TODAY = date(2026, 11, 16)
JOB = DefinedJob(
    job_title="Structural engineer",
    soc_code="2121",
    salary="52000",
    weekly_hours="37.5",
    start_date=date(2027, 1, 11),
)


def apply(actor, number=2, job=JOB):
    return defined_cos_apply(
        actor=actor, job=job, number=number, justification="No UK applicants.", ip=None
    )


def decide(caseworker, application, outcome, reasons=""):
    return request_decide(
        caseworker=caseworker,
        request_id=application.pk,
        outcome=outcome,
        reasons=reasons,
        ip=None,
    )


def complete(certificate, actor):
    """Fill in the worker's details around the job the grant brought."""
    values = {k: v for k, v in COMPLETE_CORE.items() if k != "family_name"}
    values.update(
        end_date=date(2029, 12, 31),
        work_address_line_1="1 High Street",
        work_town="London",
        work_postcode="SW1A 1AA",
        work_nation="ENG",
        job_description="Designs steel and concrete structures.",
        salary_option="A",
        eligible_occupation_confirmed=True,
        maintenance_certified=True,
        skills_charge="LIABLE",
        paye_reason="New payroll starting in January.",
    )
    return certificate_update(
        actor=actor, certificate=certificate, version=certificate.version, values=values, ip=None
    )


# ---------------------------------------------------------------- applying


@pytest.mark.django_db
def test_an_application_gets_a_dcs_number_and_waits_in_the_defined_queue(level1):
    application = apply(level1)
    assert application.kind == RequestKind.DEFINED_COS
    assert application.reference.startswith("DCS") and len(application.reference) == 11
    assert application.reference[3:].isdigit()
    assert application.queue.value == "defined"
    assert application.details["soc_code"] == "2121"
    assert application.number_requested == 2


@pytest.mark.django_db
def test_every_problem_with_an_application_is_named_at_once(level1):
    bad = DefinedJob(
        job_title=" ", soc_code="21", salary="52,000", weekly_hours="x", start_date=None
    )
    with pytest.raises(ApplicationError) as refused:
        defined_cos_apply(actor=level1, job=bad, number=0, justification="", ip=None)
    fields = dict(refused.value.errors)
    assert set(fields) == {
        "job_title",
        "soc_code",
        "salary",
        "weekly_hours",
        "start_date",
        "number",
        "justification",
    }
    assert "like 35000 or 35000.99" in fields["salary"]


@pytest.mark.django_db
def test_level_2_users_cannot_apply(level2):
    with pytest.raises(NotPermitted):
        apply(level2)


@pytest.mark.django_db
def test_a_b_rated_or_suspended_licence_cannot_apply(level1, sponsor):
    rate(sponsor, Route.SKILLED_WORKER, Rating.B)
    with pytest.raises(Conflict) as refused:
        apply(level1)
    assert refused.value.code == "licence_b_rated"
    rate(sponsor, Route.SKILLED_WORKER, Rating.A)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    with pytest.raises(Conflict) as refused:
        apply(level1)
    assert refused.value.code == "licence_suspended"


# ---------------------------------------------------------------- decisions


@pytest.mark.django_db
def test_only_defined_applications_can_be_rejected(level1, caseworker):
    application = apply(level1)
    decided = decide(caseworker, application, RequestStatus.REJECTED, "Not a valid job offer.")
    assert decided.status == RequestStatus.REJECTED
    assert defined_denial(decided, TODAY) == (
        f"{decided.reference} is rejected: only a granted defined certificate can be assigned."
    )


@pytest.mark.django_db
def test_refused_and_pending_applications_allow_no_certificate(level1, caseworker):
    application = apply(level1)
    with pytest.raises(Conflict):
        certificate_create_from_defined(
            actor=level1, request=application, family_name="Silva", ip=None
        )
    refused = decide(caseworker, application, RequestStatus.REFUSED, "Salary too low.")
    with pytest.raises(Conflict):
        certificate_create_from_defined(actor=level1, request=refused, family_name="Silva", ip=None)


# ---------------------------------------------------------------- certificates under a grant


@pytest.mark.django_db
def test_a_grant_allows_as_many_certificates_as_granted_without_the_allocation(
    level1, caseworker, sponsor, allocation
):
    application = decide(caseworker, apply(level1, number=1), RequestStatus.GRANTED)
    draft = certificate_create_from_defined(
        actor=level1, request=application, family_name="Silva", ip=None
    )
    assert draft.cos.category == CosCategory.ENTRY_CLEARANCE
    assert (draft.cos.soc_code, draft.cos.salary_amount) == ("2121", Decimal("52000"))
    assert draft.cos.start_date == date(2027, 1, 11)
    draft = complete(draft, level1)
    assigned = certificate_assign(actor=level1, certificate=draft, version=draft.version, ip=None)
    assert assigned.status == CertificateStatus.ASSIGNED
    assert assigned.allocation is None
    assert Allocation.objects.get(pk=allocation.pk).used == 0
    # The one granted certificate is used: no second.
    with pytest.raises(Conflict) as refused:
        certificate_create_from_defined(
            actor=level1, request=application, family_name="Costa", ip=None
        )
    assert "All 1 certificates granted under" in refused.value.message


@pytest.mark.django_db
def test_the_job_must_stay_the_one_granted(level1, caseworker):
    application = decide(caseworker, apply(level1), RequestStatus.GRANTED)
    draft = complete(
        certificate_create_from_defined(
            actor=level1, request=application, family_name="Silva", ip=None
        ),
        level1,
    )
    draft = certificate_update(
        actor=level1,
        certificate=draft,
        version=draft.version,
        values={"soc_code": "2134", "salary_amount": Decimal("50000")},
        ip=None,
    )
    with pytest.raises(NotReady) as refused:
        certificate_assign(actor=level1, certificate=draft, version=draft.version, ip=None)
    fields = dict(refused.value.errors)
    assert fields["soc_code"].startswith("The occupation code must be 2121")
    assert fields["salary_amount"].startswith("The salary must be at least £52,000.00 a year")


@pytest.mark.django_db
def test_a_grant_lapses_three_months_after_it_was_made(level1, caseworker, frozen):
    application = decide(caseworker, apply(level1), RequestStatus.GRANTED)
    frozen.move_to(TODAY + timedelta(days=93))  # 17 February 2027, after 16 February
    with pytest.raises(Conflict) as refused:
        certificate_create_from_defined(
            actor=level1, request=application, family_name="Silva", ip=None
        )
    assert "lapsed on 16 February 2027" in refused.value.message


@pytest.mark.django_db
def test_skilled_worker_entry_clearance_without_a_grant_is_refused(level1, allocation):
    from sponsorship.certificates.tests.factories import complete_draft

    draft = complete_draft(level1, category=CosCategory.ENTRY_CLEARANCE)
    with pytest.raises(NotReady) as refused:
        certificate_assign(actor=level1, certificate=draft, version=draft.version, ip=None)
    assert "need a defined certificate" in dict(refused.value.errors)["category"]


@pytest.mark.django_db
def test_another_sponsors_application_is_not_found(level1, other_level1, caseworker):
    from sponsorship.certificates.defined import defined_get_for_user

    application = decide(caseworker, apply(other_level1), RequestStatus.GRANTED)
    with pytest.raises(NotFound):
        defined_get_for_user(user=level1, request_id=application.pk)


# ---------------------------------------------------------------- pages


@pytest.mark.django_db
def test_applying_on_the_page_and_starting_a_certificate(signed_in, level1, caseworker):
    client = signed_in(level1)
    response = client.post(
        "/defined-certificates/apply/",
        {
            "job_title": "Structural engineer",
            "soc_code": "2121",
            "salary": "52000",
            "weekly_hours": "37.5",
            "start_date_day": "11",
            "start_date_month": "1",
            "start_date_year": "2027",
            "number": "2",
            "justification": "No UK applicants.",
        },
    )
    assert response.status_code == 302
    application = level1.sponsor.requests.get(kind=RequestKind.DEFINED_COS)
    page = client.get(response["Location"])
    assert application.reference in text(page)
    assert "Start the certificate" not in text(page)  # not granted yet
    decide(caseworker, application, RequestStatus.GRANTED)
    listing = text(client.get("/defined-certificates/"))
    assert "0 of 2 assigned; assign by 16 February 2027" in listing
    started = client.post(f"/defined-certificates/{application.pk}/", {"family_name": "Silva"})
    assert started.status_code == 302
    assert started["Location"].startswith("/certificates/")


@pytest.mark.django_db
def test_the_application_page_names_each_wrong_field(signed_in, level1):
    response = signed_in(level1).post("/defined-certificates/apply/", {"salary": "£52,000"})
    assert response.status_code == 400
    assert "with no commas or pound sign" in field_error(response, "salary")
    assert "Enter the date the job starts" in text(response)
    assert (
        field_error(response, "job_title") == "Error: Enter the job title, in up to 200 characters"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/defined-certificates/", "/defined-certificates/apply/"])
def test_level_2_users_do_not_see_defined_certificates(signed_in, level2, path):
    assert signed_in(level2).get(path).status_code == 403


@pytest.mark.django_db
def test_another_sponsors_application_page_is_not_found(signed_in, level1, other_level1):
    application = apply(other_level1)
    assert signed_in(level1).get(f"/defined-certificates/{application.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_suspended_licence_gets_409_on_the_pages(signed_in, level1, sponsor):
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert signed_in(level1).get("/defined-certificates/").status_code == 409


# ---------------------------------------------------------------- API


@pytest.fixture
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limit")
def test_the_api_applies_shows_the_grant_and_starts_a_certificate(level1, caseworker):
    api = Api(token_for(level1))
    created = api.post(
        "/api/v1/defined-certificates",
        {
            "job_title": "Structural engineer",
            "soc_code": "2121",
            "salary": "52000",
            "weekly_hours": "37.5",
            "start_date": "2027-01-11",
            "number": 2,
            "justification": "No UK applicants.",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"].startswith("DCS") and body["grant"] is None
    application = level1.sponsor.requests.get(pk=body["id"])
    decide(caseworker, application, RequestStatus.GRANTED)
    shown = api.get(f"/api/v1/defined-certificates/{body['id']}").json()
    assert shown["grant"] == {
        "granted": 2,
        "assigned": 0,
        "remaining": 2,
        "assign_by": "2027-02-16",
        "lapsed": False,
    }
    draft = api.post(
        f"/api/v1/defined-certificates/{body['id']}/certificates", {"family_name": "Silva"}
    )
    assert draft.status_code == 201
    assert draft.json()["status"] == "DRAFT"


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limit")
def test_the_api_refuses_level_2_other_sponsors_and_suspended_licences(
    level1, level2, other_level1, sponsor
):
    other = apply(other_level1)
    assert Api(token_for(level2)).get("/api/v1/defined-certificates").status_code == 403
    assert Api(token_for(level1)).get(f"/api/v1/defined-certificates/{other.pk}").status_code == 404
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    refused = Api(token_for(level1)).get("/api/v1/defined-certificates")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "licence_suspended"


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limit")
def test_the_casework_api_can_reject_a_defined_application(level1, caseworker):
    application = apply(level1)
    answer = Api(token_for(caseworker)).post(
        f"/api/v1/casework/requests/{application.pk}/decision",
        {
            "outcome": "REJECTED",
            "reasons": "Not a genuine vacancy.",
            "version": application.version,
        },
    )
    assert answer.status_code == 200, answer.json()
    application.refresh_from_db()
    assert application.status == RequestStatus.REJECTED


@pytest.mark.django_db
def test_the_list_page_costs_the_same_queries_for_3_and_30_applications(
    signed_in, level1, caseworker
):
    from sponsorship.licences.tests.web.support import queries_for

    client = signed_in(level1)

    def applications(count):
        for _ in range(count):
            decide(caseworker, apply(level1), RequestStatus.GRANTED)

    applications(3)
    few = queries_for(client, "/defined-certificates/")
    applications(27)
    assert queries_for(client, "/defined-certificates/?page=1") == few
