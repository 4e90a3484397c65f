"""Live CAS through the API: search, read, fees, notes, withdrawal, transfer, history and print,
as a student records system keeps them in step."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sponsorship.api.tests.api_client import assert_error
from sponsorship.api.tests.fuzzing import GENERATION_MODES, fuzz_on_certificate
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.certificates.models import Certificate, CertificateStatus
from sponsorship.certificates.services import certificate_mark_used, certificate_withdraw
from sponsorship.certificates.tests.factories import assigned_cas, complete_cas, complete_draft
from sponsorship.licences.tests.api.support import query_count, token_for

from .cas_api_support import URL, client_for, stored, teach_students


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000


@pytest.fixture(autouse=True)
def _students(sponsor, other_sponsor):
    teach_students(sponsor, other_sponsor)


@pytest.fixture
def api(level1):
    return client_for(level1)


def _numbers(response) -> list[str | None]:
    assert response.status_code == 200, response.content[:800]
    return [item["number"] for item in response.json()["items"]]


# Search


def test_the_list_shows_the_sponsors_cas_most_recently_changed_first(
    api, level1, level2, other_level1
):
    mine = assigned_cas(level1, number="E0000000000001")
    theirs = assigned_cas(level2, number="E0000000000002", student_id="S2026-0099")
    assigned_cas(other_level1, number="E0000000000003")
    complete_draft(level1)
    Certificate.objects.filter(pk=mine.pk).update(updated_at=timezone.now() - timedelta(days=1))
    body = api.get(URL).json()
    assert [item["number"] for item in body["items"]] == [theirs.number, mine.number]
    assert body["page"] == {"page": 1, "page_size": 25, "total_items": 2, "total_pages": 1}
    first = body["items"][0]
    assert first["owner"] == {"id": level2.pk, "user_id": "LEVELTWO1", "name": "Priya Raman"}
    assert (first["status"], first["route"]) == ("ASSIGNED", "STUDENT")
    assert (first["student_id"], first["course_title"], first["course_start_date"]) == (
        "S2026-0099",
        "MSc Marine Biology",
        "2027-01-18",
    )


def test_a_level_2_user_lists_only_the_cas_they_own(level1, level2):
    assigned_cas(level1, number="E0000000000001")
    assigned_cas(level2, number="E0000000000002")
    assert _numbers(client_for(level2).get(URL)) == ["E0000000000002"]


def test_search_filters(api, level1, level2, frozen):
    marine = assigned_cas(level1, number="E0000000000001")
    frozen.shift(timedelta(days=3))
    law = assigned_cas(
        level2,
        number="E0000000000002",
        family_name="Nowak",
        given_names="Anna",
        nationality="UKR",
        passport_number="FA9876543",
        student_id="S 2026 0100",
        course_title="LLM International Law",
    )
    complete_cas(level1, family_name="Nguyen", student_id="S2026-0200")

    assert _numbers(api.get(URL, {"number": "e000 0000 0000 01"})) == [marine.number]
    assert _numbers(api.get(URL, {"passport": "fa 987 6543"})) == [law.number]
    assert _numbers(api.get(URL, {"student_id": "s20260100"})) == [law.number]
    assert _numbers(api.get(URL, {"family_name": "ko"})) == [marine.number]
    assert _numbers(api.get(URL, {"given_names": "ann"})) == [law.number]
    assert _numbers(api.get(URL, {"nationality": "UKR"})) == [law.number]
    assert _numbers(api.get(URL, {"status": "DRAFT"})) == [None]
    assert _numbers(api.get(URL, {"course": "international"})) == [law.number]
    assert _numbers(api.get(URL, {"course": "marine", "status": "ASSIGNED"})) == [marine.number]
    assert _numbers(api.get(URL, {"owner_id": level2.pk})) == [law.number]
    assert _numbers(api.get(URL, {"assigned_from": "2026-11-17"})) == [law.number]
    assert _numbers(api.get(URL, {"assigned_to": "2026-11-16"})) == [marine.number]
    assert _numbers(api.get(URL, {"family_name": "Nowak", "status": "DRAFT"})) == []


def test_an_obsolete_cas_is_found_by_its_status(api, level1):
    obsolete = assigned_cas(level1, number="E0000000000001")
    Certificate.objects.filter(pk=obsolete.pk).update(status=CertificateStatus.OBSOLETE)
    assigned_cas(level1, number="E0000000000002")
    assert _numbers(api.get(URL, {"status": "OBSOLETE"})) == ["E0000000000001"]


def test_search_never_finds_another_sponsors_cas_nor_a_cos(api, level1, other_level1):
    theirs = assigned_cas(other_level1, number="E0000000000009")
    complete_draft(level1, family_name="Kowalczyk")
    assert _numbers(api.get(URL, {"number": theirs.number})) == []
    assert _numbers(api.get(URL, {"student_id": "S2026-0042"})) == []
    assert _numbers(api.get(URL, {"family_name": "Kowalczyk"})) == []


def test_a_bad_filter_is_refused_by_name(api):
    response = api.get(URL, {"status": "LOST", "date_of_birth": "02/06/2001", "page": 0})
    error = assert_error(response, 422)
    assert {f["field"] for f in error["fields"]} == {"status", "date_of_birth", "page"}


def test_the_list_pages(api, level1):
    for n in range(3):
        assigned_cas(level1, number=f"E000000000000{n}")
    body = api.get(URL, {"page": 2, "page_size": 2}).json()
    assert len(body["items"]) == 1
    assert body["page"] == {"page": 2, "page_size": 2, "total_items": 3, "total_pages": 2}


def test_the_lists_query_count_does_not_grow_with_its_rows(api, level1, level2):
    for _ in range(3):
        complete_cas(level1)
    few = query_count(lambda: api.get(URL, {"page_size": 100}))
    for n in range(27):
        complete_cas(level2 if n % 2 else level1)
    many = query_count(lambda: api.get(URL, {"page_size": 100}))
    assert api.get(URL, {"page_size": 100}).json()["page"]["total_items"] == 30
    assert few == many


# Fees


def test_fees_of_a_live_cas_are_updated_and_recorded(api, level1):
    cas = assigned_cas(level1)
    url = f"{URL}/{cas.pk}"
    response = api.patch_json(
        f"{url}/fees",
        {
            "version": 1,
            "course_fees_paid": "12000.50",
            "accommodation_included": True,
            "accommodation_fees_paid": "0",
        },
    )
    assert response.status_code == 200, response.content[:800]
    body = response.json()
    assert body["version"] == 2
    assert body["sections"]["fees"]["values"] == {
        "course_fees_first_year": "24500.00",
        "course_fees_paid": "12000.50",
        "accommodation_included": True,
        "accommodation_fees_paid": "0.00",
    }
    (event,) = api.get(f"{url}/history").json()["items"]
    assert (event["action"], event["status"], event["by"]) == (
        "FEES_UPDATED",
        "ASSIGNED",
        "Zoë Hartley",
    )
    assert "course fees paid: 5000.00 to 12000.50" in event["text"]
    assert AuditEvent.objects.filter(verb=AuditVerb.CAS_FEES_UPDATED).count() == 1


def test_fees_of_a_used_cas_can_be_updated(api, level1, caseworker):
    cas = assigned_cas(level1)
    certificate_mark_used(actor=caseworker, certificate=cas, ip=None)
    version = stored(cas.pk).version
    response = api.patch_json(
        f"{URL}/{cas.pk}/fees", {"version": version, "course_fees_paid": "24500"}
    )
    assert response.status_code == 200, response.content[:800]
    assert stored(cas.pk).cas.course_fees_paid == Decimal("24500")


def test_fees_paid_above_the_fees_due_are_refused_on_the_field(api, level1):
    cas = assigned_cas(level1)
    response = api.patch_json(
        f"{URL}/{cas.pk}/fees", {"version": 1, "course_fees_first_year": "4000"}
    )
    assert assert_error(response, 400)["fields"] == [
        {
            "field": "course_fees_paid",
            "message": "The course fees paid to date (£5,000.00) are more than the course fees "
            "for the first year (£4,000.00). Enter the fees paid towards the first year only",
        }
    ]
    saved = stored(cas.pk)
    assert (saved.cas.course_fees_first_year, saved.version) == (Decimal("24500"), 1)


def test_only_the_fees_of_a_live_cas_change(api, level1):
    cas = assigned_cas(level1)
    url = f"{URL}/{cas.pk}/fees"
    other_field = api.patch_json(url, {"version": 1, "course_title": "MSc Ecology"})
    assert [f["field"] for f in assert_error(other_field, 422)["fields"]] == ["course_title"]
    cleared = api.patch_json(url, {"version": 1, "course_fees_paid": None})
    assert [f["field"] for f in assert_error(cleared, 422)["fields"]] == ["course_fees_paid"]
    negative = api.patch_json(url, {"version": 1, "course_fees_paid": "-1"})
    assert assert_error(negative, 422)["fields"] == [
        {
            "field": "course_fees_paid",
            "message": "Enter the course fees paid to date in pounds as text, like 18500 or "
            '18500.50, with no commas or pound sign ("0" if none)',
        }
    ]
    assert_error(api.patch_json(url, {"version": 5, "course_fees_paid": "1"}), 409, "stale_edit")
    saved = stored(cas.pk)
    assert (saved.cas.course_title, saved.cas.course_fees_paid, saved.version) == (
        "MSc Marine Biology",
        Decimal("5000"),
        1,
    )


def test_the_fees_of_a_draft_or_a_withdrawn_cas_are_not_updated(api, level1):
    draft = complete_cas(level1)
    on_draft = api.patch_json(f"{URL}/{draft.pk}/fees", {"version": 1, "course_fees_paid": "0"})
    assert assert_error(on_draft, 409, "invalid_transition")["message"] == (
        "This CAS is still a draft: change its fees in its Fees section, or assign it first."
    )
    withdrawn = assigned_cas(level1)
    certificate_withdraw(
        actor=level1, certificate=withdrawn, version=1, reason="Deferred.", ip=None
    )
    on_withdrawn = api.patch_json(
        f"{URL}/{withdrawn.pk}/fees", {"version": 2, "course_fees_paid": "0"}
    )
    assert_error(on_withdrawn, 409, "invalid_transition")
    assert stored(draft.pk).cas.course_fees_paid == Decimal("5000")
    assert stored(withdrawn.pk).cas.course_fees_paid == Decimal("5000")


# Notes, withdrawal, history, transfer


def test_a_note_is_saved_and_every_version_kept_in_the_history(api, level1):
    cas = assigned_cas(level1)
    url = f"{URL}/{cas.pk}"
    first = api.put_json(f"{url}/note", {"version": 1, "note": "Visa appointment booked."})
    assert first.status_code == 200, first.content[:800]
    assert first.json()["sponsor_note"] == "Visa appointment booked."
    second = api.put_json(f"{url}/note", {"version": 2, "note": "Arrives on 10 January."})
    assert second.json()["sponsor_note"] == "Arrives on 10 January."
    history = api.get(f"{url}/history").json()["items"]
    assert [(e["action"], e["text"]) for e in history] == [
        ("NOTE_ADDED", "Visa appointment booked."),
        ("NOTE_AMENDED", "Arrives on 10 January."),
    ]
    blank = api.put_json(f"{url}/note", {"version": 3, "note": " "})
    assert assert_error(blank, 400)["fields"] == [{"field": "note", "message": "Enter the note"}]


def test_a_note_cannot_be_added_to_a_draft(api, level1):
    draft = complete_cas(level1)
    response = api.put_json(f"{URL}/{draft.pk}/note", {"version": 1, "note": "Hello."})
    assert_error(response, 409, "invalid_transition")
    assert stored(draft.pk).sponsor_note == ""


def test_withdraw_needs_a_reason_and_is_final(api, level1):
    cas = assigned_cas(level1)
    url = f"{URL}/{cas.pk}"
    blank = api.post_json(f"{url}/withdraw", {"version": 1, "reason": "  "})
    assert assert_error(blank, 400)["fields"] == [
        {"field": "reason", "message": "Enter the reason you are withdrawing this CAS"}
    ]
    assert_error(api.post_json(f"{url}/withdraw", {"version": 3, "reason": "No."}), 409)
    response = api.post_json(
        f"{url}/withdraw", {"version": 1, "reason": "The student deferred to next year."}
    )
    assert response.status_code == 200, response.content[:800]
    body = response.json()
    assert (body["status"], body["closed_reason"]) == (
        "WITHDRAWN",
        "The student deferred to next year.",
    )
    again = api.post_json(f"{url}/withdraw", {"version": 2, "reason": "Again."})
    assert_error(again, 409, "invalid_transition")


def test_the_history_names_the_home_office_not_the_caseworker(api, level1, caseworker):
    cas = assigned_cas(level1)
    certificate_mark_used(actor=caseworker, certificate=cas, ip=None)
    history = api.get(f"{URL}/{cas.pk}/history").json()["items"]
    assert [(e["action"], e["status"], e["by"]) for e in history] == [
        ("USED", "USED", "Home Office")
    ]


def test_a_level_1_user_transfers_a_cas_to_a_level_2_user(api, level1, level2):
    cas = assigned_cas(level1)
    theirs = client_for(level2)
    assert_error(theirs.get(f"{URL}/{cas.pk}"), 404)
    response = api.post_json(f"{URL}/{cas.pk}/transfer", {"version": 1, "to_user_id": level2.pk})
    assert response.status_code == 200, response.content[:800]
    assert response.json()["owner"]["user_id"] == "LEVELTWO1"
    assert theirs.get(f"{URL}/{cas.pk}").status_code == 200
    history = api.get(f"{URL}/{cas.pk}/history").json()["items"]
    assert history[-1]["text"] == "From Zoë Hartley (LEVELONE1) to Priya Raman (LEVELTWO1)."


def test_a_cas_is_not_transferred_to_another_sponsors_user_nor_its_owner(api, level1, other_level1):
    cas = assigned_cas(level1)
    for user, message in (
        (other_level1, "Select an active user of your organisation"),
        (level1, "Zoë Hartley already owns this CAS"),
    ):
        response = api.post_json(f"{URL}/{cas.pk}/transfer", {"version": 1, "to_user_id": user.pk})
        assert assert_error(response, 400)["fields"] == [
            {"field": "to_user_id", "message": message}
        ]
    assert stored(cas.pk).owner == level1


def test_a_level_2_user_may_not_transfer_even_their_own(level1, level2):
    cas = assigned_cas(level2)
    response = client_for(level2).post_json(
        f"{URL}/{cas.pk}/transfer", {"version": 1, "to_user_id": level1.pk}
    )
    assert_error(response, 403, "not_permitted")
    assert stored(cas.pk).owner == level2


# Print


def test_a_cas_prints_as_a_pdf_with_the_students_name_and_course(api, level1):
    cas = assigned_cas(level1, family_name="Nguyễn", given_names="Thị Thu")
    response = api.get(f"{URL}/{cas.pk}/print.pdf")
    assert response.status_code == 200, response.content[:800]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{cas.number}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATE_PRINTED).count() == 1


# Export


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_has_the_rows_the_search_finds(api, level1, level2, other_level1):
    assigned_cas(level1, number="E0000000000001", sponsor_note="Arrives in January.")
    assigned_cas(level2, number="E0000000000002", course_title="LLM International Law")
    assigned_cas(
        level1,
        number="E0000000000003",
        family_name='=HYPERLINK("http://example.com","x")',
        course_title="MSc Marine Biology",
    )
    assigned_cas(other_level1, number="E0000000000009")
    complete_draft(level1)

    rows = _csv_rows(api.get(f"{URL}/export.csv", {"course": "marine"}))
    header, *lines = rows
    assert header[:3] == ["CAS number", "Status", "Route"]
    assert "Student ID" in header
    assert "Course fees paid to date (£)" in header
    assert sorted(line[0] for line in lines) == ["E0000000000001", "E0000000000003"]
    first = dict(
        zip(header, next(line for line in lines if line[0] == "E0000000000001"), strict=True)
    )
    assert (first["Student ID"], first["Course title"], first["Course start date"]) == (
        "S2026-0042",
        "MSc Marine Biology",
        "2027-01-18",
    )
    assert (first["Course fees paid to date (£)"], first["Sponsor note"]) == (
        "5000.00",
        "Arrives in January.",
    )
    attacker = next(line for line in lines if line[0] == "E0000000000003")
    assert attacker[header.index("Family name")].startswith("'=")
    (audit,) = AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATES_EXPORTED)
    assert (audit.actor, audit.payload["rows"], audit.payload["format"]) == (level1, 2, "csv")
    assert audit.payload["filters"] == {"course": "marine"}


def test_a_level_2_user_exports_only_the_cas_they_own(level1, level2):
    assigned_cas(level1, number="E0000000000001")
    assigned_cas(level2, number="E0000000000002")
    _, *lines = _csv_rows(client_for(level2).get(f"{URL}/export.csv"))
    assert [line[0] for line in lines] == ["E0000000000002"]


def test_the_excel_export_has_the_same_rows(api, level1):
    assigned_cas(level1, number="E0000000000001", student_id="S2026-0042")
    assigned_cas(level1, number="E0000000000002", student_id="S2026-0043")
    response = api.get(f"{URL}/export.xlsx", {"student_id": "s2026-0043 "})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *lines = list(book.active.iter_rows(values_only=True))
    assert [line[0] for line in lines] == ["E0000000000002"]
    row = dict(zip(header, lines[0], strict=True))
    assert row["Course start date"].date() == date(2027, 1, 18)
    assert row["Course fees for the first year (£)"] == 24500


def test_a_bad_export_filter_is_refused_by_name(api):
    error = assert_error(api.get(f"{URL}/export.csv", {"status": "LOST"}), 422)
    assert [f["field"] for f in error["fields"]] == ["status"]
    assert not AuditEvent.objects.filter(verb=AuditVerb.CERTIFICATES_EXPORTED).exists()


# Fuzzing the operations on a real assigned CAS, from the API's own document.


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/cas"),
        ("GET", "/api/v1/cas/export.csv"),
        ("GET", "/api/v1/cas/export.xlsx"),
        ("GET", "/api/v1/cas/{certificate_id}/history"),
        ("GET", "/api/v1/cas/{certificate_id}/print.pdf"),
        ("PATCH", "/api/v1/cas/{certificate_id}/fees"),
        ("PUT", "/api/v1/cas/{certificate_id}/note"),
        ("POST", "/api/v1/cas/{certificate_id}/withdraw"),
        ("POST", "/api/v1/cas/{certificate_id}/transfer"),
    ],
)
@pytest.mark.parametrize("mode", GENERATION_MODES)
def test_fuzzed_requests_on_a_real_cas_get_documented_answers(
    wsgi_app, level1, level2, method, path, mode
):
    def live_values(body, current):
        if "version" in body:
            body["version"] = current.version
        if "to_user_id" in body:
            body["to_user_id"] = level2.pk

    fuzz_on_certificate(
        wsgi_app,
        method,
        path,
        mode,
        token=token_for(level1),
        certificate_id=assigned_cas(level1).pk,
        fill_body=live_values,
    )
