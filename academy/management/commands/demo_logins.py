"""Print the demo sign-ins and the current two-factor code for staff, managers and provider users."""

from typing import Any

from django.core.management.base import BaseCommand

from academy import demo


class Command(BaseCommand):
    help = "Print demo logins (after `seed_demo`) and the current TOTP code for staff, managers and providers."

    def handle(self, *args: Any, **options: Any) -> None:
        city, coast = (a["name"] for a in demo.DEMO_ACADEMIES)
        rows = [(email, f"{role}, {city}") for email, _, role in demo.DEMO_STAFF]
        rows += [(email, f"{role}, {coast}") for email, _, role in demo.DEMO_COAST_STAFF]
        rows += [(demo.DEMO_REGIONAL_MANAGER[0], "regional manager (both academies, view only)")]
        rows += [(email, "provider") for p in demo.DEMO_PROVIDERS for email, _ in p["users"]]
        rows += [(email, "learner") for email, _ in demo.DEMO_LEARNERS[:1]]
        self.stdout.write(f"\nDemo sign-ins (password for all: {demo.DEMO_PASSWORD})")
        for email, role in rows:
            self.stdout.write(f"  {email:<32} {role}")
        self.stdout.write(
            "\nStaff, managers and provider users need a two-factor code. Add the secret\n"
            f"{demo.DEMO_TOTP_SECRET} to an authenticator app, or run `make totp` for the current code\n"
            f"(now: {demo.demo_totp_code()}).\n"
        )
