"""`plangraph build`: identity resolution on the seeds, ELI RDF, outputs, cache, determinism, failures."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, SKOS

from conftest import CORPUS, ROOT, SHARED
from graph_builder import build as build_mod
from graph_builder import vocabulary
from graph_builder.build import build
from graph_builder.export import load_node_link

ELI = Namespace("http://data.europa.eu/eli/ontology#")
PG = Namespace("https://plangraph.invalid/ontology#")


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    report = build(CORPUS, out, jobs=1)
    return out, report, load_node_link(out / "graph.json")


def nodes_with_number(g, number):
    return [n for n, d in g.nodes(data=True) if d["number"] == number]


def file_node(g, prefix):
    return next(n for n, d in g.nodes(data=True) if d["path"].rsplit("/", 1)[-1].startswith(prefix))


def relations(g, u, v):
    return {d["relation"] for _, w, d in g.out_edges(u, data=True) if w == v}


def test_shared_documents_are_one_node_each(seed_build):
    _, _, g = seed_build
    s0, s1 = file_node(g, "000"), file_node(g, "001")
    for number in ("76/NQ-CP", "60-NQ/TU", "249/KH-UBND", "43/CT-TTg", "468/QĐ-TTg"):
        found = nodes_with_number(g, number)
        assert len(found) == 1, (number, found)
        assert relations(g, s0, found[0]) and relations(g, s1, found[0]), number


def test_different_documents_with_a_shared_number_stay_apart(seed_build):
    _, _, g = seed_build
    kh60 = nodes_with_number(g, "60/KH-UBND")
    assert len(kh60) == 1 and g.nodes[kh60[0]]["level"] == "district"
    assert "Văn Quan" in g.nodes[kh60[0]]["jurisdiction"]
    assert kh60[0] != nodes_with_number(g, "60-NQ/TU")[0]
    # 251/KH-UBND of an unnamed province (news article 003) is not a Lạng Sơn document
    n251 = nodes_with_number(g, "251/KH-UBND")
    assert len(n251) == 1
    d = g.nodes[n251[0]]
    assert d["status"] == "unresolved" and "Lạng Sơn" not in d["jurisdiction"]
    ls = g.nodes[nodes_with_number(g, "249/KH-UBND")[0]]
    assert ls["jurisdiction_code"] != d["jurisdiction_code"] and "Lạng Sơn" in ls["jurisdiction"]


def test_context_resolves_issuers(seed_build):
    _, _, g = seed_build
    # "của UBND huyện" in the Tú Xuyên plan is Văn Quan's district committee
    for number in ("173/KH-UBND", "60/KH-UBND"):
        assert "Văn Quan" in g.nodes[nodes_with_number(g, number)[0]]["jurisdiction"]
    # "của UBND xã" is Tú Xuyên itself
    assert "Tú Xuyên" in g.nodes[nodes_with_number(g, "12/KH-UBND")[0]]["jurisdiction"]
    # the seed 000 is a corpus document and its own node
    s0 = file_node(g, "000")
    assert g.nodes[s0]["number"] == "02/KH-UBND" and g.nodes[s0]["in_corpus"]


def test_no_duplicate_nodes(seed_build):
    _, _, g = seed_build
    keys = [(d["number"], d["jurisdiction_code"], d["year"]) for _, d in g.nodes(data=True) if d["number"]]
    assert len(keys) == len(set(keys))


def test_replacement_and_third_party_edges(seed_build):
    _, _, g = seed_build
    s1 = file_node(g, "001")
    assert "replaces" in relations(g, s1, nodes_with_number(g, "12/KH-UBND")[0])
    one = lambda n: nodes_with_number(g, n)[0]                                   # noqa: E731
    third = {(g.nodes[u]["number"], d["relation"], g.nodes[v]["number"])
             for u, v, d in g.edges(data=True) if d["third_party"] and g.nodes[u]["number"]}
    assert {("107/2021/NĐ-CP", "amends", "61/2018/NĐ-CP"), ("226/KH-UBND", "implements", "49-NQ/TU"),
            ("459/TB-HĐND", "cites", "60-NQ/TU")} <= third
    e = g.get_edge_data(one("107/2021/NĐ-CP"), one("61/2018/NĐ-CP"))
    m = next(iter(e.values()))["mentions"][0]
    assert m["file"].endswith("001_999aac10fbc91e92.txt") and "sửa đổi, bổ sung" in m["evidence"]


def test_eli_sparql_on_the_turtle_output(seed_build):
    out, _, g = seed_build
    rdf = Graph().parse(out / "graph.ttl")
    q = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
           SELECT DISTINCT ?d WHERE { ?d eli:ensures_implementation_of|eli:based_on ?p . ?p eli:id_local "76/NQ-CP" }"""
    got = {str(r.d) for r in rdf.query(q)}
    assert got == {file_node(g, "000"), file_node(g, "001")}
    # every relation property used in the data is declared in the ontology, with an ELI super-property
    onto = Graph().parse(ROOT / "ontology" / "plangraph.ttl").parse(ROOT / "ontology" / "vocabularies.ttl")
    used = {p for p in rdf.predicates() if str(p).startswith(str(PG))}
    declared = set(onto.subjects(RDF.type, OWL.ObjectProperty)) | set(onto.subjects(RDF.type, OWL.DatatypeProperty))
    assert used <= declared, used - declared
    for rel in vocabulary.RELATIONS:
        assert (PG[rel], RDF.type, OWL.ObjectProperty) in onto
        assert next(onto.objects(PG[rel], Namespace("http://www.w3.org/2000/01/rdf-schema#").subPropertyOf))


def test_provenance_is_reified(seed_build):
    out, _, _ = seed_build
    rdf = Graph().parse(out / "graph.ttl")
    q = """PREFIX pg: <https://plangraph.invalid/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
           SELECT ?file ?start ?trigger ?ev WHERE { ?c a pg:Citation ; pg:relation pg:replaces ; pg:object ?o ;
             pg:sourceFile ?file ; pg:startOffset ?start ; pg:trigger ?trigger ; pg:evidence ?ev .
             ?o eli:id_local "12/KH-UBND" }"""
    rows = list(rdf.query(q))
    assert len(rows) == 1
    file, start, trigger, ev = rows[0]
    text = Path(str(file)).read_text(encoding="utf-8") if Path(str(file)).is_file() else \
        (ROOT / str(file)).read_text(encoding="utf-8")
    assert text[int(start):].startswith("Kế hoạch số 12/KH-UBND") and str(trigger) == "thay thế"
    assert "thay thế Kế hoạch số 12/KH-UBND" in str(ev)


def test_vocabulary_round_trips():
    r = subprocess.run([sys.executable, "-m", "graph_builder", "vocab", "--check"], capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 0, r.stderr
    onto = Graph().parse(ROOT / "ontology" / "vocabularies.ttl")
    v = vocabulary.load()
    notations = {str(o) for o in onto.objects(None, SKOS.notation)}
    assert {t.code for t in v.types} | {i.code for i in v.issuers} <= notations
    labels = {str(o) for s in onto.subjects(RDF.type, SKOS.Concept) for o in onto.objects(s, SKOS.prefLabel)}
    assert {t.label for t in v.types} <= labels


def test_outputs_written_and_deterministic(seed_build, tmp_path):
    out, report, _ = seed_build
    for name in ("graph.ttl", "graph.jsonld", "graph.graphml", "edges.csv", "graph.json", "report.json",
                 "report.md"):
        assert (out / name).stat().st_size > 0, name
    other = tmp_path / "again"
    build(CORPUS, other, jobs=1, use_cache=False)
    for name in ("graph.ttl", "graph.jsonld", "graph.graphml", "edges.csv", "graph.json", "report.json", "report.md",
                 "report.jsonl"):
        assert (out / name).read_bytes() == (other / name).read_bytes(), name
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["documents"] == 5 and rep["failed"] == [] and rep["nodes"] == report.nodes
    assert any("251/KH-UBND" in u for u in rep["unresolved"])
    header = (out / "edges.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("source,source_label,relation,target")


def test_rebuild_rereads_only_the_changed_file(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    first = build(corpus, out, jobs=1)
    assert (first.files_read, first.files_extracted) == (5, 5)
    second = build(corpus, out, jobs=1)
    assert (second.files_read, second.files_extracted, second.files_from_cache) == (0, 0, 5)
    f = next(corpus.glob("004_*.txt"))
    f.write_text(f.read_text(encoding="utf-8") + "\nThực hiện Quyết định số 99/QĐ-UBND ngày 01/6/2024.\n",
                 encoding="utf-8")
    third = build(corpus, out, jobs=1)
    assert (third.files_read, third.files_extracted, third.files_from_cache) == (1, 1, 4)
    assert nodes_with_number(load_node_link(out / "graph.json"), "99/QĐ-UBND")


def test_bad_files_are_reported_and_previous_outputs_survive(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (corpus / "notes.json").write_text("{}")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "graph_builder", "build", str(corpus), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1
    assert "empty.txt: empty file" in r.stderr and "binary.txt" in r.stderr
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {f["path"].rsplit("/", 1)[-1] for f in rep["failed"]} == {"empty.txt", "binary.txt"}
    assert any("notes.json" in s for s in rep["skipped"]) and rep["documents"] == 5
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def boom(g):
        raise RuntimeError("killed while writing")
    monkeypatch.setattr(build_mod, "graphml", boom)
    (corpus / "004_d449ab8adcd51e07.txt").write_text("Căn cứ Nghị định số 1/2020/NĐ-CP.", encoding="utf-8")
    with pytest.raises(RuntimeError):
        build(corpus, out, jobs=1)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before                    # nothing half-written, nothing lost, no temporary files


def test_missing_corpus_is_a_usage_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "graph_builder", "build", str(tmp_path / "nope"), "--out",
                        str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "no such folder" in r.stderr


REAL = SHARED / "corpus-real"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus-real is not present on this machine")
def test_build_over_real_corpus_and_seeds(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in [*REAL.iterdir(), *CORPUS.glob("*.txt")]:
        (corpus / p.name).symlink_to(p)
    out = tmp_path / "out"
    rep = build(corpus, out, jobs=2)
    assert rep.documents == 115 and rep.failed == []
    assert any("SOURCES.jsonl" in s for s in rep.skipped)
    assert rep.nodes > 1000 and rep.edges > 2000 and rep.nodes_in_corpus >= 110
    # a central decree cited by many gazette documents is one node
    g = load_node_link(out / "graph.json")
    assert len(nodes_with_number(g, "63/2025/QH15")) == 1
    again = build(corpus, out, jobs=2)
    assert (again.files_read, again.files_extracted) == (0, 0)


def test_turtle_and_jsonld_hold_exactly_the_graph(seed_build):
    from graph_builder.rdf import to_rdf
    out, _, g = seed_build
    expected = set(to_rdf(g))
    assert set(Graph().parse(out / "graph.ttl")) == expected
    assert set(Graph().parse(out / "graph.jsonld", format="json-ld")) == expected


def test_report_lists_are_capped_and_complete_in_jsonl(seed_build, tmp_path):
    from graph_builder.build import REPORT_LIMIT, BuildReport
    r = BuildReport(corpus="c", merges=[f"m{i}" for i in range(REPORT_LIMIT + 50)], failed=[{"path": "f", "reason": "r"}])
    md = r.to_markdown()
    assert f"## Merge decisions ({REPORT_LIMIT + 50})" in md and "- m99" in md and "- m100\n" not in md
    assert "… and 50 more (every entry is in report.jsonl)" in md
    j = r.to_json(limit=REPORT_LIMIT)
    assert len(j["merges"]) == REPORT_LIMIT and j["counts"]["merges"] == REPORT_LIMIT + 50
    assert list(r.entries())[0] == {"kind": "failed", "path": "f", "reason": "r"}
    out, report, _ = seed_build
    lines = [json.loads(x) for x in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(x["kind"] == "merge" for x in lines) == len(report.merges) > 0
    assert sum(x["kind"] == "unresolved" for x in lines) == len(report.unresolved)
