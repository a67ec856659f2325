"""gunicorn settings for serving the claims API: `gunicorn -c api/gunicorn_conf.py api.wsgi:app`
(as `make serve` does). Environment variables set the values that differ between machines;
command-line flags override any of them (see docs/PRODUCTION.md)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Processes: about one per core (the work is CPU-bound Python). Each holds its own pool of
# database connections, at most `threads` of them.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads keep keep-alive connections open and let a worker stream a long export while its
# main thread still reports to the arbiter (a sync worker would be killed after `timeout`).
# gthread, except that request heads are read in the event loop, so that slow clients do not
# hold the threads, and gunicorn's own error pages carry the security headers (api/worker.py).
worker_class = "api.worker.HeadBufferingWorker"
threads = int(os.environ.get("THREADS", "4"))
timeout = 30  # seconds a worker may stay silent before it is restarted
graceful_timeout = 30
keepalive = 5
# Requests are logged by the app itself: one JSON line each, with its request id.
accesslog = None
errorlog = "-"
