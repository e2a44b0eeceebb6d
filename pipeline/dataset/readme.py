"""The tables' documentation (docs/tables.md), rendered from :mod:`pipeline.tables`.

docs/tables.md holds the rendering between two marker lines; a test checks
that it is exactly what :func:`render` gives.  After changing the schema:

    python -m pipeline.dataset.readme          # rewrite the section in docs/tables.md
    python -m pipeline.dataset.readme --check  # exit 1 when it is out of date

(The module keeps its name from when the section stood in the README.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.tables import SCHEMA, Column, Table

BEGIN = "<!-- tables: generated from pipeline/tables.py by `python -m pipeline.dataset.readme`; edit there, not here -->"
END = "<!-- end of tables -->"
DOC = Path(__file__).resolve().parents[2] / "docs" / "tables.md"


def _code(names) -> str:
    names = list(names)
    text = ", ".join(f"`{name}`" for name in names)
    return f"({text})" if len(names) > 1 else text


def _keys(table: Table) -> str:
    parts = [f"Key: {_code(table.primary_key)}."]
    if table.foreign_keys:
        links = [f"{_code(fk.columns)} → `{fk.table}`" for fk in table.foreign_keys]
        parts.append("Refers: " + "; ".join(links) + ".")
    return " ".join(parts)


def _type(column: Column, table: Table) -> str:
    required = column.required or column.name in table.primary_key
    return column.type + (", required" if required else "")


def render_table(table: Table) -> str:
    lines = [f"### `{table.name}`", f"{table.description} {_keys(table)}", "", "| column | type | meaning |", "|---|---|---|"]
    for column in table.columns:
        meaning = column.description.replace("|", r"\|")
        lines.append(f"| `{column.name}` | {_type(column, table)} | {meaning} |")
    return "\n".join(lines)


def render() -> str:
    """The whole generated section, markers included."""
    return "\n\n".join([BEGIN, *(render_table(table) for table in SCHEMA.values()), END])


def section(text: str) -> str | None:
    """The generated section as it stands in ``text``, or None."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return None
    return text[start : end + len(END)]


def update(path: Path = DOC) -> bool:
    """Rewrite the section in ``path``; True when something changed."""
    text = path.read_text(encoding="utf-8")
    current = section(text)
    if current is None:
        raise SystemExit(f"{path}: no section between the markers\n{BEGIN}\n{END}")
    if current == render():
        return False
    path.write_text(text.replace(current, render()), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the file is out of date")
    parser.add_argument("--file", type=Path, default=DOC, help="the Markdown file holding the section (default: docs/tables.md)")
    args = parser.parse_args(argv)
    if args.check:
        text = args.file.read_text(encoding="utf-8")
        if section(text) != render():
            print(f"{args.file}: table documentation differs from pipeline/tables.py; run python -m pipeline.dataset.readme")
            return 1
        print(f"{args.file}: up to date")
        return 0
    print(f"{args.file}: {'updated' if update(args.file) else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
