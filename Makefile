# One command to run the portal, one to test it. Both create .venv and install what they need.
#   make run    - web :8000, worker, beat and govmock :8001 on SQLite (database and broker), with demo data,
#                 showing what production shows (DEBUG off, no debug pages; README.md)
#   make run-debug      - the same with DEBUG on (Django's debug pages), for developers
#   make run-production - production mode with your production variables, collectstatic first (README.md)
#   make test   - the whole suite (services it cannot find are skipped on a laptop, required when CI=true)
#   make test-dates - the suite at other dates (tests/clock.py), as CI runs it
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run run-debug run-production test test-dates lint format check-deploy messages compilemessages bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	./scripts/run

run-debug: install
	RUN_MODE=debug ./scripts/run

run-production: install
	RUN_MODE=production ./scripts/run

# Test runs keep compiled modules (and pytest's rewritten test modules) in var/pycache, also where
# PYTHONDONTWRITEBYTECODE is set, as in CI's image: otherwise every pytest process (the session's and its two
# xdist workers', five sessions in CI) and every process the end-to-end tests start compiles them all again.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache

test: install
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The suite again at dates where calendars bite (tests/clock.py SHIFTED_DATES): a month later, New Year's Eve,
# inside the Spring Festival holiday, a make-up working Saturday. Browser and end-to-end tests start other
# processes that keep the real clock, so they run only in `make test`. The four sessions share one set of test
# databases: the first creates and migrates them, the others reuse them (the schema does not depend on the
# date; each session starts from an emptied database with the data migrations' rows, tests/conftest.py), and
# they are dropped at the end, whether the dates passed or not.
test-dates: install
	@export PORTAL_TEST_RUN_ID="dates_$$$$"; status=0; fresh=--create-db; \
	for day in $$($(BIN)/python -c 'from tests.clock import SHIFTED_DATES; print(*SHIFTED_DATES)'); do \
		echo "== the suite as if it were $$day (Asia/Shanghai)"; \
		$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadgroup -q --today=$$day --reuse-db $$fresh $(PYTEST_ARGS) \
			|| { status=1; break; }; \
		fresh=; \
	done; \
	$(TEST_ENV) $(BIN)/python -m tests.support.testdb drop; \
	exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: install
	./scripts/check-deploy

messages: install
	$(BIN)/python scripts/i18n.py extract

compilemessages: install
	$(BIN)/python scripts/i18n.py compile

bench: install
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/signing.py
	$(BIN)/python bench/exchange.py

clean:
	rm -rf var/broker var/cache var/test-* var/celerybeat-schedule* var/pycache
