"""The read paths that pages and the API share."""

from .reference import organisations_for_home, systems_for_home

__all__ = ["organisations_for_home", "systems_for_home"]
