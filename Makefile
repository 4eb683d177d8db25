# The assistant's workflow. The two commands a newcomer needs:
#   make run    set everything up, then start the assistant (Ctrl-C stops it)
#   make test   set everything up, then run the whole test suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV  := .venv
PY    := $(VENV)/bin/python
RASA  := $(VENV)/bin/rasa
MODEL := models/assistant.tar.gz

RASA_PORT    ?= 5005
ACTIONS_PORT ?= 5055
WEB_PORT     ?= 8080
export RASA_PORT ACTIONS_PORT WEB_PORT
# Where conversations live: default (SQLite file in var/) or scaled (PostgreSQL + Redis,
# endpoints.scaled.yml; README "Scaled-out profile"), e.g. `make run PROFILE=scaled`.
PROFILE ?= default
export PROFILE
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
# Where the custom actions run (README "Actions in the server or apart"): ACTIONS_MODULE=actions
# (the default) inside the Rasa server, empty (`make run ACTIONS_MODULE=`): the action server
# (python -m runtime.actions). PROFILE=scaled always uses the action server.
export ACTIONS_MODULE ?= actions
export TRACKER_DB ?= var/tracker.db
# Quieter logs from libraries Rasa loads.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export PYTHONDONTWRITEBYTECODE ?= 1
export PYTHONWARNINGS ?= ignore::DeprecationWarning

# The venv is brought up to date whenever the lock file or the install script changes.
VENV_STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt scripts/install.sh pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)

.PHONY: help run purge test install build train bench bench-variants shell lint validate unit-test story-test integration-test lock clean report

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

run: install build train web ## set up, then start the action server and the Rasa server
	@scripts/run.sh

purge: install ## delete conversations older than RETENTION_DAYS (default 30) now; DRY_RUN=1 only counts
	@scripts/run.sh --purge $(if $(DRY_RUN),--dry-run)

test: install build validate lint unit-test train story-test integration-test ## set up, then run the whole suite
	@echo "make test: all steps passed"

install: $(VENV_STAMP) ## create .venv (Python 3.10) and install the locked dependencies

$(VENV_STAMP): requirements/lock.txt scripts/install.sh pyproject.toml
	@scripts/install.sh
	@touch $@

build: install ## build the project's spaCy pipeline (only when its inputs changed)
	@$(PY) -m nlu.build_pipeline

train: install build ## train the model, only when data, domain or config changed
	@scripts/train.sh

validate: install ## rasa data validate; any warning fails (scripts/validate.py says which are exempt)
	$(PY) scripts/validate.py

lint: install ## ruff, mypy (strict) over nutrition/ and actions/, the import rules between the layers
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

unit-test: install build services ## pytest without running servers
	$(PY) -m pytest -m "not integration"

# Rasa reads a file in a stories folder as test stories only when its name starts with
# "test_" (tests/test_story_files.py keeps every file of tests/stories/ named so).
story-test: train ## rasa test on the stories of tests/stories/ end to end (intents, entities, actions)
	$(PY) -m runtime test core --model $(MODEL) --stories tests/stories --e2e \
		--fail-on-prediction-errors --out results/core

integration-test: train web system-deps services ## pytest against real running servers
	$(PY) -m pytest -m integration

.PHONY: web system-deps
.PHONY: services

services: ## start PostgreSQL, Redis and RabbitMQ here when they aren't running (tests skip without)
	@scripts/ensure-services.sh

web: web/node_modules/.package-lock.json ## build the chat widget into web/dist (npm, esbuild)
	@cd web && npm run --silent build

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

system-deps: ## install the Debian packages the browser tests need (Chromium), if missing
	@scripts/install-system-deps.sh

bench: install build train ## benchmark against a stock `rasa init` bot, then a 50-food diary and knowledge-base turns (about 16 min); bench/results/
	$(PY) -m bench.run_bench
	$(PY) -m bench.diary_bench
	$(PY) -m bench.diary_bench --per-message 10
	$(PY) -m bench.knowledge_bench

bench-variants: install build train ## measure serving variants of our bot (about 10 min); bench/results/variants.md
	$(PY) -m bench.variants

shell: install build train ## talk to the assistant in this terminal
	@scripts/run.sh --shell

# `make report SINCE=2026-11-01 UNTIL=2026-11-30 OUT=var/report` (each optional; the
# period defaults to the last 30 days). Reads the store of PROFILE, as `make run` does.
report: install ## review conversations: var/report/report.html (charts) + CSV; SINCE, UNTIL, OUT
	$(PY) -m ops.report $(if $(SINCE),--since $(SINCE)) $(if $(UNTIL),--until $(UNTIL)) \
		$(if $(OUT),--out $(OUT))

lock: ## re-resolve requirements/*.in into requirements/lock.txt (needs the venv)
	$(VENV)/bin/uv pip compile requirements/dev.in --python-version 3.10 \
		--python-platform x86_64-manylinux_2_28 --exclude-newer 2025-01-31 \
		--generate-hashes -o requirements/lock.txt

clean: ## remove the venv, models and build output (keeps conversations in var/)
	rm -rf $(VENV) models build results .pytest_cache
