"""The tables as a dataset others can load, query and trust.

One module per job, all driven by the schema in :mod:`pipeline.tables`:

* :mod:`ids` — ids derived from content, so unchanged content keeps its ids;
* :mod:`validate` — the checks every write must pass before any file moves;
* :mod:`changes` — what a write added, changed or removed;
* :mod:`package` — ``datapackage.json`` (Frictionless Data Package);
* :mod:`database` — the DuckDB file and SQL over every issue;
* :mod:`readme` — the README's table documentation, rendered from the schema.
"""
