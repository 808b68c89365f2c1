"""Cells a spreadsheet opens safely: pure, no Django, for every CSV the project writes.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by
spreadsheets ("formula injection"); such text is prefixed with a quote, which spreadsheets
show as text. Numbers stay numbers: a number, or text that is exactly a plain number such
as -12.5, is written as it is (a negative gap must not become the text "'-12.5").
"""

from __future__ import annotations

import re
from numbers import Number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool | Number):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
