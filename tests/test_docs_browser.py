"""/docs, rendered by headless Chromium with the network closed (and the page's strict
Content-Security-Policy), lists every operation."""

import base64
import hashlib
import html
import json
import re
import subprocess

import pytest

from tests.tooling import live_server, openapi_document, require_tool

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
def server(seeded, database_url, tmp_path):
    with live_server(database_url, tmp_path / "gunicorn.log") as base_url:
        yield base_url


def render(chromium: str, url: str, profile) -> tuple[str, list[dict]]:
    """The DOM of `url` once its scripts have run, and the network log of loading it. Every
    host name but 127.0.0.1 fails to resolve, so nothing can come from elsewhere."""
    net_log = profile / "net-log.json"
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile / 'user-data'}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--log-net-log={net_log}", "--virtual-time-budget=20000", "--dump-dom", url,
    ]  # fmt: skip
    rendered = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rendered.returncode == 0, rendered.stderr
    return rendered.stdout, json.loads(net_log.read_text(encoding="utf-8"))


def requests_made_by_the_page(log: dict, origin: str) -> list[str]:
    """URLs the page asked for (the browser's own background calls have no page initiator)."""
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    return [
        event["params"]["url"]
        for event in log["events"]
        if names[event["type"]] == "URL_REQUEST_START_JOB"
        and event.get("params", {}).get("initiator") == origin
    ]


def test_docs_page_lists_every_operation_from_assets_served_by_the_app(server, tmp_path):
    chromium = require_tool("chromium", "apt-get install chromium (Debian's package)")
    operations = {
        (op["tags"][0], op["operationId"]): op["summary"]
        for item in openapi_document()["paths"].values()
        for method, op in item.items()
        if method in METHODS
    }

    dom, net_log = render(chromium, f"{server}/docs", tmp_path)

    # Swagger UI gives each operation the id `operations-<tag>-<operationId>`.
    listed = {
        pair for pair in re.findall(r'id="operations-([^"-]+)-([^"]+)"', dom) if pair[0] != "tag"
    }
    assert listed == set(operations), "operations the page does not list, or lists in excess"
    summaries = {html.unescape(text) for text in re.findall(r'summary-description">([^<]*)<', dom)}
    assert set(operations.values()) <= summaries
    fetched = requests_made_by_the_page(net_log, server)
    assert f"{server}/openapi.json" in fetched
    assert [url for url in fetched if not url.startswith(f"{server}/")] == []


def test_docs_page_has_a_strict_content_security_policy(client):
    response = client.get("/docs")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    # The one inline script, the page's start-up, is allowed by its hash and nothing else is.
    (inline,) = re.findall(rb"<script>(.*?)</script>", response.get_data(), re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(inline).digest()).decode()
    assert policy["script-src"] == f"'self' 'sha256-{digest}'"
