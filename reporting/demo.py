"""The reporting app's part of `seed_demo`: each area seeds in `reporting/demo_<area>.py` (`seed(*, now)`)."""

from __future__ import annotations

import importlib
import importlib.util
from datetime import datetime

AREAS = ["reports"]


def seed_demo(*, now: datetime) -> str:
    parts = []
    for area in AREAS:
        name = f"reporting.demo_{area}"
        if importlib.util.find_spec(name) is None:
            continue
        parts.append(importlib.import_module(name).seed(now=now))
    return ", ".join(part for part in parts if part)
