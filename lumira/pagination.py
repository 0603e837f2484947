"""Pagination for every list of the API (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]).

Its own module: DRF imports it while building its generic views, so it must not import drf-spectacular.
"""

from rest_framework import pagination
from rest_framework.exceptions import NotFound


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's, with `page` exactly as the schema says: absent, or a page number. DRF would also take `page=`
    and `page=last`; here anything but digits is an invalid page (404, as a page out of range)."""

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not (value.isascii() and value.isdigit()):
            raise NotFound(self.invalid_page_message.format(page_number=value, message="not a page number"))
        return value
