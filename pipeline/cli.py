"""Command line: a thin layer over :mod:`pipeline.batch`.

Exit status: 0 when every document is ok or partial, 1 when any failed,
2 for bad usage (argparse's own convention).
"""

from __future__ import annotations

import argparse
import itertools
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
    extract.add_argument(
        "--dask",
        type=_dask_address,
        metavar="ADDRESS",
        help="read on a Dask cluster instead: tcp://host:8786 (a running dask scheduler) or local:N (N worker processes here); needs the dask extra",
    )
    extract.add_argument(
        "--timings",
        type=Path,
        metavar="FILE",
        help="also write the run's timings to FILE as JSON: seconds, seconds to the first document read, seconds per stage (make bench reads it)",
    )
    bounds = extract.add_argument_group("bounds per document (0 turns one off; see pipeline/limits.py)")
    bounds.add_argument("--config", type=Path, metavar="FILE", help="a TOML file whose [limits] table sets the bounds below (options given here win) and whose [settings.<area>] tables set the stages' thresholds (docs/settings.md)")
    bounds.add_argument("--time-limit", type=_not_negative, metavar="SECONDS", help="wall time for any document (default: 120)")
    bounds.add_argument("--time-per-page", type=_not_negative, metavar="SECONDS", help="more wall time per page (default: 10)")
    bounds.add_argument("--memory-limit", type=_not_negative, metavar="MIB", help="memory one document may take, in MiB (default: 2048)")
    bounds.add_argument("--max-operators", type=_not_negative, metavar="N", help="content-stream operators and operands per page (default: 5000000)")
    bounds.add_argument("--max-glyphs", type=_not_negative, metavar="N", help="glyphs per page (default: 500000)")
    bounds.add_argument("--max-forms", type=_not_negative, metavar="N", help="Form XObjects drawn per page (default: 20000)")
    audit = commands.add_parser("audit", help="write the static audit report OUT_DIR/audit/index.html (every figure boxed on its page)")
    audit.add_argument("out_dir", metavar="OUT_DIR", type=Path, nargs="?", default=Path("extracted"), help="folder holding the tables (default: extracted)")
    audit.add_argument("--raw", dest="raw_dir", type=Path, default=Path("raw"), help="folder holding the PDFs, for the page images (default: raw)")
    audit.add_argument("--password", help="password for encrypted PDFs")
    audit.add_argument(
        "--max-page-images", type=_positive, metavar="N", help="page images drawn per document, pages with boxes first (default: 200)"
    )
    audit.add_argument(
        "--time-limit", type=float, metavar="SECONDS", help="seconds of drawing page images per run; the rest is drawn by the next run (default: 60; 0: no limit)"
    )
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


def _dask_address(text: str) -> str:
    from pipeline.dask_engine import check_address as dask_address

    try:
        return dask_address(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _not_negative(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of at least 0")
    return number


def limits_from(args: argparse.Namespace):
    """The bounds of a run: the defaults, then the config file, then the options given."""
    from dataclasses import replace

    from pipeline.limits import Limits, load_config

    limits = load_config(args.config) if args.config else Limits()
    given = {
        "seconds": args.time_limit,
        "seconds_per_page": args.time_per_page,
        "memory_mib": args.memory_limit,
        "operators_per_page": args.max_operators,
        "glyphs_per_page": args.max_glyphs,
        "forms_per_page": args.max_forms,
    }
    whole = {"memory_mib", "operators_per_page", "glyphs_per_page", "forms_per_page"}
    return replace(limits, **{key: int(value) if key in whole else value for key, value in given.items() if value is not None})


def settings_from(args: argparse.Namespace):
    """The stages' thresholds: the defaults, then the config file's ``[settings.<area>]`` tables."""
    from pipeline.settings import DEFAULT, Settings

    if not args.config:
        return DEFAULT
    return Settings.from_toml(_toml(args.config), source=f"config file {args.config}")


def _toml(path: Path) -> dict:
    import tomllib

    from pipeline.limits import ConfigError

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"config file {path}: cannot be read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"config file {path}: not valid TOML: {error}") from None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "extract":
        if not args.raw_dir.is_dir():
            parser.error(f"RAW_DIR {args.raw_dir} is not a folder")
        if args.dask and args.jobs:
            parser.error("--jobs and --dask: give one (with --dask, the cluster's workers are the jobs)")
        return _extract(parser, args)
    if args.command == "audit":
        from pipeline.audit.report import ReportError, build_report

        if args.time_limit is not None and not args.time_limit >= 0:  # "not >=": NaN too
            parser.error(f"--time-limit {args.time_limit} is not a number of seconds, 0 or more")
        # argparse's defaults stay None, so that --help does not have to import the report
        bounds = {name: value for name, value in (("max_page_images", args.max_page_images), ("time_limit", args.time_limit)) if value is not None}
        try:
            report = build_report(args.out_dir, args.raw_dir, password=args.password, **bounds)
        except ReportError as error:
            parser.error(str(error))
        for warning in report.warnings:
            print(f"newsletter-extract: audit: {warning}", file=sys.stderr)
        print(f"audit report written to {report.index} (document pages: {len(report.documents)})")
        print(f"decisions: {args.out_dir / 'audit' / 'decisions.csv'} (applied by the next extract)")
        return 0
    if args.command == "query":
        import duckdb

        from pipeline.dataset.database import QueryRefused, format_csv, format_table, run_query

        try:
            columns, rows = run_query(args.out_dir, args.sql)
        except (FileNotFoundError, QueryRefused, duckdb.Error) as error:
            print(f"newsletter-extract: query: {error}", file=sys.stderr)
            return 2
        print(format_csv(columns, rows) if args.csv else format_table(columns, rows), end="\n" if not args.csv else "")
        return 0
    parser.error(f"unknown command {args.command}")
    return 2


def _extract(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """The extract command: every failure of the machine around it (a folder it may not
    write, a full disk, a file-size limit) is one line and an exit status, never a traceback."""
    if args.dask is None and _holds_pdfs(args.raw_dir, 2):
        from pipeline.parallel import default_jobs, start_early

        start_early(args.jobs or default_jobs(), entities=not args.no_entities)  # loads GiNZA while the imports below run
    import duckdb

    from pipeline.atomic import OutputLockedError, OutputUnwritableError
    from pipeline.batch import FoldersOverlapError, run_batch
    from pipeline.dask_engine import ClusterError, ClusterUnreachable
    from pipeline.dataset.validate import TableError
    from pipeline.limits import ConfigError

    try:
        limits = limits_from(args)
        settings = settings_from(args)
    except ConfigError as error:
        parser.error(str(error))
    out = args.out_dir
    try:
        summary = run_batch(
            args.raw_dir, out, password=args.password, progress=not args.quiet, entities=not args.no_entities, jobs=args.jobs, limits=limits,
            settings=settings, dask=args.dask,
        )
    except (OutputLockedError, OutputUnwritableError, FoldersOverlapError) as error:
        parser.error(str(error))
    except ModuleNotFoundError as error:
        if args.dask is None or error.name not in ("dask", "distributed"):
            raise
        print(f"newsletter-extract: --dask needs Dask: pip install 'newsletter-extract[dask]' ({error})", file=sys.stderr)
        return 2
    except ClusterUnreachable as error:  # nothing read, nothing written
        print(f"newsletter-extract: {error}; {out}/ is untouched", file=sys.stderr)
        return 2
    except ClusterError as error:  # lost mid-run, or could not run a task
        print(f"newsletter-extract: tables not written, {out}/ keeps the previous ones (the next run reuses the documents finished): {error}", file=sys.stderr)
        return 1
    except TableError as error:  # nothing written: the previous tables stay
        print(f"newsletter-extract: tables not written, {out}/ keeps the previous ones: {error}", file=sys.stderr)
        return 1
    except (OSError, duckdb.Error) as error:
        print(f"newsletter-extract: tables not written, {out}/ keeps the previous ones: {_describe_os_error(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"newsletter-extract: interrupted; {out}/ keeps the previous tables, and the next run reuses the documents finished", file=sys.stderr)
        return 130
    print(summary.line())
    print(f"tables written to {out}/")
    if args.timings is not None:
        import json

        args.timings.write_text(json.dumps(summary.timings_record(), indent=1) + "\n")
    return 1 if summary.failed else 0


def _holds_pdfs(folder: Path, at_least: int) -> bool:
    """``folder`` holds ``at_least`` files named ``*.pdf`` (looks no further than that)."""
    found = (path for path in folder.rglob("*") if path.name.lower().endswith(".pdf"))
    return sum(1 for _ in itertools.islice(found, at_least)) >= at_least


def _describe_os_error(error: Exception) -> str:
    """``No space left on device (writing extracted/figures.parquet)``: the reason first, then where."""
    text = str(error).strip()
    reason = getattr(error, "strerror", None) or (text.splitlines()[0] if text else type(error).__name__)
    where = getattr(error, "filename", None)
    return f"{reason} ({where})" if where else reason


if __name__ == "__main__":
    sys.exit(main())
