"""Pagination: a page size the caller gives must be a whole number in range, or it is a 400."""

from __future__ import annotations

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


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
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: (
                        f"'{text[:20]}' is not a page size: give a whole number from 1 to "
                        f"{self.max_page_size}."
                    )
                }
            )
        return int(text)


class PageNumberPagination(StrictPageSize, pagination.PageNumberPagination):
    max_page_size = 1000


class FigureCursorPagination(StrictPageSize, pagination.CursorPagination):
    """For long lists of figures: no COUNT on every page."""

    page_size = 500
    max_page_size = 5000
    ordering = "id"
