"""Writers for the build outputs: Turtle, JSON-LD, GraphML, CSV edge list, node-link JSON.

Every writer is deterministic (same graph, same bytes) and writes through `atomic_write`: a temporary
file in the same folder, then os.replace, so a killed build never leaves a half-written output.
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import networkx as nx

from .graph import edges_sorted
from .rdf import to_rdf


_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _canonical_jsonld(text: str) -> str:
    doc = json.loads(text)
    nodes = doc if isinstance(doc, list) else doc.get("@graph", [doc])
    for node in nodes:
        for k, v in node.items():
            if isinstance(v, list):
                node[k] = sorted(v, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda n: n.get("@id", ""))
    return json.dumps(nodes, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def turtle_and_jsonld(g: nx.MultiDiGraph) -> tuple[str, str]:
    rdf = to_rdf(g)
    return rdf.serialize(format="turtle"), _canonical_jsonld(rdf.serialize(format="json-ld"))


def graphml(g: nx.MultiDiGraph) -> str:
    """GraphML for Gephi/yEd: scalar attributes only (mentions summarised)."""
    h = nx.MultiDiGraph()
    for n, d in sorted(g.nodes(data=True)):
        h.add_node(n, **{k: v for k, v in d.items() if isinstance(v, (str, int, float, bool))})
    for u, v, k, d in edges_sorted(g):
        m = d["mentions"]
        h.add_edge(u, v, key=k, relation=d["relation"], third_party=bool(d["third_party"]), mentions=len(m),
                   files=";".join(sorted({x["file"] for x in m})), trigger=m[0]["trigger"], evidence=m[0]["evidence"])
    buf = io.BytesIO()
    nx.write_graphml(h, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")


EDGE_COLUMNS = ("source", "source_label", "relation", "target", "target_label", "third_party", "file", "start",
                "end", "text", "trigger", "evidence")


def edges_csv(g: nx.MultiDiGraph) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(EDGE_COLUMNS)
    for u, v, _k, d in edges_sorted(g):
        for m in sorted(d["mentions"], key=lambda m: (m["file"], m["start"])):
            w.writerow([u, g.nodes[u]["label"], d["relation"], v, g.nodes[v]["label"], str(d["third_party"]).lower(),
                        m["file"], m["start"], m["end"], m["text"], m["trigger"], m["evidence"]])
    return buf.getvalue()


def node_link_json(g: nx.MultiDiGraph) -> str:
    """The graph as plain JSON (nodes with attributes, edges with mentions): read by `viz` and `impact`."""
    nodes = [{"id": n, **d} for n, d in sorted(g.nodes(data=True))]
    edges = [{"source": u, "target": v, "key": k, **d} for u, v, k, d in edges_sorted(g)]
    return json.dumps({"base": g.graph.get("base"), "nodes": nodes, "edges": edges}, ensure_ascii=False,
                      sort_keys=True, indent=1) + "\n"


def load_node_link(path: Path) -> nx.MultiDiGraph:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    g = nx.MultiDiGraph(base=data.get("base"))
    for n in data["nodes"]:
        g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for e in data["edges"]:
        g.add_edge(e["source"], e["target"], key=e["key"],
                   **{k: v for k, v in e.items() if k not in ("source", "target", "key")})
    return g
