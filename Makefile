# The two commands a newcomer needs: `make serve` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
# Where clients reach the server: the base of every absolute URL in its answers.
PUBLIC_URL ?= http://127.0.0.1:$(PORT)

.PHONY: serve test lint openapi contract-tools clean

$(BIN)/claims-api: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/claims-api
	$(BIN)/claims-api seed --if-empty
	PUBLIC_URL='$(PUBLIC_URL)' $(BIN)/gunicorn -c api/gunicorn_conf.py --bind 127.0.0.1:$(PORT) --workers $(WORKERS) api.wsgi:app

test: $(BIN)/claims-api
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/claims-api
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(BIN)/claims-api
	$(BIN)/claims-api openapi write --format yaml openapi.yaml

# npm tools of the contract tests (Spectral, openapi-typescript, tsc); those tests skip without them.
contract-tools:
	cd tests/contract && npm ci --no-audit --no-fund

clean:
	rm -rf $(VENV) *.egg-info claims.db claims.db-shm claims.db-wal tests/contract/node_modules
