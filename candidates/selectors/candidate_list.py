"""What the staff candidate list, its CSV export and its bulk actions read.

Performance contract: a COUNT, the page's ids and the page's rows (CandidatePaginator), whatever
the number of rows and filters. Filters on other tables (barriers, equality answers, DBS checks,
enrolments) are EXISTS or scalar subqueries, so a candidate never appears twice and no DISTINCT
is needed over a large join.

Course and cohort filters and the "add to cohort" action belong to the courses app, which sits
above this one: the list finds them in `courses/candidate_list.py` through academy.discovery
(`list_hook`) and works without them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import BooleanField, CharField, Exists, F, Func, OrderBy, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.functional import cached_property

from academy.discovery import app_hooks
from academy.models import Role, User
from candidates.models import (
    Candidate,
    CandidateBarrier,
    CandidateQuerySet,
    Consent,
    ConsentKind,
    DbsCheck,
    EqualityMonitoring,
    PipelineStage,
)
from candidates.models.choices import Ethnicity, Sex, UnderrepresentedGroup, YesNo
from candidates.services.records import phone_key

# Sort key -> ORDER BY; every ordering ends with the primary key so pages never overlap, and each
# has a matching index (Candidate.Meta.indexes). "time_in_stage" ascending is the shortest time
# first, i.e. the latest stage_entered_at first; within a stage, the longest waiting come first.
SORT_ORDERINGS: dict[str, tuple[str, ...]] = {
    "name": ("last_name", "first_name", "id"),
    "registered": ("created_at", "id"),
    "stage": ("stage__position", "stage__name", "stage_entered_at", "id"),
    "time_in_stage": ("-stage_entered_at", "-id"),
}
DEFAULT_SORT = "-registered"
SORT_CHOICES = [key for name in SORT_ORDERINGS for key in (name, f"-{name}")]

OWNER_ME = "me"
OWNER_UNASSIGNED = "unassigned"
STAGE_OPEN = "open"
DBS_NONE = "none"  # the DBS status filter's "no check yet"
# The order of a person's checks, newest (their current one) first (as candidates.selectors.dbs).
DBS_NEWEST_FIRST = ("-started_on", "-created_at", "-pk")

# Equality answers that place someone in an underrepresented group (over_50 comes from date of birth).
EQUALITY_GROUP_CONDITIONS: dict[str, Q] = {
    UnderrepresentedGroup.MEN: Q(sex=Sex.MALE),
    UnderrepresentedGroup.ETHNIC_MINORITY: ~Q(ethnicity__in=["", Ethnicity.WHITE_BRITISH, Ethnicity.PREFER_NOT]),
    UnderrepresentedGroup.DISABLED: Q(disability=YesNo.YES),
    UnderrepresentedGroup.CARE_LEAVER: Q(care_leaver=YesNo.YES),
    UnderrepresentedGroup.REFUGEE: Q(refugee=YesNo.YES),
    UnderrepresentedGroup.ARMED_FORCES: Q(armed_forces=YesNo.YES),
    UnderrepresentedGroup.CAREER_RETURNER: Q(career_returner=YesNo.YES),
}
OVER_50_AGE = 50

POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?(\d[A-Z]{2})?$")
PHONE_RE = re.compile(r"^[\d\s()+\-.]+$")
MIN_PHONE_DIGITS = 4


@dataclass(frozen=True)
class CandidateListFilters:
    """The list's filters and sort, already validated (see forms.candidate_list.CandidateFilterForm)."""

    search: str = ""
    stage_ids: tuple[int, ...] = ()  # one stage, or every open stage
    source: str = ""
    groups: tuple[str, ...] = ()
    barrier: str = ""
    registered_from: date | None = None
    registered_to: date | None = None
    owner_id: int | None = None
    unassigned: bool = False
    dbs_status: str = ""  # a DbsCheck status of the person's current check, or DBS_NONE
    course: str = ""  # public ids, offered by courses/candidate_list.py
    cohort: str = ""
    sort: str = DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        """Whether anything narrows the list (the sort does not)."""
        return any(
            [
                self.search,
                self.stage_ids,
                self.source,
                self.groups,
                self.barrier,
                self.registered_from,
                self.registered_to,
                self.owner_id,
                self.unassigned,
                self.dbs_status,
                self.course,
                self.cohort,
            ]
        )

    def summary(self) -> dict[str, object]:
        """The filters in force, for audit entries (codes and ids, never personal data from the rows)."""
        values: dict[str, object] = {
            "search": self.search,
            "stages": list(self.stage_ids),
            "source": self.source,
            "groups": list(self.groups),
            "barrier": self.barrier,
            "registered_from": self.registered_from.isoformat() if self.registered_from else None,
            "registered_to": self.registered_to.isoformat() if self.registered_to else None,
            "owner": self.owner_id,
            "unassigned": self.unassigned,
            "dbs_status": self.dbs_status,
            "course": self.course,
            "cohort": self.cohort,
        }
        return {key: value for key, value in values.items() if value} | {"sort": self.sort}


@dataclass(frozen=True)
class CandidateListOptions:
    """Choices for the filter and bulk-action forms, loaded once per page (two queries, three with courses)."""

    stages: list[PipelineStage]
    owners: list[User]
    # (public id, label) pairs from courses/candidate_list.py; empty without the courses app.
    courses: list[tuple[str, str]] = field(default_factory=list)
    cohorts: list[tuple[str, str]] = field(default_factory=list)
    addable_cohorts: list[tuple[str, str]] = field(default_factory=list)
    has_courses: bool = False

    @property
    def active_stages(self) -> list[PipelineStage]:
        return [stage for stage in self.stages if stage.is_active]

    @property
    def active_owners(self) -> list[User]:
        return [user for user in self.owners if user.is_active]


def list_hook(name: str) -> Callable[..., Any] | None:
    """`name` from an app above that extends the list (courses/candidate_list.py), or None without one."""
    hooks = app_hooks("candidate_list", name)
    return cast(Callable[..., Any], hooks[0]) if hooks else None


def candidate_list_options(actor: User | None = None) -> CandidateListOptions:
    """Every pipeline stage (people may still sit in a retired one) and every staff or manager account.

    With `actor`, also the course and cohort choices the courses app offers them (one more query).
    """
    course_choices = list_hook("candidate_list_choices")
    courses = course_choices(actor) if actor is not None and course_choices is not None else None
    return CandidateListOptions(
        stages=list(PipelineStage.objects.order_by("position", "name")),
        owners=list(
            User.objects.filter(role__in=[Role.STAFF, Role.MANAGER]).order_by("-is_active", "full_name", "email")
        ),
        courses=courses.courses if courses else [],
        cohorts=courses.cohorts if courses else [],
        addable_cohorts=courses.addable_cohorts if courses else [],
        has_courses=courses is not None,
    )


def current_dbs_status() -> Subquery:
    """A Candidate annotation: the status of their current (newest) DBS check, NULL without one."""
    newest = DbsCheck.objects.filter(candidate=OuterRef("pk")).order_by(*DBS_NEWEST_FIRST).values("status")[:1]
    return Subquery(newest)


# The name as searched: the trigram index candidates_search_name_trgm (migration 0019) is on this
# same expression, so it must stay as written there.
SEARCH_NAME_EXPRESSION = Func(
    F("first_name"),
    F("last_name"),
    template="UPPER(%(expressions)s)",
    arg_joiner=" || ' ' || ",
    output_field=CharField(),
)

SEARCH_PHONE = "phone"
SEARCH_POSTCODE = "postcode"
SEARCH_EMAIL = "email"
SEARCH_NAME = "name"


def candidate_search_kind(term: str) -> str:
    """What a search term looks like: a phone number, a postcode, an email address, else a name.

    A phone-like term (digits and phone punctuation, at least four digits) is looked for only in the
    phone key, and a postcode-like one only in the postcode: matching "07700 9" or "LS9" against names
    and emails could never find anyone, and would stop PostgreSQL using one index for the search.
    """
    term = " ".join(term.split())
    if PHONE_RE.match(term) and len(phone_key(term)) >= MIN_PHONE_DIGITS:
        return SEARCH_PHONE
    if POSTCODE_RE.match(term.replace(" ", "").upper()):
        return SEARCH_POSTCODE
    if "@" in term:
        return SEARCH_EMAIL
    return SEARCH_NAME


def candidate_search_q(term: str) -> Q:
    """Match a phone number in any format (phone key), a postcode with or without its space (postcode), an
    email address (email), or else a name (every word) or part of an email.

    On PostgreSQL each branch is served by an index (migration 0019): trigram GIN indexes on the
    upper-cased names, email and phone key, and a pattern index on the upper-cased postcode. SQLite
    runs the same conditions by reading the rows.
    """
    term = " ".join(term.split())
    if not term:
        return Q()
    kind = candidate_search_kind(term)
    if kind == SEARCH_PHONE:
        return Q(phone_key__contains=phone_key(term))
    if kind == SEARCH_POSTCODE:
        compact = term.replace(" ", "").upper()
        query = Q(postcode__istartswith=term)
        if len(compact) >= 5:  # a full postcode: the inward code is always the last three characters
            query |= Q(postcode__iexact=f"{compact[:-3]} {compact[-3:]}") | Q(postcode__iexact=compact)
        return query
    if kind == SEARCH_EMAIL:
        return Q(email__icontains=term)
    words = term.split(" ")
    name_q = Q()
    for word in words:
        # A word has no space, so it is in "FIRST LAST" exactly when it is in the first or the last
        # name; one expression lets PostgreSQL intersect every word in one trigram index scan.
        name_q &= Q(Contains(SEARCH_NAME_EXPRESSION, word.upper()))
    # An email address has no spaces: only a one-word term can be part of one. (Leaving the email out
    # of a two-word search lets PostgreSQL intersect the words' index scans.)
    return name_q | Q(email__icontains=term) if len(words) == 1 else name_q


def underrepresented_group_q(groups: tuple[str, ...] | list[str], today: date) -> Q:
    """Candidates in ANY of `groups`, as one EXISTS on equality answers plus a date-of-birth test."""
    query = Q()
    equality_q = Q()
    for group in groups:
        if group == UnderrepresentedGroup.OVER_50:
            try:
                born_by = today.replace(year=today.year - OVER_50_AGE)
            except ValueError:  # 29 February
                born_by = today.replace(year=today.year - OVER_50_AGE, day=28)
            query |= Q(date_of_birth__lte=born_by)
        elif group in EQUALITY_GROUP_CONDITIONS:
            equality_q |= EQUALITY_GROUP_CONDITIONS[group]
    if equality_q:
        query |= Q(Exists(EqualityMonitoring.objects.filter(equality_q, candidate=OuterRef("pk"))))
    return query


def _ordering(sort: str) -> list[str]:
    if sort.lstrip("-") not in SORT_ORDERINGS:
        sort = DEFAULT_SORT
    descending = sort.startswith("-")
    fields = SORT_ORDERINGS[sort.lstrip("-")]
    if not descending:
        return list(fields)
    return [field[1:] if field.startswith("-") else f"-{field}" for field in fields]


def candidate_list_for_staff(
    *, candidates: CandidateQuerySet, filters: CandidateListFilters, academy_id: int | None = None
) -> QuerySet[Candidate]:
    """The staff list: `candidates` (a visible-to scope) narrowed by `filters`, sorted, with stage and owner joined.

    Anonymised records are left out: they are kept for aggregate figures, not for casework. With
    `academy_id` (the academy in use), only that academy's records: the list's indexes lead with it.
    """
    qs = candidates.current().select_related("stage", "owner")
    if academy_id is not None:
        qs = qs.filter(academy_id=academy_id)
    if filters.search:
        qs = qs.filter(candidate_search_q(filters.search))
    if filters.stage_ids:
        # Stage ids rather than a join on the stage's flags, so the stage-led indexes serve it.
        qs = qs.filter(stage_id__in=filters.stage_ids)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.barrier:
        qs = qs.filter(
            Exists(CandidateBarrier.objects.filter(candidate=OuterRef("pk"), barrier=filters.barrier)),
        )
    if filters.groups:
        qs = qs.filter(underrepresented_group_q(filters.groups, timezone.localdate()))
    if filters.registered_from:
        qs = qs.filter(created_at__gte=_start_of_day(filters.registered_from))
    if filters.registered_to:
        qs = qs.filter(created_at__lt=_start_of_day(filters.registered_to + timedelta(days=1)))
    if filters.unassigned:
        qs = qs.filter(owner__isnull=True)
    elif filters.owner_id:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.dbs_status == DBS_NONE:
        qs = qs.filter(~Exists(DbsCheck.objects.filter(candidate=OuterRef("pk"))))
    elif filters.dbs_status:
        # alias(), not annotate(): the status is compared in WHERE and never selected.
        qs = qs.alias(dbs_status=current_dbs_status()).filter(dbs_status=filters.dbs_status)
    if filters.course or filters.cohort:
        course_filter = list_hook("candidate_list_filter")
        if course_filter is not None:
            qs = qs.filter(course_filter(course=filters.course, cohort=filters.cohort))
    return qs.order_by(*_ordering(filters.sort))


def _start_of_day(day: date) -> datetime:
    # A range on the indexed column rather than `created_at__date`, which would wrap it in a function.
    return timezone.make_aware(datetime.combine(day, time.min))


def candidate_rows(ids: list[int]) -> list[Candidate]:
    """Full rows for one page of ids, in that order, with stage and owner joined (one query)."""
    by_id = Candidate.objects.select_related("stage", "owner").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


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


@dataclass(frozen=True)
class EmailAudience:
    """Who a bulk email reaches, and who is left out and why."""

    recipients: list[Candidate]
    no_email: list[Candidate]
    no_consent: list[Candidate]

    @property
    def skipped(self) -> int:
        return len(self.no_email) + len(self.no_consent)


def candidate_email_audience(candidates: QuerySet[Candidate]) -> EmailAudience:
    """Split `candidates` by whether they may be emailed: an address and consent to email (newest consent wins)."""
    newest_consent = (
        Consent.objects.filter(candidate=OuterRef("pk"), kind=ConsentKind.CONTACT_EMAIL)
        .order_by("-recorded_at", "-id")
        .values("granted")[:1]
    )
    rows = candidates.annotate(email_consent=Subquery(newest_consent, output_field=BooleanField())).order_by(
        "last_name", "first_name", "id"
    )
    recipients: list[Candidate] = []
    no_email: list[Candidate] = []
    no_consent: list[Candidate] = []
    for candidate in rows:
        if not candidate.email:
            no_email.append(candidate)
        elif candidate.email_consent is not True:
            no_consent.append(candidate)
        else:
            recipients.append(candidate)
    return EmailAudience(recipients=recipients, no_email=no_email, no_consent=no_consent)
