"""API: HR events: what happened to a worker, recorded from the register or sent by an HR
system's webhook, and the duties each raises."""

from ninja import Query, Router, Status

from sponsorship.api.pagination import paginate
from sponsorship.api.permissions import api_requires
from sponsorship.core.errors import NotFound
from sponsorship.core.http import client_ip
from sponsorship.core.permissions import Permission
from sponsorship.core.types import ApiRequest
from sponsorship.licences.api.shapes import RESPONSES, PageQuery

from .. import selectors, services
from ..models import EventSource, Worker
from .schemas import (
    ANSWERS_CHECKED,
    HR_EVENT_QUESTIONS,
    HrEventFieldsIn,
    HrEventIn,
    HrEventPage,
    HrEventRecordedOut,
    HrEventWebhookIn,
    WorkerId,
    duty_raised_out,
    event_out,
)

router = Router(tags=["HR events"])

WHAT_EACH_KIND_ASKS = f"""The kinds of event, and the `details` each asks for:

{HR_EVENT_QUESTIONS}

{ANSWERS_CHECKED}"""

ANSWERS = """Answers **201** with the event and the duties it raised (what must now be reported,
and by when), or **200** with the event first recorded when the same `external_id` was sent
before with the same event."""

RETRIES = """**Retries.** Send each event with your system's own id for it in `external_id`
(1 to 100 characters, unique among all your organisation's events, and never reused). When an
answer is lost, times out, or is a 429 (wait the `Retry-After` seconds) or a 5xx, send exactly
the same request again, as often as needed: the event is recorded once. A repeat answers 200
with the event first recorded and the duties it raised. Two copies
sent at the same moment are recorded once too. The same `external_id` with a different event
(another worker, kind, date or details) is refused with 409 `external_id_reused`: give a new
event a new id. A 400, 404 or 422 names what to fix; the same request will not succeed on a
retry."""


def _record(
    request: ApiRequest, worker: Worker, payload: HrEventFieldsIn, external_id: str
) -> Status:
    event, created = services.hr_event_record(
        actor=request.auth,
        worker=worker,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        ends_on=payload.ends_on,
        absence_type=payload.absence_type.value if payload.absence_type else "",
        details=payload.details,
        external_id=external_id,
        source=EventSource.API,
        ip=client_ip(request),
    )
    raised = selectors.duties_raised_by(event)
    return Status(
        201 if created else 200,
        HrEventRecordedOut(event=event_out(event), duties=[duty_raised_out(d) for d in raised]),
    )


@router.get(
    "/workers/{int:worker_id}/events",
    response={200: HrEventPage, **RESPONSES},
    summary="The events recorded about a worker, newest first",
)
@api_requires(Permission.WORKER_REGISTER_VIEW)
def worker_events(request: ApiRequest, worker_id: WorkerId, query: Query[PageQuery]) -> HrEventPage:
    found = selectors.worker_get_for_user(user=request.auth, worker_id=worker_id)
    items, info = paginate(selectors.worker_events(found), query.page, query.page_size)
    return HrEventPage(items=[event_out(e) for e in items], page=info)


@router.post(
    "/workers/{int:worker_id}/events",
    response={201: HrEventRecordedOut, 200: HrEventRecordedOut, **RESPONSES},
    summary="Record what happened to a worker: a first day, an absence, a change, leaving",
    description=f"""The register is brought up to date, and any duty the event makes
reportable is raised: for example the 11th working day of an unauthorised absence, or a salary
cut. `external_id` is optional here; with one, sending the event again records it once.

{ANSWERS}

{WHAT_EACH_KIND_ASKS}""",
)
@api_requires(Permission.WORKER_EVENTS_RECORD)
def worker_event_record(request: ApiRequest, worker_id: WorkerId, payload: HrEventIn) -> Status:
    found = selectors.worker_get_for_user(user=request.auth, worker_id=worker_id)
    return _record(request, found, payload, payload.external_id or "")


@router.post(
    "/hr-events",
    response={201: HrEventRecordedOut, 200: HrEventRecordedOut, **RESPONSES},
    summary="Receive an event from an HR system (for webhooks): safe to retry",
    description=f"""For an HR system's webhook: the worker is named by the number of the
certificate that sponsors them, and `external_id` is required. The event is recorded as by
`POST /workers/{{worker_id}}/events`. A Level 2 user's token reaches only the workers whose
certificates they own; any other number is not found (404).

{ANSWERS}

{RETRIES}

{WHAT_EACH_KIND_ASKS}""",
)
@api_requires(Permission.WORKER_EVENTS_RECORD)
def hr_event_receive(request: ApiRequest, payload: HrEventWebhookIn) -> Status:
    try:
        found = selectors.worker_get_by_certificate_number(
            user=request.auth, number=payload.certificate_number
        )
    except NotFound as missing:
        raise NotFound(missing.message, field="certificate_number") from None
    return _record(request, found, payload, payload.external_id)
