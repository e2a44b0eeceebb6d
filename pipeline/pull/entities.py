"""Named entities in article text: GiNZA's NER, then the project's corrections.

GiNZA finds most names but its extents and labels need the rules in
:mod:`pipeline.pull.entity_labels`; this module hands each text's tokens
and spans (read by :mod:`pipeline.pull.ginza`, or kept from an earlier run)
to those rules.  Since the rules run afresh each time, changing them does
not make GiNZA read anything again.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.pull.entity_labels import Candidate, Tok, correct
from pipeline.pull.ginza import MAX_CHUNK_BYTES, UNUSED_PIPES, Analysis, Ginza, model_key, split_text, to_toks
from pipeline.pull.mentions import EntityMention
from pipeline.pull.trained_ner import component_shipped
from pipeline.stage_cache import ANALYSIS_STAGE, text_key


class EntityFinder:
    """Finds the named entities of many texts; GiNZA reads only texts no kept analysis covers.

    ``store`` is a :class:`pipeline.stage_cache.StageCache` (or None): each
    text's analysis is looked up there under the model's key and kept
    there after GiNZA reads it.
    """

    def __init__(self, model: str = "ja_ginza", disable: tuple[str, ...] = UNUSED_PIPES, store=None):
        self.ginza = shared_ginza(model, disable)
        self.store = store
        self.key = model_key(model, disable) if store is not None else None
        self.read_by_model = 0  # texts GiNZA read in this finder's life (the rest were kept)

    @property
    def nlp(self):
        """The loaded spaCy pipeline (loads it)."""
        return self.ginza.nlp

    @property
    def load_seconds(self) -> float:
        """Seconds this process spent loading the model (shared by every finder of the process)."""
        return self.ginza.load_seconds

    def find(self, texts: list[str]) -> list[list[EntityMention]]:
        """Entities of each text, with offsets into that text."""
        read_by_component = component_shipped()  # else GiNZA's spans are not checked against an empty reading
        return [
            [
                to_mention(text, candidate)
                for candidate in correct(
                    text, [Tok(*token) for token in analysis.tokens], list(analysis.spans), analysis.model_spans if read_by_component else None
                )
            ]
            for text, analysis in zip(texts, self.analyse(texts))
        ]

    def analyse(self, texts: list[str]) -> list[Analysis]:
        """GiNZA's analysis of each text, from the store where kept."""
        found: list[Analysis | None] = [self._kept(text) for text in texts]
        missing = [n for n, analysis in enumerate(found) if analysis is None]
        if missing:
            for n, analysis in zip(missing, self.ginza.analyse([texts[n] for n in missing])):
                found[n] = analysis
                self._keep(texts[n], analysis)
            self.read_by_model += len(missing)
        return found

    def _entry(self, text: str) -> str:
        return text_key(self.key, text)

    def _kept(self, text: str) -> Analysis | None:
        if self.store is None:
            return None
        stored = self.store.get(ANALYSIS_STAGE, self._entry(text))
        if stored is None:
            return None
        try:
            return Analysis.from_json(stored)
        except ValueError:
            return None

    def _keep(self, text: str, analysis: Analysis) -> None:
        if self.store is not None:
            self.store.put(ANALYSIS_STAGE, self._entry(text), analysis.to_json())


def to_mention(text: str, candidate: Candidate) -> EntityMention:
    return EntityMention(
        surface=text[candidate.start : candidate.end],
        label=candidate.label,
        ner_label=candidate.ner_label,
        char_start=candidate.start,
        char_end=candidate.end,
        canonical=candidate.canonical,
        rule=candidate.rule or "ginza",
    )


@lru_cache(maxsize=None)
def shared_ginza(model: str = "ja_ginza", disable: tuple[str, ...] = UNUSED_PIPES) -> Ginza:
    """One model per process, loaded on first use: loading takes seconds."""
    return Ginza(model, disable)


@lru_cache(maxsize=None)
def get_entity_finder(model: str = "ja_ginza") -> EntityFinder:
    """A finder with no store, on the process's model."""
    return EntityFinder(model)


__all__ = ["EntityFinder", "get_entity_finder", "split_text", "to_toks", "MAX_CHUNK_BYTES", "UNUSED_PIPES", "ANALYSIS_STAGE"]
