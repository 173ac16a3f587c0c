"""The people-file parser under any input: a row is valid or gets its problems; a file reads or is refused whole."""

import datetime
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cafcases.imports.files import FileError, Problem, read_table
from cafcases.imports.rows import COLUMNS, REQUIRED_COLUMNS, CountryTable, PersonRow, PersonRowParser
from tests.fuzz.strategies import HOSTILE_STRINGS, echoes, hostile_text, near_numbers, valid_numbers

FUZZ = settings(max_examples=150, database=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = datetime.date(2026, 6, 1)
COUNTRIES = CountryTable([("99352", "DZ", True), ("99212", "AF", True), ("99206", "SY", True), ("99100", "FR", True)])
PARSER = PersonRowParser({name: index for index, name in enumerate(COLUMNS)}, COUNTRIES, today=TODAY)

# A cell is hostile text, or something close to what the column expects.
CELL = st.one_of(
    hostile_text(max_size=80),
    st.sampled_from(["M", "F", "m", "x", "15/06/1990", "1990", "06/1990", "31/02/1990", "99352", "DZ", "ZZ"]),
    st.sampled_from(["+33612345678", "06 12 34 56 78", "0", "a@b.fr", "a@", "rsa", "rsa,prime_noel", "inconnue"]),
    near_numbers(),
    valid_numbers().map(lambda number: number.formatted),
)


def assert_row_or_problems(outcome):
    """A valid PersonRow without problems, or no row and at least one problem naming a column and a reason."""
    row, problems = outcome
    if row is None:
        assert problems and all(isinstance(problem, Problem) for problem in problems)
        assert all(problem.column in COLUMNS and problem.reason for problem in problems)
    else:
        assert isinstance(row, PersonRow) and problems == []
    return row, problems


@FUZZ
@given(st.lists(CELL, max_size=len(COLUMNS) + 3))
def test_any_row_is_a_person_or_its_problems(cells):
    assert_row_or_problems(PARSER.parse(2, cells))


@FUZZ
@given(st.one_of(near_numbers(), valid_numbers().map(lambda number: number.formatted)))
def test_a_problem_on_the_nia_never_quotes_it(nia):
    cells = ["1234567", "Diallo", "", "Awa", "F", "15/06/1990", "99352", nia, "", "", "", "", "", ""]
    row, problems = assert_row_or_problems(PARSER.parse(2, cells))
    for problem in problems:
        assert not echoes(problem.reason, nia), problem


@FUZZ
@given(st.dictionaries(st.sampled_from(REQUIRED_COLUMNS), hostile_text(max_size=40)))
def test_required_columns_filled_with_anything(values):
    cells = [values.get(name, "") for name in COLUMNS]
    assert_row_or_problems(PARSER.parse(7, cells))


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(st.lists(hostile_text(max_size=30), max_size=6), max_size=6).map(
            lambda rows: "\n".join(";".join(cells) for cells in [list(COLUMNS), *rows]).encode("utf-8", "replace")
        ),
        st.sampled_from([item.encode("utf-8", "surrogatepass") for item in HOSTILE_STRINGS[:12]]),
    )
)
def test_a_file_reads_or_is_refused_whole(data):
    try:
        table = read_table(io.BytesIO(data), required=REQUIRED_COLUMNS, known=COLUMNS)
    except FileError as error:
        assert error.message
    else:
        for _line, cells in table.rows:
            assert_row_or_problems(PARSER.parse(2, cells))
