"""Daily sweep and compliance dashboard benchmark (PostgreSQL).

Builds a database of its own holding, by default, 1,000,000 sponsored workers spread over
20,000 sponsors plus one large sponsor with 20,000 of them, 5,000,000 HR events, 1,000,000
past absences and 2,000 running ones, 500,000 duties already met and 5,000 open ones. The rows
are made by INSERT ... SELECT over generate_series, so building them takes minutes, not hours.
Then it times, on a fixed date:

- the sweep step that raises duties by the passing of time (`duties_raise_on_schedule`: workers
  not started 28 days after their latest start date, absences past 10 working days), on its
  first run and again (which must raise nothing);
- the reminders step (`reminders_send`): reminders raised and e-mailed through the outbox
  (to the dummy mail backend), first run and again (which must send nothing);
- the compliance dashboard of the large sponsor's Level 1 user: the selector alone and the
  whole page, median of repeated runs, with its query count.

    .venv/bin/python bench/duty_sweep.py                  # PostgreSQL at 127.0.0.1, bench_duties
    .venv/bin/python bench/duty_sweep.py --workers 100000 --events 500000 --sponsors 2000
    .venv/bin/python bench/duty_sweep.py --keep           # keep the data; a later run reuses it

The database is created when missing and dropped at the end unless --keep is given. What the
sweep adds (duties, reminders, e-mails, audit events) is removed after each run, so a kept
database is measured again from the same state. The script refuses a database holding anything
it did not make.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from certificate_search import Target, database_state  # the folder is not a package

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_duties"
LARGE_LICENCE = "BENCHDUTY"
LARGE_LEVEL_1 = "BENCHDUTYL1"
# The date the sweep runs for: a Wednesday with no bank holiday near it in any nation.
TODAY = date(2026, 11, 18)
DASHBOARD_REPEAT = 20


def setup_django(target: Target) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = target.url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    # E-mails go through the outbox as in production, to a backend that drops them.
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    # Pages render without a collectstatic run first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def data_label(args: argparse.Namespace) -> str:
    return (
        f"Duty benchmark data: {args.workers} workers, {args.events} events, "
        f"{args.sponsors} sponsors, large {args.large}."
    )


# --- Generation: INSERT ... SELECT over generate_series --------------------------------------


def insert_series(
    model: Any, count: int, values: dict[str, str], params: dict[str, list[Any]] | None = None
) -> float:
    """Insert `count` rows of `model`: each field of `values` takes its SQL expression (in which
    g is the row number, 1 to count, and `%s` a parameter from `params` under the field's name);
    every other column takes the field's default. Returns seconds taken."""
    from django.db import connection
    from django.db.models import GeneratedField

    params = params or {}
    columns, expressions, ordered = [], [], []
    for field in model._meta.concrete_fields:
        if isinstance(field, GeneratedField) or (field.primary_key and field.name not in values):
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in values:
            # A modulo's % must not be read as a parameter.
            expressions.append(values[field.name].replace("% ", "%% "))
            ordered.extend(params.get(field.name, []))
        elif field.null and not field.has_default():
            expressions.append("NULL")
        elif field.get_default() is not None:
            # The field's default, or "" for a text field left blank.
            expressions.append("%s")
            ordered.append(field.get_db_prep_save(field.get_default(), connection))
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
    table = connection.ops.quote_name(model._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (benchmark data only)
        f"SELECT {', '.join(expressions)} FROM generate_series(1, %s) AS g"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ordered, count])
    return time.perf_counter() - started


def generate(args: argparse.Namespace, label: str) -> dict[str, float]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from sponsorship.accounts.models import User
    from sponsorship.certificates.models import Certificate
    from sponsorship.duties.models import Absence, Duty, HrEvent, Worker
    from sponsorship.licences.models import KeyPerson, Sponsor

    sponsors = args.sponsors + 1  # the last is the large one
    small_workers = args.workers - args.large
    today = TODAY
    timings: dict[str, float] = {}
    nation = (
        "CASE WHEN {k} % 100 < 84 THEN 'ENG' WHEN {k} % 100 < 89 THEN 'WLS' "
        "WHEN {k} % 100 < 97 THEN 'SCT' ELSE 'NIR' END"
    )
    with transaction.atomic():
        timings["sponsors"] = insert_series(
            Sponsor,
            sponsors,
            {
                "name": "'Benchmark Employer ' || g",
                "licence_number": (
                    f"CASE WHEN g = {sponsors} THEN %s ELSE 'D' || lpad(g::text, 8, '0') END"
                ),
                "address_line_1": "g || ' High Street'",
                "town": "'Leeds'",
                "postcode": "'LS1 4AP'",
                "nation": nation.format(k="g"),
                "licence_granted_on": "DATE '2020-01-06'",
                "status_reason": f"CASE WHEN g = {sponsors} THEN %s ELSE '' END",
            },
            {"licence_number": [LARGE_LICENCE], "status_reason": [label]},
        )
        first_sponsor = Sponsor.objects.order_by("pk").values_list("pk", flat=True).first()
        timings["users"] = insert_series(
            User,
            sponsors,
            {
                "username": f"CASE WHEN g = {sponsors} THEN %s ELSE 'BDU' || g END",
                "given_names": "'Sam'",
                "family_name": "'Okafor'",
                "email": "'l1.' || g || '@bench.example.org'",
                "level": "'LEVEL_1'",
                "sponsor": f"{first_sponsor} + g - 1",
                "password": "%s",
                "must_change_password": "false",
            },
            {"username": [LARGE_LEVEL_1], "password": [make_password("Bench-password-1!")]},
        )
        first_user = User.objects.order_by("pk").values_list("pk", flat=True).first()
        timings["key people"] = insert_series(
            KeyPerson,
            sponsors,
            {
                "sponsor": f"{first_sponsor} + g - 1",
                "role": "'AUTHORISING_OFFICER'",
                "given_names": "'Alex'",
                "family_name": "'Morgan'",
                "email": "'ao.' || g || '@bench.example.org'",
            },
        )

        # Worker g belongs to small sponsor (g % sponsors), or to the large one for the last
        # `large` workers; each certificate is owned by its sponsor's Level 1 user.
        def sponsor_of(row: str) -> str:
            """The sponsor (offset from the first) of worker number `row` (1-based)."""
            return (
                f"(CASE WHEN {row} > {small_workers} THEN {sponsors - 1} "
                f"ELSE ({row}) % {args.sponsors} END)"
            )

        sponsor_of_g = sponsor_of("g")
        timings["certificates"] = insert_series(
            Certificate,
            args.workers,
            {
                "sponsor": f"{first_sponsor} + {sponsor_of_g}",
                "kind": "'COS'",
                "route": "'SKILLED_WORKER'",
                "number": "'C' || lpad(g::text, 10, '0')",
                "status": "'USED'",
                "owner": f"{first_user} + {sponsor_of_g}",
                "created_by": f"{first_user} + {sponsor_of_g}",
                "family_name": "(ARRAY['Sharma','Okafor','Nguyễn','Kowalski','Silva'])[g % 5 + 1]",
                "family_name_key": (
                    "(ARRAY['sharma','okafor','nguyen','kowalski','silva'])[g % 5 + 1]"
                ),
                "given_names": "'Worker ' || g",
                "given_names_key": "'worker ' || g",
                "nationality": "'IND'",
                "passport_number": "'P' || g",
                "assigned_at": "now() - interval '200 days'",
                "use_by": "DATE %s",
                "used_at": "now() - interval '150 days'",
                "application_outcome": "'GRANTED'",
            },
            {"use_by": [today - timedelta(days=100)]},
        )
        first_certificate = Certificate.objects.order_by("pk").values_list("pk", flat=True).first()
        # One in 20 not started yet (start dates over the last 60 days), one in 20 ended.
        timings["workers"] = insert_series(
            Worker,
            args.workers,
            {
                "sponsor": f"{first_sponsor} + {sponsor_of_g}",
                "certificate": f"{first_certificate} + g - 1",
                "status": (
                    "CASE WHEN g % 20 = 0 THEN 'AWAITING_START' WHEN g % 20 = 1 THEN 'ENDED' "
                    "ELSE 'WORKING' END"
                ),
                "job_title": "'Care assistant'",
                "soc_code": "'6135'",
                "annual_salary": "41700 + g % 9000",
                "weekly_hours": "37.5",
                "nation": nation.format(k="g"),
                "certificate_start_date": "DATE %s - (g % 60)",
                "start_trigger_on": "DATE %s - (g % 60)",
                "started_on": "CASE WHEN g % 20 IN (0, 1) THEN NULL ELSE DATE %s - (g % 60) END",
                "permission_expires_on": "DATE %s + (g * 7 % 1100)",
                "right_to_work_checked_on": "DATE %s - (g % 300)",
                "right_to_work_follow_up_on": "DATE %s + (g * 3 % 400) - 30",
            },
            {
                name: [today]
                for name in (
                    "certificate_start_date",
                    "start_trigger_on",
                    "started_on",
                    "permission_expires_on",
                    "right_to_work_checked_on",
                    "right_to_work_follow_up_on",
                )
            },
        )
        first_worker = Worker.objects.order_by("pk").values_list("pk", flat=True).first()
        timings["HR events"] = insert_series(
            HrEvent,
            args.events,
            {
                "sponsor": f"{first_sponsor} + {sponsor_of(f'g % {args.workers} + 1')}",
                "worker": f"{first_worker} + g % {args.workers}",
                "kind": (
                    "(ARRAY['FIRST_DAY','ABSENCE','RETURN','SALARY_CHANGE','JOB_CHANGE',"
                    "'LOCATION_CHANGE','CONTACT_CHANGE','ABSENCE'])[g % 8 + 1]"
                ),
                "occurred_on": "DATE %s - (g % 700) - 1",
                "ends_on": "CASE WHEN g % 8 IN (1, 7) THEN DATE %s - (g % 700) + 1 END",
                "absence_type": "CASE WHEN g % 8 IN (1, 7) THEN 'UNAUTHORISED' ELSE '' END",
                "details": "'{}'::jsonb",
                "external_id": "'hr-' || g",
                "source": "'API'",
            },
            {"occurred_on": [today], "ends_on": [today]},
        )
        timings["past absences"] = insert_series(
            Absence,
            args.workers,
            {
                "sponsor": f"{first_sponsor} + {sponsor_of_g}",
                "worker": f"{first_worker} + g - 1",
                "absence_type": "CASE WHEN g % 4 = 0 THEN 'UNPAID_LEAVE' ELSE 'UNAUTHORISED' END",
                "first_day": "DATE %s - 100 - (g % 500)",
                "last_day": "DATE %s - 98 - (g % 500)",
            },
            {"first_day": [today], "last_day": [today]},
        )
        running = min(2_000, args.workers // 500)
        timings["running absences"] = insert_series(
            Absence,
            running,
            {
                "sponsor": f"{first_sponsor} + {sponsor_of(f'(g * 499) % {small_workers} + 1')}",
                "worker": f"{first_worker} + (g * 499) % {small_workers}",
                "absence_type": "'UNAUTHORISED'",
                "first_day": "DATE %s - (g % 30)",
            },
            {"first_day": [today]},
        )
        # History: duties already met, and open ones falling due around today.
        done = args.workers // 2
        timings["duties met"] = insert_series(
            Duty,
            done,
            {
                "sponsor": f"{first_sponsor} + {sponsor_of_g}",
                "worker": f"{first_worker} + g - 1",
                "kind": "'SALARY_REDUCED'",
                "event_date": "DATE %s - 30 - (g % 600)",
                "clock_starts_on": "DATE %s - 30 - (g % 600)",
                "due_on": "DATE %s - 16 - (g % 600)",
                "nation": nation.format(k="g"),
                "status": "'DONE'",
                "key": "'HISTORY:' || g",
                "closed_at": "now() - interval '10 days'",
            },
            {"event_date": [today], "clock_starts_on": [today], "due_on": [today]},
        )
        open_duties = args.workers // 200
        timings["open duties"] = insert_series(
            Duty,
            open_duties,
            {
                "sponsor": f"{first_sponsor} + {sponsor_of(f'(g * 97) % {args.workers} + 1')}",
                "worker": f"{first_worker} + (g * 97) % {args.workers}",
                "kind": "'LOCATION_CHANGED'",
                "event_date": "DATE %s - 14 + (g % 25)",
                "clock_starts_on": "DATE %s - 14 + (g % 25)",
                "due_on": "DATE %s + (g % 25) - 10",
                "nation": "'ENG'",
                "status": "'OPEN'",
                "key": "'OPEN:' || g",
            },
            {"event_date": [today], "clock_starts_on": [today], "due_on": [today]},
        )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - started
    return timings


# --- Measurement ---------------------------------------------------------------------------


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def undo_sweep(before: dict[str, int]) -> None:
    """Remove what the sweep added, so a kept database is measured from the same state."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM duties_reminder")
        cursor.execute("DELETE FROM notifications_outboundemail")
        cursor.execute("DELETE FROM duties_duty WHERE id > %s", [before["duty"]])
        cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [before["audit"]])


def counts() -> dict[str, int]:
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for name, table in (
            ("sponsors", "licences_sponsor"),
            ("workers", "duties_worker"),
            ("HR events", "duties_hrevent"),
            ("absences", "duties_absence"),
            ("duties", "duties_duty"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
            found[name] = cursor.fetchone()[0]
    return found


def measure(args: argparse.Namespace) -> list[tuple[str, str]]:
    import time_machine
    from django.db import connection
    from django.db.models import Max
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from sponsorship.accounts.models import User
    from sponsorship.audit.models import AuditEvent
    from sponsorship.duties.compliance import compliance_dashboard
    from sponsorship.duties.models import Duty
    from sponsorship.duties.services import duties_raise_on_schedule, reminders_send
    from sponsorship.duties.views.dashboard import dashboard
    from sponsorship.notifications.models import OutboundEmail

    rows: list[tuple[str, str]] = []
    before = {
        "duty": Duty.objects.aggregate(top=Max("pk"))["top"] or 0,
        "audit": AuditEvent.objects.aggregate(top=Max("pk"))["top"] or 0,
    }
    # A running server has its URLs loaded before the sweep's first link: load them here too.
    reverse("duties:dashboard")
    with time_machine.travel(f"{TODAY.isoformat()} 06:00 +00:00", tick=True):
        try:
            seconds, raised = timed(lambda: duties_raise_on_schedule(TODAY))
            rows.append(("Raise duties, first run", f"{seconds:.2f} s ({raised:,} raised)"))
            seconds, again = timed(lambda: duties_raise_on_schedule(TODAY))
            rows.append(("Raise duties, second run", f"{seconds:.2f} s ({again:,} raised)"))
            if again:
                raise SystemExit("The second run raised duties again: not idempotent.")
            seconds, sent = timed(lambda: reminders_send(TODAY))
            emails = OutboundEmail.objects.count()
            rows.append(
                ("Reminders, first run", f"{seconds:.2f} s ({sent:,} e-mails, {emails:,} queued)")
            )
            seconds, resent = timed(lambda: reminders_send(TODAY))
            rows.append(("Reminders, second run", f"{seconds:.2f} s ({resent:,} e-mails)"))
            if resent:
                raise SystemExit("The second run sent reminders again: not idempotent.")

            user = User.objects.select_related("sponsor").get(username=LARGE_LEVEL_1)
            selector_times = []
            for _ in range(DASHBOARD_REPEAT):
                seconds, _board = timed(lambda: compliance_dashboard(user=user, today=TODAY))
                selector_times.append(seconds)
            request: Any = RequestFactory().get("/compliance/")
            request.user = user
            page_times = []
            with CaptureQueriesContext(connection) as queries:
                dashboard(request)
            query_count = len(queries.captured_queries)
            for _ in range(DASHBOARD_REPEAT):
                seconds, response = timed(lambda: dashboard(request))
                page_times.append(seconds)
            rows.append(
                (
                    f"Dashboard selector, {args.large:,} workers",
                    f"median {statistics.median(selector_times) * 1000:.1f} ms",
                )
            )
            rows.append(
                (
                    "Dashboard page",
                    f"median {statistics.median(page_times) * 1000:.1f} ms, "
                    f"{query_count} queries, status {response.status_code}",
                )
            )
        finally:
            undo_sweep(before)
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL URL")
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--sponsors", type=int, default=20_000, help="small sponsors")
    parser.add_argument("--large", type=int, default=20_000, help="the large sponsor's workers")
    parser.add_argument("--fresh", action="store_true", help="build the data again")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)
    if args.large >= args.workers:
        parser.error("--large must be smaller than --workers")
    target = Target(url=args.database_url, sqlite_path=None)
    if target.name in ("", "postgres", "template0", "template1"):
        parser.error("give the benchmark a database of its own in --database-url")
    if not target.exists():
        target.create()
    setup_django(target)
    label = data_label(args)
    state = database_state(label, LARGE_LICENCE)
    if state == "foreign":
        raise SystemExit(f"{target.name} holds data this benchmark did not make.")
    from django.core.management import call_command

    try:
        if state == "partial" or (args.fresh and state == "complete"):
            target.drop()
            target.create()
            state = "empty"
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        generation: dict[str, float] = {}
        if state != "complete":
            print(f"Generating data in {target.name}")
            generation = generate(args, label)
        found = counts()
        results = measure(args)
        print(f"\nDuty sweep benchmark, {TODAY:%A %d %B %Y}, on {platform.platform()}")
        print("Command: .venv/bin/python bench/duty_sweep.py " + " ".join(argv))
        print("Rows: " + ", ".join(f"{name} {count:,}" for name, count in found.items()))
        if generation:
            total = sum(generation.values())
            print(
                f"Generation: {total:.0f} s ("
                + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in generation.items())
                + ")"
            )
        width = max(len(name) for name, _ in results)
        for name, value in results:
            print(f"  {name.ljust(width)}  {value}")
    finally:
        if args.keep:
            print(f"\nKept {target.name}")
        else:
            target.drop()
            print(f"\nDropped {target.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
