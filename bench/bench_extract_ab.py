"""Extraction speed of two versions of the code, interleaved in the same run: did a change make it faster?

    python bench/bench_extract_ab.py REV [--docs 1000] [--seed 1] [--real] [--rounds 4] [--no-append]

REV is a git revision (a commit, a tag, HEAD~3); the working tree is the other side.  REV is checked out in a
temporary git worktree.  Both sides run the same texts, already in memory (reading files is not measured):
extract_text on every text, then resolve() over all the extractions, one core, twice (the first pass fills the
caches of place and issuer lookups, as a build's first documents do; the second runs with them full, as the rest
of a large build does), in a fresh subprocess each round (so each side has its own modules and caches) — REV,
then the working tree, `--rounds` times.  The best round of each side is compared, for each pass: the ratio working tree / REV (below 1: faster), and each side's ratio to a bare scan
of the number pattern (the same figure as bench_extract.py's) run in the same subprocess.  On a shared machine
the rounds of one side differ by 10–20%; the interleaving puts both sides under the same load.
"""
from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import publish  # noqa: E402

ROUND = r"""
import json, pickle, sys, time
sys.path.insert(0, sys.argv[1])
from graph_builder import extract_text
from graph_builder.extract.regexes import NUMBER
from graph_builder.resolve import resolve
texts = pickle.load(open(sys.argv[2], "rb"))
extract_text(texts[0])                     # compile the patterns, load the vocabulary: not measured
passes = []
for _ in range(2):                          # the first pass fills the caches (places, issuers), as a build's first
    t = time.perf_counter()                 # thousand documents do; the second runs with them full, as the rest do
    resolve([extract_text(x, f"doc{i}").to_json() for i, x in enumerate(texts)])
    passes.append(time.perf_counter() - t)
first, pipeline = passes
scans = []
for _ in range(3):
    t = time.perf_counter()
    for x in texts:
        for _m in NUMBER.finditer(x):
            pass
    scans.append(time.perf_counter() - t)
print(json.dumps({"pipeline": pipeline, "first": first, "scan": min(scans)}))
"""


def texts_of(args, tmp: Path) -> list[tuple[str, Path, float]]:
    from synth import Generator
    corpora = []
    Generator(args.docs, args.seed).run(tmp / "synth")
    synth = [p.read_text(encoding="utf-8") for p in sorted((tmp / "synth").rglob("*.txt"))]
    corpora.append((f"synthetic corpus (seed {args.seed}), {len(synth)} documents", synth))
    real = ROOT.parent / "shared" / "corpus-real"
    if args.real and real.is_dir():
        corpora.append(("../shared/corpus-real (gazette), 110 documents",
                        [p.read_text(encoding="utf-8") for p in sorted(real.glob("*.txt"))]))
    out = []
    for k, (name, texts) in enumerate(corpora):
        path = tmp / f"texts{k}.pkl"
        path.write_bytes(pickle.dumps(texts))
        out.append((name, path, sum(len(t.encode("utf-8")) for t in texts) / 1e6))
    return out


def one_round(tree: Path, texts: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", ROUND, str(tree), str(texts)], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"{tree}: {r.stderr[-2000:]}")
    return json.loads(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rev", help="the git revision to compare the working tree with")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--real", action="store_true", help="also the gazette documents of ../shared/corpus-real")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to RESULTS.md")
    args = ap.parse_args()
    short = subprocess.run(["git", "rev-parse", "--short", args.rev], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.strip()
    lines = [f"`python bench/bench_extract_ab.py {args.rev} --docs {args.docs}{' --real' if args.real else ''}"
             f" --rounds {args.rounds}`: {short} against the working tree, {args.rounds} interleaved rounds each, "
             "one core; best round of each side.", "",
             "| corpus | MB | pass | seconds, " + short + " | seconds, working tree | working tree / " + short
             + " | ratio to the bare scan, " + short + " → working tree |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = tmp / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(old), args.rev], cwd=ROOT, check=True)
        try:
            for name, path, mb in texts_of(args, tmp):
                runs: dict[str, list[dict]] = {"old": [], "new": []}
                for _ in range(args.rounds):
                    runs["old"].append(one_round(old, path))
                    runs["new"].append(one_round(ROOT, path))
                for key, what in (("first", "first (caches empty)"), ("pipeline", "second (caches full)")):
                    o = min(runs["old"], key=lambda r: r[key])
                    n = min(runs["new"], key=lambda r: r[key])
                    lines.append(f"| {name} | {mb:.1f} | {what} | {o[key]:.2f} | {n[key]:.2f} | "
                                 f"{n[key] / o[key]:.2f} | {o['scan'] / o[key]:.3f} → {n['scan'] / n[key]:.3f} |")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    lines.append("")
    publish("Extraction speed, two versions (bench_extract_ab.py)", lines, args.no_append)
    return 0


if __name__ == "__main__":
    sys.exit(main())
