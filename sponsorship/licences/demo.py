"""Demo data: sponsors that show the range of the service, their people, and a caseworker.
Fictional organisations and people; loaded only into an empty database."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sponsorship.accounts.models import User, UserLevel
from sponsorship.certificates.demo import load_demo_cas, load_demo_certificates
from sponsorship.duties.demo import load_demo_duties

from .models import (
    ActionPlan,
    Allocation,
    KeyPerson,
    KeyPersonRole,
    LicenceRequest,
    LicenceStatus,
    Message,
    MessageRoute,
    Nation,
    OrganisationChange,
    PayeReference,
    Rating,
    RequestKind,
    Route,
    Sponsor,
    SponsorRoute,
    SponsorSize,
)

# Not a secret: the published password of the demo accounts, shown by `make run`.
DEMO_PASSWORD = "Demo#Sponsor2026"  # noqa: S105


@dataclass
class DemoUser:
    user_id: str
    given_names: str
    family_name: str
    level: str
    settled: bool = False
    must_change_password: bool = False
    key_role: str = ""  # also the Authorising Officer or Key Contact


@dataclass
class DemoSponsor:
    name: str
    licence_number: str
    kind: str
    status: str
    nation: str
    town: str
    postcode: str
    address: str
    size: str
    routes: dict[str, str]
    authorising_officer: tuple[str, str, str]
    key_contact: tuple[str, str, str, bool]
    users: list[DemoUser] = field(default_factory=list)
    # Route: (this year's allocation, units used so far).
    allocations: dict[str, tuple[int, int]] = field(default_factory=dict)
    paye: list[str] = field(default_factory=list)


SPONSORS = [
    DemoSponsor(
        name="Harbour View Care Ltd",
        licence_number="HVC7Q2M4K",
        kind="Care provider",
        status=LicenceStatus.ACTIVE,
        nation=Nation.ENGLAND,
        town="Plymouth",
        postcode="PL1 3DE",
        address="14 Citadel Road",
        size=SponsorSize.SMALL_OR_CHARITABLE,
        routes={Route.SKILLED_WORKER: Rating.A},
        authorising_officer=("Adaeze", "Okafor", "Managing Director"),
        key_contact=("Tomás", "Ribeiro", "HR Manager", False),
        users=[
            DemoUser("ZHARTLEY1", "Zoë", "Hartley", UserLevel.LEVEL_1, settled=True),
            DemoUser("LNOWAK01", "Łukasz", "Nowak", UserLevel.LEVEL_1),
            DemoUser("PRAMAN01", "Priya", "Raman", UserLevel.LEVEL_2, must_change_password=True),
        ],
        allocations={Route.SKILLED_WORKER: (12, 7)},
        paye=["475/HV12345", "475/HV67890"],
    ),
    DemoSponsor(
        name="University of Glenmoor",
        licence_number="UGL4N8T2R",
        kind="University",
        status=LicenceStatus.ACTIVE,
        nation=Nation.SCOTLAND,
        town="Edinburgh",
        postcode="EH8 9YL",
        address="1 College Wynd",
        size=SponsorSize.LARGE,
        routes={Route.STUDENT: Rating.A, Route.SKILLED_WORKER: Rating.A},
        authorising_officer=("Fiona", "MacLeod", "Academic Registrar"),
        key_contact=("Jean-Luc", "Moreau", "Head of International Compliance", False),
        users=[
            DemoUser("ECAMPBELL1", "Eilidh", "Campbell", UserLevel.LEVEL_1, settled=True),
            DemoUser(
                "JMOREAU01",
                "Jean-Luc",
                "Moreau",
                UserLevel.LEVEL_1,
                key_role=KeyPersonRole.KEY_CONTACT,
            ),
            DemoUser("ZPETROVA1", "Жанна", "Петрова", UserLevel.LEVEL_2),
            DemoUser("WCHEN001", "Wei", "Chen", UserLevel.LEVEL_2),
        ],
        allocations={Route.STUDENT: (2400, 1850), Route.SKILLED_WORKER: (40, 12)},
        paye=["961/GU00412"],
    ),
    DemoSponsor(
        name="Lantern Street Touring Theatre",
        licence_number="LST9C3W6P",
        kind="Touring theatre company (charity)",
        status=LicenceStatus.ACTIVE,
        nation=Nation.WALES,
        town="Cardiff",
        postcode="CF10 5AL",
        address="Unit 3, Bute Street Studios",
        size=SponsorSize.SMALL_OR_CHARITABLE,
        routes={Route.CREATIVE_WORKER: Rating.A},
        authorising_officer=("Gwen", "Llewellyn", "Executive Director"),
        key_contact=("Siobhán", "O'Connor", "Immigration solicitor, O'Connor & Vale LLP", True),
        users=[
            DemoUser("REVANS01", "Rhys", "Evans", UserLevel.LEVEL_1, settled=True),
            DemoUser("ASOUZA01", "Ana Beatriz", "Souza", UserLevel.LEVEL_1),
            DemoUser("KMENSAH1", "Kwame", "Mensah", UserLevel.LEVEL_2),
        ],
        allocations={Route.CREATIVE_WORKER: (30, 9)},
    ),
    DemoSponsor(
        name="Brightwell Logistics Ltd",
        licence_number="BWL2H7D5X",
        kind="Logistics company (suspended licence)",
        status=LicenceStatus.SUSPENDED,
        nation=Nation.NORTHERN_IRELAND,
        town="Belfast",
        postcode="BT3 9DT",
        address="Harbour Estate, Dock Street",
        size=SponsorSize.LARGE,
        routes={Route.SKILLED_WORKER: Rating.B},
        authorising_officer=("Declan", "Byrne", "Operations Director"),
        key_contact=("Aoife", "Kelly", "People Director", False),
        users=[
            DemoUser(
                "AKELLY01",
                "Aoife",
                "Kelly",
                UserLevel.LEVEL_1,
                settled=True,
                key_role=KeyPersonRole.KEY_CONTACT,
            ),
            DemoUser("MYILMAZ1", "Mehmet", "Yılmaz", UserLevel.LEVEL_1),
            DemoUser("GLIU0001", "Grace", "Liu", UserLevel.LEVEL_2),
        ],
        allocations={Route.SKILLED_WORKER: (25, 20)},
    ),
    DemoSponsor(
        name="Oakfield Catering Ltd",
        licence_number="OFC6J1V8B",
        kind="Caterer (revoked licence: cannot sign in)",
        status=LicenceStatus.REVOKED,
        nation=Nation.ENGLAND,
        town="Leeds",
        postcode="LS1 4AP",
        address="22 Briggate",
        size=SponsorSize.SMALL_OR_CHARITABLE,
        routes={Route.SKILLED_WORKER: Rating.A},
        authorising_officer=("Sandra", "Whitfield", "Owner"),
        key_contact=("Sandra", "Whitfield", "Owner", False),
        users=[DemoUser("SWHITFLD1", "Sandra", "Whitfield", UserLevel.LEVEL_1, settled=True)],
    ),
]

CASEWORKERS = [DemoUser("CWHADDAD1", "Samira", "Haddad", UserLevel.CASEWORKER)]


def _email(user: DemoUser, sponsor: DemoSponsor | None) -> str:
    domain = (
        sponsor.name.lower().replace(" ", "").replace("ltd", "").replace("'", "") + ".example.org"
        if sponsor
        else "homeoffice.example.gov.uk"
    )
    return f"{user.user_id.lower()}@{domain}"


def _messages(today: date) -> None:
    now = timezone.now()
    notes = [
        (
            "Immigration Skills Charge rates from 16 December 2025",
            "The Immigration Skills Charge rises on 16 December 2025 to £1,320 for large "
            "sponsors and £480 for small or charitable sponsors for the first 12 months of "
            "each certificate.\n\nCheck your organisation's size is correct on your licence "
            "before you assign certificates.",
            [],
            now - timedelta(days=3),
            today + timedelta(days=60),
        ),
        (
            "CAS for the January intake",
            "You may assign a CAS no more than 6 months before the student applies. "
            "Check English language levels before assigning: B2 for degree-level courses.",
            [Route.STUDENT, Route.CHILD_STUDENT],
            now - timedelta(days=1),
            today + timedelta(days=45),
        ),
        (
            "Creative Worker group certificates: reminder",
            "Group certificates for touring companies must list each member's dates of engagement.",
            [Route.CREATIVE_WORKER],
            now - timedelta(days=2),
            today + timedelta(days=30),
        ),
        (
            "Certificate fee from 9 April 2025",
            "The fee for a certificate of sponsorship is £525 from 9 April 2025.",
            [],
            now - timedelta(days=230),
            today - timedelta(days=30),
        ),
    ]
    for title, body, routes, published, archive_on in notes:
        message = Message.objects.create(
            title=title,
            body=body,
            published_at=published,
            archive_on=archive_on,
            archived_at=now if archive_on <= today else None,
            for_all_routes=not routes,
        )
        MessageRoute.objects.bulk_create(MessageRoute(message=message, route=r) for r in routes)


@transaction.atomic
def load_demo_data() -> None:
    today = timezone.localdate()
    for spec in SPONSORS:
        sponsor = Sponsor.objects.create(
            name=spec.name,
            licence_number=spec.licence_number,
            status=spec.status,
            organisation_type=spec.kind,
            size=spec.size,
            address_line_1=spec.address,
            town=spec.town,
            postcode=spec.postcode,
            nation=spec.nation,
            licence_granted_on=date(2021, 3, 15),
            licence_expires_on=date(2035, 3, 14),
        )
        SponsorRoute.objects.bulk_create(
            SponsorRoute(sponsor=sponsor, route=route, rating=rating)
            for route, rating in spec.routes.items()
        )
        users = {}
        for person in spec.users:
            users[person.key_role] = User.objects.create_user(
                person.user_id,
                _email(person, spec),
                DEMO_PASSWORD,
                given_names=person.given_names,
                family_name=person.family_name,
                level=person.level,
                sponsor=sponsor,
                is_settled_worker=person.settled,
                must_change_password=person.must_change_password,
            )
        first_level_1 = sponsor.users.filter(level=UserLevel.LEVEL_1).order_by("pk").first()
        ao_given, ao_family, ao_title = spec.authorising_officer
        KeyPerson.objects.create(
            sponsor=sponsor,
            role=KeyPersonRole.AUTHORISING_OFFICER,
            given_names=ao_given,
            family_name=ao_family,
            job_title=ao_title,
            email=f"{ao_given.lower()}.{ao_family.lower()}@example.org".replace("'", ""),
            address_line_1=spec.address,
            town=spec.town,
            postcode=spec.postcode,
        )
        kc_given, kc_family, kc_title, is_rep = spec.key_contact
        KeyPerson.objects.create(
            sponsor=sponsor,
            role=KeyPersonRole.KEY_CONTACT,
            given_names=kc_given,
            family_name=kc_family,
            job_title=kc_title,
            is_legal_representative=is_rep,
            email=f"{kc_given.lower()}.{kc_family.lower()}@example.org".replace("'", ""),
            user=users.get(KeyPersonRole.KEY_CONTACT),
        )
        for route, (limit, used) in spec.allocations.items():
            Allocation.objects.create(
                sponsor=sponsor,
                route=route,
                year_start=today - timedelta(days=200),
                year_end=today + timedelta(days=164),
                limit=limit,
                used=used,
            )
        PayeReference.objects.bulk_create(
            PayeReference(sponsor=sponsor, reference=ref, added_by=first_level_1)
            for ref in spec.paye
        )
    for person in CASEWORKERS:
        caseworker = User.objects.create_user(
            person.user_id,
            _email(person, None),
            DEMO_PASSWORD,
            given_names=person.given_names,
            family_name=person.family_name,
            level=UserLevel.CASEWORKER,
            must_change_password=False,
        )
    _messages(today)
    _casework(today, caseworker)
    load_demo_certificates(today, caseworker)
    load_demo_cas(today, caseworker)
    load_demo_duties(today, caseworker)


def _casework(today: date, caseworker: User) -> None:
    """Requests waiting in each queue, a suspension with its reasons, an action plan."""
    now = timezone.now()
    glenmoor = Sponsor.objects.get(licence_number="UGL4N8T2R")
    harbour = Sponsor.objects.get(licence_number="HVC7Q2M4K")
    lantern = Sponsor.objects.get(licence_number="LST9C3W6P")
    brightwell = Sponsor.objects.get(licence_number="BWL2H7D5X")
    Sponsor.objects.filter(pk=glenmoor.pk).update(student_sponsor_status_since=date(2025, 6, 2))
    Sponsor.objects.filter(pk=brightwell.pk).update(
        status_reason="Right to work checks were missing for 6 of 14 sponsored workers at the "
        "compliance visit of 3 November.",
        status_response_due=today + timedelta(days=18),
    )
    LicenceRequest.objects.create(
        sponsor=glenmoor,
        kind=RequestKind.ALLOCATION_INCREASE,
        submitted_by=User.objects.get(username="ECAMPBELL1"),
        submitted_at=now - timedelta(days=12),
        route=Route.STUDENT,
        number_requested=300,
        description="January intake of the new MSc Data Science programme: 280 offers "
        "accepted so far, against 550 remaining CAS for the year's other intakes.",
    )
    requested = User.objects.create_user(
        "DMORGAN01",
        "dmorgan01@lanternstreettouringtheatre.example.org",
        None,
        given_names="Dylan",
        family_name="Morgan",
        level=UserLevel.LEVEL_1,
        status="REQUESTED",
        sponsor=lantern,
        is_settled_worker=True,
        job_title="Company Manager",
    )
    LicenceRequest.objects.create(
        sponsor=lantern,
        kind=RequestKind.LEVEL_1_USER,
        submitted_by=User.objects.get(username="REVANS01"),
        submitted_at=now - timedelta(days=4),
        subject_user=requested,
    )
    LicenceRequest.objects.create(
        sponsor=harbour,
        kind=RequestKind.ORGANISATION_CHANGE,
        submitted_by=User.objects.get(username="ZHARTLEY1"),
        submitted_at=now - timedelta(days=2),
        change_type=OrganisationChange.ADDRESS,
        change_date=today - timedelta(days=9),
        description="We opened a second care home at 3 Mount Gould Road, Plymouth PL4 7PY. "
        "Two sponsored carers will work there from next month.",
        declaration_name="Zoë Hartley",
        declaration_position="Registered Manager",
        declaration_date=today - timedelta(days=2),
        report_due=today + timedelta(days=19),
    )
    ActionPlan.objects.create(
        sponsor=brightwell,
        route=Route.SKILLED_WORKER,
        steps="1. Complete right to work checks for every sponsored worker and keep copies.\n"
        "2. Appoint a compliance lead and train all Level 1 users.\n"
        "3. Send evidence of both within 3 months.",
        fee_pence=157_900,
        payment_due=today + timedelta(days=9),
        created_by=caseworker,
    )


def demo_sign_ins() -> list[tuple[str, str, str, str]]:
    """(organisation, name, level, user ID) for every demo account."""
    rows = []
    for spec in SPONSORS:
        for person in spec.users:
            label = dict(UserLevel.choices)[person.level]
            if person.must_change_password:
                label += ", must change password"
            rows.append(
                (spec.name, f"{person.given_names} {person.family_name}", label, person.user_id)
            )
    for person in CASEWORKERS:
        rows.append(
            (
                "Home Office",
                f"{person.given_names} {person.family_name}",
                "Caseworker",
                person.user_id,
            )
        )
    return rows
