"""Impact check on the graph.json of a real build, in one process, with the calls `plangraph impact`/`check` make.

    python bench/bench_impact.py BUILD_DIR [--repeat 5] [--no-check] [--no-append]

(bench_query.py measures the same on graphs it writes itself; this one reads what `plangraph build` wrote, for
instance the 1M build of `bench_build.py --sizes 1000000 --keep`.)  Measured, in order:
- graph.json → networkx (export.load_node_link: mentions left on disk);
- impact.prepare (find_ref's number index, the listing rank): what a first check would otherwise pay, and what
  `plangraph serve` pays once after loading;
- the national hub — the central document with the most documents citing it — looked up by its
  number, and its impact: first call and median of --repeat;
- the provincial plan with the most documents citing it, by IRI, and its impact, likewise;
- walking that answer (each document's chain up to REF, as the report does) and rendering it as text;
- stale bases over the whole graph (`plangraph check`), unless --no-check;
- peak RSS of the process.
The baseline of the same run is a bare breadth-first search over the networkx graph's own adjacency (a set and
a queue of IRIs; no ordering, no chains, no evidence): impact / baseline above 1 is what the impact check's
ordering and bookkeeping cost over it, below 1 what its integer index saves.
"""
from __future__ import annotations

import argparse
import collections
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import peak_rss_gib, publish, timed  # noqa: E402

from graph_builder import impact as imp  # noqa: E402
from graph_builder.export import load_node_link  # noqa: E402


def bare_bfs(g, ref: str) -> int:
    """Every document with a based_on / implements / guides path to REF: a set and a queue of IRIs."""
    seen, queue = {ref}, collections.deque([ref])
    while queue:
        v = queue.popleft()
        for u, keyed in g._pred[v].items():
            if u not in seen and any(d["relation"] in imp.STRONG for d in keyed.values()):
                seen.add(u)
                queue.append(u)
    return len(seen) - 1


def ms(t: float) -> str:
    return f"{t * 1000:,.0f} ms" if t >= 0.01 else f"{t * 1000:.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build", help="a build folder (holding graph.json)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-check", action="store_true", help="skip stale bases over the whole graph")
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to bench/RESULTS.md")
    args = ap.parse_args()
    path = Path(args.build) / "graph.json"
    g, (t_load,) = timed(lambda: load_node_link(path))
    rows = [("graph.json → networkx (mentions left on disk)", f"{t_load:,.1f} s",
             f"{g.number_of_nodes():,} nodes; peak RSS {peak_rss_gib():.2f} GiB")]
    _, (t_prep,) = timed(lambda: imp.prepare(g))
    rows.append(("impact.prepare: number index and listing rank (once per loaded graph)", f"{t_prep:,.1f} s", ""))
    central = [n for n, a in g.nodes(data=True) if a.get("level") == "central" and a.get("number")]
    hub = max(central, key=lambda n: (len(g._pred[n]), n))
    prov = max((n for n, a in g.nodes(data=True) if a.get("level") == "province" and a.get("in_corpus")),
               key=lambda n: (len(g._pred[n]), n))
    figures = {}
    for which, node, ref in (("hub", hub, g.nodes[hub]["number"]), ("provincial plan", prov, prov)):
        found, t_find = timed(lambda: imp.find_ref(g, ref), args.repeat)
        assert found == node, (found, node)
        res, t_imp = timed(lambda: imp.impact(g, node), args.repeat)
        n_bare, t_bare = timed(lambda: bare_bfs(g, node), args.repeat)
        assert n_bare == len(res.downstream), (n_bare, len(res.downstream))
        figures[which] = (res, t_imp)
        label = g.nodes[node].get("label", node)
        rows.append((f"{which} ({label}, {len(g._pred[node]):,} documents citing it): find_ref, first / median",
                     f"{ms(t_find[0])} / {ms(statistics.median(t_find[1:] or t_find))}", ""))
        rows.append((f"its impact, first / median of {args.repeat}",
                     f"{ms(t_imp[0])} / {ms(statistics.median(t_imp))}",
                     f"{len(res.downstream):,} downstream, {len(res.citing):,} citing"))
        rows.append(("baseline: bare breadth-first search over IRIs (median)", ms(statistics.median(t_bare)),
                     f"impact / baseline {statistics.median(t_imp) / statistics.median(t_bare):.2f}"))
    res = figures["provincial plan"][0]
    _, (t_walk,) = timed(lambda: sum(len(i.path) for i in res.downstream))
    rows.append(("walking that answer: each document's chain up to REF", f"{t_walk:,.2f} s", ""))
    text, (t_text,) = timed(lambda: imp.render_text([imp.impact_report(g, res)]))
    rows.append(("rendering it as text", f"{t_text:,.1f} s", f"{len(text.encode('utf-8')) / 1e6:,.1f} MB of text"))
    if not args.no_check:
        stale, (t_check,) = timed(lambda: imp.stale_bases(g))
        rows.append(("stale bases over the whole graph (`check`)", f"{t_check:,.1f} s", f"{len(stale):,} stale bases"))
    rows.append(("peak RSS of the process", f"{peak_rss_gib():.2f} GiB", ""))
    size = path.stat().st_size / 2**30
    lines = [f"`python bench/bench_impact.py {args.build}` on its graph.json ({size:.2f} GiB):", "",
             "| step | time | result |", "| --- | ---: | --- |",
             *(f"| {a} | {b} | {c} |" for a, b, c in rows), ""]
    publish("Impact check on a build's graph.json (bench/bench_impact.py)", lines, args.no_append)
    return 0


if __name__ == "__main__":
    sys.exit(main())
