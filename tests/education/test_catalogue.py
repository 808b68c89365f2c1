"""The default programme catalogue: real course lengths, loaded once, never overwritten."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from education.models import Programme
from education.services import programmes_load

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_real_course_lengths_and_the_groups_they_feed():
    by_code = {p.code: p for p in Programme.objects.select_related("staff_group")}
    expected = {
        "NUR-ADULT-BSC": (3, "NUR", "degree"),
        "NUR-MH-BSC": (3, "NUR", "degree"),
        "NUR-RNDA": (4, "NUR", "apprenticeship"),
        "NUR-NA-APP": (2, "SUP-DNM", "apprenticeship"),
        "MID-BSC": (3, "MID", "degree"),
        "MED-MBBS": (5, "DOC", "degree"),
        "GP-ST": (3, "PC-GP", "postgraduate"),
        "PARA-BSC": (3, "AMB", "degree"),
        "PHARM-MPHARM": (5, "STT", "degree"),
        "NUR-RTP": (1, "NUR", "return_to_practice"),
        "NUR-INTL": (1, "NUR", "international"),
        "SC-CW-APP": (1, "SC-CW", "apprenticeship"),
    }
    for code, (years, group, route) in expected.items():
        programme = by_code[code]
        assert (programme.course_years, programme.staff_group.code, programme.route) == (
            years,
            group,
            route,
        ), code
    assert by_code["NUR-ADULT-BSC"].attrition == Decimal("0.2")
    assert all(p.staff_group.reportable for p in by_code.values())
    assert all(0 <= p.attrition <= 1 for p in by_code.values())


def test_a_load_adds_what_is_missing_and_a_second_load_changes_nothing():
    Programme.objects.filter(code__in=["MED-MBBS", "GP-ST"]).delete()
    first = programmes_load()
    assert sorted(first.added) == ["GP-ST", "MED-MBBS"]
    count = Programme.objects.count()
    second = programmes_load()
    assert second.added == [] and second.differing == []
    assert Programme.objects.count() == count
    assert second.summary() == "Programme catalogue already loaded: nothing changed."


def test_a_load_keeps_a_national_administrators_change_and_reports_it():
    Programme.objects.filter(code="NUR-LD-BSC").update(attrition=Decimal("0.3"))
    report = programmes_load()
    assert Programme.objects.get(code="NUR-LD-BSC").attrition == Decimal("0.3")
    assert report.differing == ["NUR-LD-BSC"]
    assert "NUR-LD-BSC" in report.summary()


def test_a_bad_catalogue_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "programmes.csv"
    path.write_text(
        "code,name,route,staff_group_code,course_years,attrition,graduate_fte,"
        "placement_weeks_per_year\n"
        "X-BSC,X,degree,NUR,0,1.2,0.9,20\n"
        "Y-BSC,Y,degree,NOPE,3,0.1,0.9,20\n"
    )
    with pytest.raises(ValueError) as refused:
        programmes_load(path=path)
    message = str(refused.value)
    assert "line 2: course_years must be a whole number of years from 1 to 10" in message
    assert "line 2: attrition must be a fraction from 0 to 1" in message
    assert "line 3: unknown staff group NOPE" in message
    assert not Programme.objects.filter(code__in=["X-BSC", "Y-BSC"]).exists()


def test_the_reference_data_command_loads_the_catalogue_too():
    Programme.objects.filter(code="OT-BSC").delete()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "Programme catalogue: 1 added." in out.getvalue()
    assert Programme.objects.filter(code="OT-BSC", course_years=3).exists()
