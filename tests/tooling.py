"""External tools the contract tests drive: skipped where missing locally, required in CI."""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
import yaml

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parent.parent
OPENAPI_YAML = ROOT / "openapi.yaml"
CONTRACT_TOOLS = Path(__file__).resolve().parent / "contract"
NPM_BIN = CONTRACT_TOOLS / "node_modules" / ".bin"


@cache
def openapi_document() -> dict:
    """openapi.yaml, parsed once per test session (it is large, and YAML is slow to read)."""
    return yaml.safe_load(OPENAPI_YAML.read_text(encoding="utf-8"))


def require_tool(name: str, install: str, path: Path | None = None) -> str:
    """The executable `name` (looked up in `path`, else on PATH). A missing tool skips the test
    with how to install it, so `make test` runs on a bare Python machine; in CI (CI=true),
    which installs every tool, it fails the test instead."""
    found = shutil.which(name, path=str(path) if path else None)
    if found:
        return found
    message = f"`{name}` is not installed: {install}"
    if IN_CI:
        pytest.fail(f"{message} (CI installs it, so this is a broken CI set-up)", pytrace=False)
    pytest.skip(message)


def require_npm_tool(name: str) -> str:
    """An executable from tests/contract/package.json, installed by `npm ci` there."""
    require_tool("node", "install Node.js 18 or later")
    return require_tool(name, "run `make contract-tools`", NPM_BIN)


@contextmanager
def live_server(database_url: str, log: Path) -> Iterator[str]:
    """gunicorn serving the app on `database_url` at a free 127.0.0.1 port, stopped on exit;
    yields its base URL. Its output goes to `log`, shown if it fails to start."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--bind", "127.0.0.1:0", "--workers", "1", "--no-control-socket",
               "api.wsgi:app"]  # fmt: skip
    environment = {**os.environ, "DATABASE_URL": database_url}
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=environment, cwd=ROOT
        )
    try:
        yield wait_until_listening(server, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_listening(server: subprocess.Popen, log: Path) -> str:
    """The base URL gunicorn reports once its worker answers /livez."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        listening = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())
        if listening and answers(f"{listening[1]}/livez"):
            return listening[1]
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within 30 s:\n{log.read_text()}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
