"""Returns for every kind of organisation: a GP practice, a PCN and a care provider upload the
same return as a trust, from a template that lists the staff groups of their kind, theirs first.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.kinds import GROUP_SECTORS_OF_KIND
from core.models import Organisation, OrganisationMembership, PublishedFigure, Role, StaffGroup
from core.names import display_name
from tests.conftest import make_user
from workforce.models import StaffingReturn
from workforce.returns.template import TEMPLATE_COLUMNS

from .returns_data import month, row, store_return

pytestmark = pytest.mark.django_db

URL = "/api/v1/returns/"
TEMPLATE = f"{URL}template/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def providers(cast) -> dict[str, Organisation]:
    """One organisation of each kind that uploads, in South East London (cast.ics_x)."""
    home = Organisation.objects.create(
        code="CTEST1", name="Test Care Home", kind=Organisation.Kind.SOCIAL_CARE
    )
    OrganisationMembership.objects.create(
        organisation=home, ics=cast.ics_x, valid_from=datetime.date(2022, 7, 1)
    )
    in_x = Organisation.objects.filter(memberships__ics=cast.ics_x, active=True).order_by("code")
    return {
        "nhs_trust": cast.trust_a,
        "gp_practice": in_x.filter(kind=Organisation.Kind.GP_PRACTICE).first(),
        "pcn": in_x.filter(kind=Organisation.Kind.PRIMARY_CARE_NETWORK).first(),
        "social_care": home,
    }


def uploader(organisation: Organisation):
    return make_user(
        f"up-{organisation.code.lower()}", Role.TRUST_UPLOADER, organisation=organisation
    )


def kind_codes(kind: str) -> list[str]:
    """The reportable groups of a kind, in the taxonomy's order, read from the StaffGroup rows."""
    return list(
        StaffGroup.objects.filter(reportable=True, sector__in=GROUP_SECTORS_OF_KIND[kind])
        .order_by("sort_order")
        .values_list("code", flat=True)
    )


def post(
    client, organisation: Organisation, content: bytes, *, name="return.csv", period="2025-03"
):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        URL,
        {"organisation": organisation.code, "period": period, "file": upload},
        format="multipart",
    )


def csv_lines(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def csv_of(lines: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(lines)
    return buffer.getvalue().encode()


@pytest.mark.parametrize("kind", ["nhs_trust", "gp_practice", "pcn", "social_care"])
def test_the_template_lists_the_staff_groups_of_the_organisations_kind(api, providers, kind):
    organisation = providers[kind]

    response = api(uploader(organisation)).get(f"{TEMPLATE}?format=csv")

    assert response.status_code == 200
    assert f"staffing-return-template-{organisation.code}.csv" in response["Content-Disposition"]
    lines = csv_lines(response)
    assert tuple(lines[0]) == TEMPLATE_COLUMNS
    assert [line[0] for line in lines[1:]] == kind_codes(kind)
    names = dict(StaffGroup.objects.values_list("code", "name"))
    assert [line[1] for line in lines[1:]] == [names[line[0]] for line in lines[1:]]


def test_the_groups_an_organisation_reports_or_is_published_for_come_first(api, cast, providers):
    pcn = providers["pcn"]
    groups = kind_codes("pcn")
    published, reported = groups[-1], groups[-2]
    PublishedFigure.objects.create(
        organisation=pcn,
        staff_group=StaffGroup.objects.get(code=published),
        month=month(2024, 9),
        fte="2.5",
        headcount=3,
        source="test",
    )
    store_return(pcn, month(2025, 2), {reported: {"fte": "1", "headcount": "1"}})
    # A trust that reports a group of another sector has it first too.
    store_return(cast.trust_a, month(2025, 2), {"PC-GP": {"fte": "3", "headcount": "4"}})

    pcn_codes = [line[0] for line in csv_lines(api(uploader(pcn)).get(TEMPLATE))[1:]]
    trust_codes = [line[0] for line in csv_lines(api(cast.uploader_a).get(TEMPLATE))[1:]]

    assert pcn_codes == [reported, published, *groups[:-2]]
    assert trust_codes == ["PC-GP", *kind_codes("nhs_trust")]


def test_an_icb_lead_downloads_the_template_of_an_organisation_of_the_system(api, cast, providers):
    client = api(cast.lead_x)

    response = client.get(f"{TEMPLATE}?format=xlsx&organisation={providers['social_care'].code}")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    codes = [r[0] for r in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert codes == kind_codes("social_care")
    every = [r[0] for r in workbook["Staff groups"].iter_rows(min_row=2, values_only=True)]
    assert set(every) == set(
        StaffGroup.objects.filter(reportable=True).values_list("code", flat=True)
    )


def test_a_template_of_an_organisation_outside_the_scope_is_404(api, cast, providers):
    assert api(cast.uploader_a).get(f"{TEMPLATE}?organisation=RJ2").status_code == 404
    assert api(cast.lead_y).get(f"{TEMPLATE}?organisation=CTEST1").status_code == 404
    unknown = api(cast.lead_x).get(f"{TEMPLATE}?organisation=NOPE1")
    assert unknown.status_code == 404
    assert unknown.json()["errors"]


def fill_csv(lines: list[list[str]], figures: dict[str, list[str]]) -> bytes:
    """The downloaded CSV with the given groups' figures typed in, the other rows as they came."""
    filled = [lines[0]]
    for line in lines[1:]:
        filled.append(line[:2] + figures[line[0]] if line[0] in figures else line)
    return csv_of(filled)


def test_a_trusts_analyst_downloads_the_csv_fills_its_groups_and_uploads_it(api, cast):
    store_return(cast.trust_a, month(2025, 2), {"NUR": {}, "DOC": {}})  # last month's groups
    client = api(cast.uploader_a)
    lines = csv_lines(client.get(f"{TEMPLATE}?format=csv"))
    assert [line[0] for line in lines[1:3]] == ["DOC", "NUR"]  # its own groups first
    content = fill_csv(
        lines,
        {
            "NUR": ["1200.5", "1400", "96", "40", "12", "10", "8.5", "0.051"],
            "DOC": ["450", "480", "", "6", "3", "4", "", "0.021"],  # vacancies, leavers unknown
        },
    )

    response = post(client, cast.trust_a, content, name="staffing-return-template-RJ1.csv")

    assert response.status_code == 201, response.json()
    rows = {r["staff_group"]: r for r in response.json()["rows"]}
    assert set(rows) == {"NUR", "DOC"}
    assert (rows["DOC"]["vacancies_fte"], rows["DOC"]["leavers_fte"]) == (None, None)
    assert rows["NUR"]["sickness_absence_rate"] == "0.05100"
    march = StaffingReturn.objects.get(period=month(2025, 3))
    assert march.rows.count() == 2  # the rows left blank are not stored


def test_a_trusts_analyst_downloads_the_xlsx_fills_its_groups_and_uploads_it(api, cast):
    client = api(cast.uploader_a)
    workbook = load_workbook(io.BytesIO(client.get(f"{TEMPLATE}?format=xlsx").content))
    sheet = workbook.worksheets[0]
    by_code = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for code, figures in {
        "MID": [210, 230, 12, 4, 0, 2, 1.5, 0.047],
        "STT": [380.25, 410, None, 0, 1, None, None, 0.033],
    }.items():
        for column, value in enumerate(figures, start=3):
            sheet.cell(row=by_code[code], column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = post(client, cast.trust_a, buffer.getvalue(), name="return.xlsx")

    assert response.status_code == 201, response.json()
    rows = {r["staff_group"]: r for r in response.json()["rows"]}
    assert set(rows) == {"MID", "STT"}
    assert rows["STT"]["joiners_fte"] is None
    assert rows["MID"]["vacancies_fte"] == "12.00"


def test_an_upload_still_takes_any_reportable_group(api, cast):
    content = csv_of(
        [
            list(TEMPLATE_COLUMNS[:1] + TEMPLATE_COLUMNS[2:]),
            row("NUR"),
            row("SC-CW", fte="30", headcount="40", sickness_absence_rate="0.01"),
        ]
    )

    response = post(api(cast.uploader_a), cast.trust_a, content)

    assert response.status_code == 201, response.json()
    assert [r["staff_group"] for r in response.json()["rows"]] == ["NUR", "SC-CW"]


@pytest.mark.parametrize("kind", ["gp_practice", "pcn", "social_care"])
def test_an_uploader_of_any_kind_uploads_and_reads_only_its_own(api, cast, providers, kind):
    own = providers[kind]
    client = api(uploader(own))
    lines = csv_lines(client.get(TEMPLATE))
    first = lines[1][0]
    content = fill_csv(lines, {first: ["2.4", "3", "", "0", "0", "", "", "0.02"]})

    created = post(client, own, content)
    refused = post(client, cast.trust_a, content)

    assert created.status_code == 201, created.json()
    assert [r["staff_group"] for r in created.json()["rows"]] == [first]
    assert refused.status_code == 403
    other = store_return(cast.trust_a, month(2025, 3))
    listed = client.get(URL).json()["results"]
    assert [r["organisation"] for r in listed] == [own.code]
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/organisations/{cast.trust_a.code}/").status_code == 404


@pytest.mark.parametrize("kind", ["gp_practice", "pcn", "social_care"])
def test_an_uploader_of_any_kind_uses_the_upload_page(client, api, providers, kind):
    own = providers[kind]
    user = uploader(own)
    client.force_login(user)
    lines = csv_lines(api(user).get(TEMPLATE))

    page = client.get("/returns/upload/").content.decode()
    sent = client.post(
        "/returns/upload/",
        {
            "organisation": own.code,
            "month": 3,
            "year": 2025,
            "file": SimpleUploadedFile(
                "r.csv", fill_csv(lines, {lines[1][0]: ["1", "1", "", "0", "0", "", "", "0"]})
            ),
        },
    )
    elsewhere = client.post(
        "/returns/upload/",
        {
            "organisation": "RJ1",
            "month": 3,
            "year": 2025,
            "file": SimpleUploadedFile("r.csv", b"x"),
        },
    )

    assert re.findall(r'<option value="([^"]+)"', page) == [own.code]
    assert f"format=csv&amp;organisation={own.code}" in page
    stored = StaffingReturn.objects.get(organisation=own)
    assert sent.status_code == 302 and sent["Location"] == f"/returns/{stored.pk}/"
    assert elsewhere.status_code == 400  # not one of the page's choices
    assert not StaffingReturn.objects.exclude(organisation=own).exists()
    detail = client.get(sent["Location"]).content.decode()
    assert display_name(own.name) in detail
