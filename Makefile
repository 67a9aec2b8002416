# Two entry points a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := lms
# `make run` serves here; `PORT=8080 make run` or `make run PORT=8080` moves it (and the
# links in emails follow, unless LMS_EXTERNAL_URL says otherwise).
PORT ?= 5000
export PORT

.PHONY: run test test-fast lint bench bench-deps browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/flask --app lms db upgrade
	$(BIN)/flask --app lms courses sync
	$(BIN)/flask --app lms demo load --if-empty
	# The worker (mail, daily reminders) runs beside the web server and stops with it.
	$(BIN)/flask --app lms worker --workers 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask --app lms run --host 127.0.0.1 --port $(PORT)

browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

test: $(VENV)/.installed browser-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# wrk drives the benchmark's HTTP load (Debian's package).
bench-deps:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi; }

# `make bench SCALE=0.1` for a smaller dataset; BENCH_ARGS="--no-load --duration 5" and so on.
SCALE ?= 1
bench: $(VENV)/.installed bench-deps
	$(BIN)/python -m tests.bench --scale $(SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
