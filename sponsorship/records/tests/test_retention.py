"""How long records are kept: the end of sponsorship and the end of permission, each plus the
rule's months, the later or the earlier of them as the deployment chooses."""

from datetime import date

import pytest

from sponsorship.duties.models import WorkerStatus

from ..retention import EARLIER, LATER, keep_until
from ..selectors import worker_keep_until
from .support import sponsored

D = date

CASES = [
    # ended_on, permission ends, months, basis, keep until
    pytest.param(None, D(2027, 5, 1), 12, LATER, None, id="still sponsored: keep"),
    pytest.param(None, None, 12, EARLIER, None, id="still sponsored, no dates: keep"),
    pytest.param(D(2026, 3, 31), None, 12, LATER, D(2027, 3, 31), id="no permission date"),
    pytest.param(D(2026, 3, 31), None, 12, EARLIER, D(2027, 3, 31), id="no permission, earlier"),
    pytest.param(D(2026, 3, 31), D(2026, 9, 30), 12, LATER, D(2027, 9, 30), id="later: permission"),
    pytest.param(
        D(2026, 3, 31), D(2026, 9, 30), 12, EARLIER, D(2027, 3, 31), id="earlier: sponsorship"
    ),
    pytest.param(D(2026, 6, 1), D(2026, 1, 15), 12, LATER, D(2027, 6, 1), id="later: sponsorship"),
    pytest.param(
        D(2026, 6, 1), D(2026, 1, 15), 12, EARLIER, D(2027, 1, 15), id="earlier: permission"
    ),
    pytest.param(D(2026, 6, 1), D(2026, 6, 1), 12, LATER, D(2027, 6, 1), id="same day"),
    pytest.param(D(2024, 2, 29), None, 12, LATER, D(2025, 2, 28), id="29 February"),
    pytest.param(D(2026, 1, 31), None, 1, LATER, D(2026, 2, 28), id="short month"),
    pytest.param(D(2026, 1, 31), None, 24, LATER, D(2028, 1, 31), id="two years"),
]


@pytest.mark.parametrize(("ended_on", "permission", "months", "basis", "expected"), CASES)
def test_keep_until(ended_on, permission, months, basis, expected):
    assert (
        keep_until(ended_on=ended_on, permission_expires_on=permission, months=months, basis=basis)
        == expected
    )


def test_an_unknown_basis_is_refused_by_name():
    with pytest.raises(ValueError, match="RECORD_RETENTION_BASIS"):
        keep_until(ended_on=D(2026, 1, 1), permission_expires_on=None, months=12, basis="latest")


def test_a_worker_still_sponsored_has_no_date_even_with_an_end_date_recorded(level1):
    worker = sponsored(level1, ended_on=D(2025, 1, 1))
    assert worker.status == WorkerStatus.WORKING
    assert worker_keep_until(worker) is None


@pytest.mark.parametrize(
    ("basis", "expected"), [(LATER, D(2027, 3, 31)), (EARLIER, D(2026, 6, 30))]
)
def test_the_setting_chooses_the_basis(level1, settings, basis, expected):
    settings.RECORD_RETENTION_BASIS = basis
    worker = sponsored(
        level1,
        status=WorkerStatus.ENDED,
        ended_on=D(2025, 6, 30),
        permission_expires_on=D(2026, 3, 31),
    )
    assert worker_keep_until(worker) == expected
