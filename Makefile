# Two commands do everything: `make report` and `make test`.
# Both create a local virtual environment in .venv from pyproject.toml first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.evalkit-installed
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg

.PHONY: setup report test lint unit notebooks data bench bench-engines validate clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "evalkit needs Python >= 3.11 ($(PYTHON) is older)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dask]"
	touch $@

report: $(STAMP)
	$(BIN)/evalkit report

lint: $(STAMP)
	$(BIN)/ruff check evalkit tests benchmarks validation
	$(BIN)/ruff format --check evalkit tests benchmarks validation

unit: $(STAMP)
	$(BIN)/python -m pytest --cov=evalkit --cov-report=term-missing --doctest-modules evalkit tests

notebooks: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) notebooks

test: lint unit notebooks

data: $(STAMP)
	$(BIN)/python -m evalkit.datasets.generate
	$(BIN)/python -m evalkit.datasets.runlogs

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_reduction.py

# Run logs out of core (generates Parquet under /tmp/evalkit-bench; about 15 minutes).
bench-engines: $(STAMP)
	$(BIN)/python benchmarks/bench_engines.py --rows 29e6 --repeat 2
	$(BIN)/python benchmarks/bench_engines.py --rows 100e6 --repeat 2 --paths duckdb

# Calibration by simulation (about 15-20 minutes on 2 cores): coverage of rate_ci.
validate: $(STAMP)
	$(BIN)/python validation/simulate_rate_ci.py

clean:
	rm -rf $(VENV) reports .pytest_cache .coverage
