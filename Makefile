# Terrain — the two commands of the README, and a few helpers.
#   make demo   install everything, generate the demo company, run the pipeline, write its brief
#   make test   install everything, run the test suite (with the reduced crash matrix)
#   make crash-matrix   kill a run at every point of the full crash matrix (long)
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test crash-matrix install lint lint-sql clean-demo

install: $(STAMP)

# Locked install: requirements.lock pins every package (pip-compile of pyproject.toml).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/terrain demo

test: $(STAMP)
	$(BIN)/python -m pytest

# Every kill point of tests/operations/test_crash_matrix.py, each from a fresh copy of a
# company: about two runs per point.
crash-matrix: $(STAMP)
	TERRAIN_CRASH_MATRIX=full $(BIN)/python -m pytest tests/operations/test_crash_matrix.py

lint: $(STAMP)
	$(BIN)/ruff check flows tests
	$(BIN)/ruff format --check flows tests
	$(MAKE) --no-print-directory lint-sql

# sqlfluff's dbt templater compiles the project, so the profile needs a warehouse path:
# a throwaway file, removed afterwards, that holds only the seeds (the shared lists some
# models are built from while they compile). Runs from transforms/, where .sqlfluff
# points the templater at the project.
lint-sql: $(STAMP)
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cd transforms && \
		export TERRAIN_WAREHOUSE="$$tmp/lint.duckdb" DBT_SEND_ANONYMOUS_USAGE_STATS=false && \
		../$(BIN)/dbt seed --quiet --project-dir . --profiles-dir . \
			--target-path "$$tmp/target" --log-path "$$tmp/logs" && \
		../$(BIN)/sqlfluff lint models

clean-demo:
	rm -rf warehouse/demo
