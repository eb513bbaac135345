"""A long run of the property-based tests (tests/test_fuzz.py) and its record in bench/RESULTS.md.

    python bench/fuzz_long.py [--examples 20000] [--seed N] [--no-record]

Runs `pytest tests/test_fuzz.py` with FUZZ_EXAMPLES=N and FUZZ_RANDOM=1 (random, not the derandomized
examples CI sees every time) under --hypothesis-seed=SEED, so a failure can be replayed with the same
command.  Hypothesis' own statistics give the examples run and the time of each property; they are appended
to bench/RESULTS.md with the outcome and, on failure, the falsifying example as pytest printed it.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import append  # noqa: E402

STAT_HEAD = re.compile(r"^(tests/test_fuzz\.py::\w+):\s*$", re.M)
PHASE = re.compile(r"during (\w+) phase \(([\d.]+) seconds\):\s*\n(?:.*\n)*?\s*- (\d+) passing,? (?:examples?, )?"
                   r"(\d+) failing,? (?:examples?, )?(?:and )?(\d+) invalid")
DURATION = re.compile(r"^([\d.]+)s call\s+tests/test_fuzz\.py::(\w+)", re.M)


def cpu_bounds() -> tuple[str, str]:
    """The per-example CPU-time bounds tests/test_fuzz.py sets (EXAMPLE_CPU_SECONDS, ADVERSARIAL_CPU_SECONDS)."""
    src = (ROOT / "tests" / "test_fuzz.py").read_text(encoding="utf-8")
    get = lambda name: (re.search(rf"^{name} = ([\d.]+)", src, re.M) or [None, "?"])[1]     # noqa: E731
    return get("EXAMPLE_CPU_SECONDS"), get("ADVERSARIAL_CPU_SECONDS")


def parse_stats(out: str) -> dict[str, dict]:
    """{test: {"passing": n, "failing": n, "invalid": n, "seconds": s, "stopped": why}} from
    --hypothesis-show-statistics."""
    stats: dict[str, dict] = {}
    heads = list(STAT_HEAD.finditer(out))
    for i, h in enumerate(heads):
        block = out[h.end(): heads[i + 1].start() if i + 1 < len(heads) else len(out)]
        s = {"passing": 0, "failing": 0, "invalid": 0, "seconds": 0.0, "stopped": ""}
        for m in PHASE.finditer(block):
            s["seconds"] += float(m.group(2))
            s["passing"] += int(m.group(3))
            s["failing"] += int(m.group(4))
            s["invalid"] += int(m.group(5))
        stop = re.search(r"Stopped because (.*)", block)
        s["stopped"] = stop.group(1).strip() if stop else ""
        stats[h.group(1).split("::")[1]] = s
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=20000, help="examples per property (FUZZ_EXAMPLES)")
    ap.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random, printed)")
    ap.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    ap.add_argument("--note", default="", help="a line added to the record (e.g. what was fixed)")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 31)
    env = {**os.environ, "FUZZ_EXAMPLES": str(a.examples), "FUZZ_RANDOM": "1"}
    cmd = [sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-p", "no:cacheprovider",
           "--hypothesis-show-statistics", f"--hypothesis-seed={seed}", "--durations=0"]
    print(f"FUZZ_EXAMPLES={a.examples} FUZZ_RANDOM=1 {' '.join(cmd[1:])}", flush=True)
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    out = r.stdout + r.stderr
    print(out)
    stats = parse_stats(out)
    durations = {m.group(2): float(m.group(1)) for m in DURATION.finditer(out)}
    slow = len(re.findall(r"TooSlow: over", out))
    example_bound, adversarial_bound = cpu_bounds()
    summary = re.findall(r"^(?:=+ )?(\d+ (?:passed|failed|error).*?)(?: =+)?$", out, re.M)
    falsifying = re.findall(r"^Falsifying example:.*?(?=^\S|\Z)", out, re.M | re.S)
    lines = [f"`FUZZ_EXAMPLES={a.examples} FUZZ_RANDOM=1 python -m pytest tests/test_fuzz.py "
             f"--hypothesis-seed={seed}` (random examples, not CI's derandomized ones): "
             f"**{'passed' if r.returncode == 0 else 'FAILED'}** in {wall:.0f} s wall "
             f"({summary[-1] if summary else f'exit {r.returncode}'}); every example under a {example_bound} s "
             f"CPU-time bound{f', {slow} over it (TooSlow)' if slow else ', none over it'}.", "",
             "| property | passing | failing | invalid | generate s | test s (all phases) | stopped because |",
             "|---|---|---|---|---|---|---|"]
    for name, s in stats.items():
        lines.append(f"| {name} | {s['passing']} | {s['failing']} | {s['invalid']} | {s['seconds']:.1f} | "
                     f"{durations.get(name, float('nan')):.1f} | {s['stopped']} |")
    lines.append("")
    adv = "test_adversarial_inputs_finish_quickly"
    lines.append(f"{adv} (12 fixed 40–200 KB pathological texts, < {adversarial_bound} s of CPU each): "
                 + ("FAILED" if adv in "".join(re.findall(r"^FAILED .*$", out, re.M)) else "passed")
                 + f" in {durations.get(adv, float('nan')):.1f} s")
    for f in falsifying[:5]:
        lines += ["", "```", f.strip()[:2000], "```"]
    if a.note:
        lines += ["", a.note]
    if not a.no_record:
        append("Long fuzz run (tests/test_fuzz.py)", lines)
    else:
        print("\n".join(lines))
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
