"""What each kind of record does, through the same services as the web: an Applicant is a CAS
created (`cas_create`) and assigned (`certificate_assign`), a FeeUpdate changes a live CAS's
fees (`cas_fees_update`), a StudentActivity or a Graduate is a report on the student of a used
CAS (`student_activity_report`). Each record is one transaction with its result row, so a
record is either done and recorded as done, or leaves nothing behind but its reasons."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from lxml import etree  # type: ignore[import-untyped]

from sponsorship.certificates.models import AddressPurpose, Certificate, CertificateKind
from sponsorship.certificates.selectors import certificate_list_for_user, work_address_list_for_user
from sponsorship.certificates.services import cas_create, cas_fees_update, certificate_assign
from sponsorship.core.errors import ApplicationError
from sponsorship.duties.kinds import EventKind
from sponsorship.duties.models import EventSource
from sponsorship.duties.services.students import student_activity_report

from ..elements import Element, by_name, element_of
from ..models import BulkFile, BulkKind, BulkRecord, RecordOutcome
from ..xmlfiles import FileShape, Reason, child_text, record_reasons

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

# The services' words for a country code they do not know: a file gives codes, not choices.
_COUNTRY_MESSAGES = ("Select a nationality in the list", "Select a country in the list")
# The web form's controls, named as the elements a file sets instead.
_FILE_WORDS = (
    ("or untick 'ATAS certificate required'", "or set ATASRequired to false"),
    ("or untick 'includes a work placement'", "or set WorkPlacement to false"),
    (
        "Tick 'course fees include accommodation', or leave the accommodation fees blank",
        "Set CourseFeeIncludesAccomodationCosts to true, or leave out AccommodationFeesPaidToDate",
    ),
    ("or pick one of your study addresses", "or give StudyAddressID"),
)


class AnotherJob(Exception):
    """Another job has already recorded this position: this one stops."""


@dataclass
class Outcome:
    outcome: RecordOutcome
    reasons: list[Reason] = field(default_factory=list)
    certificate_id: int | None = None
    cas_number: str = ""


def _in_file_words(message: str) -> str:
    for web, file in _FILE_WORDS:
        message = message.replace(web, file)
    return message


def _reasons_from(error: ApplicationError, elements: tuple[Element, ...]) -> list[Reason]:
    """A service's refusal as reasons naming the sender's elements."""
    pairs = error.errors or [(error.field or "", error.message)]
    reasons = []
    for name, message in pairs:
        element = element_of(elements, name) if name else ""
        reasons.append(Reason(element, _in_file_words(message)))
    return reasons


class Handler:
    """Records of one file: `key` names the record for "done once", `act` does it."""

    def __init__(self, bulk_file: BulkFile, shape: FileShape):
        self.bulk_file = bulk_file
        self.shape = shape
        self.actor: User = bulk_file.sent_by
        self.ip = bulk_file.sent_from
        self.by_name = by_name(shape.elements)

    def key(self, record: etree._Element) -> str:  # pragma: no cover (each kind has its own)
        raise NotImplementedError

    def applicant_id(self, record: etree._Element) -> str:
        return " ".join(child_text(record, "ApplicantID").split())[:50]

    def act(self, record: etree._Element) -> Outcome:  # pragma: no cover
        raise NotImplementedError

    def values(self, record: etree._Element) -> dict[str, Any]:
        """Each element given, as the value of its field."""
        values = {}
        for child in record:
            if not isinstance(child.tag, str):
                continue
            element = self.by_name.get(etree.QName(child).localname)
            if element is not None:
                values[element.field] = element.value(child.text)
        return values

    def handle(self, position: int, record: etree._Element) -> RecordOutcome:
        """Do one record and write its result; returns its outcome."""
        applicant_id = self.applicant_id(record)
        key = self.key(record)
        done_key = f"{self.bulk_file.kind}:{self.bulk_file.file_id}:{key}" if key else None
        earlier = self._done_before(done_key)
        if earlier is not None:
            return self._write(position, applicant_id, earlier)
        reasons = record_reasons(record, self.shape)
        if reasons:
            return self._write(position, applicant_id, Outcome(RecordOutcome.REJECTED, reasons))
        try:
            with transaction.atomic():
                outcome = self.act(record)
                self._insert(position, applicant_id, outcome, done_key)
                return outcome.outcome
        except ApplicationError as error:
            refused = Outcome(RecordOutcome.REJECTED, self.reasons(error))
            return self._write(position, applicant_id, refused)
        except IntegrityError:
            # Another job did this position, or this record's key, meanwhile: nothing of this
            # attempt was kept. Say which.
            if BulkRecord.objects.filter(bulk_file=self.bulk_file, position=position).exists():
                raise AnotherJob() from None
            earlier = self._done_before(done_key)
            if earlier is None:  # pragma: no cover (no other unique constraint to break)
                raise
            return self._write(position, applicant_id, earlier)

    def reasons(self, error: ApplicationError) -> list[Reason]:
        return _reasons_from(error, self.shape.elements)

    def live_cas(self, number: str, applicant_id: str | None) -> Certificate:
        """The sender's CAS with this number; when the record gives an ApplicantID too, it
        must be the CAS's student, so the wrong CAS is never changed or reported on."""
        certificate = (
            certificate_list_for_user(user=self.actor, kind=CertificateKind.CAS)
            .select_related("sponsor")
            .filter(number=number)
            .first()
        )
        if certificate is None:
            raise ApplicationError(
                f"There is no CAS {number} on your licence: check the number", field="cas_number"
            )
        student_id = certificate.cas.student_id
        if applicant_id is not None and applicant_id != student_id:
            held = f"its student ID is {student_id}" if student_id else "it has no student ID"
            raise ApplicationError(
                f"ApplicantID {applicant_id} is not the student of CAS {number} ({held}): "
                "check you are acting on the right CAS",
                field="applicant_id",
            )
        return certificate

    def _done_before(self, done_key: str | None) -> Outcome | None:
        if done_key is None:
            return None
        done = (
            BulkRecord.objects.filter(sponsor_id=self.bulk_file.sponsor_id, done_key=done_key)
            .select_related("bulk_file")
            .first()
        )
        if done is None:
            return None
        if done.bulk_file_id == self.bulk_file.pk:
            where = f"Record {done.position} of this file"
        else:
            received = timezone.localtime(done.bulk_file.received_at)
            where = (
                f"Record {done.position} of the file sent on {received.day} "
                f"{received:%B %Y} at {received:%H:%M}"
            )
        number = done.cas_number
        what = {
            RecordOutcome.CREATED: f"CAS {number} was created and assigned",
            RecordOutcome.UPDATED: f"the fees of CAS {number} were updated",
            RecordOutcome.REPORTED: f"the report on CAS {number} was made",
        }[RecordOutcome(done.outcome)]
        return Outcome(
            RecordOutcome.ALREADY_DONE,
            [Reason("", f"{where} already did this: {what}. Nothing was done again.")],
            certificate_id=done.certificate_id,
            cas_number=done.cas_number,
        )

    def _insert(
        self, position: int, applicant_id: str, outcome: Outcome, done_key: str | None
    ) -> None:
        BulkRecord.objects.create(
            sponsor_id=self.bulk_file.sponsor_id,
            bulk_file=self.bulk_file,
            position=position,
            applicant_id=applicant_id,
            cas_number=outcome.cas_number,
            certificate_id=outcome.certificate_id,
            outcome=outcome.outcome,
            reasons=[reason.as_dict() for reason in outcome.reasons],
            done_key=done_key,
        )

    def _write(self, position: int, applicant_id: str, outcome: Outcome) -> RecordOutcome:
        """The result of a record that changed nothing."""
        try:
            with transaction.atomic():
                self._insert(position, applicant_id, outcome, None)
        except IntegrityError:
            raise AnotherJob() from None
        return outcome.outcome


class UploadHandler(Handler):
    """An Applicant: a CAS created and assigned, keyed by its ApplicantID."""

    def __init__(self, bulk_file: BulkFile, shape: FileShape):
        super().__init__(bulk_file, shape)
        self._addresses: dict[str, int | None] = {}

    def key(self, record: etree._Element) -> str:
        return self.applicant_id(record)

    def _study_address(self, identifier: str) -> int | None:
        if identifier not in self._addresses:
            self._addresses[identifier] = (
                work_address_list_for_user(
                    user=self.actor, in_use_only=True, purpose=AddressPurpose.STUDY
                )
                .filter(identifier=identifier)
                .values_list("pk", flat=True)
                .first()
            )
        return self._addresses[identifier]

    def act(self, record: etree._Element) -> Outcome:
        values = self.values(record)
        route = values.pop("route", "") or "STUDENT"
        identifier = values.pop("study_address_id", None)
        if identifier is not None:
            typed = [name for name in values if name.startswith("study_") and name != "study_mode"]
            if typed:
                raise ApplicationError(
                    "Give either StudyAddressID or the study address itself, not both",
                    field="study_address_id",
                )
            address = self._study_address(identifier)
            if address is None:
                raise ApplicationError(
                    f"{identifier} is not one of your study addresses in use. Add it under "
                    "Study addresses, or give the address itself",
                    field="study_address_id",
                )
            values["study_address_id"] = address
        certificate = cas_create(actor=self.actor, route=route, values=values, ip=self.ip)
        certificate_assign(actor=self.actor, certificate=certificate, version=None, ip=self.ip)
        return Outcome(
            RecordOutcome.CREATED,
            certificate_id=certificate.pk,
            cas_number=certificate.number or "",
        )

    def reasons(self, error: ApplicationError) -> list[Reason]:
        reasons = []
        for reason in super().reasons(error):
            if reason.message.startswith(_COUNTRY_MESSAGES) and reason.element:
                reason = Reason(
                    reason.element,
                    f"{reason.element} is not a country code we know: use an ISO 3166-1 "
                    "alpha-3 code, like POL",
                )
            reasons.append(reason)
        return reasons


class UpdateHandler(Handler):
    """A FeeUpdate: the fees of a live CAS, found by its number; keyed by the number."""

    def key(self, record: etree._Element) -> str:
        return "".join(child_text(record, "CASNumber").split())

    def act(self, record: etree._Element) -> Outcome:
        values = self.values(record)
        number = values.pop("cas_number")
        certificate = self.live_cas(number, values.pop("applicant_id", None))
        if not values:
            raise ApplicationError(
                "There is nothing to change: give at least one of CourseFeesForFirstYearOnly, "
                "CourseFeesPaidToDate, CourseFeeIncludesAccomodationCosts or "
                "AccommodationFeesPaidToDate"
            )
        cas_fees_update(
            actor=self.actor, certificate=certificate, version=None, values=values, ip=self.ip
        )
        return Outcome(RecordOutcome.UPDATED, certificate_id=certificate.pk, cas_number=number)


class ReportHandler(Handler):
    """A StudentActivity or a Graduate: a report on the student of a used CAS, through
    `student_activity_report`. Keyed by the CAS number (and the event and its date)."""

    def key(self, record: etree._Element) -> str:
        number = "".join(child_text(record, "CASNumber").split())
        if not number or self.bulk_file.kind == BulkKind.GRADUATE:
            return number
        event = child_text(record, "EventType").strip()
        return f"{number}:{event}:{child_text(record, 'EventDate').strip()}"

    def act(self, record: etree._Element) -> Outcome:
        values = self.values(record)
        number = values.pop("cas_number")
        certificate = self.live_cas(number, values.pop("applicant_id", None))
        student_activity_report(
            actor=self.actor,
            certificate=certificate,
            kind=values.pop("kind", EventKind.GRADUATED),
            event_date=values.pop("event_date"),
            answers=values,
            source=EventSource.BULK,
            ip=self.ip,
        )
        return Outcome(RecordOutcome.REPORTED, certificate_id=certificate.pk, cas_number=number)

    def reasons(self, error: ApplicationError) -> list[Reason]:
        """The report's questions are named `details.<question>`, its kind `kind`; a refusal
        about the CAS itself (not used, sponsorship over) is about CASNumber."""
        pairs = error.errors or [(error.field or "", error.message)]
        reasons = []
        for name, message in pairs:
            element = element_of(self.shape.elements, name.removeprefix("details.")) or (
                "" if name else "CASNumber"
            )
            if message.endswith("is not a question of this form: leave it out"):
                message = f"{element} is not asked in this kind of report: leave it out"
            reasons.append(Reason(element, message))
        return reasons


HANDLERS: dict[str, type[Handler]] = {
    BulkKind.UPLOAD: UploadHandler,
    BulkKind.UPDATE: UpdateHandler,
    BulkKind.REPORT: ReportHandler,
    BulkKind.GRADUATE: ReportHandler,
}
