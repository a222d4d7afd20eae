# Cluster Partnership Portal — `make run` serves the portal with demo data, `make test` runs the suite.
# Needs only Python >= 3.12 and make. PostgreSQL is embedded unless DATABASE_URL is set.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PORT ?= 8000
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Two xdist workers; --dist loadfile runs each test file on one worker, in a row: the read-only
# browser tests of a file share one data set (tests/browser/conftest.py), and a module-scoped
# fixture (the HTML checker's pages, collectstatic's output) is built once, not once per worker.
PYTEST_XDIST ?= -n 2 --dist loadfile
PYTEST_ARGS ?=
LOCK_PROD := requirements/production.txt
LOCK_DEV := requirements/development.txt
VNU_VERSION ?= 26.9.27
VNU_DIR := var/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

# First Python >= 3.12 found: $PYTHON, then python3.13/python3.12/python3/python on PATH, then pyenv.
PYTHON_CANDIDATES := $(PYTHON) python3.14 python3.13 python3.12 python3 python \
	$(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3)
FIND_PYTHON := for p in $(PYTHON_CANDIDATES); do \
	  command -v $$p >/dev/null 2>&1 || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; exit 0; }; \
	done; exit 1

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-18s %s\n", $$1, $$2}'

# Every package is pinned with its hashes in the lock files (`make lock` writes them); pip
# installs exactly those files, nothing resolved on the fly (--no-deps) and nothing unverified.
$(VENV)/.installed: $(LOCK_DEV)
	@py=$$( $(FIND_PYTHON) ) || { echo "error: Python >= 3.12 is needed and none was found (tried: $(PYTHON_CANDIDATES)). Install it, or run 'make PYTHON=/path/to/python3.12 ...'." >&2; exit 1; }; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$py ($$($$py --version))"; $$py -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps --requirement $(LOCK_DEV)
	@touch $@

.PHONY: install
install: $(VENV)/.installed ## Create the virtual environment and install the development lock file

# --universal: one lock for every platform and Python >= 3.12, with the hashes of every wheel of
# each pinned version. Pins already in the files are kept; `make lock LOCK_ARGS=--upgrade`
# (or --upgrade-package NAME) moves them.
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 \
	--generate-hashes --custom-compile-command "make lock" --quiet $(LOCK_ARGS)

.PHONY: lock
lock: install ## Regenerate requirements/production.txt and requirements/development.txt from pyproject.toml
	$(UV_COMPILE) --output-file $(LOCK_PROD)
	$(UV_COMPILE) --extra dev --output-file $(LOCK_DEV)

.PHONY: migrate
migrate: install ## Apply migrations (starts the embedded database if DATABASE_URL is unset)
	$(MANAGE) migrate --noinput

.PHONY: upgrade
upgrade: migrate ## After an update: migrations, the staff groups, ISO region names in every language (idempotent)
	$(MANAGE) setup_roles
	$(MANAGE) load_regions

.PHONY: demo
demo: migrate ## Load ISO regions and the press-release demo data (idempotent)
	$(MANAGE) load_demo

.PHONY: run
run: demo ## Serve the portal with demo data at http://127.0.0.1:$(PORT)/
	@$(MANAGE) ensure_dev_superuser
	@echo "Serving the portal at http://127.0.0.1:$(PORT)/en/  (Ctrl-C to stop)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

.PHONY: serve-production
serve-production: install ## Serve with gunicorn and production settings (needs DJANGO_SECRET_KEY, DATABASE_URL; see README)
	$(MANAGE) collectstatic --noinput --settings=portal.settings.production
	$(MANAGE) migrate --noinput --settings=portal.settings.production
	$(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py portal.wsgi

# The world map's country shapes (static/map/world.svg, committed): Natural Earth 1:110m from the
# world-atlas npm package, projected with Equal Earth. Needs npm only to run, never to serve.
WORLD_ATLAS ?= world-atlas@2.0.2
.PHONY: map-data
map-data: ## Rebuild static/map/world.svg from the world-atlas package (npm pack, offline afterwards)
	@tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent $(WORLD_ATLAS) >/dev/null && tar xzf world-atlas-*.tgz) && \
	  $(PY) tools/build_world_map.py $$tmp/package/countries-110m.json static/map/world.svg; \
	  status=$$?; rm -rf $$tmp; exit $$status

# --reuse-db keeps each worker's test database between runs (migrations still run when there are
# new ones); --create-db (CI passes it) makes it afresh.
.PHONY: test
test: install ## Run the whole test suite against a real PostgreSQL (test databases reused)
	@# The HTML validity tests need the Nu HTML checker: fetch it when npm and java are here.
	@if command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory html-checker || echo "note: could not install the Nu HTML checker: its tests will be skipped"; \
	else echo "note: no npm/java: the Nu HTML checker tests will be skipped (see README)"; fi
	$(VENV)/bin/pytest $(PYTEST_XDIST) --reuse-db $(PYTEST_ARGS)

# The tests that depend on the database server (CI's second pass, PORTAL_TEST_SCOPE=server in
# tests/conftest.py): no browser, HTML validator, fuzzing, Schemathesis, import or lock-file
# checks. Last run's failures first, stop at the first failure.
.PHONY: test-fast
test-fast: install ## The inner loop: the tests that depend on the database, failures first, stop at the first
	PORTAL_TEST_SCOPE=server $(VENV)/bin/pytest $(PYTEST_XDIST) --reuse-db --failed-first -x $(PYTEST_ARGS)

# --ignore-scripts: the package's postinstall would download a JDK; the system Java is used.
.PHONY: html-checker
html-checker: ## Install the Nu HTML checker (vnu.jar) into var/vnu with npm; its tests need Java
	@if grep -qs '"version": *"$(VNU_VERSION)"' $(VNU_DIR)/node_modules/vnu-jar/package.json && [ -f $(VNU_JAR) ]; then \
	  echo "vnu.jar $(VNU_VERSION) is installed: $(VNU_JAR)"; \
	elif command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(VNU_DIR) --ignore-scripts --no-audit --no-fund --loglevel=error vnu-jar@$(VNU_VERSION) && \
	  echo "vnu.jar $(VNU_VERSION) installed: $(VNU_JAR)"; \
	else \
	  echo "error: npm is needed to install the Nu HTML checker (apt-get install npm); or download vnu.jar and set PORTAL_VNU_JAR." >&2; exit 1; \
	fi
	@command -v java >/dev/null 2>&1 || echo "warning: no java on PATH: tests/test_html_validity.py needs Java 11 or newer (apt-get install default-jre-headless)." >&2

.PHONY: lint
lint: install ## ruff (lint incl. security rules, format), the import contract, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

.PHONY: typecheck
typecheck: install ## mypy with django-stubs on portal, partnerships, organizations and core (part of lint)
	$(VENV)/bin/mypy

.PHONY: format
format: install ## Format and fix what ruff can
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: migrations-check
migrations-check: install ## Fail if models and migrations disagree
	$(MANAGE) makemigrations --check --dry-run

.PHONY: migrations-lint
migrations-lint: install ## Fail on a migration that locks a busy table or loses data (django-migration-linter)
	$(MANAGE) lintmigrations

.PHONY: check
check: install ## Django system checks, including the production deployment checks
	$(MANAGE) check
	DJANGO_SETTINGS_MODULE=portal.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  DATABASE_URL=$${DATABASE_URL:-postgres://check@localhost/check} \
	  PORTAL_OPERATOR_NAME="$${PORTAL_OPERATOR_NAME:-CI check}" \
	  PORTAL_OPERATOR_EMAIL="$${PORTAL_OPERATOR_EMAIL:-privacy@example.org}" \
	  $(MANAGE) check --deploy --fail-level WARNING

.PHONY: messages
messages: install ## Update the gettext catalogues and compile them (no system gettext needed)
	$(MANAGE) makemessages --all --no-location --ignore '$(VENV)/*' --ignore 'var/*'
	$(PY) -m portal.compilemessages

.PHONY: bench-intake
bench-intake: install ## Intake extractor: field-level precision/recall per language on its corpus (no database)
	$(PY) -m partnerships.intake.bench

# The benchmark's own embedded database (var/bench-pgdata) holds BENCH_ORGANIZATIONS generated
# organisations, made once and kept; the pages are served by gunicorn with bench/settings.py.
BENCH_ORGANIZATIONS ?= 100000
BENCH_ARGS ?=
.PHONY: bench
bench: install ## Time every public page type under gunicorn at BENCH_ORGANIZATIONS (100000) organisations, a short wrk load run, then the admin and the mixed read/write run (bench/README.md)
	$(PY) bench/run.py --organizations $(BENCH_ORGANIZATIONS) $(BENCH_ARGS)
	$(PY) bench/admin.py
	$(PY) bench/mixed.py

.PHONY: bench-admin
bench-admin: install ## Time the admin (changelists, agreement page, autocomplete, dashboard, history) as a cluster manager and an administrator on the bench data set
	$(PY) bench/admin.py

.PHONY: bench-mixed
bench-mixed: install ## The page cache's hit rate over 1,000 URLs while one agreement a second is edited, on the bench data set
	$(PY) bench/mixed.py

.PHONY: bench-data
bench-data: install ## Make the benchmark's data set again (generate_fake_data --organizations BENCH_ORGANIZATIONS)
	$(PY) bench/run.py --organizations $(BENCH_ORGANIZATIONS) --regenerate --data-only

.PHONY: bench-search
bench-search: install ## Run the search benchmark at 1,000, 10,000 and 100,000 organisations
	$(PY) bench/search.py

# Backups: the database (pg_dump) and MEDIA_ROOT in one directory, var/backups/<UTC time>/ by
# default (BACKUP=DIR to choose). Works on the embedded server and on DATABASE_URL.
.PHONY: backup
backup: install ## Back up the database and the uploaded files into var/backups/<time>/ (or BACKUP=DIR)
	$(MANAGE) backup $(if $(BACKUP),--output "$(BACKUP)")

# Refuses a database that is not empty unless CONFIRM=yes (or you confirm when asked).
.PHONY: restore
restore: install ## Restore a backup: make restore BACKUP=var/backups/<time> [CONFIRM=yes]
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<time> [CONFIRM=yes]" >&2; exit 2; }
	$(MANAGE) restore "$(BACKUP)" $(if $(filter yes,$(CONFIRM)),--yes)

# `clean` keeps the data: the embedded database (var/pgdata), the uploads (var/media) and the
# backups (var/backups). `clean-data` deletes those, after asking (CONFIRM=yes: without asking).
.PHONY: clean
clean: ## Remove the virtual environment and caches; keeps the database, uploads and backups
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache .ruff_cache .coverage var/vnu var/test-media var/ci
	find . -name __pycache__ -type d -prune -not -path './var/*' -exec rm -rf {} +

DATA_DIRS := var/pgdata var/media
.PHONY: clean-data
clean-data: ## Delete the embedded database and the uploaded files (asks first; CONFIRM=yes skips that)
	@if [ -f var/pgdata/postmaster.pid ] && kill -0 "$$(head -1 var/pgdata/postmaster.pid)" 2>/dev/null; then \
	  echo "The embedded PostgreSQL is running on var/pgdata: stop the portal and its tests first." >&2; exit 1; \
	fi
	@if [ "$(CONFIRM)" != yes ]; then \
	  echo "This deletes the embedded database and every uploaded file: $(DATA_DIRS)"; \
	  echo "(backups in var/backups are kept; make backup first if in doubt)"; \
	  read -r -p "Type 'yes' to delete them: " answer && [ "$$answer" = yes ] || { echo "Nothing deleted."; exit 1; }; \
	fi
	rm -rf $(DATA_DIRS)
	@echo "Deleted $(DATA_DIRS)."
