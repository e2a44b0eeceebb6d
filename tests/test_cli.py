"""The command line and bad input: every file ends as a documents row, the batch goes on."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import RAW
from pipeline.cli import main


@pytest.fixture
def hostile_batch(tmp_path):
    """One good sample issue beside files that cannot be read."""
    raw = tmp_path / "raw"
    raw.mkdir()
    good = sorted(RAW.glob("sample-*.pdf"))[0]  # a sample issue: several articles
    shutil.copy(good, raw / good.name)
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "not-a-pdf.pdf").write_text("これはPDFではありません", encoding="utf-8")
    data = good.read_bytes()
    (raw / "truncated.pdf").write_bytes(data[: len(data) // 3])
    return raw


def test_bad_files_fail_with_reason_and_batch_goes_on(hostile_batch, tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["extract", str(hostile_batch), "--out", str(out), "--quiet", "--no-entities"])
    assert status == 1  # some documents failed
    documents = pd.read_parquet(out / "documents.parquet").set_index("source")
    assert documents.loc["empty.pdf", "status"] == "failed"
    assert "empty" in documents.loc["empty.pdf", "error"]
    assert documents.loc["not-a-pdf.pdf", "status"] == "failed"
    assert "not a PDF" in documents.loc["not-a-pdf.pdf", "error"]
    assert documents.loc["truncated.pdf", "status"] in ("failed", "partial")
    good = sorted(RAW.glob("sample-*.pdf"))[0].name
    assert documents.loc[good, "status"] == "ok"
    articles = pd.read_parquet(out / "articles.parquet")
    assert len(articles) >= 3
    stderr = capsys.readouterr().err
    assert "empty.pdf: failed: empty file" in stderr
    assert "not-a-pdf.pdf: failed" in stderr


def test_summary_line_counts_documents_and_rows(tmp_path, capsys):
    status = main(["extract", str(RAW), "--out", str(tmp_path / "out"), "--quiet", "--no-entities"])
    assert status == 0
    stdout = capsys.readouterr().out
    assert f"{len(list(RAW.glob('*.pdf')))} documents: {len(list(RAW.glob('*.pdf')))} ok, 0 partial, 0 failed" in stdout
    assert "articles " in stdout and "figures " in stdout


def test_bad_usage_exits_with_2(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(tmp_path / "missing")])
    assert exit_info.value.code == 2


def test_python_dash_m_pipeline_runs():
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True)
    assert "extract" in result.stdout


def test_every_command_has_help_text():
    from pipeline.cli import build_parser

    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command")
    for name, sub in commands.choices.items():
        assert commands._name_parser_map[name] is sub
        help_texts = [choice.help for choice in commands._choices_actions if choice.dest == name]
        assert help_texts and help_texts[0], f"command {name} has no help text"


def test_timings_file_says_when_the_first_document_was_read(tmp_path):
    import json
    import time

    timings = tmp_path / "timings.json"
    before = time.time()
    status = main(["extract", str(RAW), "--out", str(tmp_path / "out"), "--quiet", "--no-entities", "--jobs", "1", "--timings", str(timings)])
    after = time.time()
    assert status == 0
    record = json.loads(timings.read_text())
    assert record["read"] == len(list(RAW.glob("*.pdf"))) and record["reused"] == 0
    assert before < record["first_read_at"] < after
    assert 0 < record["first_read_s"] <= record["seconds"]
    assert record["stages"]["extract"] > 0


START_EARLY = """
import os, sys
from pathlib import Path
from pipeline.parallel import start_early

def fork_servers():
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and b"forkserver" in command:
            found.append(stat.parent.name)
    return found

print(start_early(1, entities=False), len(fork_servers()))
print(start_early(2, entities=False), len(fork_servers()))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_start_early_starts_the_fork_server_before_any_worker_only_for_several_jobs():
    result = subprocess.run([sys.executable, "-c", START_EARLY], capture_output=True, text=True, check=True, timeout=60)
    one, several = result.stdout.split("\n")[:2]
    assert one == "False 0"  # one job reads in this process: no server
    assert several == "True 1"  # started now, no worker asked for yet
