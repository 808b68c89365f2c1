"""manage.py import_care_directory: CQC's care directory, providers placed in their ICS."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.models import Organisation
from core.services.care_directory import location_code

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
ON = datetime.date(2026, 6, 1)


def _import(name: str) -> str:
    out = StringIO()
    call_command("import_care_directory", str(FILES / name), "--date", ON.isoformat(), stdout=out)
    return out.getvalue()


def _location(location_id: str) -> Organisation:
    return Organisation.objects.get(cqc_location_id=location_id)


def test_a_cqc_location_id_becomes_a_code_of_at_most_8_characters():
    assert location_code("1-1000210669") == "CGJHZHP"
    assert location_code("1-10000302982") == "C4LDX75Y"
    assert location_code("RJ1") is None
    assert location_code("1-99999999999999") is None  # would not fit


def test_care_homes_and_independent_providers_join_the_ics_of_their_sub_icb_location():
    summary = _import("care_directory.csv")
    home = _location("1-1000210669")
    assert (home.code, home.name, home.kind) == ("CGJHZHP", "Example Care Home", "social_care")
    assert home.ics_on(ON).code == "QKK"
    assert _location("1-10000302982").ics_on(ON).code == "QOP"
    hospital = _location("1-123456789")
    assert hospital.kind == "independent"
    # North Central London merged into West and North London on 1 April 2026.
    assert hospital.ics_on(ON).code == "Z9B2Z"
    assert "Skipped 1 NHS, GP and dental locations" in summary
    assert not Organisation.objects.filter(cqc_location_id="1-111111111").exists()


def test_a_location_of_a_split_icb_is_added_without_an_ics_and_reported():
    summary = _import("care_directory.csv")
    home = _location("1-987654321")
    assert home.ics_on(ON) is None and not home.memberships.exists()
    assert "1 locations of ICBs split on 1 April 2026 have no ICS" in summary


def test_importing_again_changes_nothing():
    _import("care_directory.csv")
    count = Organisation.objects.count()
    assert "nothing changed" in _import("care_directory.csv")
    assert Organisation.objects.count() == count


def test_a_file_with_an_unknown_sub_icb_code_is_refused_and_changes_nothing():
    count = Organisation.objects.count()
    with pytest.raises(CommandError, match="row 5, column Location ONSPD CCG Code: Unknown"):
        _import("care_directory_unknown_sub_icb.csv")
    assert Organisation.objects.count() == count
