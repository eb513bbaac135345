"""Table-driven: input text -> expected citations (as in eyecite's test tables).

Each row: (text, [expected, ...]) where an expected citation is a dict of the fields that must hold
(number always; type/date/issuer/relation/trigger/as_written when given).  The list is complete: no
other citation may be found.  Spans must slice the ORIGINAL text back to the reported text.
"""
import unicodedata

import pytest

from graph_builder import extract_text

C = dict   # readability

TABLE = [
    # --- administrative numbers -------------------------------------------------------------
    ("Kế hoạch số 02/KH-UBND ngày 04/01/2023 của UBND tỉnh.",
     [C(number="02/KH-UBND", type="KH", date="2023-01-04", issuer="UBND tỉnh")]),
    ("theo Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ",
     [C(number="468/QĐ-TTg", type="QĐ", date="2021-03-27", issuer="Thủ tướng Chính phủ")]),
    ("Thông báo số 459/TB-HĐND ngày 19/5/2023 của Thường trực HĐND tỉnh",
     [C(number="459/TB-HĐND", type="TB", date="2023-05-19", issuer="Thường trực HĐND tỉnh")]),
    ("Tờ trình số 123/TTr-UBND ngày 02/3/2024", [C(number="123/TTr-UBND", type="TTr", date="2024-03-02")]),
    # K7 -- a ministry's former code typed without diacritics is that code (before: "600/QĐ-LDTBXH")
    ("Quyết định số 600/QD-LDTBXH ngày 12/5/2011", [C(number="600/QĐ-LĐTBXH", type="QĐ", issuer_code="LĐTBXH")]),
    ("Thông tư số 30/2011/TT-LDTBXH", [C(number="30/2011/TT-LĐTBXH", issuer_code="LĐTBXH")]),
    # … and an issuer that disagrees with the number's central code is noted, as a type word is (seed 001)
    ("theo Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Thủ tướng Chính phủ quy định về việc cung cấp thông tin",
     [C(number="42/2022/NĐ-CP", issuer="Thủ tướng Chính phủ",
        notes=("issuer 'Thủ tướng Chính phủ' disagrees with the number's code 'CP'",))]),
    ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ", [C(number="61/2018/NĐ-CP", notes=())]),
    ("Thông tư số 12/2019/TT-BYT của Bộ trưởng Bộ Y tế", [C(number="12/2019/TT-BYT", notes=())]),
    ("Thông tư liên tịch số 58/2012/TTLT-BGDĐT-BLĐTBXH ngày 28/12/2012 của Bộ Lao động - Thương binh và Xã hội",
     [C(number="58/2012/TTLT-BGDĐT-BLĐTBXH", notes=())]),
    ("Quyết định số 600/QĐ-LĐTBXH của Bộ Lao động - Thương binh và Xã hội", [C(number="600/QĐ-LĐTBXH", notes=())]),
    ("Văn bản hợp nhất số 26/VBHN-BTC", [C(number="26/VBHN-BTC", type="VBHN")]),
    ("Công văn số 1234/UBND-NC ngày 5/6/2023 của UBND tỉnh", [C(number="1234/UBND-NC", type="CV",
                                                                date="2023-06-05")]),
    # --- normative ---------------------------------------------------------------------------
    ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ",
     [C(number="61/2018/NĐ-CP", type="NĐ", date="2018-04-23", issuer="Chính phủ")]),
    ("Nghị quyết số 15/2022/NQ-HĐND 13/07/2022 của HĐND tỉnh",
     [C(number="15/2022/NQ-HĐND", date="2022-07-13", issuer="HĐND tỉnh")]),
    ("Thông tư liên tịch số 19/2012/TTLT-BTC-BKHĐT ngày 15 tháng 02 năm 2012",
     [C(number="19/2012/TTLT-BTC-BKHĐT", type="TTLT", date="2012-02-15")]),
    ("Quyết định số 05 /2025/QĐ-UBND", [C(number="05/2025/QĐ-UBND", as_written="05 /2025/QĐ-UBND")]),
    ("Thông tư số 21/2015/TT-\nBNNPTNT về quản lý", [C(number="21/2015/TT-BNNPTNT", type="TT")]),
    ("Nghị định số 69/2010/NĐ-\nCP ngày 21 tháng 6 năm 2010", [C(number="69/2010/NĐ-CP", date="2010-06-21")]),
    ("Nghị định số\n76/2021/NĐ-CP", [C(number="76/2021/NĐ-CP", type="NĐ")]),
    ("Thông tư số 27/2016/TTBLĐTBXH ngày 01/9/2016 của Bộ",          # hyphen left out (gazette, QĐ 169)
     [C(number="27/2016/TT-BLĐTBXH", type="TT", date="2016-09-01", as_written="27/2016/TTBLĐTBXH")]),
    ("Kế hoạch số 15/KHUBND ngày 3/3/2023", [C(number="15/KH-UBND", type="KH", date="2023-03-03")]),
    ("số 12/TTHC ngày 3/3/2023", []),                                   # not a type + an issuer
    # --- laws --------------------------------------------------------------------------------
    ("Luật số 51/2024/QH15", [C(number="51/2024/QH15", type="LUAT")]),
    ("Nghị quyết số 03/2021/UBTVQH15 ngày 24 tháng 9 năm 2021",
     [C(number="03/2021/UBTVQH15", type="NQ", date="2021-09-24")]),
    ("Luật Đất đai số 31/2024/QH15", [C(number="31/2024/QH15", type="LUAT")]),
    # --- Party ---------------------------------------------------------------------------------
    ("Nghị quyết số 60-NQ/TU, ngày 15/12/2021 của Ban Thường vụ Tỉnh ủy",
     [C(number="60-NQ/TU", type="NQ", date="2021-12-15", issuer="Ban Thường vụ Tỉnh ủy")]),
    ("Nghị quyết số 27-NQ/TW ngày 21/5/2018 của Ban Chấp hành Trung ương",
     [C(number="27-NQ/TW", date="2018-05-21", issuer="Ban Chấp hành Trung ương")]),
    ("Nghị quyết số 60/NQ-TU, ngày 15/12/2021", [C(number="60-NQ/TU", as_written="60/NQ-TU")]),
    ("Chương trình số 12-CTr/BCĐ ngày 30 tháng 12 năm 2025", [C(number="12-CTr/BCĐ", type="CTr",
                                                              date="2025-12-30")]),
    ("Kết luận số 18-KL/TW của Trung ương", [C(number="18-KL/TW", type="KL")]),
    # --- issuer and date after the number ------------------------------------------------------
    ("theo Quyết định số 1807/QĐ-UBND ngày 12/3/2024 của Chủ tịch UBND tỉnh Lạng Sơn",
     [C(number="1807/QĐ-UBND", date="2024-03-12", issuer="Chủ tịch UBND tỉnh Lạng Sơn", issuer_code="UBND",
        issuer_level="province", issuer_place="Lạng Sơn")]),
    ("Quyết định số 1807/QĐ-UBND (ngày 11/11/2022) của UBND tỉnh về việc ban hành danh mục",
     [C(number="1807/QĐ-UBND", date="2022-11-11", issuer="UBND tỉnh", issuer_level="province")]),
    # a shared issuer after coordinated references is each one's when the codes agree …
    ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 và Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ",
     [C(number="61/2018/NĐ-CP", date="2018-04-23", issuer="Chính phủ"),
      C(number="107/2021/NĐ-CP", date="2021-12-06", issuer="Chính phủ")]),
    ("Quyết định số 2352/QĐ-TTg, Quyết định số 12/QĐ-TTg và Quyết định số 701/QĐ-TTg của Thủ tướng Chính phủ",
     [C(number="2352/QĐ-TTg", issuer="Thủ tướng Chính phủ"), C(number="12/QĐ-TTg", issuer="Thủ tướng Chính phủ"),
      C(number="701/QĐ-TTg", issuer="Thủ tướng Chính phủ")]),
    # … not when they differ, nor across a semicolon
    ("Nghị quyết số 76/NQ-CP và Kế hoạch số 249/KH-UBND của UBND tỉnh",
     [C(number="76/NQ-CP", issuer=None), C(number="249/KH-UBND", issuer="UBND tỉnh")]),
    ("Nghị định số 61/2018/NĐ-CP; Nghị định số 107/2021/NĐ-CP của Chính phủ",
     [C(number="61/2018/NĐ-CP", issuer=None), C(number="107/2021/NĐ-CP", issuer="Chính phủ")]),
    # "do X" is the issuer only in "do X ban hành"; a central number never takes a local issuer
    ("Nghị định số 163/2024/NĐ-CP do Ủy ban nhân dân cấp tỉnh tổ chức thực hiện",
     [C(number="163/2024/NĐ-CP", issuer=None, issuer_code="CP", issuer_level="central")]),
    ("Quyết định số 12/QĐ-UBND do UBND tỉnh Lạng Sơn ban hành",
     [C(number="12/QĐ-UBND", issuer="UBND tỉnh Lạng Sơn", issuer_level="province", issuer_place="Lạng Sơn")]),
    ("theo Nghị định số 163/2024/NĐ-CP của Ủy ban nhân dân tỉnh",
     [C(number="163/2024/NĐ-CP", issuer=None, issuer_code="CP", issuer_level="central")]),
    ("Thông tư số 01/2024/TT-BTC của UBND tỉnh", [C(number="01/2024/TT-BTC", issuer=None, issuer_code="BTC")]),
    # X1 -- a line break stands wherever a space may, inside an issuer's name and its place (a .txt or a PDF's
    # text wrapped at the margin); before the fix "UBND tỉnh⏎Lạng Sơn" gave the issuer "UBND tỉnh", place lost
    ("Thực hiện Kế hoạch số 137/KH-UBND ngày 20/6/2023 của UBND tỉnh\nLạng Sơn Kế hoạch cải cách hành chính",
     [C(number="137/KH-UBND", issuer="UBND tỉnh Lạng Sơn", issuer_level="province", issuer_place="Lạng Sơn",
        relation="implements")]),
    ("Quyết định số 12/QĐ-UBND ngày 3/3/2023 của UBND tỉnh \n Lạng Sơn về việc ban hành",
     [C(number="12/QĐ-UBND", issuer="UBND tỉnh Lạng Sơn", issuer_place="Lạng Sơn")]),
    ("Kế hoạch số 105/KH-UBND ngày 14/5/2024 của\nUBND tỉnh Lạng Sơn ban hành Kế hoạch nâng cao",
     [C(number="105/KH-UBND", issuer="UBND tỉnh Lạng Sơn", issuer_place="Lạng Sơn")]),
    ("Kế hoạch số 07/KH-UBND ngày 10/01/2024 của UBND huyện Bắc\nSơn về cải cách hành chính",
     [C(number="07/KH-UBND", issuer="UBND huyện Bắc Sơn", issuer_level="district", issuer_place="Bắc Sơn")]),
    ("Kế hoạch số 07/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân\nhuyện\nBắc Sơn về cải cách hành chính",
     [C(number="07/KH-UBND", issuer="Ủy ban nhân dân huyện Bắc Sơn", issuer_place="Bắc Sơn")]),
    ("Nghị quyết số 60-NQ/TU ngày 15/12/2021 của Ban Thường vụ Tỉnh\nủy về đẩy mạnh cải cách hành chính",
     [C(number="60-NQ/TU", issuer="Ban Thường vụ Tỉnh ủy", issuer_code="TU")]),
    ("Nghị quyết số 60-NQ/TU ngày 15/12/2021 của Tỉnh ủy\nLạng Sơn về đẩy mạnh cải cách hành chính",
     [C(number="60-NQ/TU", issuer="Tỉnh ủy Lạng Sơn", issuer_place="Lạng Sơn")]),
    # … but what the next line starts is no place: a provision, a body, a trigger, a table's next cells, a blank line
    ("Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND tỉnh\nĐiều 2. Quyết định này có hiệu lực",
     [C(number="12/KH-UBND", issuer="UBND tỉnh", issuer_place=None)]),
    ("Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND tỉnh\nSở Nội vụ chủ trì, phối hợp",
     [C(number="12/KH-UBND", issuer="UBND tỉnh", issuer_place=None)]),
    ("Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND tỉnh\nThực hiện Kế hoạch này, các sở",
     [C(number="12/KH-UBND", issuer="UBND tỉnh", issuer_place=None)]),
    ("Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND tỉnh\nCấp huyện | Cấp xã",
     [C(number="12/KH-UBND", issuer="UBND tỉnh", issuer_place=None)]),
    ("Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND tỉnh\nQuý III/2026",
     [C(number="12/KH-UBND", issuer="UBND tỉnh", issuer_place=None)]),
    ("Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND tỉnh\n\nLạng Sơn, ngày 5 tháng 3 năm 2023",
     [C(number="12/KH-UBND", issuer="UBND tỉnh", issuer_place=None)]),
    # X4 -- the Quốc hội's committees (corpus-real: nghi-quyet-so-24-2022-ubtvqh15, -78-2025-, -89-2025-ubtvqh15) and
    # a ministry's former code are central bodies of the vocabulary; before, "issuer unknown"
    ("Báo cáo thẩm tra số 1006/BC-UBXH15 ngày 10 tháng 8 năm 2022 của Ủy\nban Xã hội;",
     [C(number="1006/BC-UBXH15", type="BC", date="2022-08-10", issuer="Ủy ban Xã hội", issuer_code="UBXH",
        issuer_level="central")]),
    ("Báo cáo thẩm tra số 685/BC-UBVHXH15 ngày 09 tháng 7 năm 2025 của Ủy\nban Văn hóa và Xã hội của Quốc hội;",
     [C(number="685/BC-UBVHXH15", issuer="Ủy ban Văn hóa và Xã hội của Quốc hội", issuer_code="UBVHXH",
        issuer_level="central")]),
    ("Báo cáo thẩm tra số 436/BC-UBVHXH15 ngày 15/5/2025;",
     [C(number="436/BC-UBVHXH15", issuer=None, issuer_code="UBVHXH15", issuer_level="central")]),
    ("Thông tư 03/2010/TT-BKH ngày 27/01/2010", [C(number="03/2010/TT-BKH", issuer_code="BKH", issuer_level="central")]),
    # a form's number is no document (corpus-real nghi-quyet-so-6616-2026-nq-cp: "41/UQ-ĐKT", issuer unknown)
    ("a) Văn bản ủy quyền mẫu số 41/UQ-ĐKT ban hành kèm theo Thông tư số 86/2024/TT-BTC;",
     [C(number="86/2024/TT-BTC")]),
    ("theo Mẫu số: 01/TK-ĐKT và biểu mẫu số 02/BC-UBND", []),
    # --- without "số", without type word, lists ----------------------------------------------
    ("thực hiện Nghị quyết 76/NQ-CP của Chính phủ", [C(number="76/NQ-CP", type="NQ", relation="implements")]),
    ("theo 61/2018/NĐ-CP và 107/2021/NĐ-CP", [C(number="61/2018/NĐ-CP"), C(number="107/2021/NĐ-CP")]),
    # --- dates ----------------------------------------------------------------------------------
    ("Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ",
     [C(number="76/NQ-CP", date="2021-07-15")]),
    ("Quyết định số 1807/QĐ-UBND ngày 31/2/2022", [C(number="1807/QĐ-UBND", date=None)]),   # no such day
    # --- Đ variants, NFD, no diacritics -------------------------------------------------------
    ("Nghị định số 61/2018/ND-CP", [C(number="61/2018/NĐ-CP")]),
    ("Nghị định số 61/2018/\u00d0-CP".replace("\u00d0", "N\u00d0"), [C(number="61/2018/NĐ-CP")]),
    (unicodedata.normalize("NFD", "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;"),
     [C(number="61/2018/NĐ-CP", type="NĐ", date="2018-04-23", issuer="Chính phủ", relation="based_on")]),
    ("Can cu Nghi quyet so 76/NQ-CP ngay 15/7/2021 cua Chinh phu; Quyet dinh so 468/QD-TTg",
     [C(number="76/NQ-CP", type="NQ", date="2021-07-15", issuer="Chinh phu", relation="based_on"),
      C(number="468/QĐ-TTg", type="QĐ", relation="based_on")]),
    ("NGHỊ QUYẾT SỐ 76/NQ-CP", [C(number="76/NQ-CP", type="NQ")]),
    ("Uỷ ban nhân dân tỉnh ban hành Kế hoạch số 12/KH-UBND", [C(number="12/KH-UBND", type="KH")]),
    # --- false-hit traps: none of these is a citation ------------------------------------------
    ("CÔNG BÁO/Số 130/Ngày 28-02-2026\n12\n", []),
    ("CÔNG BÁO/Số 367 + 368/Ngày 01-3-2024 \n69\n", []),
    ("Điện thoại: 0205.3812.345; fax (0205) 3812346; di động 0912-345-678", []),
    ("giai đoạn 2023-2030 và 2021 - 2025, ngày 15/7/2021", []),
    ("QCVN 06:2012/BLĐTBXH được ban hành; QCVN 15: 2018/BGTVT; TCVN 5082:1990", []),
    ("Mẫu số 01/PLI; Mẫu số 02/PLII ban hành kèm theo", []),
    ("2505.10.00 - Cát oxit silic; Cột 7 - Cân nặng; 1- kháng chiến", []),
    ("105/LĐVL-Sở Lao động; Số 130/Ngày 28", []),
    ("xem https://congbao.chinhphu.vn/van-ban/nghi-dinh-so-61/2018/ND-CP.htm", []),
    # a link wrapped at line ends, its number percent-encoded (vbpl.vn exports)
    ("- https://vbpl.vn/TW/Pages/vbpq-\ntoanvan.aspx?ItemID=57544&Keyword= \nS%E1%BB%91%2031/2015/N%C4%90-CP  \n"
     "Tập hệ thống hóa", []),
    ("https://vbpl.vn/TW/Pages/vbpq-\ntoanvan.aspx?ItemID=1&Keyword=\n74/2014/QH13\n", []),
    ("văn bản 57/2015/TT-BL%C4%90TBXH", []),
    ("Tỷ lệ đạt 30/100 hồ sơ; 3/4 số xã; lúc 14/30", []),
    ("Số: /KH-UBND", []),

    # E3 -- a footnote marker glued to a code (the superscript lost in the gazette's text layer;
    # nghi-quyet-so-97-nq-cp): the digits go when the code without them is the vocabulary's and footnote N, later,
    # cites the number without them
    ("Nghị quyết \nsố 66-\nNQ/TW1 \n\n1 Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị về đổi mới.",
     [C(number="66-NQ/TW", as_written="66- NQ/TW", issuer_code="TW",
        notes=("footnote marker 1 after the number",)),
      C(number="66-NQ/TW", date="2025-04-30", notes=())]),
    ("Chương \ntrình số 12-\nCTr/BCĐ3 \n\n3 Chương trình số 12-CTr/BCĐ ngày 30 tháng 12 năm 2025 của Ban Chỉ đạo.",
     [C(number="12-CTr/BCĐ", issuer_code="BCĐ"), C(number="12-CTr/BCĐ", date="2025-12-30")]),
    ("Nghị quyết số \n140/NQ-CP2 \n \n2 Nghị quyết số 140/NQ-CP ngày 17/5/2025 của Chính phủ; Nghị định số "
     "\n09/2026/NĐ-\nCP4 \n4 Nghị định số 09/2026/NĐ-CP ngày 10/01/2026 của Chính phủ.",
     [C(number="140/NQ-CP", issuer_code="CP"), C(number="140/NQ-CP"), C(number="09/2026/NĐ-CP", issuer_code="CP"),
      C(number="09/2026/NĐ-CP")]),
    # … and nothing else is a marker: codes with digits of their own, no footnote, a footnote about something else,
    # a footnote before the mention
    ("Luật số 51/2024/QH15; Nghị quyết số 119/2026/UBTVQH15.\n15 Luật số 51/2024/QH ngày 27/11/2024.",
     [C(number="51/2024/QH15"), C(number="119/2026/UBTVQH15"), C(number="51/2024/QH")]),
    ("Kế hoạch số 130/KH-BCĐTKNQ18 của Ban Chỉ đạo; Thông báo số 12/TB-BCĐ389.\n18 Xem Kế hoạch số 130/KH-BCĐTKNQ.",
     [C(number="130/KH-BCĐTKNQ18"), C(number="12/TB-BCĐ389"), C(number="130/KH-BCĐTKNQ")]),
    ("Nghị quyết số 66-NQ/TW1 của Bộ Chính trị.", [C(number="66-NQ/TW1")]),
    ("Nghị quyết số 66-NQ/TW1 của Bộ Chính trị.\n1 Về đổi mới công tác xây dựng pháp luật.", [C(number="66-NQ/TW1")]),
    ("1 Nghị quyết số 66-NQ/TW ngày 30/4/2025.\nNghị quyết số 66-NQ/TW1 của Bộ Chính trị.",
     [C(number="66-NQ/TW"), C(number="66-NQ/TW1")]),
]


def _check(text, expected):
    x = extract_text(text, "table")
    got = x.citations
    assert [c.number for c in got] == [e["number"] for e in expected], (text, [c.number for c in got])
    for c, e in zip(got, expected):
        for k, v in e.items():
            assert getattr(c, k) == v, (text, k, getattr(c, k), v)
        # every span slices the original text back to what it reports
        assert text[c.span.start:c.span.end] == c.span.text
        assert text[c.number_span.start:c.number_span.end] == c.number_span.text
        assert c.span.start <= c.number_span.start < c.number_span.end <= c.span.end


@pytest.mark.parametrize("text,expected", TABLE, ids=[t[:40] for t, _ in TABLE])
def test_table(text, expected):
    _check(text, expected)


RELATIONS = [
    # (text, {number: relation}) — relation of the citing document to each cited one
    ("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ; Nghị quyết số 60-NQ/TU của Ban Thường vụ "
     "Tỉnh ủy; Kế hoạch số 249/KH-UBND ngày 29/12/2021 của UBND tỉnh.",
     {"76/NQ-CP": "based_on", "60-NQ/TU": "based_on", "249/KH-UBND": "based_on"}),
    ("Thực hiện Nghị quyết số 76/NQ-CP của Chính phủ về việc ban hành Chương trình; Kế hoạch số 249/KH-UBND "
     "của UBND tỉnh về cải cách hành chính, UBND tỉnh ban hành Kế hoạch như sau:",
     {"76/NQ-CP": "implements", "249/KH-UBND": "implements"}),
    ("Thực hiện Thông báo số 459/TB-HĐND ngày 19/5/2023 của Thường trực HĐND tỉnh Kết luận giám sát kết quả "
     "thực hiện Nghị quyết số 60/NQ-TU, ngày 15/12/2021 của Ban Thường vụ Tỉnh ủy về đẩy mạnh cải cách; "
     "Kế hoạch số 137/KH-UBND ngày 20/6/2023 của UBND tỉnh Lạng Sơn.",
     {"459/TB-HĐND": "implements", "60-NQ/TU": "cites", "137/KH-UBND": "implements"}),
    ("UBND xã ban hành Kế hoạch năm 2023 (thay thế Kế hoạch số 12/KH-UBND ngày 01/02/2023 của UBND xã).",
     {"12/KH-UBND": "replaces"}),
    ("Thông tư này hướng dẫn thi hành Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "guides"}),
    ("Nghị định này quy định chi tiết Luật số 51/2024/QH15.", {"51/2024/QH15": "guides"}),
    ("Nghị định này sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "amends"}),
    ("Bãi bỏ Quyết định số 1807/QĐ-UBND ngày 11/11/2022 của UBND tỉnh.", {"1807/QĐ-UBND": "repeals"}),
    ("Hủy bỏ Quyết định số 1807/QĐ-UBND.", {"1807/QĐ-UBND": "repeals"}),
    ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ hết hiệu lực kể từ ngày Nghị định này có hiệu lực.",
     {"61/2018/NĐ-CP": "repeals"}),
    ("Quán triệt Chỉ thị số 43/CT-TTg của Thủ tướng Chính phủ.", {"43/CT-TTg": "implements"}),
    ("Triển khai thực hiện Nghị quyết số 60-NQ/TU.", {"60-NQ/TU": "implements"}),
    ("Đề nghị xem Quyết định số 468/QĐ-TTg.", {"468/QĐ-TTg": "cites"}),
    ("Xin lỗi người dân theo đúng quy định tại Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "cites"}),
    ("Báo cáo kết quả thực hiện Nghị quyết số 17/NQ-CP ngày 07/3/2019 của Chính phủ.", {"17/NQ-CP": "cites"}),
    # a list introduced with a colon
    ("Căn cứ các văn bản sau:\n- Nghị định số 61/2018/NĐ-CP;\n- Nghị định số 107/2021/NĐ-CP.",
     {"61/2018/NĐ-CP": "based_on", "107/2021/NĐ-CP": "based_on"}),
    # a line broken inside the sentence keeps the trigger
    ("Căn cứ Luật Giao thông đường thủy nội địa số 23/2004/QH11 được\nsửa đổi, bổ sung bởi Luật số 48/2014/QH13;",
     {"23/2004/QH11": "based_on", "48/2014/QH13": "cites"}),
    # a trigger inside a description does not govern the list
    ("Căn cứ Nghị định số 61/2018/NĐ-CP về thực hiện cơ chế một cửa; Nghị định số 45/2020/NĐ-CP về thủ tục.",
     {"61/2018/NĐ-CP": "based_on", "45/2020/NĐ-CP": "based_on"}),
    ("Căn cứ Kế hoạch số 249/KH-UBND của UBND tỉnh về cải cách hành chính, UBND xã ban hành Kế hoạch này "
     "thay thế Kế hoạch số 12/KH-UBND.",
     {"249/KH-UBND": "based_on", "12/KH-UBND": "replaces"}),
    # "Thực hiện quy định tại X" implements X; "… thực hiện theo quy định tại X" only cites it
    ("Thực hiện quy định tại Luật số 15/2020/QH14; Nghị định số 20/2021/NĐ-CP của Chính phủ.",
     {"15/2020/QH14": "implements", "20/2021/NĐ-CP": "implements"}),
    ("Việc thanh toán thực hiện theo quy định tại Thông tư số 12/2019/TT-BTC.", {"12/2019/TT-BTC": "cites"}),
    # "Bổ sung" adding a provision amends; the "thực hiện" inside "hướng dẫn một số nội dung thực hiện" does not
    ("Bổ sung khoản 4 Điều 7 Thông tư số 12/2019/TT-BYT như sau:", {"12/2019/TT-BYT": "amends"}),
    ("Thông tư này hướng dẫn một số nội dung thực hiện Chương trình ban hành kèm theo Quyết định số 12/QĐ-TTg.",
     {"12/QĐ-TTg": "guides"}),
    # a wrapped "… tại khoản 2\nĐiều 5 Nghị định …" is no article heading: the trigger still reaches the reference
    ("Thực hiện quy định tại khoản 2\nĐiều 5 Nghị định số 20/2021/NĐ-CP.", {"20/2021/NĐ-CP": "implements"}),
    # a lettered item starts a new sentence although its letter is lower case
    ("a) Thực hiện Kế hoạch số 12/KH-UBND ngày 01/02/2023 của UBND tỉnh\nb) Kết luận số 15-KL/TW của Tỉnh ủy",
     {"12/KH-UBND": "implements", "15-KL/TW": "cites"}),
    # "Tổng số văn bản hết hiệu lực" has its own subject: the reference before it is not repealed
    ("1\nQuyết định số 15/2019/QĐ-UBND về quản lý chợ\nTổng số văn bản hết hiệu lực: 01 văn bản",
     {"15/2019/QĐ-UBND": "cites"}),
    # a reason cell "Được thay thế bởi B" with no subject: B is the agent, not a document the citing one acts on
    ("DANH MỤC VĂN BẢN HẾT HIỆU LỰC\n1\nQuyết định số 10/2015/QĐ-UBND ngày 01/3/2015 của UBND tỉnh về quản lý chợ"
     "\n- Khoản 2 Điều 5\nĐược thay thế bởi Quyết định số 22/2023/QĐ-UBND ngày 05/6/2023 của UBND tỉnh\n01/7/2023",
     {"10/2015/QĐ-UBND": "repeals", "22/2023/QĐ-UBND": "cites"}),
]


@pytest.mark.parametrize("text,expected", RELATIONS, ids=[t[:40] for t, _ in RELATIONS])
def test_relations(text, expected):
    x = extract_text(text, "table")
    got = {}
    for c in x.citations:
        got.setdefault(c.number, c.relation)
    assert got == expected
    for c in x.citations:
        if c.trigger is not None:
            assert c.relation != "cites" or c.trigger
            # the trigger is text of the original document
            assert c.trigger.lower() in " ".join(text.split()).lower()


THIRD_PARTY = [
    ("Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ về sửa đổi, bổ sung một số điều của Nghị định "
     "số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa;",
     [("107/2021/NĐ-CP", "amends", "61/2018/NĐ-CP")]),
    ("Kế hoạch số 226/KH-UBND ngày 18/11/2021 của UBND tỉnh về thực hiện Nghị quyết số 49-NQ/TU, ngày 28/9/2021 "
     "của Ban Thường vụ Tỉnh ủy về chuyển đổi số;",
     [("226/KH-UBND", "implements", "49-NQ/TU")]),
    ("Căn cứ Luật Giao thông đường thủy nội địa số 23/2004/QH11 được\nsửa đổi, bổ sung bởi Luật số 48/2014/QH13;",
     [("48/2014/QH13", "amends", "23/2004/QH11")]),
    ("Thông tư số 01/2020/TT-BTTTT được thay thế bởi Thông tư số 05/2024/TT-BTTTT.",
     [("05/2024/TT-BTTTT", "replaces", "01/2020/TT-BTTTT")]),
    ("Quyết định số 12/QĐ-UBND bãi bỏ Quyết định số 10/QĐ-UBND và Quyết định số 11/QĐ-UBND.",
     [("12/QĐ-UBND", "repeals", "10/QĐ-UBND"), ("12/QĐ-UBND", "repeals", "11/QĐ-UBND")]),
    # a plain list is not a description
    ("Căn cứ Nghị định số 61/2018/NĐ-CP, Nghị định số 107/2021/NĐ-CP và Nghị định số 45/2020/NĐ-CP;", []),
    # coordinated verbs after "được": one relation each
    ("Thông tư số 05/2019/TT-BXD được sửa đổi, bổ sung, thay thế, bãi bỏ bởi Thông tư số 09/2022/TT-BXD.",
     [("09/2022/TT-BXD", "amends", "05/2019/TT-BXD"), ("09/2022/TT-BXD", "replaces", "05/2019/TT-BXD"),
      ("09/2022/TT-BXD", "repeals", "05/2019/TT-BXD")]),
    ("Thông tư số 05/2019/TT-BXD được sửa đổi, bổ sung, bãi bỏ một phần bởi Thông tư số 09/2022/TT-BXD.",
     [("09/2022/TT-BXD", "amends", "05/2019/TT-BXD"), ("09/2022/TT-BXD", "repeals", "05/2019/TT-BXD")]),
    ("Thông tư số 05/2019/TT-BXD được sửa đổi, bổ sung, bởi Thông tư số 09/2022/TT-BXD.",
     [("09/2022/TT-BXD", "amends", "05/2019/TT-BXD")]),
    # a table row: the reason cell, after the cells of provisions, acts on the row's document …
    ("1\nQuyết định số 10/2015/QĐ-UBND ngày 01/3/2015 của UBND tỉnh về quản lý chợ\n- Khoản 2 Điều 5;\n"
     "- Điều 7\nĐược sửa đổi, bổ sung, thay thế bởi Quyết định số 22/2023/QĐ-UBND của UBND tỉnh\n01/7/2023",
     [("22/2023/QĐ-UBND", "amends", "10/2015/QĐ-UBND"), ("22/2023/QĐ-UBND", "replaces", "10/2015/QĐ-UBND")]),
    # … but not across a section heading (the row's document is missing)
    ("1\nQuyết định số 10/2015/QĐ-UBND ngày 01/3/2015 của UBND tỉnh về quản lý chợ\n01/7/2023\n"
     "II. LĨNH VỰC KHÁC\nĐiểm a khoản 1\nĐiều 8\nĐược thay thế bởi Nghị định số 30/2022/NĐ-CP\n01/01/2023", []),
    # a lower-case "được" opening a line is a wrapped line: it acts on the reference just before it
    ("Căn cứ Thông tư số 39/2020/TT-BTC sửa đổi, bổ sung một số điều của Thông tư số 57/2015/TT-BTC\n"
     "được sửa đổi, bổ sung bởi Thông tư số 69/2019/TT-BTC;",
     [("39/2020/TT-BTC", "amends", "57/2015/TT-BTC"), ("69/2019/TT-BTC", "amends", "57/2015/TT-BTC")]),
    # commas inside a list of provisions do not end the clause
    ("Nghị định số 27/2022/NĐ-CP được sửa đổi, bổ sung tại khoản 12, khoản 13 Điều 1 Nghị định số 38/2023/NĐ-CP.",
     [("38/2023/NĐ-CP", "amends", "27/2022/NĐ-CP")]),
    # a reference coordinated after the trigger's own object is the previous reference's sibling …
    ("Căn cứ Thông tư số 40/2021/TT-BTC sửa đổi, bổ sung một số điều của Thông tư số 11/2018/TT-BTC hướng dẫn "
     "giám sát hoạt động đấu thầu và Thông tư số 12/2018/TT-BTC hướng dẫn quản lý kho bạc;",
     [("40/2021/TT-BTC", "amends", "11/2018/TT-BTC"), ("40/2021/TT-BTC", "amends", "12/2018/TT-BTC")]),
    # … unless that object is a provision
    ("Nghị định số 99/2020/NĐ-CP bãi bỏ Điều 5 và Quyết định số 15/2019/QĐ-TTg.",
     [("99/2020/NĐ-CP", "repeals", "15/2019/QĐ-TTg")]),
    # an alias names the same document: no relation to itself
    ("Thông tư số 12/2020/TT-BYT hướng dẫn tổ chức thực hiện các chương trình (sau đây viết tắt là Thông tư số "
     "12/2020/TT-BYT) được sửa đổi, bổ sung bởi Thông tư số 03/2022/TT-BYT;",
     [("03/2022/TT-BYT", "amends", "12/2020/TT-BYT")]),
    # a trigger after a closed parenthesis is not the parenthesised document's
    ("Thực hiện theo quy định tại Điều 4 Nghị định số 27/2022/NĐ-CP (được sửa đổi, bổ sung tại khoản 2 Điều 1 "
     "Nghị định số 38/2023/NĐ-CP) hoặc quy định tại Điều 3 Nghị quyết số 111/2024/QH15.",
     [("38/2023/NĐ-CP", "amends", "27/2022/NĐ-CP")]),
    # impossible relations: a document does not amend one issued after it, nor one of higher legal force;
    # a passive link that would moves up to the described document
    ("Thông tư số 138/2025/TT-BTC sửa đổi Thông tư số 95/2020/TT-BTC và Thông tư số 139/2025/TT-BTC sửa đổi "
     "Thông tư số 57/2021/TT-BTC;",
     [("138/2025/TT-BTC", "amends", "95/2020/TT-BTC"), ("139/2025/TT-BTC", "amends", "57/2021/TT-BTC")]),
    ("Thông tư số 05/2015/TT-BXD được thay thế bởi Thông tư số 02/2012/TT-BXD.", []),
    ("Căn cứ Nghị định số 78/2025/NĐ-CP hướng dẫn thi hành Luật Ban hành văn bản quy phạm pháp luật được sửa "
     "đổi, bổ sung bởi Nghị định số 187/2025/NĐ-CP;",
     [("78/2025/NĐ-CP", "guides", "Luật Ban hành văn bản quy phạm pháp luật"),
      ("187/2025/NĐ-CP", "amends", "78/2025/NĐ-CP")]),
    ("Luật Đất đai số 31/2024/QH15 được sửa đổi bởi Nghị định số 10/2025/NĐ-CP.", []),
    # the amending law's own name states what it amends: each law it names
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương "
     "ngày 22 tháng 11 năm 2019;",
     [("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
       "amends", "Luật Tổ chức Chính phủ"),
      ("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
       "amends", "Luật Tổ chức chính quyền địa phương")]),
]


@pytest.mark.parametrize("text,expected", THIRD_PARTY, ids=[t[:40] for t, _ in THIRD_PARTY])
def test_third_party(text, expected):
    x = extract_text(text, "table")
    assert [(r.source, r.relation, r.target) for r in x.relations] == expected
    for r in x.relations:
        assert text[r.span.start:r.span.end].lower().split()[0] in r.trigger.lower()


NAMED = [
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
     [("Luật Tổ chức chính quyền địa phương", "2015-06-19")]),
    ("quán triệt nội dung các văn bản: Luật Thực hiện dân chủ ở cơ sở; Luật Bầu cử đại biểu Quốc hội và đại biểu "
     "Hội đồng nhân dân; Luật Phòng, chống tham nhũng; Luật Đất đai; Luật Khiếu nại,...",
     [("Luật Thực hiện dân chủ ở cơ sở", None), ("Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân", None),
      ("Luật Phòng, chống tham nhũng", None), ("Luật Đất đai", None), ("Luật Khiếu nại", None)]),
    ("Bộ luật Lao động và Hiến pháp năm 2013", [("Bộ luật Lao động", None), ("Hiến pháp", "2013")]),
    ("Tiếp tục tổ chức triển khai Luật sửa đổi, bổ sung một số điều của Luật ban hành văn bản quy phạm pháp luật; ",
     [("Luật sửa đổi, bổ sung một số điều của Luật ban hành văn bản quy phạm pháp luật", None)]),
    ("Luật này có hiệu lực; theo quy định của luật; dự thảo Luật Đất đai", []),
    # an amending law that names two laws (or a list closed by "và") is one law, dated as a whole
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương "
     "ngày 22 tháng 11 năm 2019;",
     [("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
       "2019-11-22")]),
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thuế thu nhập cá nhân, Luật Thuế giá trị gia tăng và "
     "Luật Thuế tiêu thụ đặc biệt ngày 10 tháng 12 năm 2025;",
     [("Luật sửa đổi, bổ sung một số điều của Luật Thuế thu nhập cá nhân, Luật Thuế giá trị gia tăng và "
       "Luật Thuế tiêu thụ đặc biệt", "2025-12-10")]),
    # … but a date after the first one closes it: the next law is another
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ ngày 1 tháng 1 năm 2020 và Luật Đất đai "
     "ngày 18 tháng 1 năm 2024;",
     [("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ", "2020-01-01"), ("Luật Đất đai", "2024-01-18")]),
    # where a name ends
    ("Thực hiện Luật An toàn thực phẩm và các văn bản hướng dẫn.", [("Luật An toàn thực phẩm", None)]),
    ("theo Luật Thủy sản cho Chủ tịch Ủy ban nhân dân cấp tỉnh thực hiện.", [("Luật Thủy sản", None)]),
    ("Căn cứ Luật Xuất bản, Điều 14 Nghị định số 12/2020/NĐ-CP;", [("Luật Xuất bản", None)]),
    ("Bộ luật Tố tụng hình sự và khoản 1, khoản 2 Điều 6 Thông tư liên tịch",
     [("Bộ luật Tố tụng hình sự", None)]),
    ("Luật\nSố 74/2014/QH13", []),
    ("| Luật Đầu tư công | 26 | 39/2019/QH14 |", [("Luật Đầu tư công", None)]),
    ("Luật Đê điều ngày 29 tháng 11 năm 2006", [("Luật Đê điều", "2006-11-29")]),
    # a name whose end is unsure is cut to the name the same document writes with a sure end
    ("Căn cứ Luật Viễn thông ngày 24 tháng 11 năm 2023;\nTổ chức theo Luật Viễn thông gửi 01 bộ hồ sơ tới Ủy ban.",
     [("Luật Viễn thông", "2023-11-24"), ("Luật Viễn thông", None)]),
    # typed without diacritics: "co so", "tham nhung", "tiep can", "van ban" are words of the names
    ("Can cu Luat Dat dai ngay 18 thang 1 nam 2024; Luat sua doi, bo sung mot so dieu cua Luat Ban hanh van ban quy "
     "pham phap luat; Luat Thuc hien dan chu o co so; Luat Phong, chong tham nhung; Luat Tiep can thong tin.",
     [("Luat Dat dai", "2024-01-18"),
      ("Luat sua doi, bo sung mot so dieu cua Luat Ban hanh van ban quy pham phap luat", None),
      ("Luat Thuc hien dan chu o co so", None), ("Luat Phong, chong tham nhung", None),
      ("Luat Tiep can thong tin", None)]),

    # E2 -- a name does not swallow the words after it (rows cut from corpus-real)
    # after a comma, a clause or a new phrase (nghi-quyet-so-122-nq-cp, thong-tu-so-01-2024-tt-bkhdt,
    # nghi-dinh-so-125-2026-nd-cp); a name's own list goes on ("Phòng, chống", "Cán bộ, công chức")
    ("theo quy định của Luật Quy \nhoạch, đồng bộ, thống nhất với yêu cầu tăng trưởng “2 con số”",
     [("Luật Quy hoạch", None)]),
    ("chỉ áp dụng đối với dự án theo quy định tại Điều 36 của Luật Đấu thầu, không áp dụng đối với dự toán mua sắm.",
     [("Luật Đấu thầu", None)]),
    ("theo quy định của Luật Thi đua, khen thưởng, pháp luật có liên quan và phù hợp với khả năng cân đối",
     [("Luật Thi đua, khen thưởng", None)]),
    ("Căn cứ Luật Cán bộ, công chức; Luật Phòng, chống tham nhũng và Luật An toàn, vệ sinh lao động.",
     [("Luật Cán bộ, công chức", None), ("Luật Phòng, chống tham nhũng", None),
      ("Luật An toàn, vệ sinh lao động", None)]),
    # … and a capitalised word after a comma starts something else: a body, a document, an annex
    # (nghi-quyet-so-24-2026-nq-cp, nghi-quyet-so-20-2026-nq-cp, nghi-quyet-so-109-nq-cp, thong-tu-so-04-2023)
    ("theo quy định tại khoản 1 Điều 45 của Luật Giá, Cục Quản lý giá - Bộ Tài chính thông báo",
     [("Luật Giá", None)]),
    ("biện pháp thi hành Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ, Cơ quan chuyên môn về xây dựng thuộc",
     [("Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ", None)]),
    ("khoản 1 Điều 40 Luật Viễn thông, Ủy ban nhân dân cấp tỉnh thông báo về hành vi vi phạm",
     [("Luật Viễn thông", None)]),
    ("khác với quy định của Luật Ngân sách nhà nước, Kết luận số 93-KL/TW của Bộ Chính trị",
     [("Luật Ngân sách nhà nước", None)]),
    # … unless the whole name is written in title case
    ("Căn cứ Luật Cán Bộ, Công Chức ngày 13 tháng 11 năm 2008;", [("Luật Cán Bộ, Công Chức", "2008-11-13")]),
    # a name the document writes elsewhere, ended by anything but a comma, is not run on past a comma
    # (nghi-quyet-so-109-nq-cp: a table cell, then the prose)
    ("25 \nLuật Quản lý nợ công \n2026 \nBộ Tài chính\nTriển khai áp dụng hiệu quả Luật Quản lý nợ công, tăng "
     "cường quản lý rủi ro nợ công, nâng cao minh bạch trong huy động",
     [("Luật Quản lý nợ công", None), ("Luật Quản lý nợ công", None)]),
    ("quy định tại điểm a khoản 2 Điều 32 Luật Điện lực, hồ sơ gồm:\nTheo Luật Điện lực số 61/2024/QH15.",
     [("Luật Điện lực", None), ("Luật Điện lực", None)]),
    # a line wrapped after a comma goes on with the name (nghi-dinh-so-127-2026-nd-cp, nghi-quyet-so-45-2019-qh14)
    ("a) Vi phạm quy định tại khoản 6 Điều 8 Luật Chất lượng sản phẩm,    \nhàng hóa; \nb) Bị xử phạt",
     [("Luật Chất lượng sản phẩm, hàng hóa", None)]),
    ("theo Luật Quân nhân chuyên nghiệp, \ncông nhân và viên chức quốc phòng.",
     [("Luật Quân nhân chuyên nghiệp, công nhân và viên chức quốc phòng", None)]),
    # a stop word that ends a compound is a word of the name: "đổi mới", "mắc phải" (nghi-dinh-so-125-2026-nd-cp,
    # nghi-quyet-so-21-2026-nq-cp; the names were cut to "… và đổi", "… miễn dịch mắc")
    ("Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo số 93/2025/QH15;",
     [("Luật Khoa học, công nghệ và đổi mới sáng tạo", None)]),
    ("quy định chi tiết một số điều của Luật Phòng, chống nhiễm vi rút gây ra hội chứng suy giảm miễn dịch mắc "
     "phải ở người (HIV/AIDS).",
     [("Luật Phòng, chống nhiễm vi rút gây ra hội chứng suy giảm miễn dịch mắc phải ở người", None)]),
    ("theo Luật Đất đai mới ban hành", [("Luật Đất đai", None)]),
    # an act verb is no word of a name (nghi-quyet-so-6619-2026-nq-cp)
    ("quy định chi tiết một số điều của Luật Bảo vệ và kiểm dịch thực vật, Luật Trồng trọt và sửa đổi, bổ sung "
     "một số điều của các thông tư", [("Luật Bảo vệ và kiểm dịch thực vật", None), ("Luật Trồng trọt", None)]),
    # "Luật X (sửa đổi)" names the new law revising Luật X (drafted or just passed): another document, its number
    # is its own (nghi-dinh-so-139-2026-nd-cp, nghi-quyet-so-15-2026-nq-cp, quyet-dinh-so-844-qd-ttg)
    ("theo quy định của Luật Phòng, chống mua bán \nngười (sửa đổi) số 53/2024/QH15.",
     [("Luật Phòng, chống mua bán người (sửa đổi)", None)]),
    ("Tạm ngưng hiệu lực áp dụng cho đến khi Luật An toàn thực phẩm (sửa đổi) \nvà Nghị định hướng dẫn có hiệu lực",
     [("Luật An toàn thực phẩm (sửa đổi)", None)]),
    ("- Rà soát, xây dựng Luật Bảo hiểm y tế sửa đổi. \n", [("Luật Bảo hiểm y tế sửa đổi", None)]),
    ("Luật Đất đai sửa đổi, bổ sung năm 2013", [("Luật Đất đai", None)]),

    # K5 -- a stop word followed, within the clause, by the law's date or number belongs to the name (before: "Luật
    # Người lao động Việt Nam đi làm việc ở nước ngoài", undated: luat-so-69-2020-qh14, nghi-dinh-so-12-2022-nd-cp)
    ("Căn cứ Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng ngày 13 tháng 11 năm 2020;",
     [("Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng", "2020-11-13")]),
    ("2. Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng \nsố 72/2006/QH11 hết hiệu lực.",
     [("Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng", None)]),
    # … and the same name written elsewhere in the document, whatever follows it, or wrapped before a capital
    # ("Việt\nNam": "Nam" was read as the year word "năm" and made the stub a sure name)
    ("Căn cứ Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp \nđồng ngày 13 tháng 11 năm 2020;\n"
     "c) Thực hiện các hoạt động quy định tại khoản 1 Điều 9 của Luật Người lao động Việt \nNam đi làm việc ở "
     "nước ngoài theo hợp đồng trong thời gian bị đình chỉ.",
     [("Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng", "2020-11-13"),
      ("Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng", None)]),
    # … while words that are no name's stay out: a verb phrase, a provision, a capital
    ("Luật Đất đai có hiệu lực ngày 01 tháng 8 năm 2024.", [("Luật Đất đai", None)]),
    ("theo Luật Đất đai theo quy định ngày 01 tháng 8 năm 2024.", [("Luật Đất đai", None)]),
    ("Luật Đất đai của Quốc hội ngày 18 tháng 01 năm 2024", [("Luật Đất đai", None)]),
    ("Luật Người lao động Việt\nNam đi làm việc ở nước ngoài", [("Luật Người lao động Việt", None)]),
    # "người có công với cách mạng" is one term (luat-so-51-2024-qh15, thong-tu-so-03-2022-tt-bldtbxh: "Pháp lệnh
    # Ưu đãi người")
    ("e) Người có công với cách mạng theo quy định của Pháp lệnh Ưu đãi người có \ncông với cách mạng; cựu chiến binh;",
     [("Pháp lệnh Ưu đãi người có công với cách mạng", None)]),
]


@pytest.mark.parametrize("text,expected", NAMED, ids=[t[:40] for t, _ in NAMED])
def test_named_laws(text, expected):
    x = extract_text(text, "table")
    assert [(n.name, n.date) for n in x.named_refs] == expected
    for n in x.named_refs:
        assert text[n.span.start:n.span.end] == n.span.text
        assert n.span.text.startswith(n.name.split()[0])


def test_named_laws_carry_their_evidence_sentence():
    text = ("I. MỤC ĐÍCH\n\nTiếp tục tổ chức triển khai Luật Đất đai; Chỉ thị số 43/CT-TTg ngày 11/12/2020 của Thủ "
            "tướng Chính phủ.\n\nCăn cứ Luật Đất đai số 31/2024/QH15 và Luật Nhà ở.")
    x = extract_text(text, "table")
    ev = {(n.name, n.number): n.evidence for n in x.named_refs}
    assert ev[("Luật Đất đai", None)].startswith("Tiếp tục tổ chức triển khai Luật Đất đai;")
    assert ev[("Luật Đất đai", "31/2024/QH15")] == "Căn cứ Luật Đất đai số 31/2024/QH15 và Luật Nhà ở."
    assert ev[("Luật Nhà ở", None)] == "Căn cứ Luật Đất đai số 31/2024/QH15 và Luật Nhà ở."
    assert [n["evidence"] for n in x.to_json()["named_refs"]] == [n.evidence for n in x.named_refs]


# X3 -- a law cited by its name carries the body that passes that kind of act (document_types.toml `issuer`), so
# the graph's issuer filter and the impact check's "who must act" know it; before, no issuer at all
NAMED_ISSUERS = [
    ("Căn cứ Luật Đất đai ngày 18 tháng 1 năm 2024;", ("Luật Đất đai", "LUAT", "Quốc hội", "QH", "central")),
    ("theo Bộ luật Lao động;", ("Bộ luật Lao động", "LUAT", "Quốc hội", "QH", "central")),
    ("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
     ("Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam", "HP", "Quốc hội", "QH", "central")),
    ("Căn cứ Pháp lệnh Chi phí tố tụng;", ("Pháp lệnh Chi phí tố tụng", "PL", "Ủy ban Thường vụ Quốc hội", "UBTVQH",
                                          "central")),
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đấu thầu;",
     ("Luật sửa đổi, bổ sung một số điều của Luật Đấu thầu", "LUAT", "Quốc hội", "QH", "central")),
    ("Căn cứ Luật Đất đai số 31/2024/QH15;", ("Luật Đất đai", "LUAT", "Quốc hội", "QH", "central")),
]


@pytest.mark.parametrize("text,expected", NAMED_ISSUERS, ids=[t[:40] for t, _ in NAMED_ISSUERS])
def test_named_laws_carry_their_issuer(text, expected):
    x = extract_text(text, "table")
    assert [(n.name, n.kind, n.issuer, n.issuer_code, n.issuer_level) for n in x.named_refs] == [expected]
    j = x.to_json()["named_refs"][0]
    assert (j["issuer"], j["issuer_code"], j["issuer_level"]) == expected[2:]


def test_type_issuer_must_be_an_issuer_code(tmp_path):
    """document_types.toml `issuer` names a code of issuers.toml; a typo is an error naming the file and type."""
    import shutil

    from graph_builder import vocabulary
    from graph_builder.extract.regexes import type_issuers
    src = vocabulary.ontology_dir() / "vocab"
    shutil.copytree(src, tmp_path, dirs_exist_ok=True)
    assert {k: i.code for k, i in type_issuers(vocabulary.load()).items()} == \
        {"LUAT": "QH", "PL": "UBTVQH", "L": "CTN", "HP": "QH"}
    bad = (tmp_path / "document_types.toml").read_text(encoding="utf-8").replace('issuer = "UBTVQH"', 'issuer = "UBTV"')
    (tmp_path / "document_types.toml").write_text(bad, encoding="utf-8")      # (load() caches by folder: a new one)
    with pytest.raises(ValueError, match=r"document_types\.toml: type PL: issuer 'UBTV' is no code of issuers\.toml"):
        type_issuers(vocabulary.load(str(tmp_path)))


def test_long_evidence_is_cut_at_a_word_boundary():
    words = " ".join(f"Đề án đổi mới số {k}" for k in range(400))
    text = f"Căn cứ {words} và Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ {words}."
    x = extract_text(text, "table")
    ev = x.citations[0].evidence
    assert len(ev) <= 600 and "76/NQ-CP" in ev
    assert ev.startswith("…") and ev.endswith("…")
    inner = ev.strip("…")
    assert inner == inner.strip() and f" {inner} " in f" {' '.join(text.split())} "   # whole words only


def test_a_revised_law_keeps_its_own_number_and_no_amends_relation():
    """"Luật Phòng, chống mua bán người (sửa đổi) số 53/2024/QH15": the number is the revising law's, and "sửa đổi"
    inside its name states no relation (it was "Luật Phòng, chống mua bán người cites 53/2024/QH15")."""
    x = extract_text("- Nạn nhân theo quy định của Luật Phòng, chống mua bán \nngười (sửa đổi) số 53/2024/QH15.", "t")
    assert [(n.name, n.number) for n in x.named_refs] == [("Luật Phòng, chống mua bán người (sửa đổi)",
                                                          "53/2024/QH15")]
    assert [(c.number, c.relation) for c in x.citations] == [("53/2024/QH15", "cites")]
    assert x.relations == ()
