"""Finding certificates: the fast exact paths (certificate number, passport number and, for a
CAS, the student ID) and the advanced search by the person's details, status, dates, batch, owner
and (CAS) course. Every search is of one kind of certificate (CoS unless `kind` says CAS) and is
scoped by `certificate_list_for_user`, so a Level 2 user only ever finds the certificates they
own and nobody finds another sponsor's. The web pages, the exports and the API all search through
here."""

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.db.models.lookups import Exact
from django.utils import timezone

from sponsorship.accounts.models import UserLevel, UserStatus
from sponsorship.accounts.selectors import user_list_for_sponsor
from sponsorship.licences.selectors import sponsor_of

from .models import Certificate, CertificateKind, name_key, normalise_reference
from .selectors import certificate_list_for_user

if TYPE_CHECKING:
    from sponsorship.accounts.models import User

# Most recently changed first; the (sponsor, status, -updated_at) and (sponsor, owner,
# -updated_at) indexes serve this order.
RESULT_ORDER = ("-updated_at", "-pk")


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the service's time zone (London)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _student_id_is(wanted: str) -> Exact:
    """A CAS's student ID is `wanted`, compared as `normalise_reference` words it (upper case,
    no spaces): student IDs are stored as the sponsor typed them."""
    return Exact(Upper(Replace(F("cas__student_id"), Value(" "), Value(""))), wanted)


def certificate_search(
    *,
    user: "User",
    number: str | None = None,
    passport: str | None = None,
    family_name: str | None = None,
    given_names: str | None = None,
    nationality: str | None = None,
    date_of_birth: date | None = None,
    status: str | None = None,
    assigned_from: date | None = None,
    assigned_to: date | None = None,
    batch_id: int | None = None,
    owner_id: int | None = None,
    student_id: str | None = None,
    course: str | None = None,
    kind: str = CertificateKind.COS,
) -> QuerySet[Certificate]:
    """The user's certificates of one kind matching every filter given, most recently changed
    first. Numbers (and a CAS's student ID) match exactly (case and spaces ignored); names match
    from their start, in any case (names are compared by their search keys, `name_key`); a
    CAS's course matches any part of its title, in any case; the assigned dates include both
    ends."""
    rows = certificate_list_for_user(user=user, kind=kind)
    if student_id := normalise_reference(student_id):
        rows = rows.filter(_student_id_is(student_id))
    if course := " ".join((course or "").split()):
        rows = rows.filter(cas__course_title__icontains=course)
    if number := normalise_reference(number):
        rows = rows.filter(number=number)
    if passport := normalise_reference(passport):
        rows = rows.filter(passport_number=passport)
    if family_name := (family_name or "").strip():
        rows = rows.filter(family_name_key__startswith=name_key(family_name))
    if given_names := (given_names or "").strip():
        rows = rows.filter(given_names_key__startswith=name_key(given_names))
    if nationality := (nationality or "").strip().upper():
        rows = rows.filter(nationality=nationality)
    if date_of_birth is not None:
        rows = rows.filter(date_of_birth=date_of_birth)
    if status:
        rows = rows.filter(status=status)
    # Whole days in London, as bounds on the stored time, so an index on it could serve them.
    if assigned_from is not None:
        rows = rows.filter(assigned_at__gte=_start_of(assigned_from))
    if assigned_to is not None:
        rows = rows.filter(assigned_at__lt=_start_of(assigned_to + timedelta(days=1)))
    if batch_id is not None:
        rows = rows.filter(batch_id=batch_id)
    if owner_id is not None:
        rows = rows.filter(owner_id=owner_id)
    return rows.select_related("owner").order_by(*RESULT_ORDER)


def certificate_find(
    *, user: "User", text: str, kind: str = CertificateKind.COS
) -> QuerySet[Certificate]:
    """The single search box: certificates of one kind whose number or passport number (or, for
    a CAS, student ID) is exactly `text` (case and spaces ignored). Nothing for an empty box."""
    rows = certificate_list_for_user(user=user, kind=kind)
    wanted = normalise_reference(text)
    if not wanted:
        return rows.none()
    matches = Q(number=wanted) | Q(passport_number=wanted)
    if kind == CertificateKind.CAS:
        matches |= Q(_student_id_is(wanted))
    return rows.filter(matches).select_related("owner").order_by(*RESULT_ORDER)


@dataclass(frozen=True)
class CertificateQuery:
    """One search, as the web form and the API both take it. `text` is the single box
    (certificate or passport number, or a CAS's student ID); when it is given the other filters
    are not used. `student_id` and `course` are for CAS only."""

    text: str = ""
    number: str = ""
    passport: str = ""
    family_name: str = ""
    given_names: str = ""
    nationality: str = ""
    date_of_birth: date | None = None
    status: str = ""
    assigned_from: date | None = None
    assigned_to: date | None = None
    batch_id: int | None = None
    owner_id: int | None = None
    student_id: str = ""
    course: str = ""

    def search_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `certificate_search` (everything but `text`)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "text"}

    def described(self) -> dict[str, str]:
        """The filters actually used, as text (for the audit trail)."""
        return {
            name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in asdict(self).items()
            if value not in (None, "")
        }

    @property
    def is_empty(self) -> bool:
        return not self.described()


def certificates_matching(
    *, user: "User", query: CertificateQuery, kind: str = CertificateKind.COS
) -> QuerySet[Certificate]:
    """The certificates of one kind a query finds: the single box when it was used, else the
    filters."""
    if query.text.strip():
        return certificate_find(user=user, text=query.text, kind=kind)
    return certificate_search(user=user, kind=kind, **query.search_kwargs())


def owner_list_for_user(*, user: "User") -> QuerySet["User"]:
    """Everyone at the sponsor who may own certificates, whatever their status now (a
    deactivated user's certificates can still be found)."""
    return user_list_for_sponsor(sponsor_id=sponsor_of(user).pk).exclude(level=UserLevel.CASEWORKER)


def transfer_recipient_list_for_user(
    *, user: "User", certificate: Certificate | None = None
) -> QuerySet["User"]:
    """The sponsor's active users, to whom a certificate can be transferred (not the one who
    owns `certificate` already)."""
    rows = owner_list_for_user(user=user).filter(status=UserStatus.ACTIVE)
    if certificate is not None:
        rows = rows.exclude(pk=certificate.owner_id)
    return rows
