"""Loading the shipped NHS reference data: regions, ICBs, trusts, GP practices and their
primary care networks (`core.services.gp_practices`), and staff groups.

Idempotent: each row is matched on its natural key (an ODS or staff group code) and written
only when it differs, so a second load changes nothing. Nothing is ever deleted.
"""

from __future__ import annotations

import csv
import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from core.models import ICS, ICSSuccession, Organisation, OrganisationMembership, Region, StaffGroup

from .gp_practices import gp_practices_load

REFERENCE_DATA_DIR = Path(__file__).resolve().parent.parent / "reference_data"
# ODS reorganised the ICB codes of trusts on this day; a trust whose ICB differs between the
# 2025 and 2026 lists moved on it.
REORGANISATION_DATE = datetime.date(2026, 4, 1)
NOT_ENGLISH_ICB_CODES = {"", "Q99"}


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    # model -> "added"/"updated" -> the natural keys written, for the audit trail
    keys: dict[type[models.Model], dict[str, list[str]]] = field(default_factory=dict)
    # What the load could not do and says each time (e.g. practices of a split ICB).
    notes: list[str] = field(default_factory=list)

    def count(self, model: type[models.Model], created: bool, changed: bool, key: str = "") -> None:
        if created:
            self.created[model.__name__] += 1
        elif changed:
            self.updated[model.__name__] += 1
        if created or changed:
            written = self.keys.setdefault(model, {})
            written.setdefault("added" if created else "updated", []).append(key)

    def audit_entries(self) -> list[tuple[type[models.Model], str, dict[str, list[str]]]]:
        """One bulk entry per model written: (model, description, what was written)."""
        return [
            (
                model,
                f"Reference data load: {model.__name__} "
                + ", ".join(f"{len(keys)} {what}" for what, keys in written.items()),
                written,
            )
            for model, written in self.keys.items()
        ]

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        if not self.changed_anything:
            head = "Reference data already up to date: nothing changed."
        else:
            parts = [f"{name}: {n} created" for name, n in sorted(self.created.items())]
            parts += [f"{name}: {n} updated" for name, n in sorted(self.updated.items())]
            head = "; ".join(parts) + "."
        return " ".join([head, *(f"{note}." for note in self.notes)])


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.DictReader(handle)


def _ods_date(text: str) -> datetime.date | None:
    return datetime.datetime.strptime(text, "%Y%m%d").date() if text else None


def _upsert(report: LoadReport, model: type[models.Model], lookup: dict, values: dict):
    """Create or update one row, writing only when a value differs."""
    obj = model.objects.filter(**lookup).first()
    key = " ".join(str(value) for value in lookup.values())
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(model, created=True, changed=False, key=key)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.count(model, created=False, changed=True, key=key)
    return obj


def _load_regions(report: LoadReport, directory: Path) -> dict[str, Region]:
    regions = {}
    for row in _rows(directory / "nhse_regions_7.csv"):
        regions[row["nhse_region_code"]] = _upsert(
            report,
            Region,
            {"code": row["nhse_region_code"]},
            {"ons_code": row["nhse_region_ons_code"], "name": row["nhse_region_name"]},
        )
    return regions


def _load_systems(report: LoadReport, directory: Path, regions: dict[str, Region]) -> dict:
    systems: dict[str, ICS] = {}
    for row in _rows(directory / "icb_42_2022-2026.csv"):
        systems[row["icb_ods_code"]] = _upsert(
            report,
            ICS,
            {"code": row["icb_ods_code"]},
            {
                "gss_code": row["icb_gss_code"],
                "name": row["icb_name"],
                "region": regions[row["nhse_region_code"]],
                "valid_from": datetime.date.fromisoformat(row["valid_from"]),
                "valid_to": datetime.date.fromisoformat(row["valid_to_exclusive"])
                if row["valid_to_exclusive"]
                else None,
            },
        )
    successions = list(_rows(directory / "icb_successions_2026-04-01.csv"))
    # The ICBs created by a succession take the published ODS name where a trust list gives
    # it, and their predecessors' region (every predecessor of one successor shares it).
    published_names = {
        row["icb_code"]: row["icb_name"]
        for row in _rows(directory / "trusts_open_2026_with_icb.csv")
        if row["icb_code"]
    }
    for row in successions:
        code = row["successor_ods"]
        if code in systems:
            continue
        systems[code] = _upsert(
            report,
            ICS,
            {"code": code},
            {
                "gss_code": "",
                "name": published_names.get(code, row["successor_name"]),
                "region": systems[row["predecessor_ods"]].region,
                "valid_from": datetime.date.fromisoformat(row["succession_date"]),
                "valid_to": None,
            },
        )
    for row in successions:
        _upsert(
            report,
            ICSSuccession,
            {
                "predecessor": systems[row["predecessor_ods"]],
                "successor": systems[row["successor_ods"]],
            },
            {
                "date": datetime.date.fromisoformat(row["succession_date"]),
                "kind": row["succession_type"],
            },
        )
    return systems


def _load_staff_groups(report: LoadReport, directory: Path) -> None:
    codes = {row["taxonomy_name"]: row for row in _rows(directory / "staff_group_codes.csv")}
    by_name: dict[str, StaffGroup] = {}
    sort_order = 0
    for row in _rows(directory / "nhs_hchs_staff_group_taxonomy.csv"):
        name = row["staff_group"]
        sort_order = int(row["sort_order"])
        # "main" marks the children of the top of the tree in the published file.
        parent_name = "All staff groups" if row["parent"] == "main" else row["parent"]
        by_name[name] = _upsert(
            report,
            StaffGroup,
            {"code": codes[name]["code"]},
            {
                "name": name,
                "parent": by_name[parent_name] if parent_name else None,
                "sector": StaffGroup.Sector.ALL if not parent_name else StaffGroup.Sector.HCHS,
                "sort_order": sort_order,
                "reportable": codes[name]["reportable"] == "true",
            },
        )
    by_code = {group.code: group for group in by_name.values()}
    for row in _rows(directory / "staff_groups_primary_and_social_care.csv"):
        sort_order += 1
        by_code[row["code"]] = _upsert(
            report,
            StaffGroup,
            {"code": row["code"]},
            {
                "name": row["name"],
                "parent": by_code[row["parent_code"]],
                "sector": row["sector"],
                "sort_order": sort_order,
                "reportable": row["reportable"] == "true",
            },
        )


def _read_etr(path: Path) -> dict[str, list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[0]: row for row in csv.reader(handle)}


def _membership_segments(
    icb_before: str,
    icb_after: str,
    opened: datetime.date | None,
    closes: datetime.date | None,
    systems: dict[str, ICS],
) -> list[tuple[ICS, datetime.date, datetime.date | None]]:
    """The dated ICS memberships of one trust from its ICB in the 2025 and 2026 lists.

    Each is cut to the trust's life [opened, closes) and to the ICS's own validity, so a
    trust that closed before ICBs existed has none: no membership is invented.
    """
    if icb_before and icb_after and icb_before != icb_after:
        wanted = [(icb_before, None, REORGANISATION_DATE), (icb_after, REORGANISATION_DATE, None)]
    else:
        wanted = [(icb_before or icb_after, None, None)]
    segments = []
    for code, start, end in wanted:
        if code in NOT_ENGLISH_ICB_CODES:
            continue
        ics = systems[code]
        starts = [d for d in (start, opened, ics.valid_from) if d is not None]
        ends = [d for d in (end, closes, ics.valid_to) if d is not None]
        valid_from, valid_to = max(starts), min(ends) if ends else None
        if valid_to is None or valid_to > valid_from:
            segments.append((ics, valid_from, valid_to))
    return segments


def _load_trusts(report: LoadReport, directory: Path, systems: dict[str, ICS]) -> None:
    before = _read_etr(directory / "ods_etr_2025-07.csv")
    after = _read_etr(directory / "ods_etr_2026-07.csv")
    for code in sorted(set(before) | set(after)):
        latest = after.get(code) or before[code]
        opened = _ods_date(latest[10])
        closed = _ods_date(latest[11])
        organisation = _upsert(
            report,
            Organisation,
            {"code": code},
            {
                "name": latest[1],
                "kind": Organisation.Kind.NHS_TRUST,
                "opened": opened,
                "closed": closed,
                "active": closed is None,
            },
        )
        closes = closed + datetime.timedelta(days=1) if closed else None
        segments = _membership_segments(
            before[code][3] if code in before else "",
            after[code][3] if code in after else "",
            opened,
            closes,
            systems,
        )
        for ics, valid_from, valid_to in segments:
            _upsert(
                report,
                OrganisationMembership,
                {"organisation": organisation, "valid_from": valid_from},
                {"ics": ics, "valid_to": valid_to},
            )


def reference_data_load(*, directory: Path = REFERENCE_DATA_DIR) -> LoadReport:
    """Load regions, ICSs and their successions, staff groups, NHS trusts, GP practices and
    primary care networks."""
    report = LoadReport()
    with transaction.atomic():
        regions = _load_regions(report, directory)
        systems = _load_systems(report, directory, regions)
        _load_staff_groups(report, directory)
        _load_trusts(report, directory, systems)
        gp_practices_load(report, directory, systems)
    return report
