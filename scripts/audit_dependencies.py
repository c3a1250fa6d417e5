"""Audit the installed environment (.venv) for known vulnerabilities with pip-audit.

Usage: .venv/bin/python scripts/audit_dependencies.py        (scripts/test runs it when CI=true)

Outcomes, each printed on one line starting with "dependency audit:":
- a known vulnerability in an installed package: exit 1, with the package, version and advisory;
- every installed package audited and none vulnerable: exit 0;
- the vulnerability service could not be asked (no network, or a mirror that does not serve
  per-version data, so pip-audit skips every package and would otherwise print "No known
  vulnerabilities found"): the audit did NOT run. It says so loudly and exits 0, because a
  network fault is not a fault in the code, unless ARMTRACE_AUDIT_REQUIRED=1 (then exit 2).
The PyPI service is asked first and OSV when PyPI audited nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SERVICES = ("pypi", "osv")
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def run(service: str) -> tuple[list[dict[str, Any]] | None, str]:
    """pip-audit's per-package results from one service, or None and why it gave none."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "audit.json"
        command = [str(PIP_AUDIT), "--local", "--skip-editable", "--progress-spinner", "off"]
        command += ["--vulnerability-service", service, "--format", "json", "--output", str(out)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        if not out.exists():
            lines = (done.stderr or done.stdout).strip().splitlines()
            return None, lines[-1] if lines else f"pip-audit exited {done.returncode}"
        dependencies: list[dict[str, Any]] = json.loads(out.read_text())["dependencies"]
        return dependencies, ""


def main() -> int:
    if not PIP_AUDIT.exists():
        print(f"dependency audit: FAILED: {PIP_AUDIT} is missing (scripts/bootstrap test)")
        return 1
    reasons = []
    for service in SERVICES:
        dependencies, why = run(service)
        if dependencies is None:
            reasons.append(f"{service}: {why}")
            continue
        audited = [d for d in dependencies if "skip_reason" not in d]
        if not audited:
            sample = dependencies[0]["skip_reason"] if dependencies else "nothing installed"
            reasons.append(f"{service}: every package skipped ({sample})")
            continue
        vulnerable = [d for d in audited if d.get("vulns")]
        skipped = len(dependencies) - len(audited)
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
                print(f"  {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixed})")
        print(
            f"dependency audit: {len(audited)} packages audited via {service}, "
            f"{len(vulnerable)} vulnerable, {skipped} could not be audited"
        )
        return 1 if vulnerable else 0
    print("dependency audit: DID NOT RUN: no vulnerability service answered for this machine")
    for reason in reasons:
        print(f"  {reason}")
    if os.environ.get("ARMTRACE_AUDIT_REQUIRED") == "1":
        return 2
    print("  (not a failure: set ARMTRACE_AUDIT_REQUIRED=1 where the services are reachable)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
