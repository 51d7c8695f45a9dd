# Two commands do everything: `make run` and `make test`. Each builds what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: run serve test browser clean translations

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Interface catalogs are compiled (.mo) on every start: cheap, and never stale or committed.
translations: $(STAMP)
	@$(BIN)/smartstep translations compile >/dev/null

run: $(STAMP) translations
	$(BIN)/smartstep init-db
	$(BIN)/smartstep serve --host 127.0.0.1 --port $(PORT)

serve: $(STAMP) translations
	$(BIN)/smartstep init-db
	$(BIN)/smartstep serve --host 0.0.0.0 --port $(PORT)

# The browser tests need Debian's Chromium, the PDF tests poppler-utils (pdftotext reads Arabic back),
# the throughput bench's test wrk; install them when missing and we may.
browser:
	@{ command -v chromium && command -v pdftotext && command -v wrk; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium poppler-utils wrk; \
	  else echo "Chromium, poppler-utils or wrk is missing: run 'sudo apt-get install chromium poppler-utils wrk' once, then 'make test' again." >&2; exit 1; fi; }

# The translation check first: it names every missing or outdated string of a shipped language.
test: $(STAMP) translations browser
	$(BIN)/smartstep translations check
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
