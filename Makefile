# booklet: `make` builds build/booklet-print.pdf and build/booklet-screen.pdf
# from data/; `make check` checks the data alone, `make preflight` the built
# PDFs; `make impose` adds build/booklet-imposed.pdf for office printing;
# `make test` runs the tests. `make help` lists every target.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
DATA    ?= data
OUT     ?= build

# Every file the PDFs are made from: a change to any of them rebuilds.
SOURCES := $(shell find $(DATA) layouts fonts booklet -type f ! -name '*.pyc' 2>/dev/null) \
           pyproject.toml requirements.txt
PDFS    := $(OUT)/booklet-print.pdf $(OUT)/booklet-screen.pdf
IMPOSED := $(OUT)/booklet-imposed.pdf
PROOF   := $(OUT)/proof/contact-sheet.png
PORT    ?= 8000

.DEFAULT_GOAL := all
EXAMPLES := $(patsubst examples/%/booklet.yaml,%,$(wildcard examples/*/booklet.yaml))

.PHONY: all examples impose proof preview test lint check preflight bench update-references clean distclean help schema

all: $(PDFS) ## Build both editions of the booklet (the default)

# One run of the builder writes both PDFs, the merged HTML and the manifest of
# what it laid out, which the preflight reads (a grouped target).
$(PDFS) $(OUT)/booklet.html $(OUT)/booklet-manifest.json &: $(SOURCES) $(VENV)/.installed
	$(PY) -m booklet build --data $(DATA) --out $(OUT)

# Each example under examples/ into build/examples/NAME/, through this very
# Makefile, so that a second `make examples` rebuilds only what changed.
examples: $(VENV)/.installed ## Build every example booklet under examples/ into build/examples/
	@for name in $(EXAMPLES); do \
	  $(MAKE) --no-print-directory DATA=examples/$$name OUT=$(OUT)/examples/$$name all || exit 1; \
	done

impose: $(IMPOSED) ## Impose the screen edition for office printing: A5 pages two to an A4 side

# A real file with real prerequisites: a second `make impose` does nothing. The
# screen PDF already depends on every source, booklet/tools/impose.py included.
$(IMPOSED): $(OUT)/booklet-screen.pdf $(VENV)/.installed
	$(PY) -m booklet impose --data $(DATA) --out $(OUT)

preview: $(VENV)/.installed ## Show the booklet as a book at http://127.0.0.1:8000, rebuilt on every change (PORT=N)
	$(PY) -m booklet preview --data $(DATA) --port $(PORT) --out $(OUT)/preview

proof: $(PROOF) ## Write a PNG per spread and a contact sheet into build/proof/, for a review without a PDF

$(PROOF): $(OUT)/booklet-screen.pdf $(VENV)/.installed
	$(PY) -m booklet proof --data $(DATA) --out $(OUT)

$(VENV)/.installed: pyproject.toml requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	# An editable install compiles nothing, and where PYTHONDONTWRITEBYTECODE
	# is set Python would compile the package on every run (20 ms a build).
	$(PY) -m compileall -q booklet
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

test: $(VENV)/.installed-dev ## Run the tests (they build the sample booklet themselves)
	bash tools/system-packages test
	$(PY) -m pytest

lint: $(VENV)/.installed-dev ## Check the code style with ruff
	$(PY) -m ruff check booklet tests
	$(PY) -m ruff format --check booklet tests

# After a change to the design, look at tests/output/visual-diff/ (written by a
# failing `make test`), then accept the new pages as the references.
update-references: $(VENV)/.installed-dev ## Redraw tests/reference/ (the visual regression's pages) from data/ and examples/, and the kashida page
	BOOKLET_UPDATE_REFERENCES=1 $(PY) -m pytest -q -s tests/test_visual.py tests/test_kashida.py::test_a_justified_page_looks_as_approved tests/test_examples.py::test_the_example_looks_as_approved

# The data alone, in seconds: every mistake in booklet.yaml as file:line:column.
check: $(VENV)/.installed ## Check data/ for mistakes without typesetting: seconds, while writing
	$(PY) -m booklet check --data $(DATA)

schema: $(VENV)/.installed ## Write the data's JSON Schema (schema/booklet.schema.json) from the model, icons and palette
	$(PY) -m booklet schema

# Reads the PDFs back: building them first (if anything changed) means the
# preflight never passes a stale file.
preflight: $(PDFS) $(OUT)/booklet-manifest.json $(VENV)/.installed ## Read the built PDFs back before sending them: right for the press, for screens?
	$(PY) -m booklet preflight --data $(DATA) --out $(OUT)

bench: $(VENV)/.installed ## Time the builds against their targets (bench/README.md); a few minutes
	$(PY) bench/run.py $(BENCH_ARGS)

clean: ## Remove build/
	rm -rf $(OUT)

distclean: clean ## Remove build/ and the virtual environment
	rm -rf $(VENV)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20
