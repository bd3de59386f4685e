"""Create (or bring up to date) the demo academy: a manager, staff, providers, learners and their courses.

Each app seeds its own part in `<app>/demo.py` (`seed_demo(*, now)`), found by discovery and run
bottom layer first, so this command imports no feature app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from academy.discovery import app_hooks
from academy.models import User


class Command(BaseCommand):
    help = "Create the demo data; safe to run again (it updates rather than duplicates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Allow running with DEBUG off.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to create demo accounts with DEBUG off; pass --force if you mean it.")
        now = timezone.now()
        seeds = cast(list[Callable[..., str]], app_hooks("demo", "seed_demo"))
        summary = [part for part in (seed(now=now) for seed in seeds) if part]
        users = User.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {users} users; {', '.join(summary)}."))
