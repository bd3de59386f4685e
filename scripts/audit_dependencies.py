"""`make audit`: pip-audit over the installed environment, read so that no data never looks like safety.

pip-audit prints "No known vulnerabilities found" and exits 0 even when it could not reach its
vulnerability database and skipped every package. This reads its JSON report instead and exits:
0 when every package was checked and none is vulnerable, 1 when a known vulnerability was found,
2 when any package could not be audited (no vulnerability data), whatever else was found.
PIP_AUDIT_COMMAND overrides the command (tests use a stand-in).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from typing import Any

NO_DATA = "could not be audited: no vulnerability data"


def pip_audit_command() -> list[str]:
    override = os.environ.get("PIP_AUDIT_COMMAND")
    base = shlex.split(override) if override else [sys.executable, "-m", "pip_audit"]
    # --local: this environment only; --skip-editable: the portal itself is not on PyPI.
    return [*base, "--local", "--skip-editable", "--format", "json", "--progress-spinner", "off"]


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def report_lines(report: dict[str, Any]) -> tuple[int, list[str]]:
    """The exit code and the lines to print for a pip-audit JSON report."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    lines: list[str] = []
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            lines.append(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        lines.append(f"{plural(len(vulnerable), 'package')} with known vulnerabilities.")
    if skipped:
        lines.append(f"{plural(len(skipped), 'package')} {NO_DATA}:")
        for dep in skipped:
            lines.append(f"  {dep['name']} {_version_of(dep)}: {dep['skip_reason']}")
        lines.append("This is not a clean result: run `make audit` where PyPI's vulnerability data can be reached.")
        return 2, lines
    if vulnerable:
        return 1, lines
    if not audited:
        return 2, [f"Nothing was audited: {NO_DATA}."]
    return 0, [f"No known vulnerabilities in {plural(len(audited), 'audited package')}."]


def _version_of(dep: dict[str, Any]) -> str:
    if dep.get("version"):
        return str(dep["version"])
    # pip-audit leaves the version out of skipped packages but names it in the reason: "name (1.2.3)".
    reason = str(dep.get("skip_reason", ""))
    return reason.rsplit("(", 1)[-1].rstrip(")") if reason.endswith(")") else "?"


def main() -> int:
    result = subprocess.run(pip_audit_command(), capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        detail = (result.stderr.strip().splitlines() or ["pip-audit gave no report"])[-1]
        print(f"All packages {NO_DATA} (pip-audit exited {result.returncode}: {detail})")
        return 2
    code, lines = report_lines(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
