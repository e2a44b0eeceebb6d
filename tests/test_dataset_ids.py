"""Ids follow content: identical across runs, untouched by what else a version finds; `changes` says what moved."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from conftest import RAW
from pipeline.dataset.validate import row_keys
from pipeline.dataset.ids import article_ids, content_ids, mention_ids
from pipeline.tables import CHANGES, SCHEMA
from pipeline.write import write_tables
from test_dataset_validate import rows_of, small_tables


@dataclass(frozen=True)
class Mention:
    surface: str
    char_start: int


def keys(out, name: str) -> list[str]:
    return sorted(row_keys(name, pd.read_parquet(out / f"{name}.parquet")))


def test_ids_are_identical_across_two_runs(sample_run, tmp_path):
    from pipeline.batch import run_batch

    first, _ = sample_run
    second = tmp_path / "again"
    run_batch(RAW, second, progress=False)
    for name in SCHEMA:
        if name != CHANGES:
            assert keys(first, name) == keys(second, name), f"{name}: ids differ between two runs"
    assert keys(first, "figures"), "the samples have figures"
    assert keys(first, "entities"), "the samples have entities"


def test_ids_carry_their_parents(sample_run):
    out, _ = sample_run
    articles = pd.read_parquet(out / "articles.parquet")
    assert (articles.apply(lambda row: row["article_id"].startswith(row["doc_id"] + "-a"), axis=1)).all()
    for name, id_column, kind in (("figures", "figure_id", "f"), ("dates", "date_id", "d"), ("entities", "entity_id", "e")):
        table = pd.read_parquet(out / f"{name}.parquet")
        assert table.apply(lambda row: row[id_column].startswith(f"{row['article_id']}-{kind}"), axis=1).all(), name


def test_a_mention_found_in_addition_renames_no_other():
    before = [Mention("約30％", 10), Mention("2社", 40), Mention("約30％", 90)]
    after = [Mention("5基", 2), *before]  # a better finder sees one more, first in the text
    old, new = mention_ids("d-a1", "f", before), mention_ids("d-a1", "f", after)
    assert new[1:] == old
    assert len(set(old)) == 3  # the repeated 約30％ is told apart by its occurrence


def test_occurrences_count_in_text_order_whatever_the_finder_returns():
    mentions = [Mention("約30％", 90), Mention("約30％", 10)]
    in_order = mention_ids("d-a1", "f", sorted(mentions, key=lambda m: m.char_start))
    assert mention_ids("d-a1", "f", mentions) == in_order[::-1]


def test_an_article_found_in_addition_renames_no_other():
    headings = [("中国", "全国炭素市場を拡大"), ("韓国", "排出権価格が低迷")]
    old = article_ids("sample", headings)
    new = article_ids("sample", [("タイ", "新しい記事"), *headings])
    assert new[1:] == old
    assert all(article_id.startswith("sample-a") for article_id in new)


def test_a_hash_collision_takes_a_longer_id():
    ids = content_ids("x-", [("a",), ("b",)])
    assert len(set(ids)) == 2
    # force the second content onto the first's short hash: it must not share it
    from pipeline.dataset import ids as ids_module

    original = ids_module.content_hash
    try:
        ids_module.content_hash = lambda *parts, length=8: "0" * length if length == 8 else original(*parts, length=length)
        colliding = ids_module.content_ids("x-", [("a",), ("b",)])
    finally:
        ids_module.content_hash = original
    assert colliding[0] == "x-00000000" and len(colliding[1]) == len("x-") + 16


def changes(out) -> list[tuple]:
    table = pd.read_parquet(out / "changes.parquet")
    return [
        (row.table_name, row.row_key, row.change, None if pd.isna(row.changed_columns) else row.changed_columns)
        for row in table.itertuples()
    ]


def test_changes_list_what_a_write_added_changed_and_removed(tmp_path):
    tables = small_tables()
    write_tables(tmp_path, tables)
    assert {change for _, _, change, _ in changes(tmp_path)} == {"added"}
    assert len(changes(tmp_path)) == sum(len(rows) for rows in tables.values())

    write_tables(tmp_path, tables)
    assert changes(tmp_path) == []

    tables["figures"][0].update(value=31.0, unit="t")
    tables["figures"].append(dict(tables["figures"][0], figure_id="d-a1-f2"))
    tables["dates"].clear()
    write_tables(tmp_path, tables)
    assert changes(tmp_path) == [
        ("figures", "d-a1-f2", "added", None),
        ("figures", "d-a1-f1", "changed", "value,unit"),
        ("dates", "d-a1-d1", "removed", None),
    ]


def test_an_unchanged_archive_rewritten_gives_no_changes(sample_run, tmp_path):
    out, _ = sample_run
    write_tables(tmp_path, rows_of(out))
    write_tables(tmp_path, rows_of(out))
    assert changes(tmp_path) == []
