# Beyond Bicubic - two commands on a fresh machine:
#   make lab    create .venv, install everything, open your working copies of the lessons (work/)
#   make test   create/update .venv, run every test (srlib + every notebook in quick mode + browser)
# make lab-reset [LESSON=03]   fresh copies of all lessons (or one) in work/; old copies are backed up
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONHASHSEED ?= 0

.PHONY: lab lab-reset test test-fast test-notebooks test-browser browser-deps benchmark evaluate-table clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python >= 3.10 is required, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,jax]'
	touch $(STAMP)

# make lab copies the lessons (notebooks/, as committed) into work/ (gitignored) unless work/
# already has them, and opens JupyterLab there: your saved work stays in work/, survives
# `git pull` and `git reset --hard`, and `make test` checks the untouched notebooks/.
# settings/ is put first on JUPYTER_CONFIG_PATH: no news feed, no update check.
# Jupyter refuses to run as root unless told (containers, Binder-like machines run as root).
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(STAMP)
	$(BIN)/python -m srlib.course lab $(LAB_FLAGS)

LESSON ?=
lab-reset: $(STAMP)
	$(BIN)/python -m srlib.course reset $(LESSON)

# Chromium for the real-browser test: Debian's package (no `playwright install`).
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian chromium for the browser test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "could not install chromium: the browser test will be skipped (fails under CI)"; \
	else echo "no /usr/bin/chromium: the browser test will be skipped (fails under CI)"; fi

test: $(STAMP) browser-deps
	SRLIB_QUICK=1 $(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider --durations=12

test-fast: $(STAMP)
	SRLIB_QUICK=1 $(BIN)/python -m pytest tests -p no:cacheprovider -m "not browser"

test-notebooks: $(STAMP)
	SRLIB_QUICK=1 $(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider notebooks

test-browser: $(STAMP) browser-deps
	SRLIB_QUICK=1 $(BIN)/python -m pytest -p no:cacheprovider -m browser tests

benchmark: $(STAMP)
	$(BIN)/python -m srlib benchmark --json benchmarks/results.json

# The README's quality table. Needs the benchmark sets on disk:
#   make evaluate-table DATA="path/to/Set5 path/to/Set14"
DATA ?= ../shared/datasets/Set5 ../shared/datasets/Set14
METHODS ?= bicubic
evaluate-table: $(STAMP)
	$(BIN)/python -m srlib evaluate --data $(DATA) --scale 2 3 4 --method $(METHODS) --json benchmarks/evaluate.json

clean-venv:
	rm -rf $(VENV)
