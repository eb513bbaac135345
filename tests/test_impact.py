"""Impact check, stale bases, SPARQL (saved queries) and the read-only endpoint, on the seeds."""
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import CORPUS, ROOT
from graph_builder import impact as imp
from graph_builder import sparql as sp
from graph_builder.build import build
from graph_builder.export import load_node_link


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
    assert md.stdout.startswith("# Impact of Kế hoạch 105/KH-UBND") and "UBND huyện Bắc Sơn" in md.stdout


def test_check_reports_stale_basis(g, out):
    stale = imp.stale_bases(g)
    assert [(g.nodes[s.basis]["number"], s.change, g.nodes[s.successor]["number"]) for s in stale] == \
        [("61/2018/NĐ-CP", "amends", "107/2021/NĐ-CP")]
    assert g.nodes[stale[0].document]["path"].endswith("001_999aac10fbc91e92.txt")
    r = subprocess.run([sys.executable, "-m", "graph_builder", "check", "--graph", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert "61/2018/NĐ-CP" in r.stdout and "suggestion" in r.stdout and "251/KH-UBND: unresolved" in r.stdout


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
