# Two entry points a newcomer needs: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean bench lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint,cluster,parquet]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/warta demo --db archive.db

test: $(STAMP)
	$(BIN)/python -m pytest -q

# ruff and mypy over the two packages; .ci/run runs it beside the tests.
lint: $(STAMP)
	$(BIN)/ruff check scraper archive
	$(BIN)/mypy

# The benchmarks (see benchmarks/RESULTS.md): extraction quality/speed, crawl throughput, archive scale.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.extraction
	bash benchmarks/setup.sh
	$(BIN)/python -m benchmarks.crawl
	$(BIN)/python -m benchmarks.archive --rows 50000

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
