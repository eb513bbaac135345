"""Table-driven: the relation of each citation and the third-party relations, on sentences as the gazette
writes them (most rows are cut from ../shared/corpus-real or the seeds; the file is named in the comment).

RELATIONS rows: (text, {number: relation}) — every citation of the text, each number's relation (all its
mentions agree); an optional third item gives {number: trigger} (None: no trigger decided it).
"""
import pytest

from graph_builder import extract_text
from graph_builder.extract.regexes import patterns

RELATIONS = [
    # D1 -- a comma is allowed only where the phrase has one: "sơ kết" is not "hồ sơ, kết quả"
    # (nghi-quyet-so-122-nq-cp: the "Thực hiện" before it governs)
    ("h) Thực hiện nghiêm các yêu cầu của Chính phủ về số hóa hồ sơ, kết quả \ngiải quyết thủ tục hành chính "
     "(TTHC) theo yêu cầu tại Nghị quyết số 01/NQ-CP và Nghị quyết \nsố 02/NQ-CP ngày 08 tháng 01 năm 2026 của "
     "Chính phủ; bảo đảm thực hiện nghiêm nguyên tắc",
     {"01/NQ-CP": "implements", "02/NQ-CP": "implements"}, {"01/NQ-CP": "Thực hiện", "02/NQ-CP": "Thực hiện"}),
    # (seed 001, footnote 1: the anchor "… hồ sơ, kết quả … theo quy định¹" has no trigger)
    ("- Đẩy nhanh tiến độ số hóa hồ sơ, kết quả giải quyết TTHC theo quy định¹; đầu tư cơ sở vật chất.\n\n"
     "¹ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện TTHC trên môi trường điện tử; "
     "Kế hoạch số 157/KH-UBND ngày 15/7/2021 của UBND tỉnh về triển khai Đề án.",
     {"45/2020/NĐ-CP": "cites", "157/KH-UBND": "cites"}, {"45/2020/NĐ-CP": None, "157/KH-UBND": None}),
    # "sửa đổi, bổ sung" keeps its comma, optional
    ("Nghị định này sửa đổi bổ sung một số điều của Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "amends"}),
    ("Nghị định này sửa đổi ,\nbổ sung một số điều của Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "amends"}),

    # D6 -- a Party number wrapped after its hyphen
    ("Căn cứ Nghị quyết số 60-\nNQ/TU ngày 15/12/2021 của Ban Thường vụ Tỉnh ủy;", {"60-NQ/TU": "based_on"}),
    ("tổ chức triển khai, thực hiện Kết luận số 210- \nKL/TW; tiếp tục đẩy mạnh công tác", {"210-KL/TW": "implements"}),
    # … and the traps stay no citation
    ("giai đoạn 2021-\n2025 và 2023-\n2030, ngày 15/7/2021", {}),
    ("CÔNG BÁO/Số 130/Ngày 28-\n02-2026\n12\n", {}),
    ("Điện thoại: 0912-\n345-678", {}),
]


@pytest.mark.parametrize("row", RELATIONS, ids=[r[0][:40] for r in RELATIONS])
def test_relation(row):
    text, expected = row[0], row[1]
    x = extract_text(text, "table")
    got: dict[str, set] = {}
    for c in x.citations:
        got.setdefault(c.number, set()).add(c.relation)
    assert got == {n: {r} for n, r in expected.items()}, text
    if len(row) > 2:
        triggers = {c.number: c.trigger for c in x.citations if c.number in row[2]}
        assert triggers == row[2], text


TRIGGER_TEXT = [
    # (folded-or-not text, the trigger phrases the regex finds in it, in order)
    ("số hóa hồ sơ, kết quả giải quyết", []),
    ("hồ sơ,kết quả", []),
    ("sơ kết, tổng kết", ["sơ kết", "tổng kết"]),
    ("được sửa đổi, bổ sung bởi", ["được sửa đổi, bổ sung"]),
    ("sửa đổi,bổ sung", ["sửa đổi,bổ sung"]),
    ("quy định, chi tiết", []),            # no comma inside "quy định chi tiết"
    ("căn cứ, vào", ["căn cứ"]),
]


@pytest.mark.parametrize("text,expected", TRIGGER_TEXT, ids=[t for t, _ in TRIGGER_TEXT])
def test_trigger_phrases(text, expected):
    from graph_builder.textfold import fold
    folded = fold(text)
    got = [text[m.start():m.end()] for m in patterns().triggers.finditer(folded)]
    assert got == expected
