"""Finding CAS in the browser: the single box (CAS number, passport number or student ID, exact,
opening the CAS when one matches), the advanced search (names, nationality, status, course,
dates, batch, owner), paging, and who sees what. A CAS never appears in the CoS search, nor a
CoS in the CAS search."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sponsorship.certificates.models import Batch, CertificateKind, CertificateStatus
from sponsorship.certificates.search import (
    CertificateQuery,
    certificate_find,
    certificate_search,
    certificates_matching,
)
from sponsorship.certificates.tests.factories import (
    assigned_cas,
    assigned_certificate,
    complete_cas,
)
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.factories import SponsorFactory
from sponsorship.licences.tests.web.support import queries_for, text

LIST = "/cas/"
LONDON = ZoneInfo("Europe/London")
CAS = CertificateKind.CAS


@pytest.fixture
def sponsor(db):
    return SponsorFactory(name="Harbour View College", routes=[Route.SKILLED_WORKER, Route.STUDENT])


@pytest.fixture
def other_sponsor(db):
    return SponsorFactory(name="Other College", routes=[Route.STUDENT])


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def as_user(client, signed_in):
    def _as(user):
        client.logout()
        return signed_in(user)

    return _as


def numbers_on(response) -> list[str]:
    """The CAS numbers in the results table, in order."""
    return re.findall(r">(E[0-9A-Z]{13})</a>", response.content.decode())


def detail_url(certificate) -> str:
    return f"/cas/{certificate.pk}/"


def found(web, **filters) -> list[str]:
    response = web.get(LIST, filters)
    assert response.status_code == 200, text(response)[:500]
    return sorted(numbers_on(response))


# ---------------------------------------------------------------- the single box


@pytest.mark.parametrize("typed", ["E4K7M2P9Q3R8T6", " e4k7 m2p9 q3r8 t6 "])
def test_a_cas_number_opens_the_cas_whatever_the_case_and_spaces(web, level1, typed):
    wanted = assigned_cas(level1, number="E4K7M2P9Q3R8T6", passport_number="AA1")
    assigned_cas(level1, number="E4K7M2P9Q3R8T7", passport_number="AA2")
    response = web.get(LIST, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == detail_url(wanted)


@pytest.mark.parametrize("typed", ["EP7654321", "ep 765 4321"])
def test_a_passport_number_opens_the_cas_whatever_the_case_and_spaces(web, level1, typed):
    wanted = assigned_cas(level1, passport_number="EP7654321")
    assigned_cas(level1, passport_number="EP1234567")
    response = web.get(LIST, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == detail_url(wanted)


@pytest.mark.parametrize("typed", ["S2026-0099", "s2026-0099", " S2026 -0099 "])
def test_a_student_id_opens_the_cas_whatever_the_case_and_spaces(web, level1, typed):
    wanted = assigned_cas(level1, student_id="S2026-0099", passport_number="AA1")
    assigned_cas(level1, student_id="S2026-0098", passport_number="AA2")
    response = web.get(LIST, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == detail_url(wanted)


def test_a_student_id_stored_with_spaces_and_lower_case_is_found(web, level1):
    wanted = assigned_cas(level1, student_id="ab 12 cd")
    response = web.get(LIST, {"q": "AB12CD"})
    assert response["Location"] == detail_url(wanted)


def test_two_cas_for_one_student_are_both_listed(web, level1):
    first = assigned_cas(level1, number="E0000000000001", student_id="S1")
    second = assigned_cas(level1, number="E0000000000002", student_id="S1")
    assigned_cas(level1, number="E0000000000003", student_id="S2")
    response = web.get(LIST, {"q": "s1"})
    assert response.status_code == 200
    assert sorted(numbers_on(response)) == [first.number, second.number]
    assert "CAS found: 2" in text(response)


def test_the_keys_must_match_exactly(web, level1):
    assigned_cas(
        level1, number="E4K7M2P9Q3R8T6", passport_number="EP7654321", student_id="S2026-0042"
    )
    for partial in ("E4K7M2P9", "EP765", "S2026", "4K7M2P9Q3R8T6"):
        response = web.get(LIST, {"q": partial})
        assert response.status_code == 200
        assert numbers_on(response) == []
        assert (
            f"No CAS of yours has the CAS number, passport number or student ID {partial}."
            in text(response)
        )


def test_a_draft_found_by_student_id_opens_its_page(web, level1):
    draft = complete_cas(level1, student_id="D-1")
    response = web.get(LIST, {"q": "d-1"})
    assert response["Location"] == detail_url(draft)


def test_a_student_id_too_long_is_explained(web):
    response = web.get(LIST, {"q": "S" * 41})
    assert response.status_code == 400
    assert "A CAS number, passport number or student ID is 40 characters or fewer" in text(response)


# ---------------------------------------------------------------- the advanced search


@pytest.fixture
def students(level1, level2):
    """Four assigned CAS that differ in every detail the advanced search uses."""
    batch = Batch.objects.create(
        sponsor=level1.sponsor,
        name="September intake",
        owner=level1,
        created_by=level1,
        certificate_kind=CAS,
    )
    made = {
        "kowalczyk": assigned_cas(
            level1,
            number="E0000000000001",
            family_name="Kowalczyk",
            given_names="Łukasz",
            nationality="POL",
            date_of_birth=date(2003, 3, 14),
            course_title="MSc Marine Biology",
        ),
        "nguyen": assigned_cas(
            level1,
            number="E0000000000002",
            family_name="Nguyễn",
            given_names="Văn An",
            nationality="VNM",
            date_of_birth=date(2004, 7, 1),
            course_title="BSc Computer Science",
        ),
        "okafor": assigned_cas(
            level2,
            number="E0000000000003",
            family_name="Okafor",
            given_names="Chidi",
            nationality="NGA",
            date_of_birth=date(2002, 1, 2),
            course_title="MA Marine Policy",
        ),
        "silva": assigned_cas(
            level1,
            number="E0000000000004",
            family_name="Silva",
            given_names="Ana",
            nationality="BRA",
            date_of_birth=date(2003, 3, 14),
            course_title="BSc Computer Science",
        ),
    }
    made["silva"].batch = batch
    made["silva"].status = CertificateStatus.OBSOLETE
    made["silva"].save()
    for key, day in (("kowalczyk", 2), ("nguyen", 9), ("okafor", 16)):
        made[key].assigned_at = datetime(2026, 11, day, 23, 30, tzinfo=LONDON)
        made[key].save()
    made["batch"] = batch
    return made


def test_family_name_matches_from_its_start_in_any_case(web, students):
    assert found(web, family_name="KOWAL") == ["E0000000000001"]
    assert found(web, family_name="nguyễn") == ["E0000000000002"]
    assert found(web, family_name="walczyk") == []


def test_given_names_match_from_their_start(web, students):
    assert found(web, given_names="an") == ["E0000000000004"]
    assert found(web, given_names="văn") == ["E0000000000002"]


def test_nationality(web, students):
    assert found(web, nationality="VNM") == ["E0000000000002"]


def test_date_of_birth(web, students):
    filters = {"date_of_birth_day": "14", "date_of_birth_month": "3", "date_of_birth_year": "2003"}
    assert found(web, **filters) == ["E0000000000001", "E0000000000004"]


def test_status_including_obsolete(web, students):
    assert found(web, status="OBSOLETE") == ["E0000000000004"]
    assert found(web, status="ASSIGNED") == ["E0000000000001", "E0000000000002", "E0000000000003"]
    assert found(web, status="USED") == []


def test_course_matches_any_part_of_its_title_in_any_case(web, students):
    assert found(web, course="marine") == ["E0000000000001", "E0000000000003"]
    assert found(web, course="COMPUTER  science") == ["E0000000000002", "E0000000000004"]
    assert found(web, course="physics") == []


def test_assigned_dates_include_both_days_in_uk_time(web, students):
    since_9th = {
        "assigned_from_day": "9",
        "assigned_from_month": "11",
        "assigned_from_year": "2026",
    }
    until_9th = {"assigned_to_day": "9", "assigned_to_month": "11", "assigned_to_year": "2026"}
    assert found(web, **since_9th) == ["E0000000000002", "E0000000000003", "E0000000000004"]
    assert found(web, **until_9th) == ["E0000000000001", "E0000000000002"]
    assert found(web, **since_9th, **until_9th) == ["E0000000000002"]


def test_batch_and_owner(web, students, level2):
    assert found(web, batch=str(students["batch"].pk)) == ["E0000000000004"]
    assert found(web, owner=str(level2.pk)) == ["E0000000000003"]


def test_filters_combine(web, students):
    assert found(web, course="marine", nationality="NGA") == ["E0000000000003"]


def test_no_match_says_so(web, students):
    assert "No CAS match your search" in text(web.get(LIST, {"course": "Zoology"}))


def test_a_cos_batch_is_not_a_choice(web, students, level1):
    cos_batch = Batch.objects.create(
        sponsor=level1.sponsor, name="Workers", owner=level1, created_by=level1
    )
    response = web.get(LIST, {"batch": str(cos_batch.pk)})
    assert response.status_code == 400
    assert "Select one of your batches from the list" in text(response)


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"status": "LOST"}, "Select a status from the list"),
        ({"course": "x" * 201}, "The course must be 200 characters or fewer"),
        ({"date_of_birth_year": "03"}, "The date of birth must include a day and month"),
        ({"owner": "me"}, "Select one of your organisation's users from the list"),
    ],
)
def test_nonsense_in_the_address_is_explained_never_a_crash(web, students, filters, message):
    response = web.get(LIST, filters)
    assert response.status_code == 400
    assert message in text(response)
    assert numbers_on(response) == []


def test_the_results_show_what_the_list_promises(web, students, level1):
    draft = complete_cas(level1, family_name="Tran", given_names="Mai", student_id="D-7")
    response = web.get(LIST)
    page = text(response)
    assert "All your CAS: 5" in page
    assert "Łukasz Kowalczyk S2026-0042 MSc Marine Biology Assigned" in page
    assert "Obsolete" in page
    assert "Mai Tran D-7" in page
    body = response.content.decode()
    assert f'href="{detail_url(students["okafor"])}">E0000000000003</a>' in body
    # A draft has no number yet; it links to where it is worked on.
    assert re.search(rf'href="/cas/{draft.pk}/[^"]*">Draft', body)
    assert 'href="/cas/export.csv"' in body


# ---------------------------------------------------------------- who sees what


def test_level2_finds_only_their_own(as_user, students, level2):
    client = as_user(level2)
    assert found(client) == ["E0000000000003"]
    response = client.get(LIST, {"q": "E0000000000001"})
    assert response.status_code == 200
    assert "No CAS of yours has" in text(response)
    assert 'name="owner"' not in client.get(LIST).content.decode()


def test_another_sponsors_cas_never_appear(web, level1, other_level1):
    theirs = assigned_cas(
        other_level1, number="E9999999999999", passport_number="ZZ1", student_id="THEIRS-1"
    )
    assigned_cas(level1, number="E0000000000001")
    assert found(web) == ["E0000000000001"]
    for box in (theirs.number, theirs.passport_number, "THEIRS-1"):
        response = web.get(LIST, {"q": box})
        assert response.status_code == 200
        assert numbers_on(response) == []


def test_a_suspended_licence_cannot_search(signed_in, level1, sponsor):
    assigned_cas(level1)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    client = signed_in(level1)
    response = client.get(LIST)
    assert response.status_code == 409
    assert "Not available while your licence is suspended." in text(response)
    assert client.get(LIST, {"q": "S2026-0042"}).status_code == 409


def test_a_caseworker_is_refused(signed_in, caseworker):
    assert signed_in(caseworker).get(LIST).status_code == 403


# ---------------------------------------------------------------- CoS and CAS stay apart


def test_a_cas_never_appears_in_the_cos_search_nor_a_cos_in_the_cas_search(web, level1):
    cas = assigned_cas(level1, number="E0000000000001", passport_number="EP1234567")
    cos = assigned_certificate(level1, number="C0000000001", passport_number="EP1234567")
    cos_page = web.get("/certificates/")
    assert "E0000000000001" not in cos_page.content.decode()
    assert "C0000000001" in cos_page.content.decode()
    assert web.get("/certificates/", {"q": "EP1234567"})["Location"] == (f"/certificates/{cos.pk}/")
    response = web.get("/certificates/", {"q": "E0000000000001"})
    assert "No certificate of yours has" in text(response)
    assert "E0000000000001" not in text(web.get("/certificates/", {"family_name": "kow"}))

    cas_page = web.get(LIST)
    assert numbers_on(cas_page) == ["E0000000000001"]
    assert "C0000000001" not in cas_page.content.decode()
    assert web.get(LIST, {"q": "EP1234567"})["Location"] == detail_url(cas)
    assert "No CAS of yours has" in text(web.get(LIST, {"q": "C0000000001"}))


def test_the_selectors_keep_the_kinds_apart(level1):
    cas = assigned_cas(level1, passport_number="EP1")
    cos = assigned_certificate(level1, passport_number="EP1")
    assert list(certificate_search(user=level1, passport="EP1")) == [cos]
    assert list(certificate_search(user=level1, passport="EP1", kind=CAS)) == [cas]
    assert list(certificate_find(user=level1, text="ep1")) == [cos]
    assert list(certificate_find(user=level1, text="ep1", kind=CAS)) == [cas]
    assert list(certificate_find(user=level1, text=cas.number)) == []
    # The student ID is a CAS's key only.
    assert list(certificate_find(user=level1, text="S2026-0042")) == []
    query = CertificateQuery(student_id=" s2026-0042", course="marine")
    assert list(certificates_matching(user=level1, query=query, kind=CAS)) == [cas]
    assert list(certificates_matching(user=level1, query=query)) == []


# ---------------------------------------------------------------- pages


def test_results_come_page_by_page_keeping_the_search(web, level1):
    for _ in range(30):
        assigned_cas(level1)
    first = web.get(LIST, {"course": "marine"})
    assert len(numbers_on(first)) == 25
    page = text(first)
    assert "CAS found: 30" in page
    assert "Page 1 of 2" in page
    assert "course=marine&amp;page=2" in first.content.decode()
    second = web.get(LIST, {"course": "marine", "page": "2"})
    assert len(numbers_on(second)) == 5
    assert not set(numbers_on(first)) & set(numbers_on(second))


def test_the_number_of_queries_does_not_grow_with_the_rows(web, level1, level2):
    for owner in (level1, level1, level2):
        assigned_cas(owner)
    three = queries_for(web, LIST)
    for n in range(27):
        assigned_cas(level2 if n % 3 else level1)
    thirty = queries_for(web, LIST)
    assert three == thirty
