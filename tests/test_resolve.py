"""Identity resolution on hand-made extractions: places that do not resolve to one unit never merge documents
across files; resolved ones merge exactly when they are the same unit."""
from graph_builder.resolve import resolve

DOC = {"number": None, "type": "KH", "type_label": "Kế hoạch", "date": "2024-03-01", "issuer": None,
       "issuer_code": "UBND", "level": None, "place": None, "province": None, "title": None, "signer": None,
       "kind": "document"}


def cite(number, issuer="UBND tỉnh", date="2023-05-10", place=None, start=100, code="UBND",
         title="về cải cách hành chính", relation="implements", trigger="Thực hiện", type="KH"):
    text = f"Kế hoạch số {number} ngày 10/5/2023 của {issuer}"
    return {"number": number, "as_written": number, "type": type, "type_label": "Kế hoạch", "date": date,
            "issuer": issuer, "issuer_code": code, "issuer_level": None, "issuer_place": place,
            "title": title, "relation": relation, "trigger": trigger, "start": start,
            "end": start + len(text), "text": text, "number_start": start + 12, "number_end": start + 22,
            "nested_in": None, "evidence": f"{trigger} {text}.", "notes": []}


def named(name, date=None, number=None, start=500, relation="based_on", kind="LUAT"):
    return {"name": name, "kind": kind, "date": date, "number": number, "relation": relation, "trigger": "Căn cứ",
            "start": start, "end": start + len(name), "text": name, "evidence": f"Căn cứ {name}."}


def extraction(path, citations=(), **doc):
    return {"path": path, "document": {**DOC, **doc}, "citations": list(citations), "relations": [],
            "named_refs": [], "warnings": []}


def nodes_numbered(res, number):
    return [n for n in res.nodes.values() if n.number == number]


def test_unnamed_provinces_citing_the_same_number_stay_apart():
    res = resolve([extraction("a/1.txt", [cite("249/KH-UBND")], number="5/KH-UBND", level="commune"),
                   extraction("b/2.txt", [cite("249/KH-UBND")], number="7/KH-UBND", level="commune")])
    found = nodes_numbered(res, "249/KH-UBND")
    assert len(found) == 2 and all(n.status == "unresolved" for n in found)
    assert not any("249/KH-UBND" in m and "one document" in m for m in res.log)


def test_namesake_communes_issuing_the_same_number_stay_apart():
    # 24 units are called Tân Lập and neither file names its province: two documents, both in the corpus
    xs = [extraction(f"{d}/kh.txt", number="12/KH-UBND", issuer="UBND xã Tân Lập", level="commune",
                     place="Tân Lập") for d in ("x", "y")]
    res = resolve(xs)
    found = nodes_numbered(res, "12/KH-UBND")
    assert len(found) == 2 and all(n.in_corpus for n in found)
    assert found[0].scope.code != found[1].scope.code and found[0].scope.status == "ambiguous"
    # and a district name shared by ten districts, cited from two files that do not say their province
    res = resolve([extraction(f"{d}/kh.txt", [cite("60/KH-UBND", "UBND huyện Châu Thành", place="Châu Thành")])
                   for d in ("x", "y")])
    assert len(nodes_numbered(res, "60/KH-UBND")) == 2


def test_same_number_of_two_resolved_provinces_stays_apart():
    res = resolve([extraction("a.txt", [cite("249/KH-UBND")], number="5/KH-UBND", level="district",
                              place="Văn Quan", province="Lạng Sơn"),
                   extraction("b.txt", [cite("249/KH-UBND")], number="5/KH-UBND", level="district",
                              place="Hòa An", province="Cao Bằng")])
    found = nodes_numbered(res, "249/KH-UBND")
    assert sorted(n.scope.code for n in found) == ["vn-04", "vn-20"]
    assert all(n.status == "resolved" for n in found)


def test_same_document_cited_from_two_files_of_one_province_merges():
    res = resolve([extraction("a.txt", [cite("249/KH-UBND")], number="5/KH-UBND", level="district",
                              place="Văn Quan", province="Lạng Sơn"),
                   extraction("b.txt", [cite("249/KH-UBND", "UBND tỉnh Lạng Sơn", place="Lạng Sơn")],
                              number="12/KH-UBND", level="commune", place="Tú Xuyên")])
    found = nodes_numbered(res, "249/KH-UBND")
    assert len(found) == 1 and found[0].scope.code == "vn-20" and found[0].mentions == 2
    assert any(m.startswith("249/KH-UBND (tỉnh Lạng Sơn, 2023) is one document: citations in a.txt, b.txt")
               for m in res.log)


def test_files_of_the_same_name_in_two_folders_are_not_one_jurisdiction():
    res = resolve([extraction(f"{d}/ke-hoach.txt", [cite("3/KH", issuer=None)]) for d in ("q1", "q2")])
    assert len(nodes_numbered(res, "3/KH")) == 2


def test_merge_log_names_a_few_files_and_counts_the_rest():
    xs = [extraction(f"f{i:02d}.txt", [cite("76/NQ-CP", "Chính phủ", code="CP")], number=f"{i}/KH-UBND", level="province",
                     place="Lạng Sơn") for i in range(12)]
    res = resolve(xs)
    msg = next(m for m in res.log if m.startswith("76/NQ-CP"))
    assert "12 files (f00.txt, f01.txt, f02.txt, f03.txt, f04.txt, …)" in msg
    assert nodes_numbered(res, "76/NQ-CP")[0].mentions == 12


def test_provincial_city_is_not_its_province():
    res = resolve([extraction("t.txt", number="19/KH-UBND", date="2022-07-24", issuer="Ủy ban nhân dân tỉnh Hà Tĩnh",
                              level="province", place="Hà Tĩnh", province="Hà Tĩnh"),
                   extraction("c.txt", number="19/KH-UBND", date="2022-08-03",
                              issuer="Ủy ban nhân dân thành phố Hà Tĩnh", level="province", place="Hà Tĩnh",
                              province="Hà Tĩnh")])
    found = sorted(nodes_numbered(res, "19/KH-UBND"), key=lambda n: n.path)
    assert [(n.path, n.level) for n in found] == [("c.txt", "district"), ("t.txt", "province")]
    assert found[0].scope.label.startswith("thành phố Hà Tĩnh")


def test_two_corpus_files_without_a_year_are_not_merged():
    xs = [extraction(f"{d}.txt", number="16/KH-UBND", date=None, issuer="Ủy ban nhân dân quận 4",
                     level="district", place="4", province="Hồ Chí Minh") for d in ("a", "b")]
    res = resolve(xs)
    assert len([n for n in res.nodes.values() if n.in_corpus]) == 2
    assert any("kept apart" in m for m in res.ambiguous)


def test_a_kind_word_inside_a_place_name_does_not_change_the_level():
    # "xã Quản Bạ" is a commune of the district "huyện Quản Bạ": the name's "Quản" is not a "quận"
    xs = [extraction("c.txt", number="32/KH-UBND", date="2024-11-27", issuer="Ủy ban nhân dân xã Quản Bạ",
                     level="commune", place="Quản Bạ", province="Hà Giang"),
          extraction("d.txt", number="32/KH-UBND", date="2024-07-14", issuer="Ủy ban nhân dân huyện Quản Bạ",
                     level="district", place="Quản Bạ", province="Hà Giang")]
    found = sorted(nodes_numbered(resolve(xs), "32/KH-UBND"), key=lambda n: n.path)
    assert [(n.path, n.level) for n in found] == [("c.txt", "commune"), ("d.txt", "district")]


# ----------------------------------------------------------------------------------------------------------
# A number's central code wins over an issuer read from the text (vocabulary codes, not a hand list)
import pytest  # noqa: E402

from graph_builder import vocabulary  # noqa: E402
from graph_builder.graph import build_graph, successor_province  # noqa: E402
from graph_builder.resolve import number_level  # noqa: E402

NUMBER_LEVELS = [
    ("163/2024/NĐ-CP", "central"), ("76/NQ-CP", "central"), ("468/QĐ-TTg", "central"), ("43/CT-TTg", "central"),
    ("01/2024/TT-BLĐTBXH", "central"), ("19/2012/TTLT-BTC-BKHĐT", "central"), ("51/2024/QH15", "central"),
    ("03/2021/UBTVQH15", "central"), ("27-NQ/TW", "central"), ("567/BNV-CCVC", "central"),
    # a body the vocabulary does not know, in the normative format only central bodies use
    ("178/1998/TT-TCCP", "central"),
    # a former code of a ministry (the vocabulary's former_codes)
    ("600/QĐ-LĐTBXH", "central"), ("30/2011/TT-LĐTBXH", "central"),
    ("249/KH-UBND", "local"), ("15/2022/NQ-HĐND", "local"), ("60-NQ/TU", "local"), ("05/2025/QĐ-UBND", "local"),
    ("1234/UBND-NC", "local"),
    ("600/QĐ-VPĐP", None), ("12/QĐ-SGDĐT", None), ("3/KH", None),
]


@pytest.mark.parametrize("number,level", NUMBER_LEVELS)
def test_number_level(number, level):
    assert number_level(number, vocabulary.load()) == level


CENTRAL_READ_AS_LOCAL = [  # (number, issuer as the text gave it, its code)
    ("163/2024/NĐ-CP", "Ủy ban nhân dân cấp tỉnh", "UBND"),
    ("115/2025/NĐ-CP", "Ủy ban nhân dân", "UBND"),
    ("01/2024/TT-BLĐTBXH", "UBND tỉnh", "UBND"),
    ("178/1998/TT-TCCP", None, "TCCP"),
]


@pytest.mark.parametrize("number,issuer,code", CENTRAL_READ_AS_LOCAL)
def test_a_central_number_is_one_node_whatever_issuer_the_text_gives(number, issuer, code):
    res = resolve([extraction("a.txt", [cite(number, "Chính phủ", code="CP")], number="5/KH-UBND", level="province",
                              place="Lạng Sơn"),
                   extraction("b.txt", [cite(number, issuer, code=code)], number="6/NQ-CP", issuer="Chính phủ",
                              issuer_code="CP", level="central"),
                   extraction("c.txt", [cite(number, issuer, code=code)])])
    found = nodes_numbered(res, number)
    assert [n.scope.code for n in found] == ["vn"] and found[0].mentions == 3


def test_an_unknown_issuer_with_the_same_number_and_date_is_that_document():
    # "600/QĐ-VPĐP ngày 29/5/2020 của Bộ \nLao động Thương binh…": once read with its issuer, twice without
    # (VPĐP: a code the vocabulary does not know)
    res = resolve([extraction("a.txt", [cite("600/QĐ-VPĐP", "Bộ Lao động - Thương binh và Xã hội", date="2020-05-29",
                                             code="BLĐTBXH")]),
                   extraction("b.txt", [cite("600/QĐ-VPĐP", None, date="2020-05-29", code="VPĐP")]),
                   extraction("c.txt", [cite("600/QĐ-VPĐP", None, date="2020-05-29", code="VPĐP")]),
                   extraction("d.txt", [cite("600/QĐ-VPĐP", None, date="2021-01-02", code="VPĐP")])])
    found = sorted(nodes_numbered(res, "600/QĐ-VPĐP"), key=lambda n: n.date)
    assert [(n.scope.code, n.date, n.mentions) for n in found] == [("vn", "2020-05-29", 3),
                                                                    (found[1].scope.code, "2021-01-02", 1)]
    assert found[1].scope.code.startswith("x-")                # another date: nothing says it is the same
    assert any(m.startswith("600/QĐ-VPĐP of 2020-05-29 cited without its issuer in b.txt is") for m in res.log)
    # but a local body's "UBND tỉnh" that no file names is never joined to a province's document
    res = resolve([extraction("a.txt", [cite("251/KH-UBND", "UBND tỉnh Lạng Sơn", place="Lạng Sơn")]),
                   extraction("b.txt", [cite("251/KH-UBND")])])
    assert len(nodes_numbered(res, "251/KH-UBND")) == 2


# ----------------------------------------------------------------------------------------------------------
# Dates: one body's number in one year is one document only when the dates agree

def test_same_number_and_year_with_different_dates_stays_apart_and_is_reported():
    ls = dict(level="province", place="Lạng Sơn", province="Lạng Sơn")
    res = resolve([extraction("a.txt", [cite("249/KH-UBND", date="2021-12-29")], number="1/KH-UBND", **ls),
                   extraction("b.txt", [cite("249/KH-UBND", date="2021-03-05")], number="2/KH-UBND", **ls),
                   extraction("c.txt", [cite("249/KH-UBND", date="2021-12-29")], number="3/KH-UBND", **ls),
                   extraction("d.txt", [cite("249/KH-UBND", date="2021-12")], number="4/KH-UBND", **ls)])
    found = sorted(nodes_numbered(res, "249/KH-UBND"), key=lambda n: n.date)
    assert [(n.date, n.mentions) for n in found] == [("2021-03-05", 1), ("2021-12", 1), ("2021-12-29", 2)]
    assert found[1].status == "ambiguous"                       # a month cannot tell which
    msg = next(m for m in res.ambiguous if "different dates" in m)
    assert "249/KH-UBND (tỉnh Lạng Sơn, 2021)" in msg and "2021-03-05 (1 mention, first in b.txt)" in msg
    assert "2021-12-29 (2 mentions, first in a.txt)" in msg and "kept apart as 2 documents" in msg
    iris = {build_graph(res).nodes[i]["date"]: i for i in build_graph(res).nodes if "249" in i}
    assert iris["2021-03-05"].endswith("/eli/vn-20/kh/2021/03/05/249-kh-ubnd")
    assert iris["2021-12-29"].endswith("/eli/vn-20/kh/2021/12/29/249-kh-ubnd")
    assert iris["2021-12"].endswith("/eli/vn-20/kh/2021/249-kh-ubnd")


def test_a_number_with_its_year_cited_with_two_dates_is_one_document_reported():
    res = resolve([extraction("a.txt", [cite("113/2015/NĐ-CP", "Chính phủ", "2015-11-09", code="CP")]),
                   extraction("b.txt", [cite("113/2015/NĐ-CP", "Chính phủ", "2015-10-09", code="CP"),
                                        cite("113/2015/NĐ-CP", "Chính phủ", "2015-10-09", code="CP", start=400)]),
                   extraction("c.txt", [cite("58/2022/NĐ-CP", "Chính phủ", "2002-08-31", code="CP")]),
                   extraction("d.txt", [cite("58/2022/NĐ-CP", "Chính phủ", "2022-08-31", code="CP")])])
    [n113], [n58] = nodes_numbered(res, "113/2015/NĐ-CP"), nodes_numbered(res, "58/2022/NĐ-CP")
    assert (n113.date, n58.date) == ("2015-10-09", "2022-08-31")     # the most cited; the number's year
    [c113] = [c for c in res.date_conflicts if c.startswith("113/2015/NĐ-CP")]
    assert "2015-10-09 (2 mentions: b.txt); 2015-11-09 (1 mention: a.txt)" in c113 and "date 2015-10-09 kept" in c113
    assert any(c.startswith("58/2022/NĐ-CP") and "kept (in the year its number carries)" in c for c in res.date_conflicts)
    # a corpus file's own date wins over its citations
    res = resolve([extraction("t.txt", number="04/2023/TT-BKHĐT", date="2023-06-26", issuer="Bộ Kế hoạch và Đầu tư",
                              issuer_code="BKHĐT", level="central"),
                   extraction("u.txt", [cite("04/2023/TT-BKHĐT", "Bộ Kế hoạch và Đầu tư", "2023-06-25", code="BKHĐT"),
                                        cite("04/2023/TT-BKHĐT", "Bộ Kế hoạch và Đầu tư", "2023-06-25", code="BKHĐT",
                                             start=300)])])
    assert [n.date for n in nodes_numbered(res, "04/2023/TT-BKHĐT")] == ["2023-06-26"]


# ----------------------------------------------------------------------------------------------------------
def test_laws_cited_by_name_keep_their_evidence_and_kind():
    x = extraction("a.txt")
    x["named_refs"] = [{"name": "Luật Đất đai", "kind": "LUAT", "date": None, "number": None,
                        "relation": "implements", "trigger": "quán triệt", "start": 10, "end": 22,
                        "text": "Luật Đất đai", "evidence": "Quán triệt Luật Đất đai năm 2024."}]
    res = resolve([x])
    [e] = res.edges
    assert e.evidence == "Quán triệt Luật Đất đai năm 2024." and res.nodes[e.target].kind == "law-name"
    x["named_refs"][0].pop("evidence")                         # an extraction cached before the field existed
    assert resolve([x]).edges[0].evidence == ""


SUCCESSORS = [("vn-20", "Lạng Sơn"), ("vn-20-d184", "Lạng Sơn"), ("vn-24", "Bắc Ninh"), ("vn-24-c07210", "Bắc Ninh"),
              ("vn-38", "Thanh Hóa"), ("vn", ""), ("x-a-1234-p", ""), ("vn-?-d-chau-thanh", "")]


@pytest.mark.parametrize("code,name", SUCCESSORS)
def test_successor_province_of_a_jurisdiction(code, name):
    assert successor_province(code) == name


# ----------------------------------------------------------------------------------------------------------
# A news article reports on documents: it only cites them, whatever its verb; the verb stays in the trigger
NEWS = dict(number=None, type=None, type_label=None, kind="news", level=None, province="Thanh Hóa", date="2024-01-05",
            title="Thanh Hóa triển khai cải cách hành chính")


def test_a_news_article_only_cites():
    x = extraction("news.txt", [cite("27-NQ/TW", "Ban Chấp hành Trung ương", code="TW", relation="implements",
                                     trigger="thực hiện"),
                                {**cite("1/2024/NĐ-CP", "Chính phủ", code="CP", relation="replaces", trigger="thay thế",
                                        start=300), "also": ["repeals"]}], **NEWS)
    x["named_refs"] = [named("Luật Đất đai", "2024", relation="based_on")]
    res = resolve([x])
    assert sorted((e.relation, e.trigger) for e in res.edges) == [("cites", "Căn cứ"), ("cites", "thay thế"),
                                                                   ("cites", "thực hiện")]
    # a document's own citations keep their relations
    x = extraction("kh.txt", [cite("27-NQ/TW", "Ban Chấp hành Trung ương", code="TW")], number="5/KH-UBND",
                   level="province", place="Thanh Hóa")
    assert [e.relation for e in resolve([x]).edges] == ["implements"]


# ----------------------------------------------------------------------------------------------------------
# One body, one issuer: a former code is its body's
def test_a_former_code_is_its_body_and_links_only_declared_concepts():
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from graph_builder.rdf import ELI, issuer_broader, to_rdf
    res = resolve([extraction("a.txt", [cite("600/QĐ-LĐTBXH", "Bộ Lao động - Thương binh và Xã hội", "2020-05-29",
                                             code="BLĐTBXH"),
                                        cite("01/2024/TT-BLĐTBXH", None, "2024-01-02", code=None, start=300),
                                        cite("1006/BC-UBXH15", None, "2022-01-02", code="UBXH15", start=500)],
                              number="5/KH-UBND", level="province", place="Lạng Sơn")])
    codes = {n.number: n.issuer_code for n in res.nodes.values()}
    assert codes["600/QĐ-LĐTBXH"] == codes["01/2024/TT-BLĐTBXH"] == "BLĐTBXH"
    g = build_graph(res)
    rdf = to_rdf(g)
    orgs = {str(o) for n in g.nodes if g.nodes[n]["number"] in ("600/QĐ-LĐTBXH", "01/2024/TT-BLĐTBXH")
            for o in rdf.objects(URIRef(n), ELI.passed_by)}
    assert len(orgs) == 1 and orgs.pop().endswith("/org/vn/BL%C4%90TBXH")
    declared = set(rdf.subjects())
    for p in (SKOS.broader, ELI.passed_by, ELI.type_document):
        assert set(rdf.objects(None, p)) <= declared, p
    assert str(issuer_broader("QH15")).endswith("/issuer/QH") and issuer_broader("LĐTBXH") == issuer_broader("BLĐTBXH")
    assert str(issuer_broader("UBXH15")).endswith("/issuer/UBXH")     # a Quốc hội committee, in the vocabulary
    assert issuer_broader("UBZZ15") is None                             # a code nobody declared


# ----------------------------------------------------------------------------------------------------------
# A law cited by its name joins the numbered law of that name and date (or year), when exactly one
LAWS = dict(level="central", issuer="Chính phủ", issuer_code="CP")


def law(number, name=None, date=None, start=100):
    c = cite(number, "Quốc hội", date, code="QH", title=None, relation="based_on", trigger="Căn cứ", type="LUAT",
             start=start)
    c["type_label"] = "Luật"
    return c, (named(name, date, number, start=start) if name else None)


def law_file(path, laws, refs=(), number="1/2025/NĐ-CP"):
    x = extraction(path, [c for c, _ in laws], number=number, **LAWS)
    x["named_refs"] = [r for _, r in laws if r] + list(refs)
    return x


NAMED_LAW_CASES = [
    # (numbered laws cited with their names: (number, name, date)), (the name and date cited alone), joined to
    ([("45/2019/QH14", "Bộ luật Lao động", "2019-11-20")], ("Bộ luật Lao động", "2019-11-20"), "45/2019/QH14"),
    ([("31/2024/QH15", "Luật Đất đai", None)], ("Luật Đất đai", "2024"), "31/2024/QH15"),
    ([("31/2024/QH15", "Luật Đất đai", None)], ("Luật Đất đai", "2024-01-18"), "31/2024/QH15"),
    # another date, another year, another name: another law
    ([("45/2019/QH14", "Bộ luật Lao động", "2019-11-20")], ("Bộ luật Lao động", "2019-11-21"), None),
    ([("31/2024/QH15", "Luật Đất đai", None)], ("Luật Đất đai", "2013"), None),
    ([("45/2013/QH13", "Luật Đất đai", None)], ("Luật Đất đai", None), None),
    ([("61/2020/QH14", "Luật Đầu tư", "2020-06-17")], ("Luật Đầu tư công", "2020-06-17"), None),
    # two numbered laws with that name and year: kept apart
    ([("64/2025/QH15", "Luật Ban hành văn bản quy phạm pháp luật", None),
      ("87/2025/QH15", "Luật Ban hành văn bản quy phạm pháp luật", None)],
     ("Luật Ban hành văn bản quy phạm pháp luật", "2025-02-19"), None),
    # a numbered law known by its type and title (a table of laws: "Đầu tư | 01/01/2021")
    ([("61/2020/QH14", None, "2020-06-17")], ("Luật Đầu tư", "2020-06-17"), "61/2020/QH14"),
]


@pytest.mark.parametrize("numbered,alone,joined", NAMED_LAW_CASES)
def test_a_law_cited_by_name_is_the_numbered_law(numbered, alone, joined):
    laws = [law(num, name, date, start=100 + 200 * i) for i, (num, name, date) in enumerate(numbered)]
    for (c, _r), (num, name, _d) in zip(laws, numbered):
        if name is None:
            c["title"] = "Đầu tư 01/01/2021"
    res = resolve([law_file("a.txt", laws), law_file("b.txt", [], [named(*alone)], number="2/2025/NĐ-CP")])
    by_name = [n for n in res.nodes.values() if n.kind == "law-name"]
    if joined is None:
        assert len(by_name) == 1 and not any("cited by its name is" in m for m in res.log)
        if len(numbered) > 1:
            assert any("could be any of 64/2025/QH15, 87/2025/QH15" in m for m in res.ambiguous)
    else:
        assert by_name == []
        [n] = nodes_numbered(res, joined)
        assert n.mentions == 2 and {e.file for e in res.edges if e.target == n.key} == {"a.txt", "b.txt"}
        assert any(m.startswith(f"{alone[0]} ({alone[1]}) cited by its name is {joined}") for m in res.log)


# ----------------------------------------------------------------------------------------------------------
# IRIs do not depend on which other documents the corpus holds
def test_a_dated_document_keeps_its_iri_when_another_of_its_number_appears():
    ls = dict(level="province", place="Lạng Sơn", province="Lạng Sơn")
    first = [extraction("a.txt", [cite("249/KH-UBND", date="2021-12-29"), cite("76/NQ-CP", "Chính phủ", "2021-07-15", type="NQ",
                                                                              code="CP", start=300)],
                        number="1/KH-UBND", date="2022-01-05", **ls),
             extraction("b.txt", [cite("249/KH-UBND", date="2021")], number="2/KH-UBND", date="2022-02-01", **ls)]
    before = set(build_graph(resolve(first)).nodes)
    after = set(build_graph(resolve([*first, extraction("c.txt", [cite("249/KH-UBND", date="2021-03-05")],
                                                        number="3/KH-UBND", date="2022-03-01", **ls)])).nodes)
    assert before < after
    assert any(i.endswith("/eli/vn-20/kh/2021/12/29/249-kh-ubnd") for i in before)
    assert any(i.endswith("/eli/vn/nq/2021/07/15/76-nq-cp") for i in before)


# ----------------------------------------------------------------------------------------------------------
# A corpus file without a number is the cited document with its issuer, type, full date and title
TX = dict(level="commune", place="Tú Xuyên", province="Lạng Sơn", issuer="UBND xã Tú Xuyên", issuer_code="UBND",
          title="Cải cách hành chính xã Tú Xuyên năm 2023")
TX_CITE = dict(issuer="UBND xã", date="2023-02-01", title="về cải cách hành chính xã Tú Xuyên năm 2023")

BLANK_CASES = [  # (the blank file's date, its issuer code, does it replace 12/KH-UBND itself?, merged?)
    ("2023-02-01", "UBND", False, True),
    ("2023", "UBND", False, False),                 # a year is not a date
    ("2023-02", "UBND", False, False),
    ("2023-02-02", "UBND", False, False),
    ("2023-02-01", "HĐND", False, False),          # another body of the same commune
    ("2023-02-01", "UBND", True, False),            # it cites the document: it is not it
]


@pytest.mark.parametrize("date,code,replaces,merged", BLANK_CASES)
def test_a_file_without_a_number_is_the_cited_document_only_when_everything_agrees(date, code, replaces, merged):
    other = extraction("other.txt", [cite("12/KH-UBND", **TX_CITE)], number="20/KH-UBND", date="2023-03-01",
                       **{**TX, "title": "Tuyên truyền cải cách hành chính năm 2023"})
    own = [cite("12/KH-UBND", relation="replaces", trigger="thay thế", **TX_CITE)] if replaces else []
    blank = extraction("blank.txt", own, date=date, **{**TX, "issuer_code": code})
    res = resolve([other, blank])
    [n12] = nodes_numbered(res, "12/KH-UBND")
    assert (n12.path == "blank.txt") == merged
    assert any(m.startswith("blank.txt (no number of its own) is 12/KH-UBND") for m in res.log) == merged
    if replaces:
        assert [(e.relation, res.nodes[e.source].path) for e in res.edges if e.target == n12.key
                and e.file == "blank.txt"] == [("replaces", "blank.txt")]


# ----------------------------------------------------------------------------------------------------------
# A document cannot cite one issued after it
LS = dict(level="province", place="Lạng Sơn", province="Lạng Sơn", issuer="UBND tỉnh Lạng Sơn")


def test_an_undated_citation_never_joins_a_later_document():
    dated = extraction("b.txt", [cite("105/KH-UBND", "UBND tỉnh Lạng Sơn", "2024-05-14", place="Lạng Sơn")],
                       number="7/KH-UBND", date="2024-06-01", **LS)
    early = extraction("a.txt", [cite("105/KH-UBND", "UBND tỉnh Lạng Sơn", None, place="Lạng Sơn")],
                       number="3/KH-UBND", date="2019-04-10", **LS)
    res = resolve([early, dated])
    assert sorted((n.date or "", n.mentions) for n in nodes_numbered(res, "105/KH-UBND")) == [("", 1), ("2024-05-14", 1)]
    msg = next(m for m in res.ambiguous if m.startswith("105/KH-UBND"))
    assert "is not 2024-05-14: issued after the citing a.txt (2019-04-10)" in msg
    assert not any("105/KH-UBND" in m for m in res.log)
    # a file of after the plan joins it, and the log says which mentions give the date
    late = extraction("a.txt", [cite("105/KH-UBND", "UBND tỉnh Lạng Sơn", None, place="Lạng Sơn")],
                      number="3/KH-UBND", date="2024-07-10", **LS)
    res = resolve([late, dated])
    [n] = nodes_numbered(res, "105/KH-UBND")
    assert n.mentions == 2
    msg = next(m for m in res.log if m.startswith("105/KH-UBND (tỉnh Lạng Sơn, 2024) is one document"))
    assert "the same number and jurisdiction; the date 2024-05-14 is given by 1 of the 2 mentions" in msg
    # of two dated documents, the only one the file could cite
    older = extraction("c.txt", [cite("105/KH-UBND", "UBND tỉnh Lạng Sơn", "2019-03-01", place="Lạng Sơn")],
                       number="9/KH-UBND", date="2019-03-20", **LS)
    res = resolve([early, dated, older])
    assert sorted((n.date, n.mentions) for n in nodes_numbered(res, "105/KH-UBND")) == [("2019-03-01", 2),
                                                                                         ("2024-05-14", 1)]


# ----------------------------------------------------------------------------------------------------------
# A statement whose two ends are one document is listed, not dropped silently
def test_a_statement_that_becomes_a_loop_is_listed():
    laws = [law("40/2009/QH12", "Luật Khám bệnh, chữa bệnh", None)]
    x = law_file("a.txt", laws)
    x["relations"] = [{"source": "40/2009/QH12", "target": "Luật Khám bệnh, chữa bệnh", "relation": "cites",
                       "trigger": "quy định tại", "evidence": "…", "start": 700, "end": 712},
                      {"source": "9/2099/QH99", "target": "40/2009/QH12", "relation": "amends",
                       "trigger": "sửa đổi", "evidence": "…", "start": 800, "end": 807}]
    res = resolve([x])
    assert not [e for e in res.edges if e.third_party]
    assert len(res.dropped) == 2
    assert res.dropped[0].startswith("a.txt [700:712]: a third-party statement 'quy định tại' (40/2009/QH12 cites "
                                     "Luật Khám bệnh, chữa bệnh): the same document at both ends")
    assert "9/2099/QH99 not cited in the file" in res.dropped[1]
