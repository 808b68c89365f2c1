"""Pagination: a page size or page number the caller gives must be a whole number in range,
or it is a 400."""

from __future__ import annotations

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


def whole_number(text: str) -> int | None:
    """A whole number written in ASCII digits, or None: Python's int() would also take "1_0",
    "+1" or full-width digits."""
    return int(text) if text.isascii() and text.isdigit() else None


class StrictPageSize:
    """`page_size` as given, refused when it is not a whole number from 1 to the maximum,
    rather than silently replaced by the default as DRF does."""

    page_size_query_param = "page_size"
    max_page_size: int

    def get_page_size(self, request: Request) -> int | None:
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        text = text.strip()
        size = whole_number(text)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: (
                        f"'{text[:20]}' is not a page size: give a whole number from 1 to "
                        f"{self.max_page_size}."
                    )
                }
            )
        return size


class PageNumberPagination(StrictPageSize, pagination.PageNumberPagination):
    max_page_size = 1000

    def get_page_number(self, request: Request, paginator) -> int:
        """`page` as given ("last" for the last page). A page past the last is DRF's 404."""
        number = self.page_number_given(request)
        return paginator.num_pages if number == "last" else number

    def page_number_given(self, request: Request) -> int | str:
        """`page` (1 if not given, or "last"), refused when it is not a `whole_number` from 1."""
        text = request.query_params.get(self.page_query_param)
        if text is None:
            return 1
        if text in self.last_page_strings:
            return "last"
        number = whole_number(text)
        if number is None or number < 1:
            raise ValidationError(
                {
                    self.page_query_param: (
                        f"'{text[:20]}' is not a page number: give a whole number from 1."
                    )
                }
            )
        return number


class FigureCursorPagination(StrictPageSize, pagination.CursorPagination):
    """For long lists of figures: no COUNT on every page."""

    page_size = 500
    max_page_size = 5000
    ordering = "id"
