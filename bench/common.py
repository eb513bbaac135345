"""Shared helpers of the benchmark scripts: machine description and RESULTS.md appending."""
from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


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
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                         cwd=RESULTS.parent).stdout.strip()
    return (f"{platform.machine()}, {os.cpu_count()} cores ({model}), {mem:.0f} GiB, Python "
            f"{platform.python_version()}, commit {rev or '?'}")


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
