"""Exporting the audit trail as CSV: streamed, filtered, scoped, safe to open in a spreadsheet,
and itself recorded."""

import csv
import io

import pytest

from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.audit.services import Target, audit_record
from sponsorship.core.csv_export import neutralise

HEADER = ["When (UTC)", "User ID", "Action", "Target", "Details", "IP address", "Event hash"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd()", "'=cmd()"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Harbour View Care Ltd", "Harbour View Care Ltd"),
        ("a=b", "a=b"),
        ("Łukasz", "Łukasz"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-5, "'-5"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # so spreadsheets read it as UTF-8
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def exporter(signed_in, level1):
    return signed_in(level1)


def test_export_streams_a_csv_file(exporter):
    response = exporter.get("/audit-trail/export.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    assert response["Content-Disposition"].endswith('.csv"')
    table = read_csv(response)
    assert table[0] == HEADER
    assert len(table) > 1


def test_export_rows_match_the_events(exporter, level1):
    event = audit_record(
        AuditVerb.API_TOKEN_CREATED,
        actor=level1,
        target=Target(type="api.ApiToken", id="9", label="Student records"),
        ip_address="192.0.2.44",
    )
    table = read_csv(exporter.get("/audit-trail/export.csv?verb=API_TOKEN_CREATED"))
    assert table[1:] == [
        [
            event.created_at.isoformat(timespec="seconds"),
            "LEVELONE1",
            "API token created",
            "Student records",
            "",
            "192.0.2.44",
            event.hash,
        ]
    ]


def test_export_applies_the_filters(exporter, level1, level2):
    audit_record(AuditVerb.PASSWORD_CHANGED, actor=level1)
    audit_record(AuditVerb.PASSWORD_CHANGED, actor=level2)
    audit_record(AuditVerb.API_TOKEN_CREATED, actor=level2)
    table = read_csv(exporter.get("/audit-trail/export.csv?verb=PASSWORD_CHANGED&actor=LEVELTWO1"))
    assert [(row[1], row[2]) for row in table[1:]] == [("LEVELTWO1", "Password changed")]


def test_export_contains_only_this_sponsors_events(exporter, level1, other_level1):
    audit_record(
        AuditVerb.API_TOKEN_CREATED,
        actor=other_level1,
        target=Target(type="api.ApiToken", id="1", label="Rival token"),
    )
    audit_record(AuditVerb.SIGN_IN_FAILED, actor_label="NOBODYKNOWN")
    table = read_csv(exporter.get("/audit-trail/export.csv"))
    flat = "\n".join(",".join(row) for row in table)
    assert "OTHERONE1" not in flat
    assert "Rival token" not in flat
    assert "NOBODYKNOWN" not in flat
    ours = set(AuditEvent.objects.filter(sponsor=level1.sponsor).values_list("hash", flat=True))
    assert {row[6] for row in table[1:]} <= ours


def test_export_neutralises_formulas(exporter, sponsor):
    audit_record(
        AuditVerb.SIGN_IN_FAILED,
        actor_label="=cmd()",
        sponsor=sponsor,
        target=Target(type="x", id="1", label="@SUM(1+1)"),
        payload={"note": "=HYPERLINK()"},
    )
    table = read_csv(exporter.get("/audit-trail/export.csv?verb=SIGN_IN_FAILED"))
    (row,) = table[1:]
    assert row[1] == "'=cmd()"
    assert row[3] == "'@SUM(1+1)"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_export_keeps_names_in_any_alphabet(exporter, sponsor):
    audit_record(
        AuditVerb.MESSAGES_ARCHIVED,
        actor_label="Łukasz Жанна",
        sponsor=sponsor,
    )
    table = read_csv(exporter.get("/audit-trail/export.csv?verb=MESSAGES_ARCHIVED"))
    assert table[1][1] == "Łukasz Жанна"


def test_export_is_recorded_in_the_trail(exporter, level1):
    exporter.get("/audit-trail/export.csv?verb=SIGN_IN&actor=LEVELONE1")
    event = AuditEvent.objects.get(verb=AuditVerb.AUDIT_EXPORTED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor
    assert event.payload["filters"]["verb"] == "SIGN_IN"
    assert event.payload["filters"]["actor"] == "LEVELONE1"


def test_each_export_is_recorded(exporter):
    exporter.get("/audit-trail/export.csv")
    exporter.get("/audit-trail/export.csv")
    assert AuditEvent.objects.filter(verb=AuditVerb.AUDIT_EXPORTED).count() == 2


def test_the_export_link_carries_the_filters(exporter):
    page = exporter.get("/audit-trail/?verb=SIGN_IN&actor=LEVELONE1").content.decode()
    assert 'href="/audit-trail/export.csv?verb=SIGN_IN&amp;actor=LEVELONE1"' in page


def test_the_exported_trail_still_verifies(exporter):
    from django.core.management import call_command

    exporter.get("/audit-trail/export.csv")
    call_command("audit_verify", stdout=io.StringIO())


def test_level2_cannot_export(signed_in, level2):
    response = signed_in(level2).get("/audit-trail/export.csv")
    assert response.status_code == 403
    assert not response.streaming
    assert not AuditEvent.objects.filter(verb=AuditVerb.AUDIT_EXPORTED).exists()


def test_caseworker_cannot_use_the_sponsor_export(signed_in, caseworker):
    assert signed_in(caseworker).get("/audit-trail/export.csv").status_code == 403


def test_export_of_many_events_is_complete(exporter, level1):
    for n in range(120):
        audit_record(AuditVerb.PASSWORD_CHANGED, actor=level1, payload={"n": n})
    table = read_csv(exporter.get("/audit-trail/export.csv?verb=PASSWORD_CHANGED"))
    assert len(table) == 121


def test_export_times_are_in_utc(exporter, level1):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    summer = datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(summer, tick=False):
        audit_record(AuditVerb.PASSWORD_CHANGED, actor=level1)
    table = read_csv(exporter.get("/audit-trail/export.csv?verb=PASSWORD_CHANGED"))
    assert table[1][0] == "2026-07-01T08:30:00+00:00"
