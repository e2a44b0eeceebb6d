"""Command line: a thin layer over :mod:`pipeline.batch`.

Exit status: 0 when every document is ok or partial, 1 when any failed,
2 for bad usage (argparse's own convention).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsletter-extract",
        description="Turn Japanese newsletter PDFs into tidy tables of articles, figures, dates and entities.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    extract = commands.add_parser("extract", help="read every PDF in RAW_DIR and write the tables to OUT_DIR")
    extract.add_argument("raw_dir", metavar="RAW_DIR", type=Path, help="folder holding the newsletter PDFs")
    extract.add_argument("--out", dest="out_dir", type=Path, default=Path("extracted"), help="output folder (default: extracted)")
    extract.add_argument("--password", help="password for encrypted PDFs")
    extract.add_argument("--quiet", action="store_true", help="no progress bars")
    extract.add_argument("--no-entities", action="store_true", help="skip GiNZA (faster; the entities table stays empty)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "extract":
        if not args.raw_dir.is_dir():
            parser.error(f"RAW_DIR {args.raw_dir} is not a folder")
        from pipeline.batch import run_batch

        summary = run_batch(args.raw_dir, args.out_dir, password=args.password, progress=not args.quiet, entities=not args.no_entities)
        print(summary.line())
        print(f"tables written to {args.out_dir}/")
        return 1 if summary.failed else 0
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
