"""Pages of the staff candidate list (selectors/candidate_list.py) at any size.

Performance contract: three queries a page (a capped count, the page's ids, the page's rows), two for
a search (count and ids together), whatever the number of candidates. See docs/benchmarks.md.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, OrderBy, QuerySet, Value
from django.utils.functional import cached_property

from candidates.models import Candidate, PipelineStage
from candidates.selectors.candidate_list import candidate_rows

# Lists longer than this are not counted: "more than 10,000" is as useful to a person as the exact
# figure, and counting a million rows costs more than the rest of the page together.
COUNT_CAP = 10_000
LAST_PAGE = "last"


STAGE_ORDER = ("stage__position", "stage__name")


def _nulls_other_side(name: str) -> OrderBy:
    if name.startswith("-"):
        return F(name[1:]).desc(nulls_last=True)
    return F(name).asc(nulls_first=True)


def stage_sorted_ids(
    queryset: QuerySet[Candidate],
    ordering: list[str],
    bottom: int,
    top: int,
    stages: list[PipelineStage] | None = None,
) -> list[int]:
    """Ids `bottom:top` of `queryset` sorted by stage (then `ordering[2:]`), without sorting the whole list.

    The stage's position lives in another table, so no index on the candidates follows it: sorting by
    stage would sort every matching row for each page. Instead, one query reads the first `top` ids of
    each stage from the (academy, stage, time in stage, id) index, ranks the stages by position, and
    sorts only those (at most `top` per stage). PostgreSQL only (a UNION of ordered, limited queries).
    `stages`, in position order, saves a query when the caller has them.
    """
    if stages is None:
        stages = list(PipelineStage.objects.order_by(*(name.removeprefix("stage__") for name in STAGE_ORDER)))
    stages = list(stages)
    if ordering[0].startswith("-"):
        stages.reverse()
    within = ordering[2:]
    parts = [
        queryset.filter(stage_id=stage.pk)
        .order_by(*within)
        .annotate(stage_rank=Value(rank))
        .values_list("pk", "stage_rank", *(name.lstrip("-") for name in within))[:top]
        for rank, stage in enumerate(stages)
    ]
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = union.order_by("stage_rank", *within)[bottom:top]
    return [row[0] for row in rows]


class CandidatePage(Page[Candidate]):
    """A page of a list too long to count (more than COUNT_CAP): numbered from the start (1, 2, ...) or,
    negative, from the end (-1 is the last page, -2 the one before), so both ends are one query away.

    `more` says whether another page lies beyond this one, away from the end it is numbered from.
    """

    def __init__(self, object_list: list[Candidate], number: int, paginator: CandidatePaginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    @property
    def from_end(self) -> bool:
        return self.number < 0

    @property
    def label(self) -> str:
        """ "page 3", "last page" or "page 2 from the end", for the title and the table's caption."""
        if self.number > 0:
            return f"page {self.number}"
        return "last page" if self.number == -1 else f"page {-self.number} from the end"

    @property
    def short_label(self) -> str:
        return f"Page {self.number}" if self.number > 0 else f"{-self.number} from the end"

    @property
    def is_last(self) -> bool:
        return self.number == -1 or (self.number > 0 and not self.more)

    def has_next(self) -> bool:
        return self.number < -1 or (self.number > 0 and self.more)

    def has_previous(self) -> bool:
        return self.number > 1 or (self.number < 0 and self.more)

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.number > 0 else 0

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.number > 0 else 0


class CandidatePaginator(Paginator[Candidate]):
    """Reads a page in two steps: the page's ids, then its rows ("deferred join"), and never counts
    past COUNT_CAP.

    The ids query touches only indexed columns, so the database can walk a covering index: deep
    pages skip 12,000 index entries instead of 12,000 table rows, and a sort by stage orders
    small index tuples instead of whole rows. The rows are then fetched by primary key.

    The count reads at most COUNT_CAP + 1 ids. Up to the cap the list is paged as usual. Past it
    (`is_capped`) the page count is unknown, so pages are numbered from either end: page N is read
    with OFFSET in the list's order, and the last pages ("last", -1, -2, ...) in the reverse order,
    which the same indexes serve backwards. Whatever the page, three queries (count, ids, rows).
    """

    def __init__(
        self, *args: Any, stages: list[PipelineStage] | None = None, searching: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stages = stages  # every stage in position order, if the caller has them (saves a query)
        self.searching = searching

    @cached_property
    def count(self) -> int:
        # Unordered, so the database may stop at the first COUNT_CAP + 1 matches in any index.
        capped = self.object_list.order_by().values("pk")[: COUNT_CAP + 1]  # type: ignore[attr-defined]
        return cast(int, capped.count())

    @property
    def count_cap(self) -> int:
        return COUNT_CAP

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP

    def _ids(self, queryset: QuerySet[Candidate], bottom: int, top: int) -> list[int]:
        ordering = [str(name) for name in queryset.query.order_by]  # field names, as _ordering() gives
        if self.searching and not self.is_capped:
            # A search matching at most COUNT_CAP rows (known from the count): find them through the
            # search indexes and sort them, rather than walk a sorted index hoping to meet 25 matches
            # early (PostgreSQL's choice when it overestimates the matches: a second per page at 1M
            # for a postcode). Putting NULLs on the other side (no column here is NULL, so the order
            # is the same) stops any index from providing the order.
            queryset = queryset.order_by(*(_nulls_other_side(name) for name in ordering))
            return list(queryset.values_list("pk", flat=True)[bottom:top])
        if (
            ordering[:2] in (list(STAGE_ORDER), [f"-{name}" for name in STAGE_ORDER])
            and connections[queryset.db].features.supports_slicing_ordering_in_compound
        ):
            return stage_sorted_ids(queryset, ordering, bottom, top, self.stages)
        return list(queryset.values_list("pk", flat=True)[bottom:top])

    def page(self, number: int | str) -> Page[Candidate]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(candidate_rows(self._ids(self.object_list, bottom, top)), number, self)  # type: ignore[arg-type]

    def get_page(self, number: object) -> Page[Candidate]:
        if self.searching and "count" not in self.__dict__:
            page = self.search_page(number)
            if page is not None:
                return page
        if not self.is_capped:
            if number == LAST_PAGE or (isinstance(number, str) and number.startswith("-")):
                number = self.num_pages
            return super().get_page(number if isinstance(number, int | str) else None)
        if number == LAST_PAGE:
            return self.capped_page(-1)
        try:
            wanted = int(str(number))
        except (TypeError, ValueError):
            wanted = 1
        return self.capped_page(wanted or 1)

    def search_page(self, number: object) -> Page[Candidate] | None:
        """A page of a search, with the count, from one query: the matches (at most COUNT_CAP + 1, found
        through the search indexes), counted by a window function, sorted, and the page's ids kept.

        None when that cannot answer: the last page asked for by name, a page beyond the end, or more
        than COUNT_CAP matches (the other pages are then read as for any long list).
        """
        try:
            wanted = int(str(number))
        except (TypeError, ValueError):
            wanted = 1 if number in (None, "") else 0
        if wanted < 1:
            return None
        queryset = self.object_list
        ordering = [str(name) for name in queryset.query.order_by]  # type: ignore[attr-defined]
        names = [name.lstrip("-") for name in ordering]
        columns = ["pk", *(name for name in names if name not in ("pk", "id"))]
        positions = [1 if name in ("pk", "id") else columns.index(name) + 1 for name in names]
        order = ", ".join(
            f"{position} {'DESC' if name.startswith('-') else 'ASC'}"
            for position, name in zip(positions, ordering, strict=True)
        )
        matches = queryset.order_by().values_list(*columns)[: COUNT_CAP + 1]  # type: ignore[attr-defined]
        sql, params = matches.query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(
                f"SELECT matches.*, COUNT(*) OVER () FROM ({sql}) AS matches ORDER BY {order} LIMIT %s OFFSET %s",  # noqa: S608 - positions and directions only
                (*params, self.per_page, (wanted - 1) * self.per_page),
            )
            rows = cursor.fetchall()
        if not rows:
            if wanted == 1:  # nothing matches
                self.__dict__["count"] = 0
                return Page([], 1, self)
            return None
        total = rows[0][-1]
        self.__dict__["count"] = total  # capped at COUNT_CAP + 1 by the query, as the count property
        if total > COUNT_CAP:
            return None
        if self.orphans and wanted < self.num_pages:
            return None  # orphans would join this page: the usual way handles them
        return Page(candidate_rows([row[0] for row in rows]), wanted, self)

    def capped_page(self, number: int) -> CandidatePage:
        """Page `number` (negative: counted from the end) of a list longer than COUNT_CAP."""
        size = self.per_page
        queryset = cast(QuerySet[Candidate], self.object_list)
        queryset = queryset if number > 0 else queryset.reverse()
        skip = (abs(number) - 1) * size
        ids = self._ids(queryset, skip, skip + size + 1)  # one more: is there another page?
        if not ids and number != 1:  # beyond the end (a link saved when the list was longer): the last page
            return self.capped_page(-1 if number > 0 else 1)
        more = len(ids) > size
        ids = ids[:size]
        if number < 0:
            ids.reverse()
        return CandidatePage(candidate_rows(ids), number, self, more=more)
