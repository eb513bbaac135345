"""Extraction throughput: the full extract-and-resolve pipeline against a bare scan, in the same run.

    python bench/bench_extract.py [--docs 3000] [--seed 1] [--real]

Both run on the same texts, already in memory (reading files is not measured):
- baseline: the number pattern alone (graph_builder.extract.regexes.NUMBER, `regex` engine), finditer over
  every text;
- pipeline: extract_text on every text, then resolve() over all the extractions — one core;
- pipeline on all cores: the same extraction through a process pool (as `plangraph build` runs it), then
  resolve.
The figures are MB/s of UTF-8 text, and the ratio pipeline / baseline (target ≥ 0.5).  Each is the best of
three runs, to damp the noise of a shared machine.  --real adds the 110 gazette documents of
../shared/corpus-real as a second corpus.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import publish  # noqa: E402

from graph_builder import extract_text  # noqa: E402
from graph_builder.extract.regexes import NUMBER  # noqa: E402
from graph_builder.resolve import resolve  # noqa: E402


def _extract(text: str) -> dict:
    return extract_text(text).to_json()


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(name: str, texts: list[str], jobs: int) -> list[str]:
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    def baseline():
        n = 0
        for t in texts:
            for _ in NUMBER.finditer(t):
                n += 1
        return n

    def pipeline():
        xs = [extract_text(t, f"doc{i}").to_json() for i, t in enumerate(texts)]
        resolve(xs)

    def parallel():
        with ProcessPoolExecutor(jobs) as pool:
            xs = list(pool.map(_extract, texts, chunksize=max(1, len(texts) // (jobs * 8))))
        for i, x in enumerate(xs):
            x["path"] = f"doc{i}"
        resolve(xs)

    tb = best(baseline)
    tp = best(pipeline)
    tj = best(parallel) if jobs > 1 else tp
    cits = sum(1 for t in texts for _ in NUMBER.finditer(t))
    return [f"### {name}: {len(texts)} documents, {mb:.1f} MB, {cits} number matches", "",
            "| run | seconds | MB/s | ratio to baseline |", "| --- | ---: | ---: | ---: |",
            f"| baseline: number pattern alone (1 core) | {tb:.2f} | {mb / tb:.1f} | 1.00 |",
            f"| pipeline: extract + resolve (1 core) | {tp:.2f} | {mb / tp:.1f} | {tb / tp:.3f} |",
            f"| pipeline: extract on {jobs} processes + resolve | {tj:.2f} | {mb / tj:.1f} | {tb / tj:.3f} |", ""]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--real", action="store_true", help="also the gazette documents of ../shared/corpus-real")
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to RESULTS.md")
    args = ap.parse_args()
    jobs = os.cpu_count() or 1
    from synth import Generator
    with tempfile.TemporaryDirectory() as tmp:
        Generator(args.docs, args.seed).run(Path(tmp))
        texts = [p.read_text(encoding="utf-8") for p in sorted(Path(tmp).rglob("*.txt"))]
    lines = measure(f"synthetic corpus (seed {args.seed})", texts, jobs)
    real = HERE.parent.parent / "shared" / "corpus-real"
    if args.real and real.is_dir():
        lines += measure("../shared/corpus-real (gazette)", [p.read_text(encoding="utf-8")
                                                             for p in sorted(real.glob("*.txt"))], jobs)
    publish("Extraction throughput", lines, args.no_append)
    return 0


if __name__ == "__main__":
    sys.exit(main())
