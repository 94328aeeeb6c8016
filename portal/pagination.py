"""Page numbers for long lists, in the shape the GOV.UK pagination component wants."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import request, url_for

Row = TypeVar("Row")


def page_number() -> int:
    """The ?page= asked for; anything odd is page 1 rather than an error."""
    value = request.args.get("page", "1")
    # isdecimal() alone lets through digits int() refuses ("²") and other scripts' digits
    if not (value.isascii() and value.isdecimal() and len(value) <= 5):
        return 1
    return int(value) or 1


@dataclass(frozen=True)
class Pagination:
    page: int
    per_page: int
    total: int
    # Where the page links go, when the page is also shown by another route (a POST's errors)
    endpoint: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_item(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_item(self) -> int:
        return min(self.total, self.page * self.per_page)

    def govuk_params(self) -> dict[str, Any]:
        """Parameters for govukPagination, keeping the current filters in each link."""

        def link(page: int) -> str:
            args: dict[str, Any] = {**request.args.to_dict(), "page": page}
            if self.endpoint:
                return url_for(self.endpoint, **args)
            return url_for(request.endpoint or "", **(request.view_args or {}), **args)

        params: dict[str, Any] = {"items": []}
        if self.page > 1:
            params["previous"] = {"href": link(self.page - 1)}
        if self.page < self.pages:
            params["next"] = {"href": link(self.page + 1)}
        for number in range(1, self.pages + 1):
            near = abs(number - self.page) <= 1 or number in (1, self.pages)
            if near:
                params["items"].append(
                    {"number": number, "href": link(number), "current": number == self.page}
                )
            elif params["items"] and not params["items"][-1].get("ellipsis"):
                params["items"].append({"ellipsis": True})
        return params


def paged(
    fetch: Callable[[int], tuple[Sequence[Row], int]],
    page: int,
    per_page: int,
    endpoint: str | None = None,
) -> tuple[Sequence[Row], Pagination]:
    """One page of rows, ``fetch(page)`` giving that page's rows and the total. A page past the
    end (an old link, after rows went or were assigned away) is the last page instead: an empty
    page would say there is nothing."""
    rows, total = fetch(page)
    pagination = Pagination(page, per_page, total, endpoint)
    if not rows and page > pagination.pages:
        pagination = Pagination(pagination.pages, per_page, total, endpoint)
        rows, _ = fetch(pagination.page)
    return rows, pagination
