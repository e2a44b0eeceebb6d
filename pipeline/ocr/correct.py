"""Safe corrections of what OCR is known to confuse, each logged as a repair.

Placeholder: no correction yet (see the report).
"""

from __future__ import annotations

from pipeline.records import Line, Repair


def correct_lines(lines: list[Line]) -> tuple[list[Line], list[Repair]]:
    return list(lines), []
