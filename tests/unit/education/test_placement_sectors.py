"""Placement sectors: which an organisation kind offers, the rules a split meets, and capacity
by sector: pure, no database."""

from decimal import Decimal

import pytest

from education.pipeline import PlacementCapacity, PlacementPart, Programme, RecordedPlaces
from education.placement_sectors import (
    default_sector,
    parse_split_text,
    part_label,
    sectors_for_kind,
    split_text,
)
from education.plan_measures import SectorCapacity, capacity_by_sector, weeks_in_sector
from education.services.rules import placement_split_problems, stored_split

SPLIT = [
    {"sectors": ["acute"], "weeks": 14.0},
    {"sectors": ["community"], "weeks": 3.0},
    {"sectors": ["primary_care", "social_care"], "weeks": 3.0},
]


@pytest.mark.parametrize(
    ("kind", "default"),
    [
        ("gp_practice", "primary_care"),
        ("pcn", "primary_care"),
        ("social_care", "social_care"),
        ("independent", "independent"),
        ("nhs_trust", "acute"),
        ("hei", None),
    ],
)
def test_each_kind_has_the_default_sector_of_its_placements(kind, default):
    assert default_sector(kind) == default


def test_a_trust_offers_the_nhs_settings_and_a_practice_primary_care_only():
    assert sectors_for_kind("nhs_trust") == ("acute", "community", "mental_health", "ambulance")
    assert sectors_for_kind("gp_practice") == ("primary_care",)
    assert sectors_for_kind("social_care") == ("social_care",)
    assert "community" in sectors_for_kind("independent")  # a hospice's community teams
    assert "social_care" not in sectors_for_kind("nhs_trust")


def test_the_catalogue_files_split_reads_and_writes_the_same():
    text = "acute:14;community:3;primary_care+social_care:3"
    assert parse_split_text(text) == SPLIT
    assert split_text(SPLIT) == text
    assert parse_split_text("") == []
    with pytest.raises(ValueError, match="not sectors:weeks"):
        parse_split_text("acute")
    with pytest.raises(ValueError, match="not a number of weeks"):
        parse_split_text("acute:many")


def test_a_part_is_named_by_its_sectors():
    assert part_label(("primary_care", "social_care")) == "Primary care or social care"
    assert part_label(()) == "Any sector"


def test_a_split_that_adds_up_to_the_placement_weeks_is_good():
    assert placement_split_problems("placement_split", SPLIT, Decimal(20)) == []
    assert placement_split_problems("placement_split", [], Decimal(20)) == []


def test_a_split_must_add_up_to_the_placement_weeks():
    [found] = placement_split_problems("placement_split", SPLIT, Decimal(22))
    assert found["field"] == "placement_split"
    assert "add up to 20, not the programme's 22 placement weeks" in found["message"]


@pytest.mark.parametrize(
    ("split", "field", "message"),
    [
        ([{"sectors": ["hospital"], "weeks": 20}], "placement_split[0].sectors", "'hospital'"),
        ([{"sectors": [], "weeks": 20}], "placement_split[0].sectors", "at least one"),
        (
            [{"sectors": ["acute"], "weeks": 10}, {"sectors": ["acute"], "weeks": 10}],
            "placement_split[1].sectors",
            "Acute is in placement_split[0] already",
        ),
        ([{"sectors": ["acute", "acute"], "weeks": 20}], "placement_split[0].sectors", "twice"),
        ([{"sectors": ["acute"], "weeks": 0}], "placement_split[0].weeks", "more than 0"),
        ([{"sectors": ["acute"], "weeks": 19.95}], "placement_split[0].weeks", "one decimal"),
        ([{"sectors": ["acute"], "weeks": "20"}], "placement_split[0].weeks", "number of weeks"),
    ],
)
def test_a_bad_part_is_named_by_its_place_in_the_split(split, field, message):
    found = placement_split_problems("placement_split", split, Decimal(20))
    assert [p["field"] for p in found] == [field]
    assert message in found[0]["message"]


def test_a_stored_split_keeps_the_parts_order_and_sorts_each_parts_sectors():
    given = [
        {"sectors": ["social_care", "primary_care"], "weeks": Decimal("3")},
        {"sectors": ["acute"], "weeks": Decimal("17")},
    ]
    assert stored_split(given) == [
        {"sectors": ["primary_care", "social_care"], "weeks": 3.0},
        {"sectors": ["acute"], "weeks": 17.0},
    ]


ADULT = Programme(
    "ADULT",
    "NURSE",
    3,
    0.2,
    0.9,
    20.0,
    (
        PlacementPart(("acute",), 14.0),
        PlacementPart(("community",), 3.0),
        PlacementPart(("primary_care", "social_care"), 3.0),
    ),
)
PARA = Programme("PARA", "AMB", 3, 0.15, 0.95, 15.0)


def test_a_place_gives_the_weeks_of_its_sectors_part_or_all_weeks_when_not_split():
    assert weeks_in_sector(ADULT, "social_care") == 3.0
    assert weeks_in_sector(ADULT, "mental_health") == 0.0
    assert weeks_in_sector(ADULT, None) == 0.0
    assert weeks_in_sector(PARA, "ambulance") == 15.0


def test_capacity_by_sector_adds_every_programmes_places_and_weeks():
    recorded = RecordedPlaces(
        [
            PlacementCapacity("QWE", "ADULT", 2027, 100.0, "acute"),
            PlacementCapacity("QWE", "ADULT", 2027, 10.0, "social_care"),
            PlacementCapacity("QWE", "PARA", 2027, 20.0, "acute"),
            PlacementCapacity("QWE", "PARA", 2028, 30.0, "ambulance"),
            PlacementCapacity("QWE", "PARA", 2027, 5.0, None),
        ],
        {"ADULT": ADULT, "PARA": PARA},
    )
    table = capacity_by_sector(
        recorded, {"ADULT": ADULT, "PARA": PARA}, ics="QWE", years=[2027, 2028]
    )
    assert list(table) == ["acute", "ambulance", "social_care", None]
    # 100 adult nursing places x 14 weeks and 20 paramedic places x 15 weeks, carried to 2028.
    assert table["acute"] == {
        2027: SectorCapacity(120.0, 1700.0),
        2028: SectorCapacity(120.0, 1700.0),
    }
    assert table["ambulance"] == {2028: SectorCapacity(30.0, 450.0)}
    assert table["social_care"][2027] == SectorCapacity(10.0, 30.0)
    assert table[None][2027] == SectorCapacity(5.0, 75.0)
