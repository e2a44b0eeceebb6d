"""Every named rule of the pull stage, held by cases kept as data (ftfy's layout).

``tests/rule_cases/`` holds four files of JSON lines:

- ``synthetic.jsonl``: sentences written for the project, one or more per rule,
  with the rows the rule must give (``expect``);
- ``in-the-wild.jsonl``: real text from outside the project, read where it
  lives (a ja-timex or ja-numbers peer case, a sentence of the tuning part of
  the Wikipedia NER set), never a sentence of the shared newsletters' gold;
- ``negative.jsonl``: text where the rule must not fire (``absent``);
- ``known-failure.jsonl``: cases the rules get wrong today, each with its
  reason; the test fails when one starts passing, so it moves to the others.

A case names its stage (figures, dates, entities) and its rule; ``expect`` and
``absent`` are lists of partial rows (``{}`` matches any row).  Every rule in
a stage's ``RULES`` must have a positive and a negative case, and every row a
case gives must name a rule of ``RULES``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import SHARED, load_jsonl
from pipeline.pull import dates, entity_labels, figures

CASES_DIR = Path(__file__).resolve().parent / "rule_cases"
KINDS = ("synthetic", "in-the-wild", "negative", "known-failure")
RULES = {"figures": figures.RULES, "dates": dates.RULES, "entities": entity_labels.RULES}
PEER_FILES = {"ja-timex": SHARED / "bench" / "ja-timex-cases.jsonl", "ja-numbers": SHARED / "bench" / "ja-numbers-cases.jsonl"}
NER_WIKIPEDIA = SHARED / "bench" / "ner-wikipedia-ja" / "ner.json"


def cases(kind: str) -> list[dict]:
    return [dict(case, kind=kind) for case in load_jsonl(CASES_DIR / f"{kind}.jsonl")]


ALL_CASES = [case for kind in KINDS for case in cases(kind)]


@lru_cache(maxsize=None)
def _peer_texts(source: str) -> dict[str, str]:
    return {c["id"]: c.get("text", c.get("input")) for c in load_jsonl(PEER_FILES[source])}


@lru_cache(maxsize=1)
def _wikipedia() -> list[dict]:
    return json.loads(NER_WIKIPEDIA.read_text(encoding="utf-8"))


def text_of(case: dict) -> str:
    """The case's own text, or the real text it points to (read from ../shared, never copied)."""
    if "text" in case:
        return case["text"]
    source = case["source"]
    if not SHARED.exists():
        pytest.skip("the shared corpus is not checked out beside the repo")
    if source["corpus"] in PEER_FILES:
        return _peer_texts(source["corpus"])[source["id"]]
    if source["corpus"] == "ner-wikipedia":
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
        import ner_data

        row = next(r for r in _wikipedia() if r["curid"] == source["curid"] and r["text"].startswith(source["starts"]))
        assert ner_data.part_of(row["curid"]) != "test", "in-the-wild cases come from the tuning part only"
        return row["text"]
    raise AssertionError(f"unknown source {source}")


@pytest.fixture(scope="module")
def entity_finder():
    pytest.importorskip("ja_ginza", reason="the entity finder needs the ja_ginza model")
    from pipeline.pull.entities import get_entity_finder

    return get_entity_finder()


def rows_of(case: dict, request) -> list[dict]:
    text = text_of(case)
    if case["stage"] == "figures":
        return [vars(m) for m in figures.find_figures(text)]
    if case["stage"] == "dates":
        reference = case.get("reference")
        return [vars(m) for m in dates.find_dates(text, dt.date.fromisoformat(reference) if reference else None)]
    finder = request.getfixturevalue("entity_finder")
    [mentions] = finder.find([text])
    return [vars(m) for m in mentions]


def matches(row: dict, partial: dict) -> bool:
    return all(row.get(key) == value for key, value in partial.items())


def outcome(case: dict, rows: list[dict]) -> list[str]:
    """What is wrong with the rows for this case (empty when it passes)."""
    problems = [f"missing {e}" for e in case.get("expect", []) if not any(matches(r, e) for r in rows)]
    problems += [f"unwanted {a}" for a in case.get("absent", []) if any(matches(r, a) for r in rows)]
    if case["kind"] in ("synthetic", "in-the-wild") and not any(r.get("rule") == case["rule"] for r in rows):
        problems.append(f"no row by rule {case['rule']}")
    return problems


def _summary(rows: list[dict]) -> list[tuple]:
    return [(r.get("surface"), r.get("value", r.get("label")), r.get("unit"), r.get("rule")) for r in rows]


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{c['kind']}:{c['id']}")
def test_rule_case(case, request):
    rows = rows_of(case, request)
    problems = outcome(case, rows)
    if case["kind"] == "known-failure":
        assert problems, f"{case['id']} passes now: move it out of known-failure.jsonl"
        return
    assert not problems, (problems, _summary(rows))
    unnamed = {r.get("rule") for r in rows} - set(RULES[case["stage"]])
    assert not unnamed, f"rows by rules missing from {case['stage']}.RULES: {unnamed}"


def test_every_case_is_well_formed():
    ids = [c["id"] for c in ALL_CASES]
    assert len(ids) == len(set(ids)), "case ids are unique"
    for case in ALL_CASES:
        assert case["stage"] in RULES and case["rule"] in RULES[case["stage"]], case["id"]
        assert case.get("why") or case.get("reason"), f"{case['id']} says why"
        assert ("text" in case) != ("source" in case), case["id"]
        assert case.get("expect") or case.get("absent"), case["id"]
        if case["kind"] == "negative":
            assert case.get("absent"), case["id"]
        if case["kind"] == "known-failure":
            assert case.get("reason"), case["id"]


@pytest.mark.parametrize("stage", sorted(RULES))
def test_every_rule_has_positive_and_negative_cases(stage):
    positive = {c["rule"] for c in ALL_CASES if c["stage"] == stage and c["kind"] in ("synthetic", "in-the-wild")}
    negative = {c["rule"] for c in ALL_CASES if c["stage"] == stage and c["kind"] == "negative"}
    assert not set(RULES[stage]) - positive, f"rules without a positive case: {set(RULES[stage]) - positive}"
    assert not set(RULES[stage]) - negative, f"rules without a negative case: {set(RULES[stage]) - negative}"
