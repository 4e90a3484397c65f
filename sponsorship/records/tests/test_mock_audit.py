"""The mock audit: each check provoked and cleared, on a licence that otherwise passes them
all, and a fixed number of queries however many workers."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.duties.models import DutyStatus, WorkerStatus
from sponsorship.duties.services import duty_close
from sponsorship.licences.models import KeyPerson, KeyPersonRole
from sponsorship.licences.tests.factories import KeyPersonFactory

from ..items import RecordItem
from ..mock_audit import Severity, mock_audit
from .support import TODAY, complete_checklist, count_queries, overdue_duty, sponsored, upload


@pytest.fixture
def clean(sponsor, level1, worker):
    """A licence that passes every check: key personnel, two Level 1 users, one worker with
    every record."""
    KeyPersonFactory(sponsor=sponsor, role=KeyPersonRole.AUTHORISING_OFFICER)
    KeyPersonFactory(sponsor=sponsor, role=KeyPersonRole.KEY_CONTACT)
    Level1Factory(sponsor=sponsor)
    complete_checklist(worker, level1)
    return worker


def codes(sponsor):
    return [f.code for f in mock_audit(sponsor=sponsor, today=TODAY)]


def test_a_clean_licence_has_no_findings(clean, sponsor):
    assert codes(sponsor) == []


def test_missing_key_personnel(clean, sponsor):
    KeyPerson.objects.filter(sponsor=sponsor).delete()
    findings = mock_audit(sponsor=sponsor, today=TODAY)
    assert [(f.code, f.severity) for f in findings] == [("key_person_missing", Severity.HIGH)] * 2
    assert [f.title for f in findings] == [
        "The licence has no Authorising Officer",
        "The licence has no Key Contact",
    ]
    assert findings[0].link == reverse("licences:key_people")
    KeyPersonFactory(sponsor=sponsor, role=KeyPersonRole.AUTHORISING_OFFICER)
    KeyPersonFactory(sponsor=sponsor, role=KeyPersonRole.KEY_CONTACT)
    assert codes(sponsor) == []


def test_fewer_than_two_level1_users(clean, sponsor, level1):
    other = sponsor.users.exclude(pk=level1.pk).get()
    other.status = "DEACTIVATED_BY_SPONSOR"
    other.save()
    [finding] = mock_audit(sponsor=sponsor, today=TODAY)
    assert finding.code == "too_few_level_1_users"
    assert finding.title == "The licence has 1 active Level 1 user"
    Level1Factory(sponsor=sponsor)
    assert codes(sponsor) == []


def test_an_overdue_duty(clean, sponsor):
    duty = overdue_duty(clean)
    [finding] = mock_audit(sponsor=sponsor, today=TODAY)
    assert finding.code == "duty_overdue"
    assert finding.worker == clean
    assert "was due by 15 October 2026" in finding.title
    duty_close(duty, DutyStatus.DONE, "Reported", actor=None)
    assert codes(sponsor) == []


def test_a_duty_not_yet_due_is_no_finding(clean, sponsor):
    overdue_duty(clean)
    assert mock_audit(sponsor=sponsor, today=date(2026, 10, 15)) == []


def test_an_incomplete_checklist(clean, sponsor, level1):
    second = sponsored(level1, family_name="Nowak")
    upload(second, RecordItem.RIGHT_TO_WORK, level1)
    [finding] = mock_audit(sponsor=sponsor, today=TODAY)
    assert finding.code == "records_incomplete"
    assert finding.severity == Severity.MEDIUM
    assert finding.worker == second
    assert finding.title.endswith("has 8 documents missing")
    assert finding.link == f"/workers/register/{second.pk}/records/"
    complete_checklist(second, level1)
    assert codes(sponsor) == []


def test_a_salary_below_the_certificate(clean, sponsor):
    clean.annual_salary = Decimal("54999.99")
    clean.save()
    [finding] = mock_audit(sponsor=sponsor, today=TODAY)
    assert finding.code == "salary_below_certificate"
    assert "£54,999.99 a year, less than the £55,000.00 on their certificate" in finding.title
    clean.annual_salary = Decimal("55000")
    clean.save()
    assert codes(sponsor) == []


def test_an_expired_permission(clean, sponsor):
    clean.permission_expires_on = date(2026, 11, 15)
    clean.save()
    [finding] = mock_audit(sponsor=sponsor, today=TODAY)
    assert finding.code == "permission_expired"
    assert "ended on 15 November 2026" in finding.title
    clean.permission_expires_on = TODAY
    clean.save()
    assert codes(sponsor) == []


def test_a_right_to_work_follow_up_not_done(clean, sponsor):
    clean.right_to_work_checked_on = date(2026, 1, 5)
    clean.right_to_work_follow_up_on = date(2026, 11, 1)
    clean.save()
    [finding] = mock_audit(sponsor=sponsor, today=TODAY)
    assert finding.code == "right_to_work_follow_up_overdue"
    clean.right_to_work_checked_on = date(2026, 11, 3)
    clean.save()
    assert codes(sponsor) == []


def test_ended_workers_are_not_checked_for_pay_permission_or_records(clean, sponsor, level1):
    sponsored(
        level1,
        status=WorkerStatus.ENDED,
        ended_on=date(2026, 10, 1),
        annual_salary=Decimal("1000"),
        permission_expires_on=date(2026, 10, 1),
    )
    assert codes(sponsor) == []


def test_records_due_for_deletion(clean, sponsor, level1):
    former = sponsored(level1, status=WorkerStatus.ENDED, ended_on=date(2025, 1, 1))
    upload(former, RecordItem.SALARY, level1)
    [finding] = mock_audit(sponsor=sponsor, today=TODAY)
    assert finding.code == "records_due_for_deletion"
    assert finding.severity == Severity.LOW
    assert finding.title == "The records of 1 former worker are past their retention date"


def test_findings_come_most_serious_first(clean, sponsor, level1):
    former = sponsored(level1, status=WorkerStatus.ENDED, ended_on=date(2025, 1, 1))
    upload(former, RecordItem.SALARY, level1)
    sponsored(level1, family_name="Nowak")
    overdue_duty(clean)
    assert codes(sponsor) == ["duty_overdue", "records_incomplete", "records_due_for_deletion"]


def _troubled_workers(level1, count):
    for n in range(count):
        worker = sponsored(
            level1,
            family_name=f"Worker{n:02d}",
            annual_salary=Decimal("30000"),
            permission_expires_on=date(2026, 1, 1),
            right_to_work_follow_up_on=date(2026, 2, 1),
        )
        overdue_duty(worker)


def test_the_same_queries_for_3_and_30_workers(clean, sponsor, level1):
    _troubled_workers(level1, 3)
    three = count_queries(lambda: mock_audit(sponsor=sponsor, today=TODAY))
    _troubled_workers(level1, 27)
    assert len(mock_audit(sponsor=sponsor, today=TODAY)) == 30 * 5
    assert count_queries(lambda: mock_audit(sponsor=sponsor, today=TODAY)) == three
