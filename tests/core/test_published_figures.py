import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from core.models import PublishedFigure
from core.services.published_figures import published_figures_import

pytestmark = pytest.mark.django_db

OLD = """Date,NHSE_Region_Code,NHSE_Region_Name,ICS code,ICS name,Org Code,Org Name,Cluster Group,Benchmark Group,Staff Group Sort Order,Staff Group,Data Type,Total
31/03/2025,Y56,London,QKK,South East London,RJ1,Guy's,Acute,Acute,14,Nurses & health visitors,FTE,6123.45
31/03/2025,Y56,London,QKK,South East London,RJ1,Guy's,Acute,Acute,14,Nurses & health visitors,HC,6900
31/03/2025,Y56,London,QKK,South East London,RJ1,Guy's,Acute,Acute,3,HCHS doctors,FTE,3000.5
31/03/2025,Y56,London,QKK,South East London,XXX,Nowhere,Acute,Acute,14,Nurses & health visitors,FTE,10
31/03/2025,Y56,London,QKK,South East London,RJ1,Guy's,Acute,Acute,99,Astronauts,FTE,1
31/03/2025,Y56,London,QKK,South East London,RJ1,Guy's,Acute,Acute,15,Midwives,FTE,lots
"""

NEW = """DATA_MONTH,DATA_LEVEL,NHSE_REGION_NAME,ICS_NAME,ORG_CODE,ORG_NAME,MAIN_STAFF_GROUP,STAFF_GROUP_1,FTE,HEADCOUNT
2025-04-30,Organisation,London,South East London,RJ2,Lewisham,Professionally qualified clinical staff,Midwives,210.5,240
2025-04-30,Organisation,London,South East London,RJ2,Lewisham,Professionally qualified clinical staff,Nurses & health visitors,2100,2400
2025-04-30,Organisation,London,South East London,QQQ,Nowhere,Professionally qualified clinical staff,Midwives,1,1
"""


def figure(org: str, group: str, month: datetime.date) -> PublishedFigure:
    return PublishedFigure.objects.get(organisation__code=org, staff_group__code=group, month=month)


def test_the_older_layout_is_read_with_fte_and_headcount_joined():
    report = published_figures_import(content=OLD)
    nurses = figure("RJ1", "NUR", datetime.date(2025, 3, 1))
    assert (str(nurses.fte), nurses.headcount) == ("6123.45", 6900)
    assert figure("RJ1", "DOC", datetime.date(2025, 3, 1)).headcount is None
    assert report.stored == 2


def test_the_older_layout_reports_unknown_organisations_groups_and_bad_figures():
    report = published_figures_import(content=OLD)
    assert report.unknown_organisations == {"XXX": 1}
    assert report.unknown_staff_groups == {"Astronauts": 1}
    assert report.problems == [(7, "a figure is not a number of zero or more.")]
    text = "\n".join(report.lines())
    assert "Unknown organisation XXX: 1 rows not imported." in text
    assert "Unknown staff group 'Astronauts'" in text


def test_the_newer_layout_is_read():
    report = published_figures_import(content=NEW)
    midwives = figure("RJ2", "MID", datetime.date(2025, 4, 1))
    assert (str(midwives.fte), midwives.headcount) == ("210.50", 240)
    assert report.unknown_organisations == {"QQQ": 1}


def test_a_second_import_changes_nothing_and_a_correction_updates():
    published_figures_import(content=NEW)
    again = published_figures_import(content=NEW)
    assert (again.stored, again.unchanged) == (0, 2)
    corrected = published_figures_import(content=NEW.replace("210.5,240", "211,241"))
    assert corrected.stored == 1
    assert str(figure("RJ2", "MID", datetime.date(2025, 4, 1)).fte) == "211.00"


def test_a_file_of_another_kind_is_refused_with_the_missing_columns(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="not an NHS Workforce Statistics"):
        call_command("import_workforce_statistics", str(path))
    assert not PublishedFigure.objects.exists()


def test_the_command_prints_the_report(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(OLD, encoding="utf-8-sig")
    out = io.StringIO()
    call_command("import_workforce_statistics", str(path), stdout=out)
    assert "2 figures stored" in out.getvalue()
    assert "Unknown organisation XXX" in out.getvalue()
