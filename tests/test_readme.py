"""Every curl example in README.md runs against a live server and answers as the README shows.

The README's convention: an example is a fenced block whose info string is `console`. In it, a
line starting with `$ ` is a command (continued by a trailing backslash) and the lines after it,
up to the next `$ `, are its output. Commands address `localhost:8000`; with `-i` the output
starts with the status line and headers, then a blank line, then the body. A body is JSON (or
NDJSON); a line `...` means the author cut it, and then only the fields shown are checked.
Only `curl` commands run, in order, on one seeded database; `$CLAIMS_API_KEY` is a write key
this test creates, so the README's `claims-api keys create` and `export` lines are not run.
"""

import json
import os
import re
import subprocess
from dataclasses import dataclass, field

import pytest

from tests.tooling import ROOT, live_server, require_tool

README = ROOT / "README.md"
FENCE = re.compile(r"^```console[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
CUT = "..."


@dataclass
class Example:
    command: str
    output: list[str] = field(default_factory=list)

    @property
    def runs(self) -> bool:
        return self.command.startswith("curl ")


def examples(markdown: str) -> list[Example]:
    """The commands of every console block, in order, each with the output shown after it."""
    found = []
    for block in FENCE.findall(markdown):
        lines, continued = block.splitlines(), False
        for line in lines:
            if continued:
                found[-1].command += "\n" + line
            elif line.startswith("$ "):
                found.append(Example(line[2:]))
            elif found:
                found[-1].output.append(line)
            continued = (continued or line.startswith("$ ")) and line.endswith("\\")
    return found


@dataclass
class Answer:
    status: int | None
    header_names: set[str]
    body: str


def parse(output: list[str], with_head: bool) -> Answer:
    """Split an output into status, header names and body (`with_head` for `curl -i`)."""
    if not with_head:
        return Answer(None, set(), "\n".join(output).strip())
    status_line, *rest = output
    blank = rest.index("") if "" in rest else len(rest)
    names = {line.split(":", 1)[0].strip().lower() for line in rest[:blank] if ":" in line}
    return Answer(int(status_line.split()[1]), names, "\n".join(rest[blank + 1 :]).strip())


def documents(body: str) -> tuple[list, bool]:
    """The JSON documents of a body (one, or one per NDJSON line) and whether it was cut."""
    lines = body.splitlines()
    cut = any(line.strip().rstrip(",") == CUT for line in lines)
    text = "\n".join(line for line in lines if line.strip().rstrip(",") != CUT)
    text = re.sub(r",(\s*[\]}])", r"\1", text)  # the comma before a cut element
    try:
        return [json.loads(text)], cut
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()], cut


def shape_differences(shown, live, cut: bool, where: str = "$") -> list[str]:
    """Where `live` differs from `shown` in keys or JSON types (values may differ)."""
    if type(shown) is not type(live) and not {type(shown), type(live)} <= {int, float}:
        return [f"{where}: README shows {type(shown).__name__}, got {type(live).__name__}"]
    if isinstance(shown, dict):
        missing = [f"{where}.{key}: not in the response" for key in shown if key not in live]
        unshown = [] if cut else [key for key in live if key not in shown]
        extra = [f"{where}.{key}: not in the README" for key in unshown]
        nested = [
            difference
            for key in shown.keys() & live.keys()
            for difference in shape_differences(shown[key], live[key], cut, f"{where}.{key}")
        ]
        return missing + extra + nested
    if isinstance(shown, list):
        if len(shown) > len(live) or (not cut and len(shown) != len(live)):
            return [f"{where}: README shows {len(shown)} items, got {len(live)}"]
        return [
            difference
            for index, (item, live_item) in enumerate(zip(shown, live, strict=False))
            for difference in shape_differences(item, live_item, cut, f"{where}[{index}]")
        ]
    return []


def check(example: Example, base_url: str, environment: dict) -> list[str]:
    """Run one curl example; what differs from what the README shows."""
    command = example.command.replace("http://localhost:8000", base_url)
    command = command.replace("localhost:8000", base_url.removeprefix("http://"))
    ran = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, env=environment, timeout=60
    )
    if ran.returncode != 0:
        return [f"exited {ran.returncode}: {ran.stderr.strip()}"]
    with_head = bool(example.output) and example.output[0].startswith("HTTP/")
    shown = parse(example.output, with_head)
    live = parse(ran.stdout.replace("\r\n", "\n").splitlines(), with_head)
    problems = []
    if shown.status is not None and shown.status != live.status:
        problems.append(f"status {live.status}, README shows {shown.status}")
    if missing := shown.header_names - live.header_names:
        problems.append(f"headers missing: {', '.join(sorted(missing))}")
    if shown.body:
        try:
            expected, cut = documents(shown.body)
        except json.JSONDecodeError:
            return problems  # not JSON (e.g. CSV): the status is what can be checked
        try:
            got, _ = documents(live.body)
        except json.JSONDecodeError:
            return [*problems, f"the body is not JSON: {live.body[:200]!r}"]
        if len(expected) == len(got) == 1:  # one JSON document rather than NDJSON lines
            expected, got = expected[0], got[0]
        problems += shape_differences(expected, got, cut)
    return problems


@pytest.fixture
def server(seeded, database_url, tmp_path):
    with live_server(database_url, tmp_path / "gunicorn.log") as base_url:
        yield base_url


def test_every_curl_example_answers_as_the_readme_shows(server, writer):
    require_tool("curl", "apt-get install curl")
    if not README.exists():
        pytest.skip("README.md is not written yet")
    markdown = README.read_text(encoding="utf-8")
    runnable = [example for example in examples(markdown) if example.runs]
    assert runnable, "README.md shows no `$ curl` example in a console block"
    key = writer["Authorization"].removeprefix("Bearer ")
    environment = {**os.environ, "CLAIMS_API_KEY": key}

    failures = [
        f"$ {example.command}\n    " + "\n    ".join(problems)
        for example in runnable
        if (problems := check(example, server, environment))
    ]

    assert not failures, "\n".join(failures)


def test_the_readme_shows_curl_only_in_console_blocks_so_every_example_is_tested():
    if not README.exists():
        pytest.skip("README.md is not written yet")
    markdown = README.read_text(encoding="utf-8")
    outside = FENCE.sub("", markdown)
    assert not re.search(r"^\s*\$?\s*curl ", outside, re.MULTILINE)
