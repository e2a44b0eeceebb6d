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
    extract.add_argument("--jobs", type=_positive, metavar="N", help="documents read at once, each in its own process (default: all cores)")
    audit = commands.add_parser("audit", help="write the static audit report OUT_DIR/audit/index.html (every figure boxed on its page)")
    audit.add_argument("out_dir", metavar="OUT_DIR", type=Path, nargs="?", default=Path("extracted"), help="folder holding the tables (default: extracted)")
    audit.add_argument("--raw", dest="raw_dir", type=Path, default=Path("raw"), help="folder holding the PDFs, for the page images (default: raw)")
    audit.add_argument("--password", help="password for encrypted PDFs")
    query = commands.add_parser("query", help="run SQL over every table in OUT_DIR (DuckDB) and print the result")
    query.add_argument("sql", metavar="SQL", help='a query, e.g. "SELECT unit, count(*) FROM figures GROUP BY unit"')
    query.add_argument("--out", dest="out_dir", type=Path, default=Path("extracted"), help="folder holding the tables (default: extracted)")
    query.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    return parser


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "extract":
        if not args.raw_dir.is_dir():
            parser.error(f"RAW_DIR {args.raw_dir} is not a folder")
        from pipeline.atomic import OutputLockedError
        from pipeline.batch import run_batch
        from pipeline.dataset.validate import TableError

        try:
            summary = run_batch(
                args.raw_dir, args.out_dir, password=args.password, progress=not args.quiet, entities=not args.no_entities, jobs=args.jobs
            )
        except OutputLockedError as error:
            parser.error(str(error))
        except TableError as error:  # nothing written: the previous tables stay
            print(f"newsletter-extract: tables not written, {args.out_dir}/ keeps the previous ones: {error}", file=sys.stderr)
            return 1
        print(summary.line())
        print(f"tables written to {args.out_dir}/")
        return 1 if summary.failed else 0
    if args.command == "audit":
        from pipeline.audit.report import ReportError, build_report

        try:
            report = build_report(args.out_dir, args.raw_dir, password=args.password)
        except ReportError as error:
            parser.error(str(error))
        for warning in report.warnings:
            print(f"newsletter-extract: audit: {warning}", file=sys.stderr)
        print(f"audit report written to {report.index} (document pages: {len(report.documents)})")
        print(f"decisions: {args.out_dir / 'audit' / 'decisions.csv'} (applied by the next extract)")
        return 0
    if args.command == "query":
        import duckdb

        from pipeline.dataset.database import format_csv, format_table, run_query

        try:
            columns, rows = run_query(args.out_dir, args.sql)
        except (FileNotFoundError, duckdb.Error) as error:
            print(f"newsletter-extract: query: {error}", file=sys.stderr)
            return 2
        print(format_csv(columns, rows) if args.csv else format_table(columns, rows), end="\n" if not args.csv else "")
        return 0
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
