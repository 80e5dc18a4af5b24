# Two commands on a fresh machine with only Python: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000
GRAPH  := build/edugraph.trig
INPUTS := $(shell find data ontology src -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: serve test test-all lint typecheck pytest pytest-all chromium build install clean bench bench-ingest

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

# The fast tests on two workers, each taking whole files (module fixtures are built once);
# the slow ones one at a time: they time servers under load and must not share the cores.
pytest: $(STAMP) chromium
	$(BIN)/pytest -q -m "not slow" -n 2 --dist loadfile

pytest-all: pytest
	$(BIN)/pytest -q -m slow

# The browser test drives the system's Chromium: installed here when root can (idempotent),
# with a font for Chinese (WenQuanYi Zen Hei, 7 MB to Noto CJK's 56 MB), without which the
# screenshots show empty boxes; without root and without Chromium, that test is skipped and
# says why.
chromium:
	@{ command -v chromium >/dev/null && fc-list :lang=zh family 2>/dev/null | grep -q .; } || \
	  [ "$$(id -u)" != 0 ] || (apt-get update && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei)

test: lint typecheck pytest

# Everything, the slow tests against a real server too (what CI runs).
test-all: lint typecheck pytest-all

# The benchmark at scale (benchmarks/README.md); not part of `make test`. R ?= 1,30,300
R ?= 1,30,300
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/pytest -q -p no:cacheprovider benchmarks/test_generator.py
	$(BIN)/python benchmarks/run.py --reports $(R)
	$(BIN)/python benchmarks/ingest_scaling.py $(MB)

# How a build scales with the size of one source (issue 16: 50 MB in ≤ 50× the time of 1 MB).
MB ?= 1 8 50
bench-ingest: $(STAMP)
	$(BIN)/python benchmarks/ingest_scaling.py $(MB)

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
