#!/usr/bin/env python3
"""Score the entity finder on the test part of the Wikipedia NER set (stockmarkteam/ner-wikipedia-dataset).

    python scripts/ner_benchmark.py [--part test|tuning|dev|train|all] [--raw | --wiki] [--limit N]

The split into a tuning part and a test part, and the mapping of the
dataset's eight types onto our labels, are in ``scripts/ner_data.py``.  It
has no laws, so LAW predictions are not scored.  A prediction counts when
span and label both match exactly (LOC counts as the dataset's 地名).
Per-type precision/recall/F1 and the micro average are printed, and recall
per original type, since the three organisation types collapse into one.

``--raw`` scores GiNZA's own spans with only the label mapping, to show
what the correction rules add or cost on text unlike the newsletters;
``--wiki`` scores the trained component's spans alone.
The data is CC BY-SA 3.0 and is read from the shared folder, never copied.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ner_data  # noqa: E402
from ner_data import LABELS, TYPE_TO_LABEL, scored_label  # noqa: E402

from pipeline.pull.entities import UNUSED_PIPES, EntityFinder  # noqa: E402
from pipeline.pull.entity_labels import ENE_TO_LABEL  # noqa: E402


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def predict(finder: EntityFinder, texts: list[str], mode: str) -> list[set[tuple[int, int, str]]]:
    if mode == "raw":
        docs = finder.nlp.pipe(texts, batch_size=64)
        found = [{(e.start_char, e.end_char, ENE_TO_LABEL[e.label_]) for e in d.ents if e.label_ in ENE_TO_LABEL} for d in docs]
    elif mode == "wiki":
        found = [{(d.tokens[a][1], d.tokens[b - 1][2], label) for a, b, label in d.model_spans} for d in finder.analyse(texts)]
    else:
        found = [{(m.char_start, m.char_end, m.label) for m in ms} for ms in finder.find(texts)]
    return [{(s, e, scored_label(label)) for s, e, label in spans} for spans in found]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ner_data.DATA, help="ner.json (default: %(default)s)")
    ap.add_argument("--part", default="test", choices=("test", "tuning", "dev", "train", "all"), help="which part (default: %(default)s)")
    ap.add_argument("--limit", type=int, help="score only the first N sentences")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--raw", action="store_true", help="GiNZA's spans with the label mapping only")
    mode.add_argument("--wiki", action="store_true", help="the trained component's spans alone")
    ap.add_argument("--disable", default=",".join(UNUSED_PIPES), help="pipes to disable (default: %(default)s)")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed and spurious entities")
    a = ap.parse_args()
    if not a.data.exists():
        sys.exit(f"no data at {a.data}: pass --data")
    rows = ner_data.load(None if a.part == "all" else a.part, a.data)[: a.limit]
    texts = [r["text"] for r in rows]

    finder = EntityFinder(disable=tuple(p for p in a.disable.split(",") if p))
    started = time.perf_counter()
    mode = "raw" if a.raw else "wiki" if a.wiki else "finder"
    predictions = predict(finder, texts, mode)
    seconds = time.perf_counter() - started

    tp, pred, gold = Counter(), Counter(), Counter()
    type_hit, type_all = Counter(), Counter()
    misses: list[str] = []
    for row, predicted in zip(rows, predictions):
        predicted = {p for p in predicted if p[2] in LABELS}
        expected = ner_data.gold_spans(row)
        for e in row["entities"]:
            type_all[e["type"]] += 1
            type_hit[e["type"]] += (e["span"][0], e["span"][1], TYPE_TO_LABEL[e["type"]]) in predicted
        for s, e, label in predicted:
            pred[label] += 1
            tp[label] += (s, e, label) in expected
        for s, e, label in expected:
            gold[label] += 1
        if len(misses) < 2 * a.misses:
            misses += [f"missed   {row['text'][s:e]}/{label}  in {row['text']}" for s, e, label in expected - predicted]
            misses += [f"spurious {row['text'][s:e]}/{label}  in {row['text']}" for s, e, label in predicted - expected]

    title = {"raw": "GiNZA raw (label mapping only)", "wiki": "trained component alone", "finder": "EntityFinder"}[mode]
    print(f"{title} on {len(rows)} sentences of the {a.part} part, pipes: {finder.nlp.pipe_names}")
    print(f"{'label':8s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tp':>6s} {'pred':>6s} {'gold':>6s}")
    for label in LABELS:
        p, r, f = prf(tp[label], pred[label], gold[label])
        print(f"{label:8s} {p:6.3f} {r:6.3f} {f:6.3f} {tp[label]:6d} {pred[label]:6d} {gold[label]:6d}")
    p, r, f = prf(sum(tp.values()), sum(pred.values()), sum(gold.values()))
    print(f"{'micro':8s} {p:6.3f} {r:6.3f} {f:6.3f} {sum(tp.values()):6d} {sum(pred.values()):6d} {sum(gold.values()):6d}")
    print("recall by dataset type: " + ", ".join(f"{t} {type_hit[t] / type_all[t]:.3f}" for t in TYPE_TO_LABEL if type_all[t]))
    print(f"speed: {sum(map(len, texts)) / seconds:.0f} chars/s")
    for line in misses[: 2 * a.misses]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
