"""Broken files through the whole upload stack: the API answers 400 with errors, never 500.

Every generated file is broken by construction (random bytes, a truncated workbook, a bad
cell, an encoding other than UTF-8), and goes through the endpoint trusts use, with the
Django test client: authentication, the multipart parser, the service, the parser and the
rules. After each one nothing is stored. The pure parser has its own, larger, fuzz tests in
tests/unit/returns/test_robustness.py; these check that no layer above it lets a fault out.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core.models import AuditEntry
from tests.unit.returns.files import edit_first_sheet_xml
from workforce.models import StaffingReturn
from workforce.returns import COLUMNS, UNEXPECTED_FAILURE

from .returns_data import GOOD, GROUPS, csv_file, row, xlsx_file

pytestmark = pytest.mark.django_db

VALID_CSV = csv_file()
VALID_XLSX = xlsx_file()
FIGURES = COLUMNS[1:]
# Figures that must be refused: too large, not numbers, formulas, negative, too long.
BAD_FIGURES = [
    "1e999",
    "1E+308",
    "9" * 400,
    "1000000",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "Infinity",
    "=1+1",
    "=SUM(B2:B4)",
    '=HYPERLINK("http://example.com")',
    "-1",
    "1,5",
    "TRUE",
    "#DIV/0!",
    "12 FTE",
]
NOT_A_NUMBER = st.text(min_size=1, max_size=40).filter(
    lambda text: "\x00" not in text and any(c.isalpha() and c not in "eE" for c in text)
)
# The length of a cell of digits, built in the test (a long example is costly to report).
LONG_CELL = st.integers(min_value=1_000, max_value=100_000)
BAD_CELL = st.one_of(st.sampled_from(BAD_FIGURES), NOT_A_NUMBER, LONG_CELL)
# Values a workbook can hold that no figure may be; the texts of RAW are written into the
# sheet's XML as they are (openpyxl would write NaN and infinity as empty cells).
RAW = {"nan": 111111.25, "NaN": 111112.25, "INF": 111113.25, "-inf": 111114.25}
BAD_XLSX_VALUES = [
    *RAW,
    1e300,
    -1,
    10**12,
    "=1+1",
    "=B2*2",
    "x" * 32_000,
    True,
    datetime.datetime(2026, 10, 1),
]
FILENAMES = st.sampled_from(["return.csv", "return.xlsx", "return", "Return.CSV"])


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


@pytest.fixture
def send(api, cast):
    """Upload one file as trust A's uploader and check the answer: a 400 listing errors."""
    client = api(cast.uploader_a)

    def upload(content: bytes, filename: str) -> list[dict]:
        response = client.post(
            "/api/v1/returns/",
            {
                "organisation": "RJ1",
                "period": "2026-10",
                "file": SimpleUploadedFile(filename, content),
            },
            format="multipart",
        )
        assert response.status_code == 400, (filename, content[:200], response.content[:500])
        errors = response.json()["errors"]
        assert errors
        for error in errors:
            assert isinstance(error["message"], str) and error["message"].strip()
            assert error["message"] != UNEXPECTED_FAILURE, (filename, content[:200])
        assert not StaffingReturn.objects.exists()
        assert not AuditEntry.objects.exists()
        return errors

    return upload


def with_cell(rows: list[list[object]], at: tuple[int, int], value: object) -> list[list[object]]:
    changed = [list(cells) for cells in rows]
    changed[at[0]][at[1]] = value
    return changed


GOOD_ROWS = [row(code) for code in GROUPS]
CELL = st.tuples(st.integers(0, len(GROUPS) - 1), st.integers(1, len(COLUMNS) - 1))


@examples(300)
@given(content=st.binary(max_size=4000), filename=FILENAMES)
def test_random_bytes_are_refused(send, content: bytes, filename: str) -> None:
    send(content, filename)


@examples(100)
@given(cut=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1))
def test_a_truncated_workbook_is_refused(send, cut: int) -> None:
    errors = send(VALID_XLSX[:cut], "return.xlsx")
    assert errors[0]["row"] is None


@examples(400)
@given(at=CELL, value=BAD_CELL)
def test_a_csv_with_one_bad_figure_is_refused_at_that_cell(send, at, value: str | int) -> None:
    if isinstance(value, int):
        value = "7" * value
    errors = send(csv_file(with_cell(GOOD_ROWS, at, value)), "return.csv")
    # Rows count from the header, which is row 1.
    assert {"row": at[0] + 2, "column": COLUMNS[at[1]]} in [
        {"row": e.get("row"), "column": e.get("column")} for e in errors
    ]


@examples(80)
@given(at=CELL, value=st.sampled_from(BAD_XLSX_VALUES))
def test_a_workbook_with_one_bad_figure_is_refused(send, at, value: object) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for cells in with_cell(GOOD_ROWS, at, RAW.get(value, value)):
        sheet.append([float(c) if c in GOOD.values() else c for c in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    if value in RAW:
        content = edit_first_sheet_xml(content, f"<v>{RAW[value]}</v>", f"<v>{value}</v>")
    errors = send(content, "return.xlsx")
    # openpyxl itself refuses a number cell reading NaN or INF: the file is then unreadable.
    where = {e.get("row") for e in errors}
    assert where == {None} if value in RAW else at[0] + 2 in where


@examples(80)
@given(
    encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]),
    at=CELL,
    accent=st.sampled_from(["\u00a3", "\u00e9", "\u00a0", "\u00b5"]),
)
def test_a_file_in_another_encoding_is_refused(send, encoding: str, at, accent: str) -> None:
    # A character outside ASCII, so that no encoding reads the same bytes as UTF-8.
    text = csv_file(with_cell(GOOD_ROWS, at, f"1{accent}")).decode()
    send(text.encode(encoding), "return.csv")


@examples(60)
@given(
    header=st.lists(st.sampled_from([*COLUMNS, "notes", ""]), max_size=12).filter(
        lambda names: sorted(names) != sorted(COLUMNS)
    ),
    keep_rows=st.booleans(),
)
def test_a_file_without_the_formats_header_is_refused(send, header, keep_rows: bool) -> None:
    send(csv_file(GOOD_ROWS if keep_rows else [], header=header), "return.csv")
