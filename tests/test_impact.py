"""Impact check, stale bases, SPARQL (saved queries) and the read-only endpoint, on the seeds."""
import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import CORPUS, ROOT, build_seeds_with
from graph_builder import impact as imp
from graph_builder import refs
from graph_builder import sparql as sp
from graph_builder.build import build
from graph_builder.export import load_node_link
from graph_builder.textfold import fold


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("impact")
    build(CORPUS, out, jobs=1)
    return out


@pytest.fixture(scope="module")
def g(out):
    return load_node_link(out / "graph.json")


def files(g, items):
    return sorted(g.nodes[i.node]["path"].rsplit("/", 1)[-1][:3] for i in items)


@pytest.mark.parametrize("ref,expected", [("76/NQ-CP", ["000", "001"]), ("105/KH-UBND", ["004"]),
                                          ("249/KH-UBND", ["000", "001"])])
def test_seed_impacts(g, ref, expected):
    r = imp.impact(g, imp.find_ref(g, ref))
    assert files(g, r.downstream) == expected
    for i in r.downstream:
        assert i.depth == 1 and i.path[0].target == r.ref and i.path[0].evidence


@pytest.mark.parametrize("loose", ["76 NQ CP", "nq 76/2021", "76/nq-cp", "Nghị quyết 76"])
def test_loose_refs(g, loose):
    assert g.nodes[imp.find_ref(g, loose)]["number"] == "76/NQ-CP"


def test_ambiguous_and_unknown_refs(g):
    with pytest.raises(imp.RefError) as e:
        imp.find_ref(g, "60")
    assert len(e.value.candidates) == 2
    with pytest.raises(imp.RefError):
        imp.find_ref(g, "999/QĐ-XYZ")


def test_transitive_chain_depth_and_path(g):
    # 226/KH-UBND implements 49-NQ/TU (stated in 001), and 001 implements 226: 001 is at depth 2 under 49-NQ/TU
    r = imp.impact(g, imp.find_ref(g, "49-NQ/TU"))
    by = {g.nodes[i.node]["number"] or g.nodes[i.node]["path"][-30:]: i for i in r.downstream}
    assert by["226/KH-UBND"].depth == 1 and by["226/KH-UBND"].path[0].third_party
    deep = [i for i in r.downstream if g.nodes[i.node]["path"].endswith("001_999aac10fbc91e92.txt")]
    assert deep and deep[0].depth == 2 and [h.relation for h in deep[0].path] == ["implements", "implements"]


def test_successor_and_citing(g):
    r = imp.impact(g, imp.find_ref(g, "61/2018/NĐ-CP"))
    assert [(g.nodes[s]["number"], rel) for s, rel, _ in r.successors] == [("107/2021/NĐ-CP", "amends")]
    assert files(g, r.citing) == ["001"] and not r.downstream


def test_as_of_excludes_later_documents(g):
    r = imp.impact(g, imp.find_ref(g, "76/NQ-CP"), as_of="2022-12-31")
    assert files(g, r.downstream) == ["001"]          # 000 is dated 2023-01-04; 001 has no date: kept


def _reference_impact(g, ref, as_of=None):
    """impact() as first written: a FIFO queue over IRIs, a set of those seen, the answers sorted by a tuple."""
    from collections import deque
    ok = lambda n: imp._date_ok(g.nodes[n], as_of)                                   # noqa: E731
    seen, queue, down, citing, succ = {ref}, deque([(ref, 1, [])]), [], [], []
    while queue:
        node, depth, path = queue.popleft()
        for u, keyed in sorted(g._pred[node].items()):
            for k in sorted(keyed):
                d = keyed[k]
                if d["relation"] in imp.STRONG and u not in seen and ok(u):
                    seen.add(u)
                    hops = [(u, node, d["relation"]), *path]
                    down.append((u, depth, hops))
                    queue.append((u, depth + 1, hops))
    for u, keyed in sorted(g._pred[ref].items()):
        for k in sorted(keyed):
            d = keyed[k]
            if d["relation"] == "cites" and u not in seen and ok(u):
                seen.add(u)
                citing.append(u)
            elif d["relation"] in imp.CHANGES and ok(u):
                succ.append((u, d["relation"]))
    key = lambda n: (g.nodes[n].get("date") or "9999", g.nodes[n].get("label", ""), n)   # noqa: E731
    down.sort(key=lambda t: (t[1], *key(t[0])))
    return down, sorted(citing, key=key), succ


def _random_graph(seed: int, n: int = 400):
    import random
    import networkx as nx
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(n):
        date = rnd.choice([None, f"20{rnd.randint(18, 24)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"])
        g.add_node(f"d{i:04d}", label=rnd.choice(["Kế hoạch", "Nghị quyết", "Quyết định"]) + f" {rnd.randint(1, 50)}",
                   **({"date": date} if date else {}))
    rels = [*imp.STRONG, *imp.STRONG, "cites", *imp.CHANGES]
    for _ in range(n * 4):
        u, v = rnd.sample(range(n), 2)
        if rnd.random() < 0.8:                      # mostly from later (higher) documents to earlier ones
            u, v = max(u, v), min(u, v)
        rel = rnd.choice(rels)
        g.add_edge(f"d{u:04d}", f"d{v:04d}", key=rel, relation=rel,
                   mentions=[{"evidence": f"{u} {rel} {v}", "file": f"f{u}"}])
    return g


@pytest.mark.parametrize("ranked_above", [0, 10**9])
@pytest.mark.parametrize("as_of", [None, "2021", "2022-05"])
def test_traversal_matches_the_reference(monkeypatch, ranked_above, as_of):
    """The integer traversal and both ways of ordering (by the graph's rank, by a tuple) give what a plain
    breadth-first search over IRIs gives: the same documents, depths, chains and order."""
    monkeypatch.setattr(imp, "RANKED_ABOVE", ranked_above)
    monkeypatch.setattr(imp.Reached, "SCAN_UP_TO", 32 if ranked_above else 0)   # the edge taken: scanned / by dict
    for seed in (1, 2, 3):
        g = _random_graph(seed)
        hubs = sorted(g, key=lambda n: (-len(g._pred[n]), n))[:3]
        for ref in [*hubs, "d0399"]:                # three hubs, and a late document with little below it
            r = imp.impact(g, ref, as_of=as_of)
            down, citing, succ = _reference_impact(g, ref, as_of)
            assert len(r.downstream) == len(down) and (down or ref not in hubs)
            got = [(i.node, i.depth, [(h.source, h.target, h.relation) for h in i.path]) for i in r.downstream]
            assert got == down
            assert [i.node for i in r.citing] == citing
            assert [(u, rel) for u, rel, _h in r.successors] == succ
            assert [i.node for i in r.downstream[1:3]] == [t[0] for t in down[1:3]]
            if down:
                assert r.downstream[-1].node == down[-1][0] and r.downstream[0].up is None


def _reference_stale(g):
    """stale_bases as first written: every node in IRI order, its in-edges through networkx's views."""
    out = []
    for basis in sorted(g.nodes):
        changes = [(u, d) for u, _v, d in g.in_edges(basis, data=True) if d["relation"] in imp.CHANGES]
        if not changes:
            continue
        relying = {}
        for doc, _b, d in g.in_edges(basis, data=True):
            if g.nodes[doc].get("in_corpus") and d["relation"] not in imp.CHANGES and not d.get("third_party"):
                relying.setdefault(doc, []).append(d)
        for doc in sorted(relying):
            for succ, cd in sorted(changes, key=lambda t: (t[0], t[1]["relation"])):
                if succ != doc:
                    rels = sorted(relying[doc], key=lambda d: imp._RELATION_ORDER.index(d["relation"]))
                    out.append((doc, basis, tuple(dict.fromkeys(d["relation"] for d in rels)), cd["relation"], succ,
                                tuple(sorted(m["evidence"] for d in rels for m in d["mentions"]))))
    return sorted(set(out))


def test_stale_bases_match_the_reference():
    """The one-pass stale_bases gives what the plain one over networkx's edge views gives."""
    import random
    for seed in (1, 2, 3):
        g = _random_graph(seed)
        rnd = random.Random(seed)
        for n in g:
            g.nodes[n]["in_corpus"] = rnd.random() < 0.7
        for _u, _v, d in g.edges(data=True):
            d["third_party"] = rnd.random() < 0.1
            if rnd.random() < 0.3:
                d["mentions"] = d["mentions"] + [{"evidence": "again " + d["mentions"][0]["evidence"], "file": "x"}]
        got = [(s.document, s.basis, s.relations, s.change, s.successor,
                tuple(sorted(h.evidence for h in s.citing))) for s in imp.stale_bases(g)]
        want = _reference_stale(g)
        assert len(want) > 20 and got == want


def test_prepare_makes_the_indexes_and_changes_no_answer(g, monkeypatch):
    monkeypatch.setattr(imp, "RANKED_ABOVE", 0)          # every answer sorted by the rank
    before = [(i.node, i.depth) for i in imp.impact(g, imp.find_ref(g, "49-NQ/TU")).downstream]
    imp._INDEX.pop(g, None)
    imp.prepare(g)
    assert imp._INDEX[g]._rank is not None and refs._INDEX.get(g) is not None
    assert [(i.node, i.depth) for i in imp.impact(g, imp.find_ref(g, "49-NQ/TU")).downstream] == before


def test_cli_impact_json_and_ambiguity(out):
    r = subprocess.run([sys.executable, "-m", "graph_builder", "impact", "76/NQ-CP", "--graph", str(out),
                        "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    d = data["downstream"][0]
    assert {"iri", "number", "title", "issuer", "level", "file", "depth", "path"} <= set(d)
    assert {x["file"].rsplit("/", 1)[-1][:3] for x in data["downstream"]} == {"000", "001"}
    amb = subprocess.run([sys.executable, "-m", "graph_builder", "impact", "60", "--graph", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert amb.returncode == 2 and "60/KH-UBND" in amb.stderr and "60-NQ/TU" in amb.stderr
    md = subprocess.run([sys.executable, "-m", "graph_builder", "impact", "105/KH-UBND", "--graph", str(out),
                         "--format", "md"], capture_output=True, text=True, cwd=ROOT)
    assert md.stdout.startswith("# Tác động khi Kế hoạch 105/KH-UBND thay đổi") and "UBND huyện Bắc Sơn" in md.stdout


def test_check_reports_stale_basis(g, out):
    stale = imp.stale_bases(g)
    assert [(g.nodes[s.basis]["number"], s.change, g.nodes[s.successor]["number"]) for s in stale] == \
        [("61/2018/NĐ-CP", "amends", "107/2021/NĐ-CP")]
    assert g.nodes[stale[0].document]["path"].endswith("001_999aac10fbc91e92.txt")
    r = subprocess.run([sys.executable, "-m", "graph_builder", "check", "--graph", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert "61/2018/NĐ-CP" in r.stdout and "Đề nghị:" in r.stdout
    assert "Kế hoạch 251/KH-UBND" in r.stdout.split("Trích dẫn chưa xác định", 1)[1]


# ---- SPARQL ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rdf(out):
    return sp.load_graph(out)


def rows(res):
    return [[None if v is None else str(v) for v in r] for r in res]


def test_saved_queries_are_documented():
    saved = dict(sp.describe_saved())
    assert {"implementers", "by_issuer_level_year", "replaced_still_cited", "unresolved", "most_cited",
            "plan_hierarchy"} <= set(saved)
    assert all(len(doc) > 30 for doc in saved.values())


def test_query_implementers(rdf):
    got = rows(sp.run(rdf, sp.query_text("implementers"), {"ref": "76/NQ-CP"}))
    assert sorted(r[1] or "" for r in got) == ["", "02/KH-UBND"] and len(got) == 2
    # transitive: under 49-NQ/TU come 226/KH-UBND and, through it, seed 001
    got = rows(sp.run(rdf, sp.query_text("implementers"), {"ref": "49-NQ/TU"}))
    assert len(got) == 2 and "226/KH-UBND" in {r[1] for r in got}


def test_query_by_issuer_level_year(rdf):
    got = rows(sp.run(rdf, sp.query_text("by_issuer_level_year")))
    commune = [r for r in got if r[0] == "commune"]
    assert any("Tú Xuyên" in r[1] and r[2] == "UBND" and r[4] == "1" and r[5] == "1" for r in commune)


def test_query_replaced_still_cited(rdf):
    got = rows(sp.run(rdf, sp.query_text("replaced_still_cited")))
    assert {(r[1], r[3]) for r in got} == {("61/2018/NĐ-CP", "107/2021/NĐ-CP")}


def test_query_unresolved(rdf):
    got = rows(sp.run(rdf, sp.query_text("unresolved")))
    assert {r[1] for r in got} == {"251/KH-UBND", "3248/QĐ-UBND", "170/KH-UBND"}
    assert all(r[4].endswith("003_381347ef6fb73c27.txt") for r in got)


def test_query_most_cited(rdf):
    got = rows(sp.run(rdf, sp.query_text("most_cited")))
    top = {r[1]: int(r[2]) for r in got[:5]}
    assert top["Nghị quyết 76/NQ-CP"] == 2 and top["Nghị quyết 60-NQ/TU"] == 2


def test_query_plan_hierarchy(rdf):
    got = rows(sp.run(rdf, sp.query_text("plan_hierarchy"), {"province": "Lạng Sơn"}))
    levels = [r[0] for r in got]
    assert levels == sorted(levels, key=["province", "district", "commune"].index)
    assert ("district", "Kế hoạch 105/KH-UBND") in {(r[0], r[5]) for r in got}
    assert any(r[0] == "commune" and r[5] == "Kế hoạch 12/KH-UBND" and r[3].endswith("replaces") for r in got)


def test_cli_sparql_formats(out):
    q = 'SELECT ?n WHERE { ?d eli:id_local ?n FILTER(STRSTARTS(?n, "76/")) }'
    for fmt, check in (("csv", lambda s: s.splitlines() == ["n", "76/NQ-CP"]),
                       ("json", lambda s: json.loads(s)["results"]["bindings"][0]["n"]["value"] == "76/NQ-CP"),
                       ("table", lambda s: "76/NQ-CP" in s and "(1 row)" in s)):
        r = subprocess.run([sys.executable, "-m", "graph_builder", "sparql", q, "--graph", str(out), "--format", fmt],
                           capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0 and check(r.stdout), (fmt, r.stdout, r.stderr)
    bad = subprocess.run([sys.executable, "-m", "graph_builder", "sparql", "SELEC nonsense", "--graph", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "query failed" in bad.stderr


# ---- the endpoint, over real HTTP --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def endpoint(out):
    from graph_builder.serve import make_server
    server = make_server(out, "127.0.0.1", 0, timeout=2.0)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    server.runner.close()


def http(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode("utf-8")


Q = 'SELECT ?d WHERE { ?d eli:based_on ?p . ?p eli:id_local "76/NQ-CP" }'


def test_endpoint_get_post_and_negotiation(endpoint):
    status, ctype, body = http(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": Q}))
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    assert len(json.loads(body)["results"]["bindings"]) == 1
    status, ctype, body = http(f"{endpoint}/sparql", Q.encode(), {"Content-Type": "application/sparql-query",
                                                                  "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv") and body.splitlines()[0] == "d"
    status, ctype, body = http(f"{endpoint}/sparql", urllib.parse.urlencode({"query": Q}).encode(),
                               {"Content-Type": "application/x-www-form-urlencoded",
                                "Accept": "application/sparql-results+xml"})
    assert status == 200 and "<sparql" in body
    cq = 'CONSTRUCT { ?d eli:id_local ?n } WHERE { ?d eli:id_local ?n FILTER(?n = "12/KH-UBND") }'
    status, ctype, body = http(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": cq}))
    assert status == 200 and ctype.startswith("text/turtle") and "12/KH-UBND" in body


def test_endpoint_refuses_updates_and_bad_queries(endpoint):
    upd = "INSERT DATA { <http://x> <http://y> <http://z> }"
    assert http(f"{endpoint}/sparql", upd.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    assert http(f"{endpoint}/sparql", urllib.parse.urlencode({"update": upd}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    status, _, body = http(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": upd}))
    assert status == 400 and "malformed" in body
    assert http(f"{endpoint}/sparql")[0] == 400
    assert http(f"{endpoint}/sparql", b"x", {"Content-Type": "text/plain"}, method="PUT")[0] == 405
    # a graph-sized cartesian product runs over the time limit: stopped, answered 503, and the endpoint goes on
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, body = http(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": slow}))
    assert status == 503 and "time limit" in body
    assert http(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": Q}))[0] == 200


# ---- what the users read: impact and check in Vietnamese (and English), every format ----------------------------
XSS_FILE = "<img src=x onerror=alert(5)>.txt"
XSS_DOC = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
Số: 99/KH-UBND
Lạng Sơn, ngày 10 tháng 3 năm 2024

KẾ HOẠCH
<script>alert(1)</script> *đậm* [liên kết](http://x) | cột

Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách \
hành chính nhà nước giai đoạn 2021-2030 <b onmouseover="alert(6)">đậm</b>;
UBND tỉnh ban hành Kế hoạch thực hiện như sau:
"""


@pytest.fixture(scope="module")
def xss_out(tmp_path_factory):
    """The seeds plus a plan whose title, evidence sentence and file name carry HTML and Markdown."""
    out, _report = build_seeds_with(tmp_path_factory, XSS_FILE, XSS_DOC)
    return out


def plangraph(capsys, *args):
    from graph_builder import cli
    code = cli.main([str(a) for a in args])
    o = capsys.readouterr()
    return code, o.out, o.err


def test_impact_text_is_vietnamese_and_names_each_document(g, out, capsys):
    code, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", out)
    assert code == 0
    issuer = {n[:3]: d["issuer"] for d in g.nodes.values() if (n := d.get("path", "").rsplit("/", 1)[-1])}
    assert "lang son" in fold(issuer["000"]).lower() and "tu xuyen" in fold(issuer["001"]).lower()
    assert f"Cơ quan phải rà soát: {issuer['000']}\n" in text and f"Cơ quan phải rà soát: {issuer['001']}\n" in text
    assert text.startswith("Tác động khi Nghị quyết 76/NQ-CP thay đổi")
    assert "Văn bản phải rà soát (2)" in text and "Must be reviewed" not in text
    # 000: số hiệu, trích yếu, date, who must act, level, source file, the evidence sentence of the hop
    for part in ("Kế hoạch 02/KH-UBND — CẢI CÁCH HÀNH CHÍNH TỈNH LẠNG SƠN NĂM 2023", "Số hiệu: 02/KH-UBND",
                 "Ngày ban hành: 04/01/2023", "Cấp: cấp tỉnh",
                 "000_3a9a00171e20e154.txt\n", "Kế hoạch 02/KH-UBND thực hiện Nghị quyết 76/NQ-CP",
                 "“Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ"):
        assert part in text, part
    # 001 has no number and no date: said in words
    for part in ("Kế hoạch (không số) — Cải cách hành chính xã Tú Xuyên năm 2023", "Số hiệu: không số",
                 "Ngày ban hành: chưa rõ ngày", "Cơ quan phải rà soát: UBND xã Tú Xuyên", "Cấp: cấp xã",
                 "001_999aac10fbc91e92.txt\n"):
        assert part in text, part
    assert len(re.findall(r"^   Tệp nguồn: \S*00[01]_\w+\.txt$", text, re.M)) == 2
    assert "(?)" not in text


def test_impact_titles_are_whole_and_partial_dates_read(out, capsys):
    code, text, _ = plangraph(capsys, "impact", "105/KH-UBND", "--graph", out)
    assert code == 0
    title = "Triển khai thực hiện góp phần nâng cao Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI) " \
            "của tỉnh Lạng Sơn năm 2024"
    assert f"Kế hoạch (không số) — {title}" in text
    assert not re.search(r"quản trị và hàn(?!h)", text)                 # no label cut inside a word
    assert "Ngày ban hành: tháng 05/2024" in text and "Cấp: cấp huyện" in text


def test_impact_in_english(out, capsys):
    code, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", out, "--lang", "en")
    assert code == 0 and text.startswith("Impact of a change to Resolution 76/NQ-CP")
    for part in ("Must be reviewed (2)", "Plan 02/KH-UBND implements Resolution 76/NQ-CP", "Date: 2023-01-04",
                 "Plan (no number) — Cải cách hành chính xã Tú Xuyên năm 2023", "Date: not known",
                 "Issuer (must act): UBND xã Tú Xuyên", "Level: commune", "Merely cite it (0)"):
        assert part in text, part
    assert "không số" not in text and "chưa rõ" not in text


def test_third_party_hops_are_marked(out, capsys):
    _, vi, _ = plangraph(capsys, "impact", "49-NQ/TU", "--graph", out)
    _, en, _ = plangraph(capsys, "impact", "49-NQ/TU", "--graph", out, "--lang", "en")
    block = vi.split("Kế hoạch 226/KH-UBND thực hiện Nghị quyết 49-NQ/TU", 1)[1].split("\n\n", 1)[0]
    assert "do văn bản khác nêu" in block and "001_999aac10fbc91e92.txt" in block
    assert "Tệp nguồn: không có trong kho (chỉ được dẫn chiếu)" in vi
    assert "stated by another document" in en and "not in the corpus (only cited)" in en
    assert "Mức: 2 (qua 1 văn bản trung gian)" in vi and "Depth: 2 (through 1 other document)" in en


def test_successor_sentence(out, capsys):
    _, vi, _ = plangraph(capsys, "impact", "61/2018/NĐ-CP", "--graph", out)
    _, en, _ = plangraph(capsys, "impact", "61/2018/NĐ-CP", "--graph", out, "--lang", "en")
    assert "Nghị định 61/2018/NĐ-CP bị sửa đổi, bổ sung bởi Nghị định 107/2021/NĐ-CP" in vi
    assert "Decree 61/2018/NĐ-CP was amended by Decree 107/2021/NĐ-CP" in en
    assert "amends by" not in en + vi
    assert "sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP" in vi       # where it is stated


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_ambiguous_ref_lists_each_candidate_once(g, out, capsys, lang):
    code, text, err = plangraph(capsys, "impact", "60", "--graph", out, "--lang", lang)
    assert code == 2 and text == ""
    cands = refs.find_nodes(g, "60")
    assert len(cands) == 2 and all(err.count(c) == 1 for c in cands), err


def test_ref_errors_in_json(g, out, capsys):
    code, text, _ = plangraph(capsys, "impact", "60", "--graph", out, "--format", "json")
    data = json.loads(text)
    assert code == 2 and data["error"] == "ambiguous" and data["ref"] == "60"
    assert sorted(c["iri"] for c in data["candidates"]) == refs.find_nodes(g, "60")
    assert {c["number"] for c in data["candidates"]} == {"60-NQ/TU", "60/KH-UBND"}
    code, text, _ = plangraph(capsys, "impact", "76/NQ-C", "--graph", out, "--format", "json")
    data = json.loads(text)
    assert code == 2 and data["error"] == "not_found" and data["suggestions"] == ["76/NQ-CP"]


def test_several_refs_in_one_call(out, capsys):
    code, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "105/KH-UBND", "--graph", out, "--format", "json")
    lines = [json.loads(x) for x in text.splitlines()]
    assert code == 0 and [x["ref"]["number"] for x in lines] == ["76/NQ-CP", "105/KH-UBND"]
    assert [len(x["downstream"]) for x in lines] == [2, 1]
    code, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "60", "249/KH-UBND", "--graph", out, "--format", "json")
    lines = [json.loads(x) for x in text.splitlines()]
    assert code == 2 and [x.get("error") for x in lines] == [None, "ambiguous", None]
    code, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "105/KH-UBND", "--graph", out)
    assert code == 0 and "Tác động khi Nghị quyết 76/NQ-CP" in text and "Tác động khi Kế hoạch 105/KH-UBND" in text


@pytest.mark.parametrize("typed, iso", [("2022", "2022"), ("2022-12", "2022-12"), ("2022-12-31", "2022-12-31"),
                                        ("31/12/2022", "2022-12-31"), ("1/2/2022", "2022-02-01"),
                                        ("12/2022", "2022-12"), (" 2022-01-05 ", "2022-01-05")])
def test_as_of_dates_accepted(typed, iso):
    assert imp.parse_as_of(typed) == iso


@pytest.mark.parametrize("typed", ["bad", "", "2022-13", "2022-02-30", "31/02/2022", "22", "2022/12/31",
                                   "2022-1-5x", "99999"])
def test_as_of_dates_refused(out, capsys, typed):
    with pytest.raises(ValueError):
        imp.parse_as_of(typed)
    with pytest.raises(SystemExit) as e:
        plangraph(capsys, "impact", "76/NQ-CP", "--graph", out, "--as-of", typed)
    assert e.value.code == 2 and "--as-of" in capsys.readouterr().err


def test_as_of_in_the_cli(out, capsys):
    code, a, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", out, "--as-of", "31/12/2022", "--format", "json")
    code2, b, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", out, "--as-of", "2022-12-31", "--format", "json")
    assert code == code2 == 0 and a == b and json.loads(a)["as_of"] == "2022-12-31"
    assert [d["file"].rsplit("/", 1)[-1][:3] for d in json.loads(a)["downstream"]] == ["001"]
    _, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", out, "--as-of", "31/12/2022")
    assert "Tính đến ngày 31/12/2022" in text and "Lưu ý" not in text
    for typed, said in (("2020", "Tính đến năm 2020:"), ("01/2023", "Tính đến tháng 01/2023:")):
        _, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", out, "--as-of", typed)
        assert said in text and "ngày năm" not in text and "ngày tháng" not in text
    # REF itself issued after the date asked for: said, not silently answered
    _, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", out, "--as-of", "2020")
    assert "Lưu ý: văn bản này ban hành (15/07/2021) sau thời điểm năm 2020." in text
    _, text, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", out, "--as-of", "2020", "--lang", "en")
    assert "Note: this document itself is dated 2021-07-15, after 2020." in text


def test_markdown_is_escaped(xss_out, capsys):
    code, md, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", xss_out, "--format", "md")
    assert code == 0 and md.startswith("# Tác động khi Nghị quyết 76/NQ-CP thay đổi")
    for raw in ("<img", "<script", "<b ", "[liên kết](", "*đậm*"):
        assert raw not in md, raw
    assert "&lt;img src=x onerror=alert(5)&gt;.txt" in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert r"\*đậm\*" in md and r"\[liên kết\]" in md and r"\| cột" in md


def test_html_is_a_page_with_a_table_per_section(xss_out, capsys):
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.rows, self.text = [], {}, []
            self.table = None

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            a = dict(attrs)
            if tag == "table":
                self.table = a.get("data-section")
                self.rows[self.table] = 0
            if tag == "tr" and self.table:
                self.rows[self.table] += 1

        def handle_data(self, data):
            self.text.append(data)

    code, page, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", xss_out, "--format", "html")
    assert code == 0 and page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    p = Tags()
    p.feed(page)
    assert {"img", "script", "b"}.isdisjoint(p.tags)                   # the payloads are text
    assert "pre" not in p.tags and p.tags.count("h2") >= 2
    assert p.rows == {"downstream": 1 + 3}           # a header row and one per document; no empty table
    assert "Văn bản chỉ dẫn chiếu (0)" in "".join(p.text) and "Không có." in "".join(p.text)
    text = "".join(p.text)
    assert XSS_FILE in text and "<script>alert(1)</script>" in text
    assert "Cơ quan phải rà soát" in text and "CẢI CÁCH HÀNH CHÍNH TỈNH LẠNG SƠN NĂM 2023" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    _, en, _ = plangraph(capsys, "impact", "76/NQ-CP", "--graph", xss_out, "--format", "html", "--lang", "en")
    assert '<html lang="en">' in en and "Must be reviewed" in en


def test_check_explains_the_change_and_what_to_do(out, capsys):
    code, text, _ = plangraph(capsys, "check", "--graph", out)
    assert code == 0
    block = text.split("Văn bản có căn cứ đã thay đổi (1)", 1)[1].split("Trích dẫn chưa xác định", 1)[0]
    for part in ("Kế hoạch (không số) — Cải cách hành chính xã Tú Xuyên năm 2023",
                 "001_999aac10fbc91e92.txt\n",
                 "Nghị định 61/2018/NĐ-CP bị sửa đổi, bổ sung bởi Nghị định 107/2021/NĐ-CP",
                 "“Nghị định 61/2018/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định 107/2021/NĐ-CP”",
                 # the plan's own sentence where it relies on the old decree, then where the change is stated
                 "theo đúng quy định tại Nghị định số 61/2018/NĐ-CP.",
                 "sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP"):
        assert part in block, part
    own = block.index("theo đúng quy định tại Nghị định số 61/2018/NĐ-CP.")
    stated = block.index("sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP")
    assert own < stated and "refer to" not in text and "as amended" not in text
    unresolved = text.split("Trích dẫn chưa xác định", 1)[1]
    assert "Kế hoạch 251/KH-UBND" in unresolved and "003_381347ef6fb73c27.txt" in unresolved
    assert "003-381347ef6fb73c27-eb59bd" not in text and "province not named" not in text


def test_check_in_english_and_json(out, capsys):
    _, en, _ = plangraph(capsys, "check", "--graph", out, "--lang", "en")
    assert "Decree 61/2018/NĐ-CP was amended by Decree 107/2021/NĐ-CP" in en
    assert "“Decree 61/2018/NĐ-CP, as amended by Decree 107/2021/NĐ-CP”" in en and "refer to" not in en
    assert "Unresolved references (3)" in en and "003_381347ef6fb73c27.txt" in en
    code, text, _ = plangraph(capsys, "check", "--graph", out, "--format", "json")
    data = json.loads(text)
    s, = data["stale_bases"]
    assert (s["basis_number"], s["change"], s["successor_number"]) == ("61/2018/NĐ-CP", "amends", "107/2021/NĐ-CP")
    assert s["file"].endswith("001_999aac10fbc91e92.txt") and s["relations"] == ["cites"]
    assert any("theo đúng quy định tại Nghị định số 61/2018/NĐ-CP" in c["evidence"] and
               c["file"] == s["file"] for c in s["citing"])
    assert "61/2018/NĐ-CP" in s["change_evidence"] and s["stated_in"] == s["file"]
    assert "107/2021/NĐ-CP" in s["suggestion"]
    assert {u["number"]: [f.rsplit("/", 1)[-1] for f in u["files"]] for u in data["unresolved"]} == {
        n: ["003_381347ef6fb73c27.txt"] for n in ("170/KH-UBND", "251/KH-UBND", "3248/QĐ-UBND")}


def test_a_news_article_is_named_as_such(g):
    g = g.copy()
    news = [n for n, d in g.nodes(data=True) if d.get("path", "").endswith("003_381347ef6fb73c27.txt")]
    g.nodes[news[0]]["kind"] = "news"                 # an article about a plan (seed 003 is one)
    for lang, word in (("vi", "Tin bài"), ("en", "News article")):
        w = imp.Words(g, lang)
        assert all(w.name(n) == word and w.short(n).startswith(f"{word} “") for n in news)


def test_unresolved_lists_references_not_uncited_corpus_files(g):
    listed = {u.node for u in imp.unresolved_refs(g)}
    news = [n for n, d in g.nodes(data=True) if d.get("path", "").startswith("003_")]
    assert news and g.nodes[news[0]]["status"] != "resolved"      # the article's own place is unknown …
    assert news[0] not in listed                                    # … but it is no reference
    assert {g.nodes[n].get("number") for n in listed} == {"251/KH-UBND", "3248/QĐ-UBND", "170/KH-UBND"}


# ---- a suspension: the plans relying on a suspended document are to be reviewed ---------------------------------
SUSPENDED_PLAN = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
Số: 31/KH-UBND
Lạng Sơn, ngày 10 tháng 3 năm 2026

KẾ HOẠCH
Kiểm tra an toàn thực phẩm năm 2026

Căn cứ Nghị định số 46/2026/NĐ-CP ngày 26 tháng 01 năm 2026 của Chính phủ quy định chi tiết thi hành một số điều \
của Luật An toàn thực phẩm;
UBND tỉnh ban hành Kế hoạch kiểm tra an toàn thực phẩm năm 2026 như sau:
"""
SUSPENDING = """CHÍNH PHỦ
Số: 15/2026/NQ-CP
Hà Nội, ngày 05 tháng 3 năm 2026

NGHỊ QUYẾT
Tạm ngưng hiệu lực Nghị định số 46/2026/NĐ-CP ngày 26 tháng 01 năm 2026 của Chính phủ

Chính phủ ban hành Nghị quyết tạm ngưng hiệu lực Nghị định số 46/2026/NĐ-CP ngày 26 tháng 01 năm 2026 \
của Chính phủ quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm.
"""


@pytest.fixture(scope="module")
def suspended(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("suspension")
    (corpus / "kh-31.txt").write_text(SUSPENDED_PLAN, encoding="utf-8")
    (corpus / "nq-15.txt").write_text(SUSPENDING, encoding="utf-8")
    out = tmp_path_factory.mktemp("suspension-out")
    build(corpus, out, jobs=1)
    return out


def test_a_suspension_is_a_change_the_check_and_the_impact_report(suspended, capsys):
    g = load_node_link(suspended / "graph.json")
    edges = {(g.nodes[u].get("number"), d["relation"], g.nodes[v].get("number")) for u, v, d in g.edges(data=True)}
    assert ("15/2026/NQ-CP", "suspends", "46/2026/NĐ-CP") in edges
    assert ("31/KH-UBND", "based_on", "46/2026/NĐ-CP") in edges
    s, = imp.stale_bases(g)
    assert (g.nodes[s.document]["number"], s.change, g.nodes[s.successor]["number"]) == \
        ("31/KH-UBND", "suspends", "15/2026/NQ-CP")
    _, text, _ = plangraph(capsys, "check", "--graph", suspended)
    assert "Nghị định 46/2026/NĐ-CP bị tạm ngưng hiệu lực bởi Nghị quyết 15/2026/NQ-CP" in text
    assert "đã bị tạm ngưng hiệu lực bởi Nghị quyết 15/2026/NQ-CP" in text and "Căn cứ Nghị định số 46/2026" in text
    _, en, _ = plangraph(capsys, "check", "--graph", suspended, "--lang", "en")
    assert "Decree 46/2026/NĐ-CP was suspended by Resolution 15/2026/NQ-CP" in en
    _, text, _ = plangraph(capsys, "impact", "46/2026/NĐ-CP", "--graph", suspended)
    assert "Văn bản phải rà soát (1)" in text and "31/KH-UBND" in text
    assert "bị tạm ngưng hiệu lực bởi Nghị quyết 15/2026/NQ-CP" in text.split("Văn bản phải rà soát", 1)[0]
    # RDF: pg:suspends, with the ELI super-property materialised; the stale-basis query follows it
    rdf = sp.load_graph(suspended)
    ask = ("ASK { ?s pg:suspends ?d ; eli:changes ?d . ?s eli:id_local '15/2026/NQ-CP' . "
           "?d eli:id_local '46/2026/NĐ-CP' }")
    assert rdf.query(sp.with_prologue(ask)).askAnswer
    got = rows(sp.run(rdf, sp.query_text("replaced_still_cited")))
    assert {(r[1], r[2].rsplit("#", 1)[-1], r[3]) for r in got} == {("46/2026/NĐ-CP", "suspends", "15/2026/NQ-CP")}
