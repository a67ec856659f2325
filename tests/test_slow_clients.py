"""The server as `make serve` starts it: slow clients do not starve it, and the error pages
gunicorn writes itself carry the security headers (api/worker.py)."""

import socket
from urllib.parse import urlsplit

from api.operability import SECURITY_HEADERS
from bench.slow_clients import ordinary_requests, slow_headers


def test_sixteen_slow_header_clients_do_not_starve_make_serve(seeded, gunicorn):
    base, _ = gunicorn(like_make_serve=True)  # 2 workers x 4 threads
    with slow_headers(base, count=16, interval=0.5, duration=60) as slow:
        answers = ordinary_requests(base, count=14, timeout=10)
    assert answers == [True] * 14
    assert slow["closed"] == 0  # the slow clients were still connected throughout


def raw_answer(base: str, request: bytes) -> tuple[str, dict]:
    """The status line and header fields gunicorn answers `request` with."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := connection.recv(4096)):
            answer += chunk
    status, *fields = answer.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    return status, dict(field.split(": ", 1) for field in fields)


MALFORMED = {
    "request line too long": (
        b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        "HTTP/1.1 414 URI Too Long",
    ),
    "malformed header": (
        b"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "HTTP/1.1 400 Bad Request",
    ),
    "unknown version": (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request"),
}


def test_gunicorn_error_pages_carry_the_security_headers(gunicorn):
    base, _ = gunicorn(like_make_serve=True)
    for case, (request, status) in MALFORMED.items():
        answered_status, fields = raw_answer(base, request)
        assert answered_status == status, case
        assert {name: fields.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS, case


def test_a_request_head_that_never_ends_is_cut_off(gunicorn):
    base, _ = gunicorn(like_make_serve=True)
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=60) as connection:
        connection.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\nX-Unfinished: ")
        assert connection.recv(4096) == b""  # closed by the server, without an answer
