"""Storing the published figures of general practice and primary care networks: the PCN
workforce, the GP practice series by financial year and the monthly practice-level file, read
by `core.primary_care_files`.

One rule for the three (docs/decisions.md): a file with any malformed row (a missing column, a
figure that is not a number, a role the planner does not map, a wrong month) changes nothing,
and every problem is listed by line and column. A code the planner holds no PCN or practice
for (a network formed after the January 2022 practice file, a practice closed before it) is no
fault of the file: its rows are listed by code and line and not imported, and the rest is
stored. A second import of the same file changes nothing; a corrected file updates the figures
it holds. Writes are bulk, in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from core import calendar
from core import primary_care_files as files
from core.errors import ApplicationError
from core.models import Organisation, PublishedFigure, RegisteredPatients, StaffGroup

from .bulk_rows import rows_insert
from .published_figures import ImportReport, published_figures_audit
from .reference_data import REFERENCE_DATA_DIR

PCN_SOURCE = "NHS Digital, Primary Care Network Workforce"
SERIES_SOURCE = (
    "NHS Digital, General Practice Workforce: financial-year means (Health Equity Evidence Centre)"
)
PRACTICE_MONTH_SOURCE = "NHS Digital, General Practice Workforce, Practice Level - Detailed"
SHIPPED_PCN_FILES = ("pcn_workforce_individual_2021-09.csv", "pcn_workforce_individual_2022-09.csv")
SHIPPED_SERIES_FILE = "gp_practice_patients_and_gps_by_financial_year_2015-16_to_2023-24.csv"
BATCH = 2000
FIGURE_COLUMNS = ("organisation", "staff_group", "month", "period", "fte", "headcount", "source")
PATIENTS_COLUMNS = ("organisation", "financial_year", "patients", "source")
LISTED_CODES = 10  # unknown codes a one-paragraph summary names


@dataclass
class PrimaryCareImportReport(ImportReport):
    """What an import stored, and the rows it left out with why, each by line."""

    what: str = ""  # the file's kind, as a summary names it
    organisation_kind: str = "organisation"  # "PCN" or "practice"
    patients_stored: int = 0
    patients_unchanged: int = 0
    unknown_lines: dict[str, list[int]] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def _counts(self) -> str:
        text = f"{self.stored:,} figures stored, {self.unchanged:,} already up to date"
        if self.patients_stored or self.patients_unchanged:
            text += (
                f"; registered patients: {self.patients_stored:,} stored, "
                f"{self.patients_unchanged:,} already up to date"
            )
        return text

    def lines(self) -> list[str]:
        lines = [f"{self.what}: {self._counts()}."]
        for code, found in sorted(self.unknown_lines.items()):
            lines.append(
                f"No {self.organisation_kind} has the code {code} (lines "
                f"{', '.join(map(str, found))}): {len(found)} rows not imported."
            )
        lines += [f"Line {line}: {message}" for line, message in self.skipped]
        return lines

    def summary(self) -> str:
        """One paragraph, for `load_reference_data`: counts, and the first unknown codes."""
        parts = [f"{self.what}: {self._counts()}"]
        if self.unknown_lines:
            codes = sorted(self.unknown_lines)
            rows = sum(len(found) for found in self.unknown_lines.values())
            named = ", ".join(codes[:LISTED_CODES]) + (", ..." if len(codes) > LISTED_CODES else "")
            parts.append(
                f"{len(codes):,} {self.organisation_kind} codes not known ({named}): "
                f"{rows:,} rows not imported"
            )
        if self.skipped:
            parts.append(f"{len(self.skipped)} rows skipped (line {self.skipped[0][0]}: ...)")
        return "; ".join(parts) + "."


def _refuse(read: files.ReadFile) -> None:
    if read.ok:
        return
    raise ApplicationError(
        [
            {"row": line, **({"column": column} if column else {}), "message": message}
            for line, column, message in read.problems
        ]
    )


def _period_label(period: str, month: datetime.date) -> str:
    if period == PublishedFigure.Period.FINANCIAL_YEAR:
        return calendar.year_label(month.year)
    return calendar.month_label(month)


def _store_figures(
    report: PrimaryCareImportReport,
    figures: Iterable[files.Figure],
    organisations: dict[str, int],
    *,
    kind: str,
    period: str,
    source: str,
) -> None:
    groups = dict(StaffGroup.objects.values_list("code", "pk"))
    wanted = {
        (organisations[f.organisation], groups[f.staff_group], f.month): (f.fte, f.headcount)
        for f in figures
    }
    stored = PublishedFigure.objects.filter(
        period=period,
        month__in={month for _, _, month in wanted},
        organisation__kind=kind,
    ).values_list("pk", "organisation_id", "staff_group_id", "month", "fte", "headcount", "source")
    existing = {
        (org, group, month): (pk, fte, headcount, stored_source)
        for pk, org, group, month, fte, headcount, stored_source in stored
    }
    new, changed, written = [], [], []
    for key, (fte, headcount) in wanted.items():
        found = existing.get(key)
        if found is not None and found[1:] == (fte, headcount, source):
            report.unchanged += 1
            continue
        written.append(key)
        if found is None:
            new.append((*key, period, fte, headcount, source))
        else:
            changed.append(
                PublishedFigure(pk=found[0], fte=fte, headcount=headcount, source=source)
            )
    rows_insert(PublishedFigure, FIGURE_COLUMNS, new)
    PublishedFigure.objects.bulk_update(changed, ["fte", "headcount", "source"], batch_size=BATCH)
    report.stored = len(new) + len(changed)
    codes = {pk: code for code, pk in organisations.items()}
    report.months = sorted({_period_label(period, month) for _, _, month in written})
    report.organisations = sorted({codes[org] for org, _, _ in written})


def _store_patients(
    report: PrimaryCareImportReport,
    counts: Iterable[files.Patients],
    organisations: dict[str, int],
    *,
    source: str,
) -> None:
    wanted = {(organisations[c.organisation], c.financial_year): c.patients for c in counts}
    existing = {
        (org, year): (pk, patients, stored_source)
        for pk, org, year, patients, stored_source in RegisteredPatients.objects.values_list(
            "pk", "organisation_id", "financial_year", "patients", "source"
        )
    }
    new, changed = [], []
    for (org, year), patients in wanted.items():
        found = existing.get((org, year))
        if found is None:
            new.append((org, year, patients, source))
        elif found[1:] != (patients, source):
            changed.append(RegisteredPatients(pk=found[0], patients=patients, source=source))
        else:
            report.patients_unchanged += 1
    rows_insert(RegisteredPatients, PATIENTS_COLUMNS, new)
    RegisteredPatients.objects.bulk_update(changed, ["patients", "source"], batch_size=BATCH)
    report.patients_stored = len(new) + len(changed)


def _known(read: files.ReadFile, kind: str, report: PrimaryCareImportReport) -> dict[str, int]:
    """The file's codes the planner holds an organisation of `kind` for; the others are
    counted and listed by line in the report."""
    organisations = dict(Organisation.objects.filter(kind=kind).values_list("code", "pk"))
    for code, found in read.lines.items():
        if code not in organisations:
            report.unknown_lines[code] = found
            report.unknown_organisations[code] = len(found)
    return {code: pk for code, pk in organisations.items() if code in read.lines}


def _import(
    read: files.ReadFile,
    *,
    kind: str,
    what: str,
    period: str,
    source: str,
) -> PrimaryCareImportReport:
    _refuse(read)
    organisation_kind = "PCN" if kind == Organisation.Kind.PRIMARY_CARE_NETWORK else "practice"
    report = PrimaryCareImportReport(what=what, organisation_kind=organisation_kind)
    report.skipped = list(read.skipped)
    known = _known(read, kind, report)
    with transaction.atomic():
        _store_figures(
            report,
            (f for f in read.figures if f.organisation in known),
            known,
            kind=kind,
            period=period,
            source=source,
        )
        _store_patients(
            report, (p for p in read.patients if p.organisation in known), known, source=source
        )
    return report


def pcn_workforce_import(*, content: bytes) -> PrimaryCareImportReport:
    """The PCN workforce individual-level CSV (Windows-1252 as published, or UTF-8)."""
    read = files.read_pcn_workforce(content)
    months = sorted({calendar.month_label(f.month) for f in read.figures})
    return _import(
        read,
        kind=Organisation.Kind.PRIMARY_CARE_NETWORK,
        what=f"PCN workforce {', '.join(months)}".strip(),
        period=PublishedFigure.Period.MONTH,
        source=PCN_SOURCE,
    )


def gp_practice_series_import(*, content: bytes) -> PrimaryCareImportReport:
    """The GP practice series by financial year: GPs' headcount and registered patients."""
    return _import(
        files.read_gp_practice_series(content),
        kind=Organisation.Kind.GP_PRACTICE,
        what="GP practice series by financial year",
        period=PublishedFigure.Period.FINANCIAL_YEAR,
        source=SERIES_SOURCE,
    )


def gp_workforce_import(*, content: bytes, month: datetime.date) -> PrimaryCareImportReport:
    """A month's General Practice Workforce, Practice Level - Detailed CSV."""
    return _import(
        files.read_gp_practice_month(content, month),
        kind=Organisation.Kind.GP_PRACTICE,
        what=f"General Practice Workforce {calendar.month_label(month)}",
        period=PublishedFigure.Period.MONTH,
        source=PRACTICE_MONTH_SOURCE,
    )


def primary_care_audit(
    report: PrimaryCareImportReport, *, filename: str
) -> list[tuple[type, str, dict[str, object]]]:
    """The import as bulk entries of the audit trail: the figures as any published figures
    import records them, and the registered patients' count."""
    entries: list[tuple[type, str, dict[str, object]]] = list(
        published_figures_audit(report, filename=filename)
    )
    if report.patients_stored:
        entries.append(
            (
                RegisteredPatients,
                f"Registered patients import from {filename}: {report.patients_stored} stored",
                {"stored": report.patients_stored},
            )
        )
    return entries


def primary_care_figures_load(
    *, directory: Path = REFERENCE_DATA_DIR
) -> list[tuple[str, PrimaryCareImportReport]]:
    """The shipped PCN workforce files and GP practice series, as `load_reference_data` loads
    them: (file name, report) for each."""
    loads: list[tuple[str, Callable[..., PrimaryCareImportReport]]] = [
        *((name, pcn_workforce_import) for name in SHIPPED_PCN_FILES),
        (SHIPPED_SERIES_FILE, gp_practice_series_import),
    ]
    return [(name, importer(content=(directory / name).read_bytes())) for name, importer in loads]
