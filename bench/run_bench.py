#!/usr/bin/env python3
"""``make bench``: how fast the pipeline runs, where the time goes, and how much memory it takes.

    python bench/run_bench.py [--corpus newsletters,newsletters-fonts,real-ja] [--archive 100] [--scale 40] [--repeat 3] [--out bench/results.json]

On ``../shared/corpus/newsletters/`` (the damaged issues, not ``.clean``) and
``../shared/corpus/real-ja/`` it measures, each in a fresh process so that
peak memory is its own:

* a full run with ``--jobs 1`` and with ``--jobs 2`` (fresh output folders):
  seconds per stage (extract, repair, split, pull, write; ``entities`` is
  GiNZA's part of pull, ``load_model`` the one-off load), pages/s and chars/s
  end to end, peak memory of the run and of its largest worker;
* a re-run of the jobs-2 output on the unchanged corpus (everything from the cache);
* GiNZA alone over the same article bodies, model loaded beforehand:
  stock ``spacy.load("ja_ginza")`` with all its default pipes, ``nlp.pipe``
  over the bodies (what a user means by GiNZA alone), and the trimmed model
  the pipeline runs (tok2vec and ner, numpy's BLAS; see :func:`measure_ginza`).
  The ratio is the jobs-1 run's time without the model load over stock
  GiNZA's, both the median of ``--repeat`` runs taken in turn (3); with the
  loads counted on both sides, and for the jobs-2 wall time, as well;
* the 247-page ``saka1029-pdf__kokuji.pdf`` alone: seconds, pages/s, peak
  memory, and memory after every 50 pages (flat when pages are released);
* a re-run on an archive of ``--archive`` issues (the newsletters and the
  sample issues repeated under new names), built without entities first;
* scaling (``--scale``, 40 issues): the shared newsletters copied under
  distinct names, each copy's bytes its own, read with ``--jobs 1``,
  ``--jobs 2``, ``--dask local:1`` and ``--dask local:2`` (entities on, fresh
  output, the stage cache off so that every copy is really read): pages/s,
  seconds to the first document read and peak memory; start-up as a user
  meets it (launching ``newsletter-extract extract --jobs 1`` and ``--jobs 2``
  in turn, to the first document read, on four issues); then
  stock and trimmed GiNZA on the archive's article bodies, and the
  pipeline's chars/s against each (``--only-scale`` runs this part alone);
* a rule change: on a copy of the package, a first run on the newsletters
  (``--jobs 1``, entities), then one line added to ``pull/figures.py`` and
  the run again.  The edit changes the result cache's key, so every file
  goes through the stages, but the read documents and GiNZA's analyses are
  kept (:mod:`pipeline.stage_cache`): the re-run's wall time over the first
  run's is the ratio reported, with whether any PDF was read or the model
  loaded.

The font matrix ``../shared/corpus/newsletters-fonts/`` (the damaged issues
again, in fonts without glyph names or installed copies) gets ``--repeat``
runs with ``--jobs 1`` and without entities only: its text is the
newsletters', so what it adds is the repair stage's cost when the evidence
is outlines and shape recognition.  For every corpus and the long PDF the
seconds repair adds per page are reported, from the same ``--jobs 1`` runs
(the median of the repeats), with repair's share of the run's time.

Results are printed as tables and written as JSON (``bench/results.json``,
not committed: the numbers belong to the machine).  Not a test: nothing is
asserted.  The machine's load average is recorded, since other work on the
machine slows every number.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
CORPORA = {"newsletters": SHARED / "newsletters", "newsletters-fonts": SHARED / "newsletters-fonts", "real-ja": SHARED / "real-ja"}
#: Corpora run only with ``--jobs 1`` and no entities (see the docstring).
REPAIR_ONLY = {"newsletters-fonts"}
LONG_PDF = SHARED / "real-ja" / "saka1029-pdf__kokuji.pdf"
STAGES = ("extract", "repair", "split", "pull", "entities", "write", "load_model")

sys.path.insert(0, str(REPO))
if os.environ.get("BENCH_CODE"):  # a copy of the package to measure instead of the repo's own
    sys.path.insert(0, os.environ["BENCH_CODE"])

from bench.processes import descendants  # noqa: E402  (REPO on the path first)


# --- measurements, each run in its own process ------------------------------------


def peak_mb(workers: WorkerPeaks | None = None) -> dict[str, float]:
    """Peak resident memory of this process and of its largest worker process, in MB."""
    return {
        "self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "workers": workers.largest_mb() if workers else 0.0,
    }


class WorkerPeaks(threading.Thread):
    """Watches this process's descendants (the worker pool) and keeps each one's peak memory.

    Workers are not this process's children (a fork server starts them), so
    ``RUSAGE_CHILDREN`` misses them; their ``VmHWM`` in /proc is read instead.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.2):
            for pid in descendants(os.getpid()):
                try:
                    with open(f"/proc/{pid}/status") as status:
                        high_water = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
                except (OSError, StopIteration):
                    continue
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), high_water / 1024)

    def largest_mb(self) -> float:
        self.stopping.set()
        return max(self.peaks.values(), default=0.0)


def measure_run(raw: Path, out: Path, jobs: int, entities: bool, dask: str | None = None, keep_stages: bool = True) -> dict:
    import pandas as pd

    from pipeline.batch import run_batch
    from pipeline.cache import pipeline_key

    workers = WorkerPeaks()
    workers.start()
    start = time.perf_counter()
    summary = run_batch(raw, out, progress=False, entities=entities, jobs=jobs, dask=dask, keep_stages=keep_stages)
    wall = time.perf_counter() - start
    pages = pd.read_parquet(out / "pages.parquet")
    return {
        "pipeline_key": pipeline_key(),
        "wall": wall,
        "stages": summary.timings,
        "read": summary.read,
        "reused": summary.reused,
        "pages": int(summary.pages),
        "chars": int(pages["n_chars"].sum()),
        "body_chars": int(pd.read_parquet(out / "articles.parquet")["body"].fillna("").str.len().sum()),
        "first_read": summary.first_read,
        "documents": dict(summary.statuses),
        "counts": summary.counts,
        "peak_mb": peak_mb(workers),
    }


def measure_ginza(bodies_file: Path) -> dict:
    """GiNZA alone on the article bodies, grouped by document, each model loaded first.

    *Stock*: ``spacy.load("ja_ginza")`` with all its default pipes and
    spaCy's own ops, ``nlp.pipe`` over the bodies: what "GiNZA alone" means to
    a user.  *Trimmed*: the model as the pipeline runs it (tok2vec and ner
    only, numpy's BLAS for the matrix products: :class:`pipeline.pull.ginza.Ginza`),
    without the project's rules.  Both read the same pieces: bodies past
    Sudachi's input limit are cut as the pipeline cuts them
    (:func:`pipeline.pull.ginza.split_text`), paragraphs kept whole.
    """
    import spacy

    from pipeline.pull.ginza import Ginza, split_text

    groups = json.loads(bodies_file.read_text(encoding="utf-8"))
    pieces = [piece for bodies in groups for body in bodies for _, piece in split_text(body)]
    start = time.perf_counter()
    stock = spacy.load("ja_ginza")
    load = time.perf_counter() - start
    start = time.perf_counter()
    mentions = sum(len(doc.ents) for doc in stock.pipe(pieces))
    seconds = time.perf_counter() - start
    trimmed = Ginza()
    start = time.perf_counter()
    trimmed.nlp
    trimmed_load = time.perf_counter() - start
    start = time.perf_counter()
    trimmed_mentions = sum(len(analysis.spans) for bodies in groups for analysis in trimmed.analyse(bodies))
    trimmed_seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "load_model": load,
        "pipes": list(stock.pipe_names),
        "trimmed_seconds": trimmed_seconds,
        "trimmed_load_model": trimmed_load,
        "trimmed_pipes": list(trimmed.nlp.pipe_names),
        "articles": sum(len(bodies) for bodies in groups),
        "chars": sum(len(body) for bodies in groups for body in bodies),
        "mentions": mentions,
        "trimmed_mentions": trimmed_mentions,
        "peak_mb": peak_mb(),
    }


def measure_long(pdf: Path) -> dict:
    """One long PDF through the pipeline: time, and memory as the pages go by."""
    from pipeline.parallel import LazyEntityFinder, extract_one

    def rss_mb() -> float:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

    samples = {0: rss_mb()}

    def on_page(index: int) -> None:
        if (index + 1) % 50 == 0:
            samples[index + 1] = rss_mb()

    start = time.perf_counter()
    outcome = extract_one(pdf, entity_finder=LazyEntityFinder(), on_page=on_page)
    wall = time.perf_counter() - start
    return {
        "file": pdf.name,
        "status": outcome.status,
        "pages": outcome.n_pages,
        "chars": sum(page["n_chars"] for page in outcome.rows["pages"]),
        "wall": wall,
        "stages": outcome.timings,
        "rss_mb_after_pages": samples,
        "peak_mb": peak_mb(),
    }


# --- the orchestra -----------------------------------------------------------------


def in_subprocess(*args: str, code: Path | None = None) -> dict:
    env = {**os.environ, "BENCH_CODE": str(code)} if code else None
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=REPO, env=env)
    if result.returncode != 0:
        raise SystemExit(f"bench step {args} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def corpus_folder(name: str, work: Path) -> Path:
    """The corpus's PDFs, linked into a folder of their own (never copied)."""
    folder = work / f"raw-{name}"
    folder.mkdir()
    for pdf in sorted(CORPORA[name].glob("*.pdf")):
        if not pdf.name.endswith(".clean.pdf"):
            (folder / pdf.name).symlink_to(pdf)
    return folder


def archive_folder(size: int, work: Path) -> Path:
    folder = work / "raw-archive"
    folder.mkdir()
    issues = [p for p in sorted(CORPORA["newsletters"].glob("*.pdf")) if not p.name.endswith(".clean.pdf")]
    issues += sorted((REPO / "raw").glob("*.pdf"))
    for number in range(size):
        (folder / f"issue-{number + 1:03d}.pdf").symlink_to(issues[number % len(issues)])
    return folder


def bench_repair_only(name: str, work: Path, repeat: int) -> dict:
    """``repeat`` runs with ``--jobs 1`` and no entities: the stage times, repair's above all."""
    raw = corpus_folder(name, work)
    print(f"[{name}] {len(list(raw.iterdir()))} PDFs", file=sys.stderr)
    runs = []
    for turn in range(repeat):
        print(f"[{name}] full run, --jobs 1, no entities ({turn + 1}/{repeat})", file=sys.stderr)
        runs.append(in_subprocess("run", str(raw), str(work / f"out-{name}-jobs1-{turn}"), "1", "no-entities"))
    return {"jobs1": _median_by(runs, _without_load), "jobs1_repeats": [_repeat_row(run) for run in runs], "entities": False}


def _repeat_row(run: dict) -> dict:
    return {
        "wall": run["wall"],
        "load_model": run["stages"].get("load_model", 0.0),
        "without_load": _without_load(run),
        "repair": run["stages"].get("repair", 0.0),
        "pages": run["pages"],
    }


def bench_corpus(name: str, work: Path, repeat: int) -> dict:
    """Runs on one corpus.  The jobs-1 run and GiNZA alone, whose ratio is the
    headline, are repeated in turn ``repeat`` times and the medians taken: on
    a shared machine one run of either drifts by a tenth."""
    import pandas as pd

    raw = corpus_folder(name, work)
    print(f"[{name}] {len(list(raw.iterdir()))} PDFs", file=sys.stderr)
    result: dict = {}
    print(f"[{name}] full run, --jobs 2", file=sys.stderr)
    result["jobs2"] = in_subprocess("run", str(raw), str(work / f"out-{name}-jobs2"), "2", "entities")
    print(f"[{name}] re-run, unchanged", file=sys.stderr)
    result["rerun"] = in_subprocess("run", str(raw), str(work / f"out-{name}-jobs2"), "2", "entities")
    bodies = work / f"bodies-{name}.json"
    runs, alone = [], []
    for turn in range(repeat):
        out = work / f"out-{name}-jobs1-{turn}"
        print(f"[{name}] full run, --jobs 1 ({turn + 1}/{repeat})", file=sys.stderr)
        runs.append(in_subprocess("run", str(raw), str(out), "1", "entities"))
        if turn == 0:
            articles = pd.read_parquet(out / "articles.parquet")
            groups = [list(group["body"].fillna("")) for _, group in articles.groupby("doc_id", sort=False)]
            bodies.write_text(json.dumps(groups, ensure_ascii=False), encoding="utf-8")
            if not groups:
                break  # GiNZA never runs on this corpus
        print(f"[{name}] GiNZA alone on the same article bodies ({turn + 1}/{repeat})", file=sys.stderr)
        alone.append(in_subprocess("ginza", str(bodies)))
    result["jobs1"] = _median_by(runs, _without_load)
    result["jobs1_repeats"] = [_repeat_row(run) for run in runs]
    if alone:
        result["ginza_alone"] = _median_by(alone, lambda run: run["seconds"])
        result["ginza_alone_repeats"] = [{"seconds": run["seconds"], "load_model": run["load_model"]} for run in alone]
    return result


#: The engines compared on the scaling archive: (label, --jobs, --dask).
ENGINES = (("--jobs 1", 1, None), ("--jobs 2", 2, None), ("--dask local:1", 1, "local:1"), ("--dask local:2", 1, "local:2"))


def scale_archive(size: int, work: Path) -> Path:
    """``size`` issues from the shared newsletters, copied under distinct names, each copy's bytes its own.

    A comment after the end of file (``%% copy N``) changes nothing a reader
    sees but the file's hash, so no cache can hand one copy's results to the
    next; with the stage cache off as well (``no-stages``), every copy is
    read and every article goes through GiNZA.
    """
    folder = work / "raw-scale"
    folder.mkdir()
    issues = [p for p in sorted(CORPORA["newsletters"].glob("*.pdf")) if not p.name.endswith(".clean.pdf")]
    for number in range(size):
        issue = issues[number % len(issues)]
        (folder / f"copy-{number + 1:03d}-{issue.name}").write_bytes(issue.read_bytes() + b"\n%% copy " + str(number + 1).encode() + b"\n")
    return folder


def bench_scale(size: int, work: Path, repeat: int = 1) -> dict:
    """The engines on a ``size``-issue archive (entities on, fresh output, no stage cache), and GiNZA alone on its bodies.

    The ``--jobs 1`` run and GiNZA alone, whose ratio is the headline, are
    taken in turn ``repeat`` times and the medians kept, as in :func:`bench_corpus`:
    on a shared machine the load drifts between two runs minutes apart.
    """
    import pandas as pd

    raw = scale_archive(size, work)
    bodies = work / "bodies-scale.json"
    runs, ones, alone = {}, [], []
    for turn in range(max(1, repeat)):
        print(f"[scale] {size} issues, --jobs 1 ({turn + 1}/{repeat})", file=sys.stderr)
        out = work / f"out-scale-jobs-1-{turn}"
        ones.append(in_subprocess("run", str(raw), str(out), "1", "entities", "-", "no-stages"))
        if turn == 0:
            articles = pd.read_parquet(out / "articles.parquet")
            groups = [list(group["body"].fillna("")) for _, group in articles.groupby("doc_id", sort=False)]
            bodies.write_text(json.dumps(groups, ensure_ascii=False), encoding="utf-8")
        print(f"[scale] GiNZA alone, stock and trimmed, on the same article bodies ({turn + 1}/{repeat})", file=sys.stderr)
        alone.append(in_subprocess("ginza", str(bodies)))
    runs["--jobs 1"] = _median_by(ones, _without_load)
    for label, jobs, dask in ENGINES[1:]:
        print(f"[scale] {size} issues, {label}", file=sys.stderr)
        out = work / f"out-scale-{label.strip('-').replace(' ', '-').replace(':', '')}"
        runs[label] = in_subprocess("run", str(raw), str(out), str(jobs), "entities", dask or "-", "no-stages")
    startup = bench_startup(raw, work, repeat=max(3, repeat))
    return {
        "size": size,
        "startup": startup,
        "runs": runs,
        "jobs1_repeats": [_repeat_row(run) for run in ones],
        "ginza_alone": _median_by(alone, lambda run: run["seconds"]),
        "ginza_alone_repeats": [{key: run[key] for key in ("seconds", "trimmed_seconds", "load_model")} for run in alone],
    }


def bench_startup(archive: Path, work: Path, repeat: int, issues: int = 4) -> dict:
    """Start-up as a user meets it: from launching ``newsletter-extract extract`` to its first document read.

    ``--jobs 1`` and ``--jobs 2`` are launched in turn ``repeat`` times on the
    first ``issues`` copies of the archive (start-up is over at the first
    document, so the rest would only take time), each into a fresh output
    folder (no cache of any kind), entities on.  The command writes the
    moment of its first read (``--timings``); the launch is taken here just
    before the process starts, so interpreter start, imports, fork server,
    model load and the first document all count.  Medians are reported.
    """
    folder = work / "raw-startup"
    folder.mkdir()
    for pdf in sorted(archive.glob("*.pdf"))[:issues]:
        (folder / pdf.name).symlink_to(pdf)
    seconds: dict[str, list[float]] = {"--jobs 1": [], "--jobs 2": []}
    for turn in range(max(1, repeat)):
        for label in seconds:
            print(f"[start-up] {label} ({turn + 1}/{repeat})", file=sys.stderr)
            out, timings = work / f"out-startup-{label[-1]}-{turn}", work / f"timings-{label[-1]}-{turn}.json"
            command = [sys.executable, "-m", "pipeline", "extract", str(folder), "--out", str(out), "--quiet", "--jobs", label[-1], "--timings", str(timings)]
            launched = time.time()
            result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
            if result.returncode != 0:
                raise SystemExit(f"bench step {command} failed:\n{result.stderr}")
            seconds[label].append(json.loads(timings.read_text())["first_read_at"] - launched)
    return {"issues": issues, "seconds": seconds, "median": {label: _median(values) for label, values in seconds.items()}}


def scale_figures(scale: dict) -> dict:
    """pages/s, start-up and chars/s of each engine; the ratios the issue asks for."""
    runs, ginza = scale["runs"], scale["ginza_alone"]
    figures: dict = {"engines": {}}
    for label, run in runs.items():
        figures["engines"][label] = {
            "pages_per_s": run["pages"] / run["wall"],
            "startup_s": run["first_read"],
            "wall_s": run["wall"],
            "page_chars_per_s": run["chars"] / run["wall"],
            "body_chars_per_s": run["body_chars"] / run["wall"],
        }
    one = runs["--jobs 1"]
    trimmed = _median([run["trimmed_seconds"] for run in scale.get("ginza_alone_repeats", [ginza])])
    # The pipeline's own time on the bodies GiNZA reads: the --jobs 1 run without its model load, as GiNZA alone is timed.
    pipeline_seconds = one["wall"] - one["stages"].get("load_model", 0.0)
    figures["pipeline_body_chars_per_s"] = one["body_chars"] / pipeline_seconds
    figures["pipeline_page_chars_per_s"] = one["chars"] / pipeline_seconds
    figures["stock_ginza_chars_per_s"] = ginza["chars"] / ginza["seconds"]
    figures["trimmed_ginza_chars_per_s"] = ginza["chars"] / trimmed
    figures["pipeline_to_stock_ginza"] = figures["pipeline_body_chars_per_s"] / figures["stock_ginza_chars_per_s"]
    figures["pipeline_to_trimmed_ginza"] = figures["pipeline_body_chars_per_s"] / figures["trimmed_ginza_chars_per_s"]
    engines = figures["engines"]
    figures["dask_2_to_dask_1_pages_per_s"] = engines["--dask local:2"]["pages_per_s"] / engines["--dask local:1"]["pages_per_s"]
    startup = scale.get("startup")
    if startup:  # measured from the command's launch (bench_startup)
        figures["jobs_2_to_jobs_1_startup"] = startup["median"]["--jobs 2"] / startup["median"]["--jobs 1"]
    return figures


def print_scale(scale: dict) -> None:
    figures = scale_figures(scale)
    rows = []
    for label, run in scale["runs"].items():
        engine = figures["engines"][label]
        rows.append(
            [label, run["read"], run["pages"], f"{run['wall']:.1f}", f"{engine['startup_s']:.1f}", f"{engine['pages_per_s']:.2f}",
             f"{engine['page_chars_per_s']:.0f}", f"{run['peak_mb']['self']:.0f}", f"{run['peak_mb']['workers']:.0f}"]
        )
    print(f"scaling archive: {scale['size']} issues (the shared newsletters, copied under distinct names), entities on, no stage cache")
    print(_table(["engine", "read", "pages", "wall s", "first doc s", "pages/s", "chars/s", "peak MB", "worker MB"], rows))
    print("first doc s: seconds from the run's start (in a process that has imported the pipeline) to its first document read (workers, cluster and model included)")
    startup = scale.get("startup")
    if startup:
        print(
            _table(
                ["command", "start-up s (median)", "runs, s"],
                [[f"newsletter-extract extract {label}", f"{startup['median'][label]:.2f}", " ".join(f"{value:.2f}" for value in values)]
                 for label, values in startup["seconds"].items()],
            )
        )
        print(f"start-up: seconds from launching the command to its first document read, {startup['issues']} issues, fresh output, taken in turn")
    ginza = scale["ginza_alone"]
    print(
        "--jobs 1 runs without the model load, s: " + " ".join(f"{row['without_load']:.1f}" for row in scale.get("jobs1_repeats", []))
        + "; stock GiNZA, s: " + " ".join(f"{row['seconds']:.1f}" for row in scale.get("ginza_alone_repeats", []))
        + "; trimmed, s: " + " ".join(f"{row['trimmed_seconds']:.1f}" for row in scale.get("ginza_alone_repeats", []))
        + " (taken in turn; the medians below)"
    )
    print(
        _table(
            ["reader", "pipes", "s (model loaded first)", "chars/s", "pipeline --jobs 1 / it"],
            [
                ["pipeline --jobs 1 (all stages, no model load)", "tok2vec, ner + rules", f"{scale['runs']['--jobs 1']['wall'] - scale['runs']['--jobs 1']['stages'].get('load_model', 0.0):.1f}",
                 f"{figures['pipeline_body_chars_per_s']:.0f}", "1.00"],
                ["stock GiNZA: spacy.load('ja_ginza'), nlp.pipe", ", ".join(ginza["pipes"]), f"{ginza['seconds']:.1f}",
                 f"{figures['stock_ginza_chars_per_s']:.0f}", f"{figures['pipeline_to_stock_ginza']:.2f}"],
                ["trimmed GiNZA as the pipeline runs it (numpy ops)", ", ".join(ginza["trimmed_pipes"]), f"{ginza['chars'] / figures['trimmed_ginza_chars_per_s']:.1f}",
                 f"{figures['trimmed_ginza_chars_per_s']:.0f}", f"{figures['pipeline_to_trimmed_ginza']:.2f}"],
            ],
        )
    )
    print(f"chars/s over the {ginza['chars']} characters of the article bodies ({ginza['articles']} articles), the text GiNZA reads; "
          f"over every character of the pages the pipeline reads {figures['pipeline_page_chars_per_s']:.0f}/s")
    print(
        f"--dask local:2 / local:1 pages/s: {figures['dask_2_to_dask_1_pages_per_s']:.2f}; "
        f"--jobs 2 / --jobs 1 start-up: {figures.get('jobs_2_to_jobs_1_startup', float('nan')):.2f}; "
        f"pipeline / stock GiNZA chars/s: {figures['pipeline_to_stock_ginza']:.2f}"
    )


def bench_rule_change(work: Path) -> dict:
    """A first run on a copy of the package, an edit to a figure rule, and the run again (see the docstring)."""
    import shutil

    code = work / "code"
    shutil.copytree(REPO / "pipeline", code / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    raw = work / "raw-rule-change"
    raw.mkdir()
    for pdf in sorted(CORPORA["newsletters"].glob("*.pdf")):
        if not pdf.name.endswith(".clean.pdf"):
            (raw / pdf.name).symlink_to(pdf)
    out = work / "out-rule-change"
    print("[rule change] first run, --jobs 1", file=sys.stderr)
    start = time.perf_counter()
    first = in_subprocess("run", str(raw), str(out), "1", "entities", code=code)
    first["process_wall"] = time.perf_counter() - start
    with open(code / "pipeline" / "pull" / "figures.py", "a", encoding="utf-8") as handle:
        handle.write("\n# bench: an edit to a figure rule\n")
    print("[rule change] pull/figures.py edited; the run again", file=sys.stderr)
    start = time.perf_counter()
    again = in_subprocess("run", str(raw), str(out), "1", "entities", code=code)
    again["process_wall"] = time.perf_counter() - start
    return {
        "first": first,
        "again": again,
        "ratio": again["wall"] / first["wall"],
        "ratio_with_process_start": again["process_wall"] / first["process_wall"],
        "pdfs_read_again": again["stages"].get("repair", 0.0) > 0,
        "model_loaded_again": again["stages"].get("load_model", 0.0) > 0,
        "key_changed": first["pipeline_key"] != again["pipeline_key"],
    }


def _without_load(run: dict) -> float:
    return run["wall"] - run["stages"].get("load_model", 0.0)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _median_by(runs: list[dict], key) -> dict:
    """The run whose ``key`` is the median (the lower middle one of an even count)."""
    ordered = sorted(runs, key=key)
    return ordered[(len(ordered) - 1) // 2]


def repair_cost(run: dict, repair_per_page: float | None = None) -> dict:
    """Seconds repair adds per page, and its share of the run (model load left out) and of extraction."""
    stages, pages = run["stages"], run["pages"]
    repair = stages.get("repair", 0.0)
    wall = run["wall"] - stages.get("load_model", 0.0)
    return {
        "pages": pages,
        "repair_seconds": repair,
        "repair_seconds_per_page": repair_per_page if repair_per_page is not None else (repair / pages if pages else None),
        "repair_share_of_wall": repair / wall if wall > 0 else None,
        "repair_to_extract": repair / stages["extract"] if stages.get("extract") else None,
    }


def summarise(results: dict) -> dict:
    """Derived figures: throughput, the ratio to GiNZA alone, and what repair costs per page."""
    results["repair_per_page"] = {}
    for name, corpus in results["corpora"].items():
        derived = corpus["derived"] = {}
        # the median of the repeats' repair time per page, beside the median run's shares
        per_page = [r["repair"] / r["pages"] for r in corpus["jobs1_repeats"] if r["pages"]]
        cost = repair_cost(corpus["jobs1"], _median(per_page) if per_page else None)
        cost["repeats_seconds_per_page"] = per_page
        cost["entities"] = corpus.get("entities", True)
        results["repair_per_page"][name] = cost
        derived["repair_seconds_per_page"] = cost["repair_seconds_per_page"]
        for jobs in ("jobs1", "jobs2"):
            if jobs not in corpus:
                continue
            run = corpus[jobs]
            derived[f"{jobs}_pages_per_s"] = run["pages"] / run["wall"]
            derived[f"{jobs}_chars_per_s"] = run["chars"] / run["wall"]
        ginza = corpus.get("ginza_alone")
        if ginza and ginza["seconds"] > 0:
            run = corpus["jobs1"]
            pipeline_seconds = _without_load(run)
            derived["pipeline_seconds_without_model_load"] = pipeline_seconds
            derived["ratio_to_ginza_alone_jobs1"] = pipeline_seconds / ginza["seconds"]
            derived["ratio_stage_sum_to_ginza_alone"] = sum(run["stages"].get(s, 0.0) for s in ("extract", "repair", "split", "pull", "write")) / ginza["seconds"]
            alone_with_load = _median([r["seconds"] + r["load_model"] for r in corpus["ginza_alone_repeats"]])
            derived["ratio_to_ginza_alone_jobs1_with_load"] = _median([r["wall"] for r in corpus["jobs1_repeats"]]) / alone_with_load
            derived["ratio_to_ginza_alone_jobs2_wall"] = corpus["jobs2"]["wall"] / alone_with_load
    long = results.get("long_pdf")
    if long:
        results["repair_per_page"]["long_pdf"] = {"file": long["file"], **repair_cost(long)}
    return results


def print_tables(results: dict) -> None:
    rows = []
    for name, corpus in results["corpora"].items():
        for jobs in ("jobs1", "jobs2", "rerun"):
            if jobs not in corpus:
                continue
            run = corpus[jobs]
            stages = run["stages"]
            rows.append(
                [
                    name,
                    jobs if corpus.get("entities", True) else f"{jobs}, no entities",
                    f"{run['read']}/{run['read'] + run['reused']}",
                    run["pages"],
                    f"{run['wall']:.1f}",
                    *(f"{stages.get(stage, 0.0):.1f}" for stage in STAGES),
                    f"{run['pages'] / run['wall']:.2f}" if run["pages"] else "-",
                    f"{run['chars'] / run['wall']:.0f}" if run["read"] else "-",
                    f"{run['peak_mb']['self']:.0f}",
                    f"{run['peak_mb']['workers']:.0f}" if run["peak_mb"]["workers"] else "-",
                ]
            )
    header = ["corpus", "run", "read", "pages", "wall s", *STAGES, "pages/s", "chars/s", "peak MB", "worker MB"]
    print(_table(header, rows))
    print()
    ratio_rows = []
    for name, corpus in results["corpora"].items():
        ginza, derived = corpus.get("ginza_alone"), corpus["derived"]
        if not corpus.get("entities", True):
            continue
        if not ginza:
            ratio_rows.append([name, "-", "-", "-", "-", "no articles: GiNZA never runs"])
            continue
        ratio_rows.append(
            [
                name,
                ginza["articles"],
                " ".join(f"{r['seconds']:.2f}" for r in corpus["ginza_alone_repeats"]),
                " ".join(f"{r['without_load']:.2f}" for r in corpus["jobs1_repeats"]),
                f"{derived['ratio_to_ginza_alone_jobs1']:.2f}",
                f"{derived['ratio_to_ginza_alone_jobs1_with_load']:.2f}",
                f"{derived['ratio_to_ginza_alone_jobs2_wall']:.2f}",
            ]
        )
    header = ["corpus", "articles", "GiNZA alone s", "pipeline s (jobs 1, no load)", "ratio", "ratio, loads in", "jobs 2 ratio"]
    print(_table(header, ratio_rows))
    print("ratio: median pipeline --jobs 1 time without the model load / median GiNZA alone (model loaded first);")
    print("ratio, loads in: both with their model load; jobs 2 ratio: --jobs 2 wall time / GiNZA alone with its load")
    print()
    rows = [
        [
            f"{name}: {cost['file']}" if "file" in cost else name,
            cost["pages"],
            f"{cost['repair_seconds']:.2f}",
            f"{cost['repair_seconds_per_page'] * 1000:.1f}" if cost["repair_seconds_per_page"] is not None else "-",
            " ".join(f"{1000 * value:.1f}" for value in cost.get("repeats_seconds_per_page", [])) or "-",
            f"{cost['repair_share_of_wall']:.1%}" if cost["repair_share_of_wall"] is not None else "-",
            f"{cost['repair_to_extract']:.2f}" if cost["repair_to_extract"] is not None else "-",
        ]
        for name, cost in results["repair_per_page"].items()
    ]
    header = ["repair", "pages", "repair s", "ms/page", "ms/page, each run", "share of run", "repair/extract"]
    print(_table(header, rows))
    print("ms/page: median over the --jobs 1 runs of repair seconds / pages; share of run: repair / wall time")
    print("without the model load, of the median run; repair/extract: seconds of repair per second of extraction")
    print()
    long = results.get("long_pdf")
    if long:
        samples = ", ".join(f"{page}: {mb:.0f}" for page, mb in long["rss_mb_after_pages"].items())
        print(
            f"{long['file']}: {long['pages']} pages in {long['wall']:.1f} s ({long['pages'] / long['wall']:.1f} pages/s), "
            f"peak {long['peak_mb']['self']:.0f} MB; MB after pages {samples}"
        )
    archive = results.get("archive")
    if archive:
        print(
            f"archive of {archive['size']} issues: first run {archive['first']['wall']:.1f} s (--jobs 2, no entities), "
            f"unchanged re-run {archive['rerun']['wall']:.1f} s (write {archive['rerun']['stages'].get('write', 0.0):.1f} s)"
        )
    if results.get("rule_change"):
        print_rule_change(results["rule_change"])
    print(f"load average before/after: {results['load_before']} / {results['load_after']} on {os.cpu_count()} cores")
    keys = {corpus[run]["pipeline_key"] for corpus in results["corpora"].values() for run in ("jobs1", "jobs2", "rerun") if run in corpus}
    if len(keys) > 1:
        print(f"note: the pipeline's code changed during the bench ({len(keys)} pipeline keys): a re-run then reads again")


def print_rule_change(change: dict) -> None:
    first, again = change["first"], change["again"]
    print(
        f"rule change (pull/figures.py edited), newsletters, --jobs 1: first run {first['wall']:.2f} s, "
        f"run after the edit {again['wall']:.2f} s = {change['ratio']:.0%} of it "
        f"(with the process's start and imports: {first['process_wall']:.2f} s, {again['process_wall']:.2f} s = {change['ratio_with_process_start']:.0%}); "
        f"PDFs read again: {'yes' if change['pdfs_read_again'] else 'no'}, GiNZA loaded: {'yes' if change['model_loaded_again'] else 'no'}; "
        "after the edit, seconds: " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in sorted(again["stages"].items()))
    )


def _table(header: list, rows: list[list]) -> str:
    cells = [[str(cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[n]) for row in cells) for n in range(len(header))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "run":  # measurement steps, in their own process
        raw, out, jobs, entities = argv[1:5]
        dask = argv[5] if len(argv) > 5 and argv[5] != "-" else None
        keep_stages = "no-stages" not in argv[6:]
        print(json.dumps(measure_run(Path(raw), Path(out), int(jobs), entities == "entities", dask, keep_stages)))
        return 0
    if argv and argv[0] == "ginza":
        print(json.dumps(measure_ginza(Path(argv[1]))))
        return 0
    if argv and argv[0] == "long":
        print(json.dumps(measure_long(Path(argv[1]))))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="newsletters,newsletters-fonts,real-ja", help="comma-separated: newsletters, newsletters-fonts, real-ja")
    parser.add_argument("--archive", type=int, default=100, help="issues in the re-run archive (0: skip)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--repeat", type=int, default=3, help="jobs-1 runs and GiNZA-alone runs, in turn; medians are reported")
    parser.add_argument("--only-rule-change", action="store_true", help="measure the rule change alone")
    parser.add_argument("--scale", type=int, default=40, help="issues in the scaling archive: --jobs 1 and 2, --dask local:1 and 2, GiNZA alone (0: skip)")
    parser.add_argument("--only-scale", action="store_true", help="measure the scaling archive alone")
    args = parser.parse_args(argv)
    if args.only_scale:
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            results = {"load_before": [round(x, 2) for x in os.getloadavg()], "cores": os.cpu_count(), "scale": bench_scale(args.scale, Path(folder), args.repeat)}
        results["load_after"] = [round(x, 2) for x in os.getloadavg()]
        results["scale"]["figures"] = scale_figures(results["scale"])
        print_scale(results["scale"])
        print(f"load average before/after: {results['load_before']} / {results['load_after']} on {os.cpu_count()} cores")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return 0
    if args.only_rule_change:
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            results = {"load_before": [round(x, 2) for x in os.getloadavg()], "corpora": {}, "rule_change": bench_rule_change(Path(folder))}
        results["load_after"] = [round(x, 2) for x in os.getloadavg()]
        print_rule_change(results["rule_change"])
        return 0
    missing = [name for name in args.corpus.split(",") if not CORPORA[name].is_dir()]
    if missing:
        raise SystemExit(f"corpus not found: {', '.join(str(CORPORA[name]) for name in missing)}")

    results = {"load_before": [round(x, 2) for x in os.getloadavg()], "cores": os.cpu_count(), "corpora": {}}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        work = Path(folder)
        for name in args.corpus.split(","):
            bench = bench_repair_only if name in REPAIR_ONLY else bench_corpus
            results["corpora"][name] = bench(name, work, max(1, args.repeat))
        if LONG_PDF.exists():
            print(f"[long] {LONG_PDF.name}", file=sys.stderr)
            results["long_pdf"] = in_subprocess("long", str(LONG_PDF))
        if args.archive:
            raw = archive_folder(args.archive, work)
            out = work / "out-archive"
            print(f"[archive] {args.archive} issues: first run (no entities), then unchanged re-run", file=sys.stderr)
            first = in_subprocess("run", str(raw), str(out), "2", "no-entities")
            rerun = in_subprocess("run", str(raw), str(out), "2", "no-entities")
            results["archive"] = {"size": args.archive, "first": first, "rerun": rerun}
        results["rule_change"] = bench_rule_change(work)
        if args.scale:
            results["scale"] = bench_scale(args.scale, work, max(1, args.repeat))
            results["scale"]["figures"] = scale_figures(results["scale"])
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    summarise(results)
    print_tables(results)
    if results.get("scale"):
        print()
        print_scale(results["scale"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
