#!/usr/bin/env python3
"""Train the Wikipedia NER component on the tuning part, on top of GiNZA's frozen tok2vec.

    python scripts/train_ner.py [--epochs N] [--static-vectors] [--out DIR]
    OPENBLAS_NUM_THREADS=1 python scripts/train_ner.py --final 28 --static-vectors --dropout 0.3   # the shipped weights

The component is a spaCy ``ner`` (the same transition-based architecture
as GiNZA's own) that reads GiNZA's tok2vec output through a listener; the
tok2vec stays frozen, so only the component's own weights (a few MB) are
trained and shipped, and GiNZA itself is unchanged.  GiNZA's own NER runs
on every sentence first and its reading is handed to the component as a
feature (:func:`pipeline.pull.trained_ner.carry_ginza_entities`), as in the
pipeline.  It learns our six labels from the dataset's train slice
(:mod:`ner_data`), stops on the dev slice, and never sees the test part;
``--final`` trains on the whole tuning part for a number of epochs chosen
on the dev slice beforehand.  With the seed fixed and one BLAS thread the
run is reproducible on the same library versions; ``meta.json`` beside the
weights records what it was trained on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ner_data  # noqa: E402

from pipeline.pull.fast_ops import use_openblas_gemm  # noqa: E402
from pipeline.pull.trained_ner import COMPONENT, DEFAULT_DIR, add_component, carry_ginza_entities  # noqa: E402

SEED = 20261205


def read(nlp, texts):
    """Docs as the pipeline hands them to the component: GiNZA's tok2vec tensor, and GiNZA's entities moved to ``ent_id``."""
    with nlp.select_pipes(disable=[COMPONENT]):
        for doc in nlp.pipe(texts, batch_size=64):
            carry_ginza_entities(doc)
            yield doc


def examples(nlp, rows):
    """spaCy Examples whose predicted docs carry GiNZA's tok2vec tensor; spans that cut a token are left out (missing, not 'O')."""
    from spacy.training import Example

    docs = list(read(nlp, (row["text"] for row in rows)))
    out, cut = [], 0
    for doc, row in zip(docs, rows):
        spans = []
        for start, end, label in sorted(ner_data.gold_spans(row)):
            if doc.char_span(start, end) is None:
                cut += 1
                continue
            spans.append((start, end, label))
        out.append(Example.from_dict(doc, {"entities": spans}))
    return out, cut


def score(nlp, rows, docs) -> tuple[float, dict]:
    """Micro F1 on ``rows``, read once into ``docs`` (the component's entities of the last call are cleared first)."""
    component = nlp.get_pipe(COMPONENT)
    tp = pred = gold = 0
    for doc in docs:
        doc.ents = ()  # GiNZA's reading stays in ent_id
    docs = component.pipe(docs, batch_size=64)
    for doc, row in zip(docs, rows):
        predicted = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        expected = ner_data.gold_spans(row)
        tp += len(predicted & expected)
        pred += len(predicted)
        gold += len(expected)
    p, r = tp / max(pred, 1), tp / max(gold, 1)
    return (2 * p * r / (p + r) if p + r else 0.0), {"p": round(p, 4), "r": round(r, 4)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--patience", type=int, default=4)
    ap.add_argument("--out", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--limit", type=int, help="train on the first N sentences only (a quick check)")
    ap.add_argument("--width", type=int, default=96, help="the component's own tok2vec width")
    ap.add_argument("--depth", type=int, default=4, help="its encoder depth")
    ap.add_argument("--hidden", type=int, default=64, help="the NER head's hidden width")
    ap.add_argument("--static-vectors", action="store_true", help="give the own tok2vec GiNZA's static vectors too")
    ap.add_argument("--no-ginza-entities", action="store_true", help="leave GiNZA's entity reading out of the component's features")
    ap.add_argument("--dropout", type=float, default=0.2, help="dropout while training")
    ap.add_argument("--snapshots", type=lambda v: {int(n) for n in v.split(",")}, default=set(), help="with --final, also save the weights after these epochs (out/epoch-N)")
    ap.add_argument("--final", type=int, metavar="EPOCHS", help="train on the whole tuning part (train + dev) for this many epochs, no stopping")
    a = ap.parse_args()

    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(SEED)
    random.seed(SEED)
    # GiNZA's NER stays: its reading of each token is a feature of the component's (ent_id)
    use_openblas_gemm()  # numpy's BLAS, as the pipeline runs it: about three times as fast as thinc's default here
    nlp = spacy.load("ja_ginza", exclude=["parser", "morphologizer", "compound_splitter", "bunsetu_recognizer", "attribute_ruler"])
    sizes = {"width": a.width, "depth": a.depth, "hidden": a.hidden, "static_vectors": a.static_vectors, "ginza_entities": not a.no_ginza_entities}
    component = add_component(nlp, sizes=sizes)
    train_rows, dev_rows = ner_data.load("tuning" if a.final else "train")[: a.limit], ner_data.load("dev")
    epochs = a.final or a.epochs
    started = time.perf_counter()
    train, cut = examples(nlp, train_rows)
    dev_docs = list(read(nlp, (r["text"] for r in dev_rows)))
    print(f"{len(train)} training sentences, {cut} gold spans cut a token and are left out; tensors in {time.perf_counter() - started:.0f} s")
    component.initialize(lambda: train, nlp=nlp)
    optimizer = component.create_optimizer()
    best, best_epoch, history = -1.0, 0, []
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "sizes.json").write_text(json.dumps(sizes) + "\n")
    for epoch in range(1, epochs + 1):
        random.shuffle(train)
        losses: dict = {}
        for batch in minibatch(train, size=32):
            component.update(batch, sgd=optimizer, losses=losses, drop=a.dropout)
        raw_f1, _ = score(nlp, dev_rows, dev_docs)  # on --final the dev slice was trained on: a check, not a measure
        with component.model.use_params(optimizer.averages):  # the averaged weights are what is saved and run
            f1, pr = score(nlp, dev_rows, dev_docs)
        history.append({"epoch": epoch, "loss": round(float(losses[COMPONENT]), 1), "dev_f1": round(f1, 4), **pr, "dev_f1_raw_weights": round(raw_f1, 4)})
        print(history[-1], f"{time.perf_counter() - started:.0f} s", flush=True)
        if a.final:
            if epoch in a.snapshots:
                with component.model.use_params(optimizer.averages):
                    component.to_disk(a.out / f"epoch-{epoch}", exclude=["vocab"])
            if epoch == a.final:
                best, best_epoch = f1, epoch
                with component.model.use_params(optimizer.averages):
                    component.to_disk(a.out, exclude=["vocab"])
            continue
        if f1 > best:
            best, best_epoch = f1, epoch
            with component.model.use_params(optimizer.averages):
                component.to_disk(a.out, exclude=["vocab"])  # GiNZA's vocab is GiNZA's, not ours to ship
        elif epoch - best_epoch >= a.patience:
            break
    import spacy as _s

    meta = {
        "trained_on": "stockmarkteam/ner-wikipedia-dataset, "
        + ("the whole tuning part, train + dev slices (SHA-256(curid) % 5 >= 1)" if a.final else "train slice (SHA-256(curid) % 5 >= 2)"),
        "stopped_on": f"a fixed {a.final} epochs, chosen on the dev slice beforehand" if a.final else "dev slice (SHA-256(curid) % 5 == 1)",
        "sizes": sizes,
        "command": "python scripts/train_ner.py " + " ".join(sys.argv[1:]),
        "test_part_unseen": "SHA-256(curid) % 5 == 0",
        "seed": SEED,
        "dropout": a.dropout,
        "best_epoch": best_epoch,
        ("dev_micro_f1_seen_in_training" if a.final else "dev_micro_f1"): round(best, 4),
        "history": history,
        "spacy": _s.__version__,
        "base_model": "ja_ginza " + nlp.meta.get("version", ""),
        "license": "weights trained on CC BY-SA 3.0 data",
    }
    (a.out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"best dev F1 {best:.4f} at epoch {best_epoch}; saved to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
