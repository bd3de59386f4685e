"""Create (or bring up to date) the demo academy: a manager, staff, providers and learners."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from academy import demo
from academy.models import Role, User
from candidates.demo import seed_candidates
from candidates.demo_dbs import seed_dbs
from candidates.demo_dbs_reminders import seed_dbs_reminders
from candidates.models import Candidate, DbsCheck
from candidates.services.records import candidate_for_learner
from courses.demo import seed_courses
from courses.demo_applications import seed_applications
from courses.demo_delivery import seed_attendance
from courses.demo_outcomes import seed_outcomes
from courses.models import Cohort, Enrolment
from providers.models import Provider, ProviderMembership


class Command(BaseCommand):
    help = "Create the demo data; safe to run again (it updates rather than duplicates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Allow running with DEBUG off.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to create demo accounts with DEBUG off; pass --force if you mean it.")
        for email, name, role in demo.DEMO_STAFF:
            self._with_totp(self._user(email, name, role))
        for spec in demo.DEMO_PROVIDERS:
            fields = {k: v for k, v in spec.items() if k not in ("name", "users")}
            provider, _ = Provider.objects.update_or_create(name=spec["name"], defaults=fields)
            for email, name in spec["users"]:
                user = self._with_totp(self._user(email, name, Role.PROVIDER))
                ProviderMembership.objects.update_or_create(user=user, defaults={"provider": provider})
        for email, name in demo.DEMO_LEARNERS:
            learner = self._user(email, name, Role.LEARNER)
            if not Candidate.objects.filter(user=learner).exists():
                candidate_for_learner(learner)
        staff = list(User.objects.filter(role__in=[Role.STAFF, Role.MANAGER]).order_by("email"))
        created = seed_candidates(owners=staff)
        now = timezone.now()
        seed_courses(now=now)
        seed_applications(now=now)
        seed_attendance(now=now)
        seed_outcomes(now=now)
        seed_dbs(today=timezone.localdate())
        seed_dbs_reminders(today=timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {User.objects.count()} users, {Provider.objects.count()} providers, "
                f"{Candidate.objects.count()} candidates ({created} new), {Cohort.objects.count()} cohorts, "
                f"{Enrolment.objects.count()} enrolments, {DbsCheck.objects.count()} DBS checks."
            )
        )

    def _user(self, email: str, full_name: str, role: str) -> User:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "role": role})
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    @staticmethod
    def _with_totp(user: User) -> User:
        """Staff, managers and provider users need TOTP; the demo ones share one secret (`make totp`)."""
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, demo.DEMO_TOTP_SECRET)
        return user
