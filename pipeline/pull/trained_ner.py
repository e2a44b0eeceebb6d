"""The project's own NER component, trained on Wikipedia sentences, beside GiNZA's.

GiNZA's NER was trained on news text with Sekine's extended types; on
sentences unlike its training data its spans and labels fall to about 0.5
F1.  This component reads two things for each token: the output of
GiNZA's own tok2vec (a listener on it, frozen: GiNZA is not changed), and
a small tok2vec of its own over the word, its affixes, its shape and
Sudachi's part of speech (固有名詞-人名-姓, 固有名詞-地名-国 ...), which is
the dictionary's knowledge of names that GiNZA's tok2vec does not see;
with ``static_vectors`` also GiNZA's word vectors, and with
``ginza_entities`` GiNZA's own entity reading of the token (B/I and its
extended type, :func:`carry_ginza_entities`), so that it learns where
GiNZA's types hold on text unlike GiNZA's training data.
It was trained by ``scripts/train_ner.py`` on the tuning part of the
Stockmark Wikipedia NER set, with our labels (PERSON, ORG, GPE, FAC,
PRODUCT, EVENT).  Only its weights ship with the package
(``models/wiki_ner``).
"""

from __future__ import annotations

import json
from pathlib import Path

COMPONENT = "wiki_ner"
DEFAULT_DIR = Path(__file__).resolve().parent / "models" / COMPONENT
#: A tok2vec of the component's own: Sudachi's tag is the feature GiNZA's tok2vec lacks.
OWN_TOK2VEC = {
    "@architectures": "spacy.Tok2Vec.v2",
    "embed": {
        "@architectures": "spacy.MultiHashEmbed.v2",
        "width": 96,
        "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG"],
        "rows": [2000, 1000, 1000, 500, 300],
        "include_static_vectors": False,
    },
    "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 96, "depth": 4, "window_size": 1, "maxout_pieces": 3},
}
GINZA_FEATURES = {"@architectures": "spacy.Tok2VecListener.v1", "width": 256, "upstream": "tok2vec"}
ARCHITECTURE = "newsletter_extract.ConcatTok2Vec.v1"


def _register() -> None:
    """Name the concatenation in spaCy's registry (its documented extension point), once."""
    import spacy

    if ARCHITECTURE in spacy.registry.architectures:
        return

    @spacy.registry.architectures(ARCHITECTURE)
    def concat_tok2vec(first, second):
        from thinc.api import concatenate

        return concatenate(first, second)


#: GiNZA's own NER head, over GiNZA's features and its own.
CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {"@architectures": ARCHITECTURE, "first": GINZA_FEATURES, "second": OWN_TOK2VEC},
    }
}


#: Rows of the hash table for GiNZA's reading of a token (B/I/O and its extended type: a few hundred values).
GINZA_ENTITY_ROWS = 500


def config(width: int = 96, depth: int = 4, hidden: int = 64, static_vectors: bool = False, ginza_entities: bool = False) -> dict:
    """:data:`CONFIG` with the sizes of the component's own tok2vec and hidden layer changed.

    With ``ginza_entities`` the own tok2vec also embeds GiNZA's entity reading
    of each token (:func:`carry_ginza_entities`), so the component learns when
    GiNZA's extended type is right on text unlike GiNZA's training data.
    """
    import copy

    out = copy.deepcopy(CONFIG)
    model = out["model"]
    model["hidden_width"] = hidden
    own = model["tok2vec"]["second"]
    own["embed"]["width"] = own["encode"]["width"] = width
    own["encode"]["depth"] = depth
    own["embed"]["include_static_vectors"] = static_vectors
    if ginza_entities:
        own["embed"]["attrs"] = [*own["embed"]["attrs"], "ENT_ID"]
        own["embed"]["rows"] = [*own["embed"]["rows"], GINZA_ENTITY_ROWS]
    return out


def carry_ginza_entities(doc) -> None:
    """Move GiNZA's entities out of ``doc.ents`` into each token's ``ent_id`` ("B-City", "I-City", "O").

    spaCy's NER treats entities already on a doc as fixed (it may not cut
    or relabel them), so GiNZA's must leave ``doc.ents`` before the
    component runs; ``ent_id`` is a token attribute that clearing the
    entities leaves alone and that spaCy's feature extractor can read, so
    the component sees GiNZA's reading as one more feature of the token.
    """
    for token in doc:
        token.ent_id_ = f"{token.ent_iob_}-{token.ent_type_}" if token.ent_type_ else "O"
    doc.ents = ()


def add_component(nlp, after: str | None = None, sizes: dict | None = None):
    """Add the (untrained) component to a loaded GiNZA pipeline; it reads ``doc.tensor`` set by tok2vec."""
    _register()
    return nlp.add_pipe("ner", name=COMPONENT, config=config(**(sizes or {})), after=after)


def component_shipped(path: Path = DEFAULT_DIR) -> bool:
    """The trained weights are there, so every analysis holds the component's reading (possibly empty)."""
    return (path / "model").exists()


def load_component(nlp, path: Path = DEFAULT_DIR, after: str | None = None):
    """Add the trained component, or None when its weights are not there."""
    if not component_shipped(path):
        return None
    sizes = json.loads((path / "sizes.json").read_text()) if (path / "sizes.json").exists() else None
    component = add_component(nlp, after=after, sizes=sizes)
    component.from_disk(path, exclude=["vocab"])  # the vocab is the loaded GiNZA's
    return component


def weights_version(path: Path = DEFAULT_DIR) -> str:
    """A short digest of the shipped weights, part of the analysis cache key."""
    import hashlib

    digest = hashlib.sha256()
    for file in sorted(path.rglob("*")):
        if file.is_file() and file.name != "meta.json":
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16] if path.exists() else "none"
