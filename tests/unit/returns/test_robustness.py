"""Generated inputs: whatever bytes arrive, read_return answers with rows or problems.

Each property runs a modest number of examples, so that the whole unit run stays fast;
together they try a few thousand broken files per run.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import ROUND_DOWN, Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from workforce.returns import COLUMNS, COST_COLUMNS, UNEXPECTED_FAILURE, ParsedReturn

from .files import CODES, csv_bytes, good_rows, read, xlsx_bytes

FILENAMES = st.sampled_from(["return.csv", "return.xlsx", "return", "RETURN.CSV", ""])
VALID_XLSX = xlsx_bytes(good_rows(5))
VALID_CSV = csv_bytes(good_rows(5))

# Text that has broken parsers before: specials of every kind a figure cell might hold.
AWKWARD_TEXT = [
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e999",
    "1e-999",
    "9" * 5000,
    "0." + "0" * 3000 + "1",
    "1E+308",
    "=SUM(A1:A9)",
    "=1/0",
    "+=1",
    "@SUM(1)",
    "4.5%",
    "%",
    "1,234.5",
    "1,5",
    "1.2.3",
    "--1",
    "0x10",
    "\u0661\u0662",  # Arabic-Indic digits, which Decimal would accept
    "\uff11\uff12",  # full-width digits
    "\ufeffNURSE",
    "\u00a0",
    "\r\n",
    '"',
    "#DIV/0!",
    "TRUE",
    "x" * 200_000,
]
CELL_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(AWKWARD_TEXT),
    st.sampled_from(CODES),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"])
XLSX_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30
) | st.sampled_from([t for t in AWKWARD_TEXT if "\r" not in t and len(t) < 32_000])
XLSX_VALUE = st.one_of(
    st.none(),
    XLSX_TEXT,
    st.sampled_from(CODES),
    st.floats(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
    st.sampled_from(["=A1", "=SUM(B2:B9)", "=1/0", "#DIV/0!", "#N/A"]),
)
XML_SNIPPETS = [
    b"<",
    b"</row>",
    b'<c r="B2"><v>nan</v></c>',
    b'<c r="A1048577"><v>1</v></c>',
    b'<c r="B2" t="s"><v>99999</v></c>',
    b'<c r="B2" t="d"><v>not a date</v></c>',
    b'<c r="B2" s="999"><v>1</v></c>',
    b'<c r="B2"><v>' + b"9" * 5000 + b"</v></c>",
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>',
]
HEADERS = st.one_of(
    st.just(list(COLUMNS)),
    st.permutations(COLUMNS).map(list),
    st.lists(st.sampled_from([*COLUMNS, "", "notes", "FTE "]), max_size=12),
)


def assert_well_formed(result: ParsedReturn) -> None:
    assert isinstance(result, ParsedReturn)
    # Exactly one of rows and problems, and ok says which.
    assert bool(result.rows) != bool(result.problems)
    assert result.ok == (not result.problems)
    cells = [(p.row, p.column) for p in result.problems if p.column is not None]
    assert len(cells) == len(set(cells)), "two problems for one cell"
    for problem in result.problems:
        assert problem.message and problem.message != UNEXPECTED_FAILURE
        assert problem.row is None or problem.row >= 1
        # The template's columns, or an optional cost column a file gives.
        assert problem.column is None or problem.column in (*COLUMNS, *COST_COLUMNS)


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@examples(600)
@given(
    content=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=3000).map(lambda tail: b"PK\x03\x04" + tail),
        st.binary(max_size=200).map(lambda tail: VALID_CSV + tail),
    ),
    filename=FILENAMES,
)
def test_random_bytes_never_raise(content: bytes, filename: str) -> None:
    assert_well_formed(read(content, filename))


@examples(250)
@given(
    cut=st.integers(min_value=0, max_value=len(VALID_XLSX)),
    flips=st.lists(st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), max_size=4),
)
def test_damaged_workbooks_never_raise(cut: int, flips: list[tuple[int, int]]) -> None:
    content = bytearray(VALID_XLSX)
    for position, value in flips:
        content[position] = value
    assert_well_formed(read(bytes(content[: cut or None]), "return.xlsx"))


@examples(200)
@given(data=st.data())
def test_workbooks_with_damaged_parts_never_raise(data: st.DataObject) -> None:
    # The zip stays sound, so openpyxl itself meets the damaged XML.
    source = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    members = source.infolist()
    damaged = data.draw(st.sampled_from(members))
    text = source.read(damaged)
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.binary(max_size=40) | st.sampled_from(XML_SNIPPETS))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in members:
            content = source.read(member)
            if member is damaged:
                content = content[:cut] + insert + content[cut:][len(insert) :]
            target.writestr(member, content)
    assert_well_formed(read(buffer.getvalue(), "return.xlsx"))


@examples(700)
@given(
    header=HEADERS,
    rows=st.lists(st.lists(CELL_TEXT, max_size=11), max_size=8),
    encoding=ENCODINGS,
)
# Found once in a long run: a blank first line, so a cost column is the header.
@example(header=[], rows=[["AGENCY_COST"], [":"]], encoding="utf-8")
def test_random_cells_in_a_csv_never_raise(
    header: list[str], rows: list[list[str]], encoding: str
) -> None:
    text = csv_bytes(rows, header).decode("utf-8")
    assert_well_formed(read(text.encode(encoding, errors="replace"), "return.csv"))


@examples(150)
@given(
    header=HEADERS,
    rows=st.lists(st.lists(XLSX_VALUE, max_size=10), max_size=6),
)
def test_random_cells_in_a_workbook_never_raise(
    header: list[str], rows: list[list[object]]
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert_well_formed(read(buffer.getvalue(), "return.xlsx"))


FTE = st.decimals(min_value=0, max_value=5000, places=2)


@st.composite
def plausible_rows(draw: st.DrawFn) -> list[list[str]]:
    """Rows that every rule accepts, staying inside each threshold."""
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, unique=True))
    rows = []
    for code in codes:
        fte = draw(FTE)
        headcount = draw(st.integers(min_value=int(fte) + (fte > 0), max_value=int(fte) * 3 + 1))

        def up_to(limit: Decimal) -> Decimal:
            share = draw(st.decimals(min_value=0, max_value=1, places=2))
            return (limit * share).quantize(Decimal("0.01"), rounding=ROUND_DOWN)

        figures = [
            fte,
            headcount,
            up_to(fte) if fte else draw(FTE),  # vacancies, any size for a new service
            up_to(2 * fte),  # bank
            up_to(2 * fte),  # agency
            up_to(fte / 2),  # joiners
            up_to(fte / 4),  # leavers
            draw(st.decimals(min_value=0, max_value=1, places=5)),
        ]
        rows.append([draw(st.sampled_from([code, code.lower()])), *map(str, figures)])
    return rows


@examples(200)
@given(rows=plausible_rows(), xlsx=st.booleans())
def test_plausible_figures_are_accepted_and_kept(rows: list[list[str]], xlsx: bool) -> None:
    content = xlsx_bytes(rows) if xlsx else csv_bytes(rows)

    result = read(content, "return.xlsx" if xlsx else "return.csv")

    assert result.ok, result.problems
    for stored, cells in zip(result.rows, rows, strict=True):
        assert stored.staff_group_code == cells[0].upper()
        assert stored.fte == Decimal(cells[1])
        assert stored.headcount == int(cells[2])
        assert stored.leavers_fte == Decimal(cells[7])
        assert stored.sickness_absence_rate == Decimal(cells[8])
