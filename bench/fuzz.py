#!/usr/bin/env python3
"""``make fuzz``: the pipeline over 300 mutated PDFs of the shared corpus, and whether it kept its promises.

    python bench/fuzz.py [--count 300] [--seed 1] [--jobs 2] [--entities] [--keep DIR] [--timeout 1800]
                         [--time-limit SECONDS] [--memory-limit MIB]

The mutants (``tests/fuzz_corpus.py``: byte flips, cuts, deleted and
duplicated objects, broken xrefs, corrupt Flate streams, garbage fonts and
CMaps) are written to a temporary folder and read by ``newsletter-extract
extract --jobs 2 --no-entities --quiet`` (``--entities`` runs GiNZA too).
Printed: files in, documents rows, statuses, reasons, tracebacks, missing
rows, wall time and the slowest documents.  Exits 1 when the run printed a
traceback, left an input without a documents row, or broke another promise
(see ``FuzzRun.problems``); ``--keep`` keeps the mutants and tables to look
at.  A mutant is made again alone with ``python tests/fuzz_corpus.py DIR
--seed S --only NAME``.

``--time-limit`` and ``--memory-limit`` are handed to the pipeline when its
``extract`` has those options, and dropped with a note when it does not.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from fuzz_corpus import CORPUS, SEED, extract_options, run_fuzz, write_mutants  # noqa: E402  (tests/ on the path first)


def bound_options(args: argparse.Namespace) -> list[str]:
    """The per-document bounds asked for that this version of the pipeline understands."""
    asked = {"--time-limit": args.time_limit, "--memory-limit": args.memory_limit}
    asked = {option: value for option, value in asked.items() if value is not None}
    if not asked:
        return []
    known = extract_options()
    options = []
    for option, value in asked.items():
        if option in known:
            options += [option, str(value)]
        else:
            print(f"note: newsletter-extract extract has no {option}; run without it", file=sys.stderr)
    return options


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="mutants, the kinds in turn (default: 300)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"the mutants' seed (default: {SEED})")
    parser.add_argument("--jobs", type=int, default=2, help="the pipeline's --jobs (default: 2)")
    parser.add_argument("--entities", action="store_true", help="run GiNZA as well (slower)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write mutants to DIR/raw and tables to DIR/out, and keep them")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before the whole run is killed and counted a hang (default: 1800)")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS", help="the pipeline's per-document time limit, where it has one")
    parser.add_argument("--memory-limit", type=int, metavar="MIB", help="the pipeline's per-document memory limit, where it has one")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"fuzz: {CORPUS} is absent: the shared corpus must be checked out beside the repo", file=sys.stderr)
        return 2

    folder = args.keep or Path(tempfile.mkdtemp(prefix="newsletter-fuzz-"))
    raw, out = folder / "raw", folder / "out"
    if args.keep:
        shutil.rmtree(raw, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    try:
        paths = write_mutants(raw, args.count, args.seed)
        print(f"{len(paths)} mutants of {CORPUS} (seed {args.seed}) in {raw}", flush=True)
        run = run_fuzz(raw, out, jobs=args.jobs, entities=args.entities, extra=bound_options(args), timeout=args.timeout)
        print(run.summary())
        if run.problems():
            print(f"\nmake one again: python tests/fuzz_corpus.py DIR --seed {args.seed} --only NAME", file=sys.stderr)
        return 1 if run.problems() else 0
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
