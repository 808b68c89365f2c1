"""A workbook carrying macros, links to other workbooks, controls or embedded objects is
refused as a whole file: its original is served back to others as it came."""

from __future__ import annotations

import pytest

from .files import good_rows, only_problem, read, with_parts, xlsx_bytes

CLEAN = xlsx_bytes(good_rows(3))
VBA = "application/vnd.ms-office.vbaProject"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
EXTERNAL_LINK = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
OLE_OBJECT = "application/vnd.openxmlformats-officedocument.oleObject"
ADVICE = "Copy the return's cells into a new workbook (Paste Special, Values)"


@pytest.mark.parametrize(
    "parts, content_types, what",
    [
        ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, {"xl/vbaProject.bin": VBA}, "macros"),
        ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, None, "macros"),
        ({"xl/macrosheets/sheet1.xml": b"<xm/>"}, None, "macros"),
        ({}, {"xl/workbook.xml": MACRO_MAIN}, "macros"),
        ({"xl/hidden.bin": b"\xd0\xcf"}, {"xl/hidden.bin": VBA}, "macros"),
        (
            {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
            {"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK},
            "links to other workbooks",
        ),
        ({"xl/externalLinks/externalLink1.xml": b"<e/>"}, None, "links to other workbooks"),
        ({"xl/activeX/activeX1.xml": b"<ax/>"}, None, "ActiveX controls"),
        ({"xl/ctrlProps/ctrlProp1.xml": b"<formControlPr/>"}, None, "form controls"),
        (
            {"xl/embeddings/oleObject1.bin": b"\xd0\xcf"},
            {"xl/embeddings/oleObject1.bin": OLE_OBJECT},
            "embedded objects or files",
        ),
        ({"xl/embeddings/Report.docx": b"PK"}, None, "embedded objects or files"),
        ({"xl/connections.xml": b"<connections/>"}, None, "connections to outside data"),
    ],
)
def test_a_workbook_with_active_content_is_refused_by_file_naming_it(parts, content_types, what):
    content = with_parts(CLEAN, parts, content_types)
    row, column, message = only_problem(read(content, "return.xlsx"))
    assert (row, column) == (None, None)
    assert message.startswith(f"The workbook contains {what}, which a return may not hold")
    assert ADVICE in message


def test_every_kind_found_is_named_in_the_one_message():
    content = with_parts(
        CLEAN,
        {
            "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0",
            "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
        },
    )
    _, _, message = only_problem(read(content, "return.xlsx"))
    assert message.startswith(
        "The workbook contains macros and links to other workbooks, which a return may not hold"
    )


def test_a_plain_workbook_with_pictures_and_printer_settings_is_still_read():
    content = with_parts(
        CLEAN,
        {"xl/media/image1.png": b"\x89PNG", "xl/printerSettings/printerSettings1.bin": b"\0"},
        {
            "xl/printerSettings/printerSettings1.bin": (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"
            )
        },
    )
    result = read(content, "return.xlsx")
    assert result.ok and len(result.rows) == 3
