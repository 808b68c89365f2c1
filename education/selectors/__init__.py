"""The read paths of education that the projection, the pages and the API share."""

from .capacity_page import (
    OrganisationCapacity,
    capacity_years,
    editable_years,
    educators_by_year,
    intake_form_years,
    intake_places_by_year,
    organisation_capacity,
    placement_places_by_year,
)
from .pipeline_inputs import (
    PipelineInputs,
    pipeline_inputs_for,
    pipeline_inputs_without_planned_change,
)
from .placement_checks import PlacementCheck, placement_checks, placement_checks_in_scope
from .plan_page import ThreeYearPlan, three_year_plan

__all__ = [
    "OrganisationCapacity",
    "PipelineInputs",
    "PlacementCheck",
    "ThreeYearPlan",
    "capacity_years",
    "editable_years",
    "educators_by_year",
    "intake_form_years",
    "intake_places_by_year",
    "organisation_capacity",
    "pipeline_inputs_for",
    "pipeline_inputs_without_planned_change",
    "placement_checks",
    "placement_checks_in_scope",
    "placement_places_by_year",
    "three_year_plan",
]
