# The two commands of the README: `make run` and `make test`.
# Both create .venv and install the package with its dev extras first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# `make test TEST_DATABASES=all` runs the suite once per backend, on these servers;
# TEST_DATABASES=postgresql (or mariadb), on that one alone.
TEST_DATABASES ?= sqlite
POSTGRES_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
MARIADB_TEST_URL ?= mysql+pymysql://root@127.0.0.1:3306/mysql
PYTEST_ARGS ?=
# pytest-xdist: one process per core, each with its own throw-away database.
PYTEST_WORKERS ?= auto
# How many backends' suites run at once with TEST_DATABASES=all. All three: a suite on
# PostgreSQL or MariaDB spends much of its time waiting on its server (CREATE DATABASE,
# commits, lock timeouts), time the other suites' CPU work fills; on SQLite the tests run
# commands in forked children (tests/command_server.py), cheap enough to share two cores.
# TEST_BACKENDS_AT_ONCE=1: one after the other.
TEST_BACKENDS_AT_ONCE ?= 3
# `make bench BENCH_ARGS=--no-postgres` measures SQLite alone.
BENCH_ARGS ?=

# `make fuzz`: the randomized model-edit test, longer than CI runs it (see its docstring).
FUZZ_EXAMPLES ?= 25
FUZZ_STEPS ?= 6

.PHONY: install run serve test test-sqlite test-postgresql test-mariadb lint bench diagrams \
	screenshots fuzz clean

install: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	@echo "Setting up $(VENV): the first time takes about half a minute."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -e '.[dev]'
	touch $@

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask run

# Production: gunicorn, WEB_CONCURRENCY workers (default 2) on PORT (default 8000).
WEB_CONCURRENCY ?= 2
PORT ?= 8000

serve: install
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --workers $(WEB_CONCURRENCY) --bind 0.0.0.0:$(PORT) wsgi:app

# The browser tests (tests/browser/) drive this Chromium; without it they are skipped.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
CHROMIUM_MISSING = Chromium is not installed at $(CHROMIUM); install it with \
	apt-get install chromium chromium-driver

test: install
	@test -x $(CHROMIUM) || echo "make test: the browser tests will be skipped. $(CHROMIUM_MISSING)"
ifeq ($(TEST_DATABASES),all)
	@# -k: every backend reports, whichever fails; -O: each backend's report in one piece.
	@$(MAKE) --no-print-directory -k -O -j$(TEST_BACKENDS_AT_ONCE) \
		test-sqlite test-postgresql test-mariadb
else ifeq ($(TEST_DATABASES),sqlite)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
else
	@$(MAKE) --no-print-directory test-$(TEST_DATABASES)
endif

# One backend's suite; the first line of its report names it.
test-sqlite test-postgresql test-mariadb: install
	@echo "== tests on $(@:test-%=%) =="
	TEST_DATABASE_URL=$(test_url_$(@:test-%=%)) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test_url_sqlite :=
test_url_postgresql = $(POSTGRES_TEST_URL)
test_url_mariadb = $(MARIADB_TEST_URL)

fuzz: install
ifeq ($(TEST_DATABASES),all)
	TEST_DATABASE_URL= FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_STEPS=$(FUZZ_STEPS) $(BIN)/pytest -q tests/schema/test_random_model_edits.py $(PYTEST_ARGS)
	TEST_DATABASE_URL=$(POSTGRES_TEST_URL) FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_STEPS=$(FUZZ_STEPS) $(BIN)/pytest -q tests/schema/test_random_model_edits.py $(PYTEST_ARGS)
	TEST_DATABASE_URL=$(MARIADB_TEST_URL) FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_STEPS=$(FUZZ_STEPS) $(BIN)/pytest -q tests/schema/test_random_model_edits.py $(PYTEST_ARGS)
else
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_STEPS=$(FUZZ_STEPS) $(BIN)/pytest -q tests/schema/test_random_model_edits.py $(PYTEST_ARGS)
endif

lint: install
	$(BIN)/flake8

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# The README's pictures: the models' ER diagram and the history, drawn by `flask db diagram`
# and `flask db graph` from a throw-away SQLite database at head.
diagrams: install
	mkdir -p docs
	scratch=$$(mktemp -d) && \
	export DATABASE_URL=sqlite:///$$scratch/diagrams.db && \
	$(BIN)/flask db upgrade 2>/dev/null && \
	$(BIN)/flask db diagram -o docs/diagram.svg && \
	$(BIN)/flask db graph -o docs/graph.svg; \
	status=$$?; rm -rf "$$scratch"; exit $$status

# The README's pictures of the main pages, taken by the browser tests that check those pages
# (tests/browser/test_layout.py), at a desktop's width and a phone's.
screenshots: install
	@test -x $(CHROMIUM) || { echo "make screenshots: $(CHROMIUM_MISSING)" >&2; exit 1; }
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest -n 0 -q tests/browser/test_layout.py \
		-k test_the_main_pages_fit_the_window $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache test-results
