"""GiNZA throughput with thinc's blis gemm and with numpy's OpenBLAS gemm (make bench).

    python scripts/ginza_throughput.py [blis|numpy]   # one setting
    python scripts/ginza_throughput.py                # both, each in a fresh process

Reads the article bodies of ../shared/corpus/newsletters/*.gold.json as text
(any Japanese text would do) and prints characters per second, wall and CPU.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "newsletters"


def texts() -> list[str]:
    bodies = [a["body"] for path in sorted(SHARED.glob("*.gold.json")) for a in json.loads(path.read_text())["articles"]]
    return bodies * 2


def measure(setting: str) -> dict:
    if setting == "numpy":
        from pipeline.pull.fast_ops import use_openblas_gemm

        use_openblas_gemm()
    import spacy

    from pipeline.pull.entities import UNUSED_PIPES

    nlp = spacy.load("ja_ginza", disable=list(UNUSED_PIPES))
    sample = texts()
    list(nlp.pipe(sample[:2]))  # warm up
    cpu, wall = time.process_time(), time.perf_counter()
    list(nlp.pipe(sample))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    chars = sum(map(len, sample))
    return {"gemm": setting, "chars": chars, "chars_per_s_wall": round(chars / wall), "chars_per_s_cpu": round(chars / cpu)}


def main() -> int:
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
        return 0
    results = [json.loads(subprocess.run([sys.executable, __file__, s], capture_output=True, text=True, check=True).stdout) for s in ("blis", "numpy")]
    for r in results:
        print(f"{r['gemm']:6s} {r['chars_per_s_wall']:7d} chars/s wall {r['chars_per_s_cpu']:7d} chars/s cpu")
    print(f"speed-up (wall): {results[1]['chars_per_s_wall'] / results[0]['chars_per_s_wall']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
