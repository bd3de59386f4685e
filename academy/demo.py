"""Demo data shared by `seed_demo` and `demo_logins`: who exists and how they sign in."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

DEMO_PASSWORD = "care-academy-demo"
# Fixed so that an authenticator app set up once keeps working after `make run` re-seeds.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCAREACADEMY23456"

DEMO_STAFF = [
    ("manager@demo.academy", "Maya Patel", "manager"),
    ("staff@demo.academy", "Sam Okafor", "staff"),
    ("staff2@demo.academy", "Priya Shah", "staff"),
]
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
