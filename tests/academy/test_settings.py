"""Settings come from the environment; production mistakes stop start-up with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x7#kQ9!vLp2@rT5zW8yB1nM4cF6hJ3gD0sA-pro-duction-grade-key",
    "DJANGO_ALLOWED_HOSTS": "academy.example.org",
    "DATABASE_URL": "postgres://academy@db.example.org:5432/academy",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    base["DJANGO_SETTINGS_MODULE"] = "academy.settings.base"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_missing_secret_key_with_debug_off_stops_start_up_with_a_clear_message() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_weak_secret_key_and_sqlite_are_refused_in_production() -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"})
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    result = run_manage("check", env=env)
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_check_deploy_with_production_settings_reports_nothing() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (2 silenced)." in result.stdout


def test_embedded_defaults_need_no_server() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND)"
    )
    result = run_manage("shell", "--verbosity", "0", "-c", code, env={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_a_command_can_enqueue_on_the_embedded_broker_before_make_run_created_its_folders(tmp_path: Path) -> None:
    """The filesystem broker's folders are created where the setting is read, not by `make run`."""
    root = tmp_path / "fresh-checkout-var"
    code = "from academy.tasks import sessions_clear_expired_task as t; t.delay(); print('queued')"
    result = run_manage(
        "shell", "--verbosity", "0", "-c", code, env={"DJANGO_DEBUG": "1", "CELERY_FILESYSTEM_DIR": str(root)}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["queued"]
    assert len(list((root / "celery-broker").iterdir())) == 1, "the message waits in the new folder"
    assert (root / "celery-control").is_dir()


def test_a_long_secret_key_of_few_distinct_characters_is_refused() -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "a" * 60})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert "distinct characters" in result.stderr
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "abcd" * 15})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_a_bad_trusted_proxy_count_stops_start_up() -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_TRUSTED_PROXY_COUNT": "-1"})
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT" in result.stderr


def test_production_without_redis_is_refused() -> None:
    """Lockouts and the broker must be shared by every node; per-process memory would let each node count alone."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "REDIS_URL must be set when DJANGO_DEBUG is off" in result.stderr


def test_a_named_bucket_puts_files_on_private_s3_storage() -> None:
    storage = "from django.core.files.storage import storages; d = storages['default']; "
    code = storage + (
        "print(type(d).__name__, d.bucket_name, d.endpoint_url, d.querystring_auth, d.querystring_expire, "
        "d.default_acl, d.file_overwrite)"
    )
    env = {
        **PRODUCTION_ENV,
        "DJANGO_S3_BUCKET": "academy-files",
        "DJANGO_S3_ENDPOINT_URL": "https://s3.example.org",
        "DJANGO_S3_URL_EXPIRY_SECONDS": "30",
    }
    result = run_manage("shell", "--verbosity", "0", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "academy-files",
        "https://s3.example.org",
        "True",
        "30",
        "None",
        "False",
    ]
    embedded = run_manage(
        "shell", "--verbosity", "0", "-c", storage + "print(type(d).__name__)", env={"DJANGO_DEBUG": "1"}
    )
    assert embedded.stdout.strip() == "FileSystemStorage"
