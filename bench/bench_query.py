"""Query-side benchmark: impact check and saved SPARQL queries on synthetic graphs of 100k and 1M documents.

    python bench/bench_query.py                      # 100k and 1M documents, rdflib (≤ 100k) and Oxigraph
    python bench/bench_query.py --docs 20000 --stores rdflib,oxigraph --no-append

Building a million-document corpus through `plangraph build` takes too long to be part of a query benchmark,
so the graph is generated directly (deterministic from --seed) with the project's own code: a synthetic
`resolve.Resolution` (documents of real administrative units: national → province → district → commune
plans; central decrees and resolutions chosen with a Zipf popularity, so a few are hubs; Party resolutions;
replacements; cited-only and unresolved references; one `Edge` per mention with its evidence sentence) goes
through `graph.build_graph`, `rdf.data_triples` + `rdfwrite.turtle` and the node-link layout of
`export.node_link_json`, in shards of --shard documents, so graph.ttl and graph.json have exactly the shape of
a real build (pg:Citation provenance resources, materialised ELI super-properties, the SKOS vocabulary).
The statistics follow bench/synth.py's corpus (≈ 5 citations and ≈ 85 triples per document).

Each measurement runs in its own process (peak RSS is that process's): loading graph.json into networkx and
the impact check (`impact.find_ref` + `impact.impact`, median of repeated runs, for the hub — the most cited
central Nghị quyết — and for a leaf commune plan); rdflib's in-memory store (parse graph.ttl, then the
saved queries) where it fits in memory; Oxigraph (`sparql.open_store(..., "oxigraph")`: a first bulk load
into an on-disk store, a reopen of the cached store, then the same queries).  Figures are printed and
appended to bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from graph_builder import places  # noqa: E402
from graph_builder.resolve import CENTRAL, Edge, Node, Resolution, Scope  # noqa: E402
from common import peak_rss_gib, timed  # noqa: E402

GENERATOR_VERSION = "2"
TOPICS = ["cải cách hành chính", "chuyển đổi số", "nâng cao Chỉ số PAPI", "phòng, chống tham nhũng",
          "xây dựng nông thôn mới", "giảm nghèo bền vững", "phổ biến, giáo dục pháp luật", "phòng cháy, chữa cháy",
          "bảo vệ môi trường", "phát triển du lịch", "an toàn thực phẩm", "kiểm soát thủ tục hành chính",
          "đào tạo, bồi dưỡng cán bộ, công chức", "cải thiện Chỉ số PCI", "phát triển kinh tế tập thể"]
CENTRAL_KINDS = [("NQ", "Nghị quyết", "Chính phủ", "CP", "{n}/NQ-CP"),
                 ("NĐ", "Nghị định", "Chính phủ", "CP", "{n}/{y}/NĐ-CP"),
                 ("QĐ", "Quyết định", "Thủ tướng Chính phủ", "TTg", "{n}/QĐ-TTg"),
                 ("CT", "Chỉ thị", "Thủ tướng Chính phủ", "TTg", "{n}/CT-TTg")]
LAW = ("law", "luat-to-chuc-chinh-quyen-dia-phuong", "2015")
LAW_TEXT = "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
LEVEL_WORD = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
HUB_NUMBER = "76/NQ-CP"          # the most popular central document (rank 0 of the Zipf draw)


def _unit_phrase(p: places.Place) -> str:
    full = p.full_name
    for kind in ("Thành phố", "Thị xã", "Thị trấn"):
        if full.startswith(kind):
            return f"{kind.lower()} {p.name}"
    return f"{full.split(' ')[0].lower()} {p.name}"


def _scope(p: places.Place) -> Scope:
    code = "vn-" + p.province_code if p.kind == "province" else f"vn-{p.province_code}-{p.kind[0]}{p.code}"
    label = p.full_name[:1].lower() + p.full_name[1:]
    if p.kind != "province":
        label += f" (tỉnh {p.province})"
    return Scope(code, p.kind, label)


def _iso(d: tuple[int, int, int]) -> str:
    return "%04d-%02d-%02d" % d


def _vn_date(d: tuple[int, int, int], long: bool) -> str:
    y, m, day = d
    return f"ngày {day:02d} tháng {m:02d} năm {y}" if long else f"ngày {day}/{m}/{y}"


class Synthetic:
    """The plan of a synthetic corpus: every node and, per corpus document, the citations it makes."""

    def __init__(self, docs: int, seed: int = 1):
        self.n, self.seed = docs, seed
        rng = self.rng = random.Random(seed)
        units = places.units()
        self.provinces = [u for u in units if u.kind == "province"]
        self.districts = [u for u in units if u.kind == "district"]
        self.communes = [u for u in units if u.kind == "commune"]
        self.province_of = {p.province_code: p for p in self.provinces}
        self.district_of = {(d.province_code, d.name): d for d in self.districts}
        self.nodes: list[Node] = []                 # every node; index = id
        self.cites: list[list[tuple[int, str, str]]] = []   # per corpus doc: (target id, relation, trigger)
        self.corpus: list[int] = []                  # node ids of corpus documents, in file order
        self.unresolved_extra: dict[int, Node] = {}  # corpus doc -> its unresolved cited-only reference
        # central documents (Zipf popularity: rank 0 is the hub), Party resolutions, the law
        n_central = max(300, docs // 500)
        seen, self.central = set(), []
        for i in range(n_central):
            kind = CENTRAL_KINDS[0] if i == 0 else rng.choice(CENTRAL_KINDS)
            while True:
                year = 2021 if i == 0 else rng.randint(2015, 2024)
                num = 76 if i == 0 else rng.randint(1, 3000)
                number = kind[4].format(n=num, y=year)
                if number not in seen or i == 0:
                    break
            seen.add(number)
            date = (year, rng.randint(1, 12), rng.randint(1, 28)) if i else (2021, 7, 15)
            self.central.append(self._add(Node(("doc", "vn", number, str(year)), number=number, type=kind[0],
                                               type_label=kind[1], title=rng.choice(TOPICS), date=_iso(date),
                                               year=str(year), issuer=kind[2], issuer_code=kind[3], scope=CENTRAL)))
        self.central_dates = [self.nodes[c].date for c in self.central]
        weights = [1 / (r + 1) for r in range(n_central)]
        total = sum(weights)
        acc, self.cum = 0.0, []
        for w in weights:
            acc += w / total
            self.cum.append(acc)
        self.law = self._add(Node(LAW, title="Luật Tổ chức chính quyền địa phương", date="2015-06-19", year="2015",
                                  type="LUAT", name="Luật Tổ chức chính quyền địa phương", scope=CENTRAL))
        self.party: dict[str, list[int]] = {}
        for p in self.provinces:
            sc, out = _scope(p), []
            for _ in range(3):
                y = rng.randint(2016, 2023)
                number = f"{rng.randint(1, 90)}-NQ/TU"
                key = ("doc", sc.code, number, str(y))
                if any(self.nodes[o].key == key for o in out):
                    continue
                out.append(self._add(Node(key, number=number, type="NQ", type_label="Nghị quyết",
                                          title=rng.choice(TOPICS), date=_iso((y, rng.randint(1, 12), rng.randint(1, 28))),
                                          year=str(y), issuer="Ban Thường vụ Tỉnh ủy", issuer_code="TU", scope=sc)))
            self.party[p.province_code] = out
        self._plan()

    def _add(self, n: Node) -> int:
        self.nodes.append(n)
        return len(self.nodes) - 1

    def _pick_central(self, before: str) -> int | None:
        for _ in range(8):
            i = bisect.bisect_left(self.cum, self.rng.random())
            c = self.central[min(i, len(self.central) - 1)]
            if self.nodes[c].date < before:
                return c
        return None

    def _plan(self) -> None:
        rng, n = self.rng, self.n
        n_prov, n_dist = max(1, n // 20), max(1, n // 4)
        n_comm = max(0, n - n_prov - n_dist)
        counter: dict[tuple, int] = {}
        by_unit: dict[str, tuple[list[str], list[int]]] = {}      # unit code -> (sorted dates, node ids)
        for level, count, pool, years in (("province", n_prov, self.provinces, (2021, 2023)),
                                          ("district", n_dist, self.districts, (2022, 2024)),
                                          ("commune", n_comm, self.communes, (2022, 2024))):
            made: list[tuple[str, int]] = []
            same: dict[str, list[tuple[str, int]]] = {}
            for _ in range(count):
                u = rng.choice(pool)
                sc = _scope(u)
                y = rng.randint(*years)
                date = _iso((y, rng.randint(1, 12), rng.randint(1, 28)))
                k = (sc.code, y)
                counter[k] = counter.get(k, rng.randint(1, 30)) + rng.randint(1, 4)
                number = f"{counter[k]}/KH-UBND"
                topic = rng.choice(TOPICS)
                i = len(self.corpus)
                node = self._add(Node(("doc", sc.code, number, str(y)), number=number, type="KH", type_label="Kế hoạch",
                                      title=f"{topic[:1].upper()}{topic[1:]} {_unit_phrase(u)} năm {y}", date=date,
                                      year=str(y), issuer=f"Ủy ban nhân dân {_unit_phrase(u)}", issuer_code="UBND",
                                      scope=sc, in_corpus=True, path=f"corpus/{i // 1000:04d}/{i:07d}.txt",
                                      source_format="txt"))
                self.corpus.append(node)
                cites: list[tuple[int, str, str]] = [(self.law, "based_on", "Căn cứ")]
                for _ in range(rng.randint(1, 2)):
                    c = self._pick_central(date)
                    if c is not None and all(c != t for t, _, _ in cites):
                        cites.append((c, "based_on", "Căn cứ"))
                if level == "province":
                    party = [p for p in self.party[u.province_code] if self.nodes[p].date < date]
                    if party and rng.random() < 0.5:
                        cites.append((party[0], "implements", "Thực hiện"))
                else:
                    dates, ids = by_unit.get("vn-" + u.province_code, ([], []))
                    j = bisect.bisect_left(dates, date)
                    for p in ids[max(0, j - 2):j][: rng.randint(1, 2)]:
                        cites.append((p, "implements", "Thực hiện"))
                    if level == "commune":
                        d = self.district_of.get((u.province_code, u.district))
                        if d is not None:
                            dates, ids = by_unit.get(_scope(d).code, ([], []))
                            j = bisect.bisect_left(dates, date)
                            if j:
                                cites.append((ids[j - 1], "implements", "Thực hiện"))
                earlier = [(d, x) for d, x in same.get(sc.code, ()) if d < date]
                if earlier and rng.random() < 0.15:           # replaces the unit's latest earlier plan
                    cites.append((max(earlier)[1], "replaces", "thay thế"))
                same.setdefault(sc.code, []).append((date, node))
                for _ in range(rng.randint(0, 3)):
                    c = self._pick_central(date)
                    if c is None or any(c == t for t, _, _ in cites):
                        continue
                    form = rng.random()
                    cites.append((c, "implements", "triển khai thực hiện") if form < 0.5 else
                                 (c, "cites", "theo đúng quy định tại") if form < 0.8 else (c, "cites", ""))
                if level != "province" and rng.random() < 0.03:      # a plan whose place the text does not name
                    up = "province" if level == "district" or rng.random() < 0.5 else "district"
                    tag = f"{i:07d}"
                    uy = str(rng.randint(2021, y))
                    un = f"{rng.randint(1, 60)}/KH-UBND"
                    unode = self._add(Node(("doc", f"x-{tag}-{up[0]}", un, uy), number=un, type="KH",
                                           type_label="Kế hoạch", title=rng.choice(TOPICS),
                                           date=f"{uy}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", year=uy,
                                           issuer=f"UBND {LEVEL_WORD[up]}", issuer_code="UBND",
                                           scope=Scope(f"x-{tag}-{up[0]}", up, f"{up} not named (cited in {tag})",
                                                       "unresolved"), status="unresolved"))
                    cites.append((unode, "implements", "Thực hiện"))
                self.cites.append(cites)
                made.append((sc.code, node))
            for code, node in made:                      # this level's plans become parents of the next
                by_unit.setdefault(code, ([], []))[1].append(node)
            for code, (dates, ids) in by_unit.items():
                ids.sort(key=lambda x: self.nodes[x].date)
                dates[:] = [self.nodes[x].date for x in ids]
        for cites in self.cites:
            for t, _, _ in cites:
                self.nodes[t].mentions += 1
        owner = {c: i for i, c in enumerate(self.corpus)}
        # a cited-only node belongs to the shard of the first document citing it; shared ones to shard 0
        self.owner_doc: dict[int, int] = {}
        for i, cites in enumerate(self.cites):
            for t, _, _ in cites:
                if t not in owner and t not in self.owner_doc:
                    self.owner_doc[t] = i if self.nodes[t].scope.status != "resolved" else 0

    # ---- text of the mentions ---------------------------------------------------------------------------
    def _cite_text(self, t: Node, rng: random.Random) -> str:
        if t.key[0] == "law":
            return LAW_TEXT
        so = "số " if rng.random() < 0.85 else ""
        y, m, d = (int(x) for x in t.date.split("-"))
        who = t.issuer if t.scope.level in ("central",) or t.issuer_code == "TU" else (
            f"UBND {LEVEL_WORD.get(t.scope.level, 'tỉnh')}" if rng.random() < 0.5 else t.issuer)
        return f"{t.type_label} {so}{t.number} {_vn_date((y, m, d), rng.random() < 0.3)} của {who}"

    def resolution(self, docs: range) -> tuple[Resolution, list[Node]]:
        """The Resolution of a shard of corpus documents, and the keys of the nodes it only borrows."""
        own = {self.corpus[i] for i in docs}
        own |= {t for t, i in self.owner_doc.items() if i in docs}
        if docs.start == 0:
            own |= {t for t, i in self.owner_doc.items() if i == 0} | {self.law, *self.central}
            for p in self.party.values():
                own |= set(p)
        need = set(own)
        edges: list[Edge] = []
        for i in docs:
            src = self.nodes[self.corpus[i]]
            rng = random.Random(self.seed * 1_000_003 + i)
            pos = rng.randint(200, 400)
            title = src.title
            intro = f"UBND {src.scope.label.split(' (')[0]} ban hành Kế hoạch {title[:1].lower()}{title[1:]}"
            local = [(t, r, g) for t, r, g in self.cites[i] if r in ("implements", "replaces") and g != "triển khai thực hiện"]
            local_texts = {t: self._cite_text(self.nodes[t], rng) for t, _, _ in local}
            lead = "Thực hiện " + "; ".join(local_texts[t] + " về " + self.nodes[t].title
                                            for t, r, _ in local if r == "implements") + f", {intro} như sau:"
            for t, rel, trig in self.cites[i]:
                need.add(t)
                tn = self.nodes[t]
                text = local_texts.get(t) or self._cite_text(tn, rng)
                if t == self.law:
                    ev = ""
                elif rel == "based_on":
                    ev = f"Căn cứ {text} về {tn.title};"
                elif rel == "replaces":
                    ev = f"{intro} (thay thế {text} về {tn.title}) như sau:"
                elif trig == "Thực hiện":
                    ev = lead
                elif trig == "triển khai thực hiện":
                    ev = f"- Tiếp tục triển khai thực hiện có hiệu quả các nhiệm vụ tại {text} về {tn.title}."
                elif trig:
                    ev = f"- Thực hiện đúng quy trình theo đúng quy định tại {text} về {tn.title}."
                else:
                    ev = f"¹ {text} về {tn.title}."
                start = pos + rng.randint(10, 200)
                pos = start + len(text)
                edges.append(Edge(src.key, tn.key, rel, src.path, start, pos, text, trig or None, ev))
        nodes = {self.nodes[k].key: self.nodes[k] for k in sorted(need)}
        borrowed = [self.nodes[k] for k in sorted(need - own)]
        return Resolution(nodes=nodes, edges=edges, log=[], ambiguous=[], unresolved=[]), borrowed

    def hub(self) -> Node:
        return self.nodes[self.central[0]]

    def leaf(self) -> Node:
        return self.nodes[self.corpus[-1]]


def _write_shard(args) -> tuple[int, int, int]:
    """One shard: .parts/NNNNNN.ttl, .edges.json (edge objects) and .nodes.json (its own nodes)."""
    lo, hi, parts, base = args
    from rdflib import URIRef

    from graph_builder import rdfwrite
    from graph_builder.graph import build_graph, edges_sorted, node_iri
    from graph_builder.rdf import PREFIXES, data_triples, vocabulary_graph
    syn = _SYN
    res, borrowed = syn.resolution(range(lo, hi))
    g = build_graph(res, base)
    stubs = {node_iri(n, base) for n in borrowed}
    stub_refs = {URIRef(s) for s in stubs}
    ts = [t for t in data_triples(g) if t[0] not in stub_refs]
    if lo == 0:
        ts += list(vocabulary_graph())
    header = "# plangraph graph (generated by bench/bench_query.py); ontology: ontology/plangraph.ttl"
    (parts / f"{lo:09d}.ttl").write_text(rdfwrite.turtle(ts, PREFIXES, header if lo == 0 else ""), encoding="utf-8")
    n_triples = len(ts)
    del ts
    nodes = [json.dumps({"id": n, **d}, ensure_ascii=False, sort_keys=True)
             for n, d in sorted(g.nodes(data=True)) if n not in stubs]
    edges = [json.dumps({"source": u, "target": v, "key": k, **d}, ensure_ascii=False, sort_keys=True)
             for u, v, k, d in edges_sorted(g)]
    (parts / f"{lo:09d}.nodes.json").write_text(",\n  ".join(nodes), encoding="utf-8")
    (parts / f"{lo:09d}.edges.json").write_text(",\n  ".join(edges), encoding="utf-8")
    return n_triples, len(nodes), len(edges)


_SYN: Synthetic | None = None


def write_graph(syn: Synthetic, out: Path, shard: int = 50_000, jobs: int = 1, base: str | None = None) -> dict:
    """graph.ttl and graph.json of the synthetic corpus, shard by shard (in `jobs` processes), with the project's
    own writers: graph.build_graph, rdf.data_triples + rdf.vocabulary_graph, rdfwrite.turtle, and the node-link
    layout of export.node_link_json (same objects, keys sorted; the node order is by shard)."""
    global _SYN
    from graph_builder.graph import DEFAULT_BASE
    base = base or DEFAULT_BASE
    parts = out / ".parts"
    shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir(parents=True)
    _SYN = syn
    work = [(lo, min(lo + shard, len(syn.corpus)), parts, base) for lo in range(0, len(syn.corpus), shard)]
    if jobs > 1 and len(work) > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(jobs) as pool:
            counts = pool.map(_write_shard, work, chunksize=1)
    else:
        counts = [_write_shard(w) for w in work]
    with open(out / ".graph.ttl.tmp", "wb") as ttl:
        for lo, *_ in work:
            with open(parts / f"{lo:09d}.ttl", "rb") as fh:
                shutil.copyfileobj(fh, ttl, 1 << 22)
    with open(out / ".graph.json.tmp", "wb") as js:
        js.write(b'{\n "base": %s,\n "edges": [\n  ' % json.dumps(base).encode())
        for what in ("edges", "nodes"):
            if what == "nodes":
                js.write(b'\n ],\n "nodes": [\n  ')
            first = True
            for lo, *_ in work:
                p = parts / f"{lo:09d}.{what}.json"
                if p.stat().st_size:
                    if not first:
                        js.write(b",\n  ")
                    with open(p, "rb") as fh:
                        shutil.copyfileobj(fh, js, 1 << 22)
                    first = False
        js.write(b"\n ]\n}\n")
    os.replace(out / ".graph.ttl.tmp", out / "graph.ttl")
    os.replace(out / ".graph.json.tmp", out / "graph.json")
    shutil.rmtree(parts)
    return {"documents": len(syn.corpus), "triples": sum(c[0] for c in counts), "nodes": sum(c[1] for c in counts),
            "edges": sum(c[2] for c in counts)}


# ---- the benchmark -------------------------------------------------------------------------------------------
QUERIES = [("implementers", {"ref": HUB_NUMBER}), ("implementers", "PROVINCE"), ("replaced_still_cited", {}),
           ("most_cited", {}), ("by_issuer_level_year", {})]


def generate(docs: int, seed: int, work: Path, jobs: int, shard: int) -> tuple[Path, dict]:
    """The graph of `docs` synthetic documents, generated once into work/d{docs}-s{seed}/ and reused."""
    d = work / f"d{docs}-s{seed}"
    stamp = d / "gen.json"
    if stamp.is_file() and (d / "graph.ttl").is_file() and (d / "graph.json").is_file():
        info = json.loads(stamp.read_text())
        if info.get("version") == GENERATOR_VERSION:
            return d, info
    t0 = time.perf_counter()
    syn = Synthetic(docs, seed)
    t_plan = time.perf_counter() - t0
    stats = write_graph(syn, d, shard=shard, jobs=jobs)
    hub, leaf = syn.hub(), syn.leaf()
    info = {"version": GENERATOR_VERSION, "docs": docs, "seed": seed, **stats,
            "hub": HUB_NUMBER, "leaf": leaf.number, "leaf_path": leaf.path,
            "ttl_bytes": (d / "graph.ttl").stat().st_size, "json_bytes": (d / "graph.json").stat().st_size,
            "seconds": round(time.perf_counter() - t0, 1), "plan_seconds": round(t_plan, 1), "jobs": jobs}
    from graph_builder.graph import node_iri
    info["hub_iri"], info["leaf_iri"] = node_iri(hub), node_iri(leaf)
    stamp.write_text(json.dumps(info, indent=1))
    return d, info


def measure_impact(d: Path, info: dict, repeat: int) -> dict:
    from graph_builder import impact as imp
    from graph_builder.export import load_node_link
    g, (t_load,) = timed(lambda: load_node_link(d / "graph.json"))
    out = {"load_s": t_load, "rss_after_load_gib": peak_rss_gib()}
    # a provincial plan: the province-level corpus document with the most documents citing it
    prov = max((n for n, a in g.nodes(data=True) if a.get("level") == "province" and a.get("in_corpus")),
               key=lambda n: (len(g._pred[n]), n))
    out["province_ref"] = g.nodes[prov].get("label")
    for which in ("hub", "province", "leaf"):
        # the hub by number (the first call builds the number index); the others by IRI, since their numbers
        # are not unique in the country (the leaf's look-up by number is timed too)
        ref = info["hub"] if which == "hub" else prov if which == "province" else info["leaf_iri"]
        node, t_find = timed(lambda: imp.find_ref(g, ref), repeat)
        if which == "leaf":
            _, t_find_num = timed(lambda: _find_or_ambiguous(imp, g, info["leaf"]), repeat)
            out["leaf_find_by_number_ms"] = statistics.median(t_find_num) * 1000
        res, t_imp = timed(lambda: imp.impact(g, node), repeat)
        out[f"{which}_find_ms"] = statistics.median(t_find) * 1000
        out[f"{which}_find_first_ms"] = t_find[0] * 1000
        out[f"{which}_impact_ms"] = statistics.median(t_imp) * 1000
        out[f"{which}_impact_first_ms"] = t_imp[0] * 1000     # the hub's first call builds the traversal index
        out[f"{which}_downstream"] = len(res.downstream)
        out[f"{which}_citing"] = len(res.citing)
    out["rss_gib"] = peak_rss_gib()
    return out


def _find_or_ambiguous(imp, g, ref):
    try:
        return imp.find_ref(g, ref)
    except imp.RefError as e:
        return e.candidates


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


QUERY_TIMEOUT = 300.0


def _queries(g, info: dict, runs: int) -> dict:
    signal.signal(signal.SIGALRM, _alarm)
    from graph_builder import sparql as sp
    out = {}
    for name, b in QUERIES:
        label = name if b != "PROVINCE" else "implementers_province"
        if name == "implementers" and b != "PROVINCE":
            label = "implementers_hub"
        if b == "PROVINCE":       # the provincial plan most plans implement, by IRI (its number is not unique);
            # found once, not timed
            top = sp.run(g, 'SELECT ?p (COUNT(?d) AS ?n) WHERE { ?d pg:implements ?p . ?p pg:level "province" ; '
                            'pg:inCorpus true } GROUP BY ?p ORDER BY DESC(?n) STR(?p) LIMIT 1')
            b = {"ref": str(next(iter(top))[0])}
        binds = b
        text = sp.query_text(name)
        times, n = [], 0
        try:
            for _ in range(runs):
                signal.alarm(int(QUERY_TIMEOUT))
                t = time.perf_counter()
                n = len(list(sp.run(g, text, binds)))
                times.append(time.perf_counter() - t)
                signal.alarm(0)
        except _Timeout:
            if not times:
                out[label] = {"error": f"over {QUERY_TIMEOUT:.0f} s"}
                continue
        out[label] = {"first_s": times[0], "best_s": min(times), "rows": n}
    return out


def measure_rdflib(d: Path, info: dict, runs: int) -> dict:
    from graph_builder import sparql as sp
    g, (t_load,) = timed(lambda: sp.open_store(d, "memory"))
    out = {"load_s": t_load, "triples": len(g), "rss_after_load_gib": peak_rss_gib()}
    out["queries"] = _queries(g, info, runs)
    out["rss_gib"] = peak_rss_gib()
    return out


def measure_oxigraph(d: Path, info: dict, runs: int, fresh: bool) -> dict:
    from graph_builder import sparql as sp
    store_dir = d / "oxigraph"
    if fresh:
        shutil.rmtree(store_dir, ignore_errors=True)
    g, (t_load,) = timed(lambda: sp.open_store(d, "oxigraph", store_dir))
    out = {"load_s" if fresh else "reopen_s": t_load, "triples": len(g), "rss_after_load_gib": peak_rss_gib(),
           "disk_gib": sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file()) / 2**30}
    if not fresh:
        out["queries"] = _queries(g, info, runs)
    out["rss_gib"] = peak_rss_gib()
    return out


def _child(kind: str, d: Path, info: dict, args, mem_limit_gib: float | None = None) -> dict:
    timeout = args.timeout
    cmd = [sys.executable, __file__, "--measure", kind, "--dir", str(d), "--runs", str(args.runs),
           "--repeat", str(args.repeat), "--query-timeout", str(args.query_timeout)]
    if mem_limit_gib:
        cmd += ["--mem-limit-gib", str(mem_limit_gib)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if r.returncode != 0:
        tail = (r.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"exit {r.returncode}: {tail[:200]}"}
    return json.loads(r.stdout.strip().splitlines()[-1])


def _fmt_s(x) -> str:
    return "—" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default=os.environ.get("PLANGRAPH_BENCH_DIR", "/tmp/plangraph-bench"),
                    help="where the generated graphs and stores are kept (reused between runs)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes writing the graph")
    ap.add_argument("--shard", type=int, default=25_000, help="documents per shard when writing")
    ap.add_argument("--stores", default="rdflib,oxigraph")
    ap.add_argument("--rdflib-max-docs", type=int, default=100_000,
                    help="skip rdflib above this size (it needs ≈ 1 KB of memory per triple)")
    ap.add_argument("--impact-max-docs", type=int, default=1_000_000)
    ap.add_argument("--mem-limit-gib", type=float, default=None, help="address-space limit of a measuring process")
    ap.add_argument("--runs", type=int, default=2, help="runs of each SPARQL query (first and best reported)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each impact check (median reported)")
    ap.add_argument("--timeout", type=float, default=1800, help="time limit of one measuring process, seconds")
    ap.add_argument("--query-timeout", type=float, default=300, help="time limit of one SPARQL query, seconds")
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to bench/RESULTS.md")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.measure:                                  # a measuring child process
        global QUERY_TIMEOUT
        QUERY_TIMEOUT = args.query_timeout
        if args.mem_limit_gib:
            lim = int(args.mem_limit_gib * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
        d = Path(args.dir)
        info = json.loads((d / "gen.json").read_text())
        fn = {"impact": lambda: measure_impact(d, info, args.repeat),
              "rdflib": lambda: measure_rdflib(d, info, args.runs),
              "oxigraph-load": lambda: measure_oxigraph(d, info, args.runs, fresh=True),
              "oxigraph": lambda: measure_oxigraph(d, info, args.runs, fresh=False)}[args.measure]
        try:
            res = fn()
        except MemoryError:
            res = {"error": f"out of memory (limit {args.mem_limit_gib} GiB)"}
        print(json.dumps(res))
        return 0

    work = Path(args.work)
    stores = set(args.stores.split(","))
    lines: list[str] = []
    for n in args.docs:
        t = time.perf_counter()
        d, info = generate(n, args.seed, work, args.jobs, args.shard)
        print(f"{n} documents: graph in {d} ({time.perf_counter() - t:.0f} s)", file=sys.stderr, flush=True)
        if args.generate_only:
            continue
        res: dict = {"info": info}
        if n <= args.impact_max_docs:
            res["impact"] = _child("impact", d, info, args, args.mem_limit_gib)
            print(f"  impact: {res['impact']}", file=sys.stderr, flush=True)
        if "oxigraph" in stores:
            res["oxigraph_load"] = _child("oxigraph-load", d, info, args, args.mem_limit_gib)
            print(f"  oxigraph load: {res['oxigraph_load']}", file=sys.stderr, flush=True)
            res["oxigraph"] = _child("oxigraph", d, info, args, args.mem_limit_gib)
            print(f"  oxigraph: {res['oxigraph']}", file=sys.stderr, flush=True)
        if "rdflib" in stores and n <= args.rdflib_max_docs:
            res["rdflib"] = _child("rdflib", d, info, args, args.mem_limit_gib)
            print(f"  rdflib: {res['rdflib']}", file=sys.stderr, flush=True)
        (d / "results.json").write_text(json.dumps(res, indent=1))
        lines += report(res)
    if lines:
        from common import publish
        publish("Query: impact check and saved SPARQL queries (bench/bench_query.py)", lines, args.no_append)
    return 0


def report(res: dict) -> list[str]:
    info = res["info"]
    out = [f"### {info['docs']:,} documents (seed {info['seed']}): {info['nodes']:,} nodes, {info['edges']:,} "
           f"edges, {info['triples']:,} triples; graph.ttl {info['ttl_bytes'] / 2**30:.2f} GiB, graph.json "
           f"{info['json_bytes'] / 2**30:.2f} GiB (generated in {info['seconds']:.0f} s with {info['jobs']} "
           "processes through the project's writers)", ""]
    im = res.get("impact")
    if im and "error" not in im:
        out += ["Impact check (networkx, graph.json loaded once; median of repeated runs; the first calls build "
                "the number index and the traversal index):", "",
                "| | find_ref (first call / then) | impact (first call / then) | downstream | citing |",
                "|---|---|---|---|---|",
                f"| hub {info['hub']} | {im['hub_find_first_ms']:.0f} ms / {im['hub_find_ms']:.2f} ms | "
                f"{im['hub_impact_first_ms']:.0f} ms / {im['hub_impact_ms']:.0f} ms | "
                f"{im['hub_downstream']:,} | {im['hub_citing']:,} |"]
        if "province_impact_ms" in im:
            out.append(f"| province plan {im['province_ref']} (by IRI) | {im['province_find_ms']:.2f} ms | "
                       f"{im['province_impact_ms']:.2f} ms | {im['province_downstream']:,} | "
                       f"{im['province_citing']:,} |")
        out += [f"| leaf {info['leaf']} (by IRI; by number {im['leaf_find_by_number_ms']:.0f} ms) | "
                f"{im['leaf_find_ms']:.2f} ms | {im['leaf_impact_ms']:.2f} ms | {im['leaf_downstream']:,} | "
                f"{im['leaf_citing']:,} |", "",
                f"graph.json → networkx: {im['load_s']:.1f} s, peak RSS {im['rss_gib']:.2f} GiB.", ""]
    elif im:
        out += [f"Impact check: {im['error']}", ""]
    rd, ol, ox = res.get("rdflib"), res.get("oxigraph_load"), res.get("oxigraph")
    if not (rd or ol or ox):
        return out
    out += ["SPARQL (time to the last row; first run / best of the runs):", "",
            "| | rdflib (memory) | Oxigraph (on disk) | rdflib / Oxigraph |", "|---|---|---|---|"]

    def cell(r, key):
        if not r:
            return "not run"
        if "error" in r:
            return r["error"]
        return key(r)
    out.append(f"| load graph.ttl | {cell(rd, lambda r: _fmt_s(r['load_s']))} | "
               f"{cell(ol, lambda r: _fmt_s(r['load_s']) + ' (first: bulk load)')}; "
               f"{cell(ox, lambda r: _fmt_s(r['reopen_s']) + ' (reopen)')} | "
               f"{_ratio(rd, ol, 'load_s', 'load_s')} |")
    names = [k for k in ((ox or {}).get("queries") or (rd or {}).get("queries") or {})]
    for q in names:
        a = (rd or {}).get("queries", {}).get(q)
        b = (ox or {}).get("queries", {}).get(q)
        def q_cell(x, whole):
            if not x:
                return cell(whole, lambda r: "—")
            if "error" in x:
                return x["error"]
            return f"{_fmt_s(x['first_s'])} / {_fmt_s(x['best_s'])} ({x['rows']:,} rows)"
        fa, fb = q_cell(a, rd), q_cell(b, ox)
        out.append(f"| {q} | {fa} | {fb} | {_ratio(a, b, 'best_s', 'best_s')} |")
    def gib(key):
        return lambda r: f"{r[key]:.2f} GiB"
    out.append(f"| peak RSS | {cell(rd, gib('rss_gib'))} | {cell(ox, gib('rss_gib'))} (bulk load "
               f"{cell(ol, gib('rss_gib'))}; store on disk {cell(ol, gib('disk_gib'))}) | |")
    out.append("")
    return out


def _ratio(a, b, ka, kb) -> str:
    if not a or not b or "error" in a or "error" in b or not b.get(kb):
        return "—"
    return f"{a[ka] / b[kb]:.1f}×"


if __name__ == "__main__":
    sys.exit(main())
