"""The Oxigraph store answers every saved query as rdflib's memory store does; it is loaded once and reused while
graph.ttl is unchanged; the query benchmark's synthetic graphs have the shape of a real build."""
import json
import os
import subprocess
import sys
import threading
import urllib.parse
import urllib.request

import pytest

from conftest import CORPUS, ROOT
from graph_builder import sparql as sp
from graph_builder.build import build

pytest.importorskip("pyoxigraph")

BINDINGS = {"implementers": [{"ref": "76/NQ-CP"}, {"ref": "49-NQ/TU"}, {"ref": "105/KH-UBND"}],
            "plan_hierarchy": [{"province": "Lạng Sơn"}],
            "by_issuer_level_year": [{}, {"level": "district"}, {"year": "2023"}]}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    build(CORPUS, out, jobs=1)
    return out


def rows(res):
    """A result as a sorted list of rows of (kind, lexical form, datatype, language) — order-free comparison."""
    def cell(v):
        return None if v is None else (type(v).__name__, str(v), str(getattr(v, "datatype", "") or ""),
                                       getattr(v, "language", None))
    return sorted((tuple(cell(v) for v in r) for r in res), key=repr)


def test_every_saved_query_gives_the_same_results(out, tmp_path):
    mem = sp.open_store(out)
    oxi = sp.open_store(out, "oxigraph", tmp_path / "ox")
    assert len(mem) == len(oxi) > 2000
    for name in sp.saved_queries():
        for b in BINDINGS.get(name, [{}]):
            a, o = sp.run(mem, sp.query_text(name), b), sp.run(oxi, sp.query_text(name), b)
            assert [str(v) for v in a.vars] == [str(v) for v in o.vars], name
            ra, ro = rows(a), rows(o)
            assert ra == ro and ra, (name, b)
    # ASK and CONSTRUCT too, and the same formatted output
    for q in ('ASK { ?d eli:id_local "76/NQ-CP" }',
              'CONSTRUCT { ?d eli:id_local ?n } WHERE { ?d eli:id_local ?n FILTER(STRSTARTS(?n, "1")) }'):
        a, o = sp.run(mem, q), sp.run(oxi, q)
        assert sp.format_result(a, "json") == sp.format_result(o, "json") if a.type == "ASK" else \
            set(a.graph) == set(o.graph)
    q = sp.query_text("most_cited")
    assert sp.format_result(sp.run(mem, q), "csv") == sp.format_result(sp.run(oxi, q), "csv")
    with pytest.raises(ValueError):
        sp.run(oxi, "SELEC nonsense")


def test_store_is_reused_while_the_graph_is_unchanged(out, tmp_path):
    ttl = tmp_path / "graph.ttl"
    ttl.write_bytes((out / "graph.ttl").read_bytes())
    d = sp.prepare_oxigraph(ttl)
    assert d == tmp_path / "oxigraph"
    stamp = json.loads((d / sp.STAMP).read_text())
    ino = os.stat(d).st_ino
    assert sp.prepare_oxigraph(ttl) == d and os.stat(d).st_ino == ino          # reused
    os.utime(ttl, ns=(1, 1))                                                    # touched, same content
    assert sp.prepare_oxigraph(ttl) == d and os.stat(d).st_ino == ino
    assert json.loads((d / sp.STAMP).read_text())["mtime_ns"] == 1
    with ttl.open("a", encoding="utf-8") as fh:                                 # changed: loaded again
        fh.write('\n<https://x.invalid/a> <https://x.invalid/b> "c" .\n')
    sp.prepare_oxigraph(ttl)
    assert os.stat(d).st_ino != ino
    assert sp.OxigraphGraph(d).__len__() == stamp["triples"] + 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".oxigraph")]   # no leftovers


def test_refuses_a_folder_that_is_not_a_store(out, tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(sp.StoreError):
        sp.prepare_oxigraph(out / "graph.ttl", tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
    r = subprocess.run([sys.executable, "-m", "graph_builder", "sparql", "most_cited", "--graph", str(out),
                        "--store", "oxigraph", "--store-dir", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "not an Oxigraph store" in r.stderr


def test_cli_and_endpoint_with_oxigraph(out, tmp_path):
    args = [sys.executable, "-m", "graph_builder", "sparql", "implementers", "--bind", "ref=76/NQ-CP", "--graph",
            str(out), "--format", "csv"]
    mem = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    oxi = subprocess.run(args + ["--store", "oxigraph", "--store-dir", str(tmp_path / "ox")], capture_output=True,
                         text=True, cwd=ROOT)
    assert mem.returncode == oxi.returncode == 0 and mem.stdout == oxi.stdout and "02/KH-UBND" in oxi.stdout
    from graph_builder.serve import make_server
    server = make_server(out, "127.0.0.1", 0, timeout=5.0, store="oxigraph", store_dir=tmp_path / "ox")
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        q = 'SELECT ?d WHERE { ?d eli:based_on ?p . ?p eli:id_local "76/NQ-CP" }'
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql?" + urllib.parse.urlencode({"query": q})
        with urllib.request.urlopen(url, timeout=30) as r:
            assert len(json.loads(r.read())["results"]["bindings"]) == 1
        bad = f"http://127.0.0.1:{server.server_address[1]}/sparql?" + urllib.parse.urlencode({"query": "SELEC x"})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(bad, timeout=30)
        assert e.value.code == 400
    finally:
        server.shutdown()
        server.server_close()
        server.runner.close()


def test_synthetic_graph_has_the_shape_of_a_build(tmp_path):
    """bench/bench_query.py's generator writes, shard by shard, what the project's writers write at once."""
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_query as bq
    from rdflib import Graph

    from graph_builder.export import load_node_link, node_link_json, turtle_and_jsonld
    from graph_builder.graph import build_graph
    syn = bq.Synthetic(300, seed=3)
    stats = bq.write_graph(syn, tmp_path, shard=70)
    res, borrowed = syn.resolution(range(len(syn.corpus)))
    assert not borrowed
    g = build_graph(res)
    assert stats["nodes"] == g.number_of_nodes() and stats["edges"] == g.number_of_edges()
    whole = json.loads(node_link_json(g))
    mine = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert mine["base"] == whole["base"]
    assert sorted(mine["edges"], key=lambda e: (e["source"], e["target"], e["key"])) == whole["edges"]
    assert sorted(mine["nodes"], key=lambda n: n["id"]) == whole["nodes"]
    assert set(Graph().parse(tmp_path / "graph.ttl")) == set(Graph().parse(data=turtle_and_jsonld(g)[0],
                                                                            format="turtle"))
    h = load_node_link(tmp_path / "graph.json")
    from graph_builder import impact as imp
    hub = imp.find_ref(h, bq.HUB_NUMBER)
    assert len(imp.impact(h, hub).downstream) > 20
    assert {d["relation"] for _, _, d in h.edges(data=True)} >= {"based_on", "implements", "cites", "replaces"}
