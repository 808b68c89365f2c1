"""Reading the month's social care figures from an ASC-WDS worker file."""

from __future__ import annotations

import datetime
from decimal import Decimal

from workforce.returns import COLUMNS, read_return
from workforce.returns.ascwds import (
    HEADER,
    GroupFigures,
    PriorWorker,
    derived_csv,
    is_worker_file,
    read_worker_file,
    worker_key,
)

from .ascwds_files import BIRTH_DATE, NI_NUMBER, POSTCODE, worker, worker_file

KEY = b"k" * 32
MARCH = datetime.date(2025, 3, 1)


def read(*workers, previous=None, header=HEADER):
    return read_worker_file(
        worker_file(*workers, header=header), period=MARCH, key=KEY, previous=previous
    )


def group(result, code: str) -> GroupFigures:
    return next(g for g in result.groups if g.staff_group_code == code)


def test_the_worker_file_is_known_by_its_header():
    assert is_worker_file(worker_file(worker()))
    assert is_worker_file(b"\xef\xbb\xbf" + worker_file(worker()))
    assert not is_worker_file(b"staff_group_code,fte\nDOC,1\n")


def test_fte_is_contracted_hours_at_37_5_a_week():
    result = read(worker(CONTHOURS="37.5"), worker(UNIQUEWORKERID="W2", CONTHOURS="15"))
    assert result.ok, result.problems
    care = group(result, "SC-CW")
    assert care.fte == Decimal("1.40")
    assert care.headcount == 2


def test_one_person_counts_at_most_one_fte():
    assert group(read(worker(CONTHOURS="50")), "SC-CW").fte == Decimal("1.00")


def test_a_zero_hours_worker_counts_by_average_hours():
    result = read(worker(ZEROHRCONT="1", CONTHOURS="", AVGHOURS="18.75"))
    assert group(result, "SC-CW").fte == Decimal("0.50")
    assert group(result, "SC-CW").headcount == 1


def test_bank_and_agency_workers_are_bank_and_agency_fte_not_headcount():
    result = read(
        worker(EMPLSTATUS="3", AVGHOURS="7.5", CONTHOURS=""),
        worker(UNIQUEWORKERID="W2", EMPLSTATUS="4", AVGHOURS="30", CONTHOURS=""),
    )
    care = group(result, "SC-CW")
    assert (care.fte, care.headcount) == (Decimal("0.00"), 0)
    assert care.bank_fte == Decimal("0.20")
    assert care.agency_fte == Decimal("0.80")


def test_groups_come_from_the_main_job_role():
    result = read(
        worker(MAINJOBROLE="7"),
        worker(UNIQUEWORKERID="W2", MAINJOBROLE="16"),
        worker(UNIQUEWORKERID="W3", MAINJOBROLE="4"),
        worker(UNIQUEWORKERID="W4", MAINJOBROLE="25"),
    )
    assert [(g.staff_group_code, g.headcount) for g in result.groups] == [
        ("SC-CW", 1),
        ("SC-RN", 1),
        ("SC-OTH", 2),
    ]


def test_joiners_are_those_who_started_in_the_month():
    result = read(
        worker(STARTDATE="03/03/2025", CONTHOURS="18.75"),
        worker(UNIQUEWORKERID="W2", STARTDATE="28/02/2025"),
        worker(UNIQUEWORKERID="W3", STARTDATE="01/03/2024"),
    )
    assert group(result, "SC-CW").joiners_fte == Decimal("0.50")


def test_leavers_are_blank_without_the_previous_months_workers():
    assert group(read(worker()), "SC-CW").leavers_fte is None
    assert group(read(worker()), "SC-CW").vacancies_fte is None


def test_leavers_are_the_previous_months_workers_no_longer_on_the_file():
    stays = worker_key(KEY, "HOME1", "W1")
    left = worker_key(KEY, "HOME1", "W9")
    previous = {
        stays: PriorWorker("SC-CW", Decimal("1.00")),
        left: PriorWorker("SC-RN", Decimal("0.60")),
    }
    result = read(worker(), previous=previous)
    assert group(result, "SC-CW").leavers_fte == Decimal("0.00")
    assert group(result, "SC-RN").leavers_fte == Decimal("0.60")
    assert set(result.workers) == {stays}


def test_a_changed_worker_id_is_not_a_leaver():
    old = worker_key(KEY, "HOME1", "W1")
    result = read(
        worker(CHGUNIQUEWRKID="W1-NEW", STATUS="CHGSUB"),
        previous={old: PriorWorker("SC-CW", Decimal("1.00"))},
    )
    assert group(result, "SC-CW").leavers_fte == Decimal("0.00")
    assert set(result.workers) == {worker_key(KEY, "HOME1", "W1-NEW")}


def test_sickness_rate_is_days_over_225_working_days_for_each_fte():
    result = read(
        worker(DAYSSICK="9"),
        worker(UNIQUEWORKERID="W2", CONTHOURS="18.75", DAYSSICK="999"),
    )
    assert group(result, "SC-CW").sickness_absence_rate == Decimal("0.04000")
    capped = read(worker(CONTHOURS="3.75", DAYSSICK="300"))
    assert group(capped, "SC-CW").sickness_absence_rate == Decimal("1.00000")


def test_a_group_in_post_with_no_days_sick_known_is_a_problem():
    unknown = read(worker(DAYSSICK="999"), worker(UNIQUEWORKERID="W2", DAYSSICK=""))
    assert [(p.row, p.column) for p in unknown.problems] == [(None, "DAYSSICK")]
    assert "SC-CW" in unknown.problems[0].message


def test_a_deleted_worker_is_not_counted():
    result = read(worker(), worker(UNIQUEWORKERID="W2", STATUS="DELETE"))
    assert group(result, "SC-CW").headcount == 1


def test_personal_columns_are_absent_from_the_parsed_result():
    result = read(worker())
    text = repr(result)
    for planted in (NI_NUMBER, BIRTH_DATE, POSTCODE, "Alex Example", "23456", "HOME1", "W1"):
        assert planted not in text


def test_problems_are_reported_by_row_and_column():
    result = read(
        worker(),
        worker(UNIQUEWORKERID="W2", STARTDATE="2025-03-01"),
        worker(UNIQUEWORKERID="W3", MAINJOBROLE="99", CONTHOURS="lots", NINUMBER="QQ999999C"),
        worker(UNIQUEWORKERID="W1"),
    )
    assert not result.ok
    assert not result.groups and not result.workers
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (3, "STARTDATE"),
        (4, "MAINJOBROLE"),
        (4, "CONTHOURS"),
        (5, "UNIQUEWORKERID"),
    }
    assert all("QQ999999C" not in p.message for p in result.problems)


def test_a_missing_column_is_reported_on_the_header():
    header = tuple(name for name in HEADER if name != "CONTHOURS")
    result = read(worker(), header=header)
    assert [(p.row, p.column) for p in result.problems] == [(1, "CONTHOURS")]


def test_the_optional_changed_id_column_may_be_left_out():
    header = tuple(name for name in HEADER if name != "CHGUNIQUEWRKID")
    assert read(worker(), header=header).ok


def test_the_derived_return_reads_back_as_a_return_with_blanks_for_what_is_not_known():
    result = read(worker(DAYSSICK="9"))
    content = derived_csv(result.groups, COLUMNS)
    lines = content.decode().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1] == "SC-CW,1.00,1,,0.00,0.00,0.00,,0.04000"
    parsed = read_return(content, "r.csv", staff_group_codes={"SC-CW", "SC-RN", "SC-OTH"})
    assert parsed.ok, parsed.problems
    assert parsed.rows[0].fte == Decimal("1.00")
