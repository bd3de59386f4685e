"""Which academy a member of staff is working in, and which academies they may read or change.

Staff and managers work in one academy at a time. The choice and the academies they may use are
kept in the session when they sign in or switch, so scoping a page costs no query. Outside a
request (tasks, commands, tests calling a `*_visible_to` directly) they are read from the database
once and kept on the user object.

A regional manager may also open every academy of their region, read-only: `AcademyReadOnlyMiddleware`
refuses changes there, in one place, whatever the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Q

from academy.models import Academy, User

SESSION_KEY = "academy_access"


@dataclass(frozen=True)
class AcademyChoice:
    id: int
    name: str
    writable: bool


@dataclass(frozen=True)
class AcademyAccess:
    """What one member of staff may use: their academies (writable) and their regions' (read-only)."""

    choices: tuple[AcademyChoice, ...]
    in_use_id: int | None
    # The installation's first academy: rows made before there were several belong to it.
    first_id: int | None = None

    @property
    def in_use_is_first(self) -> bool:
        return self.in_use_id is not None and self.in_use_id == self.first_id

    @property
    def in_use(self) -> AcademyChoice | None:
        return next((c for c in self.choices if c.id == self.in_use_id), None)

    @property
    def writable(self) -> bool:
        return bool(self.in_use and self.in_use.writable)

    @property
    def readable_ids(self) -> list[int]:
        return [c.id for c in self.choices]

    def using(self, academy_id: int) -> AcademyAccess:
        if academy_id not in self.readable_ids:
            raise ValueError("Not an academy this person may use.")
        return AcademyAccess(self.choices, academy_id, self.first_id)

    def to_session(self) -> dict[str, Any]:
        choices = [[c.id, c.name, c.writable] for c in self.choices]
        return {"choices": choices, "in_use": self.in_use_id, "first": self.first_id}

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> AcademyAccess:
        choices = tuple(AcademyChoice(int(i), str(n), bool(w)) for i, n, w in data["choices"])
        return cls(choices, data["in_use"], data.get("first"))


def load_access(user: User, prefer: int | None = None) -> AcademyAccess:
    """Read a member of staff's academies from the database.

    Someone with no membership on an installation with a single academy works in it (so a
    `createsuperuser` account or an older account keeps working); with several academies they
    see nothing until a manager adds them to one."""
    if not (user.is_authenticated and user.is_academy_staff):
        return AcademyAccess((), None)
    member = set(user.academy_memberships.values_list("academy_id", flat=True))
    regional = Academy.objects.filter(region__viewers__user=user)
    academies = Academy.objects.filter(Q(pk__in=member) | Q(pk__in=regional.values("pk"))).order_by("name")
    choices = [AcademyChoice(a.pk, a.name, a.pk in member) for a in academies]
    first_two = list(Academy.objects.order_by("id")[:2])
    if not choices and len(first_two) == 1:
        choices = [AcademyChoice(first_two[0].pk, first_two[0].name, True)]
    ids = [c.id for c in choices]
    writable = [c.id for c in choices if c.writable]
    in_use = prefer if prefer in ids else (writable[0] if writable else ids[0] if ids else None)
    return AcademyAccess(tuple(choices), in_use, first_two[0].pk if first_two else None)


def access_for_session(user: User, session: SessionBase) -> AcademyAccess:
    """The access kept in the session, loaded (and kept) the first time."""
    data = session.get(SESSION_KEY)
    if data:
        return AcademyAccess.from_session(data)
    access = load_access(user)
    session[SESSION_KEY] = access.to_session()
    return access


def remember(session: SessionBase, access: AcademyAccess) -> None:
    session[SESSION_KEY] = access.to_session()


def access_of(user: User) -> AcademyAccess:
    """The user's access: set on the request's user by the middleware, else loaded once."""
    access = getattr(user, "academy_access", None)
    if access is None:
        access = load_access(user)
        if user.is_authenticated:
            user.academy_access = access
    return access


# No academy has this key: a filter on it matches no row.
NO_ACADEMY = 0


def academy_in_use_id(user: User) -> int:
    """The academy whose records a member of staff sees now (NO_ACADEMY when none: they see nothing)."""
    return access_of(user).in_use_id or NO_ACADEMY


def can_change_in_academy(user: User, academy_id: int | None) -> bool:
    """Staff change records only of an academy they belong to (a regional view is read-only)."""
    access = access_of(user)
    return any(c.id == academy_id and c.writable for c in access.choices)


def use_academy(user: User, academy_id: int) -> AcademyAccess:
    """For tests and tasks: work in another of the user's academies."""
    access = access_of(user).using(academy_id)
    user.academy_access = access
    return access


def start_session_in_academy(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    """On sign-in, keep the academies the person may use in the session (their first one in use)."""
    if request is not None and hasattr(request, "session"):
        remember(request.session, load_access(user))
