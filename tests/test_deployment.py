"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine); keep them honest."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def test_compose_runs_web_worker_beat_database_and_redis_with_health_checks() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis", "migrate", "minio", "bucket"} <= set(services)
    for name in ("web", "worker", "db", "redis", "minio"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert services["worker"]["command"].startswith("celery -A academy worker")
    assert services["beat"]["command"].startswith("celery -A academy beat")
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "files"}
    web = services["web"]["environment"]
    assert web["REDIS_URL"].startswith("redis://redis:")
    assert "@db:5432/" in web["DATABASE_URL"]
    # Files go to the shared store, never a container's disk; the bucket is made private.
    assert web["DJANGO_S3_ENDPOINT_URL"] == "http://minio:9000" and "DJANGO_MEDIA_ROOT" not in web
    assert "volumes" not in services["web"]
    assert "mc anonymous set none store/" + web["DJANGO_S3_BUCKET"] in services["bucket"]["entrypoint"][-1]


def test_env_example_names_every_setting_production_requires() -> None:
    example = (ROOT / ".env.example").read_text()
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "POSTGRES_PASSWORD", "EMAIL_URL", "S3_ACCESS_KEY_ID"):
        assert re.search(rf"^{name}=", example, re.MULTILINE), name


def test_dockerfile_copies_every_project_app() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    assert ours, "expected project apps in INSTALLED_APPS"
    for app in ours:
        assert f"COPY {app} {app}" in dockerfile, app


def test_gunicorn_limits_request_headers_and_the_proxy_notes_match_the_body_limit() -> None:
    command = (ROOT / "Dockerfile").read_text().split("\nCMD ", 1)[1]
    for flag in ("--limit-request-line", "--limit-request-fields", "--limit-request-field_size", "--timeout"):
        assert flag in command, flag
    readme = (ROOT / "README.md").read_text()
    # gunicorn cannot cap a body; the proxy in front must, at the size Django itself refuses.
    limit_mb = settings.REQUEST_MAX_BODY_BYTES // (1024 * 1024)
    assert f"client_max_body_size {limit_mb}m" in readme
