"""Scenarios: /api/v1/scenarios/, and .../{id}/copy/, /archive/, /unarchive/ and /central/.

A scenario shows its assumption rows (`staff_group` null: the row for every staff group),
its demand step changes and its pay awards by year. National scenarios (`ics` null) are
read and copied by every user who reads a system, and written by national administrators
only. There is no DELETE: projection runs keep pointing at the scenario they projected, so
a scenario with runs is not changed (409: copy it to change it); it may be archived, which
hides it from the list (`?archived=true` lists the archived ones) and keeps it for its runs.

Assumptions are fractions here, as stored and as the engine takes them (0.094 is 9.4% a
year; a leaver_rate_change of -0.01 is one point lower; a pay award of 0.036 is 3.6%), and
costs are pounds (stored to the penny); the pages take percent, points and "£27,150".
"""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.fields import CodeField, StrictSerializer, YearField, number, validated, whole
from core.api.filters import StrictBooleanFilter
from core.api.schema import error_responses
from core.errors import ApplicationError
from core.models import ICS
from workforce.models import (
    SCENARIO_ASSUMPTION_FIELDS,
    DemandStepChange,
    PayAward,
    Scenario,
    ScenarioAssumption,
)
from workforce.plans import rules, units
from workforce.selectors.planning import scenario_has_runs, scenarios_with_rows
from workforce.services.scenario_input import (
    DESCRIPTION_TOO_LONG,
    TOO_MANY_PAY_AWARDS,
    TOO_MANY_STEP_CHANGES,
)
from workforce.services.scenario_status import (
    scenario_archive,
    scenario_make_central,
    scenario_unarchive,
)
from workforce.services.scenarios import scenario_copy, scenario_create, scenario_update

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


class ScenarioFilter(filters.FilterSet):
    ics = filters.CharFilter(field_name="ics__code", lookup_expr="iexact", help_text="ICS code.")
    national = StrictBooleanFilter(
        field_name="ics", lookup_expr="isnull", help_text="true: national scenarios only."
    )
    archived = StrictBooleanFilter(
        field_name="archived_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: the archived scenarios only. Left out or false: those not archived.",
    )

    class Meta:
        model = Scenario
        fields = ["ics", "national", "archived"]


# PUT replaces the scenario as given: settings left out take their defaults, and left-out
# assumptions or step changes are removed.
PUT_DEFAULTS = {
    "description": "",
    "draws": 1000,
    "horizon": 10,
    "seed": 20260401,
    "organisation_share": 0,
    "assumptions": [],
    "step_changes": [],
    "pay_awards": [],
}


@extend_schema_view(
    list=extend_schema(responses={200: ScenarioSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: ScenarioSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=ScenarioInputSerializer,
        responses={201: ScenarioSerializer, **error_responses(400, 401, 403)},
        description="Create a scenario for a system (its ICB lead or a national administrator) "
        "or a national one (`ics` null: national administrators only).",
    ),
    update=extend_schema(
        request=ScenarioInputSerializer,
        responses={200: ScenarioSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="Replace the scenario: settings left out take their defaults; the "
        "assumptions, step changes and pay awards given replace all of them. `ics` cannot change. "
        "A scenario with projection runs is not changed (409): copy it to change it.",
    ),
    partial_update=extend_schema(
        request=ScenarioInputSerializer(partial=True),
        responses={200: ScenarioSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="Change the fields given; `assumptions`, `step_changes` or `pay_awards`, "
        "when given, replace all of them. A scenario with projection runs is not changed "
        "(409): copy it to change it.",
    ),
)
class ScenarioViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ScenarioSerializer
    filterset_class = ScenarioFilter

    def get_queryset(self):
        scenarios = scenarios_with_rows(user=self.request.user)
        if self.action == "list" and "archived" not in self.request.query_params:
            scenarios = scenarios.active()  # archived ones only when asked for
        return scenarios

    def _shown(self, scenario: Scenario, code: int = status.HTTP_200_OK) -> Response:
        scenario = scenarios_with_rows(user=self.request.user).get(pk=scenario.pk)
        return Response(ScenarioSerializer(scenario).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ScenarioInputSerializer(data=request.data))
        scenario = scenario_create(user=request.user, **data)
        return self._shown(scenario, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scenario = self.get_object()
        partial = kwargs.get("partial", False)
        data = validated(ScenarioInputSerializer(data=request.data, partial=partial))
        if "ics" in data and data.pop("ics") != scenario.ics:
            raise ApplicationError(
                [
                    {
                        "field": "ics",
                        "message": "A scenario's system cannot change: copy the scenario "
                        "to the other system instead.",
                    }
                ]
            )
        if not partial:
            data = PUT_DEFAULTS | data
        scenario = scenario_update(user=request.user, scenario=scenario, **data)
        return self._shown(scenario)

    @extend_schema(
        request=ScenarioCopySerializer,
        responses={201: ScenarioSerializer, **error_responses(400, 401, 403, 404)},
        description="Copy the scenario (every assumption row, step change and pay award) to "
        "a system, "
        "or nationally, under a new name, with a few changes. The copy's `based_on` is this "
        "scenario.",
    )
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        data = validated(ScenarioCopySerializer(data=request.data))
        scenario = scenario_copy(
            user=request.user,
            source=source,
            ics=data["ics"],
            name=data["name"],
            changes=data.get("changes"),
        )
        return self._shown(scenario, status.HTTP_201_CREATED)

    def _standing(self, change) -> Response:
        scenario = change(user=self.request.user, scenario=self.get_object())
        return self._shown(scenario)

    @extend_schema(
        request=None,
        responses={200: ScenarioSerializer, **error_responses(401, 403, 404, 409)},
        description="Archive the scenario: it leaves the list (and the pages' choices) and "
        "stays for its runs, which keep working. The central scenario cannot be archived "
        "(409). Archiving an archived scenario changes nothing.",
    )
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        return self._standing(scenario_archive)

    @extend_schema(
        request=None,
        responses={200: ScenarioSerializer, **error_responses(401, 403, 404)},
        description="Bring an archived scenario back into the list.",
    )
    @action(detail=True, methods=["post"])
    def unarchive(self, request: Request, pk: str | None = None) -> Response:
        return self._standing(scenario_unarchive)

    @extend_schema(
        request=None,
        responses={200: ScenarioSerializer, **error_responses(401, 403, 404, 409)},
        description="Make this its system's central scenario (a national one: England's), "
        "the one the dashboards open on; the one that was central stops being so. An "
        "archived scenario cannot be central (409).",
    )
    @action(detail=True, methods=["post"])
    def central(self, request: Request, pk: str | None = None) -> Response:
        return self._standing(scenario_make_central)
