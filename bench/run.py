"""Benchmark the API at scale, by hand (not in CI). Results and commands: bench/RESULTS.md.

One run, on one database: generate the synthetic corpus (bench/generate.py) unless it exists,
load it with `claims-api import` (claims/s), serve the API and the reference app
(bench/reference.py) with gunicorn and the same settings, drive each endpoint with wrk
(requests/s, p50, p99), then export everything as NDJSON (peak memory). Only 127.0.0.1; every
step has a time limit.

    .venv/bin/python bench/run.py --database sqlite --claims 1000000
    .venv/bin/python bench/run.py --claims 1000000 \\
        --database 'postgresql+pool://postgres@127.0.0.1:5432/claims_bench?max_connections=4'
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
LOAD_TIMEOUT = 3 * 3600
EXPORT_TIMEOUT = 1800
# Rate limits would answer a benchmark with 429s; the limiter still runs on every request.
UNLIMITED = "100000000/minute"
SCOPES = ("ANONYMOUS", "READ", "WRITE", "ADMIN")
ROUNDS = 5  # paired (reference, endpoint) measurements per endpoint; the median is reported
SEARCH_TERM = "ceasefire"  # about one claim in 140 (bench/generate.py)
LATENCY_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
RANDOM_ID_SCRIPT = """
math.randomseed(%(seed)d)
request = function()
  return wrk.format(nil, string.format(%(path)r, math.random(%(low)d, %(high)d)))
end
"""


PHASES = ("load", "endpoints", "export")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite", help="`sqlite` or a postgresql:// URL")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument(
        "--phase",
        choices=PHASES,
        action="append",
        help="run only these phases (repeatable); all three by default",
    )
    parser.add_argument(
        "--load-seconds",
        type=int,
        default=LOAD_TIMEOUT,
        help="stop the import after this long and measure what it stored",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    url = database_url(args)
    phases = args.phase or PHASES
    where = url.split("@")[-1].split(":")[0]
    record = args.data / f"results-{where}-{args.claims}.json"
    results = json.loads(record.read_text()) if record.exists() else {}
    results.update(database=url.split("@")[-1], claims=args.claims)
    env = {**os.environ, "DATABASE_URL": url, **{f"RATE_LIMIT_{n}": UNLIMITED for n in SCOPES}}

    if "load" in phases:
        corpus = args.data / f"corpus-{args.claims}.ndjson"
        if not corpus.exists():
            step(f"generating {corpus.name}")
            with corpus.open("w", encoding="utf-8") as out:
                run([sys.executable, "bench/generate.py", "--claims", str(args.claims)], out)
        log = args.data / f"import-{where}-{args.claims}.log"
        results["import"] = load(corpus, url, env, args.load_seconds, log)
    if "endpoints" in phases or "export" in phases:
        results["parameters"] = choose_parameters(url)
        with served(["api.wsgi:app"], args, env) as api:
            if "endpoints" in phases:
                with served(["reference:app"], args, env) as reference:
                    results["endpoints"] = measure_endpoints(
                        args, api, reference, results["parameters"]
                    )
            if "export" in phases:
                results["export"] = export(args, env, api)
    record.write_text(json.dumps(results, indent=2))
    print(summary(results))


def database_url(args) -> str:
    if args.database == "sqlite":
        # Pooled, as in production: a connection per thread, kept open between requests.
        return f"sqlite+pool:///{args.data / f'bench-{args.claims}.db'}"
    return args.database


def step(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


def run(command, stdout=None, timeout=LOAD_TIMEOUT, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=ROOT,
        stdout=stdout or subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        env=env,
        check=True,
    )


def timed(command, env, timeout) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run under GNU time: the result, wall seconds and peak resident memory in MB."""
    result = run(["/usr/bin/time", "-v", *command], env=env, timeout=timeout)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, seconds = (float(part or 0) for part in wall.groups())
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
    return result, hours * 3600 + minutes * 60 + seconds, round(peak / 1024)


def load(corpus: Path, url: str, env: dict, seconds: int, log: Path) -> dict:
    """A fresh database, seeded, with the corpus imported through `claims-api import`; an
    import still running after `seconds` is stopped, and what it stored is measured."""
    step(f"loading {corpus.name} into {url.split('@')[-1]}")
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(file_of(url) + suffix).unlink(missing_ok=True)
    else:
        run(["psql", libpq(url), "-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"])
    # The seeds too (migrate, then load them): their entity spellings make the import detect
    # mentions in every claim, as it does in production.
    run([BIN / "claims-api", "seed"], env=env)
    seeded = count_claims(url)
    output = log.open("w+")
    started = time.monotonic()
    command = ["/usr/bin/time", "-v", BIN / "claims-api", "import", str(corpus)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
    )
    try:
        process.wait(timeout=seconds)
        stopped = False
    except subprocess.TimeoutExpired:
        # Stop the import itself, not GNU time, which then reports on it. SIGTERM, not SIGINT:
        # a background job ignores SIGINT. The open transaction is rolled back by the database.
        for child in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split():
            os.kill(int(child), signal.SIGTERM)
        process.wait(timeout=120)
        stopped = True
    wall = time.monotonic() - started
    output.seek(0)
    report = output.read()
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    analyze(url)
    created = count_claims(url) - seeded
    return {
        "claims_created": created,
        "stopped_after_seconds": seconds if stopped else None,
        "refused_lines": int(re.search(r"(\d+) refused", report)[1]) if not stopped else None,
        "seconds": round(wall, 1),
        "claims_per_second": round(created / wall),
        "peak_mb": round(int(peak[1]) / 1024) if peak else None,
    }


def count_claims(url: str) -> int:
    sys.path.insert(0, str(ROOT))
    from models import Claim, database, open_database

    open_database(url)
    with database.connection_context():
        return Claim.select().count()


def analyze(url: str) -> None:
    """Refresh the query planner's statistics after the bulk load, as after any large change."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(file_of(url)) as connection:
            connection.execute("ANALYZE")
    else:
        run(["psql", libpq(url), "-qc", "ANALYZE"])


def file_of(sqlite_url: str) -> str:
    return sqlite_url.split(":///", 1)[1]


def libpq(url: str) -> str:
    """The URL as psql takes it: without the pool in the scheme and the pool's parameters."""
    return url.split("?")[0].replace("+pool", "")


def choose_parameters(url: str) -> dict:
    """Ids for the requests: the id range, the speaker range, a cursor 90 % into the list."""
    sys.path.insert(0, str(ROOT))
    from peewee import fn

    from models import Claim, Speaker, database, open_database
    from schemas.common import encode_cursor

    open_database(url)
    with database.connection_context():
        low, high = Claim.select(fn.MIN(Claim.id), fn.MAX(Claim.id)).scalar(as_tuple=True)
        count = Claim.select().count()
        deep = Claim.select(Claim.id).order_by(Claim.id).offset(int(count * 0.9)).limit(1)
        speakers = Speaker.select(fn.MIN(Speaker.id), fn.MAX(Speaker.id)).scalar(as_tuple=True)
        return {
            "claims": count,
            "claim_ids": [low, high],
            "speaker_ids": list(speakers),
            "deep_cursor": encode_cursor(deep.scalar()),
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(app: list[str], args, env: dict):
    """gunicorn serving `app` on 127.0.0.1 with the project's settings; yields its base URL."""
    port = free_port()
    log = (args.data / f"gunicorn-{app[0].split(':')[0]}-{port}.log").open("w")
    command = [
        BIN / "gunicorn",
        "-c",
        ROOT / "api" / "gunicorn_conf.py",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if app[0].startswith("reference"):
        command += ["--chdir", ROOT / "bench"]
    server = subprocess.Popen(
        [*command, *app], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + ("/livez" if "api" in app[0] else "/"), timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn for {app[0]} did not start: {log.name}") from None
                time.sleep(0.3)
        yield Server(base, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


class Server:
    def __init__(self, base: str, pid: int):
        self.base, self.pid = base, pid

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return [int(child) for child in children]


def wrk(url: str, args, script: str | None = None, duration: int | None = None) -> dict:
    """One wrk run: requests/s, p50 and p99 latency in ms, and any non-2xx answers."""
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{duration or args.duration}s"]
    command += ["--latency", "--timeout", "10s"]
    if script:
        path = args.data / "request.lua"
        path.write_text(script)
        command += ["-s", str(path)]
    return parse_wrk(run([*command, url], timeout=(duration or args.duration) + 60).stdout)


def parse_wrk(output: str) -> dict:
    latency = {}
    percentiles = re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    for percentile, value, unit in percentiles:
        latency[percentile] = round(float(value) * LATENCY_UNITS[unit], 2)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests_per_second": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])),
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
        "non_2xx": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else None,
    }


def measure_endpoints(args, api: Server, reference: Server, parameters: dict) -> dict:
    low, high = parameters["claim_ids"]
    speaker_low, speaker_high = parameters["speaker_ids"]
    random_claim = RANDOM_ID_SCRIPT % {
        "seed": 1,
        "path": "/v1/claims/%d",
        "low": low,
        "high": high,
    }
    random_speaker = RANDOM_ID_SCRIPT % {
        "seed": 2,
        "path": "/v1/claims?speaker_id=%d",
        "low": speaker_low,
        "high": speaker_high,
    }
    endpoints = {
        "reference (constant JSON)": (reference.base + "/", None),
        "claim by id": (api.base + "/v1/claims/1", random_claim),
        "first page of claims (50)": (api.base + "/v1/claims", None),
        "page 90 % into the cursor": (
            api.base + f"/v1/claims?cursor={parameters['deep_cursor']}",
            None,
        ),
        "claims by speaker": (api.base + "/v1/claims", random_speaker),
        f"full-text search ({SEARCH_TERM})": (
            api.base + f"/v1/search?q={SEARCH_TERM}&kind=claim",
            None,
        ),
    }
    # This machine's speed drifts within minutes (the reference alone has measured anywhere
    # from 2,000 to 7,000 requests/s on an idle machine), so each endpoint is measured in
    # ROUNDS right after the reference, and read as the median of those paired ratios.
    reference_url = endpoints.pop("reference (constant JSON)")[0]
    figures = {}
    for name, (url, script) in endpoints.items():
        step(f"wrk: {name}")
        wrk(url, args, script, duration=2)  # warm-up, not recorded
        rounds = []
        for _ in range(ROUNDS):
            paired = wrk(reference_url, args, duration=args.duration // 2)
            measured = wrk(url, args, script, duration=args.duration // 2)
            measured["reference_requests_per_second"] = paired["requests_per_second"]
            measured["share"] = measured["requests_per_second"] / paired["requests_per_second"]
            rounds.append(measured)
        rounds.sort(key=lambda measured: measured["share"])
        figures[name] = {**rounds[len(rounds) // 2], "rounds": rounds}
    return figures


def export(args, env: dict, api: Server) -> dict:
    """A full NDJSON export by the command and, at the same time, over HTTP: how long each
    took and the peak memory of the command and of the serving worker."""
    step("export: claims-api export, and GET /v1/claims as application/x-ndjson")
    command = ThreadResult(
        lambda: timed([BIN / "claims-api", "export", "-o", "/dev/null"], env, EXPORT_TIMEOUT)
    )
    before = max(peak_rss_mb(pid) for pid in api.workers())
    started = time.monotonic()
    with RssSampler(api.workers()) as sampler:
        request = urllib.request.Request(
            api.base + "/v1/claims", headers={"Accept": "application/x-ndjson"}
        )
        lines = 0
        with urllib.request.urlopen(request, timeout=EXPORT_TIMEOUT) as response:
            for _ in response:
                lines += 1
    http_seconds = time.monotonic() - started
    _, wall, peak = command.result()
    return {
        "command": {"seconds": round(wall, 1), "peak_mb": peak},
        "http": {
            "seconds": round(http_seconds, 1),
            "lines": lines,
            "worker_rss_mb_before": before,
            "worker_rss_mb_peak_during": sampler.peak_mb,
        },
    }


class ThreadResult:
    """Run `work` in a thread now; `result()` waits for what it returned."""

    def __init__(self, work):
        self.value = self.error = None
        self.thread = threading.Thread(target=self.run, args=(work,), daemon=True)
        self.thread.start()

    def run(self, work):
        try:
            self.value = work()
        except Exception as error:  # handed to the caller of result()
            self.error = error

    def result(self):
        self.thread.join()
        if self.error:
            raise self.error
        return self.value


def peak_rss_mb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return round(int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024)


class RssSampler:
    """The highest resident memory of some processes, sampled five times a second."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak_mb, self.done = pids, 0, threading.Event()

    def __enter__(self):
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()

    def sample(self):
        while not self.done.wait(0.2):
            self.peak_mb = max(self.peak_mb, *(peak_rss_mb(pid) for pid in self.pids))


def summary(results: dict) -> str:
    """The results as Markdown, for bench/RESULTS.md."""
    claims = results.get("parameters", {}).get("claims") or results["claims"]
    lines = [f"## {results['database']}, {claims:,} claims", ""]
    if "endpoints" in results:
        endpoints = results["endpoints"]
        lines += [
            "| endpoint | requests/s | reference beside it | % of reference (median of "
            f"{ROUNDS}) | p50 ms | p99 ms | non-2xx |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, figures in endpoints.items():
            lines.append(
                f"| {name} | {figures['requests_per_second']:,} "
                f"| {figures['reference_requests_per_second']:,} "
                f"| {round(100 * figures['share'])} % ("
                + ", ".join(f"{round(100 * each['share'])}" for each in figures["rounds"])
                + f") | {figures['p50_ms']} | {figures['p99_ms']} "
                f"| {sum(each['non_2xx'] for each in figures['rounds'])} |"
            )
        lines.append("")
    if "import" in results:
        load = results["import"]
        stopped = load["stopped_after_seconds"]
        lines.append(
            f"Import: {load['claims_created']:,} claims in {load['seconds']} s = "
            f"**{load['claims_per_second']:,} claims/s** (peak {load['peak_mb']} MB"
            + (f"; stopped after {stopped} s" if stopped else f", {load['refused_lines']} refused")
            + ")."
        )
    if "export" in results:
        command, http = results["export"]["command"], results["export"]["http"]
        lines += [
            f"Export, `claims-api export`: {command['seconds']} s, peak "
            f"**{command['peak_mb']} MB**.",
            f"Export, HTTP NDJSON: {http['lines']:,} lines in {http['seconds']} s; worker RSS "
            f"{http['worker_rss_mb_before']} MB before, peak "
            f"**{http['worker_rss_mb_peak_during']} MB** during.",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    main()
