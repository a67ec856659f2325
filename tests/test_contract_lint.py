"""openapi.yaml passes Spectral's OpenAPI rules and the house rules of tests/contract."""

import json
import subprocess

from tests.tooling import CONTRACT_TOOLS, OPENAPI_YAML, require_npm_tool

SEVERITIES = ("error", "warning", "info", "hint")


def test_spectral_finds_no_errors_and_no_warnings():
    spectral = require_npm_tool("spectral")
    run = subprocess.run(
        [
            spectral,
            "lint",
            "--format",
            "json",
            "--quiet",
            "--fail-severity",
            "warn",
            "--ruleset",
            str(CONTRACT_TOOLS / ".spectral.yaml"),
            str(OPENAPI_YAML),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(run.stdout or "[]")
    problems = [
        f"{SEVERITIES[found['severity']]} {found['code']} at "
        f"{'.'.join(map(str, found['path']))}: {found['message']}"
        for found in findings
        if found["severity"] <= 1
    ]
    assert not problems, "\n".join(problems)
    assert run.returncode == 0, run.stderr
