"""The reads the compliance dashboard relies on: incomplete checklists and records due for
deletion, each in a fixed number of queries however many workers there are."""

from datetime import date

import pytest

from sponsorship.duties.models import WorkerStatus

from ..items import ITEMS, RecordItem
from ..selectors import (
    incomplete_checklist_count,
    incomplete_checklists,
    records_due_for_deletion,
    records_due_for_deletion_count,
)
from .support import TODAY, complete_checklist, count_queries, sponsored, upload

ALL_LABELS = [str(item.label) for item in ITEMS]


def test_a_new_worker_misses_every_document(worker, sponsor):
    assert incomplete_checklists(sponsor=sponsor) == {worker.pk: ALL_LABELS}


def test_uploaded_and_not_needed_documents_are_not_missing(worker, level1, sponsor):
    upload(worker, RecordItem.RIGHT_TO_WORK, level1)
    missing = incomplete_checklists(sponsor=sponsor)[worker.pk]
    assert "Right to work check" not in missing
    assert len(missing) == len(ITEMS) - 1


def test_a_complete_checklist_is_left_out(worker, level1, sponsor):
    complete_checklist(worker, level1)
    assert incomplete_checklists(sponsor=sponsor) == {}


def test_ended_workers_and_other_sponsors_are_left_out(level1, sponsor, other_worker):
    sponsored(level1, status=WorkerStatus.ENDED, ended_on=date(2026, 1, 1))
    assert incomplete_checklists(sponsor=sponsor) == {}


def test_worker_ids_narrow_the_answer(level1, sponsor, worker):
    another = sponsored(level1, family_name="Second")
    assert set(incomplete_checklists(sponsor=sponsor, worker_ids=[another.pk])) == {another.pk}
    assert incomplete_checklists(sponsor=sponsor, worker_ids=[]) == {}


def _workers_with_some_documents(level1, count):
    for n in range(count):
        worker = sponsored(level1, family_name=f"Worker{n:02d}")
        upload(worker, RecordItem.SALARY, level1)


def test_incomplete_checklists_takes_the_same_queries_for_3_and_30_workers(level1, sponsor):
    _workers_with_some_documents(level1, 3)
    three = count_queries(lambda: incomplete_checklists(sponsor=sponsor))
    _workers_with_some_documents(level1, 27)
    assert len(incomplete_checklists(sponsor=sponsor)) == 30
    assert count_queries(lambda: incomplete_checklists(sponsor=sponsor)) == three == 2


def _former(level1, ended_on, permission=None, **fields):
    worker = sponsored(
        level1,
        status=WorkerStatus.ENDED,
        ended_on=ended_on,
        permission_expires_on=permission,
        **fields,
    )
    upload(worker, RecordItem.SALARY, level1)
    return worker


def test_records_past_their_date_are_flagged_not_deleted(level1, sponsor):
    past = _former(level1, date(2025, 11, 14))  # kept until 14 November 2026
    _former(level1, date(2025, 11, 16))  # kept until today: not yet
    _former(level1, date(2025, 11, 14), permission=date(2026, 6, 1))  # kept until June 2027
    due = records_due_for_deletion(sponsor=sponsor, today=TODAY)
    assert [(d.worker.pk, d.kept_until, d.documents) for d in due] == [
        (past.pk, date(2026, 11, 14), 1)
    ]
    assert records_due_for_deletion_count(sponsor=sponsor, today=TODAY) == 1


def test_with_the_earlier_basis_the_permission_may_decide(level1, sponsor, settings):
    settings.RECORD_RETENTION_BASIS = "earlier"
    worker = _former(level1, date(2026, 10, 1), permission=date(2025, 10, 1))
    due = records_due_for_deletion(sponsor=sponsor, today=TODAY)
    assert [(d.worker.pk, d.kept_until) for d in due] == [(worker.pk, date(2026, 10, 1))]


def test_a_former_worker_with_no_records_is_not_flagged(level1, sponsor):
    sponsored(level1, status=WorkerStatus.ENDED, ended_on=date(2020, 1, 1))
    assert records_due_for_deletion(sponsor=sponsor, today=TODAY) == []


@pytest.mark.parametrize("extra", [2, 29])
def test_records_due_for_deletion_takes_one_query(level1, sponsor, extra):
    for n in range(extra + 1):
        _former(level1, date(2024, 1, 1), family_name=f"Former{n:02d}")
    assert count_queries(lambda: records_due_for_deletion(sponsor=sponsor, today=TODAY)) == 1
    assert records_due_for_deletion_count(sponsor=sponsor, today=TODAY) == extra + 1


def test_the_count_agrees_with_the_list_in_one_query(level1, sponsor, other_worker):
    """The dashboard's figure: workers with gaps, whatever mix of uploads and not-needed."""
    complete = sponsored(level1, family_name="Complete")
    complete_checklist(complete, level1)
    partly = sponsored(level1, family_name="Partly")
    upload(partly, RecordItem.RIGHT_TO_WORK, level1)
    upload(partly, RecordItem.RIGHT_TO_WORK, level1)  # a second version is still one item
    sponsored(level1, family_name="Nothing")
    sponsored(level1, status=WorkerStatus.ENDED, ended_on=date(2026, 1, 1))
    assert incomplete_checklist_count(sponsor=sponsor) == len(
        incomplete_checklists(sponsor=sponsor)
    )
    assert incomplete_checklist_count(sponsor=sponsor) == 2
    assert incomplete_checklist_count(sponsor=sponsor, worker_ids=[partly.pk]) == 1
    assert count_queries(lambda: incomplete_checklist_count(sponsor=sponsor)) == 1
