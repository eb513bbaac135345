"""Identity resolution on hand-made extractions: places that do not resolve to one unit never merge documents
across files; resolved ones merge exactly when they are the same unit."""
from graph_builder.resolve import resolve

DOC = {"number": None, "type": "KH", "type_label": "Kế hoạch", "date": "2024-03-01", "issuer": None,
       "issuer_code": "UBND", "level": None, "place": None, "province": None, "title": None, "signer": None,
       "kind": "document"}


def cite(number, issuer="UBND tỉnh", date="2023-05-10", place=None, start=100, code="UBND"):
    text = f"Kế hoạch số {number} ngày 10/5/2023 của {issuer}"
    return {"number": number, "as_written": number, "type": "KH", "type_label": "Kế hoạch", "date": date,
            "issuer": issuer, "issuer_code": code, "issuer_level": None, "issuer_place": place,
            "title": "về cải cách hành chính", "relation": "implements", "trigger": "Thực hiện", "start": start,
            "end": start + len(text), "text": text, "number_start": start + 12, "number_end": start + 22,
            "nested_in": None, "evidence": f"Thực hiện {text}.", "notes": []}


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
