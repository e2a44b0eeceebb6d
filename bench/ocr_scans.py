"""OCR of scanned issues, measured: CER and scores per preparation step, seconds per OCR page, peak memory.

The shared newsletters' ``.clean.pdf`` files are rendered as image-only scans
(300 dpi, grey, 0.4° skew, light noise, JPEG 75: ``tests/fixtures/make_scans.py``)
into a temporary folder (never committed), read by the pipeline with each
step of :class:`pipeline.settings.OcrSettings` switched on in turn
(``--config`` with a ``[settings.ocr]`` table), and scored by
``../shared/bench/score.py`` against the gold of the original: the scans
carry the same text.  Then one scan is read alone, ``--jobs 1``, for the
seconds each OCR page takes and the process's peak memory.

    python bench/ocr_scans.py [--out bench/ocr_results.json] [--steps all|default]

Part of ``make bench``.  Takes a few minutes (about 3 s an OCR page, a run per step).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "fixtures"))
NEWSLETTERS = REPO.parent / "shared" / "corpus" / "newsletters"
SCORE = REPO.parent / "shared" / "bench" / "score.py"

#: The first run has every step off; the default adds the corrections; each later run adds one step to the default.
STEPS = {
    "none": {"remove_rules": 0, "correct": 0, "deskew_from": 0.0, "binarise": 0},
    "+ corrections (default)": {},
    "default + rules removed": {"remove_rules": 1},
    "default + deskew at 0.4°": {"deskew_from": 0.1},
    "default + binarise": {"binarise": 1},
}


def render_scans(folder: Path) -> list[Path]:
    from make_scans import make_scan

    scans = []
    for clean in sorted(NEWSLETTERS.glob("*.clean.pdf")):
        name = clean.name[: -len(".clean.pdf")]
        scans.append(make_scan(clean, folder / f"{name}.pdf", dpi=300, skew=0.4, noise=6.0, quality=75))
    return scans


def run_step(name: str, settings: dict, scans: Path, work: Path) -> dict:
    config = work / f"{len(os.listdir(work))}.toml"
    config.write_text("[settings.ocr]\n" + "".join(f"{key} = {value}\n" for key, value in settings.items()), encoding="utf-8")
    out = work / f"out-{config.stem}"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "extract", str(scans), "--out", str(out), "--quiet", "--jobs", "1", "--config", str(config)],
        cwd=REPO, check=False, capture_output=True,
    )
    seconds = time.perf_counter() - started
    result = work / f"score-{config.stem}.json"
    subprocess.run([sys.executable, str(SCORE), "--extracted", str(out), "--gold", str(NEWSLETTERS), "--json", str(result)], check=True, capture_output=True)
    score = json.loads(result.read_text())
    return {
        "step": name,
        "settings": settings,
        "cer": score["cer"],
        "articles_f1": score["articles"]["f1"],
        "titles_exact": score["titles_exact"],
        "figures_f1": score["figures"]["f1"],
        "dates_f1": score["dates"]["f1"],
        "entities_f1": score["entities"]["f1"],
        "wall_seconds": round(seconds, 1),
    }


def measure_reading(scan: str) -> dict:
    """One scan read alone (extract and OCR, no split or pull): seconds per OCR page from the stage clock, peak memory."""
    from pipeline.reading import read_pdf
    from pipeline.timing import StageClock

    clock = StageClock()
    document = read_pdf(Path(scan), clock=clock)
    pages = sum(1 for page in document.pages if page.source == "ocr")
    return {
        "file": Path(scan).name,
        "ocr_pages": pages,
        "ocr_seconds": round(clock.seconds.get("ocr", 0.0), 2),
        "seconds_per_ocr_page": round(clock.seconds.get("ocr", 0.0) / pages, 2) if pages else None,
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "read":  # a measurement in its own process, so its peak memory is its own
        print(json.dumps(measure_reading(argv[1])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "ocr_results.json")
    parser.add_argument("--steps", choices=("all", "default"), default="all", help="every preparation step, or the default settings alone")
    args = parser.parse_args(argv)
    if not NEWSLETTERS.is_dir():
        raise SystemExit(f"corpus not found: {NEWSLETTERS}")
    results: dict = {"load_before": [round(x, 2) for x in os.getloadavg()], "steps": []}
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as folder:
        work = Path(folder)
        scans = work / "scans"
        rendered = render_scans(scans)
        steps = STEPS if args.steps == "all" else {"+ corrections (default)": {}}
        for name, settings in steps.items():
            print(f"[ocr] {name}", file=sys.stderr)
            results["steps"].append(run_step(name, settings, scans, work))
        reading = subprocess.run([sys.executable, __file__, "read", str(rendered[0])], check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        results["reading"] = json.loads(reading.stdout.strip().splitlines()[-1])
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print("| step | CER | articles F1 | titles exact | figures F1 | dates F1 | entities F1 | run s |")
    print("|---|---|---|---|---|---|---|---|")
    for row in results["steps"]:
        print(f"| {row['step']} | {row['cer']:.4f} | {row['articles_f1']:.3f} | {row['titles_exact']:.3f} | {row['figures_f1']:.3f} | {row['dates_f1']:.3f} | {row['entities_f1']:.3f} | {row['wall_seconds']} |")
    reading = results["reading"]
    print(f"\nOCR: {reading['seconds_per_ocr_page']} s per page ({reading['ocr_pages']} pages of {reading['file']}, --jobs 1), peak memory {reading['peak_memory_mib']} MiB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
