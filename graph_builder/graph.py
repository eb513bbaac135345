"""The knowledge graph in memory: a networkx MultiDiGraph built from a Resolution.

Nodes are documents, keyed by their IRI; edges go from the citing (acting) document to the cited one,
one edge per (source, target, relation, third-party or not), keyed by relation, carrying every mention
(file, offsets, matched text, trigger, evidence sentence) that supports it.  Everything downstream — RDF,
GraphML, CSV, HTML, impact — reads this graph.
"""
from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import networkx as nx

from .textfold import fold

if TYPE_CHECKING:
    from .resolve import Node, Resolution

DEFAULT_BASE = "https://plangraph.invalid/"


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s).lower()).strip("-") or "x"


def node_iri(n: "Node", base: str = DEFAULT_BASE) -> str:
    """Stable IRIs in the spirit of the ELI URI template: /eli/{jurisdiction}/{type}/{year}/{number}."""
    kind = n.key[0]
    if kind == "law":
        tail = f"/{n.key[2]}" if n.key[2] else ""
        return f"{base}eli/vn/luat/name/{n.key[1]}{tail}"
    type_slug = _slug(n.type or "vb")
    year = n.year or "x"
    if kind == "file":
        return f"{base}eli/{n.scope.code}/{type_slug}/{year}/file-{_slug(n.key[1].rsplit('/', 1)[-1])}"
    return f"{base}eli/{n.key[1]}/{type_slug}/{year}/{_slug(n.key[2])}"


def label(n: "Node") -> str:
    if n.kind == "law-name":
        return n.name or n.title or "?"
    head = n.type_label or ""
    if n.number:
        return f"{head} {n.number}".strip()
    if n.kind == "news":
        return f"Tin: {(n.title or n.path or '')[:60]}"
    what = n.title or (n.path or "").rsplit("/", 1)[-1]
    return f"{head or 'Văn bản'} (không số): {what[:70]}"


def build_graph(res: "Resolution", base: str = DEFAULT_BASE) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(base=base)
    iri = {key: node_iri(n, base) for key, n in res.nodes.items()}
    for key, n in res.nodes.items():
        g.add_node(iri[key], key="|".join("" if v is None else str(v) for v in key), label=label(n),
                   number=n.number or "", type=n.type or "", type_label=n.type_label or "", title=n.title or "",
                   name=n.name or "", date=n.date or "", year=n.year or "", issuer=n.issuer or "",
                   issuer_code=n.issuer_code or "", level=n.level, jurisdiction=n.scope.label,
                   jurisdiction_code=n.scope.code, in_corpus=n.in_corpus, path=n.path or "", format=n.source_format or "", kind=n.kind or "document",
                   status=n.status, notes="; ".join(n.notes), mentions=n.mentions)
    for e in res.edges:
        u, v = iri[e.source], iri[e.target]
        if u == v:
            continue
        k = f"{e.relation}{'~3p' if e.third_party else ''}"
        mention = {"file": e.file, "start": e.start, "end": e.end, "text": e.text, "trigger": e.trigger or "",
                   "evidence": e.evidence, "id": hashlib.sha1(
                       f"{e.file}|{e.start}|{e.end}|{e.relation}|{u}|{v}".encode()).hexdigest()[:16]}
        if g.has_edge(u, v, k):
            g.edges[u, v, k]["mentions"].append(mention)
        else:
            g.add_edge(u, v, key=k, relation=e.relation, third_party=e.third_party, mentions=[mention])
    return g


def edges_sorted(g: nx.MultiDiGraph):
    """(u, v, key, data) in a fixed order, for every writer."""
    return sorted(g.edges(keys=True, data=True), key=lambda t: (t[0], t[1], t[2]))
