"""Every CSV and XLSX the project writes neutralises formula-like text and keeps negative
numbers numbers. The dashboards' downloads are tested in test_dashboards_downloads."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.models import StaffGroup
from education.models import ApprenticeshipStart, Programme
from education.services import programmes_load
from workforce.models import PlanTarget, ProjectionResult
from workforce.services.returns import staffing_return_submit

from .access_world import _run
from .projection_data import scenario
from .returns_data import csv_file

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com","Click")'
SOURCE = Path(__file__).resolve().parents[2]
# The modules that write CSV or XLSX, and why each is safe; a new one must be added here
# with its reason, after routing its cells through core.cells or the api helpers.
WRITERS = {
    "core/api/csv_export.py": "csv_response and csv_streamed: every cell through safe_cell",
    "core/api/xlsx_export.py": "xlsx_workbook: text as string cells, quote-prefixed",
    "workforce/plans/target_files.py": "the target file: every cell through safe_cell",
    "workforce/returns/template.py": "the empty template: names through safe_cell in CSV, "
    "codes and names as string cells in XLSX",
    "workforce/returns/ascwds.py": "the return derived from a worker file: codes and figures only",
    "workforce/demo/returns.py": "the demo's own return files: codes and figures only",
}


def rows_of(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_every_module_writing_a_spreadsheet_is_known():
    writes = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(\)")
    found = {
        str(path.relative_to(SOURCE))
        for folder in ("core", "education", "workforce", "ics_planner")
        for path in (SOURCE / folder).rglob("*.py")
        if writes.search(path.read_text(encoding="utf-8"))
    }
    assert found <= set(WRITERS), f"route these through the shared helpers: {found - set(WRITERS)}"


def test_the_workforce_csv(api, cast):
    cast.trust_a.name = FORMULA
    cast.trust_a.save()
    staffing_return_submit(
        user=cast.uploader_a,
        organisation=cast.trust_a,
        period="2026-01",
        content=csv_file(),
        filename="a.csv",
    )
    rows = rows_of(api(cast.lead_x).get("/api/v1/workforce/?format=csv"))
    assert set(column(rows, "organisation_name")) == {"'" + FORMULA}
    assert {float(v) for v in column(rows, "fte")} == {100.0}


def test_the_targets_csv_of_the_api_and_of_the_page(api, client, cast):
    nurses = StaffGroup.objects.get(code="NUR")
    nurses.name = FORMULA
    nurses.save()
    PlanTarget.objects.create(ics=cast.ics_x, staff_group=nurses, year=2028, target_fte=1000)
    rows = rows_of(api(cast.lead_x).get("/api/v1/targets/?format=csv"))
    assert column(rows, "staff_group_name") == ["'" + FORMULA]
    assert column(rows, "target_fte") == ["1000.00"]
    client.force_login(cast.lead_x)
    rows = rows_of(client.get("/targets/QKK/export.csv"))
    assert column(rows, "staff_group_name") == ["'" + FORMULA]


def test_the_results_csv_keeps_a_negative_gap_a_number(api, cast):
    plan = scenario(cast.ics_x, name=FORMULA)
    run = _run(plan, cast.ics_x, cast.lead_x)
    ProjectionResult.objects.filter(run=run).update(gap_p50=-12.5)
    rows = rows_of(api(cast.lead_x).get(f"/api/v1/runs/{run.pk}/results/?format=csv"))
    assert column(rows, "gap_p50") == ["-12.5"]
    assert FORMULA not in str(rows)


def test_the_education_csvs(api, cast):
    programmes_load()
    programme = Programme.objects.get(code="NUR-ADULT-BSC")
    programme.name = FORMULA
    programme.save()
    ApprenticeshipStart.objects.create(
        organisation=cast.trust_a, standard="@SUM(A1)", academic_year=2027, starts=3
    )
    client = api(cast.lead_x)
    names = column(rows_of(client.get("/api/v1/programmes/?format=csv")), "name")
    assert "'" + FORMULA in names and FORMULA not in names
    rows = rows_of(client.get("/api/v1/apprenticeships/?format=csv"))
    assert column(rows, "standard") == ["'@SUM(A1)"]
    assert column(rows, "starts") == ["3"]


def test_the_return_template_writes_names_as_text(api, cast):
    nurses = StaffGroup.objects.get(code="NUR")
    nurses.name = FORMULA
    nurses.save()
    answer = api(cast.uploader_a).get("/api/v1/returns/template/?format=xlsx")
    book = load_workbook(io.BytesIO(answer.content))
    cells = [row[1] for row in book["Staff groups"].iter_rows(min_row=2)]
    cell = next(c for c in cells if c.value == FORMULA)
    assert cell.data_type == "s"  # a string, never a formula
