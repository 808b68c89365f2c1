"""The returns API: upload, errors, versions, files, the template, and scope."""

from __future__ import annotations

import csv
import io
import zipfile
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core.models import StaffGroup
from workforce.models import StaffingReturn
from workforce.returns import COLUMNS
from workforce.returns.template import TEMPLATE_COLUMNS

from .returns_data import GROUPS, csv_file, month, row, store_return, xlsx_file

pytestmark = pytest.mark.django_db

URL = "/api/v1/returns/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def post(client, content: bytes, *, name: str = "return.csv", organisation="RJ1", period="2025-03"):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        URL, {"organisation": organisation, "period": period, "file": upload}, format="multipart"
    )


def test_a_valid_upload_answers_201_with_the_return(api, cast):
    response = post(api(cast.uploader_a), csv_file())
    assert response.status_code == 201, response.json()
    body = response.json()
    stored = StaffingReturn.objects.get()
    assert body["id"] == stored.pk
    assert body["version"] == 1
    assert body["status"] == "submitted"
    assert body["organisation"] == "RJ1"
    assert body["period"] == "2025-03"
    assert body["warnings"] == []
    assert body["duplicate"] is False
    assert [r["staff_group"] for r in body["rows"]] == ["DOC", "NUR", "MID"]
    assert body["rows"][1]["fte"] == "100.00"


def test_an_xlsx_upload_is_stored(api, cast):
    response = post(api(cast.uploader_a), xlsx_file(), name="return.xlsx")
    assert response.status_code == 201, response.json()
    assert len(response.json()["rows"]) == len(GROUPS)


def test_a_duplicate_file_answers_200_with_the_existing_return(api, cast):
    client = api(cast.uploader_a)
    first = post(client, csv_file()).json()
    again = post(client, csv_file())
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["duplicate"] is True
    assert StaffingReturn.objects.count() == 1


def test_a_resubmission_is_version_2_and_lists_version_1(api, cast):
    client = api(cast.uploader_a)
    first = post(client, csv_file([row("NUR", fte="100")])).json()
    second = post(client, csv_file([row("NUR", fte="110")])).json()
    assert second["version"] == 2
    assert [(v["version"], v["status"]) for v in second["versions"]] == [
        (2, "submitted"),
        (1, "superseded"),
    ]
    old = client.get(f"{URL}{first['id']}/").json()
    assert old["status"] == "superseded"
    assert old["rows"][0]["fte"] == "100.00"


def big_xlsx(members: int = 0, padding: int = 0) -> bytes:
    """A real workbook with extra zip members or an extra member that unpacks large."""
    content = xlsx_file()
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        for index in range(members):
            target.writestr(f"customXml/item{index}.xml", "<a/>")
        if padding:
            target.writestr("customXml/padding.xml", b" " * padding)
    return buffer.getvalue()


RULES = [
    (
        "missing column",
        csv_file([row()[:-1]], header=COLUMNS[:-1]),
        "return.csv",
        1,
        "sickness_absence_rate",
    ),
    (
        "unknown column",
        csv_file([[*row(), "x"]], header=[*COLUMNS, "notes"]),
        "return.csv",
        1,
        None,
    ),
    ("unknown staff group", csv_file([row("NURSE")]), "return.csv", 2, "staff_group_code"),
    (
        "duplicate staff group",
        csv_file([row("NUR"), row("NUR")]),
        "return.csv",
        3,
        "staff_group_code",
    ),
    ("not a number", csv_file([row(fte="many")]), "return.csv", 2, "fte"),
    ("negative", csv_file([row(bank_fte="-1")]), "return.csv", 2, "bank_fte"),
    (
        "rate above 1",
        csv_file([row(sickness_absence_rate="4.5")]),
        "return.csv",
        2,
        "sickness_absence_rate",
    ),
    (
        "headcount below fte",
        csv_file([row(fte="100", headcount="50")]),
        "return.csv",
        2,
        "headcount",
    ),
    ("vacancies too large", csv_file([row(vacancies_fte="500")]), "return.csv", 2, "vacancies_fte"),
    ("leavers too large", csv_file([row(leavers_fte="60")]), "return.csv", 2, "leavers_fte"),
    ("empty file", b"", "return.csv", None, None),
    (
        "wrong encoding",
        csv_file([row("NUR")]).replace(b"NUR", "NUR\u00e9".encode("latin-1")),
        "return.csv",
        None,
        None,
    ),
    ("xlsx that is not a spreadsheet", b"PK\x03\x04 not really a zip", "return.xlsx", None, None),
    ("xlsx with too many members", partial(big_xlsx, members=250), "return.xlsx", None, None),
    (
        "xlsx unpacking too large",
        partial(big_xlsx, padding=60 * 1024 * 1024),
        "return.xlsx",
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("content", "name", "line", "column"),
    [rule[1:] for rule in RULES],
    ids=[rule[0] for rule in RULES],
)
def test_each_validation_rule_answers_400_by_row_and_column(api, cast, content, name, line, column):
    content = content() if callable(content) else content  # the large files built when used
    response = post(api(cast.uploader_a), content, name=name)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors, "a refused file lists its problems"
    assert {"row", "column", "message"} <= set(errors[0])
    assert (errors[0]["row"], errors[0]["column"]) == (line, column)
    assert not StaffingReturn.objects.exists()


def test_every_problem_is_reported_at_once(api, cast):
    content = csv_file([row("DOC", fte="x"), row("NUR", headcount="-1"), row("BAD")])
    errors = post(api(cast.uploader_a), content).json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [
        (2, "fte"),
        (3, "headcount"),
        (4, "staff_group_code"),
    ]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(api, cast, settings):
    settings.RETURN_MAX_BYTES = 100
    response = post(api(cast.uploader_a), csv_file())
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("The file is")
    assert "the largest accepted is 100 bytes" in response.json()["errors"][0]["message"]


def test_a_future_period_and_a_malformed_one_answer_400(api, cast):
    client = api(cast.uploader_a)
    future = post(client, csv_file(), period="2999-01")
    assert future.status_code == 400
    assert future.json()["errors"][0]["field"] == "period"
    malformed = post(client, csv_file(), period="03/2025")
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["field"] == "period"


def test_a_missing_file_or_unknown_organisation_answers_400(api, cast):
    client = api(cast.uploader_a)
    response = client.post(URL, {"organisation": "RJ1", "period": "2025-03"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    unknown = post(client, csv_file(), organisation="ZZZ9")
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "organisation"


def test_an_upload_outside_the_scope_answers_403_and_stores_nothing(api, cast):
    for user in (cast.uploader_b, cast.lead_y, cast.analyst_x):
        response = post(api(user), csv_file(), organisation="RJ1")
        assert response.status_code == 403, user
        assert response.json()["errors"][0]["field"] == "organisation"
    assert not StaffingReturn.objects.exists()


def test_lists_show_only_returns_in_scope_and_filter(api, cast):
    a = store_return(cast.trust_a, month(2025, 3))
    store_return(cast.trust_a, month(2025, 2))
    b = store_return(cast.trust_b, month(2025, 3))
    c = store_return(cast.trust_c, month(2025, 3))

    def ids(user, query: str = "") -> set[int]:
        response = api(user).get(f"{URL}{query}")
        assert response.status_code == 200
        return {item["id"] for item in response.json()["results"]}

    assert ids(cast.uploader_a, "?period=2025-03") == {a.pk}
    assert ids(cast.lead_x, "?period=2025-03") == {a.pk, b.pk}
    assert ids(cast.analyst_x, "?organisation=rj2") == {b.pk}
    assert ids(cast.lead_y) == {c.pk}
    assert ids(cast.national, "?period=2025-03") == {a.pk, b.pk, c.pk}
    assert ids(cast.national, "?status=superseded") == set()
    assert api(cast.national).get(f"{URL}?period=March").status_code == 400


def test_one_return_carries_its_rows_warnings_and_versions(api, cast):
    old = store_return(cast.trust_a, month(2025, 3), status=StaffingReturn.Status.SUPERSEDED)
    warning = {"rule": "sickness_high", "staff_group": "NUR", "message": "high"}
    current = store_return(cast.trust_a, month(2025, 3), version=2, warnings=[warning])
    body = api(cast.uploader_a).get(f"{URL}{current.pk}/").json()
    assert body["warnings"] == [warning]
    assert len(body["rows"]) == 3
    assert {"staff_group", "fte", "headcount", "sickness_absence_rate"} <= set(body["rows"][0])
    assert [v["id"] for v in body["versions"]] == [current.pk, old.pk]


def test_an_object_outside_the_scope_is_404(api, cast):
    stored = store_return(cast.trust_a, month(2025, 3))
    for user in (cast.uploader_b, cast.lead_y):
        assert api(user).get(f"{URL}{stored.pk}/").status_code == 404
        assert api(user).get(f"{URL}{stored.pk}/file/").status_code == 404
    assert api(cast.lead_x).get(f"{URL}{stored.pk}/").status_code == 200


def test_the_original_file_comes_back_byte_for_byte(api, cast):
    client = api(cast.uploader_a)
    content = "\ufeff".encode() + csv_file()
    created = post(client, content, name="Guy's March.csv").json()
    response = client.get(f"{URL}{created['id']}/file/")
    assert response.status_code == 200
    assert response.content == content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Guy" in response["Content-Disposition"]
    workbook = xlsx_file()
    created = post(client, workbook, name="april.xlsx", period="2025-04").json()
    response = client.get(f"{URL}{created['id']}/file/")
    assert response.content == workbook
    assert response["Content-Type"] == XLSX


def test_anonymous_requests_are_401(api, cast):
    stored = store_return(cast.trust_a, month(2025, 3))
    client = api()
    for path in (
        URL,
        f"{URL}{stored.pk}/",
        f"{URL}{stored.pk}/file/",
        f"{URL}template/",
        "/api/v1/workforce/",
    ):
        assert client.get(path).status_code == 401, path
    assert post(client, csv_file()).status_code == 401


def reportable_codes() -> list[str]:
    return list(
        StaffGroup.objects.filter(reportable=True)
        .order_by("sort_order")
        .values_list("code", flat=True)
    )


def test_without_an_organisation_the_csv_template_lists_every_group_and_round_trips(api, cast):
    client = api(cast.national)
    response = client.get(f"{URL}template/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(lines[0]) == TEMPLATE_COLUMNS
    assert [line[0] for line in lines[1:]] == reportable_codes()
    filled = [lines[0]] + [
        [*line[:2], "10", "12", "1", "0.5", "0", "0.2", "0.1", "0.04"] for line in lines[1:]
    ]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(filled)
    created = post(client, buffer.getvalue().encode(), name="filled.csv")
    assert created.status_code == 201, created.json()
    assert len(created.json()["rows"]) == len(reportable_codes())


def test_without_an_organisation_the_xlsx_template_lists_every_group_and_round_trips(api, cast):
    client = api(cast.national)
    response = client.get(f"{URL}template/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    codes = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert codes == reportable_codes()
    for r in range(2, sheet.max_row + 1):
        for c, value in enumerate([10, 12, 1, 0.5, 0, 0.2, 0.1, 0.04], start=3):
            sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    created = post(client, buffer.getvalue(), name="filled.xlsx")
    assert created.status_code == 201, created.json()
    assert len(created.json()["rows"]) == len(reportable_codes())


def test_an_unknown_template_format_answers_400(api, cast):
    response = api(cast.uploader_a).get(f"{URL}template/?format=pdf")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "format"


def test_the_schema_describes_the_returns_endpoints(api, cast):
    schema = api(cast.national).get("/api/v1/schema/?format=json").json()
    create = schema["paths"]["/api/v1/returns/"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert {"201", "200", "400", "403"} <= set(create["responses"])
    assert "/api/v1/returns/{id}/file/" in schema["paths"]
    assert "/api/v1/returns/template/" in schema["paths"]
    figures = schema["paths"]["/api/v1/workforce/"]["get"]
    assert {
        "ics",
        "organisation",
        "staff_group",
        "period_from",
        "period_to",
        "format",
        "cursor",
    } <= {p["name"] for p in figures["parameters"]}


def test_the_list_takes_the_same_queries_whatever_its_length(api, cast):
    client = api(cast.national)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    store_return(cast.trust_a, month(2025, 1), submitted_by=cast.uploader_a)
    few = queries()
    for number in range(2, 8):
        store_return(cast.trust_b, month(2025, number), submitted_by=cast.lead_x)
    assert queries() == few
