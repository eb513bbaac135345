"""The knowledge graph in memory: a networkx MultiDiGraph built from a Resolution.

Nodes are documents, keyed by their IRI; edges go from the citing (acting) document to the cited one,
one edge per (source, target, relation, third-party or not), keyed by relation, carrying every mention
(file, offsets, matched text, trigger, evidence sentence) that supports it.  Everything downstream — RDF,
GraphML, CSV, HTML, impact — reads this graph.

`GraphView` is the same graph for the build's writers at scale: no networkx objects and no mention dicts,
only the resolution's nodes and edges, with IRIs, attributes and the grouping of mentions into edges
computed as the writers stream through them (a million documents' mentions would not fit as dicts).
"""
from __future__ import annotations

import hashlib
import re
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

import networkx as nx

from .textcut import clip_words
from .textfold import fold

if TYPE_CHECKING:
    from .resolve import Node, Resolution

DEFAULT_BASE = "https://plangraph.invalid/"


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s).lower()).strip("-") or "x"


def node_iri(n: "Node", base: str = DEFAULT_BASE) -> str:
    """Stable IRIs in the spirit of the ELI URI template: /eli/{jurisdiction}/{type}/{year}/{number}.

    An IRI is made from what the document itself is known by, never from which other documents the corpus
    holds, so adding a file never changes the IRI of a document known before:
    - a number carrying its year (61/2018/NĐ-CP, 31/2024/QH15) is unique for its body: …/nd/2018/61-2018-nd-cp;
    - a number without a year (249/KH-UBND, 76/NQ-CP) is reused by its body every year, and a year may have two
      (the dates disagree): known with its full date, the document's IRI always carries the day, ELI's
      {year}/{month}/{day}: …/kh/2021/12/29/249-kh-ubnd — whether or not another 249/KH-UBND of 2021 is cited;
      known with only a year or a month, …/kh/2021/249-kh-ubnd ("the 249/KH-UBND of 2021, day unknown");
    - a law cited only by its name: /eli/vn/luat/name/{name}/{year}; a corpus file without a number:
      …/{year}/file-{file name}; a news article (not a legal resource): /news/{jurisdiction}/{year}/file-….
    What is provisional is the node, not the IRI: a document known only by its year, without its issuer, or by
    its name can later be recognised as a fully identified one (a file gives its day, its issuer, its number),
    and then it is that node."""
    kind = n.key[0]
    if kind == "law":
        tail = f"/{n.key[2]}" if n.key[2] else ""
        return f"{base}eli/vn/luat/name/{n.key[1]}{tail}"
    type_slug = _slug(n.type or "vb")
    year = n.year or "x"
    if kind == "file":
        name = f"file-{_slug(n.key[1].rsplit('/', 1)[-1])}"
        if n.kind == "news":
            return f"{base}news/{n.scope.code}/{year}/{name}"
        return f"{base}eli/{n.scope.code}/{type_slug}/{year}/{name}"
    if len(n.key) > 4:                               # ("doc", jurisdiction, number, year, "YYYY-MM-DD")
        y, m, d = n.key[4].split("-")
        return f"{base}eli/{n.key[1]}/{type_slug}/{y}/{m}/{d}/{_slug(n.key[2])}"
    return f"{base}eli/{n.key[1]}/{type_slug}/{year}/{_slug(n.key[2])}"


def successor_province(jurisdiction_code: str) -> str:
    """The post-2025 province (63 -> 34 on 1 July 2025) of a jurisdiction inside a pre-2025 province
    ("vn-20…" -> "Lạng Sơn", "vn-24…" Bắc Giang -> "Bắc Ninh"); "" for central or unknown places."""
    m = re.match(r"vn-(\d\d)(?:-|$)", jurisdiction_code)
    return _province_successor(m.group(1)) if m else ""


@lru_cache(maxsize=128)
def _province_successor(code: str) -> str:
    from .places import province_successor
    p = province_successor(code)
    return p.name if p is not None else ""


def label(n: "Node") -> str:
    if n.kind == "law-name":
        return n.name or n.title or "?"
    head = n.type_label or ""
    if n.number:
        return f"{head} {n.number}".strip()
    if n.kind == "news":
        return f"Tin: {clip_words(n.title or n.path, 60)}"
    what = n.title or (n.path or "").rsplit("/", 1)[-1]
    return f"{head or 'Văn bản'} (không số): {clip_words(what, 70)}"


def node_attrs(n: "Node") -> dict:
    """The attributes of a document node, as in graph.json (every value a str, bool or int)."""
    return {"key": "|".join("" if v is None else str(v) for v in n.key), "label": label(n),
            "number": n.number or "", "type": n.type or "", "type_label": n.type_label or "",
            "title": n.title or "", "name": n.name or "", "date": n.date or "", "year": n.year or "",
            "issuer": n.issuer or "", "issuer_as_written": n.issuer_as_written or "",
            "issuer_code": n.issuer_code or "", "level": n.level,
            "jurisdiction": n.scope.label, "jurisdiction_code": n.scope.code,
            "successor_province": successor_province(n.scope.code), "in_corpus": n.in_corpus,
            "path": n.path or "", "format": n.source_format or "", "kind": n.kind or "document",
            "status": n.status, "notes": "; ".join(n.notes), "mentions": n.mentions}


def mention_id(file: str, start: int, end: int, relation: str, u: str, v: str) -> str:
    """The id of one mention; `file` is the path relative to the corpus folder (the build gives no other),
    so the id does not depend on where the corpus is."""
    return hashlib.sha1(f"{file}|{start}|{end}|{relation}|{u}|{v}".encode()).hexdigest()[:16]


def edge_key(relation: str, third_party: bool) -> str:
    return f"{relation}~3p" if third_party else relation


def build_graph(res: "Resolution", base: str = DEFAULT_BASE) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(base=base)
    iri = {key: node_iri(n, base) for key, n in res.nodes.items()}
    for key, n in res.nodes.items():
        g.add_node(iri[key], **node_attrs(n))
    for e in res.edges:
        u, v = iri[e.source], iri[e.target]
        if u == v:
            continue
        k = edge_key(e.relation, e.third_party)
        mention = {"file": e.file, "start": e.start, "end": e.end, "text": e.text, "trigger": e.trigger or "",
                   "evidence": e.evidence, "issuer": e.issuer or "",
                   "id": mention_id(e.file, e.start, e.end, e.relation, u, v)}
        if g.has_edge(u, v, k):
            g.edges[u, v, k]["mentions"].append(mention)
        else:
            g.add_edge(u, v, key=k, relation=e.relation, third_party=e.third_party, mentions=[mention])
    return g


def edges_sorted(g: nx.MultiDiGraph):
    """(u, v, key, data) in a fixed order, for every writer."""
    return sorted(g.edges(keys=True, data=True), key=lambda t: (t[0], t[1], t[2]))


class GraphView:
    """The graph of a Resolution for the streaming writers (see the module docstring).

    nodes: (IRI, Node) sorted by IRI; edges(): (u, v, key, relation, third_party, [Edge, …]) sorted by
    (u, v, key), each edge's mentions in (file, start) order — the order of graph.json and edges.csv."""

    def __init__(self, res: "Resolution", base: str = DEFAULT_BASE):
        self.base = base
        iri = {key: sys.intern(node_iri(n, base)) for key, n in res.nodes.items()}
        self.nodes = sorted(((iri[k], n) for k, n in res.nodes.items()), key=lambda t: t[0])
        self.node_by_iri = dict(self.nodes)
        keys = {(r, tp): sys.intern(edge_key(r, tp)) for r in {e.relation for e in res.edges} for tp in (False, True)}
        # (u, v, key, edge) sorted by (u, v, key); the sort is stable, so mentions stay in the resolution's
        # (file, start) order
        es = [(iri[e.source], iri[e.target], keys[e.relation, e.third_party], e) for e in res.edges]
        es = [t for t in es if t[0] != t[1]]
        es.sort(key=lambda t: (t[0], t[1], t[2]))
        self._edges = es
        self.number_of_nodes = len(self.nodes)
        n_edges, by_rel, prev = 0, {}, None
        for u, v, k, e in es:
            if (u, v, k) != prev:
                prev = (u, v, k)
                n_edges += 1
                by_rel[e.relation] = by_rel.get(e.relation, 0) + 1
        self.number_of_edges = n_edges
        self.edges_by_relation = dict(sorted(by_rel.items()))

    def edges(self):
        """(u, v, key, relation, third_party, mentions) — mentions a list of resolve.Edge."""
        group: list = []
        prev = None
        for u, v, k, e in self._edges:
            if prev is not None and (u, v, k) != prev[:3]:
                yield (*prev, group)
                group = []
            if not group:
                prev = (u, v, k, e.relation, e.third_party)
            group.append(e)
        if group:
            yield (*prev, group)

    def out_edges(self):
        """(u, [(v, relation), …]) for every node with outgoing edges, in IRI order."""
        cur, outs = None, []
        for u, v, _k, e in self._edges:
            if u != cur:
                if outs:
                    yield cur, outs
                cur, outs = u, []
            if not outs or outs[-1] != (v, e.relation):
                outs.append((v, e.relation))
        if outs:
            yield cur, outs
