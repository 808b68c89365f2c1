from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000


class FigureCursorPagination(pagination.CursorPagination):
    """For long lists of figures: no COUNT on every page."""

    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 5000
    ordering = "id"
