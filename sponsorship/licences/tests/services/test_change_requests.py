"""Changes of circumstances: reported within 20 working days of the change, counted in the
sponsor's nation, with evidence kept outside the web root."""

import hashlib
import re
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.core.errors import ApplicationError, NotFound
from sponsorship.core.uploads import check_uploads
from sponsorship.licences.models import (
    EvidenceFile,
    LicenceRequest,
    Nation,
    OrganisationChange,
    RequestKind,
    RequestStatus,
)
from sponsorship.licences.services import change_request_submit
from sponsorship.notifications.models import OutboundEmail

from .support import PDF, PNG, TODAY, at, events, recipients, upload

CHANGE = date(2026, 11, 16)  # a Monday, two weeks before St Andrew's Day


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence goes to this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def submit(actor, **overrides):
    values = {
        "change_type": OrganisationChange.ADDRESS,
        "change_date": TODAY,
        "description": "We moved our head office to 2 Market Street, Leeds LS1 6DT.",
        "declaration_name": "Zoë Hartley",
        "declaration_position": "HR Director",
        "evidence": [],
        "ip": "198.51.100.4",
    }
    values.update(overrides)
    return change_request_submit(actor=actor, **values)


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_change_of_circumstances(level1):
    request = submit(level1)

    assert request.kind == RequestKind.ORGANISATION_CHANGE
    assert request.status == RequestStatus.SUBMITTED
    assert request.sponsor == level1.sponsor
    assert request.submitted_by == level1
    assert request.change_type == OrganisationChange.ADDRESS
    assert request.change_date == TODAY
    assert request.declaration_name == "Zoë Hartley"
    assert request.declaration_position == "HR Director"
    assert request.declaration_date == TODAY
    assert request.report_due == date(2026, 12, 14)
    assert not request.reported_late
    assert recipients("request_submitted") == [level1.email]
    (event,) = events(AuditVerb.REQUEST_SUBMITTED)
    assert event.actor == level1
    assert event.payload == {"kind": "ORGANISATION_CHANGE", "late": False}
    assert event.ip_address == "198.51.100.4"


@pytest.mark.parametrize(
    ("nation", "due", "late"),
    [
        # 17-20, 23-27 November, 30 November (the 10th), 1-4, 7-11 and 14 December: the 20th.
        (Nation.ENGLAND, date(2026, 12, 14), True),
        (Nation.WALES, date(2026, 12, 14), True),
        (Nation.NORTHERN_IRELAND, date(2026, 12, 14), True),
        # St Andrew's Day, Monday 30 November, is not a working day in Scotland.
        (Nation.SCOTLAND, date(2026, 12, 15), False),
    ],
)
def test_the_deadline_is_counted_in_the_sponsors_nation(level1, frozen, nation, due, late):
    sponsor = level1.sponsor
    sponsor.nation = nation
    sponsor.save(update_fields=["nation"])
    frozen.move_to(at(date(2026, 12, 15)))  # reported on 15 December

    request = submit(level1, change_date=CHANGE)

    assert request.report_due == due
    assert request.reported_late is late
    assert events(AuditVerb.REQUEST_SUBMITTED)[0].payload["late"] is late


def test_the_20_days_come_from_the_rule_table_not_the_key_personnel_setting(level1, settings):
    settings.KEY_PERSONNEL_CHANGE_WORKING_DAYS = 10
    request = submit(level1, change_type=OrganisationChange.NAME, change_date=CHANGE)
    assert request.report_due == date(2026, 12, 14)
    request = submit(level1, change_type=OrganisationChange.KEY_PERSONNEL, change_date=CHANGE)
    assert request.report_due == date(2026, 11, 30)


def test_a_change_in_the_future_is_refused(level1):
    with pytest.raises(ApplicationError) as refused:
        submit(level1, change_date=TODAY + timedelta(days=1))
    assert refused.value.field == "change_date"
    assert not LicenceRequest.objects.exists()


def test_an_unknown_kind_of_change_is_refused(level1):
    with pytest.raises(ApplicationError) as refused:
        submit(level1, change_type="HAIRCUT")
    assert refused.value.field == "change_type"


@pytest.mark.parametrize("field", ["description", "declaration_name", "declaration_position"])
@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_a_blank_field_is_refused_by_name(level1, field, blank):
    with pytest.raises(ApplicationError) as refused:
        submit(level1, **{field: blank})
    assert refused.value.field == field
    assert not LicenceRequest.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert not AuditEvent.objects.exists()


def test_text_is_kept_without_surrounding_spaces(level1):
    request = submit(level1, description="  Moved.  ", declaration_name="  Zoë Hartley ")
    assert request.description == "Moved."
    assert request.declaration_name == "Zoë Hartley"


def test_a_description_longer_than_the_originals_2000_characters_is_accepted(level1):
    description = "Our new warehouse in Leeds. " * 100  # 2,800 characters
    request = submit(level1, description=description)
    request.refresh_from_db()
    assert request.description == description.strip()
    assert len(request.description) > 2000


def test_evidence_is_saved_with_its_hash_outside_the_web_root(level1, media):
    png = PNG + b"more picture"
    request = submit(
        level1,
        evidence=[upload("Lease agreement.pdf", PDF), upload("../../new sign.png", png)],
    )

    saved = list(EvidenceFile.objects.filter(request=request).order_by("pk"))
    assert [e.original_name for e in saved] == ["Lease agreement.pdf", "new sign.png"]
    assert [e.content_type for e in saved] == ["application/pdf", "image/png"]
    assert [e.size for e in saved] == [len(PDF), len(png)]
    assert [e.sha256 for e in saved] == [
        hashlib.sha256(PDF).hexdigest(),
        hashlib.sha256(png).hexdigest(),
    ]
    for evidence, content in zip(saved, [PDF, png], strict=True):
        assert evidence.sponsor == level1.sponsor
        assert evidence.uploaded_by == level1
        assert evidence.message is None
        path = Path(evidence.file.path).resolve()
        assert path.is_relative_to(Path(media).resolve())
        assert path.read_bytes() == content
        assert hashlib.sha256(path.read_bytes()).hexdigest() == evidence.sha256
        # Never under the static files, which the web server serves to anyone.
        for public in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
            assert not path.is_relative_to(Path(public).resolve())
        # Stored under a name of our own, never the user's.
        assert "Lease" not in path.name
        assert "sign" not in path.name
        assert ".." not in evidence.file.name


def test_the_storage_is_the_media_root(media):
    assert Path(default_storage.location).resolve() == Path(media).resolve()


def test_one_bad_file_saves_nothing(level1, media):
    """As a view does it: every file is checked before anything is written."""
    files = [(BytesIO(PDF), "lease.pdf"), (BytesIO(b"MZ\x90\x00 program"), "lease2.pdf")]
    with pytest.raises(ApplicationError, match=re.escape("lease2.pdf does not look like a PDF")):
        submit(level1, evidence=check_uploads(files))
    assert not LicenceRequest.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert files_under(Path(media)) == []


class BrokenStream(BytesIO):
    """A file the storage cannot read: the disk or the network failed mid-upload."""

    def read(self, *args, **kwargs):
        raise OSError("connection reset while reading the upload")

    def chunks(self, *args, **kwargs):
        raise OSError("connection reset while reading the upload")


def broken_upload():
    good = upload("second.pdf", PDF)
    return type(good)(
        file=type(good.file)(BrokenStream(PDF)),
        original_name=good.original_name,
        stored_name=good.stored_name,
        content_type=good.content_type,
        size=good.size,
        sha256=good.sha256,
    )


def test_a_file_failing_to_save_leaves_no_request_row(level1, media):
    with pytest.raises(OSError, match="connection reset"):
        submit(level1, evidence=[upload("first.pdf", PDF), broken_upload()])
    assert not LicenceRequest.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_file_failing_to_save_leaves_no_file_behind(level1, media):
    with pytest.raises(OSError, match="connection reset"):
        submit(level1, evidence=[upload("first.pdf", PDF), broken_upload()])
    assert files_under(Path(media)) == []


def test_a_caseworker_has_no_sponsor_to_report_for(caseworker):
    with pytest.raises(NotFound):
        submit(caseworker)


def test_a_granted_change_of_name_renames_the_licence(level1, caseworker):
    from sponsorship.licences.services import request_decide

    request = submit(
        level1,
        change_type=OrganisationChange.NAME,
        new_details={"name": "Harbour View Care Group Ltd"},
    )
    sponsor = level1.sponsor
    sponsor.refresh_from_db()
    assert sponsor.name != "Harbour View Care Group Ltd"  # not before the decision
    request_decide(
        caseworker=caseworker, request_id=request.pk, outcome="GRANTED", reasons="", ip=None
    )
    sponsor.refresh_from_db()
    assert sponsor.name == "Harbour View Care Group Ltd"
    (event,) = events(AuditVerb.LICENCE_DETAILS_CHANGED)
    assert event.payload["to"] == {"name": "Harbour View Care Group Ltd"}
    assert event.actor == caseworker


def test_a_refused_change_of_size_changes_nothing(level1, caseworker):
    from sponsorship.licences.models import SponsorSize
    from sponsorship.licences.services import request_decide

    before = level1.sponsor.size
    request = submit(
        level1,
        change_type=OrganisationChange.SIZE,
        new_details={"size": SponsorSize.SMALL_OR_CHARITABLE},
    )
    request_decide(
        caseworker=caseworker, request_id=request.pk, outcome="REFUSED", reasons="No.", ip=None
    )
    level1.sponsor.refresh_from_db()
    assert level1.sponsor.size == before


@pytest.mark.parametrize(
    ("change_type", "details", "field"),
    [
        (OrganisationChange.NAME, {"name": "  "}, None),  # blank is "not given"
        (OrganisationChange.ADDRESS, {"town": "Leeds"}, "new_address_line_1"),
        (
            OrganisationChange.ADDRESS,
            {"address_line_1": "1 A St", "town": "Leeds", "postcode": "LS"},
            "new_postcode",
        ),
        (OrganisationChange.SIZE, {"size": "HUGE"}, "new_size"),
    ],
)
def test_new_details_are_checked_for_their_type(level1, change_type, details, field):
    if field is None:
        assert submit(level1, change_type=change_type, new_details=details).details == {}
        return
    with pytest.raises(ApplicationError) as refused:
        submit(level1, change_type=change_type, new_details=details)
    assert refused.value.field == field
    assert not LicenceRequest.objects.exists()


def test_details_for_another_kind_of_change_are_ignored(level1):
    request = submit(
        level1, change_type=OrganisationChange.CONVICTIONS, new_details={"name": "Anything"}
    )
    assert request.details == {}
