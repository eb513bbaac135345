"""SPARQL over the built graph, with the ontology's prefixes predeclared, and the saved queries library.

A QUERY is inline text, a .rq file, or the name of a saved query in ontology/queries/ ("implementers").
Parameters (--bind ref=76/NQ-CP) are bound as plain literals before evaluation.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from .rdf import PREFIXES
from .vocabulary import ontology_dir

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))


def saved_queries() -> dict[str, Path]:
    return {p.stem: p for p in sorted((ontology_dir() / "queries").glob("*.rq"))}


def describe_saved() -> list[tuple[str, str]]:
    out = []
    for name, p in saved_queries().items():
        doc = [ln[1:].strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
        out.append((name, " ".join(doc)))
    return out


def query_text(q: str) -> str:
    saved = saved_queries()
    if q in saved:
        return saved[q].read_text(encoding="utf-8")
    p = Path(q)
    if p.suffix in (".rq", ".sparql") or (len(q) < 300 and "\n" not in q and p.is_file()):
        if not p.is_file():
            raise FileNotFoundError(f"{q}: no such query file (saved queries: {', '.join(saved)})")
        return p.read_text(encoding="utf-8")
    return q


def with_prologue(text: str) -> str:
    return PROLOGUE + text


def load_graph(graph: Path) -> Graph:
    """graph.ttl from a build folder (or a .ttl/.jsonld file)."""
    p = Path(graph)
    if p.is_dir():
        p = p / "graph.ttl"
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no graph here; run `plangraph build` first")
    fmt = "json-ld" if p.suffix == ".jsonld" else "turtle"
    return Graph().parse(p, format=fmt)


def run(g: Graph, text: str, bindings: dict[str, str] | None = None) -> Result:
    init = {k: (URIRef(v) if v.startswith(("http://", "https://")) else Literal(v))
            for k, v in (bindings or {}).items()}
    return g.query(with_prologue(text), initBindings=init)


def _cell(v) -> str:
    return "" if v is None else str(v)


def format_result(res: Result, fmt: str = "table") -> str:
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        return res.graph.serialize(format="turtle")
    if res.type == "ASK":
        return json.dumps({"boolean": bool(res.askAnswer)}) + "\n" if fmt == "json" else f"{bool(res.askAnswer)}\n"
    names = [str(v) for v in res.vars]
    rows = [[_cell(r[i]) for i in range(len(names))] for r in res]
    if fmt == "json":
        return res.serialize(format="json").decode("utf-8") + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(c[:60].ljust(w) for c, w in zip(r, widths)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
