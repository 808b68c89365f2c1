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
from .plan_page import ThreeYearPlan, three_year_plan

__all__ = [
    "OrganisationCapacity",
    "PipelineInputs",
    "ThreeYearPlan",
    "capacity_years",
    "editable_years",
    "educators_by_year",
    "intake_form_years",
    "intake_places_by_year",
    "organisation_capacity",
    "pipeline_inputs_for",
    "pipeline_inputs_without_planned_change",
    "placement_places_by_year",
    "three_year_plan",
]
