"""Names as people write them, on every page: a builtin of the templates (settings.TEMPLATES),
so no template has to load it."""

from django import template

from core.names import display_name, short_system

register = template.Library()
register.filter("display_name", display_name)
register.filter("short_system", short_system)


@register.filter
def labelled(error: object, label: object) -> str:
    """An error in a form's summary, opening with its box's label unless it already names it
    ("Pay budget cannot be negative" stays as it is; "Give pounds." is "Pay budget: Give
    pounds.")."""
    text, name = str(error), str(label or "").split(",")[0]
    return text if not name or text.startswith(name) else f"{label}: {text}"
