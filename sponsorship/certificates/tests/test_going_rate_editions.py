"""Going-rate editions: the tables in force on a date, and loading a newer edition with
`manage.py load_going_rates`.

The new editions here are copies of the shipped one (in force from 22 July 2025) with a few
figures changed by hand: 2124 Electronics engineers goes from £52,000 to £54,000, and 1232 comes
off the Immigration Salary List.
"""

import json
import shutil
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sponsorship.certificates.going_rates import (
    edition_for,
    editions,
    forget_editions,
    immigration_salary_list,
    occupations,
)
from sponsorship.certificates.salary import salary_check
from sponsorship.core.rules import RULES, Rule, RuleRow

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "editions" / "2025-07-22"
APPENDIX = (
    "https://www.gov.uk/guidance/immigration-rules/immigration-rules-appendix-skilled-occupations"
)
TABLE_1 = "skilled_occupations_table_1.csv"
TABLE_1A = "skilled_occupations_table_1a.csv"
TABLE_6 = "ineligible_occupations_table_6.csv"
SALARY_LIST = "immigration_salary_list.csv"
APRIL_2026 = date(2026, 4, 6)


def check(soc: str, salary: str, on: date, option: str = "A"):
    return salary_check(
        soc_code=soc,
        annual_salary=Decimal(salary),
        weekly_hours=Decimal("37.5"),
        option=option,
        on=on,
    )


def row_of(folder: Path, name: str, soc: str) -> int:
    """The row (line) number of `soc` in a file, as an editor shows it."""
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(f"{soc},"))


def replace_row(folder: Path, name: str, soc: str, new_line: str | None) -> int:
    """Replace (or with None, remove) the row of `soc`; returns its row number."""
    number = row_of(folder, name, soc)
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    if new_line is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new_line
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number


def load(
    source: Path,
    *extra: str,
    effective_from: str = "2026-04-06",
    into: Path,
    allow: tuple[str, ...] = ("--allow-isl-code", "6131"),
) -> str:
    """Run the loader. 6131 is on the Immigration Salary List but not in Table 1 or 1a, so it is
    accepted explicitly, as the how-to says."""
    out = StringIO()
    call_command(
        "load_going_rates",
        str(source),
        "--effective-from",
        effective_from,
        "--published",
        "Updated 11 March 2026",
        "--source",
        APPENDIX,
        "--into",
        str(into),
        *allow,
        *extra,
        stdout=out,
    )
    return out.getvalue()


def refused(source: Path, *extra: str, into: Path, **options) -> str:
    with pytest.raises(CommandError) as raised:
        load(source, *extra, into=into, **options)
    return str(raised.value)


@pytest.fixture(autouse=True)
def _read_editions_afresh():
    forget_editions()
    yield
    forget_editions()


@pytest.fixture
def source(tmp_path) -> Path:
    """A copy of the shipped edition's CSV files, to edit into a new edition."""
    folder = tmp_path / "source"
    folder.mkdir()
    for path in SHIPPED.glob("*.csv"):
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture
def extra_editions(tmp_path, settings) -> Path:
    """A folder of editions the service reads as well as the shipped ones."""
    folder = tmp_path / "editions"
    folder.mkdir()
    settings.GOING_RATE_EDITIONS_DIRS = [str(folder)]
    return folder


@pytest.fixture
def april_2026(source) -> Path:
    """The source files of the April 2026 edition."""
    replace_row(
        source, TABLE_1, "2124", "2124,Electronics engineers,54000,27.69,48600,43200,37800,yes,"
    )
    replace_row(source, SALARY_LIST, "1232", None)
    return source


def test_the_shipped_edition_is_in_force_from_22_july_2025():
    for on in (date(2025, 7, 22), date(2026, 1, 12), date(2030, 1, 1)):
        edition = edition_for(on)
        assert edition.effective_from == date(2025, 7, 22)
        assert edition.published == "Updated 25 November 2025"
        assert occupations(on)["2124"].going_rate == 52_000
        assert immigration_salary_list(on)["1232"] == "all jobs"
    assert APPENDIX in edition_for(date(2025, 7, 22)).sources


def test_before_22_july_2025_no_going_rates_are_loaded():
    with pytest.raises(LookupError, match=r"No going-rate tables are loaded for 21 July 2025\."):
        occupations(date(2025, 7, 21))
    with pytest.raises(LookupError, match=r"No going-rate tables are loaded for 21 July 2025\."):
        immigration_salary_list(date(2025, 7, 21))
    verdict = check("2124", "60000", on=date(2025, 7, 21))
    assert not verdict.passes
    assert verdict.message == (
        "The salary rules in force on 21 July 2025 are not loaded (neither the going rates nor "
        "the thresholds), so the salary cannot be checked here."
    )


def test_thresholds_without_going_rates_for_the_date_are_not_enough(monkeypatch):
    # Someone adds the April 2024 general threshold but not the going rates of that time.
    general = Rule.SKILLED_WORKER_GENERAL_THRESHOLD
    april_2024 = RuleRow(date(2024, 4, 4), 38_700, "Appendix Skilled Worker, 4 April 2024")
    monkeypatch.setitem(RULES, general, (april_2024, *RULES[general]))
    verdict = check("2124", "60000", on=date(2024, 5, 1))
    assert not verdict.passes
    assert verdict.message == (
        "The going rates in force on 1 May 2024 are not loaded, so the salary cannot be "
        "checked here."
    )


def test_a_newer_edition_takes_over_from_its_date(april_2026, extra_editions):
    output = load(april_2026, into=extra_editions)

    assert "Loaded the going rates in force from 6 April 2026 (Updated 11 March 2026)" in output
    assert "not a folder the service reads" not in output
    # The day before, the shipped rates still apply: £52,000 is enough.
    before = check("2124", "52000", on=date(2026, 4, 5))
    assert before.passes
    assert "the going rate for 2124 Electronics engineers at 37.5 hours a week is £52,000" in (
        before.message
    )
    # From 6 April 2026 the new rate applies.
    after = check("2124", "52000", on=APRIL_2026)
    assert not after.passes
    assert after.message == (
        "The salary of £52,000 is below the going rate of £54,000 for 2124 Electronics "
        "engineers at 37.5 hours a week, under the general salary requirement (option A). It "
        "needs to be at least £54,000."
    )
    assert check("2124", "48600", on=APRIL_2026, option="B").passes  # 90% of £54,000
    # The Immigration Salary List is the one of the edition too.
    assert check("1232", "41000", on=date(2026, 4, 5), option="D").passes
    assert check("1232", "41000", on=APRIL_2026, option="D").message == (
        "1232 Residential, day and domiciliary care managers and proprietors is not on the "
        "Immigration Salary List."
    )
    assert [(e.effective_from, e.published) for e in editions()] == [
        (date(2025, 7, 22), "Updated 25 November 2025"),
        (APRIL_2026, "Updated 11 March 2026"),
    ]


def test_the_loaded_edition_records_its_date_source_and_licence(april_2026, extra_editions):
    load(april_2026, "--source", "https://www.gov.uk/example-salary-list", into=extra_editions)

    folder = extra_editions / "2026-04-06"
    assert json.loads((folder / "edition.json").read_text(encoding="utf-8")) == {
        "effective_from": "2026-04-06",
        "published": "Updated 11 March 2026",
        "sources": [APPENDIX, "https://www.gov.uk/example-salary-list"],
        "licence": "Crown copyright, Open Government Licence v3.0",
    }
    assert sorted(path.name for path in folder.glob("*.csv")) == sorted(
        path.name for path in SHIPPED.glob("*.csv")
    )


def test_a_copy_of_the_shipped_edition_passes_every_check(source, tmp_path):
    output = load(source, into=tmp_path / "elsewhere")

    assert "261 occupation codes in Tables 1 and 1a" in output
    # Loaded into a folder the service does not read, it says so.
    assert "is not a folder the service reads editions from" in output
    assert "GOING_RATE_EDITIONS_DIRS" in output


def test_a_file_saved_by_a_spreadsheet_program_loads(april_2026, extra_editions):
    # "CSV UTF-8" from a spreadsheet program starts with a byte-order mark and ends lines
    # with CR LF.
    table = april_2026 / TABLE_1
    text = table.read_text(encoding="utf-8")
    table.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))

    load(april_2026, into=extra_editions)

    assert occupations(APRIL_2026)["2124"].going_rate == 54_000
    assert occupations(APRIL_2026)["1111"].title == "Chief executives and senior officials"


def test_every_problem_is_named_by_file_row_and_column_and_nothing_is_written(
    april_2026, extra_editions
):
    commas = replace_row(
        april_2026,
        TABLE_1,
        "2124",
        '2124,Electronics engineers,"54,000",27.69,48600,43200,37800,yes,',
    )
    too_high = replace_row(
        april_2026,
        TABLE_1A,
        "1150",
        "1150,Managers and directors in retail and wholesale,36400,18.67,36500,33400,33400,Y,",
    )
    short_code = replace_row(april_2026, TABLE_6, "9267", "967,Leisure and theme park attendants,")
    not_eligible = replace_row(
        april_2026,
        SALARY_LIST,
        "6131",
        "9269,Other elementary services occupations,all jobs,,Scotland only,no,yes,no,no,"
        "31 December 2026",
    )
    with (april_2026 / TABLE_6).open("a", encoding="utf-8") as table_6:
        table_6.write("2463,Clergy,\n")
    duplicate = len((april_2026 / TABLE_6).read_text(encoding="utf-8").splitlines())
    first_2463 = row_of(april_2026, TABLE_6, "2463")

    # Accepting 9269 explicitly does not help: Table 6 says it is not eligible.
    message = refused(april_2026, "--allow-isl-code", "9269", into=extra_editions)

    assert message.startswith("Nothing was loaded: 6 problems found.\n")
    for problem in (
        f"{TABLE_1}, row {commas}, column going_rate: "
        '"54,000" is not a whole number of pounds (write 52000, with no "£", commas or pence).',
        f"{TABLE_1A}, row {too_high}, column rate_90: 36500 is higher than the going rate of "
        "36400.",
        f'{TABLE_1A}, row {too_high}, column phd_eligible: "Y" must be yes or no.',
        f'{TABLE_6}, row {short_code}, column soc_code: "967" is not a 4-digit SOC 2020 code.',
        f"{TABLE_6}, row {duplicate}, column soc_code: 2463 is already listed in row {first_2463}.",
        f"{SALARY_LIST}, row {not_eligible}, column soc_code: 9269 is in Table 6 (not "
        "eligible) and not in Table 1 or Table 1a, so it cannot be on the Immigration Salary "
        "List.",
    ):
        assert f"- {problem}" in message
    assert list(extra_editions.iterdir()) == []
    assert check("2124", "52000", on=APRIL_2026).passes  # still the shipped rates


def test_a_salary_list_code_outside_tables_1_and_1a_must_be_accepted_explicitly(
    source, extra_editions
):
    message = refused(source, into=extra_editions, allow=())

    assert message == (
        "Nothing was loaded: 1 problem found.\n"
        f"- {SALARY_LIST}, row {row_of(source, SALARY_LIST, '6131')}, column soc_code: 6131 is "
        "not in Table 1 or Table 1a. If the appendix lists it in a table that is not converted "
        "(Table 3 or 3a, health and education), accept it with --allow-isl-code 6131."
    )
    assert list(extra_editions.iterdir()) == []


def test_missing_files_and_columns_are_named(source, extra_editions):
    (source / TABLE_6).unlink()
    lines = (source / TABLE_1A).read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("rate_80", "rate_80_percent")
    (source / TABLE_1A).write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copyfile(source / TABLE_1, source / "skilled_occupations_table_3.csv")

    message = refused(source, into=extra_editions)

    assert f"- {TABLE_6}: the file is missing." in message
    assert f"- {TABLE_1A}, row 1, column rate_80: the column is missing." in message
    assert f"- {TABLE_1A}, row 1, column rate_80_percent: the column is not expected." in message
    assert "- skilled_occupations_table_3.csv: not one of the going-rate files" in message
    assert list(extra_editions.iterdir()) == []


def test_a_loaded_date_is_refused_unless_replaced(april_2026, extra_editions):
    load(april_2026, into=extra_editions)
    replace_row(
        april_2026, TABLE_1, "2124", "2124,Electronics engineers,55000,28.21,49500,44000,38500,yes,"
    )

    message = refused(april_2026, into=extra_editions)

    assert message == (
        "Nothing was loaded: 1 problem found.\n"
        f"- An edition in force from 6 April 2026 is already loaded in "
        f"{extra_editions / '2026-04-06'}. Use --replace to replace it."
    )
    assert occupations(APRIL_2026)["2124"].going_rate == 54_000

    load(april_2026, "--replace", into=extra_editions)

    assert occupations(APRIL_2026)["2124"].going_rate == 55_000
    assert [path.name for path in extra_editions.iterdir()] == ["2026-04-06"]


def test_the_effective_date_must_be_a_date(source, extra_editions):
    message = refused(source, into=extra_editions, effective_from="6/4/2026")

    assert (
        message
        == '--effective-from "6/4/2026" is not a date written as YYYY-MM-DD, e.g. 2026-04-06.'
    )
