"""SPARQL parameters (declared, checked, documents and provinces looked up), the table format, and what the
read-only endpoint refuses or negotiates — over real HTTP."""
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import CORPUS
from graph_builder import sparql as sp
from graph_builder.build import build

PLAN = """ỦY BAN NHÂN DÂN
TỈNH {upper}
Số: {num}/KH-UBND
{place}, ngày 10 tháng 3 năm 2022

KẾ HOẠCH
Triển khai chuyển đổi số năm 2022

Thực hiện Kế hoạch số 249/KH-UBND ngày 29/12/2021 của UBND tỉnh {place}, UBND tỉnh ban hành Kế hoạch.

CHỦ TỊCH
Nguyễn Văn An
"""


_seeds_out = None


@pytest.fixture(scope="module")
def seeds_rdf(tmp_path_factory):
    global _seeds_out
    out = _seeds_out = tmp_path_factory.mktemp("sparql-seeds")
    build(CORPUS, out, jobs=1)
    return sp.load_graph(out)


@pytest.fixture(scope="module")
def two_provinces_out(tmp_path_factory):
    """Lạng Sơn and Cao Bằng each implement their own 249/KH-UBND."""
    corpus = tmp_path_factory.mktemp("two-provinces")
    (corpus / "ls.txt").write_text(PLAN.format(upper="LẠNG SƠN", place="Lạng Sơn", num=31), encoding="utf-8")
    (corpus / "cb.txt").write_text(PLAN.format(upper="CAO BẰNG", place="Cao Bằng", num=32), encoding="utf-8")
    out = corpus.parent / (corpus.name + "-out")
    build(corpus, out, jobs=1)
    return out


@pytest.fixture(scope="module")
def two_provinces(two_provinces_out):
    return sp.load_graph(two_provinces_out)


def numbers(res, col=1):
    return sorted(str(r[col]) for r in res if r[col] is not None)


def test_saved_queries_declare_their_parameters():
    declared = {name: sp.params(sp.query_text(name)) for name in sp.saved_queries()}
    assert declared["implementers"] == {"ref": (True, declared["implementers"]["ref"][1])}
    assert set(declared["by_issuer_level_year"]) == {"level", "year"}
    assert not any(req for req, _ in declared["by_issuer_level_year"].values())
    assert declared["plan_hierarchy"]["province"][0] is True
    assert all(len(doc) > 20 for p in declared.values() for _req, doc in p.values())


@pytest.mark.parametrize("bindings,message", [
    ({}, "missing --bind ref"),
    ({"ref": "76/NQ-CP", "reff": "x"}, "no parameter reff"),
    ({"ref": "999/ZZ-QQ"}, "no document has this số hiệu"),
])
def test_parameters_are_checked(seeds_rdf, bindings, message):
    with pytest.raises(sp.ParamError, match=message):
        sp.run(seeds_rdf, sp.query_text("implementers"), bindings)


@pytest.mark.parametrize("ref", ["76/NQ-CP", "76 NQ CP", "76/nq-cp", "IRI"])
def test_ref_exact_loose_or_iri(seeds_rdf, ref):
    if ref == "IRI":
        ref = str(next(iter(seeds_rdf.query(sp.with_prologue('SELECT ?d WHERE { ?d eli:id_local "76/NQ-CP" }'))))[0])
        assert ref.startswith("https://plangraph.invalid/eli/vn/")
    got = list(sp.run(seeds_rdf, sp.query_text("implementers"), {"ref": ref}))
    assert len(got) == 2 and "02/KH-UBND" in numbers(got)


def test_ref_shared_by_two_provinces_is_refused_with_candidates(two_provinces):
    with pytest.raises(sp.ParamError) as e:
        sp.run(two_provinces, sp.query_text("implementers"), {"ref": "249/KH-UBND"})
    assert len(e.value.candidates) == 2
    assert any("Lạng Sơn" in c for c in e.value.candidates) and any("Cao Bằng" in c for c in e.value.candidates)
    iri = e.value.candidates[0].split()[0]
    got = list(sp.run(two_provinces, sp.query_text("implementers"), {"ref": iri}))
    assert len(got) == 1 and numbers(got) in (["31/KH-UBND"], ["32/KH-UBND"])


def test_province_with_or_without_diacritics_or_code(seeds_rdf, two_provinces):
    q = sp.query_text("plan_hierarchy")
    base = sorted(map(tuple, sp.run(seeds_rdf, q, {"province": "Lạng Sơn"})))
    assert base and base == sorted(map(tuple, sp.run(seeds_rdf, q, {"province": "lang son"}))) \
        == sorted(map(tuple, sp.run(seeds_rdf, q, {"province": "20"})))
    cb = list(sp.run(two_provinces, q, {"province": "Cao Bang"}))
    assert {str(r[2]) for r in cb} == {"Kế hoạch 32/KH-UBND"}
    with pytest.raises(sp.ParamError, match="not a province"):
        sp.run(seeds_rdf, q, {"province": "Atlantis"})


def test_table_shows_prefixed_terms_whole_iris_and_cut_literals(seeds_rdf):
    res = sp.run(seeds_rdf, sp.query_text("plan_hierarchy"), {"province": "Lạng Sơn"})
    table = sp.format_result(res, "table")
    assert "pg:implements" in table and "ontology#implements" not in table
    iris = {str(r[1]) for r in res} | {str(r[4]) for r in res}
    assert all(i in table for i in iris)                  # whole, copyable
    long = 'SELECT ?t WHERE { BIND("' + "rất dài " * 30 + '" AS ?t) }'
    cell = sp.format_result(sp.run(seeds_rdf, long), "table").splitlines()[2]
    assert cell.endswith("…") and len(cell) <= sp.TABLE_TEXT + 1 and not cell[:-1].endswith(" ")
    assert sp.format_result(sp.run(seeds_rdf, long), "csv").count("rất dài") == 30


def test_syntax_error_gives_the_line_of_the_query_as_written(seeds_rdf, tmp_path):
    for q, where in (("SELECT ?x WHERE {\n  ?x eli:id_local ?n .\n  FILTER(?n = ) }", "line 3, column 3"),
                     ("SELECT ?x WHERE { ?x eli:id_local ?n . FILTER(?n = ) }", "line 1, column 40")):
        with pytest.raises(Exception) as e:
            sp.run(seeds_rdf, q)
        assert where in sp.error_message(e.value), sp.error_message(e.value)
    pytest.importorskip("pyoxigraph")
    ox = sp.open_store(_seeds_out, "oxigraph", tmp_path / "ox")
    with pytest.raises(ValueError) as e:
        sp.run(ox, "SELECT ?x WHERE {\n  ?x eli:id_local ?n .\n  FILTER(?n = ) }")
    assert "line 3, column" in sp.error_message(e.value)


def test_an_unknown_saved_query_name_is_an_error_listing_them():
    with pytest.raises(FileNotFoundError, match="no saved query of that name.*implementers"):
        sp.query_text("implementer")


@pytest.mark.parametrize("ref,numbers", [("nq 76/2021", ["02/KH-UBND"]), ("Nghị quyết 76", ["02/KH-UBND"]),
                                         ("61/NĐ-CP", [])])
def test_ref_as_impact_reads_it(seeds_rdf, ref, numbers):
    got = list(sp.run(seeds_rdf, sp.query_text("implementers"), {"ref": ref}))
    assert [n for n in numbers if n in [str(r[1]) for r in got]] == numbers


def test_a_bare_number_lists_the_documents_it_could_be(seeds_rdf):
    with pytest.raises(sp.ParamError) as e:
        sp.run(seeds_rdf, sp.query_text("implementers"), {"ref": "60"})
    assert len(e.value.candidates) == 2 and any("60-NQ/TU" in c for c in e.value.candidates)


def test_year_counts_partial_dates_and_values_are_checked(seeds_rdf):
    q = sp.query_text("by_issuer_level_year")
    rows = [[str(v) for v in r] for r in sp.run(seeds_rdf, q, {"year": "2024"})]
    assert any(r[0] == "district" and "Bắc Sơn" in r[1] and r[5] == "1" for r in rows)   # seed 004, "tháng 5 năm 2024"
    for bad in ({"level": "huyện"}, {"year": "abc"}):
        with pytest.raises(sp.ParamError, match="not a value of this parameter"):
            sp.run(seeds_rdf, q, bad)


def test_plan_hierarchy_holds_no_news_article(seeds_rdf):
    rows = list(sp.run(seeds_rdf, sp.query_text("plan_hierarchy"), {"province": "Thanh Hóa"}))
    assert all("/news/" not in str(r[1]) for r in rows)


# ---- the endpoint ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    from graph_builder.serve import make_server
    out = tmp_path_factory.mktemp("sparql-endpoint")
    build(CORPUS, out, jobs=1)
    server = make_server(out, "127.0.0.1", 0, timeout=1.5, workers=2)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", server
    server.shutdown()
    server.server_close()
    server.runner.close()


def get(url, query, accept=None):
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode("utf-8")


def test_tsv_results(endpoint):
    url, _ = endpoint
    q = 'SELECT ?d ?n WHERE { ?d eli:id_local ?n FILTER(?n = "76/NQ-CP") }'
    status, ctype, body = get(url, q, "text/tab-separated-values")
    assert status == 200 and ctype.startswith("text/tab-separated-values")
    head, row = body.splitlines()
    assert head == "?d\t?n"
    d, n = row.split("\t")
    assert d.startswith("<https://") and d.endswith(">") and n == '"76/NQ-CP"'


def test_ask_answers_in_json_or_xml_whatever_the_client_prefers(endpoint):
    url, _ = endpoint
    for accept in ("text/csv", "text/tab-separated-values"):
        status, ctype, body = get(url, 'ASK { ?d eli:id_local "76/NQ-CP" }', accept)
        assert status == 200 and json.loads(body)["boolean"] is True, accept
    status, ctype, body = get(url, 'ASK { ?d eli:id_local "76/NQ-CP" }', "application/sparql-results+xml")
    assert status == 200 and "<boolean>true</boolean>" in body


@pytest.mark.parametrize("q,status,word", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403, "SERVICE"),
    ("select * where { service silent <http://example.org/> { ?s ?p ?o } }", 403, "SERVICE"),
    ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", 400, "FROM"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", 400, "FROM")])
def test_queries_that_would_fetch_other_hosts_are_refused(endpoint, q, status, word):
    url, _ = endpoint
    got, _ctype, body = get(url, q)
    assert got == status and word in body


def test_a_slow_query_does_not_hold_up_the_others(endpoint):
    url, server = endpoint
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    answers = {}
    t = threading.Thread(target=lambda: answers.setdefault("slow", get(url, slow)))
    t.start()
    time.sleep(0.3)
    t0 = time.perf_counter()
    status, _c, body = get(url, 'SELECT ?d WHERE { ?d eli:id_local "76/NQ-CP" }')
    fast = time.perf_counter() - t0
    t.join()
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1
    assert answers["slow"][0] == 503 and fast < 1.5        # answered by the other worker, not after the slow one
    # the stopped worker is replaced: both workers answer again
    for _ in range(4):
        assert get(url, 'ASK { ?d eli:id_local "76/NQ-CP" }')[0] == 200
    deadline = time.time() + 60
    while len(server.runner.all) < 2 and time.time() < deadline:
        time.sleep(0.2)
    assert len(server.runner.all) == 2


# ---- the impact check over HTTP ------------------------------------------------------------------------------
def test_impact_over_http(endpoint):
    url, server = endpoint
    base = url.rsplit("/", 1)[0] + "/impact?"
    assert server.impact.ready.wait(60)

    def call(accept=None, **params):
        req = urllib.request.Request(base + urllib.parse.urlencode(params), headers={"Accept": accept} if accept else {})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type"), e.read().decode("utf-8")

    status, ctype, body = call(ref="76 NQ CP")
    assert status == 200 and ctype.startswith("application/json")
    answer = json.loads(body)
    assert answer["ref"]["number"] == "76/NQ-CP"
    assert sorted((d["file"] or "")[:3] for d in answer["downstream"]) == ["000", "001"]
    status, ctype, body = call("text/html,application/xhtml+xml", ref="105/KH-UBND")
    assert status == 200 and ctype.startswith("text/html") and "<table" in body and "105/KH-UBND" in body
    status, _c, body = call(ref="76/NQ-CP", format="text", lang="en", as_of="2000")
    assert status == 200 and "76/NQ-CP" in body and "004_" not in body
    assert call(ref="999/ZZ-QQ")[0] == 404 and json.loads(call(ref="999/ZZ-QQ")[2])["error"] == "not_found"
    assert call(ref="76/NQ-CP", as_of="bad")[0] == 400 and call(ref="")[0] == 400
    assert call(ref="76/NQ-CP", format="pdf")[0] == 400


def test_impact_service_refuses_an_ambiguous_ref_with_the_candidates(two_provinces_out):
    from graph_builder.serve import ImpactService
    svc = ImpactService(two_provinces_out / "graph.json")
    assert svc.ready.wait(60)
    status, ctype, body, _h = svc.answer({"ref": ["249/KH-UBND"]}, "")
    got = json.loads(body)
    assert status == 300 and got["error"] == "ambiguous" and len(got["candidates"]) == 2
    status, _c, body, _h = svc.answer({"ref": [got["candidates"][0]["iri"]]}, "")
    assert status == 200 and len(json.loads(body)["downstream"]) == 1


def test_no_other_site_may_read_answers_unless_allowed(endpoint, tmp_path):
    url, _ = endpoint
    q = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    req = urllib.request.Request(url + "?" + q, headers={"Origin": "https://evil.example"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200 and r.headers.get("Access-Control-Allow-Origin") is None
    from graph_builder.serve import make_server
    server = make_server(_seeds_out, "127.0.0.1", 0, timeout=5, allow_origins=("http://localhost:8080",))
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        other = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        for origin, allowed in (("http://localhost:8080", True), ("https://evil.example", False)):
            req = urllib.request.Request(other + "?" + q, headers={"Origin": origin})
            with urllib.request.urlopen(req, timeout=30) as r:
                assert (r.headers.get("Access-Control-Allow-Origin") == origin) is allowed
        pre = urllib.request.Request(other, method="OPTIONS", headers={
            "Origin": "http://localhost:8080", "Access-Control-Request-Method": "POST"})
        with urllib.request.urlopen(pre, timeout=30) as r:
            assert r.status == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]
    finally:
        server.shutdown()
        server.server_close()
        server.runner.close()


def test_serve_stops_quietly_on_sigterm(tmp_path):
    import signal
    import subprocess
    import sys
    p = subprocess.Popen([sys.executable, "-m", "graph_builder", "serve", "--graph", str(_seeds_out), "--port", "0"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        assert "SPARQL endpoint" in line, line
        p.send_signal(signal.SIGTERM)
        _out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0 and "Traceback" not in err, err


def test_a_dead_worker_is_replaced_and_the_endpoint_keeps_answering(endpoint):
    url, server = endpoint
    runner = server.runner
    deadline = time.time() + 60
    while len(runner.all) < 2 and time.time() < deadline:      # (an earlier test may still be replacing one)
        time.sleep(0.2)
    for w in list(runner.all):
        w.proc.kill()                                           # as if killed by the kernel for its memory
        w.proc.join()
    status, _c, body = get(url, "ASK { ?s ?p ?o }")
    assert status == 503 and "restarted" in body
    deadline = time.time() + 60
    while time.time() < deadline:
        status, _c, body = get(url, "ASK { ?s ?p ?o }")
        if status == 200:
            break
        time.sleep(0.5)
    assert status == 200 and json.loads(body)["boolean"] is True
