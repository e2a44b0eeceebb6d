"""Write a frame as a CSV that a spreadsheet shows as text and does not evaluate.

Analysts open the CSVs in Excel, LibreOffice or Google Sheets, and those
read a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula:
``=HYPERLINK("http://…","click")`` in a PDF's text, or in an auditor's
correction, would become a live link (or worse) on the analyst's machine.
Following OWASP's advice on CSV injection, such a text cell gets a leading
single quote, which the spreadsheet shows and does not evaluate.  Tab and
carriage return are triggers too (OWASP), and so is NUL (OWASP ASVS), and
the full-width ``＝ ＋ － ＠``, which some spreadsheets also take for the
ASCII signs; Japanese text has them.

Only text is touched: a column typed as a number (``-3.5`` in ``value``)
stays a number a spreadsheet can add up.  A text cell such as ``"-3"`` is
prefixed like any other, as OWASP says, since ``-3+cmd…`` is text as well.
A cell that already begins with a quote gets one more, so the change can
be undone exactly (:func:`restore_cell`) by the project's own readers.

Lines end in CRLF, as RFC 4180 has it.  This is not a matter of taste: the
csv module quotes a cell only for the characters of its line ending, so with
``\n`` alone a cell holding a bare ``\r`` went out unquoted, and a
spreadsheet starts a new row at that ``\r``: ``"note\r=HYPERLINK(…)"`` put
a live formula at the start of a row, past the prefix.

The Parquet files and the DuckDB database keep the values as they are:
they are read by programs, which do not evaluate cells.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

PREFIX = "'"
# What makes a spreadsheet evaluate a cell, as its first character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0", "＝", "＋", "－", "＠")
# What gets the prefix: the formula starts, and the prefix itself (so that it can be removed again).
PREFIXED_STARTS = (*FORMULA_STARTS, PREFIX)
# with \r in the line ending, a cell holding \r is quoted, so it stays in its row
LINE_END = "\r\n"


def neutralise_cell(value):
    """``value`` as a spreadsheet should get it: text that could be a formula gets a leading ``'``.

    >>> neutralise_cell('=HYPERLINK("http://example.com")')
    '\\'=HYPERLINK("http://example.com")'
    >>> neutralise_cell("－３％"), neutralise_cell("約3%"), neutralise_cell(-3.5)
    ("'－３％", '約3%', -3.5)
    """
    if isinstance(value, str) and value.startswith(PREFIXED_STARTS):
        return PREFIX + value
    return value


def restore_cell(value):
    """The value :func:`neutralise_cell` was given: one leading ``'`` removed, if there is one.

    >>> restore_cell("'=1+1"), restore_cell("''quoted"), restore_cell("plain")
    ('=1+1', "'quoted", 'plain')
    """
    if isinstance(value, str) and value.startswith(PREFIX):
        return value[len(PREFIX):]
    return value


def is_text(series: pd.Series) -> bool:
    """Whether a column holds text (pandas ``string`` or ``object``), not numbers, booleans or dates."""
    return isinstance(series.dtype, pd.StringDtype) or series.dtype == object


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised; ``frame`` itself is left as it is."""
    safe = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if not is_text(values):
            continue
        # an object column may hold non-strings too: those stay as they are
        starts = np.fromiter((isinstance(value, str) and value.startswith(PREFIXED_STARTS) for value in values), bool, len(values))
        if starts.any():
            safe.loc[starts, column] = (PREFIX + values[starts]).to_numpy()  # by position: the index may repeat
    return safe


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` as CSV (no index), with no cell a spreadsheet would evaluate."""
    spreadsheet_safe(frame).to_csv(path, index=False, lineterminator=LINE_END)
