"""The Wikipedia NER set (stockmarkteam/ner-wikipedia-dataset), split once into a tuning part and a test part.

The split is a fixed rule on the Wikipedia article id (``curid``), so that
sentences of one article never sit on both sides: an article whose
SHA-256(curid) is 0 modulo 5 is in the test part (about a fifth), the rest
is the tuning part.  Inside the tuning part, 1 modulo 5 is the development
slice a trainer may stop on.  Every rule, list or model is developed on
the tuning part; F1 is reported on the test part.

The dataset's eight types are mapped to ours (its README): 人名 -> PERSON;
法人名, 政治的組織名, その他の組織名 -> ORG; 地名 -> GPE (or LOC: the dataset
does not tell countries and towns from rivers and mountains, so either
counts); 施設名 -> FAC; 製品名 -> PRODUCT; イベント名 -> EVENT.

The data is CC BY-SA 3.0 and is read from the shared folder, never copied.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "ner-wikipedia-ja" / "ner.json"
TYPE_TO_LABEL = {
    "人名": "PERSON",
    "法人名": "ORG",
    "政治的組織名": "ORG",
    "その他の組織名": "ORG",
    "地名": "GPE",
    "施設名": "FAC",
    "製品名": "PRODUCT",
    "イベント名": "EVENT",
}
#: Our labels a dataset type may be scored as.
ACCEPTED = {"GPE": ("GPE", "LOC")}
LABELS = ("PERSON", "ORG", "GPE", "FAC", "EVENT", "PRODUCT")
PARTS = ("test", "dev", "train")


def part_of(curid: str) -> str:
    """'test', 'dev' (the development slice of the tuning part) or 'train', by the article id alone."""
    bucket = int(hashlib.sha256(str(curid).encode()).hexdigest(), 16) % 5
    return PARTS[bucket] if bucket < 2 else "train"


def load(part: str | None = None, path: Path = DATA) -> list[dict]:
    """The sentences of one part ('test', 'tuning' = dev + train, 'dev', 'train'), or all of them."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    if part is None:
        return rows
    wanted = {"tuning": ("dev", "train")}.get(part, (part,))
    return [row for row in rows if part_of(row["curid"]) in wanted]


def gold_spans(row: dict) -> set[tuple[int, int, str]]:
    """(start, end, our label) of each entity of one sentence."""
    return {(e["span"][0], e["span"][1], TYPE_TO_LABEL[e["type"]]) for e in row["entities"]}


def scored_label(label: str) -> str:
    """The label a prediction is scored under (LOC is scored as the dataset's 地名, i.e. GPE)."""
    return "GPE" if label == "LOC" else label
