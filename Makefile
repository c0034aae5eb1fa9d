# Two commands for a fresh machine: `make run` and `make test`. Every target sets up what it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# --no-compile: modules are compiled when first imported, not all of torch's at install (1 min less).
PIP    := $(PY) -m pip install -q --no-compile
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test eval audit bench install install-dev browser wrk serve ingest clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base: pyproject.toml | $(PY)
	$(PIP) -e .
	touch $@

# One resolve for everything (the dev install includes the base one). torch pinned: the CPU
# build lies on this machine's disk; an unpinned torch pulls CUDA.
$(VENV)/.dev: pyproject.toml | $(PY)
	$(PIP) torch==2.13.0 -e '.[st,test,llama]'
	touch $@ $(VENV)/.base

install: $(VENV)/.base
install-dev: $(VENV)/.dev

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# wrk, Debian's HTTP load generator, for `make bench`.
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

ingest: install
	$(VENV)/bin/tracuu ingest

run: install
	$(VENV)/bin/tracuu ingest
	$(VENV)/bin/tracuu serve --host $(HOST) --port $(PORT)

# Two workers, one per core; a test module stays on one worker (its fixtures are built once).
# The 15 slowest steps are printed, so a run shows where the time went.
test: install-dev browser
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n 2 --dist loadfile --durations=15

# Quality: the plan's own gold set, the fixture documents' questions, and (where this machine
# has them) the development sets of real directives and the legal article set (laws, decrees and
# circulars of the real captures, questions in tests/eval/legal-questions.jsonl) kept beside it.
DEV_EVAL ?= ../shared/eval/dev
DEV2_EVAL ?= ../shared/eval/dev2
# The real page captures kept beside the project: the legal article set reads its laws from them.
CORPUS_TAR ?= ../shared/corpus/directives-2025.tar.xz
eval: install-dev
	$(PY) -m tests.eval.run
	$(PY) -m tests.eval.formats
	$(VENV)/bin/tracuu eval tests/fixtures tests/eval/fixture-questions.jsonl
	@if [ -d "$(DEV_EVAL)/docs" ]; then $(VENV)/bin/tracuu eval $(DEV_EVAL)/docs $(DEV_EVAL)/questions.jsonl; \
	else echo "($(DEV_EVAL) not found: development set skipped)"; fi
	@if [ -d "$(DEV2_EVAL)/docs" ]; then for half in a b; do echo "== dev2, half $$half"; \
	  $(VENV)/bin/tracuu eval $(DEV2_EVAL)/docs $(DEV2_EVAL)/questions.jsonl --only $$half; done; \
	else echo "($(DEV2_EVAL) not found: second development set skipped)"; fi
	$(PY) -m tests.eval.legal --archive $(CORPUS_TAR)

# What the parser reads in 521 real page captures (no labels, no index): identity, bodies, failures.
audit: install
	@if [ -f "$(CORPUS_TAR)" ]; then dir=$$(mktemp -d); tar -xJf "$(CORPUS_TAR)" -C "$$dir" \
	  && $(VENV)/bin/tracuu audit "$$dir/directives-2025" \
	     $$(test -f "$(dir $(CORPUS_TAR))manifest.jsonl" && echo --manifest "$(dir $(CORPUS_TAR))manifest.jsonl"); \
	  status=$$?; rm -rf "$$dir"; exit $$status; \
	else echo "($(CORPUS_TAR) not found: audit skipped)"; fi

# The first run embeds 111,000 generated clauses (about 80 minutes on 2 cores); bench-data/
# keeps the corpora and indexes, so later runs only re-check them and measure. Then the scale
# figures: ingest against e5's own speed on real text, open time and memory at 1,000 / 10,000 /
# 100,000 clauses (indexes embedded by a hashing embedder, about 7 minutes to build the first
# time), upload to first answer. Last, the 521 real documents of ../shared/corpus: parse, index
# (hashing embedder), open, search and ask; and one e5 build of 300 of them (about an hour).
bench: install-dev wrk
	$(PY) -m tests.bench.run --sizes 1000,10000,100000 --chroma-server --keep bench-data
	$(PY) -m tests.bench.scale --sizes 1000,10000,100000 --keep bench-data
	$(PY) -m tests.bench.corpus --keep bench-data --e5-sample 300

clean:
	rm -rf data test-output .pytest_cache
