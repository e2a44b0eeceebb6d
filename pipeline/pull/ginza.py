"""GiNZA's reading of texts: tokens with Sudachi's tags and the model's entity spans, as plain values.

This is the part of entity finding that needs the model, and the only part
whose output is kept between runs (:mod:`pipeline.stage_cache`, stage
``analysis``), under :func:`model_key`: the model and library versions and
this module's code, not the rules that correct the spans afterwards
(:mod:`pipeline.pull.entity_labels`), which can change without GiNZA
running again.

Long texts are cut into pieces because SudachiPy refuses input over
49,149 bytes; pieces end at paragraph or sentence ends so no name is cut,
and every offset is mapped back into the original text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

#: Texts GiNZA and the trained component read at once.
BATCH = 32
#: Below SudachiPy's limit of 49,149 bytes, with room to spare.
MAX_CHUNK_BYTES = 40_000
#: Pipes whose output no rule reads.  The rules read Sudachi's tags and
#: split (set by the tokenizer) and the NER; not the dependencies (parser),
#: the bunsetu and compound pipes built on them, nor the morphologizer's POS
#: (the tokenizer's POS from Sudachi's tags does as well).  Measured on the
#: gold bodies: same F1, about 5-10% faster; tok2vec and ner take the rest.
UNUSED_PIPES = ("parser", "morphologizer", "compound_splitter", "bunsetu_recognizer")
#: What each token holds, in order (:class:`pipeline.pull.entity_labels.Tok` has these fields).
TOKEN_FIELDS = ("text", "start", "end", "pos", "tag", "ent_type", "parts", "common_word")
#: Distributions whose version changes GiNZA's reading.
LIBRARIES = ("spacy", "thinc", "ginza", "ja-ginza", "sudachipy", "sudachidict-core")


@dataclass(frozen=True)
class Analysis:
    """One text as GiNZA read it: tokens (values in :data:`TOKEN_FIELDS` order), GiNZA's entity spans
    (first token, end token, Sekine label) and the trained component's (:mod:`pipeline.pull.trained_ner`, our labels)."""

    tokens: tuple[tuple, ...]
    spans: tuple[tuple[int, int, str], ...]
    model_spans: tuple[tuple[int, int, str], ...] = ()

    def to_json(self) -> dict:
        return {
            "tokens": [list(token) for token in self.tokens],
            "spans": [list(span) for span in self.spans],
            "model_spans": [list(span) for span in self.model_spans],
        }

    @staticmethod
    def from_json(stored) -> Analysis:
        """The analysis kept as :meth:`to_json`; ValueError for anything else."""
        try:
            tokens = tuple(
                (text, start, end, pos, tag, ent_type, tuple(tuple(part) for part in parts), common)
                for text, start, end, pos, tag, ent_type, parts, common in stored["tokens"]
            )
            spans = tuple((first, end, label) for first, end, label in stored["spans"])
            model_spans = tuple((first, end, label) for first, end, label in stored["model_spans"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"damaged analysis: {error}") from error
        return Analysis(tokens, spans, model_spans)


class Ginza:
    """ja_ginza, loaded on first use, reading many texts at once."""

    def __init__(self, model: str = "ja_ginza", disable: tuple[str, ...] = UNUSED_PIPES):
        self.model = model
        self.disable = disable
        self._nlp = None
        self._trained = None  # the trained NER component, run after GiNZA's own on the same tok2vec output
        self.load_seconds = 0.0

    @property
    def nlp(self):
        if self._nlp is None:
            start = time.perf_counter()
            import spacy  # heavy: imported only when a text must be read

            from pipeline.pull.fast_ops import openblas_ops

            from pipeline.pull.trained_ner import COMPONENT, load_component

            with openblas_ops():  # while loading: layers keep the ops they are built with
                nlp = spacy.load(self.model, disable=list(self.disable))
                self._trained = load_component(nlp)
                if self._trained is not None:
                    # run by hand after the pipe: in it, a second ner would have to keep GiNZA's entities
                    nlp.disable_pipe(COMPONENT)
                self._nlp = nlp
            self.load_seconds += time.perf_counter() - start
        return self._nlp

    def analyse(self, texts: list[str]) -> list[Analysis]:
        """Each text's tokens and entity spans, offsets into that text."""
        pieces = [(n, offset, piece) for n, text in enumerate(texts) for offset, piece in split_text(text)]
        tokens: list[list[tuple]] = [[] for _ in texts]
        spans: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        model_spans: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        if pieces:
            from pipeline.pull.fast_ops import openblas_ops
            from pipeline.pull.trained_ner import carry_ginza_entities

            with openblas_ops():  # the process's own thinc ops are back after the block
                docs = self.nlp.pipe((piece for _, _, piece in pieces), batch_size=BATCH)
                # a batch at a time: each doc holds its tok2vec tensor until the trained component has read it
                for start in range(0, len(pieces), BATCH):
                    batch = list(islice(docs, BATCH))
                    firsts = []
                    for (n, offset, _), doc in zip(pieces[start : start + BATCH], batch):
                        first = len(tokens[n])
                        firsts.append(first)
                        tokens[n].extend(to_toks(doc, offset))
                        spans[n].extend((first + e.start, first + e.end, e.label_) for e in doc.ents)
                        # the trained component finds its own, from the tok2vec output in doc.tensor and GiNZA's reading
                        carry_ginza_entities(doc)
                    if self._trained is not None:
                        found = self._trained.pipe(batch, batch_size=BATCH)
                        for (n, _, _), first, doc in zip(pieces[start : start + BATCH], firsts, found):
                            model_spans[n].extend((first + e.start, first + e.end, e.label_) for e in doc.ents)
        return [Analysis(tuple(t), tuple(s), tuple(m)) for t, s, m in zip(tokens, spans, model_spans)]


def model_key(model: str = "ja_ginza", disable: tuple[str, ...] = UNUSED_PIPES) -> str:
    """What a kept analysis must have been made with: model, pipes, library versions, this module's code."""
    from pipeline.pull.trained_ner import weights_version
    from pipeline.stage_cache import code_key, library_versions, text_key

    return text_key(
        "analysis", model, ",".join(disable), ",".join(TOKEN_FIELDS), code_key(__name__), weights_version(), *library_versions(LIBRARIES)
    )


def to_toks(doc, offset: int) -> list[tuple]:
    """spaCy tokens as plain values (:data:`TOKEN_FIELDS`), offsets shifted to the whole text."""
    sub_tokens = doc.user_data.get("sub_tokens") or [None] * len(doc)
    toks = []
    for t, subs in zip(doc, sub_tokens):
        short = subs[0] if subs else []
        parts = tuple((d.surface, d.tag) for d in short) if len(short) > 1 else ()
        start = offset + t.idx
        # Sudachi tags unknown words as common nouns: is this one in its dictionary?
        common = "固有名詞" in t.tag_ or not t.tag_.startswith("名詞-普通名詞") or is_common_word(t.text)
        toks.append((t.text, start, start + len(t.text), t.pos_, t.tag_, t.ent_type_, parts, common))
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
