"""graph_builder.places: resolving loosely written Vietnamese place names to pre-2025 units."""
import importlib.util
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("vietnamadminunits") is None,
    reason="dataset package missing: add 'vietnamadminunits>=1.0.4,<1.1' to the dependencies")

from graph_builder import places  # noqa: E402
from graph_builder.places import Place, PlaceMatch, province_successor, provinces, resolve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# (name, level, context, full_name, code, province, district) for names that must resolve
RESOLVED = [
    ("Lạng Sơn", None, {}, "Tỉnh Lạng Sơn", "20", "Lạng Sơn", None),
    ("tỉnh Lạng Sơn", None, {}, "Tỉnh Lạng Sơn", "20", "Lạng Sơn", None),
    ("UBND tỉnh Lạng Sơn", None, {}, "Tỉnh Lạng Sơn", "20", "Lạng Sơn", None),
    ("Lạng Sơn", "province", {}, "Tỉnh Lạng Sơn", "20", "Lạng Sơn", None),
    ("thành phố Lạng Sơn", None, {}, "Thành phố Lạng Sơn", "178", "Lạng Sơn", None),
    ("Lạng Sơn", "district", {}, "Thành phố Lạng Sơn", "178", "Lạng Sơn", None),
    ("huyện Văn Quan", None, {"province": "Lạng Sơn"}, "Huyện Văn Quan", "184", "Lạng Sơn", None),
    ("UBND huyện Văn Quan", "district", {"province": "tỉnh Lạng Sơn"}, "Huyện Văn Quan", "184", "Lạng Sơn", None),
    ("UBND huyện Văn Quan, tỉnh Lạng Sơn", None, {}, "Huyện Văn Quan", "184", "Lạng Sơn", None),
    ("Tú Xuyên", "commune", {"district": "Văn Quan"}, "Xã Tú Xuyên", "06277", "Lạng Sơn", "Văn Quan"),
    ("UBND xã Tú Xuyên", None, {"district": "huyện Văn Quan", "province": "Lạng Sơn"},
     "Xã Tú Xuyên", "06277", "Lạng Sơn", "Văn Quan"),
    ("xã Tú Xuyên, huyện Văn Quan, tỉnh Lạng Sơn", None, {}, "Xã Tú Xuyên", "06277", "Lạng Sơn", "Văn Quan"),
    ("xã Tú Xuyên, huyện Văn Quan", None, {}, "Xã Tú Xuyên", "06277", "Lạng Sơn", "Văn Quan"),
    ("xa Tu Xuyen", None, {}, "Xã Tú Xuyên", "06277", "Lạng Sơn", "Văn Quan"),
    ("Bắc Sơn", "district", {"province": "Lạng Sơn"}, "Huyện Bắc Sơn", "185", "Lạng Sơn", None),
    ("huyện Bắc Sơn", None, {"province": "Lang Son"}, "Huyện Bắc Sơn", "185", "Lạng Sơn", None),
    ("huyện Châu Thành", None, {"province": "Tiền Giang"}, "Huyện Châu Thành", "821", "Tiền Giang", None),
    ("huyện Châu Thành", None, {"province": "tỉnh Bến Tre"}, "Huyện Châu Thành", "831", "Bến Tre", None),
    ("Thanh Hóa", None, {}, "Tỉnh Thanh Hóa", "38", "Thanh Hóa", None),
    ("Thanh Hoá", None, {}, "Tỉnh Thanh Hóa", "38", "Thanh Hóa", None),
    ("Thanh Hoa", None, {}, "Tỉnh Thanh Hóa", "38", "Thanh Hóa", None),
    ("THANH HOA", None, {}, "Tỉnh Thanh Hóa", "38", "Thanh Hóa", None),
    ("tỉnh Thanh Hoá", None, {}, "Tỉnh Thanh Hóa", "38", "Thanh Hóa", None),
    ("TP. Hồ Chí Minh", None, {}, "Thành phố Hồ Chí Minh", "79", "Hồ Chí Minh", None),
    ("Hồ Chí Minh", None, {}, "Thành phố Hồ Chí Minh", "79", "Hồ Chí Minh", None),
    ("TP.HCM", None, {}, "Thành phố Hồ Chí Minh", "79", "Hồ Chí Minh", None),
    ("thành phố Hà Nội", None, {}, "Thành phố Hà Nội", "01", "Hà Nội", None),
    ("Hà Nội", "province", {}, "Thành phố Hà Nội", "01", "Hà Nội", None),
    # a tone mark tells Thạnh Hóa (a district of Long An) from Thanh Hóa
    ("Thạnh Hóa", None, {}, "Huyện Thạnh Hóa", "800", "Long An", None),
    ("Lạng Sơn", "commune", {}, "Xã Lạng Sơn", "17365", "Nghệ An", "Anh Sơn"),  # not Lãng Sơn, Lang Sơn
    # written without diacritics, "Quan" may be the kind word quận or part of the name
    ("Quan Hoa", "district", {}, "Huyện Quan Hóa", "385", "Thanh Hóa", None),
    ("Quận 1", None, {}, "Quận 1", "760", "Hồ Chí Minh", None),
    ("Phường 01", None, {"district": "Quận 3", "province": "TP Hồ Chí Minh"}, "Phường 1", "27160", "Hồ Chí Minh", "3"),
    # an ambiguous context still narrows: only one of the ten Châu Thành has a Xã Tam Hiệp
    ("Tam Hiệp", "commune", {"district": "Châu Thành"}, "Xã Tam Hiệp", "28537", "Tiền Giang", "Châu Thành"),
    # the dataset's former names: Kỳ Sơn (Hòa Bình) was merged into the city of Hòa Bình
    ("huyện Kỳ Sơn", None, {"province": "Hòa Bình"}, "Thành phố Hòa Bình", "148", "Hòa Bình", None),
    ("tỉnh Thừa Thiên Huế", None, {}, "Thành phố Huế", "46", "Huế", None),
    ("thành phố Ninh Bình", None, {}, "Thành phố Hoa Lư", "374", "Ninh Bình", None),  # not the tỉnh
    ("thị xã Phúc Yên", None, {}, "Thành phố Phúc Yên", "244", "Vĩnh Phúc", None),  # type changed
    # a huyện and a thị xã share a name in one province: the kind word decides
    ("huyện Cai Lậy", None, {"province": "Tiền Giang"}, "Huyện Cai Lậy", "820", "Tiền Giang", None),
    ("thị xã Cai Lậy", None, {"province": "Tiền Giang"}, "Thị xã Cai Lậy", "817", "Tiền Giang", None),
    # written with diacritics, "Sa Pa" is not its neighbour "Sa Pả"
    ("Phường Sa Pa", None, {"province": "Lào Cai"}, "Phường Sa Pa", "03001", "Lào Cai", "Sa Pa"),
]


@pytest.mark.parametrize("name,level,ctx,full_name,code,province,district", RESOLVED,
                         ids=[f"{r[0]}|{r[1]}|{','.join(r[2].values())}" for r in RESOLVED])
def test_resolved(name, level, ctx, full_name, code, province, district):
    m = resolve(name, level, **ctx)
    assert m.status == "resolved", m.reason
    assert (m.place.full_name, m.place.code, m.place.province, m.place.district) == \
        (full_name, code, province, district), m.reason
    assert m.candidates == () and m.reason


def test_place_fields():
    m = resolve("Tú Xuyên", "commune", district="Văn Quan")
    assert m.place == Place(code="06277", name="Tú Xuyên", kind="commune", full_name="Xã Tú Xuyên",
                            province="Lạng Sơn", province_code="20", district="Văn Quan")
    assert resolve("huyện Văn Quan", province="Lạng Sơn").place.kind == "district"
    assert resolve("Lạng Sơn").place == Place("20", "Lạng Sơn", "province", "Tỉnh Lạng Sơn",
                                              "Lạng Sơn", "20", None)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("text", ["Thanh Hóa", "Thanh Hoá", "tỉnh Thanh Hoá", "THANH HÓA"])
def test_spellings_of_one_province(form, text):
    m = resolve(unicodedata.normalize(form, text))
    assert m.status == "resolved" and m.place.code == "38", m.reason


def test_nfd_commune_and_context():
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    m = resolve(nfd("xã Tú Xuyên"), district=nfd("huyện Văn Quan"), province=nfd("tỉnh Lạng Sơn"))
    assert m.status == "resolved" and m.place.code == "06277", m.reason


# (name, level, context, minimum number of candidates, a province among them)
AMBIGUOUS = [
    ("huyện Châu Thành", None, {}, 3, "Tiền Giang"),
    ("Châu Thành", "district", {}, 3, "Bến Tre"),
    ("xã Tân Lập", None, {}, 10, "Lạng Sơn"),
    ("xã Tân Thành", None, {"province": "Lạng Sơn"}, 2, "Lạng Sơn"),
    ("Lang Son", "commune", {}, 3, "Phú Thọ"),  # Lạng Sơn, Lãng Sơn, Lang Sơn
    ("Cai Lậy", "district", {"province": "Tiền Giang"}, 2, "Tiền Giang"),  # huyện and thị xã
    ("xa Vinh Hung", None, {"district": "Vĩnh Lộc", "province": "Thanh Hóa"}, 2, "Thanh Hóa"),  # Hùng, Hưng
]


@pytest.mark.parametrize("name,level,ctx,at_least,province", AMBIGUOUS)
def test_ambiguous(name, level, ctx, at_least, province):
    m = resolve(name, level, **ctx)
    assert m.status == "ambiguous" and m.place is None, m.reason
    assert len(m.candidates) >= at_least
    assert province in {p.province for p in m.candidates}
    assert list(m.candidates) == sorted(m.candidates, key=lambda p: p.code)
    assert "give a province or district" in m.reason


def test_chau_thanh_lists_every_province():
    m = resolve("huyện Châu Thành")
    assert {p.province for p in m.candidates} == {
        "Tây Ninh", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Đồng Tháp", "An Giang",
        "Kiên Giang", "Hậu Giang", "Sóc Trăng"}
    assert all(p.kind == "district" for p in m.candidates)


# (name, level, context, words the reason must contain)
UNRESOLVED = [
    ("Xyzabc", None, {}, "no unit of that name"),
    ("huyện Văn Quan", None, {"province": "Bắc Giang"}, "Lạng Sơn"),      # says where it does exist
    ("huyện Văn Quan", None, {"province": "Atlantis"}, "context province"),
    ("Văn Quan", "province", {}, "no province of that name"),
    ("tỉnh Văn Quan", None, {}, "no tỉnh of that name"),
    ("Thường trực HĐND tỉnh", None, {}, "no place name"),
    ("", None, {}, "no place name"),
]


@pytest.mark.parametrize("name,level,ctx,why", UNRESOLVED)
def test_unresolved(name, level, ctx, why):
    m = resolve(name, level, **ctx)
    assert m == PlaceMatch("unresolved", None, (), m.reason)
    assert why in m.reason


def test_higher_level_preferred_without_kind_word_and_said_so():
    m = resolve("Lạng Sơn")
    assert m.place.kind == "province"
    assert "took the province" in m.reason and "Thành phố Lạng Sơn" in m.reason
    m = resolve("Văn Quan")  # the district, and Thị trấn Văn Quan in it
    assert m.place.code == "184" and "Thị trấn Văn Quan" in m.reason


def test_kind_word_of_other_type_is_kept_but_reported():
    m = resolve("thị xã Văn Quan")  # the dataset says Huyện
    assert m.status == "resolved" and m.place.code == "184"
    assert "written as 'thị xã'" in m.reason


def test_diacritics_fallback_is_reported():
    m = resolve("Lạng Sơn", "commune", province="Bắc Giang")  # the commune there is Lãng Sơn
    assert m.status == "resolved" and m.place.full_name == "Xã Lãng Sơn"
    assert "ignoring diacritics" in m.reason


def test_bad_level():
    with pytest.raises(ValueError):
        resolve("Lạng Sơn", "ward")


SUCCESSORS = [
    ("Hà Giang", "Tuyên Quang", "08"),     # merged into Tuyên Quang
    ("tỉnh Hà Giang", "Tuyên Quang", "08"),
    ("02", "Tuyên Quang", "08"),           # pre-2025 code of Hà Giang
    ("Tuyên Quang", "Tuyên Quang", "08"),
    ("Lạng Sơn", "Lạng Sơn", "20"),        # kept
    ("Long An", "Tây Ninh", "80"),         # the successor took Long An's code
    ("Tây Ninh", "Tây Ninh", "80"),
    ("Bình Dương", "Hồ Chí Minh", "79"),
    ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh", "79"),
    ("Hải Dương", "Hải Phòng", "31"),
    ("Thừa Thiên Huế", "Huế", "46"),
]


@pytest.mark.parametrize("given,name,code", SUCCESSORS)
def test_province_successor(given, name, code):
    p = province_successor(given)
    assert p is not None and (p.name, p.code, p.kind, p.province_code, p.district) == \
        (name, code, "province", code, None)


@pytest.mark.parametrize("given", ["Atlantis", "Văn Quan", "99", "Châu Thành"])
def test_no_successor(given):
    assert province_successor(given) is None


def test_every_province_has_a_successor_among_34():
    successors = {province_successor(p.code) for p in provinces()}
    assert None not in successors and len(successors) == 34


def test_provinces():
    ps = provinces()
    assert len(ps) == 63
    assert [p.code for p in ps] == sorted(p.code for p in ps)
    assert all(p.kind == "province" and p.district is None and p.province == p.name
               and p.province_code == p.code for p in ps)
    assert ps[0].full_name == "Thành phố Hà Nội"
    for p in ps:  # each province name resolves back to itself
        assert resolve(p.name, "province").place == p


def test_every_unit_resolves_to_itself_by_full_name_and_context():
    data = places._data()
    units = {(u.place.kind, u.place.code): u for us in data.by_folded.values() for u in us}
    districts = {u.place.code: u.place.full_name for u in units.values() if u.place.kind == "district"}
    assert sum(1 for kind, _ in units if kind == "commune") > 10_000
    wrong = []
    for u in units.values():
        p = u.place
        ctx = {} if p.kind == "province" else {"province": p.province}
        if p.kind == "commune":
            ctx["district"] = districts[u.district_code]
        if resolve(p.full_name, **ctx).place != p:
            wrong.append(p)
    assert wrong == []


def test_deterministic_and_cached():
    a, b = resolve("xã Tân Lập"), resolve("xã Tân Lập")
    assert a == b and a.candidates == tuple(sorted(a.candidates, key=lambda p: p.code))
    assert provinces() is provinces()


def test_loading_is_lazy():
    code = ("import graph_builder.places as p; assert p._data.cache_info().currsize == 0; "
            "p.provinces(); assert p._data.cache_info().currsize == 1")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
