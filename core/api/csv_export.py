"""CSV responses that a spreadsheet opens safely: every cell through `core.cells`.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by
spreadsheets; such text cells are prefixed with a quote. Numbers stay numbers (a negative
gap is written as -12.5, not as text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from core.cells import FORMULA_STARTS, safe_cell

__all__ = ["FORMULA_STARTS", "csv_response", "safe_cell"]


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
