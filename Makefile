# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# exit code 1 means "solved, not proven optimal" or "warnings": a plan was still written
run: $(STAMP)
	$(BIN)/planner validate scenarios/isere-2012 || [ $$? -eq 1 ]
	$(BIN)/planner solve scenarios/isere-2012 --out reports/isere-2012/plan || [ $$? -eq 1 ]
	@echo "Plan of isere-2012 written under reports/isere-2012/plan (plan.json, sessions.csv, funding.csv, unmet.csv)"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_solve.py

clean:
	rm -rf $(VENV) build *.egg-info
