# Two commands on a fresh machine (README): `make chat` and `make test`.
# Both create the virtual environment and install the project themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup chat test learn lint bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (3.11+) on PATH"; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "need Python 3.11+")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

chat: $(STAMP)
	$(BIN)/aftertwitch chat

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/aftertwitch check
	$(BIN)/python -m pytest

learn: $(STAMP)
	$(BIN)/python -m knowledge.learn

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/match_bench.py
	$(BIN)/python benchmarks/store_bench.py
	$(BIN)/python benchmarks/telegram_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
