"""Normalisation keeps a map back to the original text."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder import extract_text
from graph_builder.extract.clean import normalise
from graph_builder.textfold import _FOLD, ARRAY_CHUNK, ARRAY_FROM, fold, lower


def test_nfc_text_is_unchanged_and_identity_mapped():
    n = normalise("Căn cứ Nghị định số 61/2018/NĐ-CP")
    assert n.starts is None and n.text == "Căn cứ Nghị định số 61/2018/NĐ-CP"


def test_nfd_and_zero_width_map_back_to_original():
    original = unicodedata.normalize("NFD", "Thực hiện Kế hoạch số\u200b 249/KH-UBND của Ủy ban") + "\ufeff!"
    n = normalise(original)
    assert n.text == "Thực hiện Kế hoạch số 249/KH-UBND của Ủy ban!"
    i = n.text.index("249")
    s, e = n.to_original(i, i + len("249/KH-UBND"))
    assert original[s:e] == "249/KH-UBND"
    j = n.text.index("Ủy")
    s, e = n.to_original(j, j + 2)
    assert unicodedata.normalize("NFC", original[s:e]) == "Ủy"


def test_eth_crlf_and_gazette_furniture():
    original = "Nghị định số 69/2010/NÐ-\r\nCÔNG BÁO/Số 229/Ngày 19-04-2026 \r\n70\r\nCP ngày 21/6/2010"
    x = extract_text(original, "t")
    assert [(c.number, c.date) for c in x.citations] == [("69/2010/NĐ-CP", "2010-06-21")]
    c = x.citations[0]
    assert original[c.span.start:c.span.end] == c.span.text
    assert c.span.text.startswith("Nghị định số 69/2010/NÐ-") and c.span.text.endswith("21/6/2010")


def test_folding_keeps_length():
    s = "Ủy ban nhân dân TỈNH Lạng Sơn; Ðảng ủy; Nghị quyết"
    assert len(fold(s)) == len(s) == len(lower(s))
    assert fold(s) == "uy ban nhan dan tinh lang son; dang uy; nghi quyet"


_VIETNAMESE = "ĐđÐðƉ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA)) + "àáâãèéêìíòóôõùúýăĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĨŨƠƯ"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=_VIETNAMESE + "Nghị quyết số 76/NQ-CP \n–“”", max_size=40),
                          st.text(max_size=8),                        # any code point: CJK, emoji, surrogates
                          st.sampled_from(["ß", "Æ", "İ", "Ω", "ﬁ", "\u0301", "\U0001F600", "\ud800"])),
                max_size=30))
def test_fold_of_a_long_text_is_the_per_character_table(pieces):
    """fold() reads texts of ARRAY_FROM characters or more through the array table: it must give exactly
    str.translate with the per-character table, on every kind of character."""
    s = "".join(pieces)
    for text in (s, s * (ARRAY_FROM // max(1, len(s)) + 1)):
        assert fold(text) == text.translate(_FOLD)
        assert len(fold(text)) == len(text)


def test_fold_of_a_text_longer_than_one_array_pass():
    s = ("Nghị quyết số 76/NQ-CP của Chính phủ “về” Đảng 😀 \ud800 " * 60000)[:2 * ARRAY_CHUNK + 17]
    assert len(s) > 2 * ARRAY_CHUNK
    assert fold(s) == s.translate(_FOLD)


def test_wrapped_and_percent_encoded_links_are_blanked():
    original = ("Tập hệ thống hóa\n- https://vbpl.vn/TW/Pages/vbpq-\ntoanvan.aspx?ItemID=57544&Keyword= \n"
                "S%E1%BB%91%2031/2015/N%C4%90-CP  \nNghị định số 31/2015/NĐ-CP ngày 24/3/2015; mã 57/2015/TT-BL%C4%90TBXH")
    n = normalise(original)
    assert len(n.text) == len(original) and n.text.count("\n") == original.count("\n")
    assert "vbpq" not in n.text and "toanvan" not in n.text and "%" not in n.text
    assert "Nghị định số 31/2015/NĐ-CP ngày 24/3/2015;" in n.text and "Tập hệ thống hóa" in n.text
    x = extract_text(original, "t")
    assert [(c.number, c.date) for c in x.citations] == [("31/2015/NĐ-CP", "2015-03-24")]
    # a percent sign in prose is not a link
    assert normalise("tăng 20% so với 2023; đạt 100%.").text == "tăng 20% so với 2023; đạt 100%."
