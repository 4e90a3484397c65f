"""Input shapes for the register, HR events, activity reports and reminder settings. The
questions of an event or a report come from the tables in kinds.py, checked by
fields.clean_answers exactly as the API checks them; the rules are the services'."""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms

from sponsorship.core.errors import ApplicationError
from sponsorship.licences.forms.dates import DATE_PARTS, BoundDate, DateInputMixin, date_part

from .fields import clean_answers
from .kinds import (
    EVENT_DATE_LABELS,
    HR_EVENT_FIELDS,
    REPORT_FIELDS,
    STUDENT_EVENT_KINDS,
    WORKER_EVENT_KINDS,
    EventKind,
    ReportField,
)
from .models import (
    MAX_ENROLMENT_WINDOW_DAYS,
    STUDENT_HR_EVENT_KINDS,
    STUDENT_STATUSES,
    WORKER_HR_EVENT_KINDS,
    WORKER_STATUSES,
    AbsenceType,
    HrEventKind,
    ReminderMode,
)
from .services import EDITABLE_DATES

OUT_OF_DATE = "This form is out of date. Reload the page and try again."
DATE_HINT = "For example, 27 11 2026"
YES_NO = [("yes", "Yes"), ("no", "No")]

# What the date of each HR event means, as its question asks it.
HR_EVENT_DATE_LABELS: dict[str, str] = {
    HrEventKind.FIRST_DAY: "First day at work",
    HrEventKind.ABSENCE: "First day of absence",
    HrEventKind.RETURN: "Date they came back to work",
    HrEventKind.SALARY_CHANGE: "Date the new salary took effect",
    HrEventKind.JOB_CHANGE: "Date the job changed",
    HrEventKind.LOCATION_CHANGE: "Date they started at the new location",
    HrEventKind.CONTACT_CHANGE: "Date the contact details changed",
    HrEventKind.LEAVING: "Their last day at work",
    HrEventKind.ENROLLED: "Date they enrolled",
    HrEventKind.STOPPED_ENGAGING: "Date you decided they had stopped engaging",
    HrEventKind.STUDIES_STOPPED: "Date their studies stopped",
    HrEventKind.STUDIES_PAUSED: "Date their studies stopped for the break",
    HrEventKind.RESUMED: "Date they resumed their studies",
    HrEventKind.COMPLETED: "Date they completed the course",
    HrEventKind.SPONSORSHIP_ENDED: "Date sponsorship ended",
}
HR_EVENT_DATE_HINTS: dict[str, str] = {
    HrEventKind.LEAVING: "It can be ahead, if they are working their notice. " + DATE_HINT,
}


def _spoken(label: str) -> str:
    """A label as messages name it: "First day of absence" becomes "the first day of absence",
    a question is quoted."""
    if label.endswith("?"):
        return f"the answer to “{label}”"
    if label.startswith(("The ", "Their ")):
        return label[0].lower() + label[1:]
    return "the " + label[0].lower() + label[1:]


def _number(text: str, digits: int) -> int:
    """`text` as a number of at most `digits` ASCII digits, else 0."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else 0


@dataclass(frozen=True)
class DateQuestion:
    """A date asked as three boxes: `prefix` names them (`<prefix>_day`...)."""

    prefix: str
    label: str
    hint: str = DATE_HINT
    required: bool = True
    # How messages name the date, when the label does not read well in a sentence.
    named: str = ""

    @property
    def what(self) -> str:
        return self.named or _spoken(self.label)


@dataclass(frozen=True)
class Question:
    """One question of an event or report form, as the template draws it: a date input or a
    GOV.UK field."""

    name: str
    kind: str
    label: str
    hint: str
    field: forms.BoundField | None = None
    date: BoundDate | None = None
    width: str = ""


class DutiesForm(DateInputMixin, forms.Form):
    """Dates as GOV.UK date inputs, and service errors placed on the field they name (a date,
    a question `details.<name>`, or the form as a whole)."""

    date_questions: dict[str, DateQuestion]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.date_questions = {}

    def add_date(self, question: DateQuestion, initial: date | None = None) -> None:
        self.date_questions[question.prefix] = question
        for part in DATE_PARTS:
            self.fields[f"{question.prefix}_{part}"] = date_part()
        if initial is not None:
            for part, value in zip(
                DATE_PARTS, (initial.day, initial.month, initial.year), strict=True
            ):
                self.initial.setdefault(f"{question.prefix}_{part}", str(value))

    def read_date(self, prefix: str) -> tuple[bool, date | None]:
        """The date typed into `prefix`'s boxes: (True, the date or None when left blank and
        not required), or (False, None) after putting the problem on the boxes."""
        question = self.date_questions[prefix]
        what = question.what
        raw = {p: str(self.cleaned_data.get(f"{prefix}_{p}") or "").strip() for p in DATE_PARTS}
        missing = [p for p in DATE_PARTS if not raw[p]]
        if len(missing) == len(DATE_PARTS):
            if question.required:
                self.date_error(prefix, DATE_PARTS, f"Enter {what}")
                return False, None
            return True, None
        if missing:
            self.date_error(
                prefix,
                set(missing),
                f"{what[0].upper()}{what[1:]} must include a {' and '.join(missing)}",
            )
            return False, None
        day = _number(raw["day"], 2)
        month = _number(raw["month"], 2)
        year = _number(raw["year"], 4) if len(raw["year"]) == 4 else 0
        wrong = {
            part
            for part, ok in (
                ("day", 1 <= day <= 31),
                ("month", 1 <= month <= 12),
                ("year", 1900 <= year <= 9999),
            )
            if not ok
        }
        try:
            if wrong:
                raise ValueError
            return True, date(year, month, day)
        except ValueError:
            self.date_error(
                prefix,
                wrong or {"day"},
                f"{what[0].upper()}{what[1:]} must be a real date, like 27 11 2026",
            )
            return False, None

    def place_error(self, name: str, message: str) -> None:
        """Put an error on the field `name` names: a date, a question, or the whole form."""
        name = name.replace("details.", "details_", 1)
        if name in self.date_questions:
            self.date_error(name, DATE_PARTS, message)
        elif name in self.fields and not name.endswith("version"):
            self.add_error(name, message)
        else:
            self.add_error(None, message)

    def add_service_error(self, error: ApplicationError) -> None:
        """A service's refusal, on the fields it names, or above the form."""
        if not error.errors:
            self.add_error(None, error.message)
            return
        for name, message in error.errors:
            self.place_error(name, message)


class QuestionsForm(DutiesForm):
    """A form whose questions come from a kinds.ReportField table, one GOV.UK input each,
    named `details_<name>`."""

    specs: tuple[ReportField, ...] = ()

    def add_questions(self, specs: tuple[ReportField, ...], initial: dict[str, Any]) -> None:
        self.specs = specs
        for spec in specs:
            name = f"details_{spec.name}"
            value = initial.get(spec.name)
            if spec.kind == "date":
                self.add_date(
                    DateQuestion(name, spec.label, spec.hint or DATE_HINT, spec.required),
                    date.fromisoformat(value) if isinstance(value, str) and value else None,
                )
                continue
            self.fields[name] = _field_for(spec)
            if value is not None:
                self.initial[name] = (
                    ("yes" if value else "no") if spec.kind == "yes_no" else str(value)
                )

    def clean_questions(self) -> dict[str, Any]:
        """The answers, checked by the same function the API uses; blanks left out."""
        given: dict[str, Any] = {}
        failed = False
        for spec in self.specs:
            name = f"details_{spec.name}"
            if spec.kind == "date":
                ok, day = self.read_date(name)
                failed = failed or not ok
                if ok and day is not None:
                    given[spec.name] = day.isoformat()
                continue
            given[spec.name] = self.cleaned_data.get(name) or ""
        try:
            answers = clean_answers(self.specs, given, prefix="details_")
        except ApplicationError as error:
            for field, message in error.errors:
                if field not in self.errors and not self._date_has_error(field):
                    self.place_error(field, message)
            return {}
        return {} if failed else answers

    def _date_has_error(self, prefix: str) -> bool:
        return any(f"{prefix}_{part}" in self.errors for part in DATE_PARTS)

    def question_list(self) -> list[Question]:
        return [self._question(spec) for spec in self.specs]

    def _question(self, spec: ReportField) -> Question:
        name = f"details_{spec.name}"
        if spec.kind == "date":
            return Question(
                name, "date", spec.label, spec.hint or DATE_HINT, date=self.bound_date(name)
            )
        width = {"money": "10", "email": "20", "text": "20"}.get(spec.kind, "")
        return Question(name, spec.kind, spec.label, spec.hint, field=self[name], width=width)


def _field_for(spec: ReportField) -> forms.Field:
    """The GOV.UK input for one question. Every check (required, length, format) is left to
    clean_answers, so the web and the API say the same thing."""
    hint = spec.hint
    if not spec.required and spec.kind not in ("yes_no", "choice") and "blank" not in hint:
        hint = f"{hint} Optional.".strip() if hint else "Optional."
    if spec.kind in ("yes_no", "choice"):
        choices = YES_NO if spec.kind == "yes_no" else list(cast(Any, spec.choices).choices)
        return forms.ChoiceField(
            label=spec.label,
            help_text=hint,
            required=False,
            choices=choices,
            widget=forms.RadioSelect,
            # Anything else is reported by clean_answers with the list of choices.
            error_messages={"invalid_choice": f"Choose one of the answers to “{spec.label}”"},
        )
    widget: forms.Widget | type[forms.Widget]
    if spec.kind == "long_text":
        widget = forms.Textarea
    elif spec.kind == "email":
        widget = forms.EmailInput(attrs={"autocomplete": "off"})
    else:
        widget = forms.TextInput
    return forms.CharField(
        label=spec.label, help_text=hint, required=False, strip=True, widget=widget
    )


# ---------------------------------------------------------------- the register


class RegisterFilterForm(forms.Form):
    q = forms.CharField(
        label="Certificate number or family name",
        required=False,
        max_length=100,
        help_text="For example, C2G8H88871U, or the first few letters of a family name.",
        error_messages={"max_length": "Enter 100 characters or fewer"},
    )
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Everyone"),
            ("sponsored", "Everyone still sponsored"),
            *((status.value, status.label) for status in WORKER_STATUSES),
        ],
        error_messages={"invalid_choice": "Select who to show from the list"},
    )


class StudentRegisterFilterForm(forms.Form):
    q = forms.CharField(
        label="CAS number, student ID or family name",
        required=False,
        max_length=100,
        help_text="For example, E1A2B3C4D5E6F7, your student ID, or the first few letters of a "
        "family name.",
        error_messages={"max_length": "Enter 100 characters or fewer"},
    )
    course = forms.CharField(
        label="Course",
        required=False,
        max_length=100,
        help_text="Part of the course title, for example Marine Biology.",
        error_messages={"max_length": "Enter 100 characters or fewer"},
    )
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Everyone"),
            ("sponsored", "Everyone still sponsored"),
            *((status.value, status.label) for status in STUDENT_STATUSES),
        ],
        error_messages={"invalid_choice": "Select who to show from the list"},
    )


class VersionedForm(DutiesForm):
    """Carries the version the record was read at, so a change made meanwhile (another tab,
    another person) is refused rather than overwritten."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        # A missing or tampered version is the same problem: the form is out of date.
        if "version" in self.errors:
            del self.errors["version"]
            self.add_error(None, OUT_OF_DATE)
        elif hasattr(self, "cleaned_data") and self.cleaned_data.get("version") is None:
            self.add_error(None, OUT_OF_DATE)


class WorkerDatesForm(VersionedForm):
    """The register's dates (EDITABLE_DATES). A date left blank is cleared."""

    HINTS = {
        "right_to_work_follow_up_on": "When a time-limited right to work must be checked again.",
    }
    NAMED = {"visa_valid_from": "the date the visa is valid from"}

    def __init__(self, data: Any = None, *, worker: Any):
        super().__init__(data, initial={"version": worker.version})
        for name, label in EDITABLE_DATES.items():
            hint = " ".join(
                part
                for part in (self.HINTS.get(name), f"{DATE_HINT}. Leave blank if not known.")
                if part
            )
            self.add_date(
                DateQuestion(name, label, hint, required=False, named=self.NAMED.get(name, "")),
                getattr(worker, name),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.values: dict[str, str] = {}
        for name in EDITABLE_DATES:
            ok, day = self.read_date(name)
            if ok:
                self.values[name] = day.isoformat() if day else ""
        return data

    def dates(self) -> list[tuple[DateQuestion, BoundDate]]:
        return [(self.date_questions[name], self.bound_date(name)) for name in EDITABLE_DATES]


# ---------------------------------------------------------------- HR events


class HrEventKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened?",
        choices=[(kind.value, kind.label) for kind in WORKER_HR_EVENT_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what happened",
            "invalid_choice": "Select what happened from the list",
        },
    )


class StudentEventKindForm(HrEventKindForm):
    kind = forms.ChoiceField(
        label="What happened?",
        choices=[(kind.value, kind.label) for kind in STUDENT_HR_EVENT_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what happened",
            "invalid_choice": "Select what happened from the list",
        },
    )


class HrEventForm(QuestionsForm):
    """One HR event: its date (named by kind), for an absence its type and last day, and the
    kind's own questions (kinds.HR_EVENT_FIELDS)."""

    def __init__(self, data: Any = None, *, kind: str):
        super().__init__(data)
        self.kind = kind
        self.add_date(
            DateQuestion(
                "occurred_on",
                HR_EVENT_DATE_LABELS[kind],
                HR_EVENT_DATE_HINTS.get(kind, DATE_HINT),
            )
        )
        if kind == HrEventKind.ABSENCE:
            self.fields["absence_type"] = forms.ChoiceField(
                label="What kind of absence is it?",
                choices=AbsenceType.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select what kind of absence it is",
                    "invalid_choice": "Select what kind of absence it is",
                },
            )
            self.add_date(
                DateQuestion(
                    "ends_on",
                    "Last day of absence",
                    "Leave blank if they are still away. For unpaid leave, give the planned "
                    "last day. " + DATE_HINT,
                    required=False,
                )
            )
        self.add_questions(HR_EVENT_FIELDS[kind], {})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _, occurred = self.read_date("occurred_on")
        ends: date | None = None
        if "ends_on" in self.date_questions:
            _, ends = self.read_date("ends_on")
        details = self.clean_questions()
        self.event: dict[str, Any] = {
            "kind": self.kind,
            "occurred_on": occurred.isoformat() if occurred else "",
            "ends_on": ends.isoformat() if ends else None,
            "absence_type": data.get("absence_type", ""),
            "details": details,
        }
        return data

    @property
    def bound_occurred_on(self) -> BoundDate:
        return self.bound_date("occurred_on")

    @property
    def bound_ends_on(self) -> BoundDate | None:
        return self.bound_date("ends_on") if "ends_on" in self.date_questions else None


# ---------------------------------------------------------------- activity reports


class ReportKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you reporting?",
        choices=[(kind.value, kind.label) for kind in WORKER_EVENT_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you are reporting",
            "invalid_choice": "Select what you are reporting from the list",
        },
    )


class StudentReportKindForm(ReportKindForm):
    kind = forms.ChoiceField(
        label="What are you reporting?",
        choices=[(kind.value, kind.label) for kind in STUDENT_EVENT_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you are reporting",
            "invalid_choice": "Select what you are reporting from the list",
        },
    )


class ReportForm(QuestionsForm):
    """A migrant activity report: the event's date, named by kind (kinds.EVENT_DATE_LABELS),
    and the kind's own questions (kinds.REPORT_FIELDS)."""

    def __init__(
        self,
        data: Any = None,
        *,
        kind: str,
        event_date: date | None = None,
        answers: dict[str, Any] | None = None,
    ):
        super().__init__(data)
        self.kind = EventKind(kind)
        self.add_date(DateQuestion("event_date", EVENT_DATE_LABELS[kind]), event_date)
        self.add_questions(REPORT_FIELDS[kind], answers or {})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _, self.event_date = self.read_date("event_date")
        self.answers = self.clean_questions()
        return data

    @property
    def event_date_input(self) -> BoundDate:
        return self.bound_date("event_date")


# ---------------------------------------------------------------- reminders


class ComplianceSettingsForm(VersionedForm):
    reminder_lead_days = forms.CharField(
        label="Remind us this many working days before a duty falls due",
        help_text="Whole numbers separated by commas, for example 5, 2, 1. Overdue duties are "
        "reminded every working day as well.",
        required=False,
    )
    expiry_alert_days = forms.CharField(
        label="Warn us this many days before a worker's permission expires",
        help_text="Whole numbers separated by commas, for example 90, 60, 30, 14, 7.",
        required=False,
    )
    # Only for sponsors of students (the view removes it otherwise).
    enrolment_window_days = forms.CharField(
        label="Days after a course starts by which a student must enrol",
        help_text="Your enrolment period, in calendar days, from 1 to "
        f"{MAX_ENROLMENT_WINDOW_DAYS}. A student not recorded as enrolled by then must be "
        "reported as not enrolled.",
        required=False,
    )


class ReminderPreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label="How do you want to get reminders?",
        choices=ReminderMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you want to get reminders",
            "invalid_choice": "Select how you want to get reminders",
        },
    )
