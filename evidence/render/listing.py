"""The All claims table's sort order, and lists in pages (`SiteInfo.list_page_size`): the
pieces renderer and generated pages share. Plain data only; the pages themselves are in
evidence/pages/list_pages.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from evidence.content.model import Claim, Unit

T = TypeVar("T")
#: Under the All claims page's folder: its other pages, and the rows its script fetches.
PAGE_DIR = "page"
ROWS_DIR = "rows"


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` in pages of `size` (at least one page, maybe empty)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def page_src(first: str, number: int) -> str:
    """Page `number` of the list whose first page is `first` (claims.md → claims/page/2.md)."""
    return first if number == 1 else f"{first.removesuffix('.md')}/{PAGE_DIR}/{number}.md"


def row_files(claims_page: str, rows: Sequence[T], size: int) -> dict[str, Sequence[T]]:
    """The All claims rows after its first page, by where they are published (page 2's at
    claims/rows/2.json), for evidence-rows.js."""
    parts = chunks(rows, size)[1:]
    return {f"{claims_page.removesuffix('.md')}/{ROWS_DIR}/{n}.json": part for n, part in enumerate(parts, 2)}


@dataclass(frozen=True)
class Pager:
    """Links between the pages of one list, relative to the page showing them."""

    current: int
    hrefs: tuple[str, ...]  # page 1 first
    total: int  # items in the whole list
    size: int  # items a page

    @classmethod
    def of(cls, link: Callable[[str], str], first: str, current: int, total: int, size: int) -> Pager:
        """Page `current` of `total` items, `size` a page; `link` makes a page's source path
        (see `page_src`) a link from the page showing the pager."""
        count = max(1, -(-total // size))
        return cls(current, tuple(link(page_src(first, n)) for n in range(1, count + 1)), total, size)

    @property
    def pages(self) -> list[dict[str, object]]:
        return [{"number": n, "href": href} for n, href in enumerate(self.hrefs, 1)]

    @property
    def first(self) -> int:
        return (self.current - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.total, self.current * self.size)

    @property
    def previous(self) -> str | None:
        return self.hrefs[self.current - 2] if self.current > 1 else None

    @property
    def next(self) -> str | None:
        return self.hrefs[self.current] if self.current < len(self.hrefs) else None


#: How the table sorts "Number as stated": by unit first (percentages, ratios, counts, then
#: durations), durations in days so 4 weeks comes before 3 months.
_UNIT_ORDER = {Unit.percent: (0, 1.0), Unit.ratio: (1, 1.0), Unit.count: (2, 1.0)}
_UNIT_ORDER |= {Unit.weeks: (3, 7.0), Unit.months: (3, 365.25 / 12), Unit.years: (3, 365.25)}


def measure(claim: Claim) -> tuple[int, str]:
    """(unit group, value in that group's unit) for the claims table's sort; ('', '') for none."""
    stat = claim.statistic
    number = None if stat is None else stat.value if stat.value is not None else stat.low
    if stat is None or number is None:
        return (len(_UNIT_ORDER), "")
    group, scale = _UNIT_ORDER[stat.unit]
    return (group, repr(float(number) * scale))
