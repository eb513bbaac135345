"""Reading graph.json back into a networkx graph (for `impact`, `check`, `viz`).

graph.json is written either indented (small graphs, from a networkx graph) or, by the streaming writer,
one node or edge per line with sorted keys.  A large line-per-record file is read line by line and each
edge's mentions (file, offsets, evidence sentence…) stay in the file: the edge holds a `LazyMentions`, a
read-only sequence that decodes its line from a memory map when asked.  The mentions are most of the file
and most of the memory of a loaded graph (2.2 GiB for 100k documents when decoded), while an impact
check or a stale-basis check reads only the few it reports.
"""
from __future__ import annotations

import json
import mmap
import re
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

LAZY_BYTES = 256 * 2**20        # files above this size keep their mentions on disk (when line-per-record)

_HEAD = re.compile(rb'\s*\{"key": ("(?:[^"\\]|\\.)*"), "mentions": \[')
_TAIL = b'], "relation": '
_SHARED = frozenset(("type", "type_label", "level", "issuer", "issuer_code", "jurisdiction", "jurisdiction_code",
                     "format", "kind", "status", "year", "date", "in_corpus"))
_BASE = re.compile(rb'\{?"base": ("(?:[^"\\]|\\.)*"|null),')


class _Source:
    """A read-only memory map of graph.json, shared by every LazyMentions of one load."""

    def __init__(self, path: Path):
        self.path = path
        with open(path, "rb") as f:
            self.mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def record(self, offset: int) -> dict:
        end = self.mm.find(b"\n", offset)
        line = self.mm[offset:end if end >= 0 else len(self.mm)].strip().rstrip(b",")
        return json.loads(line)


class LazyMentions(Sequence):
    """An edge's mentions, decoded from graph.json on each access."""

    __slots__ = ("_src", "_offset")

    def __init__(self, src: _Source, offset: int):
        self._src, self._offset = src, offset

    def _load(self) -> list[dict]:
        return self._src.record(self._offset)["mentions"]

    def __getitem__(self, i):
        return self._load()[i]

    def __len__(self) -> int:
        return len(self._load())

    def __iter__(self):
        return iter(self._load())

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"LazyMentions({self._src.path}@{self._offset})"


def _eager(path: Path) -> nx.MultiDiGraph:
    data = json.loads(path.read_text(encoding="utf-8"))
    g = nx.MultiDiGraph(base=data.get("base"))
    for n in data["nodes"]:
        g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for e in data["edges"]:
        g.add_edge(e["source"], e["target"], key=e["key"],
                   **{k: v for k, v in e.items() if k not in ("source", "target", "key")})
    return g


def _edge_fields(line: bytes) -> dict | None:
    """key, relation, source, target, third_party of an edge line without decoding its mentions: with sorted
    keys, the mentions array sits between "key" and "relation".  None when the line is not of that shape."""
    head = _HEAD.match(line)
    i = line.rfind(_TAIL)
    if not head or i < 0:
        return None
    try:
        tail = json.loads(b"{" + line[i + 3:].rstrip().rstrip(b","))
        tail["key"] = json.loads(head.group(1))
    except ValueError:
        return None
    return tail if {"source", "target", "relation"} <= tail.keys() else None


def _records(path: Path):
    """(offset, stripped line) of each record line; raises _NotLines on an indented file."""
    offset = 0
    with open(path, "rb") as f:
        for line in f:
            start, offset = offset, offset + len(line)
            s = line.strip()
            if s.startswith(b"{") and not (s == b"{" and start == 0) and not _BASE.match(s):
                if s == b"{":
                    raise _NotLines
                yield start, s


class _NotLines(Exception):
    pass


def _is_edge(s: bytes) -> bool:
    """An edge record has a "source" key (a key, so its quotes are not escaped); no node record has one."""
    return bool(_HEAD.match(s)) or b'"source": ' in s


def _by_lines(path: Path) -> nx.MultiDiGraph | None:
    """The graph with lazy mentions, or None when the file is not one record per line.  Two passes, nodes
    then edges, so that the nodes keep the file's order whichever list comes first."""
    with open(path, "rb") as f:
        base = _BASE.match(f.read(4096).lstrip(b"{ \n"))
    g = nx.MultiDiGraph(base=json.loads(base.group(1)) if base else None)
    src = _Source(path)
    ids: dict[str, str] = {}            # one string object per IRI and per relation, shared by every edge
    try:
        for _start, s in _records(path):
            if not _is_edge(s):
                rec = json.loads(s.rstrip(b","))
                n = rec.pop("id")
                # one string object per attribute name and per repeated value (a million documents share a
                # few hundred types, levels, issuers, places and dates)
                g.add_node(ids.setdefault(n, n), **{ids.setdefault(k, k): ids.setdefault(v, v)
                                                    if k in _SHARED and isinstance(v, str) else v
                                                    for k, v in rec.items()})
        for start, s in _records(path):
            if _is_edge(s):
                e = _edge_fields(s)
                if e is not None:
                    e["mentions"] = LazyMentions(src, start)
                else:
                    e = json.loads(s.rstrip(b","))
                u, v, k, rel = (ids.setdefault(x, x) for x in (e.pop("source"), e.pop("target"), e.pop("key"),
                                                               e.pop("relation")))
                g.add_edge(u, v, key=k, relation=rel, third_party=e.pop("third_party", False),
                           mentions=e.pop("mentions"), **{ids.setdefault(a, a): b for a, b in e.items()})
    except _NotLines:
        return None
    return g


def load_node_link(path: Path, lazy: bool | None = None) -> nx.MultiDiGraph:
    """graph.json as a MultiDiGraph.  `lazy`: keep the mentions on disk (default: for files over
    LAZY_BYTES written one record per line); the graph is the same either way."""
    path = Path(path)
    if lazy is None:
        lazy = path.stat().st_size > LAZY_BYTES
    if lazy:
        g = _by_lines(path)
        if g is not None:
            return g
    return _eager(path)
