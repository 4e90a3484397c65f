"""Checking and loading a new edition of the going-rate tables (the `load_going_rates`
command). Every file is checked before anything is written; an edition with any problem is not
written at all.

Row numbers are the file's line numbers, as a text editor or spreadsheet shows them: row 1 is the
headings, row 2 the first occupation.
"""

import csv
import io
import json
import re
import shutil
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .going_rates import EDITIONS, MANIFEST, Edition, forget_editions, read_manifest

LICENCE = "Crown copyright, Open Government Licence v3.0"
NOTES = "SOURCES.md"

_SKILLED = (
    "soc_code",
    "title",
    "going_rate",
    "going_rate_hourly",
    "rate_90",
    "rate_80",
    "rate_70",
    "phd_eligible",
    "note",
)
_SKILLED_2010 = (*_SKILLED[:2], "soc_2010_codes", *_SKILLED[2:])
_NATIONS = ("england", "scotland", "wales", "northern_ireland")
# Each file of an edition with its columns, as shipped in data/editions/2025-07-22/.
FILES: dict[str, tuple[str, ...]] = {
    "skilled_occupations_table_1.csv": _SKILLED,
    "skilled_occupations_table_1a.csv": _SKILLED,
    "skilled_occupations_table_2.csv": _SKILLED_2010,
    "skilled_occupations_table_2aa.csv": _SKILLED_2010,
    "skilled_occupations_table_2a.csv": tuple(
        column for column in _SKILLED_2010 if column not in ("rate_90", "rate_80")
    ),
    "skilled_occupations_table_2b.csv": (
        "soc_code",
        "title",
        "soc_2010_codes",
        "going_rate",
        "going_rate_hourly",
        "rate_70",
        "note",
    ),
    "ineligible_occupations_table_6.csv": ("soc_code", "title", "note"),
    "immigration_salary_list.csv": (
        "soc_code",
        "title",
        "scope",
        "note",
        "country",
        *_NATIONS,
        "removal_date",
    ),
}
SALARY_LIST = "immigration_salary_list.csv"
INELIGIBLE = "ineligible_occupations_table_6.csv"
# The Immigration Salary List may only name codes of these tables.
SALARY_LIST_TABLES = ("skilled_occupations_table_1.csv", "skilled_occupations_table_1a.csv")

_CODE = re.compile(r"\d{4}")
_WHOLE = re.compile(r"\d+")
_PENCE = re.compile(r"\d+\.\d{2}")


class EditionError(ValueError):
    """The edition was not loaded; `problems` says why, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class _File:
    name: str
    rows: list[tuple[int, dict[str, str]]]  # each with its row number
    text: str


def _check_row(name: str, number: int, row: dict[str, str]) -> list[str]:
    """The problems of one row, each naming the file, row and column."""
    problems = []

    def problem(column: str, what: str) -> None:
        problems.append(f"{name}, row {number}, column {column}: {what}")

    if not _CODE.fullmatch(row["soc_code"]):
        problem("soc_code", f'"{row["soc_code"]}" is not a 4-digit SOC 2020 code.')
    if not row["title"].strip():
        problem("title", "the title is empty.")
    if row.get("soc_2010_codes"):
        codes = row["soc_2010_codes"].split(";")
        if not all(_CODE.fullmatch(code) for code in codes):
            problem(
                "soc_2010_codes",
                f'"{row["soc_2010_codes"]}" is not a list of 4-digit codes separated by ";" '
                '(for example "1115;1172").',
            )
    going_rate: int | None = None
    if "going_rate" in row:
        if _WHOLE.fullmatch(row["going_rate"]):
            going_rate = int(row["going_rate"])
        else:
            problem(
                "going_rate",
                f'"{row["going_rate"]}" is not a whole number of pounds (write 52000, with no '
                '"£", commas or pence).',
            )
    if "going_rate_hourly" in row and not _PENCE.fullmatch(row["going_rate_hourly"]):
        problem(
            "going_rate_hourly",
            f'"{row["going_rate_hourly"]}" is not an hourly rate in pounds and pence (write '
            '26.67, with no "£").',
        )
    for column in ("rate_90", "rate_80", "rate_70"):
        if column not in row or not row[column]:
            continue  # blank means "Not applicable"
        if not _WHOLE.fullmatch(row[column]):
            problem(
                column,
                f'"{row[column]}" is not a whole number of pounds (write 36400, with no "£" or '
                'commas; leave it blank for "Not applicable").',
            )
        elif going_rate is not None and int(row[column]) > going_rate:
            problem(column, f"{row[column]} is higher than the going rate of {going_rate}.")
    for column in ("phd_eligible", *_NATIONS):
        if column in row and row[column] not in ("yes", "no"):
            problem(column, f'"{row[column]}" must be yes or no.')
    return problems


def _read(folder: Path, name: str, problems: list[str]) -> _File | None:
    path = folder / name
    if not path.is_file():
        problems.append(f"{name}: the file is missing.")
        return None
    try:
        # "utf-8-sig" also reads the byte-order mark spreadsheet programs put in "CSV UTF-8".
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(f"{name}: the file is not UTF-8 text; save it as CSV UTF-8.")
        return None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = list(reader.fieldnames or [])
    expected = FILES[name]
    missing = [column for column in expected if column not in columns]
    unexpected = [column for column in columns if column not in expected]
    for column in missing:
        problems.append(f"{name}, row 1, column {column}: the column is missing.")
    for column in unexpected:
        problems.append(f"{name}, row 1, column {column}: the column is not expected.")
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    for column in repeated:
        problems.append(f"{name}, row 1, column {column}: the column appears more than once.")
    if missing or unexpected or repeated:
        return None
    rows = []
    seen: dict[str, int] = {}
    for row in reader:
        number = reader.line_num
        if None in row or any(value is None for value in row.values()):
            problems.append(
                f"{name}, row {number}: the row has {len(columns)} columns in the headings but "
                "a different number of cells."
            )
            continue
        problems.extend(_check_row(name, number, row))
        code = row["soc_code"]
        if code in seen:
            problems.append(
                f"{name}, row {number}, column soc_code: {code} is already listed in row "
                f"{seen[code]}."
            )
        else:
            seen[code] = number
        rows.append((number, row))
    if not rows and not any(problem.startswith(f"{name},") for problem in problems):
        problems.append(f"{name}: the file has headings but no rows.")
    return _File(name, rows, text)


def check_edition(
    folder: Path, *, salary_list_codes_elsewhere: Collection[str] = ()
) -> dict[str, _File]:
    """Every file of the edition in `folder`, read and checked; raises EditionError with every
    problem found. `salary_list_codes_elsewhere` are codes the Immigration Salary List may name
    though Tables 1 and 1a do not, because the appendix lists them only in tables that are not
    converted (Tables 3 and 3a, health and education). 6131 is such a code in the edition of
    22 July 2025: on the list, but in none of its files."""
    problems: list[str] = []
    if not folder.is_dir():
        raise EditionError([f"{folder} is not a folder."])
    for path in sorted(folder.glob("*.csv")):
        if path.name not in FILES:
            problems.append(
                f"{path.name}: not one of the going-rate files (expected {', '.join(FILES)})."
            )
    files = {name: read for name in FILES if (read := _read(folder, name, problems))}
    if SALARY_LIST in files and all(name in files for name in SALARY_LIST_TABLES):
        codes = {row["soc_code"] for name in SALARY_LIST_TABLES for _, row in files[name].rows}
        ineligible = (
            {row["soc_code"] for _, row in files[INELIGIBLE].rows} if INELIGIBLE in files else set()
        )
        for number, row in files[SALARY_LIST].rows:
            code = row["soc_code"]
            if code in codes or not _CODE.fullmatch(code):
                continue
            if code in ineligible:
                problems.append(
                    f"{SALARY_LIST}, row {number}, column soc_code: {code} is in Table 6 (not "
                    "eligible) and not in Table 1 or Table 1a, so it cannot be on the Immigration "
                    "Salary List."
                )
            elif code not in salary_list_codes_elsewhere:
                problems.append(
                    f"{SALARY_LIST}, row {number}, column soc_code: {code} is not in Table 1 or "
                    "Table 1a. If the appendix lists it in a table that is not converted (Table "
                    f"3 or 3a, health and education), accept it with --allow-isl-code {code}."
                )
    if problems:
        raise EditionError(problems)
    return files


def load_edition(
    source: Path,
    *,
    effective_from: date,
    published: str,
    sources: Sequence[str],
    into: Path | None = None,
    replace: bool = False,
    salary_list_codes_elsewhere: Collection[str] = (),
) -> Edition:
    """Check the CSV files in `source` and write them, with a manifest, as the edition in force
    from `effective_from` in `into` (the shipped editions folder unless given). Nothing is
    written if any problem is found; raises EditionError listing them all."""
    into = EDITIONS if into is None else into
    when = f"{effective_from.day} {effective_from:%B %Y}"
    problems = []
    if not published.strip():
        problems.append('--published is empty: give the GOV.UK update, e.g. "Updated 1 May 2026".')
    if not sources:
        problems.append("Give at least one --source: the address of the GOV.UK page.")
    for address in sources:
        if not address.startswith(("https://", "http://")):
            problems.append(f'--source "{address}" is not a web address.')
    target = into / effective_from.isoformat()
    if target.exists() and not replace:
        problems.append(
            f"An edition in force from {when} is already loaded in {target}. Use --replace to "
            "replace it."
        )
    try:
        files = check_edition(source, salary_list_codes_elsewhere=salary_list_codes_elsewhere)
    except EditionError as error:
        problems.extend(error.problems)
    if problems:
        raise EditionError(problems)

    into.mkdir(parents=True, exist_ok=True)
    # Write into a hidden folder beside the target, then rename it into place, so a half-written
    # edition is never read.
    staging = Path(tempfile.mkdtemp(prefix=".loading-", dir=into))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the service may run as another user
        for name, file in files.items():
            (staging / name).write_text(file.text, encoding="utf-8", newline="")
        if (source / NOTES).is_file():
            shutil.copyfile(source / NOTES, staging / NOTES)
        manifest = {
            "effective_from": effective_from.isoformat(),
            "published": published.strip(),
            "sources": list(sources),
            "licence": LICENCE,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=".replaced-", dir=into)) / target.name
            target.rename(retired)
            try:
                staging.rename(target)
            except OSError:
                retired.rename(target)  # put the old edition back
                raise
            shutil.rmtree(retired.parent)
        else:
            staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    forget_editions()
    return read_manifest(target)
