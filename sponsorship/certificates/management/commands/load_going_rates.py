"""Loads a new edition of the going-rate tables from a folder of CSV files
(docs/how-to/load-a-going-rate-edition.md)."""

import re
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sponsorship.certificates.editions import EditionError, load_edition
from sponsorship.certificates.going_rates import (
    EDITIONS,
    edition_directories,
    edition_occupations,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Command(BaseCommand):
    help = (
        "Check the going-rate CSV files in SOURCE_DIR and, if every one is valid, load them as "
        "the edition in force from --effective-from."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source_dir", metavar="SOURCE_DIR", help="The folder of CSV files.")
        parser.add_argument(
            "--effective-from",
            required=True,
            metavar="YYYY-MM-DD",
            help="The date the rates take effect.",
        )
        parser.add_argument(
            "--published",
            required=True,
            help='The update of the GOV.UK pages, e.g. "Updated 1 May 2026".',
        )
        parser.add_argument(
            "--source",
            action="append",
            required=True,
            metavar="URL",
            help="The address of a GOV.UK page the files came from; repeat for each page.",
        )
        parser.add_argument(
            "--into",
            metavar="DIR",
            help="Write the edition into this folder instead of the shipped editions folder.",
        )
        parser.add_argument(
            "--allow-isl-code",
            action="append",
            default=[],
            metavar="CODE",
            help=(
                "Accept this Immigration Salary List code though Tables 1 and 1a do not list it "
                "(a health or education code of Table 3 or 3a, which are not converted); repeat "
                "for each code."
            ),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace an edition already loaded for the same date.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["effective_from"]
        try:
            if not _DATE.fullmatch(text):
                raise ValueError(text)
            effective_from = date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                f'--effective-from "{text}" is not a date written as YYYY-MM-DD, e.g. 2026-04-06.'
            ) from None
        source = Path(options["source_dir"])
        try:
            edition = load_edition(
                source,
                effective_from=effective_from,
                published=options["published"],
                sources=options["source"],
                into=Path(options["into"]) if options["into"] else None,
                replace=options["replace"],
                salary_list_codes_elsewhere=options["allow_isl_code"],
            )
        except EditionError as error:
            problems = "\n".join(f"- {problem}" for problem in error.problems)
            count = len(error.problems)
            raise CommandError(
                f"Nothing was loaded: {count} problem{'s' if count != 1 else ''} found.\n{problems}"
            ) from None
        codes = len(edition_occupations(edition))
        self.stdout.write(
            f"Loaded {edition.label}, {codes} occupation codes in Tables 1 and 1a, into "
            f"{edition.path}."
        )
        self.stdout.write(
            f"They apply to checks as at {effective_from.day} {effective_from:%B %Y} or later, "
            "until a newer edition takes effect."
        )
        read_from = {directory.resolve() for directory in edition_directories()}
        if edition.path.parent.resolve() not in read_from:
            self.stdout.write(
                f"{edition.path.parent} is not a folder the service reads editions from: add it "
                "to the GOING_RATE_EDITIONS_DIRS setting, or load into the shipped folder "
                f"({EDITIONS})."
            )
