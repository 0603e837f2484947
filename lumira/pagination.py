"""Pagination for every list of the API (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]), the desk and the admin.

Its own module: DRF imports it while building its generic views, so it must not import drf-spectacular.

The COUNT behind a page is what stops scaling first: counting a queue of 750 000 orders reads them all on
every request. Here the count reads at most COUNT_CAP rows (or up to the end of the page asked for, when it
is further): below that it is exact, above it the list says "1000+" (`count_exact` false) and still knows
whether a next page exists. Every query a page makes is then bounded by the page's position, not the
table's size.
"""

from __future__ import annotations

from contextlib import suppress

from django.core.paginator import Paginator
from django.utils import formats
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

COUNT_CAP = 1000
MAX_REACH = 2**40


class BoundedPaginator(Paginator):
    """Django's Paginator, with a count capped at `cap` rows (or the end of the page asked for, if further).

    `count` is exact when `count_exact`; otherwise it is one more than `count_floor`, the number of rows it
    read ("more than count_floor"), and `num_pages` one more than the full pages those rows fill, so that
    the current page still has a next one. Asking for a later page widens the window to that page."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, cap: int | None = None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.count_floor = max(COUNT_CAP if cap is None else cap, int(self.per_page))

    def reach(self, number) -> None:
        """Widen the counted window to the end of page `number` (before or after the count was read)."""
        with suppress(TypeError, ValueError):
            end = int(number) * int(self.per_page)
            # Past any real table (a forged `page=10**20` would overflow SQL's LIMIT): not widened, so 404.
            if self.count_floor < end <= MAX_REACH:
                self.count_floor = end
                for cached in ("count", "num_pages"):
                    self.__dict__.pop(cached, None)

    def validate_number(self, number):
        self.reach(number)
        return super().validate_number(number)

    @property
    def count(self) -> int:
        if "count" not in self.__dict__:
            rows = self.object_list
            if hasattr(rows, "query"):
                # No ordering, no joined columns: PostgreSQL stops after count_floor + 1 index entries.
                self.__dict__["count"] = rows.order_by().values("pk")[: self.count_floor + 1].count()
            else:
                self.__dict__["count"] = min(len(rows), self.count_floor + 1)
        return self.__dict__["count"]

    @property
    def count_exact(self) -> bool:
        return self.count <= self.count_floor

    @property
    def count_display(self) -> str:
        """The count as people read it: "42", or "1000+" (localized) past the cap."""
        return formats.localize(self.count) if self.count_exact else f"{formats.localize(self.count_floor)}+"

    @property
    def num_pages_display(self) -> str:
        if self.count_exact:
            return formats.localize(self.num_pages)
        return f"{formats.localize(self.count_floor // int(self.per_page))}+"


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's, with `page` exactly as the schema says: absent, or a page number. DRF would also take `page=`
    and `page=last`; here anything but digits is an invalid page (404, as a page out of range).

    The count is bounded (BoundedPaginator): `count` is exact up to COUNT_CAP orders (or up to the end of
    the page asked for), and `countExact` says whether it is; when false, `count` is one more than the rows
    counted ("more than count - 1") and `next` still leads to the following page."""

    django_paginator_class = BoundedPaginator

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not (value.isascii() and value.isdigit()):
            raise NotFound(self.invalid_page_message.format(page_number=value, message="not a page number"))
        return value

    def get_paginated_response(self, data) -> Response:
        paginator = self.page.paginator
        return Response(dict([
            ("count", paginator.count),
            ("countExact", paginator.count_exact),
            ("next", self.get_next_link()),
            ("previous", self.get_previous_link()),
            ("results", data),
        ]))

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"Exact up to {COUNT_CAP} (or up to the end of the page asked for); past it, one more than the "
            "rows counted, with countExact false."
        )
        response["properties"] = {"count": response["properties"].pop("count"),
                                   "countExact": {"type": "boolean", "example": True,
                                                  "description": "Whether count is the exact total."},
                                   **response["properties"]}
        response["required"] = [*response.get("required", []), "countExact"]
        return response
