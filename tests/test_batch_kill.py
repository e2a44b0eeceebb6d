"""Nothing lost: a run killed at any moment leaves the previous tables whole, and the next run completes them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from bench.processes import descendants
from conftest import REPO, RAW
from pdf_bytes import pages_pdf, text
from pipeline import atomic
from pipeline.cache import CACHE_DIR
from pipeline.stage_cache import STAGES_DIR


def table_files(out):
    return {path.name: path.read_bytes() for path in out.iterdir() if path.is_file() and path.suffix in (".parquet", ".csv")}


def cache_entries(out) -> int:
    """Finished documents' entries (the stage cache's entries are made mid-document)."""
    return sum(1 for path in (out / CACHE_DIR).rglob("*.json") if STAGES_DIR not in path.relative_to(out / CACHE_DIR).parts)


def extract_command(raw, out):
    return [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--quiet", "--no-entities", "--jobs", "2"]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
def test_sigkill_mid_run_keeps_previous_tables_and_rerun_completes(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(RAW / "sample-2025-04.pdf", raw / "issue-01.pdf")
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice to readers")]))
    first = subprocess.run(extract_command(raw, out), capture_output=True, text=True, cwd=REPO, timeout=300)
    assert first.returncode == 0, first.stderr
    previous = table_files(out)
    entries_before = cache_entries(out)

    # The archive grows by six issues; the next run is killed once it has finished one of them.
    for number in range(2, 8):
        data = (RAW / "sample-2025-04.pdf").read_bytes() + b"\n%% issue %d\n" % number
        (raw / f"issue-{number:02d}.pdf").write_bytes(data)
    run = subprocess.Popen(extract_command(raw, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    deadline = time.monotonic() + 120
    while cache_entries(out) == entries_before:
        assert run.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "no document finished in time"
        time.sleep(0.02)
    workers = descendants(run.pid)
    run.send_signal(signal.SIGKILL)
    run.wait()
    run.stderr.close()

    assert table_files(out) == previous  # byte for byte
    for name in previous:
        if name.endswith(".parquet"):
            pd.read_parquet(out / name)  # and readable
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if alive(pid)], "worker processes outlived the killed run"

    rerun = subprocess.run(extract_command(raw, out), capture_output=True, text=True, cwd=REPO, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    reused = int(rerun.stdout.split(" read, ")[1].split(" unchanged")[0])
    assert reused >= 3  # the two old documents and at least the one the killed run finished
    documents = pd.read_parquet(out / "documents.parquet")
    assert sorted(documents["source"]) == [f"issue-{n:02d}.pdf" for n in range(1, 8)] + ["notice.pdf"]
    assert set(documents["status"]) == {"ok"}  # the notice too: one article without a heading
    assert len(pd.read_parquet(out / "articles.parquet")) == 7 * 4 + 1  # and the notice, one article without a heading
    assert not [path.name for path in out.iterdir() if path.name.startswith((atomic.STAGING_PREFIX, atomic.PUBLISHING))]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="kills a forked copy of this process")
def test_sigkill_at_every_step_of_publishing_leaves_a_whole_set(tmp_path):
    """Kill the writer (a forked child) just before each rename of the publish protocol."""
    names = ["articles", "documents", "figures"]

    def stage(folder, version):
        folder.mkdir()
        for name in names:
            pd.DataFrame({"table": [name], "version": [version]}).to_parquet(folder / f"{name}.parquet")

    def versions(out):
        return {name: pd.read_parquet(out / f"{name}.parquet").loc[0, "version"] for name in names}

    renames = len(names) + 1  # the commit (staging -> .publishing), then one per file
    for kill_at in range(renames + 1):
        out = tmp_path / f"out-{kill_at}"
        out.mkdir()
        for name in names:
            pd.DataFrame({"table": [name], "version": ["old"]}).to_parquet(out / f"{name}.parquet")
        staging = out / f"{atomic.STAGING_PREFIX}test"
        stage(staging, "new")

        pid = os.fork()
        if pid == 0:  # the writer: dies by SIGKILL at its kill_at-th rename
            try:
                calls = [0]
                real_replace = os.replace

                def replace(source, target):
                    if calls[0] == kill_at:
                        os.kill(os.getpid(), signal.SIGKILL)
                    calls[0] += 1
                    real_replace(source, target)

                atomic.os.replace = replace
                atomic.publish(staging, out)
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) == (kill_at < renames)

        seen = versions(out)  # every table file is whole and readable at every moment
        if not (out / atomic.PUBLISHING).exists():
            assert len(set(seen.values())) == 1, f"killed at rename {kill_at}: a mixed set with nothing to finish it"
        atomic.recover(out)  # what the next run does first
        expected = "old" if kill_at == 0 else "new"
        assert versions(out) == dict.fromkeys(names, expected), f"killed at rename {kill_at}"
        assert not (out / atomic.PUBLISHING).exists()
