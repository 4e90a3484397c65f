"""The going-rate tables of Appendix Skilled Occupations and the Immigration Salary List, kept
as dated editions and resolved as at a date.

Each edition is a folder of CSV files with an `edition.json` manifest (its effective date, the
GOV.UK update it was taken from, its source pages and licence); see `data/SOURCES.md`. The
shipped editions are in `data/editions/`; the setting `GOING_RATE_EDITIONS_DIRS` may name more
folders of editions. A check as at a date uses the newest edition in force on that date.
"""

import csv
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

EDITIONS = Path(__file__).parent / "data" / "editions"
MANIFEST = "edition.json"


@dataclass(frozen=True)
class Edition:
    """One edition of the tables: the rates in force from `effective_from`."""

    effective_from: date
    published: str
    path: Path
    sources: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        when = self.effective_from
        return f"the going rates in force from {when.day} {when:%B %Y} ({self.published})"


@dataclass(frozen=True)
class Occupation:
    """One SOC 2020 code of Table 1 or 1a, with its annual rates for a 37.5-hour week. A share
    is None where the table says "Not applicable"."""

    soc_code: str
    title: str
    table: str
    going_rate: int
    rate_90: int | None
    rate_80: int | None
    rate_70: int | None
    phd_eligible: bool

    @property
    def label(self) -> str:
        return f"{self.soc_code} {self.title}"


def edition_directories() -> tuple[Path, ...]:
    """The folders editions are read from: the shipped one, then GOING_RATE_EDITIONS_DIRS."""
    extra = getattr(settings, "GOING_RATE_EDITIONS_DIRS", [])
    return (EDITIONS, *(Path(directory) for directory in extra))


def read_manifest(folder: Path) -> Edition:
    """The edition described by `folder`'s manifest."""
    manifest = folder / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return Edition(
            effective_from=date.fromisoformat(data["effective_from"]),
            published=str(data["published"]),
            path=folder,
            sources=tuple(str(source) for source in data.get("sources", ())),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(
            f"{manifest} is not a valid going-rate edition manifest: it needs "
            '"effective_from" (a date such as "2025-07-22") and "published".'
        ) from error


@cache
def _editions_in(directories: tuple[Path, ...]) -> tuple[Edition, ...]:
    found: dict[date, Edition] = {}
    for directory in directories:
        if not directory.is_dir():
            raise ImproperlyConfigured(
                f"{directory} is listed as a folder of going-rate editions but is not a folder."
            )
        for folder in sorted(directory.iterdir()):
            if folder.name.startswith(".") or not (folder / MANIFEST).is_file():
                continue  # a load in progress, or not an edition
            edition = read_manifest(folder)
            # An edition of the same date in a folder listed later replaces the earlier one.
            found[edition.effective_from] = edition
    return tuple(found[when] for when in sorted(found))


def editions() -> list[Edition]:
    """Every edition that can be used, oldest first."""
    return list(_editions_in(edition_directories()))


def edition_for(on: date) -> Edition:
    """The edition in force on `on`: the newest that had taken effect by then. Raises
    LookupError for a date before the oldest edition."""
    in_force = [edition for edition in editions() if edition.effective_from <= on]
    if not in_force:
        raise LookupError(f"No going-rate tables are loaded for {on.day} {on:%B %Y}.")
    return in_force[-1]


def _pounds(cell: str) -> int | None:
    return int(cell) if cell.strip() else None


def _read(folder: Path, table: str) -> dict[str, Occupation]:
    path = folder / f"skilled_occupations_table_{table}.csv"
    with path.open(newline="", encoding="utf-8") as rows:
        return {
            row["soc_code"]: Occupation(
                soc_code=row["soc_code"],
                title=row["title"],
                table=table,
                going_rate=int(row["going_rate"]),
                rate_90=_pounds(row["rate_90"]),
                rate_80=_pounds(row["rate_80"]),
                rate_70=_pounds(row["rate_70"]),
                phd_eligible=row["phd_eligible"] == "yes",
            )
            for row in csv.DictReader(rows)
        }


@cache
def _occupations_of(folder: Path) -> dict[str, Occupation]:
    return {**_read(folder, "1a"), **_read(folder, "1")}


@cache
def _immigration_salary_list_of(folder: Path) -> dict[str, str]:
    with (folder / "immigration_salary_list.csv").open(newline="", encoding="utf-8") as rows:
        return {row["soc_code"]: row["scope"] for row in csv.DictReader(rows)}


def edition_occupations(edition: Edition) -> dict[str, Occupation]:
    """Tables 1 and 1a of `edition`, whatever date it is in force."""
    return _occupations_of(edition.path)


def occupations(on: date) -> dict[str, Occupation]:
    """Table 1 (RQF 6 and above) and Table 1a (the lower-skilled codes kept for workers
    sponsored before 22 July 2025) of the edition in force on `on`; Table 1 wins where both
    list a code. Raises LookupError if no edition was in force."""
    return _occupations_of(edition_for(on).path)


def immigration_salary_list(on: date) -> dict[str, str]:
    """SOC code to the jobs within it that the Immigration Salary List in force on `on`
    covers. Raises LookupError if no edition was in force."""
    return _immigration_salary_list_of(edition_for(on).path)


def forget_editions() -> None:
    """Read the editions and their tables afresh on next use (after one is loaded)."""
    _editions_in.cache_clear()
    _occupations_of.cache_clear()
    _immigration_salary_list_of.cache_clear()
