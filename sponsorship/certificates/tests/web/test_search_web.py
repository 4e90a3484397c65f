"""Finding certificates in the browser: the single box (certificate or passport number, exact,
opens the certificate when one matches), the advanced search, paging, and who sees what."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.certificates.models import Batch, CertificateStatus
from sponsorship.certificates.search import certificate_find, certificate_search
from sponsorship.certificates.tests.factories import assigned_certificate, complete_draft
from sponsorship.licences.models import LicenceStatus
from sponsorship.licences.tests.web.support import queries_for, text

LIST = "/certificates/"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def as_user(client, signed_in):
    """Sign the test client in as someone else."""

    def _as(user):
        client.logout()
        return signed_in(user)

    return _as


def numbers_on(response) -> list[str]:
    """The certificate numbers in the results table, in order."""
    return re.findall(r">(C[0-9A-Z]{10})</a>", response.content.decode())


def detail_url(certificate) -> str:
    return f"/certificates/{certificate.pk}/"


# ---------------------------------------------------------------- the single box


def test_a_certificate_number_opens_the_certificate_whatever_the_case_and_spaces(web, level1):
    wanted = assigned_certificate(level1, number="C2G8H88871U")
    assigned_certificate(level1, number="C2G8H88871V")
    response = web.get(LIST, {"q": " c2g8 h888 71u "})
    assert response.status_code == 302
    assert response["Location"] == detail_url(wanted)


def test_a_passport_number_opens_the_certificate_whatever_the_case_and_spaces(web, level1):
    wanted = assigned_certificate(level1, passport_number="EP7654321")
    assigned_certificate(level1, passport_number="EP1234567")
    response = web.get(LIST, {"q": "ep 765 4321"})
    assert response.status_code == 302
    assert response["Location"] == detail_url(wanted)


def test_a_passport_on_two_certificates_lists_both(web, level1):
    first = assigned_certificate(level1, number="C1111111111", passport_number="EP7654321")
    second = assigned_certificate(level1, number="C2222222222", passport_number="EP7654321")
    assigned_certificate(level1, number="C3333333333", passport_number="EP0000001")
    response = web.get(LIST, {"q": "EP7654321"})
    assert response.status_code == 200
    assert sorted(numbers_on(response)) == [first.number, second.number]
    assert "Certificates found: 2" in text(response)


def test_the_numbers_must_match_exactly(web, level1):
    assigned_certificate(level1, number="C2G8H88871U", passport_number="EP7654321")
    for partial in ("C2G8H888", "EP765", "2G8H88871U"):
        response = web.get(LIST, {"q": partial})
        assert response.status_code == 200
        assert numbers_on(response) == []
        assert (
            f"No certificate of yours has the certificate number or passport number {partial}"
            in text(response)
        )


def test_a_draft_found_by_passport_opens_its_page(web, level1):
    draft = complete_draft(level1, passport_number="XY9999999")
    response = web.get(LIST, {"q": "xy9999999"})
    assert response["Location"] == detail_url(draft)


# ---------------------------------------------------------------- the advanced search


@pytest.fixture
def people(level1, level2):
    """Four assigned certificates that differ in every detail the advanced search uses."""
    batch = Batch.objects.create(
        sponsor=level1.sponsor, name="January intake", owner=level1, created_by=level1
    )
    made = {
        "kowalczyk": assigned_certificate(
            level1,
            number="C0000000001",
            family_name="Kowalczyk",
            given_names="Łukasz",
            nationality="POL",
            date_of_birth=date(1991, 3, 14),
        ),
        "kowalski": assigned_certificate(
            level1,
            number="C0000000002",
            family_name="kowalski",
            given_names="Anna",
            nationality="POL",
            date_of_birth=date(1988, 7, 1),
        ),
        "okafor": assigned_certificate(
            level2,
            number="C0000000003",
            family_name="Okafor",
            given_names="Chidi",
            nationality="NGA",
            date_of_birth=date(1995, 1, 2),
        ),
        "silva": assigned_certificate(
            level1,
            number="C0000000004",
            family_name="Silva",
            given_names="Ana",
            nationality="BRA",
            date_of_birth=date(1991, 3, 14),
        ),
    }
    made["silva"].batch = batch
    made["silva"].status = CertificateStatus.USED
    made["silva"].save()
    # Assigned on three different days, late in the evening in London.
    for key, day in (("kowalczyk", 2), ("kowalski", 9), ("okafor", 16)):
        made[key].assigned_at = datetime(2026, 11, day, 23, 30, tzinfo=LONDON)
        made[key].save()
    made["batch"] = batch
    return made


def found(web, **filters) -> list[str]:
    response = web.get(LIST, filters)
    assert response.status_code == 200, text(response)[:500]
    return sorted(numbers_on(response))


def test_family_name_matches_from_its_start_in_any_case(web, people):
    assert found(web, family_name="KOWAL") == ["C0000000001", "C0000000002"]
    assert found(web, family_name="kowalc") == ["C0000000001"]
    # Not in the middle of the name.
    assert found(web, family_name="walczyk") == []


def test_given_names_match_from_their_start(web, people):
    assert found(web, given_names="an") == ["C0000000002", "C0000000004"]
    assert found(web, given_names="łuk") == ["C0000000001"]


def test_nationality(web, people):
    assert found(web, nationality="POL") == ["C0000000001", "C0000000002"]
    assert found(web, nationality="NGA") == ["C0000000003"]


def test_date_of_birth(web, people):
    filters = {"date_of_birth_day": "14", "date_of_birth_month": "3", "date_of_birth_year": "1991"}
    assert found(web, **filters) == ["C0000000001", "C0000000004"]


def test_status(web, people):
    assert found(web, status="USED") == ["C0000000004"]
    assert found(web, status="WITHDRAWN") == []


def test_assigned_dates_include_both_days_in_uk_time(web, people):
    since_9th = {
        "assigned_from_day": "9",
        "assigned_from_month": "11",
        "assigned_from_year": "2026",
    }
    until_9th = {"assigned_to_day": "9", "assigned_to_month": "11", "assigned_to_year": "2026"}
    # Silva was assigned on 16 November (the frozen date).
    assert found(web, **since_9th) == ["C0000000002", "C0000000003", "C0000000004"]
    assert found(web, **until_9th) == ["C0000000001", "C0000000002"]
    assert found(web, **since_9th, **until_9th) == ["C0000000002"]


def test_batch(web, people):
    assert found(web, batch=str(people["batch"].pk)) == ["C0000000004"]


def test_owner(web, people, level2):
    assert found(web, owner=str(level2.pk)) == ["C0000000003"]


def test_filters_combine(web, people):
    assert found(web, family_name="kow", given_names="ann", nationality="POL") == ["C0000000002"]


def test_no_match_says_so(web, people):
    response = web.get(LIST, {"family_name": "Zed"})
    assert "No certificates match your search" in text(response)


def test_a_wrong_date_is_explained_and_nothing_is_listed(web, people):
    response = web.get(
        LIST, {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "1991"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "The date of birth must be a real date" in page
    assert 'href="#id_date_of_birth_day"' in response.content.decode()
    assert numbers_on(response) == []


def test_assigned_dates_the_wrong_way_round_are_refused(web, people):
    response = web.get(
        LIST,
        {
            "assigned_from_day": "10",
            "assigned_from_month": "11",
            "assigned_from_year": "2026",
            "assigned_to_day": "1",
            "assigned_to_month": "11",
            "assigned_to_year": "2026",
        },
    )
    assert response.status_code == 400
    assert "The date assigned to must be the same as or after the date assigned from" in text(
        response
    )


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"q": "C" * 31}, "A certificate or passport number is 30 characters or fewer"),
        ({"status": "LOST"}, "Select a status from the list"),
        ({"nationality": "XYZ"}, "Select a nationality from the list"),
        ({"batch": "first"}, "Select one of your batches from the list"),
        ({"owner": "me"}, "Select one of your organisation's users from the list"),
        ({"date_of_birth_year": "91"}, "The date of birth must include a day and month"),
    ],
)
def test_nonsense_in_the_address_is_explained_never_a_crash(web, people, filters, message):
    response = web.get(LIST, filters)
    assert response.status_code == 400
    assert message in text(response)


def test_a_page_number_out_of_range_gives_the_nearest_page(web, people):
    for page in ("99", "abc"):
        response = web.get(LIST, {"page": page})
        assert response.status_code == 200
        assert len(numbers_on(response)) == 4


def test_another_sponsors_batch_or_user_is_not_a_choice(web, people, other_level1):
    theirs = Batch.objects.create(
        sponsor=other_level1.sponsor, name="Theirs", owner=other_level1, created_by=other_level1
    )
    response = web.get(LIST, {"batch": str(theirs.pk)})
    assert response.status_code == 400
    assert "Select one of your batches from the list" in text(response)
    response = web.get(LIST, {"owner": str(other_level1.pk)})
    assert response.status_code == 400
    assert "Select one of your organisation's users from the list" in text(response)


def test_the_results_show_what_the_list_promises(web, people, level1):
    draft = complete_draft(level1, family_name="Nowak", given_names="Ewa")
    response = web.get(LIST)
    page = text(response)
    assert "Łukasz Kowalczyk" in page
    assert "EP1234567" in page
    assert "Skilled Worker" in page
    assert "Assigned" in page and "Used" in page
    use_by = people["kowalczyk"].use_by
    assert f"{use_by.day} {use_by:%b %Y}" in page
    assert "Zoë Hartley" in page and "Priya Raman" in page
    assert "Ewa Nowak" in page
    body = response.content.decode()
    assert f'href="{detail_url(people["okafor"])}">C0000000003</a>' in body
    # A draft has no number yet; it links to where it is worked on.
    assert re.search(rf'href="[^"]*/{draft.pk}/[^"]*">Draft', body)


# ---------------------------------------------------------------- who sees what


def test_level2_finds_only_their_own(as_user, people, level2):
    client = as_user(level2)
    assert found(client) == ["C0000000003"]
    assert found(client, family_name="kow") == []
    # Not even by its exact number.
    response = client.get(LIST, {"q": "C0000000001"})
    assert response.status_code == 200
    assert "No certificate of yours has" in text(response)
    # No owner filter for them: the field is not there, and it changes nothing when sent.
    assert 'name="owner"' not in client.get(LIST).content.decode()
    assert found(client, owner=str(people["kowalczyk"].owner_id)) == ["C0000000003"]


def test_another_sponsors_certificates_never_appear(web, level1, other_level1):
    theirs = assigned_certificate(
        other_level1, number="C9999999999", passport_number="ZZ1111111", family_name="Kowalczyk"
    )
    assigned_certificate(level1, number="C0000000001")
    assert found(web) == ["C0000000001"]
    assert found(web, family_name="Kowalczyk") == ["C0000000001"]
    for box in (theirs.number, theirs.passport_number):
        response = web.get(LIST, {"q": box})
        assert response.status_code == 200
        assert numbers_on(response) == []


def test_a_suspended_licence_cannot_search(signed_in, level1, sponsor):
    assigned_certificate(level1)
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    client = signed_in(level1)
    response = client.get(LIST)
    assert response.status_code == 409
    assert "Not available while your licence is suspended." in text(response)
    assert client.get(LIST, {"q": "EP1234567"}).status_code == 409


def test_a_caseworker_is_refused(signed_in, caseworker):
    assert signed_in(caseworker).get(LIST).status_code == 403


# ---------------------------------------------------------------- pages


def make(owner, count: int) -> None:
    for _ in range(count):
        assigned_certificate(owner)


def test_results_come_page_by_page_keeping_the_search(web, level1):
    make(level1, 30)
    first = web.get(LIST, {"family_name": "Kow"})
    assert len(numbers_on(first)) == 25
    page = text(first)
    assert "Certificates found: 30" in page
    assert "Page 1 of 2" in page
    assert "family_name=Kow&amp;page=2" in first.content.decode()
    second = web.get(LIST, {"family_name": "Kow", "page": "2"})
    assert len(numbers_on(second)) == 5
    assert not set(numbers_on(first)) & set(numbers_on(second))


def test_most_recently_changed_first(web, level1):
    newer = assigned_certificate(level1, number="C0000000002")
    older = assigned_certificate(level1, number="C0000000001")
    older.updated_at = timezone.now() - timedelta(hours=1)
    older.save()
    assert numbers_on(web.get(LIST)) == [newer.number, older.number]


def test_the_number_of_queries_does_not_grow_with_the_rows(web, level1, level2):
    make(level1, 2)
    make(level2, 1)
    three = queries_for(web, LIST)
    make(level1, 20)
    make(level2, 7)
    thirty = queries_for(web, LIST)
    assert three == thirty


# ---------------------------------------------------------------- the selector others call


def test_certificate_search_is_scoped_and_exact(level1, level2, other_level1):
    mine = assigned_certificate(level1, number="C0000000001", passport_number="AB1234567")
    theirs = assigned_certificate(level2, number="C0000000002", passport_number="AB1234567")
    assigned_certificate(other_level1, number="C0000000003", passport_number="AB1234567")
    assert list(certificate_search(user=level1, passport="ab 123 4567")) == [theirs, mine]
    assert list(certificate_search(user=level2, passport="AB1234567")) == [theirs]
    assert list(certificate_search(user=level1, number="c0000000001")) == [mine]
    assert list(certificate_search(user=level1, number="C0000000003")) == []
    assert list(certificate_find(user=level1, text="")) == []


def test_a_deactivated_owner_can_still_be_searched_by(web, level1, sponsor):
    former = Level2Factory(sponsor=sponsor, status="DEACTIVATED_BY_SPONSOR")
    assigned_certificate(former, number="C0000000009")
    Level1Factory(sponsor=sponsor)
    assert found(web, owner=str(former.pk)) == ["C0000000009"]


def test_a_certificate_with_a_new_note_comes_first(web, level1, frozen):
    noted = assigned_certificate(level1, number="C0000000001")
    assigned_certificate(level1, number="C0000000002")
    frozen.shift(timedelta(minutes=5))
    response = web.post(f"/certificates/{noted.pk}/note/", {"version": noted.version, "note": "x"})
    assert response.status_code == 302
    assert numbers_on(web.get(LIST)) == ["C0000000001", "C0000000002"]
