# seqtut: every target bootstraps .venv when it is missing, so `make run` and `make test`
# each work alone on a fresh machine. CI and dev pin the local CPU build of torch; the
# package itself only asks for a lower bound (Kaggle and Colab bring their own torch).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TORCH_PIN ?= torch==2.13.0
# Where pip finds that torch: empty uses pip's own configuration (on this project's machines, a local
# CPU build); elsewhere TORCH_INDEX=https://download.pytorch.org/whl/cpu avoids PyPI's multi-GB CUDA build.
TORCH_INDEX ?=
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.py))
BUILD ?= build
export OMP_NUM_THREADS ?= 1
# The maintainers' runs hold even the machine-dependent claims (seqtut.claims.machine_dependent) to the
# stored run: in a learner's run elsewhere such a claim prints its ✗ and the notebook goes on.
export SEQTUT_STRICT ?= 1
# Compiled bytecode goes to build/pycache, never beside the sources, and is written even where the
# environment says not to (PYTHONDONTWRITEBYTECODE, common in containers): otherwise each of the ~15
# Python processes of `make test` (workers, kernels, subprocess tests) compiles seqtut and the tests
# again (collecting the tests alone took 10.2 s a process without the cache, 7.0 s with it, here).
export PYTHONPYCACHEPREFIX := $(CURDIR)/$(BUILD)/pycache
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help venv run test ci lint format sync execute lab bundle bench bench-imports clean browser-deps browser-test compat parity

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(PY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "PYTHON: expected Python 3.11 or newer (pyproject.toml's requires-python), got $$($(PYTHON) --version 2>&1); pass PYTHON=python3.11 or newer" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX),) "$(TORCH_PIN)"
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(PY)

venv: $(PY)  ## Create .venv with seqtut (editable), the pinned CPU torch and the test tools

run: $(PY)  ## Run the whole tutorial (full mode): executed notebooks and figures under build/
	SEQTUT_FAST=0 $(PY) scripts/run_tutorial.py --build $(BUILD)

# pytest-xdist: one worker per core; --dist loadfile keeps each notebook's cells on one worker, in order.
test: $(PY)  ## Lint, unit tests, notebooks under nbval (fast mode), on every core
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest --nbval --nbval-current-env -n auto --dist loadfile

ci: test run browser-test compat parity  ## Everything CI runs (.ci/run): test, every notebook in full mode (run), the browser walkthrough, the version matrix, parity

lint: $(PY)  ## ruff check and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(PY)  ## Apply ruff fixes and formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

sync: $(PY)  ## Pair each notebooks/*.py with its .ipynb (jupytext), keeping outputs
	$(PY) -m jupytext --sync $(NOTEBOOKS)
	$(PY) scripts/notebook_metadata.py

execute: sync  ## Refresh the committed notebooks from one full run, and their "Run time" lines from it (fast and full)
	$(PY) scripts/execute.py

# Served from the repository root, so jupytext finds jupytext.toml and keeps each .py/.ipynb pair
# in sync both ways; it opens on notebooks/. As root (containers, Colab-like hosts) it adds --allow-root.
# scripts/lab.py adds scripts/lab_config/ to JUPYTER_CONFIG_PATH: saving writes only what the learner
# changed, no notebook is saved over an unpaired .py, kernels talk over IPC sockets (why: its docstring).
LAB_FLAGS ?= --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(PY)  ## Open the notebooks in JupyterLab (installs the lab extra on first use)
	$(PY) -c "import jupyterlab, jupytext" 2>/dev/null || $(PY) -m pip install --quiet -e ".[lab]"
	$(PY) scripts/lab.py $(LAB_FLAGS)

browser-deps: $(PY)  ## Install what the browser test needs: Debian's chromium (apt), JupyterLab, Playwright
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	$(PY) -c "import jupyterlab, playwright" 2>/dev/null || $(PY) -m pip install --quiet -e ".[lab,browser]"

browser-test: browser-deps  ## The JupyterLab walkthrough in headless Chromium (screenshots in build/browser/)
	SEQTUT_BROWSER=1 $(PY) -m pytest tests/browser -s

compat: $(PY)  ## Unit tests, nbval and two bundles on the oldest versions the bounds allow and on the newest
	$(PY) scripts/compat.py

parity: $(PY)  ## Every section's fast run on the CPU and on each accelerator present (CUDA, MPS), compared
	$(PY) -m seqtut parity

bundle: $(PY)  ## Write self-contained notebooks for Kaggle/Colab into dist/
	$(PY) scripts/bundle.py --out dist

bench: $(PY)  ## The original pipeline against seqtut, the ablation, and the speed targets in calib units (FAST=1: quick)
	$(PY) benchmarks/run.py --skip-suite $(if $(FAST),--fast,)
	$(PY) benchmarks/ablation.py $(if $(FAST),--fast,)
	$(if $(FAST),@echo "FAST=1: benchmarks/speed.py skipped (it times make run and pytest 3 times each; --quick skips only the Transformer seeds)",$(PY) benchmarks/speed.py)
	$(PY) benchmarks/imports.py $(if $(FAST),--repeats 3 --out $(BUILD)/bench/RESULTS.md,)

bench-imports: $(PY)  ## What importing seaborn costs a kernel that draws with it, in seconds and calib units (alone)
	$(PY) benchmarks/imports.py

clean:  ## Remove build outputs, runs and caches (keeps .venv)
	rm -rf $(BUILD) runs notebooks/runs dist .ruff_cache .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
