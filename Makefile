# LapTune: `make run` starts the app (headless: the demo in the terminal); `make test` runs the tests.
# Each target sets up .venv itself. On CPU-only Linux we install torch==2.13.0 first: it is a CPU build
# on this machine's pip path, while an unpinned torch pulls a multi-GB CUDA build (see README for CUDA).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH ?= torch==2.13.0

.PHONY: run test test-package venv clean demo

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/laptune

demo: $(STAMP)
	$(BIN)/laptune train --preset demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow"

test-package: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
