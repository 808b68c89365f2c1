"""Social care returns from an ASC-WDS worker file, through the returns API and page."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry, Organisation, OrganisationMembership, Role
from tests.conftest import make_user
from tests.unit.returns.ascwds_files import BIRTH_DATE, NI_NUMBER, POSTCODE, worker, worker_file
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.returns import COLUMNS
from workforce.returns.ascwds import HEADER

from .returns_data import csv_file, row

pytestmark = pytest.mark.django_db

URL = "/api/v1/returns/"
PLANTED = (NI_NUMBER, BIRTH_DATE, POSTCODE, "Alex Example", "23456")


@pytest.fixture
def home(cast):
    home = Organisation.objects.create(
        code="CTEST1", name="Test Care Home", kind=Organisation.Kind.SOCIAL_CARE
    )
    OrganisationMembership.objects.create(
        organisation=home, ics=cast.ics_x, valid_from=datetime.date(2022, 7, 1)
    )
    return home


@pytest.fixture
def carer(home):
    return make_user("care-home", Role.TRUST_UPLOADER, organisation=home)


def post(client, content: bytes, *, organisation="CTEST1", period="2025-03"):
    upload = SimpleUploadedFile("workers.csv", content)
    return client.post(
        URL, {"organisation": organisation, "period": period, "file": upload}, format="multipart"
    )


def rows_of(response) -> dict[str, dict]:
    return {r["staff_group"]: r for r in response.json()["rows"]}


def test_a_worker_file_becomes_the_months_social_care_return(api, carer):
    content = worker_file(
        worker(),
        worker(UNIQUEWORKERID="W2", MAINJOBROLE="16", CONTHOURS="30", STARTDATE="10/03/2025"),
        worker(UNIQUEWORKERID="W3", EMPLSTATUS="3", CONTHOURS="", AVGHOURS="15"),
    )
    response = post(api(carer), content)
    assert response.status_code == 201, response.json()
    rows = rows_of(response)
    assert rows["SC-CW"]["fte"] == "1.00"
    assert rows["SC-CW"]["headcount"] == 1
    assert rows["SC-CW"]["bank_fte"] == "0.40"
    assert rows["SC-RN"]["fte"] == "0.80"
    assert rows["SC-RN"]["joiners_fte"] == "0.80"


def test_the_icb_lead_may_send_a_care_providers_worker_file(api, cast, home):
    assert post(api(cast.lead_x), worker_file(worker())).status_code == 201


def test_a_worker_file_for_an_organisation_that_is_not_a_care_provider_is_refused(api, cast):
    response = post(api(cast.uploader_a), worker_file(worker()), organisation="RJ1")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "file"
    assert "social care provider" in error["message"]
    assert not StaffingReturn.objects.exists()


def test_a_missing_column_or_a_malformed_date_is_a_400_by_row_and_column(api, carer):
    header = tuple(name for name in HEADER if name != "DAYSSICK")
    missing = post(api(carer), worker_file(worker(), header=header))
    assert missing.status_code == 400
    assert [(e["row"], e["column"]) for e in missing.json()["errors"]] == [(1, "DAYSSICK")]
    bad_date = post(
        api(carer), worker_file(worker(), worker(UNIQUEWORKERID="W2", STARTDATE="31/02/2025"))
    )
    assert bad_date.status_code == 400
    assert [(e["row"], e["column"]) for e in bad_date.json()["errors"]] == [(3, "STARTDATE")]
    assert not StaffingReturn.objects.exists()


def test_leavers_are_blank_without_a_previous_file_and_counted_from_it(api, carer):
    client = api(carer)
    february = worker_file(worker(), worker(UNIQUEWORKERID="W2", CONTHOURS="18.75"))
    assert post(client, february, period="2025-02").status_code == 201
    first = StaffingReturn.objects.get(period=datetime.date(2025, 2, 1))
    # No previous file: blank in the file kept, and not given (NULL) in the stored rows.
    assert b"SC-CW,1.50,2,,0.00,0.00,0.00,," in bytes(first.content)
    stored = StaffingReturnRow.objects.filter(staffing_return=first)
    assert set(stored.values_list("vacancies_fte", "leavers_fte")) == {(None, None)}
    assert set(stored.values_list("joiners_fte", flat=True)) == {Decimal("0.00")}
    assert len(first.workers) == 2
    assert "W2" not in str(first.workers) and "HOME1" not in str(first.workers)
    response = post(client, worker_file(worker()), period="2025-03")
    assert response.status_code == 201, response.json()
    assert rows_of(response)["SC-CW"]["leavers_fte"] == "0.50"
    assert rows_of(response)["SC-CW"]["vacancies_fte"] is None


def test_leavers_are_blank_when_the_previous_return_was_not_a_worker_file(api, carer):
    client = api(carer)
    february = csv_file(
        [row("SC-CW", fte="1", headcount="1", vacancies_fte="0", bank_fte="0", agency_fte="0")]
    )
    upload = SimpleUploadedFile("return.csv", february)
    sent = client.post(
        URL, {"organisation": "CTEST1", "period": "2025-02", "file": upload}, format="multipart"
    )
    assert sent.status_code == 201, sent.json()
    assert (
        post(client, worker_file(worker(UNIQUEWORKERID="W5")), period="2025-03").status_code == 201
    )
    march = StaffingReturn.objects.get(period=datetime.date(2025, 3, 1))
    assert b"SC-CW,1.00,1,,0.00,0.00,0.00,," in bytes(march.content)
    care_workers = march.rows.get(staff_group__code="SC-CW")
    assert (care_workers.vacancies_fte, care_workers.leavers_fte) == (None, None)


def test_the_same_worker_file_twice_is_a_duplicate(api, carer):
    client = api(carer)
    content = worker_file(worker())
    assert post(client, content).status_code == 201
    again = post(client, content)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert StaffingReturn.objects.count() == 1


def test_a_file_with_other_workers_but_the_same_figures_is_a_new_version(api, carer):
    client = api(carer)
    assert post(client, worker_file(worker())).status_code == 201
    other = post(client, worker_file(worker(UNIQUEWORKERID="W7")))
    assert other.status_code == 201
    assert other.json()["version"] == 2


def test_personal_data_is_never_stored_shown_or_logged(api, carer, caplog):
    caplog.set_level(logging.DEBUG)
    client = api(carer)
    content = worker_file(worker(), worker(UNIQUEWORKERID="W2", MAINJOBROLE="99"))
    refused = post(client, content)
    assert refused.status_code == 400
    created = post(client, worker_file(worker()))
    assert created.status_code == 201
    pk = created.json()["id"]
    stored = StaffingReturn.objects.get()
    seen = [
        refused.content.decode(),
        created.content.decode(),
        bytes(stored.content).decode(),
        str(stored.workers),
        str(list(StaffingReturn.objects.values())),
        str(list(StaffingReturnRow.objects.values())),
        str(list(AuditEntry.objects.values())),
        client.get(f"{URL}{pk}/").content.decode(),
        client.get(f"{URL}{pk}/file/").content.decode(),
        b"".join(client.get("/api/v1/workforce/?format=csv").streaming_content).decode(),
        caplog.text,
    ]
    for text in seen:
        for planted in PLANTED:
            assert planted not in text
    assert bytes(stored.content).decode().splitlines()[0] == ",".join(COLUMNS)
    assert "SC-CW" in seen[9]


def test_the_page_says_the_file_kept_is_the_derived_return(api, client, carer):
    assert post(api(carer), worker_file(worker())).status_code == 201
    stored = StaffingReturn.objects.get()
    client.force_login(carer)
    page = client.get(f"/returns/{stored.pk}/").content.decode()
    assert "the return derived from the ASC-WDS worker file" in page
    assert "as uploaded" not in page
    for planted in PLANTED:
        assert planted not in page
    assert stored.rows.get(staff_group__code="SC-CW").fte == Decimal("1.00")


def page_upload(client, content: bytes, period=(3, 2025)):
    upload = SimpleUploadedFile("workers.csv", content)
    form = {"organisation": "CTEST1", "month": period[0], "year": period[1], "file": upload}
    return client.post("/returns/upload/", form)


def test_the_upload_page_reads_a_worker_file(client, carer):
    client.force_login(carer)
    response = page_upload(client, worker_file(worker()))
    assert response.status_code == 302
    assert StaffingReturn.objects.get().rows.get(staff_group__code="SC-CW").headcount == 1


def test_the_upload_page_never_shows_a_wrong_worker_files_personal_data(client, carer):
    client.force_login(carer)
    response = page_upload(client, worker_file(worker(MAINJOBROLE="99")))
    assert response.status_code == 400
    page = response.content.decode()
    assert "MAINJOBROLE" in page
    for planted in PLANTED:
        assert planted not in page
