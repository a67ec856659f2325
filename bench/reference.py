"""The reference endpoint: a minimal Flask app answering a constant JSON body.

Served by gunicorn with the same settings as the API, in the same run, it measures what the
machine, gunicorn and Flask cost by themselves; the API's figures are read as ratios to it.

    gunicorn -c api/gunicorn_conf.py --chdir bench reference:app
"""

from flask import Flask

app = Flask(__name__)
BODY = {"status": "ok"}


@app.get("/")
def constant():
    """Always the same small JSON document."""
    return BODY
