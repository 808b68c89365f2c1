"""Names as people write them, on every page: a builtin of the templates (settings.TEMPLATES),
so no template has to load it."""

from django import template

from core.names import display_name, short_system

register = template.Library()
register.filter("display_name", display_name)
register.filter("short_system", short_system)
