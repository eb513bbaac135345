"""Time to interactive of the HTML graph (`plangraph viz`) on a synthetic 5,000-document graph.

    python bench/bench_viz.py [--nodes 5000] [--baseline 500] [--runs 3] [--no-physics] [--no-append]
                              [--graph OUTPUT_DIR]   # also a real build's graph.json (e.g. of bench/synth.py)

Builds a deterministic synthetic citation graph (a few central documents, provincial, district and commune
plans citing them and each other), renders it with graph_builder.viz.render_html, opens it in headless
Chromium (tests/browser.py; installs Debian's chromium when root) and measures:
- render: Python time to make the HTML (median of --runs), and its size;
- time to interactive: from navigation start until the page's first drawn frame (window.__ready, set on
  vis-network's first 'afterDrawing'), as the page itself reports it (performance.now());
- click response: from a real mouse click on a node (DevTools Input events) until its side panel is filled;
- frame: one full redraw of the whole graph (what panning and zooming cost);
- and, unless --no-physics, what the page avoids: the same network with the browser's force simulation
  switched on (vis-network's default barnesHut, 1,000 stabilisation iterations), capped at 120 s.
The same figures for a --baseline-node graph are measured in the same run; ratios are 5k / baseline.
Prints a table and appends it to bench/RESULTS.md under "## viz: 5,000-node graph".
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from graph_builder.viz import render_html  # noqa: E402

BASE = "https://plangraph.invalid/eli/"
CENTRAL = [("NQ", "Nghị quyết", "NQ-CP", "Chính phủ"), ("NĐ", "Nghị định", "NĐ-CP", "Chính phủ"),
           ("QĐ", "Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ"), ("CT", "Chỉ thị", "CT-TTg", "Thủ tướng Chính phủ"),
           ("TT", "Thông tư", "TT-BNV", "Bộ Nội vụ"), ("LUAT", "Luật", "QH15", "Quốc hội")]
LOCAL = [("KH", "Kế hoạch", "KH-UBND", "UBND"), ("QĐ", "Quyết định", "QĐ-UBND", "UBND"),
         ("NQ", "Nghị quyết", "NQ-HĐND", "HĐND"), ("TB", "Thông báo", "TB-UBND", "UBND"),
         ("CTr", "Chương trình", "CTr-UBND", "UBND")]
TOPICS = ["cải cách hành chính", "chuyển đổi số", "phòng, chống tham nhũng", "xây dựng nông thôn mới",
          "phổ biến, giáo dục pháp luật", "thực hiện dân chủ ở cơ sở", "tiếp công dân", "bảo vệ môi trường",
          "phát triển kinh tế - xã hội", "phòng, chống thiên tai"]
TRIGGER = {"based_on": "Căn cứ", "implements": "Thực hiện", "cites": "theo", "replaces": "thay thế",
           "amends": "sửa đổi, bổ sung", "guides": "hướng dẫn", "repeals": "bãi bỏ",
           "suspends": "tạm ngưng hiệu lực"}


def synthetic_graph(n: int, seed: int = 20240501) -> nx.MultiDiGraph:
    """A deterministic citation graph of about n documents with node and edge attributes like a build's."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph(base="https://plangraph.invalid/")
    n_central = max(10, n // 80)
    n_prov = max(1, n // 500)                                 # provinces
    per_prov = max(5, n * 12 // 100 // n_prov)                # 12 % provincial documents
    dist_per_prov = 8
    per_dist = max(3, n * 25 // 100 // (n_prov * dist_per_prov))  # 25 % district
    n_commune_docs = n - n_central - n_prov * per_prov - n_prov * dist_per_prov * per_dist
    communes = [(p, d, c) for p in range(n_prov) for d in range(dist_per_prov) for c in range(5)]

    def add(level, jcode, jlabel, issuer, issuer_code, spec, k, year, in_corpus):
        code, tlabel, suffix, _ = spec
        number = f"{k}/{suffix}" if code != "NĐ" and code != "TT" else f"{k}/{year}/{suffix}"
        topic = rnd.choice(TOPICS)
        iri = f"{BASE}{jcode}/{code.lower()}/{year}/{k}-{suffix.lower()}"
        date = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        g.add_node(iri, label=f"{tlabel} {number}", number=number, type=code, type_label=tlabel,
                   title=f"{topic} {jlabel} năm {year}", name="", date=date, year=str(year), issuer=issuer,
                   issuer_code=issuer_code, level=level, jurisdiction=jlabel, jurisdiction_code=jcode,
                   in_corpus=in_corpus, path=f"corpus/{zlib.crc32(iri.encode()):08x}.txt" if in_corpus else "",
                   kind="document", status="resolved" if rnd.random() > 0.04 else "unresolved", notes="",
                   mentions=0, key=iri)
        return iri

    def cite(u, v, rel, third=False):
        if u == v:
            return
        du, dv = g.nodes[u], g.nodes[v]
        ev = (f"{TRIGGER[rel]} {dv['label']} ngày {dv['date'][8:10]}/{dv['date'][5:7]}/{dv['year']} của "
              f"{dv['issuer']} về {dv['title']};")
        m = {"file": du["path"] or "corpus/other.txt", "start": 100, "end": 100 + len(dv["label"]), "text": dv["label"],
             "trigger": TRIGGER[rel], "evidence": ev, "id": f"{zlib.crc32(f'{u}|{v}|{rel}'.encode()):08x}"}
        key = rel + ("~3p" if third else "")
        if g.has_edge(u, v, key):
            g.edges[u, v, key]["mentions"].append(m)
        else:
            g.add_edge(u, v, key=key, relation=rel, third_party=third, mentions=[m])
        g.nodes[v]["mentions"] += 1

    central = [add("central", "vn", "Việt Nam", CENTRAL[i % len(CENTRAL)][3], CENTRAL[i % len(CENTRAL)][2].split("-")[-1],
                   CENTRAL[i % len(CENTRAL)], 10 + i, 2015 + i % 10, False) for i in range(n_central)]
    for i in range(10, n_central, 7):
        cite(central[i], central[i - 7], "amends", third=rnd.random() < 0.5)
    prov, dist = {}, {}
    for p in range(n_prov):
        jl = f"tỉnh Mẫu {p + 1}"
        prov[p] = [add("province", f"vn-p-{p}", jl, f"UBND tỉnh Mẫu {p + 1}", "UBND", rnd.choice(LOCAL), 100 + k,
                       2018 + k % 7, rnd.random() < 0.3) for k in range(per_prov)]
        for u in prov[p]:
            for v in rnd.sample(central, rnd.randint(2, 5)):
                cite(u, v, rnd.choice(("based_on", "implements", "implements", "cites")))
        for k in range(5, per_prov, 11):
            cite(prov[p][k], prov[p][k - 5], "replaces")
        for d in range(dist_per_prov):
            jl = f"huyện Mẫu {p + 1}.{d + 1}"
            dist[p, d] = [add("district", f"vn-p-{p}-d-{d}", jl, f"UBND {jl}", "UBND", rnd.choice(LOCAL), 10 + k,
                              2019 + k % 6, rnd.random() < 0.3) for k in range(per_dist)]
            for u in dist[p, d]:
                for v in rnd.sample(prov[p], min(len(prov[p]), rnd.randint(1, 3))):
                    cite(u, v, rnd.choice(("based_on", "implements", "implements")))
                cite(u, rnd.choice(central), rnd.choice(("based_on", "cites")))
    for k in range(n_commune_docs):
        p, d, c = communes[k % len(communes)]
        jl = f"xã Mẫu {p + 1}.{d + 1}.{c + 1}"
        u = add("commune", f"vn-p-{p}-d-{d}-c-{c}", jl, f"UBND {jl}", "UBND", rnd.choice(LOCAL[:2]),
                1 + k // len(communes), 2020 + k % 5, rnd.random() < 0.25)
        for v in rnd.sample(dist[p, d], min(len(dist[p, d]), rnd.randint(1, 2))):
            cite(u, v, "implements")
        cite(u, rnd.choice(prov[p]), rnd.choice(("based_on", "implements")))
        if rnd.random() < 0.5:
            cite(u, rnd.choice(central), "based_on")
        if rnd.random() < 0.02:
            a, b = rnd.sample(central, 2)
            cite(a, b, "guides", third=True)
    return g


def _median(xs):
    return statistics.median(xs) if xs else float("nan")


def measure_page(html_path: Path, physics: bool, physics_cap: float) -> dict:
    from browser import Browser
    out = {}
    with Browser(width=1400, height=900, timeout=180) as b:
        b.goto(html_path.as_uri())
        t0 = time.monotonic()
        out["tti_ms"] = b.wait_for("window.__ready", timeout=180)
        out["wall_ms"] = (time.monotonic() - t0) * 1000
        if b.exceptions():
            raise RuntimeError(f"page errors: {b.exceptions()}")
        counts = b.eval("plangraph.visibleCounts()")
        out["nodes"], out["edges"] = counts["nodes"], counts["edges"]
        # a full redraw of the fitted graph (the cost of one pan/zoom frame)
        frames = [b.eval("(function(){var t=performance.now(); plangraph.network.redraw(); "
                         "return performance.now()-t;})()") for _ in range(5)]
        out["frame_ms"] = _median(frames)
        # click a node: zoom to a document in the middle of the graph, click its position
        i = b.eval("(function(){var d=plangraph.data.nodes; for (var i=0;i<d.length;i++) "
                   "if (d[i].level==='district') return i; return 0;})()")
        b.eval(f"plangraph.network.moveTo({{position: plangraph.network.getPositions([{i}])[{i}], scale: 1.2}})")
        time.sleep(0.3)
        xy = b.eval(f"(function(){{var p=plangraph.network.getPositions([{i}])[{i}]; var d=plangraph.network.canvasToDOM(p);"
                    f"var r=document.getElementById('network').getBoundingClientRect(); return [d.x+r.left, d.y+r.top];}})()")
        b.eval("window.__lastSelect = 0")
        t1 = time.monotonic()
        b.click(*xy)
        b.wait_for("window.__lastSelect", timeout=30, interval=0.005)
        out["click_ms"] = (time.monotonic() - t1) * 1000
        label = b.eval(f"plangraph.data.nodes[{i}].label")
        if label not in b.eval("plangraph.panelText()"):
            raise RuntimeError("the click did not show the node's panel")
        if physics:
            expr = ("new Promise(function(res){var n=plangraph.network, t=performance.now(), done=false;"
                    "n.once('stabilized', function(){done=true; res(performance.now()-t);});"
                    f"setTimeout(function(){{if(!done) res(-1);}}, {int(physics_cap * 1000)});"
                    "n.setOptions({physics:{enabled:true, solver:'barnesHut', stabilization:{enabled:true, "
                    "iterations:1000, updateInterval:100}}}); n.stabilize(1000);})")
            ms = b.eval(expr, timeout=physics_cap + 30)
            out["physics_ms"] = None if ms is None or ms < 0 else ms
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--baseline", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-physics", action="store_true", help="skip the in-browser physics comparison")
    ap.add_argument("--physics-cap", type=float, default=120.0, help="seconds before the physics run is cut")
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to bench/RESULTS.md")
    ap.add_argument("--graph", help="also measure the page of this build (folder with graph.json), e.g. "
                                    "`plangraph build` of `python bench/synth.py DIR --docs 5000`")
    args = ap.parse_args(argv)

    from browser import find_chromium, why_missing
    if not find_chromium():
        print(f"bench_viz: {why_missing()}", file=sys.stderr)
        return 2
    graphs = [(f"baseline {args.baseline}", lambda: synthetic_graph(args.baseline)),
              (f"{args.nodes}", lambda: synthetic_graph(args.nodes))]
    if args.graph:
        from graph_builder.export import load_node_link
        from graph_builder.viz import graph_json_path
        graphs.append((f"build of {args.graph}", lambda: load_node_link(graph_json_path(Path(args.graph)))))
    rows = {}
    with tempfile.TemporaryDirectory(prefix="plangraph-bench-") as tmp:
        for k, (name, make) in enumerate(graphs):
            g = make()
            n = g.number_of_nodes()
            times, html = [], ""
            for _ in range(args.runs):
                t = time.perf_counter()
                html = render_html(g, title=f"bench {n}")
                times.append(time.perf_counter() - t)
            path = Path(tmp) / f"graph-{k}.html"
            path.write_text(html, encoding="utf-8")
            pages = [measure_page(path, physics=False, physics_cap=args.physics_cap) for _ in range(args.runs)]
            r = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "render_s": _median(times),
                 "html_mb": len(html.encode()) / 1e6}
            for k in ("tti_ms", "wall_ms", "frame_ms", "click_ms"):
                r[k] = _median([p[k] for p in pages])
            assert all(p["nodes"] == r["nodes"] and p["edges"] == r["edges"] for p in pages), pages
            if not args.no_physics:
                r["physics_ms"] = measure_page(path, physics=True, physics_cap=args.physics_cap)["physics_ms"]
            rows[name] = r
            print(f"{name}: {r}", file=sys.stderr)

    b, big = rows[graphs[0][0]], rows[graphs[1][0]]

    def ratio(k):
        return f"{big[k] / b[k]:.1f}×" if b.get(k) and big.get(k) else "–"

    def phys(r):
        if "physics_ms" not in r:
            return "not run"
        return f"{r['physics_ms'] / 1000:.1f} s" if r["physics_ms"] else f"> {args.physics_cap:.0f} s (cut)"

    lines = [
        "| graph | nodes | edges | render (Python) | HTML | time to interactive | click → panel | full redraw | "
        "browser physics instead |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['nodes']:,} | {r['edges']:,} | {r['render_s']:.2f} s | {r['html_mb']:.1f} MB | "
                     f"{r['tti_ms'] / 1000:.2f} s | {r['click_ms']:.0f} ms | {r['frame_ms']:.0f} ms | {phys(r)} |")
    lines.append(f"| ratio {graphs[1][0]} / baseline | {big['nodes'] / b['nodes']:.1f}× | {big['edges'] / b['edges']:.1f}× | {ratio('render_s')} | "
                 f"{ratio('html_mb')} | {ratio('tti_ms')} | {ratio('click_ms')} | {ratio('frame_ms')} | |")
    from browser import find_chromium as _fc
    import subprocess
    try:
        chromium = subprocess.run([_fc(install=False), "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired, TypeError):
        chromium = "chromium"
    body = [f"{chromium} (headless) · `python bench/bench_viz.py` (median of {args.runs} runs; synthetic graph, "
            f"seed fixed)", "", *lines, "",
            "Time to interactive = navigation start to the first frame drawn by vis-network with the precomputed "
            "layout (physics off), as reported by the page; click → panel = a real mouse click on a node until its "
            "side panel is filled; full redraw = one frame of the whole fitted graph; browser physics = the same "
            "network left to vis-network's default force simulation (what a pyvis page does), until it stabilises."]
    from common import publish
    publish(f"viz: {args.nodes:,}-node graph", body, args.no_append)
    return 0


if __name__ == "__main__":
    sys.exit(main())
