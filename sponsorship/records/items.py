"""The documents a sponsor keeps for each sponsored worker (Appendix D), as one table: what each
is called, what counts, and whether the sponsor may say it is not needed for a worker."""

from dataclasses import dataclass

from django.db import models


class RecordItem(models.TextChoices):
    # The values appear in web addresses and the API's paths, so they read as words.
    RIGHT_TO_WORK = "right-to-work", "Right to work check"
    ENTRY_DATE = "entry-date", "Evidence of the date of entry to the UK"
    NI_NUMBER = "ni-number", "National Insurance number"
    CONTACT_HISTORY = "contact-history", "History of contact details"
    DBS_CHECK = "dbs-check", "DBS check"
    ABSENCE_RECORD = "absence-record", "Absence record"
    RECRUITMENT = "recruitment", "Recruitment evidence"
    SALARY = "salary", "Salary evidence (payslips)"
    SKILL_LEVEL = "skill-level", "Evidence of skill level"


@dataclass(frozen=True)
class ItemRule:
    hint: str
    # Only where the guidance itself says "where needed" may a sponsor record a reason instead.
    may_be_not_needed: bool = False
    not_needed_example: str = ""


ITEMS: dict[RecordItem, ItemRule] = {
    RecordItem.RIGHT_TO_WORK: ItemRule(
        "A copy of the right to work check you made before the worker started, with the date "
        "you made it: the documents you saw, or the Home Office online check result."
    ),
    RecordItem.ENTRY_DATE: ItemRule(
        "Something that shows when the worker came to the UK, such as a boarding pass, a travel "
        "ticket or an entry stamp in their passport.",
        may_be_not_needed=True,
        not_needed_example="The worker was already in the UK and changed to this route here.",
    ),
    RecordItem.NI_NUMBER: ItemRule(
        "The worker's National Insurance number, for example a letter from HMRC or a payslip "
        "that shows it."
    ),
    RecordItem.CONTACT_HISTORY: ItemRule(
        "The worker's contact details and each change to them, for example an export from your "
        "HR system. The register also keeps the changes you record in this service."
    ),
    RecordItem.DBS_CHECK: ItemRule(
        "The certificate of a Disclosure and Barring Service check, where the job needs one.",
        may_be_not_needed=True,
        not_needed_example="The job does not involve work with children or adults at risk.",
    ),
    RecordItem.ABSENCE_RECORD: ItemRule(
        "A record of the worker's absences from work, for example an export from your HR or "
        "time recording system."
    ),
    RecordItem.RECRUITMENT: ItemRule(
        "How you recruited the worker: the job advert, the applications shortlisted and notes "
        "of the interviews."
    ),
    RecordItem.SALARY: ItemRule(
        "Payslips, or payroll records, showing what the worker has been paid."
    ),
    RecordItem.SKILL_LEVEL: ItemRule(
        "Evidence the worker has the skills the job needs, such as qualification certificates, "
        "references or professional registration."
    ),
}


def rule_of(item: str) -> ItemRule:
    return ITEMS[RecordItem(item)]
