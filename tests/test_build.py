"""`plangraph build`: identity resolution on the seeds, ELI RDF, outputs, cache, determinism, failures."""
import json
import os
import re
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
from graph_builder.textfold import fold

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


# số hiệu that only a central body issues (Nghị định, Chính phủ's resolutions, the Prime Minister's decisions and
# directives, circulars, laws and ordinances, the Party Central Committee), as a careful reader knows them
CENTRAL_NUMBER = re.compile(r"/(?:\d{4}/)?(?:NĐ-CP|NQ-CP|QĐ-TTg|CT-TTg|TTLT-[^/]+|TT-[^/]+|QĐ-(?:B|LĐTBXH)[^/]*)$"
                            r"|/\d{4}/(?:QH|UBTVQH)\d+$|-(?:NQ|CT|KL|QĐ)/TW$")


def careful_duplicates(g, ambiguous: list[str]) -> list:
    """Groups of nodes that a careful reader would take for one document."""
    docs = [(n, d) for n, d in g.nodes(data=True) if d["number"]]
    out = []
    by = {}
    for n, d in docs:
        if CENTRAL_NUMBER.search(d["number"]):
            # a central number is one document per year (its number's year, else its date's)
            by.setdefault(("central", d["number"], d["year"] if not re.search(r"/\d{4}/", d["number"]) else ""),
                          []).append(n)
        if len(d["date"]) == 10:      # the same number, the same day and the same (or an unknown) place
            by.setdefault(("day", d["number"], d["date"], d["jurisdiction_code"] if d["status"] == "resolved"
                           else "?"), []).append(n)
        by.setdefault(("key", d["number"], d["jurisdiction_code"], d["year"]), []).append(n)
    for k, ns in sorted(by.items()):
        if len(ns) < 2:
            continue
        if k[0] == "key":
            # one body's number in one year twice: only when the full dates disagree, and then it is reported
            dates = [g.nodes[n]["date"] for n in ns]
            if all(len(x) == 10 for x in dates) and len(set(dates)) == len(dates) and \
                    any(k[1] in a and all(x in a for x in dates) for a in ambiguous):
                continue
        out.append((k, ns))
    # an unresolved "same day" pair against a resolved one is one document too
    day = {}
    for n, d in docs:
        if len(d["date"]) == 10:
            day.setdefault((d["number"], d["date"]), []).append(n)
    for k, ns in sorted(day.items()):
        unknown = [n for n in ns if g.nodes[n]["level"] == "unknown"]
        if unknown and len(ns) > 1 and len({g.nodes[n]["jurisdiction_code"] for n in ns if n not in unknown}) <= 1:
            out.append((("unknown-issuer", *k), ns))
    # a law cited by its name and date beside the numbered law of the National Assembly with that name and year
    # (its name as cited with its number, or its type and title), when no other numbered law has them
    slug = lambda x: re.sub(r"[^a-z0-9]+", "-", fold(x).lower()).strip("-")           # noqa: E731
    numbered = {}
    for n, d in docs:
        if re.search(r"/\d{4}/(?:QH|UBTVQH)\d*$", d["number"]):
            names = {slug(d["name"]), slug(f"{d['type_label']} {d['title']}"),
                     slug(re.split(r"\s\d", f"{d['type_label']} {d['title']}", maxsplit=1)[0])} - {""}
            for name in names:
                numbered.setdefault((name, d["number"].split("/")[1]), []).append(n)
    for n, d in g.nodes(data=True):
        if d["kind"] != "law-name" or not d["date"]:
            continue
        same = [m for m in numbered.get((slug(d["name"]), d["date"][:4]), ())
                if not (len(d["date"]) == 10 and len(g.nodes[m]["date"]) == 10 and g.nodes[m]["date"] != d["date"])]
        if len(same) == 1:
            out.append((("law-name", d["name"], d["date"]), [n, same[0]]))
    return out


def test_no_duplicate_nodes(seed_build):
    out, _, g = seed_build
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert careful_duplicates(g, rep["ambiguous"]) == []
    # and the check does catch a duplicate
    h = g.copy()
    d = dict(g.nodes[nodes_with_number(g, "76/NQ-CP")[0]], jurisdiction_code="x-some-file", status="unresolved")
    h.add_node("https://example.invalid/dup", **d)
    assert careful_duplicates(h, rep["ambiguous"])
    # and a law cited by name beside its numbered self
    h = g.copy()
    name = next(n for n, d in g.nodes(data=True) if d["kind"] == "law-name" and d["name"] == "Luật Đất đai")
    h.nodes[name]["date"] = "2024-01-18"
    h.add_node("https://example.invalid/31-2024-qh15", **dict(g.nodes[name], kind="document", number="31/2024/QH15",
                                                               date="", name="Luật Đất đai"))
    assert [k[0] for k, _ in careful_duplicates(h, rep["ambiguous"])] == ["law-name"]


def test_replacement_and_third_party_edges(seed_build):
    _, _, g = seed_build
    s1 = file_node(g, "001")
    assert "replaces" in relations(g, s1, nodes_with_number(g, "12/KH-UBND")[0])
    one = lambda n: nodes_with_number(g, n)[0]                                   # noqa: E731
    third = {(g.nodes[u]["number"], d["relation"], g.nodes[v]["number"])
             for u, v, d in g.edges(data=True) if d["third_party"] and g.nodes[u]["number"]}
    assert third == {("107/2021/NĐ-CP", "amends", "61/2018/NĐ-CP"), ("226/KH-UBND", "implements", "49-NQ/TU"),
                     ("459/TB-HĐND", "cites", "60-NQ/TU")}
    # the fourth: the amending law amends the law its name says (seeds 000 and 001 both state it)
    named = [(g.nodes[u]["name"], d["relation"], g.nodes[v]["name"], sorted(m["file"][:3] for m in d["mentions"]))
             for u, v, d in g.edges(data=True) if d["third_party"] and not g.nodes[u]["number"]]
    assert named == [("Luật sửa đổi, bổ sung một số điều của Luật ban hành văn bản quy phạm pháp luật", "amends",
                      "Luật ban hành văn bản quy phạm pháp luật", ["000", "001"])]
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
    assert not Path(str(file)).is_absolute()          # relative to the corpus folder
    text = (CORPUS / str(file)).read_text(encoding="utf-8")
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


def test_cache_entries_are_packs_and_a_torn_pack_is_a_miss(tmp_path):
    """The extractions are cached in packs (one per batch), found through the manifest; a pack cut short is
    read as misses (those files extracted again, the same graph); entries no file uses any more, and the old
    one-file-per-entry layout, are deleted."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    first = build(corpus, out, jobs=1)
    version_dir = out / ".cache" / "x" / build_mod.extractor_version()
    packs = sorted((version_dir / "packs").iterdir())
    assert len(packs) == 1 and [p.name for p in version_dir.iterdir()] == ["packs"]
    manifest = json.loads((out / ".cache" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["entries"]) == 5 and {e[0] for e in manifest["entries"].values()} == {packs[0].name}
    graph = (out / "graph.json").read_bytes()

    data = packs[0].read_bytes()
    packs[0].write_bytes(data[:len(data) // 2])             # torn: the later entries are cut
    (version_dir / "ab").mkdir()                             # the old layout: one file per entry
    (version_dir / "ab" / "ab12.json").write_text("{}")
    torn = build(corpus, out, jobs=1)
    assert 0 < torn.files_extracted < 5 and torn.files_from_cache == 5 - torn.files_extracted
    assert (out / "graph.json").read_bytes() == graph
    assert not (version_dir / "ab").exists()

    next(corpus.glob("004_*.txt")).unlink()
    build(corpus, out, jobs=1)
    manifest = json.loads((out / ".cache" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["entries"]) == 4
    used = {e[0] for e in manifest["entries"].values()}
    assert {p.name for p in (version_dir / "packs").iterdir()} == used
    again = build(corpus, out, jobs=1)
    assert (again.files_read, again.files_extracted, again.files_from_cache) == (0, 0, 4)


def test_iris_do_not_change_when_a_file_is_added(tmp_path):
    """Every node of a build keeps its IRI when a file citing another document of a shared number (249/KH-UBND
    of 05/3/2021 beside the seeds' 249/KH-UBND of 29/12/2021) is added."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build(corpus, tmp_path / "one", jobs=1, use_cache=False)
    first = set(load_node_link(tmp_path / "one" / "graph.json").nodes)
    (corpus / "005_new.txt").write_text(
        "ỦY BAN NHÂN DÂN\nHUYỆN VĂN QUAN\n\nSố: 30/KH-UBND\n\nVăn Quan, ngày 10 tháng 4 năm 2021\n\nKẾ HOẠCH\n"
        "Tuyên truyền cải cách hành chính năm 2021\n\nThực hiện Kế hoạch số 249/KH-UBND ngày 05/3/2021 của UBND "
        "tỉnh Lạng Sơn về tuyên truyền cải cách hành chính năm 2021; Nghị quyết số 76/NQ-CP ngày 15/7/2021 của "
        "Chính phủ.\n", encoding="utf-8")
    build(corpus, tmp_path / "two", jobs=1, use_cache=False)
    second = load_node_link(tmp_path / "two" / "graph.json")
    assert first <= set(second.nodes), sorted(first - set(second.nodes))
    assert len(nodes_with_number(second, "249/KH-UBND")) == 2
    assert sorted(n.split("/eli/", 1)[1] for n in nodes_with_number(second, "249/KH-UBND")) == [
        "vn-20/kh/2021/03/05/249-kh-ubnd", "vn-20/kh/2021/12/29/249-kh-ubnd"]


def test_a_same_size_edit_with_the_mtime_put_back_is_read_again(tmp_path):
    """`touch -r` / `cp -p` keep size and mtime; the ctime and the inode they cannot keep."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    build(corpus, out, jobs=1)
    f = next(corpus.glob("004_*.txt"))
    st = f.stat()
    text = f.read_text(encoding="utf-8")
    assert "105/KH-UBND" in text
    f.write_text(text.replace("105/KH-UBND", "106/KH-UBND"), encoding="utf-8")     # in place, same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))                                 # touch -r
    assert (f.stat().st_size, f.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    again = build(corpus, out, jobs=1)
    assert (again.files_read, again.files_extracted) == (1, 1)
    assert nodes_with_number(load_node_link(out / "graph.json"), "106/KH-UBND")
    # cp -p of an edited copy over the file: a new inode
    tmp = tmp_path / "edited.txt"
    tmp.write_text(text.replace("105/KH-UBND", "107/KH-UBND"), encoding="utf-8")
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, f)
    third = build(corpus, out, jobs=1)
    assert (third.files_read, third.files_extracted) == (1, 1)
    assert nodes_with_number(load_node_link(out / "graph.json"), "107/KH-UBND")
    # unchanged: nothing read; verify: everything read and hashed, nothing extracted
    assert build(corpus, out, jobs=1).files_read == 0
    v = build(corpus, out, jobs=1, verify=True)
    assert (v.files_read, v.files_extracted) == (5, 0)


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


def _cli_build(corpus, out, *extra):
    return subprocess.run([sys.executable, "-m", "graph_builder", "build", str(corpus), "--out", str(out), *extra],
                          capture_output=True, text=True, cwd=ROOT)


def test_a_build_that_reads_no_document_keeps_the_previous_graph(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(CORPUS, corpus)
    assert _cli_build(corpus, out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert json.loads(before["report.json"])["documents"] == 5
    for p in corpus.iterdir():                          # every file now fails …
        p.write_bytes(b"\x00\x01 not text")
    r = _cli_build(corpus, out)
    assert r.returncode == 2 and "no document read (all 5 files failed); the previous outputs are kept" in r.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    for p in corpus.iterdir():                          # … or the folder is empty (an unmounted share)
        p.unlink()
    r = _cli_build(corpus, out)
    assert r.returncode == 2 and "no document read (no file)" in r.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_an_output_folder_inside_the_corpus_is_not_read_back(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = corpus / "output"
    assert _cli_build(corpus, out).returncode == 0
    (out / "graph.html").write_text("<html><body>Căn cứ Nghị định số 9/2020/NĐ-CP</body></html>", encoding="utf-8")
    r = _cli_build(corpus, out, "--verify")
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert r.returncode == 0 and rep["files_seen"] == 5 and rep["documents"] == 5, r.stdout


def test_formats_choose_the_graph_files(seed_build, tmp_path):
    """--formats ttl,json writes those two (byte-identical to a full build's) and the reports; a graph file of
    another format left by an earlier build is removed, as it would describe another graph; impact and sparql
    still run on what was written."""
    full, _, _ = seed_build
    out = tmp_path / "out"
    shutil.copytree(full, out, ignore=shutil.ignore_patterns(".cache"))
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    r = _cli_build(CORPUS, out, "--formats", "json, ttl")
    assert r.returncode == 0, r.stderr
    assert "removed (formats not asked for, from an earlier build): edges.csv, graph.graphml, graph.jsonld" \
        in r.stdout
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        ["graph.json", "graph.ttl", "keep.txt", "report.json", "report.jsonl", "report.md"]
    for name in ("graph.ttl", "graph.json", "report.md"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["outputs"] == ["graph.json", "graph.ttl", "report.json", "report.jsonl", "report.md"]
    assert "removed" not in rep                     # report.json does not depend on what was there before
    again = _cli_build(CORPUS, out, "--formats", "ttl,json")
    assert again.returncode == 0 and "removed" not in again.stdout
    assert (out / "report.json").read_bytes() == json.dumps(rep, ensure_ascii=False, indent=1,
                                                             sort_keys=True).encode() + b"\n"
    im = subprocess.run([sys.executable, "-m", "graph_builder", "impact", "76/NQ-CP", "--graph", str(out),
                         "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert im.returncode == 0 and json.loads(im.stdout)["downstream"], im.stderr
    only_csv = tmp_path / "csv"
    assert _cli_build(CORPUS, only_csv, "--formats", "csv").returncode == 0
    assert not (only_csv / "graph.json").exists() and (only_csv / "edges.csv").stat().st_size > 0
    im = subprocess.run([sys.executable, "-m", "graph_builder", "impact", "76/NQ-CP", "--graph", str(only_csv)],
                        capture_output=True, text=True, cwd=ROOT)
    assert im.returncode == 2 and "graph.json: no graph here" in im.stderr


@pytest.mark.parametrize("value,said", [("ttl,xml", "unknown xml"), ("", "none given"), (" , ", "none given"),
                                        ("TTL,rdf,owl", "unknown rdf, owl")])
def test_bad_formats_are_refused_before_anything_is_read(tmp_path, value, said):
    out = tmp_path / "out"
    r = _cli_build(CORPUS, out, "--formats", value)
    assert r.returncode == 2 and said in r.stderr and "choose from ttl, jsonld, graphml, csv, json" in r.stderr
    assert not out.exists()


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
    # no duplicates: a central number read with a local issuer ("Nghị định số 163/2024/NĐ-CP do Ủy ban nhân dân
    # cấp tỉnh … thực hiện"), a ministry's number cited without its issuer, scoped per file before
    for number in ("163/2024/NĐ-CP", "115/2025/NĐ-CP", "34/2024/NĐ-CP", "195/2013/NĐ-CP", "600/QĐ-LĐTBXH",
                   "178/1998/TT-TCCP"):
        found = nodes_with_number(g, number)
        assert len(found) == 1 and g.nodes[found[0]]["jurisdiction_code"] == "vn", (number, found)
    assert careful_duplicates(g, rep.ambiguous) == []
    # dates that disagree on a number that carries its year: one document, reported with the dates and files
    conflicts = {c.split(" ", 1)[0]: c for c in rep.date_conflicts}
    assert "2015-10-09" in conflicts["113/2015/NĐ-CP"] and "2015-11-09" in conflicts["113/2015/NĐ-CP"]
    assert "quyet-dinh-so-225-qd-bldtbxh-41601.txt" in conflicts["113/2015/NĐ-CP"]
    assert g.nodes[nodes_with_number(g, "04/2023/TT-BKHĐT")[0]]["date"] == "2023-06-26"      # its own date
    # laws cited by name and date are the numbered laws (careful_duplicates checks the rest)
    assert not [n for n, d in g.nodes(data=True) if d["kind"] == "law-name" and d["name"] == "Bộ luật Lao động"
                and d["date"] == "2019-11-20"]
    assert any(m.startswith("Bộ luật Lao động (2019-11-20) cited by its name is 45/2019/QH14") for m in rep.merges)
    # every concept or resource the data points at is declared: no dangling skos:broader, eli:passed_by or
    # eli:type_document; one ministry is one issuer whatever code its numbers carry (LĐTBXH, BLĐTBXH)
    from graph_builder.rdf import data_triples, vocabulary_graph
    triples = [*vocabulary_graph(), *data_triples(g)]
    declared = {t[0] for t in triples if t[1] == RDF.type}
    for p in (SKOS.broader, ELI.passed_by, ELI.type_document):
        dangling = {t[2] for t in triples if t[1] == p} - declared
        assert not dangling, (p, sorted(dangling)[:5])
    molisa = [(g.nodes[str(t[0])]["number"], t[2]) for t in triples if t[1] == ELI.passed_by
              and re.search(r"/(?:\d{4}/)?[A-ZĐ]+-B?LĐTBXH$", g.nodes[str(t[0])]["number"])]
    assert {"600/QĐ-LĐTBXH", "01/2024/TT-BLĐTBXH"} <= {n for n, _ in molisa} and len({o for _, o in molisa}) == 1
    # every third-party statement is an edge's mention or listed as dropped, with its reason
    dropped_3p = [x for x in rep.dropped if "a third-party statement" in x]
    assert rep.third_party == rep.third_party_mentions + len(dropped_3p)
    assert all(": not an edge" in x for x in rep.dropped)
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


def test_news_articles_are_not_legal_documents(seed_build):
    out, _, g = seed_build
    s2, s3 = file_node(g, "002"), file_node(g, "003")
    for n in (s2, s3):
        assert g.nodes[n]["kind"] == "news" and "/news/" in n
    # the article of seed 002 is about Thanh Hóa (the extractor found the province)
    assert g.nodes[s2]["jurisdiction_code"] == "vn-38" and g.nodes[s2]["successor_province"] == "Thanh Hóa"
    # seed 003 reports on the plan 251/KH-UBND: it cites it, and it is not that plan
    n251 = nodes_with_number(g, "251/KH-UBND")[0]
    assert "cites" in relations(g, s3, n251) and s3 != n251 and not g.nodes[s3]["number"]
    rdf = Graph().parse(out / "graph.ttl")
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS
    news = set(rdf.subjects(RDF.type, PG.NewsArticle))
    assert news == {URIRef(s2), URIRef(s3)}
    assert not news & set(rdf.subjects(RDF.type, ELI.LegalResource))
    assert not list(rdf.objects(URIRef(s3), ELI.date_document))
    assert [str(d) for d in rdf.objects(URIRef(s3), DCTERMS.date)] == ["2021-07-31"]
    # ELI queries over legal resources do not see the articles
    q = "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?d WHERE { ?d a eli:LegalResource ; eli:date_document ?x }"
    assert not {str(r.d) for r in rdf.query(q)} & {s2, s3}
    # an article only cites (pg:cites, eli:cites), whatever verb it uses; the verb stays the mention's trigger
    out_edges = [(g.nodes[v]["number"], d["relation"], [m["trigger"] for m in d["mentions"]])
                 for n in (s2, s3) for _, v, d in g.out_edges(n, data=True)]
    assert {r for _, r, _ in out_edges} == {"cites"}
    assert ("27-NQ/TW", "cites", ["thực hiện"]) in out_edges and ("3248/QĐ-UBND", "cites", ["căn cứ"]) in out_edges
    q = """PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?d WHERE {
             ?d eli:ensures_implementation_of|eli:based_on|eli:changes ?p }"""
    assert not {str(r.d) for r in rdf.query(q)} & {s2, s3}
    # an article whose place the text does not give is not "resolved", and its label names its file
    d3 = g.nodes[s3]
    assert d3["status"] == "unresolved" and d3["jurisdiction"] == "place unknown (003_381347ef6fb73c27.txt)"
    assert "003-381347ef6fb73c27-" not in d3["jurisdiction"]


ISSUERS = [  # số hiệu -> (normalised issuer, as the first citation writes it)
    ("249/KH-UBND", "UBND tỉnh Lạng Sơn", "UBND tỉnh"),
    ("02/KH-UBND", "UBND tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh Lạng Sơn"),     # the corpus file's own words
    ("137/KH-UBND", "UBND tỉnh Lạng Sơn", "UBND tỉnh Lạng Sơn"),
    ("60/KH-UBND", "UBND huyện Văn Quan (tỉnh Lạng Sơn)", "UBND huyện"),
    ("12/KH-UBND", "UBND xã Tú Xuyên (tỉnh Lạng Sơn)", "UBND xã"),
    ("60-NQ/TU", "Tỉnh ủy Lạng Sơn", "Ban Thường vụ Tỉnh ủy"),
    ("459/TB-HĐND", "HĐND tỉnh Lạng Sơn", "Thường trực HĐND tỉnh"),
    ("76/NQ-CP", "Chính phủ", "Chính phủ"),
    ("468/QĐ-TTg", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
    ("42/2022/NĐ-CP", "Chính phủ", "Thủ tướng Chính phủ"),        # a Nghị định is the Government's, whatever the text says
    ("251/KH-UBND", "UBND tỉnh", "UBND tỉnh"),                    # the province is not named: no place given
]


@pytest.mark.parametrize("number,issuer,as_written", ISSUERS)
def test_issuer_is_normalised_with_its_place(seed_build, number, issuer, as_written):
    _, _, g = seed_build
    d = g.nodes[nodes_with_number(g, number)[0]]
    assert (d["issuer"], d["issuer_as_written"]) == (issuer, as_written)


def test_issuer_resources_have_labels_and_mentions_keep_the_words(seed_build):
    out, _, g = seed_build
    rdf = Graph().parse(out / "graph.ttl")
    q = """PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT ?name ?l WHERE { ?d eli:id_local "249/KH-UBND" ; eli:passed_by ?o . ?o skos:prefLabel ?name ;
                                   rdfs:label ?l }"""
    assert [(str(r.name), str(r.l)) for r in rdf.query(q)] == [("UBND tỉnh Lạng Sơn", "UBND tỉnh Lạng Sơn")]
    ms = {m["issuer"] for u, v, d in g.in_edges(nodes_with_number(g, "137/KH-UBND")[0], data=True)
          for m in d["mentions"]}
    assert ms == {"UBND tỉnh Lạng Sơn"}
    q = """PREFIX pg: <https://plangraph.invalid/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
           SELECT DISTINCT ?w WHERE { ?c pg:object ?d ; pg:issuerAsWritten ?w . ?d eli:id_local "249/KH-UBND" }"""
    assert {str(r.w) for r in rdf.query(q)} == {"UBND tỉnh"}


def test_documents_group_by_their_post_2025_province(seed_build):
    out, _, _ = seed_build
    rdf = Graph().parse(out / "graph.ttl")
    q = """PREFIX pg: <https://plangraph.invalid/ontology#>
           SELECT ?p (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d pg:successorProvince ?p ; pg:inCorpus true } GROUP BY ?p"""
    assert {(str(r.p), int(r.n)) for r in rdf.query(q)} == {("Lạng Sơn", 3), ("Thanh Hóa", 1)}
    q = """PREFIX pg: <https://plangraph.invalid/ontology#>
           SELECT DISTINCT ?p WHERE { ?o a pg:Issuer ; pg:successorProvince ?p }"""
    assert {str(r.p) for r in rdf.query(q)} == {"Lạng Sơn"}


def test_outputs_do_not_depend_on_where_the_corpus_is(tmp_path):
    """The same corpus in two places (and named by a relative or an absolute path) gives the same bytes."""
    outs = []
    for i, where in enumerate(("a/corpus", "b/deeper/corpus")):
        corpus = tmp_path / where
        shutil.copytree(CORPUS, corpus)
        out = tmp_path / f"out{i}"
        if i == 0:
            build(corpus, out, jobs=1)
        else:
            cwd = os.getcwd()
            os.chdir(corpus.parent)
            try:
                build(Path("corpus"), out, jobs=1)
            finally:
                os.chdir(cwd)
        outs.append(out)
    for name in ("graph.ttl", "graph.jsonld", "graph.graphml", "edges.csv", "graph.json", "report.json", "report.md",
                 "report.jsonl"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert str(tmp_path) not in (outs[0] / "graph.ttl").read_text(encoding="utf-8")


def test_jobs_1_and_2_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(build_mod, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(build_mod, "BATCH_FILES", 2)
    build(CORPUS, tmp_path / "one", jobs=1, use_cache=False)
    build(CORPUS, tmp_path / "two", jobs=2, use_cache=False)
    for name in ("graph.ttl", "graph.jsonld", "graph.graphml", "edges.csv", "graph.json", "report.json", "report.md",
                 "report.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_copies_of_one_document_keep_path_and_format_together(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = next(CORPUS.glob("000_*.txt")).read_bytes()
    (corpus / "000_a.txt").write_bytes(seed)
    (corpus / "000_b.md").write_bytes(seed)
    (corpus / "000_c.html").write_bytes(b"<html><body><pre>" + seed + b"</pre></body></html>")
    build(corpus, tmp_path / "out", jobs=1)
    g = load_node_link(tmp_path / "out" / "graph.json")
    [n] = nodes_with_number(g, "02/KH-UBND")
    d = g.nodes[n]
    assert (d["path"], d["format"]) == ("000_a.txt", "txt")
    assert "also the corpus file 000_b.md (md)" in d["notes"] and "also the corpus file 000_c.html (html)" in d["notes"]


def test_stale_temporary_files_are_removed_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = [".graph.ttl.k2j4h5g6.tmp", ".report.json.99999999.a1b2c3d4.tmp", ".graph.json.zz_x1y2z.tmp"]
    kept = [".notours.k2j4h5g6.tmp", "graph.ttl.bak", ".graph.ttl.tmp", f".edges.csv.{os.getppid()}.abcdefgh.tmp"]
    for name in stale + kept:
        (out / name).write_text("x")
    build(CORPUS, out, jobs=1)
    left = {p.name for p in out.iterdir()}
    assert not set(stale) & left and set(kept) <= left            # a running build's (pid alive) is left alone


def test_oversized_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    from graph_builder import read
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setattr(read, "MAX_BYTES", 4096)
    big = corpus / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(4097)                                       # sparse: MAX_BYTES + 1, nothing written
    read_sizes = []
    real_open = open

    class Spy:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.fh.close()

        def read(self, n=-1):
            data = self.fh.read(n)
            read_sizes.append(len(data))
            return data

    monkeypatch.setattr(build_mod, "open", lambda p, mode="r", *a, **k: Spy(real_open(p, mode, *a, **k)),
                        raising=False)
    seed = next(CORPUS.glob("000_*.txt")).read_bytes()
    (corpus / "grown.txt").write_bytes(seed[:1000])
    rep = build(corpus, tmp_path / "out", jobs=1, use_cache=False)
    reasons = {f["path"]: f["reason"] for f in rep.failed}
    assert reasons["big.txt"].startswith("too large (4,097 bytes; the limit is 4,096 bytes")
    assert set(reasons) == {"big.txt"} | {p.name for p in corpus.glob("0*.txt") if p.stat().st_size > 4096}
    assert max(read_sizes) <= 4097 and rep.documents == 6 - len(reasons) + 1


def test_reader_warnings_are_in_the_report(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = next(CORPUS.glob("000_*.txt")).read_text(encoding="utf-8")
    (corpus / "page.doc").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    (corpus / "plain.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    rep = build(corpus, out, jobs=1)
    assert [w["path"] for w in rep.warnings] == ["page.doc"]
    assert any("named .doc but the content is html" in w for w in rep.warnings[0]["warnings"])
    j = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert j["warnings"] == rep.warnings and j["counts"]["warnings"] == 1
    lines = [json.loads(x) for x in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["path"] for x in lines if x["kind"] == "warnings"] == ["page.doc"]
    assert "page.doc: named .doc but the content is html" in (out / "report.md").read_text(encoding="utf-8")
    # from the cache too
    again = build(corpus, out, jobs=1)
    assert again.files_extracted == 0 and again.warnings == rep.warnings


def test_report_counts_third_party_edges_and_mentions(seed_build):
    out, report, g = seed_build
    edges = [d for _, _, d in g.edges(data=True) if d["third_party"]]
    assert report.third_party_edges == len(edges) == 4
    assert report.third_party_mentions == sum(len(d["mentions"]) for d in edges) == 5
    assert "third-party relations: 4 edges (5 mentions; 5 stated in the texts)" in \
        (out / "report.md").read_text(encoding="utf-8")


def test_laws_cited_by_name_are_passed_by_the_national_assembly(seed_build):
    out, _report, g = seed_build
    laws = [d for _n, d in g.nodes(data=True) if d.get("kind") == "law-name"]
    assert len(laws) >= 9                                   # seed 004's eight, the amending law and the law it amends
    assert {(d["issuer"], d["issuer_code"], d["level"]) for d in laws} == {("Quốc hội", "QH", "central")}
