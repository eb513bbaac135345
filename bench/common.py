"""Shared helpers of the benchmark scripts: machine description and RESULTS.md appending."""
from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _head() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          cwd=RESULTS.parent).stdout.strip()


# the commit when the script started: a long run (a 1M build) measures the code it loaded then, whatever is
# committed while it runs
START_COMMIT = _head()


def machine() -> str:
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        model = cpu
    now = _head()
    rev = START_COMMIT or "?"
    if now and now != START_COMMIT:
        rev += f" when the script started (HEAD is {now} now)"
    return (f"{platform.machine()}, {os.cpu_count()} cores ({model}), {mem:.0f} GiB, Python "
            f"{platform.python_version()}, commit {rev}")


def publish(title: str, lines: list[str], dry_run: bool = False) -> None:
    """Append the section to bench/RESULTS.md (and print it), or with dry_run (--no-append) only print it."""
    if dry_run:
        print("\n".join(lines), flush=True)
    else:
        append(title, lines)


def append(title: str, lines: list[str]) -> None:
    """Append a dated section to bench/RESULTS.md and print it."""
    block = [f"## {title} — {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}", "", f"Machine: {machine()}", "",
             *lines, ""]
    text = "\n".join(block) + "\n"
    print(text)
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by the scripts in bench/ (newest last).\n\n",
                           encoding="utf-8")
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(text)


def timed(fn, repeat: int = 1):
    """(the last result of fn(), the wall time of each of `repeat` calls)."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, times


def peak_rss_gib() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss, not inherited from the parent across exec)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")
