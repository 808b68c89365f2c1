"""Read paths of a return's review: its comments."""

from __future__ import annotations

from workforce.models import ReturnComment, StaffingReturn


def return_comments(*, staffing_return: StaffingReturn) -> list[ReturnComment]:
    """The comments kept with a return (one already in the reader's scope), oldest first."""
    return list(
        ReturnComment.objects.filter(staffing_return=staffing_return)
        .select_related("author")
        .order_by("created", "id")
    )
