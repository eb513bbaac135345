"""Build benchmark: `plangraph build` over synthetic corpora of 10k and 100k (and 1M) documents.

    python bench/bench_build.py [--sizes 10000,100000] [--workdir /tmp/plangraph-bench-build] [--keep]
                                [--jobs N] [--seed 1] [--no-warm] [--formats ttl,json [--formats-only]]
                                [--no-append]

For each size: the corpus is generated with bench/synth.py (or reused when WORKDIR/sNNN holds one of that
size and seed), then, each as a subprocess (`.venv/bin/python -m graph_builder build DIR --out OUT`):
- baseline: every file read (`cat` of the whole tree to /dev/null), and a bare scan — every file read and
  the extractor's number pattern (graph_builder.extract.regexes.NUMBER) run over it, one core;
- cold build: a fresh output folder (no cache): read, extract on all cores, resolve, write;
- warm rebuild: the same command again (every extraction comes from the cache);
- with --formats LIST, a second cold build into another folder writing only those graph files (with
  --formats-only, the cold build itself writes only those, and there is no second one).
Measured per run: wall time; peak RSS of the largest single process (os.wait4's ru_maxrss of the run, the
same figure as resource.getrusage(RUSAGE_CHILDREN) for one child) and the peak of the whole process tree's
summed RSS (sampled from /proc every 0.2 s); documents per second; the ratio to the baselines; output sizes.
The build's own phase split comes from its stdout.  Each run's raw figures are printed (one JSON line) as it
ends, and each size's table is printed and appended to bench/RESULTS.md as soon as that size is done.
The corpora and outputs are deleted at the end unless --keep.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import publish  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PAGE = os.sysconf("SC_PAGE_SIZE")
OUTPUTS = ("graph.ttl", "graph.jsonld", "graph.graphml", "edges.csv", "graph.json", "report.json", "report.md",
           "report.jsonl")

SCAN = """
import os, sys
from graph_builder.extract.regexes import NUMBER
n = 0
for root, _dirs, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith('.txt'):
            with open(os.path.join(root, f), encoding='utf-8') as fh:
                n += sum(1 for _ in NUMBER.finditer(fh.read()))
print(n)
"""


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def tree_rss(pid: int) -> int:
    """Summed resident set of a process and all its descendants, in bytes."""
    kids, todo, total = _children(), [pid], 0
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, ()))
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def run(cmd: list[str], **kw) -> dict:
    """Run a command; wall seconds, peak single-process RSS (wait4) and sampled peak tree RSS, stdout."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_rss(p.pid))

    threading.Thread(target=sample, daemon=True).start()
    out_lines: list[str] = []
    err_lines: list[str] = []
    readers = [threading.Thread(target=lambda: out_lines.append(p.stdout.read()), daemon=True),
               threading.Thread(target=lambda: err_lines.append(p.stderr.read()), daemon=True)]
    for t in readers:
        t.start()
    _pid, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    for t in readers:
        t.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "maxrss": ru.ru_maxrss * 1024, "tree_peak": peak[0], "rc": p.returncode,
            "stdout": "".join(out_lines), "stderr": "".join(err_lines), "cpu": ru.ru_utime + ru.ru_stime}


def corpus(workdir: Path, docs: int, seed: int) -> Path:
    d = workdir / f"s{docs}-seed{seed}"
    stamp = d / ".complete"
    if stamp.is_file():
        return d
    shutil.rmtree(d, ignore_errors=True)
    print(f"generating {docs} documents in {d} …", flush=True)
    r = subprocess.run([PY, str(HERE / "synth.py"), str(d), "--docs", str(docs), "--seed", str(seed)],
                       capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)
    stamp.write_text(r.stdout)
    return d


def size_of(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def mb(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB" if n < 2**30 else f"{n / 2**30:.2f} GiB"


def measure(docs: int, args) -> list[str]:
    workdir = Path(args.workdir)
    src = corpus(workdir, docs, args.seed)
    text_bytes = size_of(src)
    out = workdir / f"out{docs}"
    shutil.rmtree(out, ignore_errors=True)
    cat = run(["sh", "-c", f"find '{src}' -type f -print0 | xargs -0 cat > /dev/null"])
    scan = run([PY, "-c", SCAN, str(src)], cwd=ROOT)
    def build_cmd_to(folder: Path) -> list[str]:
        return [PY, "-m", "graph_builder", "build", str(src), "--out", str(folder),
                *(["--jobs", str(args.jobs)] if args.jobs else [])]
    build_cmd = build_cmd_to(out)
    cold = "cold build"
    only = bool(args.formats and args.formats_only)
    if only:                   # the one cold build writes only these graph files
        build_cmd += ["--formats", args.formats]
        cold = f"cold build, --formats {args.formats}"
    second = bool(args.formats) and not only   # a second cold build writing only those files
    runs: dict[str, dict] = {}

    def record(name: str, r: dict) -> None:
        # printed at once (the table is written when the size is done): a run stopped later keeps these
        runs[name] = r
        print(json.dumps({"docs": docs, "run": name, **{k: r[k] for k in ("wall", "maxrss", "tree_peak", "cpu", "rc")},
                          "stdout": (re.findall(r"this run: .*", r["stdout"]) or [""])[0]}), flush=True)

    record(cold, run(build_cmd, cwd=ROOT))
    if not args.no_warm:
        record("warm rebuild (cache)", run(build_cmd, cwd=ROOT))
    if second:
        # a cold build again, into its own folder, writing only the graph files asked for
        few = workdir / f"out{docs}-formats"
        shutil.rmtree(few, ignore_errors=True)
        record(f"cold build, --formats {args.formats}", run([*build_cmd_to(few), "--formats", args.formats], cwd=ROOT))
    for name, r in runs.items():
        if r["rc"] not in (0, 1):
            raise SystemExit(f"{name} failed ({r['rc']}): {r['stderr'][-2000:]}")
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    sizes = {n: (out / n).stat().st_size for n in OUTPUTS if (out / n).is_file()}
    cache = size_of(out / ".cache")
    lines = [f"### {docs:,} synthetic documents (seed {args.seed}): {mb(text_bytes)} of text", "",
             f"Graph: {rep['nodes']:,} nodes ({rep['nodes_in_corpus']:,} in the corpus, of {rep['documents']:,} "
             f"documents read), {rep['edges']:,} edges, {rep['citations']:,} citations; "
             f"{rep['counts']['merges']:,} merge decisions, {rep['counts']['unresolved']:,} unresolved.", "",
             "| run | wall s | docs/s | peak RSS, largest process | peak RSS, process tree (sampled) | CPU s | "
             "× cat | × scan |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in (("baseline: cat every file", cat), ("baseline: read + number regex, 1 core", scan), *runs.items()):
        lines.append(f"| {name} | {r['wall']:.2f} | {docs / r['wall']:,.0f} | {mb(r['maxrss'])} | "
                     f"{mb(r['tree_peak'])} | {r['cpu']:.1f} | {r['wall'] / cat['wall']:.1f} | "
                     f"{r['wall'] / scan['wall']:.2f} |")
    lines.append("")
    for name, r in runs.items():
        m = re.search(r"this run: .*", r["stdout"])
        lines.append(f"- {name}: {m.group(0) if m else r['stdout'].strip()[-200:]}")
    lines += ["- outputs: " + ", ".join(f"{n} {mb(s)}" for n, s in sizes.items())
              + f"; total {mb(sum(sizes.values()))}; cache {mb(cache)}", ""]
    if second:
        few_sizes = {n: (few / n).stat().st_size for n in OUTPUTS if (few / n).is_file()}
        lines.insert(-1, f"- outputs with --formats {args.formats}: " + ", ".join(f"{n} {mb(s)}" for n, s in
                                                                                   few_sizes.items())
                     + f"; total {mb(sum(few_sizes.values()))}")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
        if second:
            shutil.rmtree(few, ignore_errors=True)
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes (default 10000,100000)")
    ap.add_argument("--workdir", default="/tmp/plangraph-bench-build")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=None, help="--jobs of the build (default: all cores)")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and outputs in --workdir")
    ap.add_argument("--no-warm", action="store_true", help="skip the warm rebuild")
    ap.add_argument("--formats", default=None, metavar="LIST",
                    help="also a cold build writing only these graph files (plangraph build --formats LIST)")
    ap.add_argument("--formats-only", action="store_true",
                    help="with --formats: the cold build itself writes only those files (no build of every format)")
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to RESULTS.md")
    args = ap.parse_args()
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    try:
        # each size is appended as soon as it is measured: a long run stopped later keeps what it finished
        for docs in [int(s) for s in args.sizes.split(",") if s.strip()]:
            lines = measure(docs, args)
            load = os.getloadavg()
            lines.append(f"Load average at the end: {load[0]:.1f} (the machine is shared; other processes' CPU "
                         f"use shows as wall time).")
            publish("Build throughput (plangraph build)", lines, args.no_append)
    finally:
        if not args.keep:
            shutil.rmtree(args.workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
