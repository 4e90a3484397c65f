"""Input shapes for the caseworkers' pages. Business rules stay in the services: these forms
check only that the input has the right shape, and show the services' refusals on their
fields (`show_error`)."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from sponsorship.core.errors import ApplicationError
from sponsorship.licences.models import (
    ALLOCATION_KINDS,
    QUEUE_KINDS,
    LicenceRequest,
    Message,
    Queue,
    Rating,
    RequestKind,
    RequestStatus,
    Route,
    SettledWorkerException,
    SponsorRoute,
)
from sponsorship.licences.services import MessageDraft

REASONS_HINT = "The sponsor reads these reasons in the notice the Home Office sends."


def show_error(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's refusal on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def reasons_field(required: bool = True, hint: str = REASONS_HINT) -> forms.CharField:
    return forms.CharField(
        label="Reasons",
        help_text=hint,
        required=required,
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Give the reasons"},
    )


class QueueFilterForm(forms.Form):
    """The filters of one work queue (read from the query string)."""

    kind = forms.ChoiceField(label="Kind of request", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Any open status"),
            (RequestStatus.SUBMITTED.value, RequestStatus.SUBMITTED.label),
            (RequestStatus.INFO_REQUESTED.value, RequestStatus.INFO_REQUESTED.label),
        ],
    )
    q = forms.CharField(
        label="Sponsor name or licence number",
        required=False,
        max_length=200,
    )
    mine = forms.BooleanField(label="Assigned to me", required=False)

    def __init__(self, *args: Any, queue: Queue, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", "Every kind"),
            *((kind.value, kind.label) for kind in QUEUE_KINDS[queue]),
        ]

    def filters(self) -> dict[str, Any]:
        """What to pass to the queue selector; nothing filtered when the input is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"kind": data["kind"], "status": data["status"], "search": data["q"]}


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="What does the sponsor need to send?",
        help_text="The sponsor is e-mailed this question. The request's clock stops until they "
        "answer.",
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Write what the sponsor needs to send"},
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose grant, partly grant or refuse"},
    )
    number_granted = forms.IntegerField(
        label="Number of certificates granted",
        required=False,
        min_value=1,
        help_text="Only for a partial grant: fewer than the sponsor asked for.",
        error_messages={"invalid": "Enter the number of certificates granted, like 3"},
    )
    reasons = reasons_field(
        required=False,
        hint="Required unless you grant the request in full. The sponsor reads "
        "them with the decision.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, request: LicenceRequest, **kwargs: Any):
        kwargs.setdefault("initial", {"version": request.version})
        super().__init__(*args, **kwargs)
        self.is_allocation = request.kind in ALLOCATION_KINDS
        choices = [(RequestStatus.GRANTED.value, "Grant")]
        if self.is_allocation:
            choices.append((RequestStatus.PARTLY_GRANTED.value, "Partly grant"))
            self.fields["number_granted"].help_text = (
                f"Only for a partial grant: from 1 to {(request.number_requested or 1) - 1} "
                f"(the sponsor asked for {request.number_requested})."
            )
        else:
            del self.fields["number_granted"]
        choices.append((RequestStatus.REFUSED.value, "Refuse"))
        if request.kind == RequestKind.DEFINED_COS:
            choices.append((RequestStatus.REJECTED.value, "Reject: the application is not valid"))
        self.fields["outcome"].choices = choices  # type: ignore[attr-defined]


class ReasonsForm(forms.Form):
    """An action whose only input is the reasons for it."""

    reasons = reasons_field()


class DeactivateForm(forms.Form):
    reasons = reasons_field(hint="The user and the Authorising Officer are e-mailed these reasons.")


class RatingForm(forms.Form):
    route = forms.ChoiceField(
        label="Route", error_messages={"required": "Choose the route to rate"}
    )
    rating = forms.ChoiceField(
        label="New rating",
        widget=forms.RadioSelect,
        choices=Rating.choices,
        error_messages={"required": "Choose A, B or provisional"},
    )
    action_plan_steps = forms.CharField(
        label="Action plan (for a B rating)",
        help_text="What the sponsor must do to be A-rated again. The fee and the payment "
        "deadline are set from the rules in force today and shown once the rating is changed.",
        required=False,
        max_length=10000,
        widget=forms.Textarea,
    )
    reasons = reasons_field()

    def __init__(self, *args: Any, routes: list[SponsorRoute], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [  # type: ignore[attr-defined]
            (r.route, f"{r.get_route_display()} ({r.get_rating_display()})") for r in routes
        ]


class SettledExceptionForm(forms.Form):
    exception = forms.ChoiceField(
        label="Exception to the settled Level 1 user rule",
        widget=forms.RadioSelect,
        choices=SettledWorkerException.choices,
        required=False,
    )
    reasons = reasons_field(hint="Recorded in the licence's audit trail.")


class MessageForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    body = forms.CharField(
        label="Message",
        max_length=20000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the message"},
    )
    routes = forms.MultipleChoiceField(
        label="Routes",
        help_text="Tick none to send the message to every sponsor.",
        choices=Route.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active_from_date = forms.DateField(
        label="Active from (date)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date the message goes live",
            "invalid": "Enter the date the message goes live as a real date, like 2026-12-01",
        },
    )
    active_from_time = forms.TimeField(
        label="Active from (time)",
        help_text="UK time, like 09:00.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "Enter the time the message goes live",
            "invalid": "Enter the time the message goes live, like 09:00",
        },
    )
    active_to = forms.DateField(
        label="Active to",
        help_text="From the day after, the message moves to the archived view.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the last day the message is active",
            "invalid": "Enter the last day the message is active as a real date, like 2026-12-31",
        },
    )

    @classmethod
    def initial_for(cls, message: Message) -> dict[str, Any]:
        live_from = timezone.localtime(message.published_at)
        return {
            "title": message.title,
            "body": message.body,
            "routes": [r.route for r in message.routes.all()],
            "active_from_date": live_from.date(),
            "active_from_time": live_from.time().replace(second=0, microsecond=0),
            "active_to": message.archive_on,
        }

    @staticmethod
    def default_initial(today: date) -> dict[str, Any]:
        return {"active_from_date": today, "active_from_time": time(9, 0)}

    def draft(self) -> MessageDraft:
        data = self.cleaned_data
        active_from = timezone.make_aware(
            datetime.combine(data["active_from_date"], data["active_from_time"])
        )
        return MessageDraft(
            title=data["title"],
            body=data["body"],
            routes=list(data["routes"]),
            active_from=active_from,
            active_to=data["active_to"],
        )
