"""The write paths of education: each public function is `<entity>_<action>(*, keyword, only)`."""

from .capacity import (
    apprenticeship_create,
    apprenticeship_update,
    educator_create,
    educator_plan_update,
    educator_update,
    placement_create,
    placement_plan_update,
    placement_update,
)
from .catalogue import programme_create, programme_update, programmes_load
from .plans import intake_create, intake_plan_update, intake_update

__all__ = [
    "apprenticeship_create",
    "apprenticeship_update",
    "educator_create",
    "educator_plan_update",
    "educator_update",
    "intake_create",
    "intake_plan_update",
    "intake_update",
    "placement_create",
    "placement_plan_update",
    "placement_update",
    "programme_create",
    "programme_update",
    "programmes_load",
]
