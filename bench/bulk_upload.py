"""Bulk Upload benchmark.

Builds a database of its own holding one university (the Student route, A-rated, with an
allocation of a CAS for every record) and its Level 1 user, writes a Bulk Upload file of
realistic students (50,000 by default; the generator of the bulk tests, with course dates set
from today) and times, through the real code:

- receiving the file: the checks on the whole file (size, encoding, no DOCTYPE, the root, the
  file id), counting its records as a stream, and keeping it;
- processing it: the background job's work (each record validated against the schema, then
  `cas_create` and `certificate_assign` in its own transaction with its result row), run here
  job after job as the queue would, each job handing over after its time budget;
- the same records sent again in a new file with the same file id: every one is already done,
  so nothing is assigned;
- the floor: a bare `bulk_create` of the same rows (Certificate and CasDetails, already
  assigned), which skips every check, the history, the audit trail and the allocation.

It reports records per second (overall and for each tenth of the file), statements per record,
CPU seconds, and peak memory (the process's maximum resident set, which counts libxml2's
memory too, sampled at each tenth, and the Python heap's peak by tracemalloc with --tracemalloc,
which slows everything down).

    .venv/bin/python bench/bulk_upload.py                               # PostgreSQL at 127.0.0.1
    .venv/bin/python bench/bulk_upload.py --database-url postgres://u@host:5432/bench_bulk_x
    .venv/bin/python bench/bulk_upload.py --sqlite var/bench_bulk.sqlite3
    .venv/bin/python bench/bulk_upload.py --records 5000 --keep

The database is created when missing and dropped at the end unless --keep is given. Each run
starts from an empty database. The script refuses a database holding anything it did not make.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from certificate_search import Target, database_state  # the folder is not a package

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_bulk"
LICENCE = "BENCHBULK"
FLOOR_LICENCE = "BENCHBLK2"
FILE_ID = "BENCH-UPLOAD-1"
BATCH_SIZE = 1_000


def setup_django(target: Target, media: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = target.url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.MEDIA_ROOT = media


def peak_rss_mb() -> float:
    """The process's largest resident set so far (Linux gives kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- The file ---------------------------------------------------------------------------------


def write_file(path: Path, records: int, today: date) -> int:
    """A Bulk Upload file of `records` students, every one ready to assign today."""
    from sponsorship.bulk.tests.files import applicant, lines

    start = today + timedelta(days=60)
    end = start + timedelta(days=360)

    def students() -> Iterator[dict[str, str]]:
        for n in range(1, records + 1):
            yield applicant(n, CourseStartDate=start.isoformat(), CourseEndDate=end.isoformat())

    with path.open("w", encoding="utf-8") as out:
        out.writelines(lines(students(), file_id=FILE_ID))
    return path.stat().st_size


# --- Measuring ---------------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    records: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    statements: int | None = None
    python_peak_mb: float | None = None

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


@dataclass
class Tenth:
    upto: int
    seconds: float
    peak_rss_mb: float


@dataclass
class Counting:
    """Counts the statements sent to the database (a connection execute wrapper)."""

    statements: int = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.statements += 1
        return execute(sql, params, many, context)


@dataclass
class Tenths:
    """Wraps the record handler to note the time and memory at each tenth of the file."""

    total: int
    started: float = 0.0
    done: int = 0
    marks: list[Tenth] = field(default_factory=list)

    def wrap(self, handle: Callable[..., Any]) -> Callable[..., Any]:
        step = max(1, self.total // 10)

        def timed(handler: Any, position: int, record: Any) -> Any:
            outcome = handle(handler, position, record)
            self.done += 1
            if self.done % step == 0 or self.done == self.total:
                mark = Tenth(self.done, time.perf_counter() - self.started, peak_rss_mb())
                self.marks.append(mark)
                # As it goes, so a long run can be followed.
                print(
                    f"  {mark.upto:,} records processed in {mark.seconds:,.0f} s, "
                    f"peak resident {mark.peak_rss_mb:,.0f} MB",
                    flush=True,
                )
            return outcome

        return timed


def measured(name: str, records: int, call: Callable[[], None], *, python_heap: bool) -> Step:
    from django.db import connection

    counting = Counting()
    if python_heap:
        tracemalloc.start()
    cpu = time.process_time()
    started = time.perf_counter()
    with connection.execute_wrapper(counting):
        call()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    python_peak = None
    if python_heap:
        python_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return Step(
        name, records, seconds, cpu_seconds, peak_rss_mb(), counting.statements, python_peak
    )


# --- The steps ---------------------------------------------------------------------------------


def make_university(licence: str, records: int) -> Any:
    from sponsorship.accounts.tests.factories import Level1Factory
    from sponsorship.licences.models import Route
    from sponsorship.licences.tests.factories import AllocationFactory, SponsorFactory

    sponsor = SponsorFactory(
        name=f"Bench University {licence}", licence_number=licence, routes=[Route.STUDENT]
    )
    AllocationFactory(sponsor=sponsor, route=Route.STUDENT, limit=records, used=0)
    return Level1Factory(sponsor=sponsor, username=f"{licence}L1")


def run_jobs(bulk_file_id: int, token: str) -> int:
    """The jobs of one file, one after another, as the queue runs them; returns how many."""
    from sponsorship.bulk.models import BulkFile, BulkStatus
    from sponsorship.bulk.services import bulk_file_process

    jobs = 0
    while True:
        jobs += 1
        bulk_file_process(bulk_file_id=bulk_file_id, token=token)
        if BulkFile.objects.get(pk=bulk_file_id).status != BulkStatus.RUNNING:
            return jobs


def floor_rows(owner: Any, records: int, today: date) -> None:
    """The same students as rows put straight in with bulk_create, already assigned."""
    from django.db import transaction
    from django.utils import timezone

    from sponsorship.bulk.elements import APPLICANT
    from sponsorship.bulk.tests.files import applicant
    from sponsorship.certificates.models import (
        CasDetails,
        Certificate,
        CertificateKind,
        CertificateStatus,
        name_key,
    )

    fields = {element.name: element for element in APPLICANT}
    core = {f.name for f in Certificate._meta.get_fields()}
    start = today + timedelta(days=60)
    now = timezone.now()
    with transaction.atomic():
        for first in range(1, records + 1, BATCH_SIZE):
            certificates, details = [], []
            for n in range(first, min(first + BATCH_SIZE, records + 1)):
                values = {
                    fields[name].field: fields[name].value(text)
                    for name, text in applicant(
                        n,
                        CourseStartDate=start.isoformat(),
                        CourseEndDate=(start + timedelta(days=360)).isoformat(),
                    ).items()
                }
                values.pop("route")
                certificate = Certificate(
                    sponsor=owner.sponsor,
                    kind=CertificateKind.CAS,
                    route="STUDENT",
                    owner=owner,
                    created_by=owner,
                    status=CertificateStatus.ASSIGNED,
                    number=f"F{n:013d}",
                    assigned_at=now,
                    assigned_by=owner,
                    use_by=today + timedelta(days=182),
                    fee_pence=0,
                    skills_charge_pence=0,
                    **{k: v for k, v in values.items() if k in core},
                )
                certificate.family_name_key = name_key(certificate.family_name)
                certificate.given_names_key = name_key(certificate.given_names)
                certificates.append(certificate)
                details.append({k: v for k, v in values.items() if k not in core})
            Certificate.objects.bulk_create(certificates, batch_size=BATCH_SIZE)
            CasDetails.objects.bulk_create(
                [
                    CasDetails(certificate=certificate, **values)
                    for certificate, values in zip(certificates, details, strict=True)
                ],
                batch_size=BATCH_SIZE,
            )


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"Check failed: {message}")


def run(
    records: int, python_heap: bool, work: Path
) -> tuple[list[Step], list[Tenth], dict[str, Any]]:
    from django.utils import timezone

    from sponsorship.bulk.models import BulkFile, BulkRecord, BulkStatus, RecordOutcome
    from sponsorship.bulk.services import bulk_file_receive, handlers, process
    from sponsorship.certificates.models import Certificate, CertificateStatus
    from sponsorship.licences.models import Allocation

    # The jobs run here, one after another; nothing goes to the queue.
    process.enqueue = lambda *args: None
    today = timezone.localdate()
    path = work / "students.xml"
    started = time.perf_counter()
    size = write_file(path, records, today)
    facts: dict[str, Any] = {
        "file_bytes": size,
        "writing_seconds": time.perf_counter() - started,
        "rss_before_mb": peak_rss_mb(),
    }
    user = make_university(LICENCE, records)
    steps: list[Step] = []
    received: dict[str, Any] = {}

    def receive(content_path: Path, name: str) -> Callable[[], None]:
        def call() -> None:
            with content_path.open("rb") as upload:
                received["file"] = bulk_file_receive(
                    actor=user, upload=upload, name=name, ip=None
                ).bulk_file

        return call

    steps.append(
        measured(
            "Receive: check the whole file, count, keep",
            records,
            receive(path, "students.xml"),
            python_heap=python_heap,
        )
    )
    bulk_file = received["file"]
    check(bulk_file.records_total == records, "every record counted")

    tenths = Tenths(records)
    real_handle = handlers.Handler.handle
    handlers.Handler.handle = tenths.wrap(real_handle)  # type: ignore[method-assign]
    jobs: dict[str, int] = {}

    def process_file() -> None:
        tenths.started = time.perf_counter()
        jobs["first"] = run_jobs(bulk_file.pk, bulk_file.token)

    steps.append(
        measured(
            "Process: validate, create and assign each CAS",
            records,
            process_file,
            python_heap=python_heap,
        )
    )
    handlers.Handler.handle = real_handle  # type: ignore[method-assign]
    bulk_file.refresh_from_db()
    check(bulk_file.status == BulkStatus.DONE, f"the file is processed ({bulk_file.error})")
    check(bulk_file.records_succeeded == records, "every record created")
    assigned = Certificate.objects.filter(sponsor=user.sponsor, status=CertificateStatus.ASSIGNED)
    check(assigned.count() == records, "a CAS assigned for each record")
    check(Allocation.objects.get(sponsor=user.sponsor).used == records, "allocation used once each")
    facts["jobs"] = jobs["first"]

    again = work / "students-again.xml"
    # Copied as a stream: reading the whole file here would raise the peak the next step reports.
    with path.open("rb") as source, again.open("wb") as target:
        shutil.copyfileobj(source, target)
        target.write(b"<!-- sent again -->\n")

    def send_again() -> None:
        receive(again, "students-again.xml")()
        run_jobs(received["file"].pk, received["file"].token)

    steps.append(
        measured(
            "The same records sent again (all already done)",
            records,
            send_again,
            python_heap=python_heap,
        )
    )
    resent = BulkFile.objects.get(pk=received["file"].pk)
    check(resent.records_already_done == records, "every record already done")
    check(assigned.count() == records, "nothing assigned again")
    check(
        BulkRecord.objects.filter(outcome=RecordOutcome.CREATED).count() == records,
        "one CREATED result per record",
    )

    floor_owner = make_university(FLOOR_LICENCE, records)
    steps.append(
        measured(
            "Floor: bulk_create of the same Certificate and CasDetails rows",
            records,
            lambda: floor_rows(floor_owner, records, today),
            python_heap=python_heap,
        )
    )
    check(
        Certificate.objects.filter(sponsor=floor_owner.sponsor).count() == records,
        "the floor's rows are in",
    )
    return steps, tenths.marks, facts


# --- The report --------------------------------------------------------------------------------


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            # Without autovacuum, the dead rows that each record's updates leave are never
            # cleared during the run, and the planner's statistics stay as they were.
            cursor.execute("SHOW autovacuum")
            autovacuum = cursor.fetchone()[0]
        return f"PostgreSQL {version} (autovacuum {autovacuum})"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous NORMAL, as the embedded mode)"


def report(
    steps: list[Step], marks: list[Tenth], facts: dict[str, Any], argv: list[str], python_heap: bool
) -> str:
    floor = steps[-1]
    processing = steps[1]
    lines = [
        "## Bulk Upload benchmark",
        "",
        f"- Command: `.venv/bin/python bench/bulk_upload.py {' '.join(argv)}`".rstrip(),
        f"- Database: {database_description()}",
        f"- Machine: {os.cpu_count()} cores ({platform.system()} {platform.machine()}), "
        f"Python {platform.python_version()}",
        f"- File: {steps[0].records:,} records, {facts['file_bytes'] / 1024 / 1024:,.1f} MB "
        f"(written in {facts['writing_seconds']:.1f} s); processed in {facts['jobs']} jobs",
        f"- Resident memory before receiving the file: {facts['rss_before_mb']:,.0f} MB",
        "",
        "| Step | Records | Seconds | Records/s | CPU seconds | Statements per record "
        "| Peak resident MB" + (" | Python heap peak MB |" if python_heap else " |"),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---:" + (" | ---: |" if python_heap else " |"),
    ]
    for step in steps:
        row = (
            f"| {step.name} | {step.records:,} | {step.seconds:,.1f} | {step.rate:,.0f} | "
            f"{step.cpu_seconds:,.1f} | {(step.statements or 0) / step.records:,.1f} | "
            f"{step.peak_rss_mb:,.0f}"
        )
        if python_heap:
            row += f" | {step.python_peak_mb:,.1f}"
        lines.append(row + " |")
    lines += [
        "",
        f"Processing ran at {processing.rate / floor.rate:.1%} of the floor's rate "
        f"({floor.rate / processing.rate:,.0f} times slower).",
        "",
        "Processing, tenth by tenth:",
        "",
        "| Records done | Seconds so far | Records/s in this tenth | Peak resident MB so far |",
        "| ---: | ---: | ---: | ---: |",
    ]
    previous = Tenth(0, 0.0, 0.0)
    for mark in marks:
        rate = (mark.upto - previous.upto) / (mark.seconds - previous.seconds)
        lines.append(
            f"| {mark.upto:,} | {mark.seconds:,.1f} | {rate:,.0f} | {mark.peak_rss_mb:,.0f} |"
        )
        previous = mark
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL URL")
    where.add_argument("--sqlite", type=Path, metavar="PATH", help="run on SQLite at PATH")
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace the Python heap (much slower)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)
    if args.records < 10:
        parser.error("--records must be at least 10")

    if args.sqlite is not None:
        path = args.sqlite.resolve()
        target = Target(url=f"sqlite:///{path}", sqlite_path=path)
    else:
        target = Target(url=args.database_url, sqlite_path=None)
        if target.name in ("", "postgres", "template0", "template1"):
            parser.error("give the benchmark a database of its own in --database-url")

    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as work:
        if not target.exists():
            target.create()
        setup_django(target, Path(work) / "uploads")
        state = database_state(f"Bulk benchmark {LICENCE}", marker=LICENCE)
        if state == "foreign":
            raise SystemExit(
                f"{target.name} holds data this benchmark did not make; "
                "give it a database of its own (--database-url or --sqlite)."
            )
        from django.core.management import call_command

        try:
            if state != "empty":
                print(f"Emptying {target.name}")
                target.drop()
                target.create()
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
            steps, marks, facts = run(args.records, args.tracemalloc, Path(work))
            print(report(steps, marks, facts, argv, args.tracemalloc))
        finally:
            if args.keep:
                print(f"\nKept {target.name}")
            else:
                target.drop()
                print(f"\nDropped {target.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
