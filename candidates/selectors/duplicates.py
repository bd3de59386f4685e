"""Finding records that probably describe the same person.

Two records are possible duplicates when they share an email address (case-insensitive), a phone
number (compared by `Candidate.phone_key`, so formatting does not matter) or a first and last name
(case-insensitive) together with a date of birth. Only current records count: one that has already
been merged into another is history, not a duplicate, and an anonymised record no longer
identifies anyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from candidates.models import Candidate
from candidates.services.records import phone_key as make_phone_key

SAME_EMAIL = "same email"
SAME_PHONE = "same phone"
SAME_NAME_AND_DOB = "same name and date of birth"


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing record and why it looks like the same person."""

    candidate: Candidate
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PersonDetails:
    """What identifies a person, normalised for comparison (build it with `person_details`)."""

    email: str
    phone_key: str
    first_name: str
    last_name: str
    date_of_birth: date | None

    @property
    def name_and_dob(self) -> tuple[str, str, date] | None:
        if self.first_name and self.last_name and self.date_of_birth is not None:
            return (self.first_name, self.last_name, self.date_of_birth)
        return None

    def identity_keys(self) -> list[tuple[str, object]]:
        """One key per identifying detail given: two people sharing any key may be the same person."""
        keys: list[tuple[str, object]] = []
        if self.email:
            keys.append(("email", self.email))
        if self.phone_key:
            keys.append(("phone", self.phone_key))
        if self.name_and_dob is not None:
            keys.append(("name", self.name_and_dob))
        return keys

    def reasons_to_match(self, other: PersonDetails) -> list[str]:
        """Why `other` looks like the same person (empty when it does not)."""
        reasons = []
        if self.email and self.email == other.email:
            reasons.append(SAME_EMAIL)
        if self.phone_key and self.phone_key == other.phone_key:
            reasons.append(SAME_PHONE)
        if self.name_and_dob is not None and self.name_and_dob == other.name_and_dob:
            reasons.append(SAME_NAME_AND_DOB)
        return reasons


def person_details(
    *, email: str = "", phone: str = "", first_name: str = "", last_name: str = "", date_of_birth: date | None = None
) -> PersonDetails:
    """Details normalised the way duplicates are compared: trimmed, lower case, phone as its key."""
    return PersonDetails(
        email=(email or "").strip().lower(),
        phone_key=make_phone_key(phone),
        first_name=(first_name or "").strip().lower(),
        last_name=(last_name or "").strip().lower(),
        date_of_birth=date_of_birth,
    )


def details_of(candidate: Candidate) -> PersonDetails:
    return person_details(
        email=candidate.email,
        phone=candidate.phone,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        date_of_birth=candidate.date_of_birth,
    )


def _comparable_candidates(academy_id: int | None = None) -> QuerySet[Candidate]:
    current = Candidate.objects.current().select_related("stage")
    return current if academy_id is None else current.filter(academy_id=academy_id)


def candidate_duplicates(
    *,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    exclude_pk: int | None = None,
    academy_id: int | None = None,
) -> list[DuplicateMatch]:
    """Current records (of one academy, when given) that look like the person described, with the
    reasons, in one query.

    Used by the create form (warn before saving), the record page and the merge screen.
    Returns an empty list, without a query, when nothing identifying is given.
    """
    person = person_details(
        email=email, phone=phone, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    # Each branch matches one index (the lower-cased email, the phone key, the date of birth), so
    # PostgreSQL answers with a BitmapOr of three index lookups instead of reading every record.
    condition = Q()
    if person.email:
        condition |= Q(email_lower=person.email)
    if person.phone_key:
        condition |= Q(phone_key=person.phone_key)
    if person.name_and_dob is not None:
        condition |= Q(
            date_of_birth=person.date_of_birth, first_name__iexact=person.first_name, last_name__iexact=person.last_name
        )
    if not condition:
        return []
    queryset = (
        _comparable_candidates(academy_id)
        .alias(email_lower=Lower("email"))
        .filter(condition)
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    matches = []
    for candidate in queryset:
        # The database compares with its own case rules; this keeps the reasons exact and the same everywhere.
        reasons = person.reasons_to_match(details_of(candidate))
        if reasons:
            matches.append(DuplicateMatch(candidate=candidate, reasons=reasons))
    return matches


def candidate_duplicates_of(candidate: Candidate) -> list[DuplicateMatch]:
    """Other current records that look like the same person as `candidate` (none for a merged record)."""
    if candidate.merged_into_id is not None:
        return []
    return candidate_duplicates(
        email=candidate.email,
        phone=candidate.phone,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        date_of_birth=candidate.date_of_birth,
        exclude_pk=candidate.pk,
        # Only its own academy's records: another academy's are not this academy's to see or merge.
        academy_id=candidate.academy_id,
    )


# People per query: keeps each query's parameters (about four per person) well under SQLite's and
# PostgreSQL's limits, so checking a 5,000-row import costs three queries, not 5,000.
BATCH_SIZE = 2000


def candidate_duplicates_for_many(
    people: Sequence[PersonDetails], *, academy_id: int | None = None
) -> list[list[DuplicateMatch]]:
    """For each person, in order, the current records (of one academy, when given) that look like
    them: one query per BATCH_SIZE people.

    Each query fetches every current record sharing an email, a phone key, or a last name and date
    of birth with anyone in the batch (a superset); the exact rules are then applied in memory.
    """
    found: dict[int, Candidate] = {}
    for start in range(0, len(people), BATCH_SIZE):
        batch = people[start : start + BATCH_SIZE]
        emails = {p.email for p in batch if p.email}
        keys = {p.phone_key for p in batch if p.phone_key}
        named = [n for n in (p.name_and_dob for p in batch) if n is not None]
        condition = Q()
        if emails:
            condition |= Q(email_lower__in=emails)
        if keys:
            condition |= Q(phone_key__in=keys)
        if named:
            condition |= Q(last_lower__in={n[1] for n in named}, date_of_birth__in={n[2] for n in named})
        if condition:
            queryset = _comparable_candidates(academy_id).alias(
                email_lower=Lower("email"), last_lower=Lower("last_name")
            )
            found.update((c.pk, c) for c in queryset.filter(condition))

    # Index the records by each identifying detail, so every person is matched by dictionary lookups.
    details = {pk: details_of(candidate) for pk, candidate in found.items()}
    index: dict[tuple[str, object], list[int]] = defaultdict(list)
    for pk in sorted(found):
        for key in details[pk].identity_keys():
            index[key].append(pk)

    results = []
    for person in people:
        pks = dict.fromkeys(pk for key in person.identity_keys() for pk in index.get(key, []))
        matches = [DuplicateMatch(candidate=found[pk], reasons=person.reasons_to_match(details[pk])) for pk in pks]
        results.append([m for m in matches if m.reasons])
    return results
