"""Certificate search benchmark.

Builds a database of its own holding 100,000 small sponsors (one to three certificates each)
and one large sponsor with 50,000 certificates, then times the searches a sponsor user and a
Home Office caseworker make:

- by certificate number and by passport number (the exact, fast paths), for the large
  sponsor's Level 1 user;
- the first page (25 rows, with its total) of an advanced search by family-name prefix and
  by status, for the same user and for one of the sponsor's Level 2 users (own only);
- the Home Office exact find by number and by passport, across every sponsor.

Each search runs against random targets (200 by default) after a short warm-up; the table
gives the median, 95th percentile and slowest time in milliseconds, and every certificate
query's plan is printed (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).

    .venv/bin/python bench/certificate_search.py                 # PostgreSQL on 127.0.0.1
    .venv/bin/python bench/certificate_search.py --database-url postgres://u@host:5432/bench_x
    .venv/bin/python bench/certificate_search.py --sqlite var/bench_certificates.sqlite3
    .venv/bin/python bench/certificate_search.py --small-sponsors 2000 --large 5000 --keep

The database is created when missing and dropped at the end unless --keep is given; with
--keep a later run reuses the data (--fresh builds it again). The script refuses a database
that holds anything it did not make.
"""

from __future__ import annotations

import argparse
import calendar
import importlib
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from sponsorship.accounts.models import User
    from sponsorship.certificates.models import Certificate, CosDetails
    from sponsorship.licences.models import Sponsor

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_certificates"

# The large sponsor's licence number marks a database as this benchmark's own.
LARGE_LICENCE = "BENCHLRG1"
LARGE_LEVEL_1 = "BENCHL1LARGE"
LEVEL_2_PREFIX = "BENCHL2U"
LEVEL_2_USERS = 20
CHUNK_SPONSORS = 5_000
CHUNK_CERTIFICATES = 5_000
BATCH_SIZE = 1_000
PAGE_SIZE = 25
WARM_UP = 10
SEED = 20261125


# --- Realistic people, jobs and places --------------------------------------------------

# Nationality (ISO alpha-3): family names, given names, places of birth. Names are kept as
# the person writes them, so searches meet letters beyond A to Z.
PEOPLE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "IND": (
        ("Sharma", "Patel", "Singh", "Reddy", "Iyer", "Nair"),
        ("Priya", "Arjun", "Ananya", "Rahul", "Lakshmi"),
        ("Mumbai", "Chennai", "Kochi", "Delhi"),
    ),
    "NGA": (
        ("Okafor", "Adeyemi", "Nwosu", "Balogun"),
        ("Chinedu", "Adaeze", "Tunde", "Ngozi"),
        ("Lagos", "Enugu", "Ibadan"),
    ),
    "PHL": (
        ("Santos", "Reyes", "Dela Cruz", "Bautista"),
        ("Maria Luisa", "Jose", "Angelica", "Mark Anthony"),
        ("Manila", "Cebu City", "Davao"),
    ),
    "POL": (
        ("Nowak", "Kowalski", "Wiśniewska", "Wójcik"),
        ("Łukasz", "Zofia", "Małgorzata", "Paweł"),
        ("Kraków", "Łódź", "Gdańsk"),
    ),
    "TUR": (
        ("Yılmaz", "Kaya", "Demir", "Şahin"),
        ("Mehmet", "Ayşe", "Emre", "Zeynep"),
        ("İstanbul", "İzmir", "Ankara"),
    ),
    "UKR": (
        ("Шевченко", "Коваленко", "Бондаренко"),
        ("Олена", "Андрій", "Оксана"),
        ("Київ", "Львів", "Харків"),
    ),
    "CHN": (
        ("王", "李", "张", "Chen", "Zhang"),
        ("伟", "芳", "Wei", "Xiu Ying"),
        ("北京", "上海", "Guangzhou"),
    ),
    "GRC": (
        ("Παπαδόπουλος", "Ιωάννου", "Papadakis"),
        ("Γιώργος", "Ελένη", "Dimitris"),
        ("Αθήνα", "Thessaloniki"),
    ),
    "EGY": (
        ("محمد", "حسن", "Hassan", "Mostafa"),
        ("أحمد", "Fatma", "Youssef"),
        ("القاهرة", "Alexandria"),
    ),
    "VNM": (
        ("Nguyễn", "Trần", "Lê", "Phạm"),
        ("Thị Lan", "Văn Minh", "Hoàng Anh"),
        ("Hà Nội", "Hồ Chí Minh"),
    ),
    "BRA": (
        ("Souza", "Oliveira", "Conceição", "Araújo"),
        ("Ana Beatriz", "João", "Luíza"),
        ("São Paulo", "Recife", "Belo Horizonte"),
    ),
    "ZWE": (
        ("Moyo", "Ncube", "Dube", "Sibanda"),
        ("Tendai", "Rudo", "Farai"),
        ("Harare", "Bulawayo"),
    ),
    "PAK": (
        ("Khan", "Hussain", "Qureshi", "Malik"),
        ("Ayesha", "Imran", "Sana"),
        ("Lahore", "Karachi"),
    ),
    "USA": (
        ("Smith", "Johnson", "García", "O'Neill"),
        ("Emily", "Michael", "Sofía"),
        ("Chicago", "Austin"),
    ),
}
FAMILY_NAMES = sorted({name for families, _, _ in PEOPLE.values() for name in families})

# SOC 2020 code, job title, annual salary in pounds.
JOBS = (
    ("2134", "Software developer", 55_000),
    ("2231", "Staff nurse", 38_000),
    ("2124", "Electronics engineer", 52_000),
    ("2211", "Specialty doctor", 61_000),
    ("3111", "Laboratory technician", 34_000),
    ("2425", "Data analyst", 46_000),
    ("5434", "Chef de partie", 33_500),
    ("2311", "Lecturer", 48_000),
)

PLACES = (
    ("Leeds", "LS1 4AP"),
    ("Manchester", "M1 2HX"),
    ("Bristol", "BS1 5TR"),
    ("Birmingham", "B3 2JE"),
    ("London", "EC2A 4NE"),
    ("Newcastle upon Tyne", "NE1 7RU"),
    ("Norwich", "NR2 1BH"),
    ("Plymouth", "PL1 3DE"),
)

SPONSOR_WORDS = (
    ("Harbour", "Oakfield", "Meridian", "Northgate", "Riverside", "Kingsway", "Ashdown"),
    ("Care", "Engineering", "Software", "Health", "Catering", "Logistics", "Analytics"),
)

# Status and how often it occurs among a sponsor's certificates.
STATUS_WEIGHTS = {
    "DRAFT": 8,
    "ASSIGNED": 12,
    "USED": 58,
    "WITHDRAWN": 7,
    "EXPIRED": 12,
    "CANCELLED": 3,
}

# Certificate numbers: "C" and ten characters of the service's alphabet. An affine map of a
# running index modulo 34**10 with a multiplier prime to 34 never repeats and looks random.
NUMBER_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NUMBER_SPACE = len(NUMBER_ALPHABET) ** 10
# Passport numbers: two letters and seven digits, by the same kind of map.
PASSPORT_SPACE = 26 * 26 * 10**7


def certificate_number(index: int) -> str:
    value = (index * 982_451_653 + 7_777_777) % NUMBER_SPACE
    chars = []
    for _ in range(10):
        value, digit = divmod(value, len(NUMBER_ALPHABET))
        chars.append(NUMBER_ALPHABET[digit])
    return "C" + "".join(reversed(chars))


def passport_number(index: int) -> str:
    value = (index * 1_000_003 + 12_345) % PASSPORT_SPACE
    letters, digits = divmod(value, 10**7)
    first, second = divmod(letters, 26)
    return f"{chr(65 + first)}{chr(65 + second)}{digits:07d}"


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- The database --------------------------------------------------------------------------


@dataclass
class Target:
    """The database the benchmark runs on, and how to make and remove it."""

    url: str
    sqlite_path: Path | None

    @property
    def is_postgres(self) -> bool:
        return self.sqlite_path is None

    @property
    def name(self) -> str:
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return urlsplit(self.url).path.lstrip("/")

    def _admin_url(self) -> str:
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))

    def exists(self) -> bool:
        if self.sqlite_path is not None:
            return self.sqlite_path.exists()
        import psycopg

        with psycopg.connect(self._admin_url(), autocommit=True) as admin:
            row = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return row.fetchone() is not None

    def create(self) -> None:
        if self.sqlite_path is not None:
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return
        import psycopg
        from psycopg import sql

        with psycopg.connect(self._admin_url(), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.sqlite_path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            return
        import psycopg
        from psycopg import sql

        with psycopg.connect(self._admin_url(), autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )


def setup_django(target: Target) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = target.url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Timings must not pay for Django's list of every query run.
    settings.DEBUG = False


def data_label(small_sponsors: int, large: int) -> str:
    """Kept on the large sponsor once every row is in, so a later run knows it can reuse them."""
    return (
        f"Benchmark data: {small_sponsors} small sponsors, {large} certificates for the large one."
    )


def database_state(label: str, marker: str = LARGE_LICENCE) -> str:
    """'empty', 'complete' (this benchmark's data, all of it), 'partial' (this benchmark's,
    unfinished or of other sizes) or 'foreign' (anything else: never touched)."""
    from django.db import connection

    tables = connection.introspection.table_names()
    if not tables:
        return "empty"
    if "licences_sponsor" not in tables:
        return "foreign"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status_reason FROM licences_sponsor WHERE licence_number = %s",
            [marker],
        )
        row = cursor.fetchone()
    if row is None:
        return "foreign"
    return "complete" if row[0] == label else "partial"


# --- Generation ----------------------------------------------------------------------------


@dataclass
class Person:
    family_name: str
    given_names: str
    nationality: str
    place_of_birth: str
    date_of_birth: date
    sex: str
    passport_number: str
    passport_issue_date: date
    passport_expiry_date: date


@dataclass
class Generator:
    rng: random.Random
    now: datetime
    password_hash: str
    certificate_index: int = 0

    def person(self) -> Person:
        nationality = self.rng.choice(list(PEOPLE))
        families, givens, places = PEOPLE[nationality]
        issued = (self.now - timedelta(days=self.rng.randint(30, 3_000))).date()
        return Person(
            family_name=self.rng.choice(families),
            given_names=self.rng.choice(givens),
            nationality=nationality,
            place_of_birth=self.rng.choice(places),
            date_of_birth=date(1965, 1, 1) + timedelta(days=self.rng.randint(0, 13_500)),
            sex="X" if self.rng.random() < 0.01 else self.rng.choice("FM"),
            passport_number=passport_number(self.certificate_index),
            passport_issue_date=issued,
            passport_expiry_date=add_months(issued, 120),
        )

    def sponsor(self, index: int, *, large: bool) -> Sponsor:
        from sponsorship.licences.models import Sponsor, SponsorSize

        town, postcode = self.rng.choice(PLACES)
        first, second = SPONSOR_WORDS
        name = f"{self.rng.choice(first)} {self.rng.choice(second)} Ltd"
        return Sponsor(
            name="Meridian Health Partners Ltd" if large else name,
            licence_number=LARGE_LICENCE if large else f"S{index:08d}",
            size=SponsorSize.LARGE if large else self.rng.choice(list(SponsorSize)),
            address_line_1=f"{self.rng.randint(1, 200)} High Street",
            town=town,
            postcode=postcode,
            licence_granted_on=date(2019, 1, 1) + timedelta(days=self.rng.randint(0, 1_800)),
        )

    def user(self, sponsor: Sponsor, username: str, level: str) -> User:
        from sponsorship.accounts.models import User

        nationality = self.rng.choice(list(PEOPLE))
        families, givens, _ = PEOPLE[nationality]
        return User(
            username=username,
            given_names=self.rng.choice(givens),
            family_name=self.rng.choice(families),
            email=f"{username.lower()}@bench.example.org",
            level=level,
            sponsor=sponsor,
            password=self.password_hash,
            must_change_password=False,
        )

    def certificate(self, sponsor: Sponsor, owner: User, person: Person) -> Certificate:
        from sponsorship.certificates.models import Certificate, CertificateKind, name_key
        from sponsorship.licences.models import Route

        status = self.rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        days = self.rng.uniform
        assigned_at = used_at = closed_at = None
        outcome = closed_reason = ""
        if status == "DRAFT":
            created_at = self.now - timedelta(days=days(0, 60))
            updated_at = min(self.now, created_at + timedelta(days=days(0, 5)))
        else:
            recent = status == "ASSIGNED"
            earliest, latest = (0, 88) if recent else (0, 730)
            if status == "EXPIRED":
                earliest = 93
            assigned_at = self.now - timedelta(days=days(earliest, latest))
            created_at = assigned_at - timedelta(days=days(0, 14))
            updated_at = assigned_at
            if status == "USED":
                used_at = min(self.now, assigned_at + timedelta(days=days(1, 89)))
                updated_at = used_at
                outcome = self.rng.choice(("", "", "GRANTED", "GRANTED", "GRANTED", "REFUSED"))
            elif status in ("WITHDRAWN", "CANCELLED"):
                closed_at = min(self.now, assigned_at + timedelta(days=days(1, 60)))
                updated_at = closed_at
                closed_reason = "The worker did not take up the job."
            elif status == "EXPIRED":
                updated_at = assigned_at + timedelta(days=92)
        number = None if status == "DRAFT" else certificate_number(self.certificate_index)
        self.certificate_index += 1
        return Certificate(
            sponsor=sponsor,
            kind=CertificateKind.COS,
            route=Route.SKILLED_WORKER,
            number=number,
            status=status,
            owner=owner,
            created_by=owner,
            created_at=created_at,
            updated_at=updated_at,
            family_name=person.family_name,
            given_names=person.given_names,
            family_name_key=name_key(person.family_name),
            given_names_key=name_key(person.given_names),
            nationality=person.nationality,
            place_of_birth=person.place_of_birth,
            country_of_birth=person.nationality,
            date_of_birth=person.date_of_birth,
            sex=person.sex,
            country_of_residence=person.nationality,
            passport_number=person.passport_number,
            passport_issue_date=person.passport_issue_date,
            passport_expiry_date=person.passport_expiry_date,
            passport_place_of_issue=person.place_of_birth,
            home_address_line_1=f"{self.rng.randint(1, 300)} Station Road",
            home_town=person.place_of_birth,
            home_country=person.nationality,
            assigned_at=assigned_at,
            assigned_by=owner if assigned_at else None,
            use_by=add_months(assigned_at.date(), 3) if assigned_at else None,
            fee_pence=52_500 if assigned_at else None,
            skills_charge_pence=132_000 if assigned_at else None,
            used_at=used_at,
            application_outcome=outcome,
            closed_at=closed_at,
            closed_reason=closed_reason,
        )

    def cos(self, certificate: Certificate) -> CosDetails:
        from sponsorship.certificates.models import CosDetails

        soc, title, salary = self.rng.choice(JOBS)
        town, postcode = self.rng.choice(PLACES)
        start = (certificate.assigned_at or certificate.created_at).date() + timedelta(
            days=self.rng.randint(30, 90)
        )
        return CosDetails(
            certificate=certificate,
            category=self.rng.choice(("ENTRY_CLEARANCE", "EXTENSION", "CHANGE_OF_EMPLOYMENT")),
            skills_charge="LIABLE",
            start_date=start,
            end_date=add_months(start, 36),
            weekly_hours=Decimal("37.50"),
            work_address_line_1=f"{self.rng.randint(1, 90)} Market Street",
            work_town=town,
            work_postcode=postcode,
            work_nation="ENG",
            job_title=title,
            soc_code=soc,
            job_description=f"{title}: the duties of the role as set out in the job advert.",
            salary_amount=Decimal(salary + self.rng.randint(0, 40) * 250),
            salary_period="YEAR",
            salary_option="A",
            maintenance_certified=True,
            paye_reference="475/AB12345",
        )

    def people_for(self, n: int) -> Iterator[Person]:
        """n people for one sponsor; about one in ten is someone it sponsored before (an
        extension or a change of job), so a passport can find more than one certificate."""
        seen: list[Person] = []
        for _ in range(n):
            if seen and self.rng.random() < 0.1:
                yield self.rng.choice(seen)
                continue
            person = self.person()
            seen.append(person)
            yield person

    def save_certificates(self, certificates: list[Certificate]) -> None:
        from sponsorship.certificates.models import Certificate, CosDetails

        saved = Certificate.objects.bulk_create(certificates, batch_size=BATCH_SIZE)
        CosDetails.objects.bulk_create([self.cos(c) for c in saved], batch_size=BATCH_SIZE)

    def large_sponsor(self, size: int) -> None:
        from django.db import transaction

        from sponsorship.accounts.models import UserLevel
        from sponsorship.licences.models import Route, SponsorRoute

        with transaction.atomic():
            sponsor = self.sponsor(0, large=True)
            sponsor.save()
            SponsorRoute.objects.create(sponsor=sponsor, route=Route.SKILLED_WORKER)
            level_1 = self.user(sponsor, LARGE_LEVEL_1, UserLevel.LEVEL_1)
            level_1.save()
            level_2s = [
                self.user(sponsor, f"{LEVEL_2_PREFIX}{n:03d}", UserLevel.LEVEL_2)
                for n in range(1, LEVEL_2_USERS + 1)
            ]
            for user in level_2s:
                user.save()
        # Half the certificates belong to the Level 1 user, the rest to the Level 2 users.
        people = self.people_for(size)
        for start in range(0, size, CHUNK_CERTIFICATES):
            with transaction.atomic():
                self.save_certificates(
                    [
                        self.certificate(
                            sponsor,
                            level_1 if self.rng.random() < 0.5 else self.rng.choice(level_2s),
                            next(people),
                        )
                        for _ in range(min(CHUNK_CERTIFICATES, size - start))
                    ]
                )

    def small_sponsors(self, n: int) -> None:
        from django.db import transaction

        from sponsorship.accounts.models import User, UserLevel
        from sponsorship.licences.models import Route, Sponsor, SponsorRoute

        for start in range(1, n + 1, CHUNK_SPONSORS):
            indexes = range(start, min(n + 1, start + CHUNK_SPONSORS))
            with transaction.atomic():
                sponsors = Sponsor.objects.bulk_create(
                    [self.sponsor(i, large=False) for i in indexes], batch_size=BATCH_SIZE
                )
                SponsorRoute.objects.bulk_create(
                    [SponsorRoute(sponsor=s, route=Route.SKILLED_WORKER) for s in sponsors],
                    batch_size=BATCH_SIZE,
                )
                users = User.objects.bulk_create(
                    [
                        self.user(s, f"BENCHU{i:08d}", UserLevel.LEVEL_1)
                        for s, i in zip(sponsors, indexes, strict=True)
                    ],
                    batch_size=BATCH_SIZE,
                )
                certificates = [
                    self.certificate(sponsor, user, person)
                    for sponsor, user in zip(sponsors, users, strict=True)
                    for person in self.people_for(self.rng.choice((1, 1, 2, 2, 2, 3, 3)))
                ]
                self.save_certificates(certificates)


def generate(small_sponsors: int, large: int, label: str) -> float:
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from sponsorship.licences.models import Sponsor

    started = time.perf_counter()
    generator = Generator(
        rng=random.Random(SEED),
        now=timezone.now(),
        # One unusable hash for every user: hashing 100,000 passwords would be the whole run.
        password_hash=make_password(None),
    )
    generator.large_sponsor(large)
    print(f"  large sponsor: {large:,} certificates ({time.perf_counter() - started:.0f} s)")
    generator.small_sponsors(small_sponsors)
    print(f"  small sponsors: {small_sponsors:,} ({time.perf_counter() - started:.0f} s)")
    Sponsor.objects.filter(licence_number=LARGE_LICENCE).update(status_reason=label)
    with connection.cursor() as cursor:
        # The planner's statistics, as autovacuum would keep them on a live service.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


# --- Measurement ---------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    rows: list[int]
    samples_ms: list[float]
    plans: list[tuple[str, str]]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.samples_ms, n=100, method="inclusive")[94]

    @property
    def worst(self) -> float:
        return max(self.samples_ms)

    @property
    def indexes(self) -> list[str]:
        """The certificate table's indexes the plans use; a full scan of it is named too."""
        found: list[str] = []
        for _, plan in self.plans:
            found += [
                name
                for name in PLAN_INDEX.findall(plan)
                if "certificate" in name and "cosdetails" not in name
            ]
            if FULL_SCAN.search(plan):
                found.append("FULL SCAN of certificates_certificate")
        return list(dict.fromkeys(found))

    @property
    def rows_discarded(self) -> int:
        """The most rows one query read and then threw away (PostgreSQL only)."""
        return max(
            (int(n) for _, plan in self.plans for n in ROWS_REMOVED.findall(plan)), default=0
        )


PLAN_INDEX = re.compile(
    r"(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on|USING (?:COVERING )?INDEX)"
    r" (\w+)"
)
FULL_SCAN = re.compile(
    r"Seq Scan on certificates_certificate|^SCAN certificates_certificate$", re.MULTILINE
)
ROWS_REMOVED = re.compile(r"Rows Removed by Filter: (\d+)")


def short_sql(sql: str) -> str:
    """The query without its long column list."""
    return re.sub(
        r'^SELECT (?!COUNT\().*? FROM "certificates_certificate"',
        'SELECT … FROM "certificates_certificate"',
        sql,
        count=1,
        flags=re.DOTALL,
    )


def index_definitions() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'certificates_certificate'"
            )
            # Just the indexed columns: "(sponsor_id, status, updated_at DESC)".
            return {name: d[d.rindex("(") :] for name, d in cursor.fetchall()}
        cursor.execute(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = 'certificates_certificate'"
        )
        names = [row[0] for row in cursor.fetchall()]
        definitions = {}
        for name in names:
            cursor.execute("SELECT name, desc FROM pragma_index_xinfo(%s) WHERE key", [name])
            columns = [column + (" DESC" if desc else "") for column, desc in cursor.fetchall()]
            definitions[name] = "(" + ", ".join(columns) + ")"
        return definitions


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def measure(
    name: str, targets: Sequence[Any], run: Callable[[Any], int], check: Callable[[Any, int], None]
) -> Result:
    """Time `run` on each target (after a warm-up), then capture one run's certificate queries
    and their plans."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for target in targets[:WARM_UP]:
        run(target)
    rows, samples = [], []
    for target in targets:
        started = time.perf_counter()
        found = run(target)
        samples.append((time.perf_counter() - started) * 1000)
        check(target, found)
        rows.append(found)
    with CaptureQueriesContext(connection) as captured:
        run(targets[0])
    plans = [
        (q["sql"], explain(q["sql"]))
        for q in captured.captured_queries
        if "certificates_certificate" in q["sql"]
    ]
    return Result(name, rows, samples, plans)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"Wrong result: {message}")


def run_measurements(repeat: int, rng: random.Random) -> tuple[list[Result], str]:
    from django.core.paginator import Paginator

    from sponsorship.accounts.models import User
    from sponsorship.certificates.models import Certificate, CertificateStatus
    from sponsorship.certificates.search import certificate_find, certificate_search

    level_1 = User.objects.select_related("sponsor").get(username=LARGE_LEVEL_1)
    sponsor = level_1.sponsor
    level_2 = User.objects.select_related("sponsor").get(username=f"{LEVEL_2_PREFIX}001")
    own = Certificate.objects.filter(sponsor=sponsor)
    numbers = list(own.filter(number__isnull=False).values_list("number", flat=True))
    passports = sorted(set(own.values_list("passport_number", flat=True)))
    every_number = list(
        Certificate.objects.filter(number__isnull=False).values_list("number", flat=True)
    )
    # The Home Office never finds drafts: they are the sponsor's own work.
    every_passport = list(
        Certificate.objects.exclude(status=CertificateStatus.DRAFT).values_list(
            "passport_number", flat=True
        )
    )
    prefixes = [name[:3] for name in FAMILY_NAMES]
    statuses = list(CertificateStatus.values)

    def pick(values: Sequence[Any]) -> list[Any]:
        return [rng.choice(values) for _ in range(repeat)]

    def first_page(user: User, **criteria: Any) -> int:
        # As a list page does: the total (for the pagination links), then the page's rows.
        page = Paginator(certificate_search(user=user, **criteria), PAGE_SIZE).get_page(1)
        return len(list(page.object_list))

    def one_page(target: Any, found: int) -> None:
        expect(found <= PAGE_SIZE, f"{found} rows on the first page for {target!r}")

    results = [
        measure(
            "Number (exact), Level 1",
            pick(numbers),
            lambda n: len(list(certificate_search(user=level_1, number=n))),
            lambda n, found: expect(found == 1, f"number {n} found {found} certificates"),
        ),
        measure(
            "Passport (exact), Level 1",
            pick(passports),
            lambda p: len(list(certificate_search(user=level_1, passport=p))),
            lambda p, found: expect(found >= 1, f"passport {p} found nothing"),
        ),
        measure(
            "Single box (number or passport), Level 1",
            [
                rng.choice((number, passport))
                for number, passport in zip(pick(numbers), pick(passports), strict=True)
            ],
            lambda text: len(list(certificate_find(user=level_1, text=text))),
            lambda text, found: expect(found >= 1, f"{text} found nothing"),
        ),
        measure(
            "Family-name prefix, first page, Level 1",
            pick(prefixes),
            lambda prefix: first_page(level_1, family_name=prefix),
            one_page,
        ),
        measure(
            "Status, first page, Level 1",
            pick(statuses),
            lambda status: first_page(level_1, status=status),
            one_page,
        ),
        measure(
            "Family-name prefix, first page, Level 2 (own only)",
            pick(prefixes),
            lambda prefix: first_page(level_2, family_name=prefix),
            one_page,
        ),
        measure(
            "Status, first page, Level 2 (own only)",
            pick(statuses),
            lambda status: first_page(level_2, status=status),
            one_page,
        ),
    ]

    # Another sponsor's certificate is never found by number.
    others = list(
        Certificate.objects.exclude(sponsor=sponsor)
        .filter(number__isnull=False)
        .values_list("number", flat=True)[:20]
    )
    for number in others:
        found = len(list(certificate_search(user=level_1, number=number)))
        expect(found == 0, f"another sponsor's {number} was found")

    # The Level 2 user sees only their own; every row matches what was asked.
    for prefix in prefixes:
        for cert in certificate_search(user=level_2, family_name=prefix)[:PAGE_SIZE]:
            expect(cert.owner_id == level_2.pk, f"{cert.number} is not the Level 2 user's")
            expect(
                cert.family_name.casefold().startswith(prefix.casefold()),
                f"{cert.family_name} does not start with {prefix}",
            )

    try:
        casework = importlib.import_module("sponsorship.certificates.casework_selectors")
    except ImportError:
        how = "the ORM query Certificate.objects.filter(number=...) / filter(passport_number=...)"

        def find(query: str) -> int:
            field = "number" if query.startswith("C") and len(query) == 11 else "passport_number"
            rows = Certificate.objects.exclude(status=CertificateStatus.DRAFT)
            return len(list(rows.filter(**{field: query})))

    else:
        how = "certificate_find_for_caseworker(text=...)"

        def find(query: str) -> int:
            return len(list(casework.certificate_find_for_caseworker(text=query)))

    results += [
        measure(
            "Home Office find by number, every sponsor",
            pick(every_number),
            find,
            lambda n, found: expect(found == 1, f"number {n} found {found} certificates"),
        ),
        measure(
            "Home Office find by passport, every sponsor",
            pick(every_passport),
            find,
            lambda p, found: expect(found >= 1, f"passport {p} found nothing"),
        ),
    ]
    return results, how


# --- Report --------------------------------------------------------------------------------


def database_description() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def row_counts() -> dict[str, int]:
    from sponsorship.accounts.models import User
    from sponsorship.certificates.models import Certificate, CosDetails
    from sponsorship.licences.models import Sponsor

    return {
        "Sponsors": Sponsor.objects.count(),
        "Users": User.objects.count(),
        "Certificates": Certificate.objects.count(),
        "CoS details": CosDetails.objects.count(),
        "Certificates of the large sponsor": Certificate.objects.filter(
            sponsor__licence_number=LARGE_LICENCE
        ).count(),
    }


def report(
    results: list[Result], generation_s: float | None, repeat: int, how: str, argv: list[str]
) -> str:
    from django.db import connection

    lines = [
        "## Certificate search",
        "",
        "- Command: `" + " ".join([".venv/bin/python bench/certificate_search.py", *argv]) + "`",
        f"- Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {database_description()}; load average "
        f"{os.getloadavg()[0]:.1f} when the searches ended",
        "- Data generation: "
        + (f"{generation_s:.0f} s" if generation_s is not None else "reused from a kept run"),
        f"- Each search: {repeat} random targets after a {WARM_UP}-run warm-up; times are the "
        "whole call (building the query, running it, reading the rows).",
        f"- Home Office find measured through {how}.",
        "",
        "| Table | Rows |",
        "| --- | ---: |",
        *(f"| {name} | {n:,} |" for name, n in row_counts().items()),
        "",
        "| Search | Rows returned (median) | Median ms | p95 ms | Max ms "
        "| Certificate indexes used | Most rows read and discarded |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]

    def discarded(r: Result) -> str:
        return f"{r.rows_discarded:,}" if connection.vendor == "postgresql" else "not shown"

    for r in results:
        lines.append(
            f"| {r.name} | {statistics.median(r.rows):g} | {r.median:.2f} | {r.p95:.2f} "
            f"| {r.worst:.2f} | {', '.join(r.indexes) or 'none'} | {discarded(r)} |"
        )
    definitions = index_definitions()
    used = dict.fromkeys(name for r in results for name in r.indexes if name in definitions)
    lines += ["", "Indexes named above:", ""]
    lines += [f"- `{name}` {definitions[name]}" for name in used]
    lines += ["", "### Query plans (one run of each search)", ""]
    for r in results:
        for sql, plan in r.plans:
            lines += [f"**{r.name}**", "", "```sql", short_sql(sql), "```", ""]
            lines += ["```text", plan, "```", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL URL")
    where.add_argument("--sqlite", type=Path, metavar="PATH", help="run on SQLite at PATH")
    parser.add_argument("--small-sponsors", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=50_000, help="the large sponsor's size")
    parser.add_argument("--repeat", type=int, default=200, help="random targets per search")
    parser.add_argument("--fresh", action="store_true", help="build the data again")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)
    if args.repeat < WARM_UP:
        parser.error(f"--repeat must be at least {WARM_UP}")

    if args.sqlite is not None:
        path = args.sqlite.resolve()
        target = Target(url=f"sqlite:///{path}", sqlite_path=path)
    else:
        target = Target(url=args.database_url, sqlite_path=None)
        if target.name in ("", "postgres", "template0", "template1"):
            parser.error("give the benchmark a database of its own in --database-url")

    created = not target.exists()
    if created:
        target.create()
    setup_django(target)
    label = data_label(args.small_sponsors, args.large)
    state = database_state(label)
    if state == "foreign":
        raise SystemExit(
            f"{target.name} holds data this benchmark did not make; "
            "give it a database of its own (--database-url or --sqlite)."
        )

    from django.core.management import call_command

    try:
        if state == "partial" or (args.fresh and state == "complete"):
            print(f"Building {target.name} again")
            target.drop()
            target.create()
            state = "empty"
        call_command("migrate", verbosity=0)
        generation_s = None
        if state != "complete":
            print(f"Generating data in {target.name}")
            generation_s = generate(args.small_sponsors, args.large, label)
        results, how = run_measurements(args.repeat, random.Random(SEED + 1))
        print(report(results, generation_s, args.repeat, how, argv))
    finally:
        if args.keep:
            print(f"\nKept {target.name}")
        else:
            target.drop()
            print(f"\nDropped {target.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
