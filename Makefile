# Two commands on a fresh machine with only Python: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000
GRAPH  := build/edugraph.trig
INPUTS := $(shell find data ontology src -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: serve test lint typecheck pytest build install clean

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

$(GRAPH): $(STAMP) $(INPUTS)
	$(BIN)/edugraph build --out $@

build: $(GRAPH)

serve: $(GRAPH)
	$(BIN)/edugraph serve --host $(HOST) --port $(PORT) --graph $(GRAPH)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
