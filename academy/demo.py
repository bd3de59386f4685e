"""Demo data shared by `seed_demo` and `demo_logins`: who exists and how they sign in.

Each app seeds its own part of the demo in `<app>/demo.py`, whose `seed_demo(*, now)` the command
finds by discovery and calls bottom layer first (academy, providers, candidates, courses, ...),
so each part can use what the layers below it made. Each returns a few words for the summary.
"""

from __future__ import annotations

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time

from academy.models import Academy, AcademyMembership, Region, RegionalViewer, User
from academy.postcodes import postcodes_load_demo

DEMO_PASSWORD = "care-academy-demo"
# Fixed so that an authenticator app set up once keeps working after `make run` re-seeds.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCAREACADEMY23456"

DEMO_STAFF = [
    ("manager@demo.academy", "Maya Patel", "manager"),
    ("staff@demo.academy", "Sam Okafor", "staff"),
    ("staff2@demo.academy", "Priya Shah", "staff"),
]
# Two academies of one region share the portal (a city and a coastal district) and a provider.
DEMO_REGION = "Northern Care Academies Partnership"
DEMO_ACADEMIES = [
    {
        "slug": "academy",  # the installation's first academy, which the existing demo data belongs to
        "name": "Leeds City Care Academy",
        "councils": "Leeds City Council",
        "postcode_areas": "LS WF BD",
        "contact_email": "careacademy@leeds.example",
        "contact_phone": "0113 496 0000",
        "address": "Merrion House, 110 Merrion Centre, Leeds",
    },
    {
        "slug": "fylde-coast",
        "name": "Fylde Coast Care Academy",
        "councils": "Blackpool Council, Fylde Borough Council, Wyre Council",
        "postcode_areas": "FY PR",
        "contact_email": "careacademy@fyldecoast.example",
        "contact_phone": "01253 496 000",
        "address": "Bickerstaffe House, Talbot Road, Blackpool",
    },
]
DEMO_COAST_STAFF = [
    ("coast.manager@demo.academy", "Rhiannon Doyle", "manager"),
    ("coast.staff@demo.academy", "Callum Fraser", "staff"),
]
# A regional manager: sees both academies side by side and combined, changes neither.
DEMO_REGIONAL_MANAGER = ("region@demo.academy", "Nadia Hussain")

DEMO_PROVIDERS = [
    {
        "name": "Riverside Home Care",
        "kind": "home_care",
        "postcode": "LS9 8AB",
        "address": "12 Riverside Way\nLeeds",
        "contact_email": "recruitment@riverside.example",
        "users": [("provider@demo.academy", "Helen Brooks"), ("provider.rota@demo.academy", "Tom Reilly")],
    },
    {
        "name": "Oakwood Nursing Home",
        "kind": "nursing",
        "postcode": "PL4 6QT",
        "address": "Oakwood Lane\nPlymouth",
        "contact_email": "manager@oakwood.example",
        "users": [("oakwood@demo.academy", "Grace Mensah")],
    },
]
DEMO_LEARNERS = [
    ("learner@demo.academy", "Jordan Lee"),
    ("learner2@demo.academy", "Aisha Rahman"),
    ("learner3@demo.academy", "Daniel Novak"),
    ("learner4@demo.academy", "Bernadette Quinn"),
    ("learner5@demo.academy", "Kwame Asante"),
]


def demo_totp_code() -> str:
    """The current six-digit code for the demo staff, manager and provider accounts."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counters[len(counters) // 2]))


def demo_user(email: str, full_name: str, role: str) -> User:
    """The demo account with this email, created with the demo password if new; its email is verified."""
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "role": role})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_with_totp(user: User) -> User:
    """Staff, managers and provider users need TOTP; the demo ones share one secret (`make totp`)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def demo_academy(slug: str) -> Academy:
    return Academy.objects.get(slug=slug)


def _seed_academies() -> tuple[Academy, Academy]:
    region, _ = Region.objects.get_or_create(name=DEMO_REGION)
    first = Academy.objects.default()
    academies = []
    for details in DEMO_ACADEMIES:
        slug = details["slug"]
        academy = first if slug == first.slug else Academy.objects.filter(slug=slug).first() or Academy(slug=slug)
        for name, value in details.items():
            setattr(academy, name, value)
        academy.region = region
        academy.save()
        academies.append(academy)
    return academies[0], academies[1]


def seed_demo(*, now: datetime) -> str:
    """Academy's part of `seed_demo`: two academies of a region, their staff and managers with
    two-factor set up, and a regional manager."""
    city, coast = _seed_academies()
    for email, name, role in DEMO_STAFF:
        user = demo_with_totp(demo_user(email, name, role))
        AcademyMembership.objects.get_or_create(user=user, academy=city)
    for email, name, role in DEMO_COAST_STAFF:
        user = demo_with_totp(demo_user(email, name, role))
        AcademyMembership.objects.get_or_create(user=user, academy=coast)
    regional = demo_with_totp(demo_user(*DEMO_REGIONAL_MANAGER, "manager"))
    RegionalViewer.objects.get_or_create(user=regional, region=city.region)
    # Centroids for the demo areas, so the job board sorts the demo vacancies by distance.
    postcodes_load_demo()
    staff = User.objects.filter(role__in=["staff", "manager"]).count()
    return f"{Academy.objects.count()} academies, {staff} staff and managers"
