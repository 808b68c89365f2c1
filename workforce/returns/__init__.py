"""Reading, checking and templating the monthly staffing return: pure, no Django.

``read_return`` is the one entry point for an uploaded file: bytes in, either validated
rows or every problem found, and never an exception. Parsing rules are in ``parsing``,
checking rules and their thresholds in ``validation``.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from .parsing import FileProblem, Limits, read_table
from .template import template_csv, template_xlsx
from .validation import COLUMNS, COST_COLUMNS, ParsedReturn, ReturnRow, validate_table

__all__ = [
    "COLUMNS",
    "COST_COLUMNS",
    "UNEXPECTED_FAILURE",
    "FileProblem",
    "Limits",
    "ParsedReturn",
    "ReturnRow",
    "read_return",
    "template_csv",
    "template_xlsx",
]

logger = logging.getLogger(__name__)

UNEXPECTED_FAILURE = (
    "The file could not be checked because of a fault on our side. Please try again later, "
    "and tell the service desk if it happens again."
)


def read_return(
    content: bytes,
    filename: str,
    *,
    staff_group_codes: Collection[str],
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
) -> ParsedReturn:
    """Read an uploaded staffing return (CSV or XLSX) into validated rows or problems."""
    try:
        table = read_table(content, filename, limits)
        if isinstance(table, FileProblem):
            return ParsedReturn(rows=(), problems=(table,))
        return validate_table(table, staff_group_codes=staff_group_codes)
    except Exception:
        # Parsing and validation handle every input they know of; this is the last line
        # so that a fault here shows the uploader a message rather than a server error.
        logger.exception("Unexpected failure reading staffing return %r", filename)
        problem = FileProblem(row=None, column=None, message=UNEXPECTED_FAILURE)
        return ParsedReturn(rows=(), problems=(problem,))
