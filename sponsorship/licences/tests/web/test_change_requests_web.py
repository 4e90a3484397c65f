"""Reporting a change of circumstances on the web: the form (change type, GOV.UK date input,
description with no cap, evidence uploads, declaration), the deadline and the late warning."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import (
    EvidenceFile,
    LicenceRequest,
    LicenceStatus,
    OrganisationChange,
    RequestKind,
)

from .documents import exe_renamed_pdf, pdf, png, stored_files
from .support import field_error, text

URL = "/licence/changes/new/"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def frozen():
    """Monday 16 November 2026, 10:00 in London, unless a test travels elsewhere."""
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=LONDON), tick=False) as t:
        yield t


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def change(**overrides):
    """A complete change of circumstances, as the form posts it."""
    data = {
        "change_type": OrganisationChange.ADDRESS,
        "change_date_day": "2",
        "change_date_month": "11",
        "change_date_year": "2026",
        "description": "We moved the head office to 5 Quay Street, Bristol BS1 4DB.",
        "declaration_name": "Zoë Hartley",
        "declaration_position": "HR Director",
    }
    data.update(overrides)
    return data


def test_the_form_asks_for_everything_and_states_what_files_we_accept(signed_in, level1):
    response = signed_in(level1).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" multiple' in page
    for label in OrganisationChange.labels:
        assert label in text(response)
    for part in ("day", "month", "year"):
        assert f'name="change_date_{part}"' in page
    words = text(response)
    assert "You can choose up to 10 files at once, each no larger than 10 MB." in words
    assert "PDF, JPG, PNG, Word (DOC, DOCX), Excel (XLS, XLSX) or OpenDocument text" in words
    assert "within 20 working days of the change" in words
    assert 'maxlength="2000"' not in page
    assert "Date of declaration 16 November 2026" in words


def test_the_hint_follows_the_upload_limit_setting(signed_in, level1, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    settings.UPLOAD_MAX_FILES = 3
    words = text(signed_in(level1).get(URL))
    assert "You can choose up to 3 files at once, each no larger than 1 MB." in words


def test_a_change_is_sent_with_its_evidence_and_declaration(signed_in, level1, media):
    client = signed_in(level1)
    response = client.post(URL, {**change(), "evidence": [pdf("lease.pdf"), png("new-sign.png")]})
    request = LicenceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/licence/requests/{request.pk}/sent/"
    assert request.kind == RequestKind.ORGANISATION_CHANGE
    assert request.sponsor == level1.sponsor
    assert request.submitted_by == level1
    assert request.change_type == OrganisationChange.ADDRESS
    assert request.change_date == date(2026, 11, 2)
    assert request.declaration_name == "Zoë Hartley"
    assert request.declaration_position == "HR Director"
    assert request.declaration_date == date(2026, 11, 16)
    files = list(EvidenceFile.objects.filter(request=request).order_by("original_name"))
    assert [f.original_name for f in files] == ["lease.pdf", "new-sign.png"]
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    assert len(stored_files(media)) == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.REQUEST_SUBMITTED).count() == 1

    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert request.reference in text(sent)
    assert "Change of circumstances sent" in text(sent)


def test_evidence_is_optional(signed_in, level1):
    response = signed_in(level1).post(URL, change())
    assert response.status_code == 302
    assert LicenceRequest.objects.get().evidence.count() == 0


def test_a_long_description_is_kept_whole(signed_in, level1):
    long = "The merger moved every sponsored worker to the new company. " * 100
    assert len(long) > 2000
    response = signed_in(level1).post(URL, change(description=long))
    assert response.status_code == 302
    assert LicenceRequest.objects.get().description == long.strip()


def test_the_deadline_counts_working_days_past_both_may_bank_holidays(signed_in, level1):
    """Friday 24 April 2026 + 20 working days in England: 27 April to 1 May is 5, Monday 4 May
    is the Early May bank holiday, 5 to 22 May is 14 more (19), Monday 25 May is the Spring
    bank holiday, so day 20 is Tuesday 26 May 2026 (without the holidays it would be 22 May)."""
    with time_machine.travel(datetime(2026, 5, 20, 10, 0, tzinfo=LONDON), tick=False):
        client = signed_in(level1)
        response = client.post(
            URL,
            change(change_date_day="24", change_date_month="4", change_date_year="2026"),
            follow=True,
        )
    request = LicenceRequest.objects.get()
    assert request.report_due == date(2026, 5, 26)
    assert not request.reported_late
    assert "You reported this change in time: the deadline was 26 May 2026." in text(response)
    assert "govuk-warning-text" not in response.content.decode()


def test_a_late_change_is_sent_with_a_clear_warning(signed_in, level1):
    with time_machine.travel(datetime(2026, 5, 27, 10, 0, tzinfo=LONDON), tick=False):
        client = signed_in(level1)
        response = client.post(
            URL,
            change(change_date_day="24", change_date_month="April", change_date_year="2026"),
            follow=True,
        )
        request = LicenceRequest.objects.get()
        assert request.reported_late
        assert 'class="govuk-warning-text"' in response.content.decode()
        assert "You reported this change late. It had to be reported by 26 May 2026." in text(
            response
        )
        detail = text(client.get(f"/licence/requests/{request.pk}/"))
    assert "Report by 26 May 2026 Reported late" in detail


@pytest.mark.parametrize(
    ("day", "month", "year", "wrong", "message"),
    [
        ("", "", "", {"day", "month", "year"}, "Enter the date of the change"),
        ("3", "", "2026", {"month"}, "The date of the change must include a month"),
        ("", "", "2026", {"day", "month"}, "The date of the change must include a day and month"),
        ("32", "1", "2026", {"day"}, "The day of the change must be a number from 1 to 31"),
        ("x", "1", "2026", {"day"}, "The day of the change must be a number from 1 to 31"),
        (
            "3",
            "13",
            "2026",
            {"month"},
            "The month of the change must be a number from 1 to 12, or its name",
        ),
        ("3", "1", "26", {"year"}, "The year of the change must be 4 numbers, like 2026"),
        ("31", "2", "2026", {"day"}, "The date of the change must be a real date"),
        (
            "1",
            "1",
            "2099",
            {"day", "month", "year"},
            "The date of the change must be today or in the past. Report a change once it has "
            "happened.",
        ),
    ],
)
def test_each_part_of_the_date_is_checked_with_its_own_message(
    signed_in, level1, day, month, year, wrong, message
):
    response = signed_in(level1).post(
        URL, change(change_date_day=day, change_date_month=month, change_date_year=year)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in text(response)
    first = next(p for p in ("day", "month", "year") if p in wrong)
    assert f'href="#id_change_date_{first}"' in page  # the error summary links to it
    for part in ("day", "month", "year"):
        box = re.search(rf'<input [^>]*id="id_change_date_{part}"[^>]*>', page)
        assert box is not None
        assert ("govuk-input--error" in box.group(0)) == (part in wrong), part
    assert not LicenceRequest.objects.exists()


def test_each_missing_answer_has_its_own_message(signed_in, level1):
    response = signed_in(level1).post(
        URL,
        change(change_type="", description=" ", declaration_name="", declaration_position=""),
    )
    assert response.status_code == 400
    assert field_error(response, "change_type") == "Error: Choose what has changed"
    assert field_error(response, "description") == "Error: Describe the change"
    assert field_error(response, "declaration_name") == "Error: Enter your full name"
    assert field_error(response, "declaration_position") == (
        "Error: Enter your position in the organisation"
    )
    assert not LicenceRequest.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            exe_renamed_pdf,
            "invoice.pdf does not look like a PDF file. Check it opens, then upload it again.",
        ),
        (lambda: pdf("empty.pdf", b""), "empty.pdf is empty."),
        (
            lambda: pdf("setup.exe", b"MZ\x90\x00"),
            "setup.exe is not a file type we accept. Upload a PDF, JPG, PNG, Word (DOC, DOCX), "
            "Excel (XLS, XLSX) or OpenDocument text file.",
        ),
    ],
    ids=["exe-renamed-pdf", "empty", "exe"],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_saved(
    signed_in, level1, media, upload, message
):
    response = signed_in(level1).post(URL, {**change(), "evidence": [pdf("good.pdf"), upload()]})
    assert response.status_code == 400
    assert field_error(response, "evidence") == f"Error: {message}"
    assert 'href="#id_evidence"' in response.content.decode()
    assert not LicenceRequest.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(
    signed_in, level1, media, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = pdf("scan.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    response = signed_in(level1).post(URL, {**change(), "evidence": [big]})
    assert response.status_code == 400
    assert field_error(response, "evidence").startswith("Error: scan.pdf is larger than 1 MB.")
    assert not LicenceRequest.objects.exists()
    assert stored_files(media) == []


def test_too_many_files_are_refused(signed_in, level1, settings, media):
    settings.UPLOAD_MAX_FILES = 2
    response = signed_in(level1).post(
        URL, {**change(), "evidence": [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")]}
    )
    assert response.status_code == 400
    assert field_error(response, "evidence") == "Error: Upload at most 2 files at a time."
    assert stored_files(media) == []


def test_level2_cannot_report_changes(signed_in, level2, media):
    client = signed_in(level2)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**change(), "evidence": [pdf()]}).status_code == 403
    assert not LicenceRequest.objects.exists()
    assert stored_files(media) == []


def test_a_suspended_licence_still_reports_changes(signed_in, level1):
    level1.sponsor.status = LicenceStatus.SUSPENDED
    level1.sponsor.save()
    client = signed_in(level1)
    assert client.get(URL).status_code == 200
    assert client.post(URL, change()).status_code == 302


def test_a_dormant_licence_cannot_report_changes_here(signed_in, level1):
    level1.sponsor.status = LicenceStatus.DORMANT
    level1.sponsor.save()
    client = signed_in(level1)
    response = client.get(URL)
    assert response.status_code == 409
    assert "not available while the licence is dormant" in text(response)
    assert client.post(URL, change()).status_code == 409
    assert not LicenceRequest.objects.exists()


def test_the_home_page_links_to_the_form(signed_in, level1):
    page = signed_in(level1).get("/home/").content.decode()
    assert f'href="{URL}">Request changes to licence details</a>' in page


def test_a_change_older_than_the_reporting_rules_is_refused_on_the_date(signed_in, level1):
    response = signed_in(level1).post(URL, change(change_date_year="2010"))
    assert response.status_code == 400
    assert (
        "Enter a date of the change on or after 6 April 2015. For older changes, contact the "
        "Home Office." in text(response)
    )
    assert 'href="#id_change_date_day"' in response.content.decode()
    assert not LicenceRequest.objects.exists()


def test_a_change_of_name_granted_by_a_caseworker_renames_the_licence(
    signed_in, level1, caseworker
):
    from sponsorship.licences.services import request_decide

    client = signed_in(level1)
    response = client.post(
        URL,
        change(
            change_type=OrganisationChange.NAME,
            description="We changed our name after the merger.",
            new_name="Harbour View Care Group Ltd",
        ),
    )
    assert response.status_code == 302
    request = LicenceRequest.objects.get()
    assert "New name Harbour View Care Group Ltd" in text(
        client.get(f"/licence/requests/{request.pk}/")
    )
    assert "Harbour View Care Group Ltd" not in text(client.get("/licence/"))
    client.logout()

    casework = signed_in(caseworker)
    assert "New name Harbour View Care Group Ltd" in text(
        casework.get(f"/casework/requests/{request.pk}/")
    )
    casework.logout()
    request_decide(
        caseworker=caseworker, request_id=request.pk, outcome="GRANTED", reasons="", ip=None
    )
    assert "Harbour View Care Group Ltd" in text(signed_in(level1).get("/licence/"))


def test_a_new_address_missing_its_postcode_is_refused_on_that_field(signed_in, level1):
    response = signed_in(level1).post(
        URL, change(new_address_line_1="5 Quay Street", new_town="Bristol")
    )
    assert response.status_code == 400
    assert field_error(response, "new_postcode") == (
        "Error: Enter the postcode of the new head office."
    )
    assert not LicenceRequest.objects.exists()
