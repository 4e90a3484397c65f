"""The pages a worker's and a student's events and reports share, told apart by which register
they belong to: the templates name their links and words from one of these."""

from dataclasses import dataclass

from sponsorship.core.permissions import Permission

from ..models import Worker


@dataclass(frozen=True)
class Pages:
    """URL names and words for one register."""

    person: str
    register: str
    event_new: str
    report_new: str
    report: str
    report_sent: str
    reports: str
    noun: str
    certificate: str
    register_title: str
    reports_title: str
    report_permission: Permission


WORKER_PAGES = Pages(
    person="duties:worker",
    register="duties:register",
    event_new="duties:event_new",
    report_new="duties:report_new",
    report="duties:report",
    report_sent="duties:report_sent",
    reports="duties:reports",
    noun="worker",
    certificate="certificate",
    register_title="sponsored workers",
    reports_title="Migrant activity reports",
    report_permission=Permission.ACTIVITY_REPORT,
)

STUDENT_PAGES = Pages(
    person="duties:student",
    register="duties:students",
    event_new="duties:student_event_new",
    report_new="duties:student_report_new",
    report="duties:student_report",
    report_sent="duties:student_report_sent",
    reports="duties:student_reports",
    noun="student",
    certificate="CAS",
    register_title="sponsored students",
    reports_title="Student activity reports",
    report_permission=Permission.STUDENT_ACTIVITY_REPORT,
)


def pages_for(person: Worker | None) -> Pages:
    return STUDENT_PAGES if person is not None and person.is_student else WORKER_PAGES
