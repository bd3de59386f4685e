"""What the staff candidate list, its CSV export and its bulk actions read.

Performance contract: a COUNT, the page's ids and the page's rows (selectors/list_pages.py), whatever
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

from django.db.models import BooleanField, CharField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import Contains
from django.utils import timezone

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
