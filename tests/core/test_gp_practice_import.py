"""manage.py import_gp_practices: the current ODS GP practice file (epraccur.csv)."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry, NetworkMembership, Organisation, OrganisationMembership
from core.services.epraccur import read_epraccur

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
ON = datetime.date(2026, 6, 1)


def _import(name: str) -> str:
    out = StringIO()
    call_command("import_gp_practices", str(FILES / name), "--date", ON.isoformat(), stdout=out)
    return out.getvalue()


def _memberships(code: str) -> list[tuple]:
    return list(
        OrganisationMembership.objects.filter(organisation__code=code)
        .order_by("valid_from")
        .values_list("ics__code", "valid_from", "valid_to")
    )


def test_the_fixture_has_the_27_columns_of_epraccur():
    rows, problems = read_epraccur((FILES / "epraccur.csv").read_bytes())
    assert problems == []
    assert [r.code for r in rows] == ["G83001", "D81047", "A81005", "Y09999", "W99999"]
    assert rows[1].icb == "S1Y5D" and rows[1].commissioner == "06K" and rows[1].setting == "4"


def test_a_practice_of_a_split_icb_is_placed_in_the_files_icb_from_its_date():
    summary = _import("epraccur.csv")
    assert _memberships("D81047") == [
        ("QM7", datetime.date(2022, 7, 1), datetime.date(2026, 4, 1)),
        ("S1Y5D", ON, None),
    ]
    assert Organisation.objects.get(code="D81047").ics_on(ON).code == "S1Y5D"
    assert "1 practices placed in an ICS they had none in" in summary


def test_a_practice_takes_its_current_name_and_keeps_its_place():
    _import("epraccur.csv")
    practice = Organisation.objects.get(code="G83001")
    assert practice.name == "MANOR BROOK MEDICAL CENTRE"
    assert _memberships("G83001") == [("QKK", datetime.date(2022, 7, 1), None)]


def test_a_closed_practice_leaves_its_ics_and_pcn_the_day_after_it_closed():
    _import("epraccur.csv")
    practice = Organisation.objects.get(code="A81005")
    assert not practice.active and practice.closed == datetime.date(2025, 3, 31)
    assert _memberships("A81005") == [("QHM", datetime.date(2022, 7, 1), datetime.date(2025, 4, 1))]
    link = NetworkMembership.objects.get(practice=practice)
    assert link.valid_to == datetime.date(2025, 4, 1)


def test_other_settings_and_practices_outside_england_are_skipped_not_added():
    summary = _import("epraccur.csv")
    assert not Organisation.objects.filter(code__in=["Y09999", "W99999"]).exists()
    assert "skipped 1 rows of other prescribing settings and 1 outside England" in summary


def test_an_import_is_audited_and_a_second_changes_nothing():
    _import("epraccur.csv")
    entries = AuditEntry.objects.filter(model="core.Organisation", object_id="")
    assert "G83001" in str(entries.get().changes)
    before = (AuditEntry.objects.count(), OrganisationMembership.objects.count())
    assert "nothing changed" in _import("epraccur.csv")
    assert (AuditEntry.objects.count(), OrganisationMembership.objects.count()) == before


def test_a_file_with_an_unknown_icb_code_is_refused_and_changes_nothing():
    before = OrganisationMembership.objects.count()
    with pytest.raises(CommandError) as refused:
        _import("epraccur_unknown_icb.csv")
    assert "row 2, column 4: Unknown ICB code 'QZZ9'" in str(refused.value)
    assert Organisation.objects.get(code="G83001").name == "MANOR BROOK PMS"
    assert Organisation.objects.get(code="A81005").active
    assert OrganisationMembership.objects.count() == before
    assert not AuditEntry.objects.filter(model="core.Organisation").exists()


def test_a_row_that_is_not_epraccur_is_reported_by_row(tmp_path):
    bad = tmp_path / "epraccur.csv"
    bad.write_text('"G83001","MANOR BROOK","Y56","QKK"\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"row 1: 4 columns, not the 27 of epraccur\.csv"):
        call_command("import_gp_practices", str(bad), stdout=StringIO())
