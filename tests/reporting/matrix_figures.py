"""Matrix rows for the figures: the manager dashboard, the figures' CSV and the people behind a figure."""

from __future__ import annotations

from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Objects, Row, no_kwargs


def _people(objs: Objects) -> dict[str, str]:
    return {"key": "engagement.unique_learners"}


ROWS = {
    "reporting:dashboard": Row(no_kwargs, "get", MANAGER_ONLY),
    "reporting:figures-csv": Row(no_kwargs, "get", MANAGER_ONLY),
    "reporting:figure-people": Row(_people, "get", STAFF_ONLY),
}
