"""Tesseract, loaded once per process, reading one line of text with its alternatives.

The repair stage reads a few dozen lines per document.  Through the
``tesseract`` command each call would load the Japanese model again (a
tenth of a second); through tesserocr, a maintained binding to
Tesseract's C++ API, the model stays loaded and a line takes about 20 ms.
tesserocr also gives what the command line cannot: each recognised
symbol's box and the LSTM's alternative readings with their scores
(``lstm_choice_mode=2``), which the repair stage weighs against the
glyph's outline.

The models are Debian's (``tesseract-ocr-jpn``, ``-vie`` for Latin
letters with diacritics, ``-chi-sim`` for Chinese citations), found in
the usual tessdata folders or ``TESSDATA_PREFIX``; a model that is
missing falls back to Japanese.  Without tesserocr or the
Japanese model, :func:`engine_note` says why and nothing is read.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

_TESSDATA = (
    Path("/usr/share/tesseract-ocr/5/tessdata"),
    Path("/usr/share/tesseract-ocr/4.00/tessdata"),
    Path("/usr/share/tessdata"),
    Path("/usr/local/share/tessdata"),
)


@dataclass(frozen=True)
class OcrSymbol:
    """One recognised character: its text, score (0–1), x-range in image pixels, and alternatives."""

    text: str
    confidence: float
    x0: int
    x1: int
    choices: tuple[tuple[str, float], ...]  # (text, score 0–1), best first, the reading included


def tessdata_folder(language: str = "jpn") -> Path | None:
    """The folder holding ``LANGUAGE.traineddata``, if any."""
    folders = [Path(p) for p in [os.environ.get("TESSDATA_PREFIX", "")] if p] + list(_TESSDATA)
    for folder in folders:
        for candidate in (folder, folder / "tessdata"):
            if (candidate / f"{language}.traineddata").is_file():
                return candidate
    return None


def installed_languages() -> list[str]:
    """The models the repair stage reads with that are installed (jpn, vie, chi_sim)."""
    return [language for language in ("jpn", "vie", "chi_sim") if tessdata_folder(language) is not None]


@functools.lru_cache(maxsize=1)
def engine_note() -> str | None:
    """Why glyph shapes cannot be read here, or ``None`` when they can."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return "glyph shapes not read: the tesserocr package is not installed"
    if tessdata_folder("jpn") is None:
        return "glyph shapes not read: Tesseract's Japanese model (tesseract-ocr-jpn) is not installed"
    return None


@functools.lru_cache(maxsize=4)
def _api(language: str):
    import tesserocr

    # OMP threads would fight the document workers for the cores; one per process
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    api = tesserocr.PyTessBaseAPI(path=str(tessdata_folder(language.split("+")[0])), lang=language, psm=tesserocr.PSM.SINGLE_LINE)
    api.SetVariable("lstm_choice_mode", "2")
    return api


def read_line(image, language: str = "jpn") -> list[OcrSymbol]:
    """The symbols Tesseract reads on an image of one line, left to right.

    A language whose model is not installed falls back to Japanese.
    """
    if engine_note() is not None:
        return []
    if any(tessdata_folder(part) is None for part in language.split("+")):
        language = "jpn"
    import tesserocr

    api = _api(language)
    api.SetImage(image)
    if api.Recognize() is False:
        return []
    symbols: list[OcrSymbol] = []
    level = tesserocr.RIL.SYMBOL
    iterator = api.GetIterator()
    if iterator is None:
        return []
    for item in tesserocr.iterate_level(iterator, level):
        try:
            text = item.GetUTF8Text(level)
        except RuntimeError:  # tesserocr raises for a symbol without text
            continue
        box = item.BoundingBox(level)
        if not text or box is None:
            continue
        choices = []
        for choice in item.GetChoiceIterator():
            try:
                choice_text = choice.GetUTF8Text()
            except RuntimeError:
                continue
            if choice_text:
                choices.append((choice_text, max(0.0, choice.Confidence()) / 100))
        confidence = max(0.0, item.Confidence(level)) / 100
        if not any(choice_text == text for choice_text, _ in choices):
            choices.insert(0, (text, confidence))
        symbols.append(OcrSymbol(text, confidence, box[0], box[2], tuple(choices)))
    return symbols
