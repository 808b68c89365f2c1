"""How a scenario reads over the API, with its assumption rows, step changes and pay awards,
and what creating, replacing or copying one takes.

Assumptions are fractions, as stored and as the engine takes them, and costs are pounds; the
input fields state the ranges the plan rules allow.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.api.fields import CodeField, StrictSerializer, YearField, number, whole
from core.models import ICS
from workforce.models import (
    SCENARIO_ASSUMPTION_FIELDS,
    DemandStepChange,
    PayAward,
    Scenario,
    ScenarioAssumption,
)
from workforce.plans import rules, units
from workforce.selectors.planning import scenario_has_runs
from workforce.services.scenario_input import (
    DESCRIPTION_TOO_LONG,
    TOO_MANY_PAY_AWARDS,
    TOO_MANY_STEP_CHANGES,
)

DECIMAL_ASSUMPTIONS = [n for n in SCENARIO_ASSUMPTION_FIELDS if n != "intake_change_from"]


class AssumptionSerializer(serializers.ModelSerializer):
    staff_group = serializers.CharField(source="staff_group.code", default=None, allow_null=True)

    class Meta:
        model = ScenarioAssumption
        fields = ["staff_group", *SCENARIO_ASSUMPTION_FIELDS]
        extra_kwargs = {name: {"coerce_to_string": False} for name in DECIMAL_ASSUMPTIONS}


class StepChangeSerializer(serializers.ModelSerializer):
    staff_group = serializers.CharField(source="staff_group.code")

    class Meta:
        model = DemandStepChange
        fields = ["staff_group", "year", "fte", "description"]
        extra_kwargs = {"fte": {"coerce_to_string": False}}


class PayAwardSerializer(serializers.ModelSerializer):
    staff_group = serializers.CharField(source="staff_group.code", default=None, allow_null=True)

    class Meta:
        model = PayAward
        fields = ["staff_group", "year", "rate"]
        extra_kwargs = {"rate": {"coerce_to_string": False}}


class ScenarioSerializer(serializers.ModelSerializer):
    ics = serializers.CharField(source="ics.code", default=None, allow_null=True)
    based_on_name = serializers.CharField(source="based_on.name", default=None, allow_null=True)
    created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True)
    assumptions = AssumptionSerializer(many=True)
    step_changes = StepChangeSerializer(many=True)
    pay_awards = PayAwardSerializer(many=True)
    archived = serializers.BooleanField(
        read_only=True, help_text="Archived: hidden from the list, kept for its runs."
    )
    editable = serializers.SerializerMethodField(
        help_text="Whether it may still be changed: false once it has projection runs "
        "(copy it to change it)."
    )

    class Meta:
        model = Scenario
        fields = [
            "id",
            "name",
            "description",
            "ics",
            "based_on",
            "based_on_name",
            "draws",
            "horizon",
            "seed",
            "organisation_share",
            "created_by",
            "updated_at",
            "central",
            "archived",
            "archived_at",
            "editable",
            "assumptions",
            "step_changes",
            "pay_awards",
        ]
        read_only_fields = ["central", "archived_at"]
        extra_kwargs = {"organisation_share": {"coerce_to_string": False}}

    def get_editable(self, scenario: Scenario) -> bool:
        has_runs = getattr(scenario, "has_runs", None)
        return not (scenario_has_runs(scenario) if has_runs is None else has_runs)


class AssumptionInputSerializer(StrictSerializer):
    staff_group = serializers.CharField(
        allow_null=True,
        required=False,
        help_text="A reportable staff group's code; null or left out: every staff group.",
    )
    intake_change_from = YearField(required=False, allow_null=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in DECIMAL_ASSUMPTIONS:
            low, high = rules.ASSUMPTION_LIMITS[name]
            fields[name] = number(
                required=False,
                allow_null=True,
                minimum=low,
                maximum=high,
                help_text=assumption_help(name),
            )
        return fields


def assumption_help(name: str) -> str:
    """The schema's words for an assumption: what it is, its unit (a fraction, or pounds),
    its range."""
    low, high = rules.ASSUMPTION_LIMITS[name]
    what = ScenarioAssumption._meta.get_field(name).help_text
    in_words = units.range_in_words(name, low, high)
    unit = (
        f"Pounds, from {in_words}, stored to the penny"
        if name in rules.COST_ASSUMPTIONS
        else f"A fraction, from {low} to {high} ({in_words})"
    )
    return (
        f"{what} {unit}; null: falls back to the row for every staff group, then the "
        "national default."
    )


class StepChangeInputSerializer(StrictSerializer):
    staff_group = serializers.CharField()
    year = YearField()
    fte = number(
        minimum=-rules.MAX_STEP_CHANGE_FTE,
        maximum=rules.MAX_STEP_CHANGE_FTE,
        help_text="FTE of demand added (a new service) or removed (a closure).",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=rules.STEP_CHANGE_DESCRIPTION_LONGEST
    )


class PayAwardInputSerializer(StrictSerializer):
    staff_group = serializers.CharField(
        allow_null=True,
        required=False,
        help_text="A reportable staff group's code; null or left out: every staff group.",
    )
    year = YearField(help_text='The financial year, as 2026 or "2026/27".')
    rate = number(
        minimum=rules.ASSUMPTION_LIMITS["pay_award"][0],
        maximum=rules.ASSUMPTION_LIMITS["pay_award"][1],
        help_text="The pay award in that year, a fraction (0.036 = 3.6%); it wins over the "
        "assumption rows' pay_award, a staff group's award over the award for every group.",
    )


class CappedList(serializers.ListField):
    """A list of at most `max_length` items, refused before any item is read."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


def count(name: str, help_text: str = "") -> serializers.IntegerField:
    low, high = rules.SCENARIO_LIMITS[name]
    return whole(required=False, minimum=low, maximum=high, help_text=help_text)


class ScenarioSettingsSerializer(StrictSerializer):
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=rules.SCENARIO_DESCRIPTION_LONGEST,
        error_messages={"max_length": DESCRIPTION_TOO_LONG},
    )
    draws = count("draws", "1: one deterministic projection.")
    horizon = count("horizon", "Years projected.")
    seed = count("seed")
    organisation_share = number(required=False, minimum=0, maximum=1)
    assumptions = AssumptionInputSerializer(
        many=True,
        required=False,
        help_text="At most one row for every staff group (staff_group null) and one per "
        "staff group.",
    )
    step_changes = CappedList(
        child=StepChangeInputSerializer(),
        required=False,
        max_length=rules.MOST_STEP_CHANGES,
        error_messages={"max_length": TOO_MANY_STEP_CHANGES},
    )
    pay_awards = CappedList(
        child=PayAwardInputSerializer(),
        required=False,
        max_length=rules.MOST_PAY_AWARDS,
        error_messages={"max_length": TOO_MANY_PAY_AWARDS},
        help_text="Pay awards by financial year: at most one a year for every staff group "
        "(staff_group null) and one a year per staff group.",
    )


def system_field(help_text: str) -> CodeField:
    return CodeField("system", queryset=ICS.objects.all(), allow_null=True, help_text=help_text)


class ScenarioInputSerializer(ScenarioSettingsSerializer):
    name = serializers.CharField()
    ics = system_field("The owning system's code; null for a national scenario.")


class ScenarioCopySerializer(StrictSerializer):
    name = serializers.CharField()
    ics = system_field("The system the copy belongs to; null for a national copy.")
    changes = ScenarioSettingsSerializer(
        required=False,
        help_text="What differs from the source. `assumptions` rows merge into the copied "
        "ones by staff group (a value given replaces the copied one, null clears it); "
        "`step_changes` and `pay_awards`, when given, replace the copied ones.",
    )
