"""The header's links. Each app offers its own in `<app>/navigation.py` as `nav_links(user)`;
academy's context processor discovers them (academy.discovery), so academy imports no feature app.
"""

from __future__ import annotations

from dataclasses import dataclass

from academy.models import User
from academy.permissions import can_manage_users, can_view_audit_log


@dataclass(frozen=True)
class NavLink:
    """One header link. `order` places it among every app's links (lower first)."""

    label: str
    url_name: str
    order: int


def nav_links(user: User) -> list[NavLink]:
    """Academy's own links: home, user management and the audit log for managers, the account page."""
    links = [NavLink("Home", "academy:home", 0), NavLink("Account", "account_email", 1000)]
    if can_manage_users(user):
        links.append(NavLink("Academy", "academy:academy-detail", 890))
        links.append(NavLink("Users", "academy:user-list", 900))
    if can_view_audit_log(user):
        links.append(NavLink("Audit log", "academy:audit-list", 910))
    return links
