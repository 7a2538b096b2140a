# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# rural6 starts from the isere-2012 plan (feasible there: only rural min_fill is lower), so it
# never serves less; validate exits 1 on warnings only (SPEC §4), solve 0 once a checked plan is written
RUN_LIMIT ?= 150
run: $(STAMP)
	$(BIN)/planner validate scenarios/isere-2012 || [ $$? -eq 1 ]
	$(BIN)/planner solve scenarios/isere-2012 --out reports/isere-2012/plan --time-limit $(RUN_LIMIT)
	$(BIN)/planner solve scenarios/isere-2012-rural6 --out reports/isere-2012-rural6/plan --time-limit $(RUN_LIMIT) --start reports/isere-2012/plan
	$(BIN)/planner compare reports/isere-2012/plan reports/isere-2012-rural6/plan
	$(BIN)/planner report reports/isere-2012/plan --out reports/isere-2012/documents
	@test -f reports/isere-2012/plan/plan.json && echo "Plans written under reports/isere-2012/plan and reports/isere-2012-rural6/plan (plan.json, sessions.csv, assignments.csv, funding.csv, unmet.csv)"
	@echo "Documents (HTML, PDF, plan.xlsx, ics/) under reports/isere-2012/documents; overview: reports/isere-2012/documents/index.html"

# the report tests open documents in headless Chromium (Debian's package)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest

# fresh random hypothesis examples on each run (make test replays fixed ones): for finding bugs
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -p no:warnings tests/solvers/test_backends_agree.py tests/ingestion

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_solve.py

clean:
	rm -rf $(VENV) build *.egg-info
