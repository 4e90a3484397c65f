"""The going-rate tables of Appendix Skilled Occupations and the Immigration Salary List, read
from the CSV files in `data/` (their sources and dates are in `data/SOURCES.md`)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


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


def _pounds(cell: str) -> int | None:
    return int(cell) if cell.strip() else None


def _read(table: str) -> dict[str, Occupation]:
    path = DATA / f"skilled_occupations_table_{table}.csv"
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
def occupations() -> dict[str, Occupation]:
    """Table 1 (RQF 6 and above) and Table 1a (the lower-skilled codes kept for workers
    sponsored before 22 July 2025); Table 1 wins where both list a code."""
    return {**_read("1a"), **_read("1")}


@cache
def immigration_salary_list() -> dict[str, str]:
    """SOC code to the jobs within it that the Immigration Salary List covers."""
    with (DATA / "immigration_salary_list.csv").open(newline="", encoding="utf-8") as rows:
        return {row["soc_code"]: row["scope"] for row in csv.DictReader(rows)}
