# Two commands on a fresh machine: `make extract` and `make test`.
# Both create .venv and install the project into it the first time
# (and again whenever pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= raw
OUT    ?= extracted

.PHONY: setup extract test samples clean distclean

$(STAMP): pyproject.toml scripts/system-packages.sh
	@sh scripts/system-packages.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

extract: $(STAMP)
	$(BIN)/newsletter-extract extract $(RAW) --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

# Rebuild the sample issues in raw/ (needs the fonts extra).
samples: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,fixtures]"
	$(BIN)/python tests/fixtures/make_samples.py --out raw

clean:
	rm -rf $(OUT) .pytest_cache build *.egg-info

distclean: clean
	rm -rf $(VENV)
