# Two commands on a fresh machine: `make extract` and `make test`.
# Both create .venv and install the project into it the first time
# (and again whenever pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= raw
OUT    ?= extracted

.PHONY: setup extract audit test bench fuzz samples clean distclean

$(STAMP): pyproject.toml scripts/system-packages.sh
	@sh scripts/system-packages.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

extract: $(STAMP)
	$(BIN)/newsletter-extract extract $(RAW) --out $(OUT)

# The static audit report $(OUT)/audit/index.html; decisions go in $(OUT)/audit/decisions.csv.
audit: $(STAMP)
	$(BIN)/newsletter-extract audit $(OUT) --raw $(RAW)

# The tests and the package's doctests (pyproject.toml: testpaths tests and pipeline, --doctest-modules).
test: $(STAMP)
	$(BIN)/python -m pytest

# Speed and memory on ../shared/corpus (a few minutes; not a test): prints tables, writes bench/results.json;
# then how often each repair rule is right, glyph by glyph against the clean twins (about 10 s); then scans of the
# newsletters read by OCR: CER and scores per preparation step, seconds per OCR page, peak memory (a few minutes).
bench: $(STAMP)
	$(BIN)/python bench/run_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/repair_precision.py
	$(BIN)/python bench/ocr_scans.py

# 300 mutated PDFs of ../shared/corpus (byte flips, cuts, broken objects, xrefs, streams and fonts; about
# 5 minutes): prints statuses, reasons and the slowest; fails on a traceback or an input without a row.
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py $(FUZZ_ARGS)

# Rebuild the sample issues and the heading-style, vertical, furigana and column fixtures in raw/ (needs the fonts extra).
samples: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,fixtures]"
	$(BIN)/python tests/fixtures/make_samples.py --out raw
	$(BIN)/python tests/fixtures/make_heading_styles.py --out raw
	$(BIN)/python tests/fixtures/make_vertical.py --out raw
	$(BIN)/python tests/fixtures/make_furigana.py --out raw
	$(BIN)/python tests/fixtures/make_columns.py --out raw

# Keeps $(OUT)/audit/decisions.csv: the auditor's work is not an output to rebuild.
clean:
	@if [ -f $(OUT)/audit/decisions.csv ]; then \
		find $(OUT) -mindepth 1 ! -path '$(OUT)/audit' ! -path '$(OUT)/audit/decisions.csv' -delete; \
		echo "kept $(OUT)/audit/decisions.csv"; \
	else rm -rf $(OUT); fi
	rm -rf .pytest_cache build *.egg-info

distclean: clean
	rm -rf $(VENV)
