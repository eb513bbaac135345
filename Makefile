# Quick start: `make run` builds the graph of corpus/ into output/, `make test` runs the tests.
# Both create .venv with Python 3.11 (or $(PYTHON)) on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test extract bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# A build where some files failed (exit 1: they are named in output/report.md) still gets its page;
# `make run` then exits 1 too.
run: $(STAMP)
	@rc=0; $(BIN)/plangraph build corpus --out output || rc=$$?; \
	if [ $$rc -le 1 ]; then $(BIN)/plangraph viz --graph output --out output/graph.html || exit $$?; fi; \
	exit $$rc

extract: $(STAMP)
	$(BIN)/plangraph extract corpus/*.txt --format text

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output .pytest_cache

# Quick benchmarks (a few minutes); figures are appended to bench/RESULTS.md.  Larger runs: see README.
BENCH_DIR ?= /tmp/plangraph-make-bench
bench: $(STAMP)
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_build.py --sizes 10000 --formats ttl,json --keep --workdir $(BENCH_DIR)
	$(BIN)/python bench/bench_impact.py $(BENCH_DIR)/out10000
	rm -rf $(BENCH_DIR)
	$(BIN)/python bench/bench_query.py --docs 10000 --stores rdflib,oxigraph
	$(BIN)/python bench/bench_viz.py --no-physics
