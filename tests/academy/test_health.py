from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from academy import health

pytestmark = pytest.mark.django_db


def test_health_reports_each_dependency() -> None:
    response = Client().get(reverse("academy:health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


def test_health_is_503_and_names_the_failure_when_a_dependency_is_down(monkeypatch) -> None:
    def broker_down() -> None:
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setitem(health.CHECKS, "broker", broker_down)
    response = Client().get(reverse("academy:health"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"] == {"ok": False, "error": "ConnectionRefusedError: broker unreachable"}
    assert checks["database"]["ok"] is True
