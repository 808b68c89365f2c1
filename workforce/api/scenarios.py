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
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.fields import validated
from core.api.filters import StrictBooleanFilter
from core.api.schema import error_responses
from core.errors import ApplicationError
from workforce.models import Scenario
from workforce.selectors.planning import scenarios_with_rows
from workforce.services.scenario_status import (
    scenario_archive,
    scenario_make_central,
    scenario_unarchive,
)
from workforce.services.scenarios import scenario_copy, scenario_create, scenario_update

from .scenario_serializers import (
    ScenarioCopySerializer,
    ScenarioInputSerializer,
    ScenarioSerializer,
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
