"""`make audit` says what pip-audit found, and never reports safety when it had no data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "audit_dependencies.py"


def _run_with_fake_pip_audit(tmp_path: Path, *, report: dict | None, exit_code: int, stderr: str = ""):
    fake = tmp_path / "fake_pip_audit.py"
    body = json.dumps(report) if report is not None else ""
    fake.write_text(f"import sys\nsys.stdout.write({body!r})\nsys.stderr.write({stderr!r})\nsys.exit({exit_code})\n")
    env = {**os.environ, "PIP_AUDIT_COMMAND": f"{sys.executable} {fake}"}
    return subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _skipped(name: str, version: str) -> dict:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({version})"}


def test_no_vulnerability_data_is_a_failure_not_a_clean_bill(tmp_path: Path) -> None:
    report = {"dependencies": [_skipped("django", "5.2.19"), _skipped("celery", "5.7.0")], "fixes": []}
    result = _run_with_fake_pip_audit(tmp_path, report=report, exit_code=0)
    assert result.returncode == 2
    out = result.stdout + result.stderr
    assert "could not be audited: no vulnerability data" in out
    assert "django 5.2.19" in out
    assert "no known vulnerabilities" not in out.lower()


def test_some_packages_without_data_still_fail(tmp_path: Path) -> None:
    report = {
        "dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}, _skipped("celery", "5.7.0")],
        "fixes": [],
    }
    result = _run_with_fake_pip_audit(tmp_path, report=report, exit_code=0)
    assert result.returncode == 2
    assert "1 package could not be audited: no vulnerability data" in result.stdout


def test_pip_audit_failing_to_reach_its_database_is_reported(tmp_path: Path) -> None:
    result = _run_with_fake_pip_audit(
        tmp_path, report=None, exit_code=1, stderr="ConnectionError: Max retries exceeded with url: /pypi/"
    )
    assert result.returncode == 2
    assert "could not be audited: no vulnerability data" in result.stdout
    assert "ConnectionError" in result.stdout


def test_known_vulnerabilities_are_listed_and_fail(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.1",
                "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["5.2.2"], "aliases": ["CVE-2026-1"]}],
            },
            {"name": "celery", "version": "5.7.0", "vulns": []},
        ],
        "fixes": [],
    }
    result = _run_with_fake_pip_audit(tmp_path, report=report, exit_code=1)
    assert result.returncode == 1
    assert "django 5.2.1: PYSEC-2026-1 (fixed in 5.2.2)" in result.stdout


def test_every_package_audited_and_clean_passes(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "celery", "version": "5.7.0", "vulns": []},
        ],
        "fixes": [],
    }
    result = _run_with_fake_pip_audit(tmp_path, report=report, exit_code=0)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No known vulnerabilities in 2 audited packages" in result.stdout


def test_make_audit_runs_the_script_and_pip_audit_is_a_pinned_dev_dependency() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "\naudit:" in makefile
    assert "scripts/audit_dependencies.py" in makefile
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"pip-audit==' in pyproject
    assert "pip-audit==" in (ROOT / "constraints.txt").read_text()
