"""What a sponsor reports about a sponsored worker or student, and what each report asks for.

DOMAIN.md "Reporting duties" and "Confirmation of Acceptance for Studies": the event types and
their clocks. One table here feeds the report forms, the API's validation, the bulk files'
records, the duty clock and the printed evidence pack.
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
    # A student's (DOMAIN.md "Confirmation of Acceptance for Studies").
    DID_NOT_ENROL = "DID_NOT_ENROL", "Student did not enrol"
    STOPPED_ENGAGING = "STOPPED_ENGAGING", "Student stopped engaging with their studies"
    STUDIES_STOPPED = "STUDIES_STOPPED", "Student withdrew, was withdrawn or was excluded"
    STUDIES_PAUSED = "STUDIES_PAUSED", "Student suspended, interrupted or deferred their studies"
    COMPLETED_EARLY = "COMPLETED_EARLY", "Student completed the course early"
    STUDENT_SPONSORSHIP_ENDED = (
        "STUDENT_SPONSORSHIP_ENDED",
        "Student's sponsorship ended for another reason",
    )
    # Successful completion, notified before a Graduate route application: no deadline.
    GRADUATED = "GRADUATED", "Graduate notification: course completed successfully"


STUDENT_EVENT_KINDS = [
    EventKind.DID_NOT_ENROL,
    EventKind.STOPPED_ENGAGING,
    EventKind.STUDIES_STOPPED,
    EventKind.STUDIES_PAUSED,
    EventKind.COMPLETED_EARLY,
    EventKind.STUDENT_SPONSORSHIP_ENDED,
    EventKind.GRADUATED,
]

# A migrant activity report is about a worker, so it is never an organisation change (those
# are reported as a change of circumstances request) nor a student's event.
WORKER_EVENT_KINDS = [
    kind
    for kind in EventKind
    if kind != EventKind.ORGANISATION_CHANGE and kind not in STUDENT_EVENT_KINDS
]

# Reports after which sponsorship is over: they meet every duty still open about the person,
# end their sponsorship and leave only corrections to send (and, after completing early, the
# graduate notification). A report answering "no" to `sponsorship_continues` does the same.
SPONSORSHIP_ENDING_KINDS = frozenset(
    {
        EventKind.SPONSORSHIP_STOPPED,
        EventKind.STUDIES_STOPPED,
        EventKind.COMPLETED_EARLY,
        EventKind.STUDENT_SPONSORSHIP_ENDED,
        EventKind.GRADUATED,
    }
)


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


class StudiesStoppedHow(models.TextChoices):
    WITHDREW = "WITHDREW", "The student withdrew from the course"
    WITHDRAWN = "WITHDRAWN", "You withdrew them from the course"
    EXCLUDED = "EXCLUDED", "You excluded them"


class StudiesPausedHow(models.TextChoices):
    SUSPENDED = "SUSPENDED", "Suspended their studies"
    INTERRUPTED = "INTERRUPTED", "Interrupted their studies"
    DEFERRED = "DEFERRED", "Deferred their studies"


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

_CONTINUES = ReportField(
    "sponsorship_continues",
    "Will you continue to sponsor them?",
    "yes_no",
    hint="Answer no if you are withdrawing sponsorship: it ends with this report.",
)
_LAST_KNOWN = (
    ReportField("last_known_address", "Last known home address", "long_text", max_length=500),
    ReportField("last_known_email", "Last known e-mail address", "email", False, max_length=254),
    ReportField("last_known_phone", "Last known phone number", "text", False, max_length=30),
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
    EventKind.DID_NOT_ENROL: (
        ReportField(
            "reason",
            "Why have they not enrolled?",
            "long_text",
            hint="Say what you know, for example their visa was refused or they have not "
            "arrived. Say if you do not know.",
            max_length=2000,
        ),
        *_CONTACT,
        _CONTINUES,
    ),
    EventKind.STOPPED_ENGAGING: (
        ReportField(
            "missed",
            "What have they stopped attending or doing?",
            "long_text",
            hint="For example, lectures, tutorials, supervision meetings or coursework "
            "deadlines, with dates.",
            max_length=2000,
        ),
        *_CONTACT,
        _CONTINUES,
    ),
    EventKind.STUDIES_STOPPED: (
        ReportField("how", "How did their studies stop?", "choice", choices=StudiesStoppedHow),
        ReportField("reason_details", "Tell us more", "long_text", False, max_length=2000),
        *_LAST_KNOWN,
    ),
    EventKind.STUDIES_PAUSED: (
        ReportField("how", "What kind of break is it?", "choice", choices=StudiesPausedHow),
        ReportField("reason", "Why are they taking a break?", "long_text", max_length=2000),
        ReportField("expected_return", "When do you expect them to resume?", "date", False),
        _CONTINUES,
    ),
    EventKind.COMPLETED_EARLY: (
        ReportField(
            "reason",
            "Why did the course end early?",
            "long_text",
            hint="For example, they submitted their thesis early.",
            max_length=2000,
        ),
        ReportField(
            "qualification", "Qualification awarded, if known", "text", False, max_length=200
        ),
    ),
    EventKind.STUDENT_SPONSORSHIP_ENDED: (
        ReportField("reason", "Why has sponsorship ended?", "long_text", max_length=2000),
        *_LAST_KNOWN,
        ReportField(
            "new_route",
            "Their new sponsor or immigration route, if known",
            "text",
            False,
            max_length=200,
        ),
    ),
    EventKind.GRADUATED: (
        ReportField(
            "qualification",
            "Qualification awarded",
            "text",
            hint="For example, MSc Marine Biology.",
            max_length=200,
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
    EventKind.DID_NOT_ENROL: "Last day of the enrolment period",
    EventKind.STOPPED_ENGAGING: "Date you decided they had stopped engaging",
    EventKind.STUDIES_STOPPED: "Date their studies stopped",
    EventKind.STUDIES_PAUSED: "Date their studies stopped for the break",
    EventKind.COMPLETED_EARLY: "Date they completed the course",
    EventKind.STUDENT_SPONSORSHIP_ENDED: "Date sponsorship ended",
    EventKind.GRADUATED: "Date they successfully completed the course",
}


# What each HR event (or student event) carries in `details`, beyond its date (and, for an
# absence, its type and last day).
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
    # A student's.
    "ENROLLED": (),
    "STOPPED_ENGAGING": (
        ReportField(
            "description",
            "What have they stopped attending or doing?",
            "long_text",
            False,
            max_length=2000,
        ),
    ),
    "STUDIES_STOPPED": (
        ReportField("how", "How did their studies stop?", "choice", choices=StudiesStoppedHow),
        ReportField("reason_details", "Tell us more", "long_text", False, max_length=2000),
    ),
    "STUDIES_PAUSED": (
        ReportField("how", "What kind of break is it?", "choice", choices=StudiesPausedHow),
        ReportField("expected_return", "When do you expect them to resume?", "date", False),
    ),
    "RESUMED": (),
    "COMPLETED": (
        ReportField(
            "qualification", "Qualification awarded, if known", "text", False, max_length=200
        ),
    ),
    "SPONSORSHIP_ENDED": (
        ReportField("reason", "Why has sponsorship ended?", "long_text", max_length=2000),
    ),
}
