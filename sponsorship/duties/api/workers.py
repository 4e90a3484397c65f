"""API: the sponsored-worker register: find workers, read one, keep its dates current."""

from typing import Annotated, Any, Literal

from django.db.models import Count, Q, QuerySet
from ninja import Field, Query, Router

from sponsorship.api.pagination import paginate
from sponsorship.api.permissions import api_requires
from sponsorship.certificates.api.schemas import TextRules
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, PageQuery

from .. import selectors, services
from ..models import WORKER_STATUSES, DutyStatus, Worker
from .schemas import (
    WorkerDatesIn,
    WorkerDetailOut,
    WorkerId,
    WorkerOut,
    WorkerPage,
    contact_out,
    today,
    worker_fields,
)

router = Router(tags=["Worker register"])

StatusFilter = Literal[(*(status.value for status in WORKER_STATUSES), "sponsored")]  # type: ignore[valid-type]


class WorkerQuery(PageQuery):
    status: StatusFilter | None = Field(  # type: ignore[valid-type]
        None,
        description="AWAITING_START, WORKING or ENDED; `sponsored` for everyone not ended.",
    )
    search: Annotated[str, TextRules("Search", 100)] = Field(
        "",
        description="A certificate number, exactly (spaces ignored), or the start of the "
        "worker's family name.",
    )


def with_open_duties(rows: QuerySet[Worker]) -> QuerySet[Worker]:
    """Each worker's count of open duties, in the same query as the workers."""
    return rows.annotate(open_duties=Count("duties", filter=Q(duties__status=DutyStatus.OPEN)))


def worker_detail(request: ApiRequest, worker_id: int) -> WorkerDetailOut:
    """The caller's worker: another sponsor's, or one a Level 2 user does not own, is not
    found."""
    worker = selectors.worker_get_for_user(user=request.auth, worker_id=worker_id)
    open_duties = (
        selectors.duty_list_for_user(user=request.auth, today=today(), worker=worker)
        .filter(status=DutyStatus.OPEN)
        .count()
    )
    return WorkerDetailOut(
        **worker_fields(worker, open_duties),
        contact_history=[contact_out(c) for c in selectors.worker_contacts(worker)],
    )


@router.get(
    "/workers",
    response={200: WorkerPage, **RESPONSES},
    summary="Your sponsored workers: the register, by family name",
    description="One row per worker sponsored through a used certificate. A Level 2 user "
    "sees the workers whose certificates they own.",
)
@api_requires(Permission.WORKER_REGISTER_VIEW)
def workers(request: ApiRequest, query: Query[WorkerQuery]) -> WorkerPage:
    rows = selectors.worker_list_for_user(
        user=request.auth, status=query.status or "", search=query.search
    )
    items, info = paginate(with_open_duties(rows), query.page, query.page_size)
    return WorkerPage(
        items=[WorkerOut(**worker_fields(w, w.open_duties)) for w in items], page=info
    )


@router.get(
    "/workers/{int:worker_id}",
    response={200: WorkerDetailOut, **RESPONSES},
    summary="One worker on your register, with their contact details' history",
)
@api_requires(Permission.WORKER_REGISTER_VIEW)
def worker(request: ApiRequest, worker_id: WorkerId) -> WorkerDetailOut:
    return worker_detail(request, worker_id)


@router.patch(
    "/workers/{int:worker_id}/dates",
    response={200: WorkerDetailOut, **RESPONSES},
    summary="Change a worker's visa, permission and right to work dates",
    description="Send the worker's `version` and the dates to change; null clears one, and "
    "those not sent stay as they are. A new visa date can move the day by which the worker "
    "must start. A change made since you read the worker is refused (409 `stale_edit`).",
)
@api_requires(Permission.WORKER_EVENTS_RECORD)
def worker_dates(
    request: ApiRequest,
    worker_id: WorkerId,
    payload: WorkerDatesIn,  # type: ignore[valid-type]
) -> WorkerDetailOut:
    found = selectors.worker_get_for_user(user=request.auth, worker_id=worker_id)
    sent: dict[str, Any] = payload.model_dump(  # type: ignore[attr-defined]
        exclude_unset=True, exclude={"version"}
    )
    services.worker_update_dates(
        actor=request.auth,
        worker=found,
        version=payload.version,  # type: ignore[attr-defined]
        values=sent,
        ip=client_ip(request),
    )
    return worker_detail(request, found.pk)
