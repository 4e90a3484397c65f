"""What a sponsor reports about a sponsored worker, and what each report asks for.

DOMAIN.md "Reporting duties": the event types and their clocks. One table here feeds the
report forms, the API's validation, the duty clock and the printed evidence pack.
"""

from dataclasses import dataclass

from django.db import models

from sponsorship.licences.models import Nation


class EventKind(models.TextChoices):
    """A reportable change about a sponsored worker, or about the organisation."""

    DID_NOT_START = "DID_NOT_START", "Worker did not start"
    ABSENCE = "ABSENCE", "Unauthorised absence of more than 10 working days"
    UNPAID_LEAVE = "UNPAID_LEAVE", "Unpaid or reduced-pay leave of more than 4 weeks"
    SALARY_REDUCED = "SALARY_REDUCED", "Salary reduced"
    JOB_CHANGED = "JOB_CHANGED", "Job changed significantly"
    LOCATION_CHANGED = "LOCATION_CHANGED", "Work location changed"
    SPONSORSHIP_STOPPED = "SPONSORSHIP_STOPPED", "Sponsorship stopped"
    OFFSHORE = "OFFSHORE", "Offshore worker arrived or left"
    BREACH_SUSPECTED = "BREACH_SUSPECTED", "Worker suspected of breaching conditions"
    ORGANISATION_CHANGE = "ORGANISATION_CHANGE", "Change to the organisation"


# A migrant activity report is about a worker, so it is never an organisation change: those
# are reported as a change of circumstances request.
WORKER_EVENT_KINDS = [kind for kind in EventKind if kind != EventKind.ORGANISATION_CHANGE]


class StopReason(models.TextChoices):
    RESIGNED = "RESIGNED", "Resigned"
    DISMISSED = "DISMISSED", "Dismissed"
    REDUNDANCY = "REDUNDANCY", "Made redundant"
    CONTRACT_ENDED = "CONTRACT_ENDED", "Contract ended"
    OTHER_ROUTE = "OTHER_ROUTE", "Moved to another immigration route"
    SETTLEMENT = "SETTLEMENT", "Granted settlement"
    DIED = "DIED", "Died"
    OTHER = "OTHER", "Another reason"


class LocationKind(models.TextChoices):
    NEW_SITE = "NEW_SITE", "A new branch or site of ours"
    CLIENT_SITE = "CLIENT_SITE", "A client's site"
    HOME_WORKING = "HOME_WORKING", "Working from home permanently"
    # Not reportable since March 2024; recorded so the register stays true.
    HYBRID = "HYBRID", "Hybrid working (not reportable)"


class OffshoreMovement(models.TextChoices):
    ARRIVED = "ARRIVED", "Arrived at the offshore location"
    LEFT = "LEFT", "Left the offshore location"


@dataclass(frozen=True)
class ReportField:
    """One question a report or event asks. `kind` is one of: date, text, long_text, email,
    yes_no, money, choice (with `choices`)."""

    name: str
    label: str
    kind: str
    required: bool = True
    hint: str = ""
    choices: type[models.TextChoices] | None = None
    max_length: int = 0


_CONTACT = (
    ReportField(
        "contact_attempts",
        "How have you tried to contact them?",
        "long_text",
        hint="Say when and how: phone, e-mail, letter, visits.",
        max_length=2000,
    ),
)

# What each report asks, beyond its event date. The event date's meaning differs by kind
# (EVENT_DATE_LABELS); the clock start is worked out from it (deadlines.clock_start).
REPORT_FIELDS: dict[str, tuple[ReportField, ...]] = {
    EventKind.DID_NOT_START: (
        ReportField(
            "reason",
            "Why has the worker not started?",
            "long_text",
            hint="For example, their visa was delayed, or they withdrew from the job.",
            max_length=2000,
        ),
        ReportField(
            "still_expected",
            "Do you still expect them to start?",
            "yes_no",
        ),
        ReportField("expected_start", "When do you now expect them to start?", "date", False),
    ),
    EventKind.ABSENCE: (
        ReportField("return_date", "Date they came back to work, if they have", "date", False),
        *_CONTACT,
        ReportField(
            "pay_deductions",
            "Pay deducted for the absence",
            "long_text",
            False,
            hint="Leave blank if none.",
            max_length=1000,
        ),
        ReportField("sponsorship_continues", "Will you continue to sponsor them?", "yes_no"),
    ),
    EventKind.UNPAID_LEAVE: (
        ReportField("leave_start", "First day of the leave", "date"),
        ReportField("leave_end", "Last day of the leave, if known", "date", False),
        ReportField(
            "reason", "Why is the leave unpaid or on reduced pay?", "long_text", max_length=2000
        ),
    ),
    EventKind.SALARY_REDUCED: (
        ReportField("new_salary", "New gross annual salary", "money", hint="For example, 38500"),
        ReportField("reason", "Why was the salary reduced?", "long_text", max_length=2000),
    ),
    EventKind.JOB_CHANGED: (
        ReportField("new_job_title", "New job title", "text", max_length=200),
        ReportField("new_duties", "How have the duties changed?", "long_text", max_length=1000),
    ),
    EventKind.LOCATION_CHANGED: (
        ReportField("location_kind", "What kind of change is it?", "choice", choices=LocationKind),
        ReportField("new_address", "The new work address", "long_text", max_length=500),
    ),
    EventKind.SPONSORSHIP_STOPPED: (
        ReportField("reason", "Why did sponsorship stop?", "choice", choices=StopReason),
        ReportField("reason_details", "Tell us more", "long_text", False, max_length=2000),
        ReportField("last_known_address", "Last known home address", "long_text", max_length=500),
        ReportField(
            "last_known_email", "Last known e-mail address", "email", False, max_length=254
        ),
        ReportField("last_known_phone", "Last known phone number", "text", False, max_length=30),
        ReportField("new_employer", "New employer, if known", "text", False, max_length=200),
    ),
    EventKind.OFFSHORE: (
        ReportField("movement", "Did they arrive or leave?", "choice", choices=OffshoreMovement),
        ReportField("location", "Offshore location", "text", max_length=200),
    ),
    EventKind.BREACH_SUSPECTED: (
        ReportField(
            "description",
            "What makes you suspect a breach of their conditions?",
            "long_text",
            max_length=2000,
        ),
    ),
}

EVENT_DATE_LABELS: dict[str, str] = {
    EventKind.DID_NOT_START: "Latest of the certificate start date, visa start date and grant date",
    EventKind.ABSENCE: "First day of the absence",
    EventKind.UNPAID_LEAVE: "The day the leave went over 4 weeks in the calendar year",
    EventKind.SALARY_REDUCED: "Date the reduced salary took effect",
    EventKind.JOB_CHANGED: "Date the job changed",
    EventKind.LOCATION_CHANGED: "Date they started at the new location",
    EventKind.SPONSORSHIP_STOPPED: "Date sponsorship stopped (their last day, for example)",
    EventKind.OFFSHORE: "Date they arrived or left",
    EventKind.BREACH_SUSPECTED: "Date you became aware",
    EventKind.ORGANISATION_CHANGE: "Date of the change",
}


# What each HR event carries in `details`, beyond its date (and, for an absence, its type and
# last day).
HR_EVENT_FIELDS: dict[str, tuple[ReportField, ...]] = {
    "FIRST_DAY": (),
    "ABSENCE": (),
    "RETURN": (),
    "SALARY_CHANGE": (
        ReportField("new_salary", "New gross annual salary", "money", hint="For example, 38500"),
    ),
    "JOB_CHANGE": (
        ReportField("new_job_title", "New job title", "text", max_length=200),
        ReportField(
            "significant",
            "Have the duties changed significantly?",
            "yes_no",
            hint="A significant change within the same occupation code must be reported.",
        ),
        ReportField("description", "What changed?", "long_text", False, max_length=1000),
    ),
    "LOCATION_CHANGE": (
        ReportField("location_kind", "What kind of change is it?", "choice", choices=LocationKind),
        ReportField("new_address", "The new work address", "long_text", max_length=500),
        ReportField(
            "nation",
            "Which part of the UK is it in?",
            "choice",
            False,
            hint="Decides whose bank holidays count in this worker's deadlines.",
            choices=Nation,
        ),
    ),
    "CONTACT_CHANGE": (
        ReportField("email", "E-mail address", "email", False, max_length=254),
        ReportField("phone", "Phone number", "text", False, max_length=30),
        ReportField("home_address", "Home address", "long_text", False, max_length=500),
    ),
    "LEAVING": (
        ReportField("reason", "Why are they leaving?", "choice", choices=StopReason),
        ReportField("reason_details", "Tell us more", "long_text", False, max_length=2000),
    ),
}
