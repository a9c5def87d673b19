# The README's two commands: `make demo` (the product against the embedded simulator) and
# `make test` (the whole suite). Both set up everything they need on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint unit e2e reliability engine bench sim clean

$(STAMP): setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[simulator,test,bench]'
	touch $@

engine:
	scripts/ensure-pulumi

demo: $(STAMP) engine
	$(PY) -m scripts.demo

test: $(STAMP) engine lint
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check pulumi_zstack
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(PY) -m pytest -m 'not e2e'

e2e: $(STAMP) engine
	$(PY) -m pytest -m e2e

# The fault matrix of issue 5: runs tests/reliability and regenerates docs/reliability.md.
reliability: $(STAMP) engine
	PULUMI_ZSTACK_RELIABILITY_REPORT=1 $(PY) -m pytest tests/reliability

bench: $(STAMP) engine
	$(PY) -m benchmarks.run

sim: $(STAMP)
	$(PY) -m pulumi_zstack.simulator

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
