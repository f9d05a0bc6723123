# Two commands for a newcomer: `make run` and `make test`. Everything else is for the team.
# Needs only Python 3.11+; the virtual environment and packages are set up on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint messages deploy-check format superuser bench audit screenshots clean-venv help

help:
	@echo "make run        set up and serve the seeded site at http://$(HOST):$(PORT)/"
	@echo "make test       set up and run every test"
	@echo "make lint       ruff, the migrations check, the import rules and the translation catalogues"
	@echo "make messages   update the Spanish catalogue from the code and compile it (needs gettext)"
	@echo "make deploy-check  Django's deployment checks on production settings"
	@echo "make superuser  create an account for /admin/"
	@echo "make bench      benchmarks; figures are printed, never asserted"
	@echo "make audit      Lighthouse scores and axe violations per page (needs Chromium, npm)"
	@echo "make screenshots  retake the pictures in docs/editors.md (needs Chromium)"
	@echo "make backup     back up the database and media to one file in BACKUP_DIR (default backups/)"
	@echo "make restore BACKUP=<file>  restore a backup (asks first; NOINPUT=1 does not)"

# The venv and the packages: uv where it can be had, pip otherwise (IOI_INSTALLER=pip forces
# pip). The stamps make a second `make run` skip the install unless a requirements file changed.
INSTALL := $(PYTHON) .ci/install_requirements.py $(VENV)

$(VENV)/.runtime-installed: requirements.txt .ci/install_requirements.py
	@$(INSTALL) requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt .ci/install_requirements.py
	@$(INSTALL) requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

# One start-up of Django sets up what is missing (a new database, migrations, the content) and
# serves; a second run finds nothing to do (docs/first-run.md).
run: $(VENV)/.runtime-installed
	@$(MANAGE) run_site $(HOST):$(PORT)

# Coverage is measured on every run (slipcover, [tool.slipcover] in pyproject.toml) and printed
# per file; the 95% floor holds when the whole suite runs (a subset chosen with PYTEST_ARGS would
# fall under it). The figures go to a file and are printed from it: slipcover's own --fail-under
# beside pytest-xdist prints only the controller's share (docs/testing.md).
COVERAGE_FILE := .coverage.json

# The 15 slowest tests are printed at the end of every run, so that a slow one is seen when it
# comes (docs/testing.md).
test: $(VENV)/.dev-installed
	@rm -f $(COVERAGE_FILE)
	$(BIN)/python -m slipcover --json --out $(COVERAGE_FILE) -m pytest --durations=15 $(PYTEST_ARGS)
	@$(BIN)/python -m slipcover --merge $(COVERAGE_FILE) --out $(COVERAGE_FILE) \
		$(if $(PYTEST_ARGS),,--fail-under 95)

# Style, migrations in step with the models, the import rules of docs/architecture.md, and the
# interface's catalogues complete and in step with the code (needs GNU gettext).
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(MANAGE) check_translations

# The catalogues made again from the code and compiled; translate what is new, run it again,
# commit the .po and the .mo (docs/translation.md). Needs GNU gettext.
messages: $(VENV)/.runtime-installed
	$(MANAGE) update_translations

# Django's deployment checklist against production settings, with throwaway secrets: any
# warning fails, and nothing is silenced (REDIS_URL set, as production sets it).
deploy-check: $(VENV)/.runtime-installed
	DJANGO_SETTINGS_MODULE=ioisite.settings.production \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_SITE_URL=https://ioi.example.org REDIS_URL=redis://127.0.0.1:6379/0 \
		$(MANAGE) check --deploy --fail-level WARNING

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

superuser: $(VENV)/.runtime-installed
	@$(MANAGE) set_up_site
	$(MANAGE) createsuperuser

# wrk drives the load where it can be installed; bench/page_speed.py falls back to a Python client.
bench: $(VENV)/.dev-installed
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get install -y -qq wrk >/dev/null 2>&1; } || true
	$(BIN)/python bench/page_speed.py
	$(BIN)/python bench/link_check.py
	$(BIN)/python bench/ghost_import.py

# Lighthouse and axe-core on the pages readers land on; Lighthouse comes from npm into .audit/.
audit: $(VENV)/.dev-installed
	@[ -x .audit/node_modules/.bin/lighthouse ] || npm install --prefix .audit --no-audit \
		--no-fund --silent lighthouse@12
	$(BIN)/python bench/audit.py

# The editors' guide shows what the browser tests see; commit the new pictures with the change
# to the admin that made them.
screenshots: $(VENV)/.dev-installed
	IOI_REQUIRE_BROWSER=1 IOI_SCREENSHOTS=$(CURDIR)/docs/img \
		$(BIN)/python -m pytest -q pages/tests/test_moderation_browser.py \
		pages/tests/test_research_browser.py pages/tests/test_translation_browser.py

# One file holding the database and the media folder, safe while the site serves; the restore
# checks the whole file before it changes anything (docs/deployment.md: schedule, runbook).
.PHONY: backup restore
backup: $(VENV)/.runtime-installed
	$(MANAGE) backup_site

restore: $(VENV)/.runtime-installed
	$(MANAGE) restore_site $(if $(BACKUP),"$(BACKUP)") $(if $(NOINPUT),--noinput)

clean-venv:
	rm -rf $(VENV)
