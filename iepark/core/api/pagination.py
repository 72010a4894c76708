from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Page-number pagination with a client-chosen page size, capped to keep queries bounded."""

    page_size_query_param = "page_size"
    max_page_size = 500
