from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.errors import ApplicationError, OutOfScope
from core.models import AuditEntry, StaffGroup
from workforce.models import PlanTarget
from workforce.services.planning import (
    plan_target_create,
    plan_target_delete,
    plan_target_update,
    plan_targets_export,
    plan_targets_import,
)

from .planning_data import errors_of, target

pytestmark = pytest.mark.django_db


def group(code: str) -> StaffGroup:
    return StaffGroup.objects.get(code=code)


def test_a_lead_adds_a_target_named_by_its_plan_and_it_is_audited(cast):
    made = plan_target_create(
        user=cast.lead_x,
        ics=cast.ics_x,
        staff_group=group("NUR"),
        year="2027/28",
        target_fte="1234.567",
    )
    assert (made.year, made.plan, made.target_fte) == (2027, "scp", Decimal("1234.57"))
    older = plan_target_create(
        user=cast.lead_x, ics=cast.ics_x, staff_group=group("NUR"), year=2025, target_fte=1000
    )
    assert older.plan == "jfp"
    entry = AuditEntry.objects.get(object_id=str(made.pk), model="workforce.PlanTarget")
    assert (entry.user, entry.action, entry.ics) == (cast.lead_x, "create", cast.ics_x)
    assert entry.changes["target_fte"] == [None, "1234.57"]


def test_every_problem_of_a_target_is_given_at_once_naming_its_field(cast):
    with pytest.raises(ApplicationError) as excinfo:
        plan_target_create(
            user=cast.lead_x,
            ics=cast.ics_x,
            staff_group=group("NUR"),
            year=1999,
            plan="scp",
            target_fte="-3",
            target_vacancy_rate="12",
            target_agency_fte="lots",
        )
    assert errors_of(excinfo) == {
        "year": "year must be a year from 2000 to 2100; 1999 is not.",
        "plan": "plan: strategic commissioning plans start in 2026/27; a target for 1999/00 "
        "belongs to the joint forward plan (jfp).",
        "target_fte": "target_fte cannot be negative; -3 is.",
        "target_vacancy_rate": "target_vacancy_rate must be a fraction from 0 to 1 "
        "(write 12% as 0.12); 12 is not.",
        "target_agency_fte": "target_agency_fte must be a number; 'lots' is not.",
    }
    assert not PlanTarget.objects.exists()


def test_a_second_target_for_the_same_group_and_year_is_refused_clearly(cast):
    target(cast.ics_x, "NUR", 2028)
    with pytest.raises(ApplicationError) as excinfo:
        plan_target_create(
            user=cast.lead_x, ics=cast.ics_x, staff_group=group("NUR"), year=2028, target_fte=1
        )
    assert "QKK already has a target for Nurses & health visitors in 2028/29" in str(excinfo.value)


@pytest.mark.parametrize("who", ["lead_y", "analyst_x", "uploader_a"])
def test_only_the_systems_lead_or_a_national_administrator_writes_its_targets(cast, who):
    with pytest.raises(OutOfScope):
        plan_target_create(
            user=getattr(cast, who),
            ics=cast.ics_x,
            staff_group=group("NUR"),
            year=2028,
            target_fte=1,
        )
    made = plan_target_create(
        user=cast.national, ics=cast.ics_x, staff_group=group("NUR"), year=2028, target_fte=1
    )
    with pytest.raises(OutOfScope):
        plan_target_update(user=getattr(cast, who), target=made, target_fte=2)
    with pytest.raises(OutOfScope):
        plan_target_delete(user=getattr(cast, who), target=made)
    assert PlanTarget.objects.get().target_fte == 1


def test_an_update_changes_the_fields_given_and_records_before_and_after(cast):
    made = target(cast.ics_x, "NUR", 2028, "1000")
    plan_target_update(user=cast.lead_x, target=made, target_fte="1100", target_leaver_rate="0.09")
    made.refresh_from_db()
    assert (made.target_fte, made.target_leaver_rate, made.plan) == (
        Decimal("1100.00"),
        Decimal("0.09000"),
        "scp",
    )
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes == {
        "target_fte": ["1000.00", "1100.00"],
        "target_leaver_rate": [None, "0.09000"],
    }
    plan_target_update(user=cast.lead_x, target=made, year=2025)
    made.refresh_from_db()
    assert (made.year, made.plan) == (2025, "jfp")  # scp does not cover 2025/26


def test_a_delete_is_audited(cast):
    made = target(cast.ics_x)
    plan_target_delete(user=cast.lead_x, target=made)
    assert not PlanTarget.objects.exists()
    assert AuditEntry.objects.get(action="delete").changes["target_fte"] == ["1000.00", None]


IMPORT = b"""staff_group_code,year,plan,target_fte,target_agency_fte
NUR,2027/28,scp,1500,20
NUR,2028/29,scp,1550,14
DOC,2028,scp,700.5,
"""


def test_an_import_replaces_the_targets_of_the_years_in_the_file_and_no_other(cast):
    kept = target(cast.ics_x, "NUR", 2030, "1700")
    changed = target(cast.ics_x, "NUR", 2028, "1400")
    removed = target(cast.ics_x, "MID", 2027, "300")
    other_system = target(cast.ics_y, "NUR", 2028, "9000")
    done = plan_targets_import(user=cast.lead_x, ics=cast.ics_x, content=IMPORT, filename="t.csv")
    assert (done.years, done.created, done.updated, done.removed) == ([2027, 2028], 2, 1, 1)
    assert done.years_label == "2027/28 and 2028/29"
    stored = {
        (t.staff_group.code, t.year): (t.target_fte, t.target_agency_fte)
        for t in PlanTarget.objects.filter(ics=cast.ics_x)
    }
    assert stored == {
        ("NUR", 2027): (Decimal("1500.00"), Decimal("20.00")),
        ("NUR", 2028): (Decimal("1550.00"), Decimal("14.00")),
        ("DOC", 2028): (Decimal("700.50"), None),
        ("NUR", 2030): (Decimal("1700.00"), None),
    }
    assert PlanTarget.objects.filter(pk__in=[kept.pk, changed.pk, other_system.pk]).count() == 3
    assert not PlanTarget.objects.filter(pk=removed.pk).exists()
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["create", "create", "delete", "update"]


def test_an_import_stores_the_financial_plan_and_the_export_gives_it_back(cast):
    changed = target(cast.ics_x, "NUR", 2028, "1400")
    content = (
        b"staff_group_code,year,plan,target_fte,pay_budget,agency_spend_limit\n"
        b'NUR,2028,scp,1400,"\xc2\xa361,250,000",900000\n'
    )
    done = plan_targets_import(user=cast.lead_x, ics=cast.ics_x, content=content, filename="t.csv")
    assert (done.created, done.updated) == (0, 1)
    changed.refresh_from_db()
    assert (changed.pay_budget, changed.agency_spend_limit) == (
        Decimal("61250000.00"),
        Decimal("900000.00"),
    )
    assert changed.bank_spend_limit is None
    audit = AuditEntry.objects.get(action="update").changes
    assert audit["pay_budget"] == [None, "61250000.00"]
    exported = plan_targets_export(user=cast.lead_x, ics=cast.ics_x).decode().splitlines()
    assert exported[0].endswith("pay_budget,bank_spend_limit,agency_spend_limit")
    assert exported[1].endswith(",61250000.00,,900000.00")


def test_an_import_with_any_problem_stores_nothing_and_lists_every_problem(cast):
    before = target(cast.ics_x, "NUR", 2027, "1000")
    content = IMPORT + b"XYZ,2028,scp,10,\nDOC,2029,scp,-1,\n"
    with pytest.raises(ApplicationError) as excinfo:
        plan_targets_import(user=cast.lead_x, ics=cast.ics_x, content=content, filename="t.csv")
    assert [(e["row"], e["column"]) for e in excinfo.value.errors] == [
        (5, "staff_group_code"),
        (6, "target_fte"),
    ]
    assert list(PlanTarget.objects.all()) == [before]
    before.refresh_from_db()
    assert before.target_fte == Decimal("1000.00")
    assert not AuditEntry.objects.exists()


def test_an_import_outside_the_leads_system_is_refused(cast):
    with pytest.raises(OutOfScope):
        plan_targets_import(user=cast.lead_y, ics=cast.ics_x, content=IMPORT, filename="t.csv")
    with pytest.raises(OutOfScope):
        plan_targets_import(user=cast.analyst_x, ics=cast.ics_x, content=IMPORT, filename="t.csv")
    assert not PlanTarget.objects.exists()


def test_an_xlsx_import_works_like_a_csv_one(cast):
    book = Workbook()
    for line in IMPORT.decode().splitlines():
        book.active.append([cell or None for cell in line.split(",")])
    path = f"/tmp/targets-{cast.ics_x.pk}.xlsx"
    book.save(path)
    with open(path, "rb") as handle:
        done = plan_targets_import(
            user=cast.lead_x, ics=cast.ics_x, content=handle.read(), filename="targets.xlsx"
        )
    assert done.created == 3


def test_an_export_reads_back_through_the_import_unchanged(cast):
    plan_targets_import(user=cast.lead_x, ics=cast.ics_x, content=IMPORT, filename="t.csv")
    plan_target_update(
        user=cast.lead_x, target=PlanTarget.objects.get(year=2027), target_vacancy_rate="0.061"
    )
    snapshot = list(PlanTarget.objects.order_by("pk").values())
    content = plan_targets_export(user=cast.analyst_x, ics=cast.ics_x)
    assert content.decode().splitlines()[0].startswith("staff_group_code,staff_group_name,year")
    done = plan_targets_import(user=cast.lead_x, ics=cast.ics_x, content=content, filename="x.csv")
    assert (done.created, done.updated, done.removed) == (0, 0, 0)
    assert list(PlanTarget.objects.order_by("pk").values()) == snapshot


def test_an_export_outside_scope_is_not_found(cast):
    with pytest.raises(ApplicationError) as excinfo:
        plan_targets_export(user=cast.lead_y, ics=cast.ics_x)
    assert excinfo.value.status_code == 404
    with pytest.raises(ApplicationError):
        plan_targets_export(user=cast.uploader_a, ics=cast.ics_x)


# Scenarios
