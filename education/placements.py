"""Placement places by placement sector, and what they give each part of a programme's
placement weeks: the capacity half of the education pipeline (education/pipeline.py explains
the rules). Pure: plain data in, plain data out, no Django.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import PlacementCapacity, Programme


@dataclass(frozen=True)
class PlacementPart:
    """Weeks a year a student spends in any of `sectors` (none: any sector at all)."""

    sectors: tuple[str, ...]
    weeks: float


class Dated:
    """Values recorded for some years; a year takes the latest value at or before it."""

    def __init__(self, by_year: Mapping[int, float]) -> None:
        self._years = sorted(by_year)
        self._values = [by_year[y] for y in self._years]

    def at(self, year: int) -> float | None:
        i = bisect.bisect_right(self._years, year)
        return self._values[i - 1] if i else None


def require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


@dataclass(frozen=True)
class PartUse:
    """One part of a programme's placement weeks in one academic year: demand and capacity."""

    sectors: tuple[str, ...]  # () for weeks that are not split
    weeks: float  # a student's weeks a year in the part
    students: float  # the intake asked for (planned plus extra places), or the actual starts
    places: float | None  # students the part's sectors can place; None: none recorded
    binding: bool  # the tightest part, whose places are the programme's placement capacity

    @property
    def demand_weeks(self) -> float:
        return self.students * self.weeks

    @property
    def capacity_weeks(self) -> float | None:
        return None if self.places is None else self.places * self.weeks

    @property
    def short(self) -> bool:
        return self.places is not None and self.students > self.places

    @property
    def short_by(self) -> float:
        """Students the part cannot place (0 when it can place them all, or is unknown)."""
        return max(0.0, self.students - self.places) if self.places is not None else 0.0


class RecordedPlaces:
    """Placement places by ICS, programme and sector, each carried forward like intakes, and
    what they give each part of a programme's weeks."""

    def __init__(
        self, placements: Sequence[PlacementCapacity], programmes: Mapping[str, Programme]
    ) -> None:
        by_year: dict[tuple[str, str, str | None], dict[int, float]] = defaultdict(dict)
        for c in placements:
            sector = f" {c.sector}" if c.sector is not None else ""
            where = f"placement capacity {c.ics} {c.programme}{sector} {c.academic_year}"
            require(c.programme in programmes, f"{where}: unknown programme")
            require(c.places >= 0, f"{where}: places must be >= 0")
            key = (c.ics, c.programme, c.sector)
            require(c.academic_year not in by_year[key], f"{where}: recorded twice")
            by_year[key][c.academic_year] = c.places
        # ics -> programme -> sector -> places carried
        self._series: dict[str, dict[str, dict[str | None, Dated]]] = defaultdict(dict)
        for (ics, code, sector), values in sorted(
            by_year.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "")
        ):
            self._series[ics].setdefault(code, {})[sector] = Dated(values)
        self._programmes = programmes
        self._offered: dict[tuple[str, int], float] = {}

    def has(self, ics: str, code: str) -> bool:
        return code in self._series.get(ics, {})

    def programmes(self, ics: str) -> list[str]:
        """The programmes with places recorded in the ICS, by code."""
        return sorted(self._series.get(ics, {}))

    def by_sector(self, ics: str, code: str, year: int) -> dict[str | None, float]:
        """Places carried to `year` in each sector recorded (None: attributed to none)."""
        return {
            sector: places
            for sector, series in self._series.get(ics, {}).get(code, {}).items()
            for places in [series.at(year)]
            if places is not None
        }

    def parts(self, ics: str, code: str, year: int) -> list[tuple[PlacementPart, float | None]]:
        """Each part of the programme with the places of its sectors (None: none recorded)."""
        carried = self.by_sector(ics, code, year)
        found = []
        for part in self._programmes[code].placement_parts:
            known = [
                n for sector, n in carried.items() if not part.sectors or sector in part.sectors
            ]
            found.append((part, sum(known) if known else None))
        return found

    def tightest(self, ics: str, code: str, year: int) -> tuple[int, PlacementPart, float] | None:
        """The part with the fewest places among those recorded (the first of equals), with
        its position in the programme's parts."""
        recorded = [
            (i, part, n) for i, (part, n) in enumerate(self.parts(ics, code, year)) if n is not None
        ]
        return min(recorded, key=lambda found: found[2]) if recorded else None

    def offered(self, ics: str, year: int) -> float:
        """Places over every programme of the ICS: each programme's tightest part."""
        key = (ics, year)
        if key not in self._offered:
            self._offered[key] = sum(
                found[2]
                for code in self._series.get(ics, {})
                for found in [self.tightest(ics, code, year)]
                if found is not None
            )
        return self._offered[key]
