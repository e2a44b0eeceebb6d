"""``extract --dask``: documents as Dask tasks give the tables of a ``--jobs 1`` run, from the cache first.

A :class:`distributed.LocalCluster` of two worker processes is started once
for the module and reached by its ``tcp://`` address, as a cluster of other
machines would be; the real GiNZA runs on its workers.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

from conftest import NEWSLETTERS, RAW, REPO, need_shared  # noqa: E402
from pdf_bytes import pages_pdf, text  # noqa: E402
from pipeline.batch import run_batch  # noqa: E402
from pipeline.cli import main  # noqa: E402
from pipeline.dask_engine import RETRIES_AFTER_DEATH, DaskSession  # noqa: E402
from pipeline.dask_worker import read_on_worker  # noqa: E402
from pipeline.limits import Limits  # noqa: E402

TABLES = ("documents", "pages", "articles", "figures", "dates", "entities", "repairs", "fonts", "ruby")


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, a worker's death retried once as ``local:N`` sets it up."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": RETRIES_AFTER_DEATH}):
        local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50)
    yield local
    local.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The sample issues and the shared newsletters (linked, not copied)."""
    raw = tmp_path_factory.mktemp("dask") / "raw"
    raw.mkdir()
    for pdf in sorted(RAW.glob("*.pdf")):
        (raw / pdf.name).symlink_to(pdf)
    for pdf in sorted(need_shared(NEWSLETTERS).glob("*.pdf")):
        if not pdf.name.endswith(".clean.pdf"):
            (raw / pdf.name).symlink_to(pdf)
    return raw


def tables_of(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in TABLES}


def test_dask_run_gives_the_tables_of_one_job_and_a_rerun_reads_nothing(archive, cluster, tmp_path, capsys):
    serial = run_batch(archive, tmp_path / "serial", progress=False, jobs=1)
    n_files = len(list(archive.glob("*.pdf")))
    assert serial.read == n_files and serial.counts["entities"] > 0

    assert main(["extract", str(archive), "--out", str(tmp_path / "dask"), "--quiet", "--dask", cluster.scheduler_address]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line == serial.line()  # the summary line as a local run gives it
    expected, got = tables_of(tmp_path / "serial"), tables_of(tmp_path / "dask")
    for name in TABLES:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)  # row for row, ids included

    again = run_batch(archive, tmp_path / "dask", progress=False, dask=cluster.scheduler_address)
    assert (again.read, again.reused) == (0, n_files)
    for name, table in tables_of(tmp_path / "dask").items():
        pd.testing.assert_frame_equal(table, expected[name], obj=name)


def test_each_worker_loads_the_model_once(archive, tmp_path):
    """Four documents with articles on a fresh ``local:2``: the model is loaded by each worker that read one, never per task."""
    paths = sorted(archive.glob("*.pdf"))
    with DaskSession("local:2") as session:
        outcomes = [outcome for _, outcome in session.run_documents(paths, [path.name for path in paths], None, True, Limits(), None)]
        loads = session.client.run(_model_loads)
    assert all(outcome.status in ("ok", "partial") for outcome in outcomes) and all(outcome.rows["articles"] for outcome in outcomes)
    loaded_by = [outcome.source for outcome in outcomes if "load_model" in outcome.timings]
    assert 1 <= len(loaded_by) <= 2 < len(outcomes)  # the first document on each worker pays, the others find it loaded
    assert sorted(loads.values()) in ([0, 1], [1, 1]) and sum(loads.values()) == len(loaded_by)  # kept in the worker processes


def _model_loads() -> int:
    from pipeline.pull.entities import shared_ginza

    return shared_ginza.cache_info().currsize


def _killed_on_victim(index: int, path: str, source: str, data=None):
    """The task, except that the worker holding ``victim.pdf`` is SIGKILLed; with ``once``, only the first time."""
    if source == "victim.pdf":
        marker = Path(path).with_suffix(".tried")
        if not (Path(path).with_name("once").exists() and marker.exists()):
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
    return read_on_worker(index, path, source, data)


def _victim_archive(folder: Path, once: bool) -> list[Path]:
    folder.mkdir()
    shutil.copy(RAW / "sample-2025-04.pdf", folder / "victim.pdf")
    (folder / "notice.pdf").write_bytes(pages_pdf([text("Notice to readers")]))
    if once:
        (folder / "once").touch()
    return sorted(folder.glob("*.pdf"))


@pytest.mark.parametrize("once", [True, False], ids=["dies-once-read-again", "dies-twice-failed"])
def test_worker_killed_holding_a_document_costs_only_that_document(cluster, tmp_path, once):
    paths = _victim_archive(tmp_path / "raw", once)
    with DaskSession(cluster.scheduler_address) as session:
        run = session.run_documents(paths, [path.name for path in paths], None, False, Limits(), None, work=_killed_on_victim)
        outcomes = {paths[index].name: outcome for index, outcome in run}
    assert outcomes["notice.pdf"].status == "ok"  # one article without a heading: read as always
    victim = outcomes["victim.pdf"]
    if once:
        assert victim.status == "ok" and len(victim.rows["articles"]) == 4  # read once more, on a fresh worker
    else:
        assert victim.status == "failed" and victim.error_code == "worker_died" and "died" in victim.error
        assert not victim.reusable  # the next run tries it again


def test_unreachable_scheduler_exits_2_at_once_and_leaves_the_tables(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice to readers")]))
    run_batch(raw, out, progress=False, entities=False, jobs=1)
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    (raw / "new.pdf").write_bytes(pages_pdf([text("A later notice")]))

    start = time.monotonic()
    command = [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--quiet", "--dask", "tcp://127.0.0.1:1"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 2, result.stderr
    assert time.monotonic() - start < 15
    assert "tcp://127.0.0.1:1" in result.stderr and "Traceback" not in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before


@pytest.mark.parametrize("address", ["local:0", "local:x", "8786", "host:8786"])
def test_dask_address_must_be_local_n_or_a_scheduler_url(tmp_path, address):
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(tmp_path), "--out", str(tmp_path / "out"), "--dask", address])
    assert exit_info.value.code == 2


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cache_entries(out: Path) -> int:
    from pipeline.cache import CACHE_DIR
    from pipeline.stage_cache import STAGES_DIR

    return sum(1 for path in (out / CACHE_DIR).rglob("*.json") if STAGES_DIR not in path.relative_to(out / CACHE_DIR).parts)


def test_scheduler_lost_mid_run_keeps_the_tables_and_the_finished_documents(tmp_path):
    """A real ``dask scheduler`` and ``dask worker``, the scheduler SIGKILLed once a document has come back."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice to readers")]))
    run_batch(raw, out, progress=False, entities=False, jobs=1)
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    for number in range(1, 13):
        (raw / f"issue-{number:02d}.pdf").write_bytes((RAW / "sample-2025-04.pdf").read_bytes() + b"\n%% issue %d\n" % number)

    address = f"tcp://127.0.0.1:{_free_port()}"
    environment = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout's package on both sides, as on a real cluster
    port = address.rsplit(":", 1)[1]
    start = [sys.executable, "-m"]
    scheduler = subprocess.Popen(
        [*start, "distributed.cli.dask_scheduler", "--port", port, "--dashboard-address", ":0"], env=environment, cwd=tmp_path, stderr=subprocess.DEVNULL
    )
    worker = subprocess.Popen(
        [*start, "distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1", "--dashboard-address", ":0"],
        env=environment,
        cwd=tmp_path,
        stderr=subprocess.DEVNULL,
    )
    try:
        entries_before = _cache_entries(out)
        command = [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--quiet", "--no-entities", "--dask", address]
        run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
        deadline = time.monotonic() + 120
        while _cache_entries(out) == entries_before:
            assert run.poll() is None, run.communicate()
            assert time.monotonic() < deadline, "no document finished in time"
            time.sleep(0.05)
        scheduler.kill()
        _, stderr = run.communicate(timeout=120)
    finally:
        for process in (scheduler, worker):
            process.kill()
            process.wait()
    assert run.returncode == 1, stderr
    assert "keeps the previous ones" in stderr and address in stderr and "Traceback" not in stderr
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
    finished = _cache_entries(out) - entries_before
    assert 1 <= finished < 12  # the documents that came back are kept for the next run

    rerun = run_batch(raw, out, progress=False, entities=False, jobs=1)
    assert (rerun.read, rerun.reused) == (12 - finished, 1 + finished)


def test_jobs_and_dask_together_are_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(tmp_path), "--out", str(tmp_path / "out"), "--jobs", "2", "--dask", "local:2"])
    assert exit_info.value.code == 2 and "give one" in capsys.readouterr().err
