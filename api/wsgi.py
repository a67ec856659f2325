"""The application as gunicorn loads it (`gunicorn api.wsgi:app`).

A bad setting stops gunicorn with one line naming it (gunicorn prints an AppImportError's
message and exits non-zero) instead of a traceback from every worker.
"""

from gunicorn.errors import AppImportError

from api import create_app
from api.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    raise AppImportError(f"claims-api: bad configuration: {error}") from None
