"""Submitting a staffing return: storing, versions, duplicates, rollback, scope, warnings."""

from __future__ import annotations

import datetime
import hashlib
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection

from core.errors import ApplicationError, OutOfScope
from core.models import AuditEntry
from workforce.models import StaffingReturn, StaffingReturnRow
from workforce.services.returns import period_parse, staffing_return_submit

from .returns_data import GROUPS, csv_file, month, row, store_return, xlsx_file

pytestmark = pytest.mark.django_db

MARCH = "2025-03"


def submit(
    cast,
    content: bytes,
    *,
    filename: str = "return.csv",
    period=MARCH,
    user=None,
    organisation=None,
):
    return staffing_return_submit(
        user=user or cast.uploader_a,
        organisation=organisation or cast.trust_a,
        period=period,
        content=content,
        filename=filename,
    )


def test_a_valid_csv_is_stored_with_its_file_rows_and_audit_entry(cast):
    content = "\ufeff".encode() + csv_file([row("NUR", fte="250.5", headcount="300"), row("DOC")])
    result = submit(cast, content)
    stored = StaffingReturn.objects.get()
    assert result.created and not result.duplicate
    assert result.staffing_return.pk == stored.pk
    assert (stored.organisation, stored.period, stored.version) == (cast.trust_a, month(2025, 3), 1)
    assert stored.status == StaffingReturn.Status.SUBMITTED
    assert stored.submitted_by == cast.uploader_a
    assert bytes(stored.content) == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert stored.original_filename == "return.csv"
    nurses = stored.rows.get(staff_group__code="NUR")
    assert nurses.fte == Decimal("250.50")
    assert nurses.headcount == 300
    assert nurses.sickness_absence_rate == Decimal("0.05")
    assert stored.rows.count() == 2
    audit = AuditEntry.objects.get(model="workforce.StaffingReturn")
    assert audit.user == cast.uploader_a
    assert audit.action == AuditEntry.Action.CREATE
    assert audit.object_id == str(stored.pk)
    assert audit.ics == cast.ics_x
    assert audit.changes["version"] == [None, 1]
    assert audit.changes["rows"] == [None, 2]


def test_a_valid_xlsx_is_stored(cast):
    content = xlsx_file()
    submit(cast, content, filename="March return.xlsx")
    stored = StaffingReturn.objects.get()
    assert bytes(stored.content) == content
    assert stored.original_filename == "March return.xlsx"
    assert sorted(stored.rows.values_list("staff_group__code", flat=True)) == sorted(GROUPS)


def test_a_resubmission_becomes_version_2_and_version_1_stays_readable(cast):
    first = submit(cast, csv_file([row("NUR", fte="100")])).staffing_return
    second = submit(cast, csv_file([row("NUR", fte="101")]), user=cast.lead_x).staffing_return
    first.refresh_from_db()
    assert (first.version, first.status) == (1, StaffingReturn.Status.SUPERSEDED)
    assert (second.version, second.status) == (2, StaffingReturn.Status.SUBMITTED)
    assert first.rows.get().fte == 100
    assert second.rows.get().fte == 101
    assert second.submitted_by == cast.lead_x
    superseded = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert superseded.object_id == str(first.pk)
    assert superseded.changes == {"status": ["submitted", "superseded"]}
    third = submit(cast, csv_file([row("NUR", fte="100")])).staffing_return
    assert third.version == 3  # the same figures as version 1 are a new version


def test_the_same_file_twice_is_recognised_and_not_stored_again(cast):
    content = csv_file()
    first = submit(cast, content)
    again = submit(cast, content, filename="renamed.csv")
    assert again.duplicate
    assert again.staffing_return.pk == first.staffing_return.pk
    assert StaffingReturn.objects.count() == 1
    assert StaffingReturnRow.objects.count() == len(GROUPS)
    assert AuditEntry.objects.count() == 1


def test_nothing_is_stored_when_the_second_half_of_the_file_is_bad(cast):
    good = [row(code) for code in ("DOC", "NUR", "MID", "STT")]
    bad = [row("INF-CEN", fte="lots"), row("INF-HPE", headcount="-3")]
    with pytest.raises(ApplicationError) as raised:
        submit(cast, csv_file(good + bad))
    assert raised.value.errors == [
        {"row": 6, "column": "fte", "message": 'fte must be a number, not "lots".'},
        {"row": 7, "column": "headcount", "message": "headcount cannot be negative (-3)."},
    ]
    assert not StaffingReturn.objects.exists()
    assert not StaffingReturnRow.objects.exists()


def test_a_failure_inside_the_store_leaves_nothing(cast):
    submit(cast, csv_file([row("NUR", fte="100")]))
    with (
        # The audit entry is the last write, after the return and its rows.
        mock.patch(
            "workforce.services.return_store.audit_records", side_effect=RuntimeError("full")
        ),
        pytest.raises(RuntimeError),
    ):
        submit(cast, csv_file([row("NUR", fte="105")]))
    current = StaffingReturn.objects.get()
    assert (current.version, current.status) == (1, StaffingReturn.Status.SUBMITTED)
    assert StaffingReturnRow.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_an_upload_outside_the_users_scope_is_refused(cast):
    for user, organisation in [
        (cast.uploader_b, cast.trust_a),
        (cast.lead_y, cast.trust_a),
        (cast.analyst_x, cast.trust_a),  # analysts read, never write
    ]:
        with pytest.raises(OutOfScope) as raised:
            submit(cast, csv_file(), user=user, organisation=organisation)
        assert raised.value.status_code == 403
    assert not StaffingReturn.objects.exists()


def test_a_lead_and_a_national_administrator_may_upload_for_a_trust(cast):
    submit(cast, csv_file(), user=cast.lead_x, organisation=cast.trust_b)
    submit(cast, csv_file(), user=cast.national, organisation=cast.trust_c)
    assert StaffingReturn.objects.count() == 2


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("2025-13", "'2025-13' is not a month: use YYYY-MM."),
        ("March 2025", "'March 2025' is not a month: use YYYY-MM."),
        ("", "'' is not a month: use YYYY-MM."),
        ("2026-12", "December 2026 is in the future; a return describes a month that has begun."),
    ],
)
def test_a_malformed_or_future_period_is_refused(given, message):
    with pytest.raises(ApplicationError) as raised:
        period_parse(given, today=datetime.date(2026, 11, 20))
    assert raised.value.errors == [{"field": "period", "message": message}]
    assert raised.value.status_code == 400


def test_the_current_month_is_accepted():
    assert period_parse("2026-11", today=datetime.date(2026, 11, 1)) == month(2026, 11)


def test_a_future_period_stores_nothing(cast):
    with pytest.raises(ApplicationError):
        submit(cast, csv_file(), period="2999-01")
    assert not StaffingReturn.objects.exists()


def test_warnings_compare_with_the_organisations_earlier_months(cast):
    store_return(
        cast.trust_a,
        month(2025, 2),
        {"NUR": {"fte": "100"}, "MID": {"fte": "40"}, "DOC": {"fte": "50"}, "STT": {"fte": "1"}},
    )
    stored = submit(
        cast,
        csv_file(
            [
                row("NUR", fte="130", headcount="150"),  # +30%
                row("DOC", fte="55", leavers_fte="3"),  # +10%, but 5.5% left in a month
                row(
                    "STT", fte="2", headcount="2", vacancies_fte="0", bank_fte="0", agency_fte="0"
                ),  # +1 person
                row("INF-CEN", sickness_absence_rate="0.2"),
            ]
        ),
    ).staffing_return
    rules = sorted((w["rule"], w["staff_group"]) for w in stored.warnings)
    assert rules == [
        ("fte_move", "NUR"),
        ("group_missing", "MID"),
        ("leavers_high", "DOC"),
        ("sickness_high", "INF-CEN"),
    ]
    messages = {w["rule"]: w["message"] for w in stored.warnings}
    assert messages["fte_move"] == (
        "Nurses & health visitors (NUR): FTE in post moved from 100.00 in February 2025 to "
        "130.00, up 30%; check the figure."
    )
    assert "40.00 FTE in February 2025" in messages["group_missing"]


def test_warnings_ignore_superseded_and_distant_months(cast):
    store_return(
        cast.trust_a,
        month(2025, 2),
        {"NUR": {"fte": "10"}},
        status=StaffingReturn.Status.SUPERSEDED,
    )
    store_return(cast.trust_a, month(2024, 11), {"NUR": {"fte": "10"}})  # four months back
    stored = submit(cast, csv_file([row("NUR", fte="100")])).staffing_return
    assert stored.warnings == []


def test_a_clean_return_has_no_warnings(cast):
    store_return(cast.trust_a, month(2025, 2))
    assert submit(cast, csv_file()).staffing_return.warnings == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("earlier_versions", [0, 1])
def test_two_simultaneous_uploads_become_consecutive_versions(
    reference_data, postgres, earlier_versions
):
    from tests.conftest import build_cast

    cast = build_cast()
    for _ in range(earlier_versions):
        submit(cast, csv_file([row("NUR", fte="99")]))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def upload(fte: str) -> None:
        try:
            barrier.wait()
            submit(cast, csv_file([row("NUR", fte=fte)]))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(fte,)) for fte in ("100", "101")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    versions = StaffingReturn.objects.order_by("version").values_list("version", "status")
    expected = [(n, "superseded") for n in range(1, earlier_versions + 2)]
    assert list(versions) == [*expected, (earlier_versions + 2, "submitted")]
