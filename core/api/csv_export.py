"""CSV responses that a spreadsheet opens safely: every cell through `core.cells`.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by
spreadsheets; such text cells are prefixed with a quote. Numbers stay numbers (a negative
gap is written as -12.5, not as text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from core.cells import FORMULA_STARTS, safe_cell

__all__ = ["FORMULA_STARTS", "csv_response", "csv_streamed", "safe_cell"]


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    """A file whose write returns the line, for csv.writer to make lines one at a time."""

    def write(self, value: str) -> str:
        return value


def csv_streamed(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """The rows as CSV, line by line as they are read: for exports too long to hold at once
    (a whole country's figures). `rows` should be lazy (a queryset's iterator)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
