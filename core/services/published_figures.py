"""Importing NHS Workforce Statistics organisation-level CSVs into published figures.

Two published layouts are read (see the reference data README):

- "Staff Group and Organisation": `Date, ..., Org Code, ..., Staff Group, Data Type, Total`,
  one row for FTE and one for headcount (Data Type FTE or HC);
- "Core 1. Staff group": `DATA_MONTH, ..., ORG_CODE, ..., MAIN_STAFF_GROUP, STAFF_GROUP_1, FTE,
  HEADCOUNT`.

Rows naming an organisation or staff group the project does not know are counted and
reported by line, never dropped silently. A second import of the same file changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from core.models import Organisation, PublishedFigure, StaffGroup

from .bulk_rows import rows_insert

SOURCE = "NHS Workforce Statistics"
# A new figure's values, in this order, for `rows_insert`.
NEW_COLUMNS = ("organisation", "staff_group", "month", "period", "fte", "headcount", "source")
OLD_LAYOUT = {"Date", "Org Code", "Staff Group", "Data Type", "Total"}
NEW_LAYOUT = {"DATA_MONTH", "ORG_CODE", "MAIN_STAFF_GROUP", "STAFF_GROUP_1", "FTE", "HEADCOUNT"}
# Names the published files use that differ from the taxonomy's.
STAFF_GROUP_ALIASES = {
    "total": "ALL",
    "all staff groups": "ALL",
    "all grades": "DOC",
    "hchs doctors - all grades": "DOC",
    "unknown classification": "OTH",
    "other staff or those with unknown classification": "OTH",
    "other and local hchs doctor grades": "DOC-OTH",
    "other hchs doctor grades": "DOC-OTH",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%y", "%d-%b-%Y", "%b-%y", "%Y-%m", "%d%b%Y")


@dataclass
class ImportReport:
    stored: int = 0
    unchanged: int = 0
    months: list[str] = field(default_factory=list)  # the months with figures stored
    organisations: list[str] = field(default_factory=list)  # the codes with figures stored
    unknown_organisations: Counter = field(default_factory=Counter)
    unknown_staff_groups: Counter = field(default_factory=Counter)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    def lines(self) -> list[str]:
        lines = [f"{self.stored} figures stored, {self.unchanged} already up to date."]
        for code, n in sorted(self.unknown_organisations.items()):
            lines.append(f"Unknown organisation {code}: {n} rows not imported.")
        for name, n in sorted(self.unknown_staff_groups.items()):
            lines.append(f"Unknown staff group '{name}': {n} rows not imported.")
        lines += [f"Line {line}: {message}" for line, message in self.problems]
        return lines


def _staff_group_index() -> dict[str, StaffGroup]:
    groups = {g.code: g for g in StaffGroup.objects.all()}
    index = {g.name.lower(): g for g in groups.values()}
    index.update(
        {alias: groups[code] for alias, code in STAFF_GROUP_ALIASES.items() if code in groups}
    )
    return index


def _month(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() and value >= 0 else None


def _read_rows(reader: csv.DictReader, report: ImportReport) -> dict[tuple, dict[str, Decimal]]:
    """(org code, group name, month) -> {"fte": .., "headcount": ..} from either layout."""
    header = set(reader.fieldnames or [])
    new = header >= NEW_LAYOUT
    if not new and not header >= OLD_LAYOUT:
        missing = (
            sorted(OLD_LAYOUT - header) if "Org Code" in header else sorted(NEW_LAYOUT - header)
        )
        raise ValueError(
            "This is not an NHS Workforce Statistics organisation-level CSV: "
            f"missing columns {', '.join(missing)}."
        )
    figures: dict[tuple, dict[str, Decimal]] = defaultdict(dict)
    for line, row in enumerate(reader, start=2):
        if new:
            month, org = _month(row["DATA_MONTH"] or ""), (row["ORG_CODE"] or "").strip()
            group = (row["STAFF_GROUP_1"] or "").strip() or (row["MAIN_STAFF_GROUP"] or "").strip()
            values = {"fte": row["FTE"], "headcount": row["HEADCOUNT"]}
        else:
            month, org, group = (
                _month(row["Date"] or ""),
                (row["Org Code"] or "").strip(),
                (row["Staff Group"] or "").strip(),
            )
            kind = (row["Data Type"] or "").strip().upper()
            if kind not in ("FTE", "HC", "HEADCOUNT"):
                report.problems.append((line, f"Data Type '{row['Data Type']}' is not FTE or HC."))
                continue
            values = {"fte" if kind == "FTE" else "headcount": row["Total"]}
        if month is None:
            report.problems.append((line, "the month is not a date."))
            continue
        parsed = {
            name: _number(text or "") for name, text in values.items() if (text or "").strip()
        }
        if any(value is None for value in parsed.values()):
            report.problems.append((line, "a figure is not a number of zero or more."))
            continue
        key = (org.upper(), group, month)
        for name, value in parsed.items():
            figures[key][name] = figures[key].get(name, Decimal(0)) + value
        figures[key]["line"] = figures[key].get("line", line)
    return figures


def published_figures_import(*, content: str) -> ImportReport:
    """Store the figures of one organisation-level CSV (text), replacing earlier values."""
    report = ImportReport()
    figures = _read_rows(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))), report)
    organisations = {o.code: o for o in Organisation.objects.all()}
    groups = _staff_group_index()
    wanted: dict[tuple[int, int, datetime.date], tuple[Decimal, int | None]] = {}
    for (org_code, group_name, month), values in figures.items():
        organisation = organisations.get(org_code)
        group = groups.get(group_name.lower())
        if organisation is None:
            report.unknown_organisations[org_code or "(blank)"] += 1
        if group is None:
            report.unknown_staff_groups[group_name or "(blank)"] += 1
        if organisation is None or group is None:
            continue
        if "fte" not in values:
            report.problems.append((int(values["line"]), f"{org_code} {group_name}: no FTE."))
            continue
        headcount = values.get("headcount")
        wanted[(organisation.pk, group.pk, month)] = (
            values["fte"].quantize(Decimal("0.01")),
            int(headcount) if headcount is not None else None,
        )
    with transaction.atomic():
        existing = {
            (f.organisation_id, f.staff_group_id, f.month): f
            for f in PublishedFigure.objects.filter(
                period=PublishedFigure.Period.MONTH,
                organisation_id__in={k[0] for k in wanted},
                month__in={k[2] for k in wanted},
            )
        }
        new, changed = [], []
        for key, (fte, headcount) in wanted.items():
            figure = existing.get(key)
            if figure is None:
                new.append((*key, PublishedFigure.Period.MONTH, fte, headcount, SOURCE))
            elif figure.fte != fte or figure.headcount != headcount:
                figure.fte, figure.headcount = fte, headcount
                changed.append(figure)
            else:
                report.unchanged += 1
        rows_insert(PublishedFigure, NEW_COLUMNS, new)
        PublishedFigure.objects.bulk_update(changed, ["fte", "headcount"], batch_size=2000)
    report.stored = len(new) + len(changed)
    written = {(org, month) for org, _, month, *_ in new}
    written |= {(f.organisation_id, f.month) for f in changed}
    report.months = sorted({f"{month:%Y-%m}" for _, month in written})
    codes = {o.pk: code for code, o in organisations.items()}
    report.organisations = sorted({codes[pk] for pk, _ in written})
    return report


def published_figures_audit(
    report: ImportReport, *, filename: str
) -> list[tuple[type[PublishedFigure], str, dict[str, object]]]:
    """The import as one bulk entry of the audit trail: what it stored, for which months and
    organisations (the figures themselves are in the published file)."""
    if not report.stored:
        return []
    return [
        (
            PublishedFigure,
            f"Published figures import from {filename}: {report.stored} stored",
            {
                "stored": report.stored,
                "months": report.months,
                "organisations": report.organisations,
            },
        )
    ]
