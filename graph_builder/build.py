"""`plangraph build`: corpus folder -> extraction (cached, parallel) -> resolution -> graph -> output files.

Outputs (in --out, default output/): graph.ttl, graph.jsonld, graph.graphml, edges.csv, graph.json
(node-link, read by viz/impact), report.json, report.md and report.jsonl.  They are written together: to
temporary files first, renamed into place only when all are complete (export.write_all).  `formats` (--formats)
chooses which graph files are written (FORMATS; the reports always are): at a million documents the five take
29 GiB.  A graph file of a format not chosen, left by an earlier build, is removed once
the new outputs are in place: it would describe another graph.

Paths: every output names a file by its path relative to the corpus folder ("001_x.txt", "sub/a.docx"), and
report.json the folder by its name, so the same corpus gives the same bytes wherever it is (and node IRIs,
which hash the path of a file whose issuer is unknown, do not move with it).

Reports: report.md and report.json give the figures and the first REPORT_LIMIT entries of each list (failed
files, skipped files, files read with warnings — a legacy encoding converted, a .doc that is HTML, scanned PDF
pages —, ambiguous references, documents cited with different dates, unresolved references, merge decisions)
with the count of the rest; report.jsonl holds every entry, one JSON object per line ({"kind": "merge", "text":
…}, {"kind": "warnings", "path": …, "warnings": […]}).  Third-party relations are counted three ways: stated in
the texts (extracted), mentions in the graph, and distinct edges.

Size: a file over read.MAX_BYTES is refused from its size (it is never read), and no file is read beyond
MAX_BYTES + 1 bytes (one that grew since it was listed is refused the same way).

Cache: output/.cache/ keeps each file's extraction keyed by the SHA-256 of its bytes, under the extractor's
own version (a hash of its code and vocabulary), in pack files (one per batch a worker extracts: a million
documents are some 31,000 files, not a million), plus a manifest of (size, mtime, ctime, inode) per path and
where each extraction lies (pack, offset, length); entries no path of the last build uses are dropped: a file
whose four are unchanged is not even read again; any other is read, and re-extracted only if its content is new.
The ctime and the inode are what an edit that keeps the size and puts the mtime back (`touch -r`, `cp -p`, an
editor restoring it) cannot keep: the kernel sets the ctime on every change, and a copy is a new inode.  So a
stale entry needs a same-size write that restores mtime AND ctime (only by setting the clock) in place; for
that, `build(verify=True)` reads and hashes every file (costs the reading, not the extraction).  A chmod, a
`touch` or a copy of the corpus makes files be read and hashed again, not extracted.

Scale: the corpus streams through in path order.  Files are read and extracted in batches on a process pool
with a bounded number of batches in flight (the workers also write the cache entries), results are consumed
in order by the resolution, which keeps only nodes and lean edges, and the writers stream the graph to disk
(graph.GraphView).  Nothing holds all the texts or all the extractions at once; the mentions' matched text
and evidence sentences wait in a temporary file in the output folder (resolve.TextStore).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from . import read as _read
from .export import atomic_write, edges_csv, graphml, jsonld, node_link_json, turtle, write_all
from .extract.pipeline import extract_text
from .graph import DEFAULT_BASE, GraphView
from .read import ReadError, read_bytes
from .resolve import TextStore, resolve

DOCUMENT_SUFFIXES = {".txt", ".md", ".text", ".html", ".htm", ".docx", ".doc", ".pdf", ".rtf"}
PARALLEL_MIN_FILES = 16
BATCH_FILES = 32                       # files per task sent to a worker
REPORT_LIMIT = 100                     # entries of each list shown in report.md / report.json
# --formats NAME -> the graph file written (what reads it: sparql/serve graph.ttl; impact/check/viz/serve graph.json)
FORMATS = {"ttl": "graph.ttl", "jsonld": "graph.jsonld", "graphml": "graph.graphml", "csv": "edges.csv",
           "json": "graph.json"}


def parse_formats(value: str | None) -> tuple[str, ...]:
    """"ttl,json" -> ("ttl", "json"), in FORMATS order; None or "all" -> every format."""
    if value is None or value.strip() == "all":
        return tuple(FORMATS)
    asked = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in asked if f not in FORMATS]
    if bad or not asked:
        raise ValueError(f"--formats {value!r}: {'unknown ' + ', '.join(bad) if bad else 'none given'}; "
                         f"choose from {', '.join(FORMATS)} (comma-separated) or all")
    return tuple(f for f in FORMATS if f in asked)


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


LISTS = (("failed", "Files that failed"), ("skipped", "Skipped (not a document format)"),
         ("warnings", "Files read with warnings"),
         ("ambiguous", "Ambiguous references (kept apart)"),
         ("date_conflicts", "Documents cited with different dates (one document; check the citing texts)"),
         ("unresolved", "Unresolved references (issuer or place unknown)"),
         ("dropped", "Statements that are not edges (both ends one document, or an end not cited)"),
         ("merges", "Merge decisions"))
KINDS = {"failed": "failed", "skipped": "skipped", "warnings": "warnings", "ambiguous": "ambiguous",
         "date_conflicts": "date_conflict", "unresolved": "unresolved", "dropped": "dropped", "merges": "merge"}


class NoDocuments(Exception):
    """The build read no document: its outputs are not written (the previous ones are kept)."""

    def __init__(self, report: "BuildReport"):
        self.report = report
        why = (f"all {len(report.failed)} files failed" if report.failed else
               f"{report.files_seen} files, none of a document format" if report.files_seen else "no file")
        super().__init__(f"{report.corpus_path}: no document read ({why}); the previous outputs are kept")


@dataclass
class BuildReport:
    corpus: str                              # the corpus folder's name (paths below are relative to it)
    corpus_path: str = ""                    # the folder as given (not in report.json: it depends on the machine)
    files_seen: int = 0
    files_read: int = 0                      # bytes read from disk this run
    files_extracted: int = 0                 # extraction run this run (the rest came from the cache)
    files_from_cache: int = 0
    documents: int = 0
    citations: int = 0
    named_refs: int = 0
    third_party: int = 0                     # third-party relations stated in the texts (extracted)
    third_party_mentions: int = 0            # … of them in the graph (both ends known, not a loop)
    third_party_edges: int = 0               # distinct third-party edges (source, relation, target)
    nodes: int = 0
    nodes_in_corpus: int = 0
    nodes_cited_only: int = 0
    edges: int = 0
    edges_by_relation: dict = field(default_factory=dict)
    failed: list = field(default_factory=list)       # [{"path", "reason"}]
    skipped: list = field(default_factory=list)      # not document formats
    warnings: list = field(default_factory=list)     # [{"path", "warnings": [...]}]: what the reader had to guess
    date_conflicts: list = field(default_factory=list)
    merges: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)
    dropped: list = field(default_factory=list)      # statements (citations, third-party) that are no edge, and why
    outputs: list = field(default_factory=list)
    removed: list = field(default_factory=list)      # graph files of formats not chosen, left by an earlier build
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)      # seconds per phase (this run; not in report.json)

    def to_json(self, limit: int | None = None) -> dict:
        """Every field; with `limit`, each list cut to its first `limit` entries and `counts` added."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        if limit is not None:
            d["counts"] = {k: len(d[k]) for k, _ in LISTS}
            for k, _ in LISTS:
                d[k] = d[k][:limit]
            d["listed"] = limit
        return d

    def entries(self):
        """Every entry of the lists, as report.jsonl has them."""
        for k, _ in LISTS:
            for x in getattr(self, k):
                yield {"kind": KINDS[k], **(x if isinstance(x, dict) else {"text": x})}

    def to_markdown(self, include_run: bool = False, limit: int | None = REPORT_LIMIT) -> str:
        lines = [f"# plangraph build report — {self.corpus_path if include_run and self.corpus_path else self.corpus}",
                 "",
                 f"- files: {self.files_seen} seen, {self.documents} documents read, {len(self.failed)} failed, "
                 f"{len(self.skipped)} skipped (not documents)",
                 f"- citations: {self.citations}, third-party relations: {self.third_party_edges} edges "
                 f"({self.third_party_mentions} mentions; {self.third_party} stated in the texts"
                 + (f", {self.third_party - self.third_party_mentions} not edges, listed below"
                    if self.third_party > self.third_party_mentions else "") + "), "
                 f"laws cited by name: {self.named_refs}",
                 f"- graph: {self.nodes} documents ({self.nodes_in_corpus} in the corpus, {self.nodes_cited_only} "
                 f"only cited), {self.edges} relations "
                 f"({', '.join(f'{k} {v}' for k, v in sorted(self.edges_by_relation.items()))})"]
        if include_run:
            lines.append(f"- this run: {self.files_read} files read from disk, {self.files_extracted} extracted, "
                         f"{self.files_from_cache} from the cache, {self.seconds:.1f} s"
                         + (" (" + ", ".join(f"{k.replace('_', ' ')} {v:.1f} s" for k, v in self.timings.items())
                            + ")" if self.timings else ""))
        lines.append("")
        for key, title in LISTS:
            items = getattr(self, key)
            if key == "failed":
                items = [f"{f['path']}: {f['reason']}" for f in items]
            elif key == "warnings":
                items = [f"{w['path']}: {'; '.join(w['warnings'])}" for w in items]
            lines.append(f"## {title} ({len(items)})")
            shown = items if limit is None else items[:limit]
            lines.extend(f"- {x}" for x in shown) if items else lines.append("- none")
            if len(items) > len(shown):
                lines.append(f"- … and {len(items) - len(shown)} more (every entry is in report.jsonl)")
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
        x["source"] = doc.source()
        return path, x, None
    except ReadError as e:
        return path, None, e.reason
    except Exception as e:                      # a bug on one file must not stop the corpus
        return path, None, f"internal error: {type(e).__name__}: {e}"


def _extract_batch(items: list[tuple[str, bytes, str]], cache_root: str | None, version: str
                   ) -> list[tuple[dict | None, str | None, list | None]]:
    """Extract (path, bytes, sha) items: (extraction, error, where its cache entry lies) each; the successes are
    also written to the cache, as one pack (here, in the worker)."""
    cache = Cache(Path(cache_root), version, enabled=True, load_manifest=False) if cache_root else None
    done = [_extract_bytes((path, data))[1:] for path, data, _sha in items]
    places = cache.put_pack([(sha, x) for (_p, _d, sha), (x, _e) in zip(items, done) if x is not None]) \
        if cache is not None else {}
    return [(x, err, places.get(sha)) for (_p, _d, sha), (x, err) in zip(items, done)]


MANIFEST_FORMAT = 4                      # 4: entries in packs


def stat_key(st: os.stat_result) -> list[int]:
    """What says a file is unchanged without reading it (see the module docstring)."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class Cache:
    def __init__(self, root: Path, version: str, enabled: bool = True, load_manifest: bool = True):
        self.root, self.version, self.enabled = root, version, enabled
        self.verify = False                      # True: no stat shortcut, every file is read and hashed
        self.entries = root / "x" / version
        self.packs = self.entries / "packs"
        self.manifest_path = root / "manifest.json"
        self.manifest: dict = {}                 # path -> [size, mtime_ns, ctime_ns, inode, sha256]
        self.index: dict[str, tuple] = {}        # sha256 -> (pack name, offset, length); names interned
        self._open: dict[str, int] = {}          # pack name -> file descriptor, while reading
        if enabled and load_manifest and self.manifest_path.is_file():
            try:
                m = json.loads(self.manifest_path.read_text(encoding="utf-8"))
                if m.get("version") == version and m.get("format") == MANIFEST_FORMAT:
                    self.manifest = {p: v for p, v in m.get("files", {}).items()
                                     if isinstance(v, list) and len(v) == 5}
                    self.index = {k: (sys.intern(v[0]), v[1], v[2]) for k, v in m.get("entries", {}).items()
                                  if isinstance(v, list) and len(v) == 3}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.manifest, self.index = {}, {}

    def by_stat(self, rel: str, st: os.stat_result) -> str | None:
        """The content hash of an unchanged file whose extraction is cached, else None."""
        m = self.manifest.get(rel)
        if not self.enabled or self.verify or not m or m[:4] != stat_key(st):
            return None
        return m[4] if self.has(m[4]) else None

    def has(self, sha: str) -> bool:
        return self.enabled and sha in self.index

    def get(self, sha: str) -> dict | None:
        """The cached extraction, or None (not cached; its pack gone, cut short or not JSON where it should be)."""
        where = self.index.get(sha) if self.enabled else None
        if where is None:
            return None
        name, offset, length = where
        try:
            fd = self._open.get(name)
            if fd is None:
                if len(self._open) >= 64:        # packs are read in the order they were written: few stay open
                    self.close()
                fd = self._open[name] = os.open(self.packs / name, os.O_RDONLY)
            data = os.pread(fd, length, offset)
            if len(data) != length:
                return None
            x = json.loads(data)
            return x if isinstance(x, dict) else None
        except (OSError, ValueError, TypeError):
            return None

    def put_pack(self, entries: list[tuple[str, dict]]) -> dict[str, list]:
        """Write extractions as one pack (a temporary file renamed, without fsync: a pack torn by a crash holds
        entries that are not JSON, which count as misses); returns sha -> [pack name, offset, length]."""
        if not self.enabled or not entries:
            return {}
        self.packs.mkdir(parents=True, exist_ok=True)
        name = f"{entries[0][0][:16]}-{os.getpid()}-{time.monotonic_ns()}.jsonl"
        places, chunks, offset = {}, [], 0
        for sha, x in entries:
            data = json.dumps({**x, "path": ""}, ensure_ascii=False).encode("utf-8") + b"\n"
            places[sha] = [name, offset, len(data) - 1]
            chunks.append(data)
            offset += len(data)
        tmp = self.packs / f".{name}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(b"".join(chunks))
        os.replace(tmp, self.packs / name)
        return places

    def note(self, sha: str, where: list) -> None:
        """Record where a worker wrote an entry (the pack's name interned: a pack holds some 32 entries)."""
        self.index[sha] = (sys.intern(where[0]), where[1], where[2])

    def close(self) -> None:
        for fd in self._open.values():
            os.close(fd)
        self._open.clear()

    def save(self, files: dict) -> None:
        """Write the manifest (the files' stats and the entries they use), then delete what it does not use: packs
        holding no entry of it, entries of other extractor versions, the old one-file-per-entry layout."""
        if not self.enabled:
            return
        self.close()
        entries = {f[4]: self.index[f[4]] for f in files.values() if f[4] in self.index}
        atomic_write(self.manifest_path, json.dumps({"version": self.version, "format": MANIFEST_FORMAT, "files": files,
                                                     "entries": entries}, sort_keys=True, separators=(",", ":")))
        used = {where[0] for where in entries.values()}
        for p in (self.packs.iterdir() if self.packs.is_dir() else ()):
            if p.name not in used:
                p.unlink(missing_ok=True)
        for p in (self.entries.iterdir() if self.entries.is_dir() else ()):
            if p.name != "packs":
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        x = self.root / "x"                      # entries of other extractor versions
        for p in (x.iterdir() if x.is_dir() else ()):
            if p.name != self.version:
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def list_files(corpus: Path) -> list[Path]:
    return [Path(p) for p in _walk(Path(corpus))]


def _walk(corpus: Path, skip: Path | None = None) -> list[str]:
    """Every file under `corpus` (hidden files and folders left out, and the folder `skip`: a build's own
    output folder inside its corpus is not read back as documents), as path strings in sorted order."""
    if corpus.is_file():
        return [str(corpus)]
    skip_real = os.path.realpath(skip) if skip is not None else None
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = [d for d in dirs if not d.startswith(".")
                   and os.path.realpath(os.path.join(root, d)) != skip_real]
        out.extend(os.path.join(root, f) for f in files if not f.startswith("."))
    return sorted(p for p in out if os.path.isfile(p))


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    i = name.rfind(".")
    return name[i:].lower() if i > 0 else ""


def _relative(corpus: Path):
    """path -> the path relative to the corpus folder (a corpus that is one file: its name), "/"-separated:
    what the outputs record, so that they do not depend on where the corpus is."""
    if corpus.is_file():
        return lambda p: p.rsplit("/", 1)[-1]
    prefix = str(corpus).rstrip("/") + "/"
    n = len(prefix)
    return lambda p: p[n:] if p.startswith(prefix) else os.path.relpath(p, corpus)


def _read_checked(path: str) -> tuple[bytes | None, str | None]:
    """(the file's bytes, None), or (None, why it is refused): at most read.MAX_BYTES + 1 bytes are read, so a
    file that grew past the limit since its stat is refused, never loaded whole."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(_read.MAX_BYTES + 1)
    except OSError as e:
        return None, f"cannot read: {e.strerror}"
    refused = _read.size_refusal(len(data))
    return (None, refused) if refused else (data, None)


def _extractions(paths: list[str], cache: Cache, report: BuildReport, manifest: dict, jobs: int,
                 bar: Progress, rel=lambda p: p):
    """The extraction of every document file, in path order (see the module docstring); each extraction's
    "path" is `rel(path)`, as are the paths in the report."""
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 and len(paths) >= PARALLEL_MIN_FILES else None
    cache_root = str(cache.root) if cache.enabled else None
    window: deque = deque()
    max_window = jobs * 4

    def plan(batch: list[str]):
        items, todo = [], []
        for path in batch:
            suffix = _suffix(path)
            if suffix not in DOCUMENT_SUFFIXES:
                report.skipped.append(f"{rel(path)}: {suffix or 'no extension'} is not a document format")
                items.append(None)
                continue
            try:
                st = os.stat(path)
            except OSError as e:
                report.failed.append({"path": rel(path), "reason": f"cannot read: {e.strerror}"})
                items.append(None)
                continue
            refused = _read.size_refusal(st.st_size)
            if refused:                              # refused before reading (a 4 GB sparse file, …)
                report.failed.append({"path": rel(path), "reason": refused})
                items.append(None)
                continue
            sha = cache.by_stat(path, st)
            if sha is not None:
                items.append(("hit", path, sha, st))
                report.files_from_cache += 1
                continue
            data, refused = _read_checked(path)
            if data is None:
                report.failed.append({"path": rel(path), "reason": refused})
                items.append(None)
                continue
            report.files_read += 1
            # the same bytes read as .txt, .md or .html give different texts and formats: the suffix is
            # part of the cache key
            sha = f"{hashlib.sha256(data).hexdigest()}{suffix}"
            if cache.has(sha):
                items.append(("hit", path, sha, st))
                report.files_from_cache += 1
                continue
            items.append(("todo", path, sha, st))
            todo.append((path, data, sha))
        if not todo:
            fut = None
        elif pool is not None:
            fut = pool.submit(_extract_batch, todo, cache_root, cache.version)
        else:
            fut = _extract_batch(todo, cache_root, cache.version)
        return items, fut

    def drain(items, fut):
        results = iter((fut.result() if pool is not None else fut) if fut is not None else ())
        for item in items:
            bar.step()
            if item is None:
                continue
            kind, path, sha, st = item
            if kind == "hit":
                x = cache.get(sha)
                if x is None:                    # unreadable entry: extract again, here
                    report.files_from_cache -= 1
                    data, refused = _read_checked(path)
                    if data is None:
                        report.failed.append({"path": rel(path), "reason": refused})
                        continue
                    report.files_read += 1
                    (x, err, where), = _extract_batch([(path, data, sha)], cache_root, cache.version)
                    report.files_extracted += 1
                    if x is None:
                        report.failed.append({"path": rel(path), "reason": err})
                        continue
                    if where is not None:
                        cache.note(sha, where)
            else:
                x, err, where = next(results)
                if x is None:
                    report.failed.append({"path": rel(path), "reason": err})
                    continue
                if where is not None:
                    cache.note(sha, where)
                report.files_extracted += 1
            x["path"] = rel(path)
            said = [*((x.get("source") or {}).get("warnings") or ()), *(x.get("warnings") or ())]
            if said:
                report.warnings.append({"path": x["path"], "warnings": said})
            manifest[path] = [*stat_key(st), sha]
            report.documents += 1
            report.citations += len(x["citations"])
            report.named_refs += len(x["named_refs"])
            report.third_party += len(x["relations"])
            yield x

    try:
        for i in range(0, len(paths), BATCH_FILES):
            window.append(plan(paths[i:i + BATCH_FILES]))
            while len(window) > max_window:
                yield from drain(*window.popleft())
        while window:
            yield from drain(*window.popleft())
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def build(corpus: Path, out: Path, *, jobs: int | None = None, use_cache: bool = True, base: str = DEFAULT_BASE,
          progress: bool | None = None, verify: bool = False, formats: tuple[str, ...] | str | None = None
          ) -> BuildReport:
    """`verify`: read and hash every file, trusting no file's stat (the cache still saves the extraction).
    `formats`: the graph files to write (names of FORMATS, or a string for parse_formats; default all)."""
    t0 = time.monotonic()
    formats = parse_formats(formats if formats is None or isinstance(formats, str) else ",".join(formats))
    corpus, out = Path(corpus), Path(out)
    report = BuildReport(corpus=corpus.resolve().name or str(corpus), corpus_path=str(corpus))
    if not corpus.exists():
        raise FileNotFoundError(f"{corpus}: no such folder")
    cache = Cache(out / ".cache", extractor_version(), use_cache)
    cache.verify = verify
    paths = _walk(corpus, skip=out)
    report.files_seen = len(paths)
    manifest: dict = {}
    bar = Progress(len(paths), progress)
    jobs = jobs or os.cpu_count() or 1
    tick = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    store = TextStore(str(out))           # the mentions' text and evidence wait on disk, not in memory
    try:
        return _build(report, paths, cache, manifest, jobs, bar, store, out, base, t0, tick, _relative(corpus),
                      formats)
    finally:
        store.close()


def _build(report, paths, cache, manifest, jobs, bar, store, out, base, t0, tick, rel, formats) -> BuildReport:
    res = resolve(_extractions(paths, cache, report, manifest, jobs, bar, rel), store)
    cache.manifest = {}
    cache.save(manifest)
    del manifest
    report.timings["extract_and_resolve"] = round(time.monotonic() - tick, 3)

    tick = time.monotonic()
    view = GraphView(res, base)
    report.nodes = view.number_of_nodes
    report.nodes_in_corpus = sum(1 for _, n in view.nodes if n.in_corpus)
    report.nodes_cited_only = report.nodes - report.nodes_in_corpus
    report.edges = view.number_of_edges
    report.edges_by_relation = view.edges_by_relation
    report.merges, report.ambiguous, report.unresolved = res.log, res.ambiguous, res.unresolved
    report.date_conflicts = res.date_conflicts
    report.dropped = res.dropped
    third = {(e.source, e.target, e.relation) for e in res.edges if e.third_party and e.source != e.target}
    report.third_party_edges = len(third)
    report.third_party_mentions = sum(1 for e in res.edges if e.third_party and e.source != e.target)
    del third
    report.failed.sort(key=lambda f: f["path"])
    report.timings["graph"] = round(time.monotonic() - tick, 3)
    if report.documents == 0:
        # nothing read (an empty or unmounted folder, or every file failed): a graph of nothing would replace a
        # good one; the previous outputs stay as they were
        raise NoDocuments(report)

    tick = time.monotonic()
    # the writers are looked up here, not kept in FORMATS: a test replaces one to fail a build midway
    writers = {"ttl": turtle, "jsonld": jsonld, "graphml": graphml, "csv": edges_csv, "json": node_link_json}
    outputs = {FORMATS[f]: writers[f](view) for f in formats}
    report.outputs = sorted([*outputs, "report.json", "report.md", "report.jsonl"])
    report.removed = sorted(name for f, name in FORMATS.items() if f not in formats and (out / name).exists())
    stable = report.to_json(limit=REPORT_LIMIT)
    for k in ("seconds", "files_read", "files_extracted", "files_from_cache", "timings", "corpus_path", "removed"):
        stable.pop(k)           # report.json is byte-identical for the same corpus; timing goes to stdout
    outputs["report.json"] = json.dumps(stable, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    outputs["report.md"] = report.to_markdown()
    outputs["report.jsonl"] = (json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in report.entries())
    write_all(out, outputs)
    for name in report.removed:
        (out / name).unlink(missing_ok=True)
    report.timings["write"] = round(time.monotonic() - tick, 3)
    report.seconds = round(time.monotonic() - t0, 3)
    return report
