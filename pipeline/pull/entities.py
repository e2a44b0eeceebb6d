"""Named entities in article text: GiNZA's NER, then the project's corrections.

GiNZA finds most names but its extents and labels need the rules in
:mod:`pipeline.pull.entity_labels`; this module only runs the model and
hands each text's tokens and spans to those rules.

Long texts are cut into pieces because SudachiPy refuses input over
49,149 bytes; pieces end at paragraph or sentence ends so no name is cut,
and every offset is mapped back into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pipeline.pull.entity_labels import Candidate, Tok, correct
from pipeline.pull.fast_ops import openblas_ops
from pipeline.pull.mentions import EntityMention

#: Below SudachiPy's limit of 49,149 bytes, with room to spare.
MAX_CHUNK_BYTES = 40_000
#: Pipes whose output no rule reads.  The rules read Sudachi's tags and
#: split (set by the tokenizer) and the NER; not the dependencies (parser),
#: the bunsetu and compound pipes built on them, nor the morphologizer's POS
#: (the tokenizer's POS from Sudachi's tags does as well).  Measured on the
#: gold bodies: same F1, about 5-10% faster; tok2vec and ner take the rest.
UNUSED_PIPES = ("parser", "morphologizer", "compound_splitter", "bunsetu_recognizer")


class EntityFinder:
    """Loads ja_ginza once and finds the named entities of many texts."""

    def __init__(self, model: str = "ja_ginza", disable: tuple[str, ...] = UNUSED_PIPES):
        import spacy  # heavy: imported only when a finder is made

        with openblas_ops():  # while loading: layers keep the ops they are built with
            self.nlp = spacy.load(model, disable=list(disable))

    def find(self, texts: list[str]) -> list[list[EntityMention]]:
        """Entities of each text, with offsets into that text."""
        pieces = [(n, offset, piece) for n, text in enumerate(texts) for offset, piece in split_text(text)]
        tokens: list[list[Tok]] = [[] for _ in texts]
        spans: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        with openblas_ops():  # the process's own thinc ops are back after the block
            docs = self.nlp.pipe((piece for _, _, piece in pieces), batch_size=32)
            for (n, offset, _), doc in zip(pieces, docs):
                first = len(tokens[n])
                tokens[n].extend(to_toks(doc, offset))
                spans[n].extend((first + e.start, first + e.end, e.label_) for e in doc.ents)
        return [
            [to_mention(text, c) for c in correct(text, tokens[n], spans[n])] for n, text in enumerate(texts)
        ]


def to_toks(doc, offset: int) -> list[Tok]:
    """spaCy tokens as plain records, offsets shifted to the whole text."""
    sub_tokens = doc.user_data.get("sub_tokens") or [None] * len(doc)
    toks = []
    for t, subs in zip(doc, sub_tokens):
        short = subs[0] if subs else []
        parts = tuple((d.surface, d.tag) for d in short) if len(short) > 1 else ()
        start = offset + t.idx
        # Sudachi tags unknown words as common nouns: is this one in its dictionary?
        common = "固有名詞" in t.tag_ or not t.tag_.startswith("名詞-普通名詞") or is_common_word(t.text)
        toks.append(Tok(t.text, start, start + len(t.text), t.pos_, t.tag_, t.ent_type_, parts, common))
    return toks


@lru_cache(maxsize=50_000)
def is_common_word(surface: str) -> bool:
    """Sudachi's dictionary lists ``surface`` as a common noun.

    Asked where Sudachi chose the common-noun reading: words missing from the
    dictionary (ラヨーン, チェプラク, MNRE) get that tag too, and are mostly names.
    """
    return any(m.part_of_speech()[1] == "普通名詞" for m in _dictionary().lookup(surface))


@lru_cache(maxsize=1)
def _dictionary():
    import sudachipy

    return sudachipy.Dictionary(dict="core")


def to_mention(text: str, candidate: Candidate) -> EntityMention:
    return EntityMention(
        surface=text[candidate.start : candidate.end],
        label=candidate.label,
        ner_label=candidate.ner_label,
        char_start=candidate.start,
        char_end=candidate.end,
        canonical=candidate.canonical,
    )


@lru_cache(maxsize=None)
def get_entity_finder(model: str = "ja_ginza") -> EntityFinder:
    """One finder per process: loading the model takes seconds."""
    return EntityFinder(model)


def split_text(text: str, max_bytes: int = MAX_CHUNK_BYTES) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into (offset, piece) under ``max_bytes`` of UTF-8.

    Pieces are whole paragraphs where possible, else whole sentences (。！？),
    else fixed-size slices; joined back they are exactly ``text``.
    """
    if not text:
        return
    if len(text.encode("utf-8")) <= max_bytes:
        yield 0, text
        return
    start, size, offset = 0, 0, 0
    for unit in _units(text, max_bytes):
        unit_size = len(unit.encode("utf-8"))
        if size and size + unit_size > max_bytes:
            yield start, text[start:offset]
            start, size = offset, 0
        size += unit_size
        offset += len(unit)
    if offset > start:
        yield start, text[start:offset]


def _units(text: str, max_bytes: int) -> Iterator[str]:
    """Paragraphs, or sentences of a paragraph too long, or slices of a sentence."""
    for paragraph in re.findall(r"[^\n]*\n|[^\n]+$", text):
        if len(paragraph.encode("utf-8")) <= max_bytes:
            yield paragraph
            continue
        for sentence in re.findall(r"[^。！？!?]*[。！？!?]+|[^。！？!?]+$", paragraph):
            while len(sentence.encode("utf-8")) > max_bytes:
                cut = max_bytes // 4  # at most 4 bytes a character
                yield sentence[:cut]
                sentence = sentence[cut:]
            if sentence:
                yield sentence
