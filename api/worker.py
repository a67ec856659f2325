"""The gunicorn worker that `make serve` runs (api/gunicorn_conf.py): gunicorn's gthread worker,
except that a request's head is read by the worker's event loop instead of a thread.

gthread gives a connection to a thread as soon as its first byte arrives, and the thread then
blocks until the head is complete: a client sending one byte every half second holds a thread
as long as it likes, and eight such clients held all of them (gunicorn's own advice is a
buffering proxy in front, docs/PRODUCTION.md). Here the event loop reads the head without
blocking into a buffer, and hands the connection to a thread only once the head is complete, or
longer than gunicorn's limits allow (for its parser to refuse); a head not complete within
HEAD_TIMEOUT seconds closes the connection. Slow heads then cost a socket each, not a thread.
(TLS and HTTP/2 prior-knowledge connections are served as gthread serves them: their bytes
cannot be read before the handshake.)

The error pages gunicorn writes itself, before the app sees a request (400 for a malformed
request, 414 for a request line that is too long, 431 for headers), carry the security headers
the app sends on every answer.
"""

import selectors
import time
from collections import deque
from functools import partial

from gunicorn.http2 import negotiation
from gunicorn.workers.gthread import ThreadWorker

from api.operability import SECURITY_HEADERS

HEAD_TIMEOUT = 10.0  # seconds from a request's first byte to the end of its head
HEAD_ENDS = (b"\r\n\r\n", b"\n\n")
RECEIVE_BYTES = 64 * 1024


class HeadBufferingWorker(ThreadWorker):
    """gthread, with request heads read in the event loop (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.heads_arriving = deque()  # connections still sending their head, oldest first
        # A head longer than the longest gunicorn accepts is complete enough to be refused.
        cfg = self.cfg
        self.max_head = cfg.limit_request_line + cfg.limit_request_fields * (
            cfg.limit_request_field_size + 2
        )

    def buffers_heads_of(self, conn) -> bool:
        return not (
            self.cfg.is_ssl
            or conn.is_http2
            or negotiation.prior_knowledge_allowed(self.cfg, conn.client)
        )

    def enqueue_req(self, conn):
        """Give `conn` to a thread once its head is complete; until then, read it here."""
        if not self.buffers_heads_of(conn):
            return super().enqueue_req(conn)
        conn.head = bytearray()
        if conn.parser is not None:  # kept alive: bytes already read after the last request
            conn.head += conn.parser.unreader.take_buffered()
        if self.head_is_complete(conn.head):
            return self.hand_over(conn)
        conn.sock.setblocking(False)
        conn.head_deadline = time.monotonic() + HEAD_TIMEOUT
        self.heads_arriving.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.read_head, conn))

    def head_is_complete(self, head: bytearray) -> bool:
        return len(head) > self.max_head or any(end in head for end in HEAD_ENDS)

    def read_head(self, conn, _sock) -> None:
        """The event loop's callback when `conn` has bytes to read."""
        try:
            received = conn.sock.recv(RECEIVE_BYTES)
        except BlockingIOError:
            return
        except OSError:
            received = b""
        if not received:  # the client went away
            self.stop_reading_head(conn)
            self.nr_conns -= 1
            conn.close()
            return
        conn.head += received
        if self.head_is_complete(conn.head):
            self.stop_reading_head(conn)
            self.hand_over(conn)

    def stop_reading_head(self, conn) -> None:
        self.poller.unregister(conn.sock)
        self.heads_arriving.remove(conn)

    def hand_over(self, conn) -> None:
        conn.data_ready = True  # no thread waits for a first byte: it is here
        super().enqueue_req(conn)

    def handle(self, conn):
        """In a thread: give the parser the head read so far, then serve as gthread does."""
        head = getattr(conn, "head", None)
        if head:
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(bytes(head))
            conn.head = None
        return super().handle(conn)

    def murder_pending(self):
        """Also close the connections whose head did not arrive in time."""
        super().murder_pending()
        now = time.monotonic()
        while self.heads_arriving and self.heads_arriving[0].head_deadline <= now:
            conn = self.heads_arriving[0]
            self.stop_reading_head(conn)
            self.nr_conns -= 1
            conn.close()

    def handle_error(self, req, client, addr, exc):
        """gunicorn's error page, with the app's security headers."""
        super().handle_error(req, SecuredErrorPage(client), addr, exc)


class SecuredErrorPage:
    """A client socket through which gunicorn writes an error page: the security headers are
    added after the status line."""

    def __init__(self, sock):
        self.sock = sock

    def sendall(self, data: bytes) -> None:
        status_line, separator, rest = data.partition(b"\r\n")
        headers = "".join(f"{name}: {value}\r\n" for name, value in SECURITY_HEADERS.items())
        self.sock.sendall(status_line + separator + headers.encode("latin-1") + rest)

    def __getattr__(self, name):
        return getattr(self.sock, name)
