"""Pure ``str -> str`` fixes for text that came out of the PDF wrongly encoded.

ftfy undoes encoding mix-ups (``æ—¥æœ¬èªž`` -> ``日本語``).  Its configuration
is narrowed for Japanese: full-width forms stay (``１５０社`` is what the page
shows, and the pull stage reads it), curly quotes stay (Chinese citations use
them), and no Unicode normalisation runs, because NFC and NFKC would also
rewrite compatibility ideographs that people use in their names.

>>> fix_encoding("æ—¥æœ¬èªž")
'日本語'
>>> fix_encoding("１５０社と“一带一路”")
'１５０社と“一带一路”'
"""

from __future__ import annotations

import ftfy

FTFY_CONFIG = ftfy.TextFixerConfig(
    fix_character_width=False,
    uncurl_quotes=False,
    fix_latin_ligatures=True,
    normalization=None,
    explain=False,
)


def fix_encoding(text: str) -> str:
    """Undo mojibake from encoding mix-ups; leave everything else alone."""
    return ftfy.fix_text(text, config=FTFY_CONFIG)
