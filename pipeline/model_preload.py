"""Imported by the fork server of ``--jobs N`` when the run finds entities: GiNZA is loaded there, once.

The workers are forked from that server, so they start with the model
already in memory and share its pages copy-on-write instead of each paying
a load of its own (seconds, and its own copy of the weights).  The model's
one-off load is then no worker's ``load_model`` time.  A model that cannot
be loaded here is left alone: each worker then tries on first use, and the
documents say why it failed, as without the preload.
"""

from __future__ import annotations

import gc


def load() -> bool:
    """Load the process's model as :class:`pipeline.pull.entities.EntityFinder` will ask for it; False when it cannot be."""
    try:
        from pipeline.pull.entities import EntityFinder

        EntityFinder().nlp
    except Exception:  # not installed, or broken: the workers' own load reports it per document
        return False
    # Objects moved out of the collector's reach: a worker's garbage collection would
    # otherwise write to every one of them, copying the pages they share.
    gc.freeze()
    return True


LOADED = load()
