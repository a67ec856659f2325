"""Slow clients against a running server, by hand or from tests/test_slow_clients.py.

Opens `--slow` connections that send a request head one byte every `--interval` seconds (a
slowloris), and meanwhile makes `--requests` ordinary requests, a few at a time, each with a
`--timeout`; prints how many of those were answered. Bounded: at most 64 slow connections,
each stops after `--duration` seconds (at most 120) or when the server closes it. Loopback only.

    .venv/bin/python bench/slow_clients.py http://127.0.0.1:8000 --slow 8 --requests 14
"""

import argparse
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlsplit

MAX_SLOW, MAX_DURATION = 64, 120.0
HEAD = b"GET /v1/outlets HTTP/1.1\r\nHost: slow.example\r\nX-Padding: " + b"x" * 400 + b"\r\n\r\n"


def loopback(base: str) -> tuple[str, int]:
    """(host, port) of `base`, refusing anything but a loopback address."""
    parts = urlsplit(base)
    if not ipaddress.ip_address(parts.hostname).is_loopback:
        raise SystemExit(f"{base}: slow clients are sent to loopback addresses only")
    return parts.hostname, parts.port


@contextmanager
def slow_headers(base: str, count: int, interval: float, duration: float) -> Iterator[dict]:
    """Keep `count` connections trickling a request head while the block runs; yields a dict
    that counts, at the end, the connections the server closed before the head was sent."""
    host, port = loopback(base)
    count, duration = min(count, MAX_SLOW), min(duration, MAX_DURATION)
    stop, closed_by_server, lock = threading.Event(), {"closed": 0}, threading.Lock()

    def trickle() -> None:
        deadline = time.monotonic() + duration
        try:
            with socket.create_connection((host, port), timeout=5) as connection:
                for byte in HEAD[:-1]:  # never the last byte: the head stays incomplete
                    if stop.is_set() or time.monotonic() > deadline:
                        return
                    connection.sendall(bytes([byte]))
                    stop.wait(interval)
        except OSError:
            with lock:
                closed_by_server["closed"] += 1

    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(min(1.0, interval * 2))  # let every slow head begin before the block runs
    try:
        yield closed_by_server
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)


def answered(url: str, timeout: float) -> bool:
    """Whether a GET of `url` is answered (any status) within `timeout` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def ordinary_requests(base: str, count: int, timeout: float, parallel: int = 2) -> list[bool]:
    """Whether each of `count` GETs (/livez and /v1/outlets in turn) was answered."""
    paths = ["/livez", "/v1/outlets?limit=5"]
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(lambda n: answered(base + paths[n % 2], timeout), range(count)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--slow", type=int, default=8, help=f"slow connections (≤ {MAX_SLOW})")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between bytes")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per slow client")
    parser.add_argument("--requests", type=int, default=14, help="ordinary requests")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per ordinary request")
    args = parser.parse_args()
    started = time.monotonic()
    with slow_headers(args.base, args.slow, args.interval, args.duration) as slow:
        results = ordinary_requests(args.base, args.requests, args.timeout)
    print(
        f"{sum(results)} of {len(results)} ordinary requests answered within {args.timeout} s "
        f"while {args.slow} clients sent a byte every {args.interval} s "
        f"({slow['closed']} of them cut off by the server; {time.monotonic() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
