#!/usr/bin/env python3
"""How often each repair rule is right, glyph by glyph, against the clean twins.

    python bench/repair_precision.py [--json OUT] [--no-reference-fonts] [--real-ja [--all]]

For every damaged PDF of ``../shared/corpus/newsletters/`` and
``../shared/corpus/newsletters-fonts/`` the PDF and its ``.clean.pdf`` twin
are read through extract and repair and lined up glyph by glyph
(``bench/twins.py``).  Printed, per file and over all files:

* per repair rule: repairs made, how many are right, precision, mean
  confidence, and how many left U+FFFD.  A repair that changes a glyph's
  text is right when the new text is the character the glyph draws (the
  twin's character at its place; for a fake-bold copy, the character it
  doubles); a space counts as right for a space or U+3000.  A drop
  (``fixed == ""``) is right when the twin has no character there (ghosts,
  fake-bold copies).  U+FFFD ("could not decode") is never right;
* glyphs still wrong after repair (final text != the twin's text, a space
  and U+3000 counted as one; a kept extra glyph and a dropped real one are
  wrong), by font, with the commonest confusions, and U+FFFD left.

``--no-reference-fonts`` sets ``NEWSLETTER_EXTRACT_REFERENCE_FONTS=0`` before
the pipeline is imported, so the repair stage does not look at installed
copies of the fonts (as on a machine without them).

``--real-ja`` adds the real Japanese PDFs of ``../shared/corpus/real-ja/``
(without the 247-page ``saka1029-pdf__kokuji.pdf`` unless ``--all``): no
truth there, so it counts what is left in the final text (U+FFFD, ``(cid:``
placeholders, private-use code points, Kangxi and supplement radicals) and
the repairs by rule.  ``--json OUT`` writes every number, keys sorted, so
that two commits compare with ``diff``.  Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
TWIN_FOLDERS = (SHARED / "newsletters", SHARED / "newsletters-fonts")
REAL_JA = SHARED / "real-ja"
LONG_PDF = "saka1029-pdf__kokuji.pdf"
REFERENCE_FONTS_SWITCH = "NEWSLETTER_EXTRACT_REFERENCE_FONTS"
TOP_CONFUSIONS = 5

sys.path.insert(0, str(REPO))


# --- the twins: precision per rule, glyphs still wrong ------------------------------


def score_twins(damaged: Path) -> dict:
    """One damaged PDF against its clean twin: repairs per rule, glyphs wrong by font."""
    from bench.twins import align, font_family

    alignment = align(damaged)
    rules: dict[str, dict] = defaultdict(lambda: {"made": 0, "correct": 0, "unresolved": 0, "confidence_sum": 0.0})
    for repair, glyph in alignment.repairs:
        row = rules[repair.rule]
        row["made"] += 1
        row["confidence_sum"] += repair.confidence
        row["unresolved"] += repair.fixed == "\ufffd"
        row["correct"] += repair_is_right(repair.fixed, glyph.truth, glyph.draws)
    by_font: dict[str, dict] = defaultdict(lambda: {"glyphs": 0, "wrong": 0, "confusions": Counter()})
    for glyph in alignment.glyphs:
        font = by_font[glyph.font or "?"]
        font["glyphs"] += 1
        if not glyph.right:
            font["wrong"] += 1
            font["confusions"][confusion(glyph.final, glyph.truth)] += 1
    for char in alignment.unmatched_clean:  # a character the damaged file does not draw at all
        font = by_font[font_family(char.fontname) or "?"]
        font["glyphs"] += 1
        font["wrong"] += 1
        font["confusions"][confusion("", char.text)] += 1
    return {
        "glyphs": len(alignment.glyphs),
        "clean_glyphs": len(alignment.glyphs) - len(alignment.extras) + len(alignment.unmatched_clean),
        "unaligned_clean_glyphs": len(alignment.unmatched_clean),
        "extra_glyphs": len(alignment.extras),
        "fake_bold_copies": sum(1 for glyph in alignment.extras if glyph.copy_of is not None),
        "unplaced_repairs": len(alignment.unplaced_repairs),
        "rules": {rule: dict(row) for rule, row in rules.items()},
        "wrong": sum(font["wrong"] for font in by_font.values()),
        "wrong_by_font": {name: {**font, "confusions": dict(font["confusions"])} for name, font in by_font.items()},
        "fffd_left": sum(1 for glyph in alignment.final_glyphs if "\ufffd" in glyph.final),
    }


def repair_is_right(fixed: str, truth: str, draws: str) -> bool:
    """A drop is right where the twin has no character; any other fix must give what the glyph draws.

    >>> repair_is_right("", "", "【")      # a fake-bold copy dropped
    True
    >>> repair_is_right("【", "", "【")    # the copy decoded before it was dropped
    True
    >>> repair_is_right(" ", "\\u3000", "\\u3000")
    True
    >>> repair_is_right(" ", "", "")       # a ghost made a space instead of dropped
    False
    """
    from bench.twins import same_text

    if fixed == "":
        return truth == ""
    return fixed != "\ufffd" and same_text(fixed, draws)


def confusion(final: str, truth: str) -> str:
    return f"{_show(final)}→{_show(truth)}"


def _show(text: str) -> str:
    """Text as a reader can tell it apart: ∅ for no character, code points for blanks and controls."""
    if text == "":
        return "∅"
    if text.isprintable() and not text.isspace():
        return text
    return "".join(char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}" for char in text)


def add_twins(total: dict, part: dict) -> None:
    for key in ("glyphs", "clean_glyphs", "unaligned_clean_glyphs", "extra_glyphs", "fake_bold_copies", "unplaced_repairs", "wrong", "fffd_left"):
        total[key] = total.get(key, 0) + part[key]
    for rule, row in part["rules"].items():
        into = total.setdefault("rules", {}).setdefault(rule, {"made": 0, "correct": 0, "unresolved": 0, "confidence_sum": 0.0})
        for key, value in row.items():
            into[key] += value
    for name, font in part["wrong_by_font"].items():
        into = total.setdefault("wrong_by_font", {}).setdefault(name, {"glyphs": 0, "wrong": 0, "confusions": {}})
        into["glyphs"] += font["glyphs"]
        into["wrong"] += font["wrong"]
        for pair, count in font["confusions"].items():
            into["confusions"][pair] = into["confusions"].get(pair, 0) + count


def finish_rules(rules: dict) -> None:
    """Precision and mean confidence beside the counts."""
    for row in rules.values():
        row["precision"] = round(row["correct"] / row["made"], 4) if row["made"] else None
        row["mean_confidence"] = round(row["confidence_sum"] / row["made"], 4) if row["made"] else None
        row["confidence_sum"] = round(row["confidence_sum"], 4)


def run_twins() -> dict:
    from bench.twins import damaged_pdfs

    files, total = {}, {}
    for folder in TWIN_FOLDERS:
        if not folder.is_dir():
            print(f"skipped: {folder} is absent", file=sys.stderr)
            continue
        for damaged in damaged_pdfs(folder):
            print(f"[twins] {folder.name}/{damaged.name}", file=sys.stderr)
            part = files[f"{folder.name}/{damaged.name}"] = score_twins(damaged)
            add_twins(total, part)
    for part in [*files.values(), total]:
        finish_rules(part.get("rules", {}))
    return {"files": files, "all": total}


def print_twins(twins: dict) -> None:
    header = ["file", "rule", "made", "correct", "precision", "mean conf", "U+FFFD"]
    rows = []
    for name, part in [*twins["files"].items(), ("ALL", twins["all"])]:
        for rule, row in sorted(part.get("rules", {}).items(), key=lambda item: -item[1]["made"]):
            rows.append([name, rule, row["made"], row["correct"], _ratio(row["precision"]), _ratio(row["mean_confidence"]), row["unresolved"]])
        if name != "ALL":
            rows.append(["", "", "", "", "", "", ""])
    print("Repairs per rule, judged against the clean twin glyph by glyph")
    print(_table(header, rows))
    print()
    header = ["file", "glyphs", "extra", "fake-bold copies", "unaligned clean", "wrong after repair", "U+FFFD left"]
    rows = [
        [name, part["glyphs"], part["extra_glyphs"], part["fake_bold_copies"], part["unaligned_clean_glyphs"], part["wrong"], part["fffd_left"]]
        for name, part in [*twins["files"].items(), ("ALL", twins["all"])]
    ]
    print("Glyphs: extra = drawn where the twin has none (ghosts, fake-bold copies); unaligned clean = twin glyphs with no partner")
    print(_table(header, rows))
    print()
    header = ["font", "glyphs", "wrong", "top confusions (final→truth ×n)"]
    fonts = sorted(twins["all"].get("wrong_by_font", {}).items(), key=lambda item: (-item[1]["wrong"], item[0]))
    rows = [
        [name, font["glyphs"], font["wrong"], "  ".join(f"{pair} ×{count}" for pair, count in Counter(font["confusions"]).most_common(TOP_CONFUSIONS))]
        for name, font in fonts
        if font["wrong"]
    ]
    print("Glyphs still wrong after repair, by font (all files; ∅ = no character)")
    print(_table(header, rows, align_left={0, 3}))


# --- real Japanese PDFs: what is left in the text ----------------------------------


def is_private_use(char: str) -> bool:
    code = ord(char)
    return 0xE000 <= code <= 0xF8FF or code >= 0xF0000


def is_radical(char: str) -> bool:
    return 0x2E80 <= ord(char) <= 0x2FDF


def count_real(pdf: Path) -> dict:
    from pipeline.run import read_document

    document, _ = read_document(pdf)
    texts = [char.text for page in document.pages for line in page.lines for char in line.chars]
    joined = "".join(texts)
    return {
        "status": document.status,
        "pages": document.n_pages,
        "glyphs": len(texts),
        "fffd": joined.count("\ufffd"),
        "cid": joined.count("(cid:"),
        "private_use": sum(1 for char in joined if is_private_use(char)),
        "radicals": sum(1 for char in joined if is_radical(char)),
        "repairs": dict(sorted(Counter(repair.rule for repair in document.repairs).items())),
    }


def run_real_ja(include_long: bool) -> dict:
    files, total = {}, {"glyphs": 0, "fffd": 0, "cid": 0, "private_use": 0, "radicals": 0, "repairs": {}}
    for pdf in sorted(REAL_JA.glob("*.pdf")):
        if pdf.name == LONG_PDF and not include_long:
            continue
        print(f"[real-ja] {pdf.name}", file=sys.stderr)
        part = files[pdf.name] = count_real(pdf)
        for key in ("glyphs", "fffd", "cid", "private_use", "radicals"):
            total[key] += part[key]
        for rule, count in part["repairs"].items():
            total["repairs"][rule] = total["repairs"].get(rule, 0) + count
    return {"files": files, "all": total}


def print_real_ja(real: dict) -> None:
    header = ["file", "glyphs", "U+FFFD", "(cid:", "PUA", "radicals", "repairs by rule"]
    rows = [
        [name, part["glyphs"], part["fffd"], part["cid"], part["private_use"], part["radicals"], ", ".join(f"{rule} {n}" for rule, n in part["repairs"].items())]
        for name, part in [*real["files"].items(), ("ALL", real["all"])]
    ]
    print("Real Japanese PDFs: what is left in the final text")
    print(_table(header, rows, align_left={0, 6}))


# --- the command -------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(header: list, rows: list[list], align_left: set[int] = frozenset({0, 1})) -> str:
    cells = [[str(cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[n]) for row in cells) for n in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) if n in align_left else cell.rjust(width) for n, (cell, width) in enumerate(zip(row, widths))).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _commit() -> str | None:
    """The commit measured, with ``+dirty`` when the pipeline has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "pipeline"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every number to OUT as JSON")
    parser.add_argument("--no-reference-fonts", action="store_true", help=f"set {REFERENCE_FONTS_SWITCH}=0: no installed copies of fonts")
    parser.add_argument("--real-ja", action="store_true", help="also count what is left in the text of ../shared/corpus/real-ja")
    parser.add_argument("--all", action="store_true", help=f"with --real-ja: {LONG_PDF} too (247 pages, slow)")
    args = parser.parse_args(argv)
    if args.no_reference_fonts:
        os.environ[REFERENCE_FONTS_SWITCH] = "0"  # before the pipeline is imported, which reads it
    if not any(folder.is_dir() for folder in TWIN_FOLDERS):
        raise SystemExit(f"corpus not found: {', '.join(map(str, TWIN_FOLDERS))}")

    results: dict = {
        "commit": _commit(),
        "reference_fonts": os.environ.get(REFERENCE_FONTS_SWITCH, "1") != "0",
        "twins": run_twins(),
    }
    print_twins(results["twins"])
    if args.real_ja:
        results["real_ja"] = run_real_ja(include_long=args.all)
        print()
        print_real_ja(results["real_ja"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
