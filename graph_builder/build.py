"""`plangraph build`: corpus folder -> extraction (cached, parallel) -> resolution -> graph -> output files.

Outputs (in --out, default output/): graph.ttl, graph.jsonld, graph.graphml, edges.csv, graph.json
(node-link, read by viz/impact), report.json and report.md.  Each is written atomically.

Cache: output/.cache/ keeps each file's extraction keyed by the SHA-256 of its bytes and by the extractor's
own version (a hash of its code and vocabulary), plus a manifest of (size, mtime) per path: an unchanged
file is not even read again; a changed one is read, and re-extracted only if its content is new.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .export import atomic_write, edges_csv, graphml, node_link_json, turtle_and_jsonld
from .extract.pipeline import extract_text
from .graph import DEFAULT_BASE, build_graph
from .read import ReadError, read_bytes
from .resolve import resolve

DOCUMENT_SUFFIXES = {".txt", ".md", ".text", ".html", ".htm", ".docx", ".doc", ".pdf", ".rtf"}
PARALLEL_MIN_FILES = 16


def extractor_version() -> str:
    """Changes whenever the extractor's code or vocabulary changes (so the cache is never stale)."""
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).resolve().parent
    from .vocabulary import ontology_dir
    for p in sorted([*pkg.glob("extract/*.py"), pkg / "read.py", pkg / "models.py", pkg / "textfold.py",
                     *(ontology_dir() / "vocab").glob("*.toml")]):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class BuildReport:
    corpus: str
    files_seen: int = 0
    files_read: int = 0                      # bytes read from disk this run
    files_extracted: int = 0                 # extraction run this run (the rest came from the cache)
    files_from_cache: int = 0
    documents: int = 0
    citations: int = 0
    named_refs: int = 0
    third_party: int = 0
    nodes: int = 0
    nodes_in_corpus: int = 0
    nodes_cited_only: int = 0
    edges: int = 0
    edges_by_relation: dict = field(default_factory=dict)
    failed: list = field(default_factory=list)       # [{"path", "reason"}]
    skipped: list = field(default_factory=list)      # not document formats
    merges: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def to_markdown(self, include_run: bool = False) -> str:
        lines = [f"# plangraph build report — {self.corpus}", "",
                 f"- files: {self.files_seen} seen, {self.documents} documents read, {len(self.failed)} failed, "
                 f"{len(self.skipped)} skipped (not documents)",
                 f"- citations: {self.citations}, third-party relations: {self.third_party}, "
                 f"laws cited by name: {self.named_refs}",
                 f"- graph: {self.nodes} documents ({self.nodes_in_corpus} in the corpus, {self.nodes_cited_only} "
                 f"only cited), {self.edges} relations "
                 f"({', '.join(f'{k} {v}' for k, v in sorted(self.edges_by_relation.items()))})"]
        if include_run:
            lines.append(f"- this run: {self.files_read} files read from disk, {self.files_extracted} extracted, "
                         f"{self.files_from_cache} from the cache, {self.seconds:.1f} s")
        lines.append("")
        for title, items in (("Files that failed", [f"{f['path']}: {f['reason']}" for f in self.failed]),
                             ("Skipped (not a document format)", self.skipped),
                             ("Ambiguous references (kept apart)", self.ambiguous),
                             ("Unresolved references (issuer or place unknown)", self.unresolved),
                             ("Merge decisions", self.merges)):
            lines.append(f"## {title} ({len(items)})")
            lines.extend(f"- {x}" for x in items) if items else lines.append("- none")
            lines.append("")
        return "\n".join(lines)


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal (or when forced)."""

    def __init__(self, total: int, enabled: bool | None = None, label: str = "extract"):
        self.total, self.done, self.label = total, 0, label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.last = 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.enabled and (time.monotonic() - self.last > 0.1 or self.done == self.total):
            self.last = time.monotonic()
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def _extract_bytes(args: tuple[str, bytes]) -> tuple[str, dict | None, str | None]:
    path, data = args
    try:
        doc = read_bytes(data, path)
        x = extract_text(doc.text, path).to_json()
        x["source"] = {"format": doc.format, "encoding": doc.encoding, "warnings": list(doc.warnings)}
        return path, x, None
    except ReadError as e:
        return path, None, e.reason
    except Exception as e:                      # a bug on one file must not stop the corpus
        return path, None, f"internal error: {type(e).__name__}: {e}"


class Cache:
    def __init__(self, root: Path, version: str, enabled: bool = True):
        self.root, self.version, self.enabled = root, version, enabled
        self.manifest_path = root / "manifest.json"
        self.manifest: dict = {}
        if enabled and self.manifest_path.is_file():
            try:
                m = json.loads(self.manifest_path.read_text(encoding="utf-8"))
                if m.get("version") == version:
                    self.manifest = m.get("files", {})
            except (OSError, ValueError):
                self.manifest = {}

    def _entry(self, sha: str) -> Path:
        return self.root / "x" / sha[:2] / f"{sha}.json"

    def by_stat(self, rel: str, st: os.stat_result) -> tuple[str, dict] | None:
        m = self.manifest.get(rel)
        if not self.enabled or not m or m["size"] != st.st_size or m["mtime_ns"] != st.st_mtime_ns:
            return None
        got = self.get(m["sha256"])
        return (m["sha256"], got) if got is not None else None

    def get(self, sha: str) -> dict | None:
        p = self._entry(sha)
        if not self.enabled or not p.is_file():
            return None
        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, sha: str, extraction: dict) -> None:
        if self.enabled:
            atomic_write(self._entry(sha), json.dumps(extraction, ensure_ascii=False))

    def save(self, files: dict) -> None:
        if self.enabled:
            atomic_write(self.manifest_path, json.dumps({"version": self.version, "files": files}, sort_keys=True))


def list_files(corpus: Path) -> list[Path]:
    if corpus.is_file():
        return [corpus]
    return sorted(p for p in corpus.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(corpus).parts))


def build(corpus: Path, out: Path, *, jobs: int | None = None, use_cache: bool = True, base: str = DEFAULT_BASE,
          progress: bool | None = None) -> BuildReport:
    t0 = time.monotonic()
    corpus, out = Path(corpus), Path(out)
    report = BuildReport(corpus=str(corpus))
    if not corpus.exists():
        raise FileNotFoundError(f"{corpus}: no such folder")
    cache = Cache(out / ".cache", extractor_version(), use_cache)
    files = list_files(corpus)
    report.files_seen = len(files)
    extractions: dict[str, dict] = {}
    manifest: dict = {}
    todo: list[tuple[str, bytes, str, os.stat_result]] = []
    bar = Progress(len(files), progress)
    for p in files:
        path = str(p)
        if p.suffix.lower() not in DOCUMENT_SUFFIXES:
            report.skipped.append(f"{path}: {p.suffix or 'no extension'} is not a document format")
            bar.step()
            continue
        st = p.stat()
        hit = cache.by_stat(path, st)
        if hit is not None:
            sha, x = hit
            extractions[path] = {**x, "path": path}
            manifest[path] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha}
            report.files_from_cache += 1
            bar.step()
            continue
        try:
            data = p.read_bytes()
        except OSError as e:
            report.failed.append({"path": path, "reason": f"cannot read: {e.strerror}"})
            bar.step()
            continue
        report.files_read += 1
        sha = hashlib.sha256(data).hexdigest()
        x = cache.get(sha)
        if x is not None:
            extractions[path] = {**x, "path": path}
            manifest[path] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha}
            report.files_from_cache += 1
            bar.step()
            continue
        todo.append((path, data, sha, st))

    jobs = jobs or os.cpu_count() or 1
    args = [(path, data) for path, data, _, _ in todo]
    if jobs > 1 and len(todo) >= PARALLEL_MIN_FILES:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(_tick(pool.map(_extract_bytes, args, chunksize=max(1, len(args) // (jobs * 8))), bar))
    else:
        results = list(_tick(map(_extract_bytes, args), bar))
    for (path, _data, sha, st), (_p, x, err) in zip(todo, results):
        if err is not None:
            report.failed.append({"path": path, "reason": err})
            continue
        report.files_extracted += 1
        cache.put(sha, {**x, "path": ""})
        extractions[path] = x
        manifest[path] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha}
    cache.save(manifest)

    xs = [extractions[k] for k in sorted(extractions)]
    report.documents = len(xs)
    report.citations = sum(len(x["citations"]) for x in xs)
    report.named_refs = sum(len(x["named_refs"]) for x in xs)
    report.third_party = sum(len(x["relations"]) for x in xs)
    res = resolve(xs)
    g = build_graph(res, base)
    report.nodes = g.number_of_nodes()
    report.nodes_in_corpus = sum(1 for _, d in g.nodes(data=True) if d["in_corpus"])
    report.nodes_cited_only = report.nodes - report.nodes_in_corpus
    report.edges = g.number_of_edges()
    by_rel: dict[str, int] = {}
    for _u, _v, d in g.edges(data=True):
        by_rel[d["relation"]] = by_rel.get(d["relation"], 0) + 1
    report.edges_by_relation = dict(sorted(by_rel.items()))
    report.merges, report.ambiguous, report.unresolved = res.log, res.ambiguous, res.unresolved
    report.failed.sort(key=lambda f: f["path"])

    ttl, jsonld = turtle_and_jsonld(g)
    outputs = {"graph.ttl": ttl, "graph.jsonld": jsonld, "graph.graphml": graphml(g), "edges.csv": edges_csv(g),
               "graph.json": node_link_json(g)}
    report.outputs = sorted([*outputs, "report.json", "report.md"])
    report.seconds = round(time.monotonic() - t0, 3)
    for name, content in outputs.items():
        atomic_write(out / name, content)
    stable = report.to_json()
    stable.pop("seconds")       # report.json is byte-identical for the same corpus; timing goes to stdout
    for k in ("files_read", "files_extracted", "files_from_cache"):
        stable.pop(k)
    atomic_write(out / "report.json", json.dumps(stable, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    atomic_write(out / "report.md", report.to_markdown())
    return report


def _tick(it, bar: Progress):
    for r in it:
        bar.step()
        yield r
