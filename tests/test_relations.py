"""Table-driven: the relation of each citation and the third-party relations, on sentences as the gazette
writes them (most rows are cut from ../shared/corpus-real or the seeds; the file is named in the comment).

RELATIONS rows: (text, {number: relation}) — every citation of the text, each number's relation (all its
mentions agree); an optional third item gives {number: trigger} (None: no trigger decided it).
THIRD_PARTY rows: (text, [(source, relation, target), ...]) — the complete list, in order.
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
    ("Báo cáo sơ kết việc thực hiện Nghị quyết số 17/NQ-CP ngày 07/3/2019 của Chính phủ.",
     {"17/NQ-CP": "cites"}, {"17/NQ-CP": "sơ kết việc thực hiện"}),
    # "sửa đổi, bổ sung" keeps its comma, optional
    ("Nghị định này sửa đổi bổ sung một số điều của Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "amends"}),
    ("Nghị định này sửa đổi ,\nbổ sung một số điều của Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "amends"}),

    # D2 -- "quy định chi tiết thi hành", "hướng dẫn tổ chức thực hiện": the first verb governs
    ("Nghị định này quy định chi tiết thi hành Luật số 51/2024/QH15.", {"51/2024/QH15": "guides"},
     {"51/2024/QH15": "quy định chi tiết thi hành"}),
    ("Quy định chi tiết thi hành Luật số 51/2024/QH15 về bảo hiểm y tế.", {"51/2024/QH15": "guides"}),
    ("Thông tư này hướng dẫn tổ chức thực hiện Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "guides"}),
    ("Thông tư này hướng dẫn thi hành Nghị định số 61/2018/NĐ-CP.", {"61/2018/NĐ-CP": "guides"}),
    ("Thông báo kết luận giám sát thực hiện Nghị quyết số 60-NQ/TU của Ban Thường vụ Tỉnh ủy.",
     {"60-NQ/TU": "cites"}),

    # D3 -- a second verb after "và" at the top level is the citing document's own
    ("Quyết định này thay thế Quyết định số 10/2017/QĐ-UBND ngày 01/3/2017 và bãi bỏ Quyết định số "
     "11/2016/QĐ-UBND.", {"10/2017/QĐ-UBND": "replaces", "11/2016/QĐ-UBND": "repeals"},
     {"10/2017/QĐ-UBND": "thay thế", "11/2016/QĐ-UBND": "bãi bỏ"}),
    ("Quyết định này thay thế Quyết định số 10/2017/QĐ-UBND, đồng thời bãi bỏ Quyết định số 11/2016/QĐ-UBND.",
     {"10/2017/QĐ-UBND": "replaces", "11/2016/QĐ-UBND": "repeals"}),
    # … only for the acts: "đồng thời thực hiện việc cấp … theo Mẫu số 102 … Nghị định B" is no implementation
    # (nghi-quyet-so-24-2026-nq-cp)
    ("Ban hành quyết định cấp giấy chứng nhận theo Mẫu số 59 Phụ lục I Nghị định số 131/2021/NĐ-CP đồng thời "
     "thực hiện việc cấp giấy chứng nhận theo Mẫu số 102 Phụ lục I Nghị định số 131/2021/NĐ-CP.",
     {"131/2021/NĐ-CP": "cites"}),

    # D5 -- guided by the cited document: the citing one implements it
    ("Theo hướng dẫn tại Công văn số 123/SNV-CCHC ngày 12/3/2024 của Sở Nội vụ, UBND huyện ban hành Kế hoạch "
     "như sau:", {"123/SNV-CCHC": "implements"}, {"123/SNV-CCHC": "Theo hướng dẫn"}),
    ("Thực hiện hướng dẫn tại Công văn số 123/SNV-CCHC ngày 12/3/2024 của Sở Nội vụ, UBND xã ban hành Kế hoạch.",
     {"123/SNV-CCHC": "implements"}),

    # D6 -- a Party number wrapped after its hyphen
    ("Căn cứ Nghị quyết số 60-\nNQ/TU ngày 15/12/2021 của Ban Thường vụ Tỉnh ủy;", {"60-NQ/TU": "based_on"}),
    ("tổ chức triển khai, thực hiện Kết luận số 210- \nKL/TW; tiếp tục đẩy mạnh công tác", {"210-KL/TW": "implements"}),
    # … and the traps stay no citation
    ("giai đoạn 2021-\n2025 và 2023-\n2030, ngày 15/7/2021", {}),
    ("CÔNG BÁO/Số 130/Ngày 28-\n02-2026\n12\n", {}),
    ("Điện thoại: 0912-\n345-678", {}),

    # D7 -- "sửa đổi, bổ sung" naming an activity, not the document amending (nghi-quyet-so-20/21/24-2026,
    # nghi-quyet-so-6616-2026): its object is a licence, a file, a form …
    ("Việc cấp, sửa đổi, bổ sung, gia hạn giấy phép thiết lập mạng viễn thông cấp cho đài phát thanh quốc gia "
     "theo tại Điều 43 Nghị định số 163/2024/NĐ-CP do Ủy ban nhân dân cấp tỉnh thực hiện.",
     {"163/2024/NĐ-CP": "cites"}),
    ("a) Đơn đề nghị sửa đổi, bổ sung Giấy phép theo Mẫu số 02 Phụ lục III ban hành kèm theo Nghị định số "
     "211/2025/NĐ-CP;", {"211/2025/NĐ-CP": "cites"}),
    ("Sau khi nhận hồ sơ sửa đổi, bổ sung, cơ quan cấp giấy phép hoạt động trả cho cơ sở đề nghị phiếu tiếp nhận "
     "hồ sơ theo Mẫu 02 Phụ lục I ban hành kèm theo Nghị định số 96/2023/NĐ-CP.", {"96/2023/NĐ-CP": "cites"}),
    ("d) Kế hoạch kinh doanh và kỹ thuật sửa đổi, bổ sung theo Mẫu số 07 tại Phụ lục ban hành kèm theo Nghị "
     "định số 15/2026/NĐ-CP;", {"15/2026/NĐ-CP": "cites"}),
    # … or another, unnumbered document acts (nghi-quyet-so-122-nq-cp, nghi-quyet-so-105-nq-cp, -22-2026)
    ("a) Khẩn trương trình Chính phủ Nghị định sửa đổi, bổ sung Nghị định số 165/2024/NĐ-CP để tạo cơ sở pháp lý;",
     {"165/2024/NĐ-CP": "cites"}),
    ("Thành phần hồ sơ, trình tự, thủ tục thực hiện theo quy định của Nghị định sửa đổi, bổ sung Nghị định số "
     "91/2020/NĐ-CP ngày 14/8/2020 của Chính phủ.", {"91/2020/NĐ-CP": "cites"}),
    # … while the document's own amendments stay amends: its heading, its issuer's "ban hành", provisions,
    # wording, errors, a type word that is the object of the verb before it
    ("NGHỊ ĐỊNH\nSửa đổi, bổ sung một số điều của Nghị định số 85/2024/NĐ-CP ngày 10 tháng 7 năm 2024",
     {"85/2024/NĐ-CP": "amends"}),
    ("Theo đề nghị của Bộ trưởng Bộ Tài chính;\nChính phủ ban hành Nghị định sửa đổi, bổ sung một số điều của "
     "Nghị định số 85/2024/NĐ-CP.", {"85/2024/NĐ-CP": "amends"}),
    ("Bộ trưởng Bộ Lao động - Thương binh và Xã hội ban hành Thông tư sửa đổi, bổ sung một số điều của Thông "
     "tư số 21/2021/TT-BLĐTBXH.", {"21/2021/TT-BLĐTBXH": "amends"}),
    ("Sửa đổi cụm từ “500 triệu đồng” thành “01 tỷ đồng” tại Điều 3, Điều 4 Nghị định số 68/2026/NĐ-CP.",
     {"68/2026/NĐ-CP": "amends"}),
    ("Sửa đổi các Mẫu số 7.8, Mẫu số 7.9 Phụ lục VII Thông tư số 07/2021/TT-BLĐTBXH.",
     {"07/2021/TT-BLĐTBXH": "amends"}),
    ("Đính chính lỗi kỹ thuật tại Thông tư số 10/2022/TT-BKHĐT ngày 15 tháng 6 năm 2022.",
     {"10/2022/TT-BKHĐT": "amends"}),
    ("Điều 1. Bãi bỏ toàn bộ Thông tư\nBãi bỏ toàn bộ Thông tư liên tịch số 72/2011/TTLT-BTC-BGTVT ngày 27 "
     "tháng 5 năm 2011.", {"72/2011/TTLT-BTC-BGTVT": "repeals"}),
    # … "văn bản" as the actor: a list of the documents that amend (quyet-dinh-so-1478/225-qd-bldtbxh, 1205-qd-bkhdt)
    ("- Văn bản sửa đổi, bổ sung, thay thế, bãi bỏ một phần: Thông tư số 04/2023/TT-BLĐTBXH ngày 15/6/2023 của "
     "Bộ trưởng Bộ Lao động - Thương binh và Xã hội", {"04/2023/TT-BLĐTBXH": "cites"},
     {"04/2023/TT-BLĐTBXH": "sửa đổi, bổ sung, thay thế, bãi bỏ"}),
    ("- Văn bản bãi bỏ một phần: Luật số 03/2022/QH15 ngày 11/01/2022.", {"03/2022/QH15": "cites"}),
    # coordinated act verbs are one trigger; the citation takes the first (gold: nghi-dinh-so-128-2026-nd-cp)
    # (a replacement of phrases, a clause, appendices is an amendment: K2 below)
    ("Điều 7. Thay thế, bãi bỏ một số cụm từ, khoản, phụ lục của Nghị định số 85/2024/NĐ-CP",
     {"85/2024/NĐ-CP": "amends"}, {"85/2024/NĐ-CP": "Thay thế, bãi bỏ"}),
    ("Nghị định này sửa đổi, bổ sung, bãi bỏ một số điều của Nghị định số 61/2018/NĐ-CP.",
     {"61/2018/NĐ-CP": "amends"}),

    # D8 -- a phrase typed twice is one trigger, not a span over both (nghi-quyet-so-18-2026-nq-cp)
    ("Việc cấp lại giấy phép được quy định tại quy định tại khoản 3 Điều 14 Nghị định số 195/2013/NĐ-CP ngày 21 "
     "tháng 11 năm 2013 của Chính phủ.", {"195/2013/NĐ-CP": "cites"}, {"195/2013/NĐ-CP": "quy định tại"}),
    # … while two different phrases of one relation still join ("Tổ chức triển khai" + "thực hiện")
    ("Tổ chức triển khai thực hiện Kế hoạch số 12/KH-UBND.", {"12/KH-UBND": "implements"},
     {"12/KH-UBND": "Tổ chức triển khai thực hiện"}),

    # "Thời hạn / Trình tự thực hiện thủ tục … Nghị định B": a procedure of B, not an implementation of it
    # (nghi-quyet-so-17-2026 … -24-2026: 45 such citations were "implements")
    ("Thời hạn thực hiện thủ tục Sửa đổi, bổ sung Đơn đăng ký bảo hộ giống cây trồng tại khoản 3 Điều 7 Nghị "
     "định số 79/2023/NĐ-CP quy định chi tiết một số điều", {"79/2023/NĐ-CP": "cites"}),
    ("Trình tự thực hiện thủ tục giải thể trung tâm quy định tại điểm b khoản 3 Điều 27 Phụ lục I ban hành kèm "
     "theo Nghị định số 142/2025/NĐ-CP", {"142/2025/NĐ-CP": "cites"}),
    # "A được quy định như sau: … theo quy định tại B": the colon ends A's description (nghi-quyet-so-17-2026)
    ("III. Thời hạn thực hiện thủ tục tại khoản 1 Điều 47 Nghị định số 27/2019/NĐ-CP được quy định như sau: \n"
     "Sau thời hạn 07 ngày làm việc kể từ ngày nhận hồ sơ theo quy định tại khoản 1 Điều 46 Nghị định số "
     "22/2023/NĐ-CP, Thủ trưởng cơ quan ký.", {"27/2019/NĐ-CP": "cites", "22/2023/NĐ-CP": "cites"},
     {"27/2019/NĐ-CP": "thực hiện thủ tục", "22/2023/NĐ-CP": "theo quy định tại"}),

    # K1 -- an act verb whose object is no document is no act on the references after it: "hủy bỏ bằng tốt nghiệp"
    # in a cited circular's title (thong-tu-so-05-2022-tt-bldtbxh: 24/2020, 42/2015, 34/2018 were repeals;
    # quyet-dinh-so-225-qd-bldtbxh, a list of texts still in force: 31/2017 was repeals)
    ("d) Tổ chức quản lý, cấp phát văn bằng theo quy định tại Thông tư số 10/2017/TT-BLĐTBXH ngày 13 tháng 3 năm "
     "2017 của Bộ trưởng Bộ Lao động - Thương binh và Xã hội quy định mẫu bằng tốt nghiệp trung cấp, cao đẳng; in, "
     "quản lý, cấp phát, thu hồi, hủy bỏ bằng tốt nghiệp trung cấp, cao đẳng và Thông tư số 24/2020/TT-BLĐTBXH ngày "
     "30 tháng 12 năm 2020 của Bộ trưởng Bộ Lao động - Thương binh và Xã hội sửa đổi, bổ sung một số điều của Thông "
     "tư số 10/2017/TT-BLĐTBXH; Thông tư số 42/2015/TT-BLĐTBXH ngày 20 tháng 10 năm 2015 quy định về đào tạo "
     "trình độ sơ cấp;",
     {"10/2017/TT-BLĐTBXH": "cites", "24/2020/TT-BLĐTBXH": "cites", "42/2015/TT-BLĐTBXH": "cites"}),
    ("Thông tư số 10/2017/TT-BLĐTBXH ngày 13/3/2017 quy định về mẫu bằng tốt nghiệp trung cấp, cao đẳng; việc in, "
     "quản lý, cấp phát, thu hồi, hủy bỏ bằng tốt nghiệp trung cấp, cao đẳng và Thông tư số 31/2017/TT-BLĐTBXH ngày "
     "28/12/2017 quy định về đào tạo trình độ cao đẳng", {"10/2017/TT-BLĐTBXH": "cites", "31/2017/TT-BLĐTBXH": "cites"}),
    ("Quyết định số 12/QĐ-UBND bãi bỏ thủ tục hành chính theo Quyết định số 10/QĐ-UBND.",
     {"12/QĐ-UBND": "cites", "10/QĐ-UBND": "cites"}),
    # … while a document, its provisions, "các văn bản" stay its objects
    ("Hủy bỏ Quyết định số 1807/QĐ-UBND ngày 11/11/2022 của UBND tỉnh.", {"1807/QĐ-UBND": "repeals"}),
    ("Bãi bỏ các văn bản sau: Quyết định số 1807/QĐ-UBND ngày 11/11/2022 của UBND tỉnh.", {"1807/QĐ-UBND": "repeals"}),

    # K2 -- replacing a provision, a phrase, an appendix or a form of a document amends it: the document stays in
    # force, changed (nghi-dinh-so-134-2026, -144-2026, thong-tu-so-02-2022, thong-tu-so-02-2024, nghi-quyet-so-17-2026)
    ("a) Thay thế cụm từ “Ủy ban nhân dân cấp huyện” bằng cụm từ “Ủy ban nhân dân cấp xã” tại điểm a khoản 2 Điều 6 "
     "Nghị định số 85/2024/NĐ-CP;", {"85/2024/NĐ-CP": "amends"}, {"85/2024/NĐ-CP": "Thay thế"}),
    ("24. Thay thế Phụ lục I ban hành kèm theo Nghị định số 17/2023/NĐ-CP bằng Phụ lục I ban hành kèm theo Nghị định "
     "này.", {"17/2023/NĐ-CP": "amends"}),
    ("1. Thay thế: Phụ lục II, Phụ lục III ban hành kèm theo Thông tư số 21/2021/TT-BLĐTBXH tương ứng bằng các Phụ "
     "lục II, Phụ lục III ban hành kèm theo Thông tư này;", {"21/2021/TT-BLĐTBXH": "amends"}),
    ("Điều 5. Thay thế Danh mục (Phụ lục I, Phụ lục II) ban hành kèm theo Nghị định số 181/2025/NĐ-CP thành Danh mục "
     "ban hành kèm theo Nghị định này.", {"181/2025/NĐ-CP": "amends"}),
    # … a partial repeal stays repeals (tests/data/gold/README.md: "repeals … This includes partial repeal")
    ("2. Bãi bỏ khoản 2 Điều 5 của Nghị định số 85/2024/NĐ-CP.", {"85/2024/NĐ-CP": "repeals"}),
    # … and a whole document replaced is replaced
    ("2. Nghị định này thay thế Nghị định số 158/2018/NĐ-CP ngày 22 tháng 11 năm 2018 của Chính phủ.",
     {"158/2018/NĐ-CP": "replaces"}),
    ("Bãi bỏ, thay thế Quyết định số 12/2019/QĐ-UBND ngày 01/3/2019 của UBND tỉnh.", {"12/2019/QĐ-UBND": "repeals"}),

    # K3 -- a planned act is no act: "Xây dựng Thông tư … (thay thế Thông tư B)" (quyet-dinh-so-893-qd-ttg), "Tiếp
    # tục rà soát, sửa đổi, ban hành, bãi bỏ … B" (nghi-quyet-so-97-nq-cp): the unnumbered document to be drafted acts
    ("2 \nXây dựng Thông tư quy định về \nđào tạo an toàn bức xạ, chuyên \nmôn, nghiệp vụ đối với nhân \nviên bức "
     "xạ (thay thế Thông tư \n34/2014/TT-BKHCN) \nBộ Khoa học và \nCông nghệ \n", {"34/2014/TT-BKHCN": "cites"},
     {"34/2014/TT-BKHCN": "thay thế"}),
    ("Tiếp tục tổ chức rà soát, sửa đổi, ban hành, bãi bỏ các quy định pháp luật theo Chương trình số 12-CTr/BCĐ.",
     {"12-CTr/BCĐ": "cites"}),
    ("Nghiên cứu, đề xuất bãi bỏ Quyết định số 10/2017/QĐ-UBND ngày 01/3/2017.", {"10/2017/QĐ-UBND": "cites"}),
    ("- Rà soát, thay thế Quyết định số 10/2017/QĐ-UBND cho phù hợp.", {"10/2017/QĐ-UBND": "cites"}),
    # … while the document's own act in parentheses stays one (relations.toml example) and the issuer's own
    ("UBND xã ban hành Kế hoạch (thay thế Kế hoạch số 12/KH-UBND ngày 01/02/2023 của UBND xã).",
     {"12/KH-UBND": "replaces"}),
    ("Quyết định này thay thế Quyết định số 10/2017/QĐ-UBND sau khi rà soát.", {"10/2017/QĐ-UBND": "replaces"}),

    # K4 -- a suspension (nghi-quyet-so-15-2026-nq-cp): the document is in force again later, neither repealed nor
    # replaced; an act verb like the others (its object a document, not planned, not an activity)
    ("NGHỊ QUYẾT\nTạm ngưng hiệu lực Nghị định số 46/2026/NĐ-CP ngày 26 tháng 01 năm 2026 và Nghị quyết số "
     "66.13/2026/NQ-CP ngày 27 tháng 01 năm 2026 của Chính phủ", {"46/2026/NĐ-CP": "suspends", "66.13/2026/NQ-CP": "suspends"},
     {"46/2026/NĐ-CP": "Tạm ngưng hiệu lực"}),
    ("Chính phủ ban hành Nghị quyết tạm ngưng hiệu lực Nghị định số 46/2026/NĐ-CP ngày 26 tháng 01 năm 2026.",
     {"46/2026/NĐ-CP": "suspends"}),
    ("Điều 1. Đình chỉ việc thi hành Quyết định số 15/2025/QĐ-UBND ngày 10/3/2025 của UBND tỉnh Lạng Sơn.",
     {"15/2025/QĐ-UBND": "suspends"}),
    ("Tạm đình chỉ thi hành một số điều của Nghị quyết số 05/2024/NQ-HĐND ngày 12/7/2024 của HĐND tỉnh.",
     {"05/2024/NQ-HĐND": "suspends"}),
    ("Trong thời gian tạm ngưng hiệu lực theo quy định tại Điều 1 Nghị quyết này, áp dụng Nghị định số "
     "15/2018/NĐ-CP ngày 02 tháng 02 năm 2018.", {"15/2018/NĐ-CP": "cites"}),
    ("Việc đình chỉ thi hành án theo quy định tại Nghị định số 62/2015/NĐ-CP.", {"62/2015/NĐ-CP": "cites"}),
    ("Kiến nghị đình chỉ thi hành Quyết định số 15/2025/QĐ-UBND ngày 10/3/2025 của UBND tỉnh.",
     {"15/2025/QĐ-UBND": "cites"}),

    # K5 -- the numbers after an unnumbered amending law's name (nghi-dinh-so-136-2026-nd-cp, -132-): the laws it
    # amends, each numbered in a list, are inside its name (cites); one number after the name is its own
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 và Luật "
     "Các tổ chức tín dụng số 32/2024/QH15;", {"31/2024/QH15": "cites", "27/2023/QH15": "cites", "32/2024/QH15": "cites"}),
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Xử lý vi phạm hành chính số 67/2020/QH14;",
     {"67/2020/QH14": "based_on"}),
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thuế thu nhập cá nhân, Luật Thuế giá trị gia tăng và Luật "
     "Thuế tiêu thụ đặc biệt số 09/2026/QH16;", {"09/2026/QH16": "based_on"}),
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


THIRD_PARTY = [
    # D2 -- corpus-real: 156/2018 and the Luật Lâm nghiệp (nghi-quyet-so-17-2026-nq-cp), 102/2024 and the Luật
    # Đất đai; 31 such relations were "implements"
    ("Căn cứ Nghị định số 156/2018/NĐ-CP ngày 16 tháng 11 năm 2018 của Chính phủ quy định chi tiết thi hành một "
     "số điều của Luật Lâm nghiệp;", [("156/2018/NĐ-CP", "guides", "Luật Lâm nghiệp")]),
    ("tại Điều 23 Nghị định số 102/2024/NĐ-CP quy định chi tiết thi hành một số điều của Luật Đất đai.",
     [("102/2024/NĐ-CP", "guides", "Luật Đất đai")]),
    ("Căn cứ Nghị định số 130/2018/NĐ-CP ngày 27 tháng 9 năm 2018 của Chính phủ quy định chi tiết thi hành Luật "
     "Giao dịch điện tử về chữ ký số;", [("130/2018/NĐ-CP", "guides", "Luật Giao dịch điện tử")]),

    # D3 -- the subject's second verb: 12/2020 replaces 10/2017 and repeals 11/2016 (not 10/2017 repeals 11/2016)
    ("Quyết định số 12/2020/QĐ-UBND thay thế Quyết định số 10/2017/QĐ-UBND và bãi bỏ Quyết định số "
     "11/2016/QĐ-UBND.",
     [("12/2020/QĐ-UBND", "replaces", "10/2017/QĐ-UBND"), ("12/2020/QĐ-UBND", "repeals", "11/2016/QĐ-UBND")]),
    ("Quyết định này thay thế Quyết định số 10/2017/QĐ-UBND ngày 01/3/2017 và bãi bỏ Quyết định số "
     "11/2016/QĐ-UBND.", []),
    # … a coordinated reference with no verb of its own still shares the verb
    ("Quyết định số 12/QĐ-UBND bãi bỏ Quyết định số 10/QĐ-UBND và Quyết định số 11/QĐ-UBND.",
     [("12/QĐ-UBND", "repeals", "10/QĐ-UBND"), ("12/QĐ-UBND", "repeals", "11/QĐ-UBND")]),

    # coordinated act verbs in a description: one relation each
    ("Thông tư số 05/2019/TT-BXD sửa đổi, bổ sung, bãi bỏ một số điều của Thông tư số 01/2017/TT-BXD.",
     [("05/2019/TT-BXD", "amends", "01/2017/TT-BXD"), ("05/2019/TT-BXD", "repeals", "01/2017/TT-BXD")]),

    # D4 -- passive with "theo quy định tại" as its agent (nghi-quyet-so-17-2026-nq-cp): one direction only
    ("III. Thời hạn thực hiện thủ tục cấp chứng chỉ hành nghề đo đạc và bản đồ \ntại khoản 1 Điều 47 Nghị định "
     "số 27/2019/NĐ-CP quy định chi tiết một số điều \ncủa Luật Đo đạc và bản đồ đã được sửa đổi, bổ sung bởi "
     "Nghị định số \n136/2021/NĐ-CP, Nghị định số 39/2026/NĐ-CP được quy định như sau: \nSau thời hạn 07 ngày "
     "làm việc kể từ ngày nhận hồ sơ đề nghị cấp chứng chỉ \nhành nghề theo quy định tại khoản 1 Điều 46 Nghị "
     "định số 27/2019/NĐ-CP (được \nsửa đổi, bổ sung theo quy định tại khoản 2 Điều 1 Nghị định số "
     "39/2026/NĐ-CP), \nThủ trưởng cơ quan có thẩm quyền cấp chứng chỉ ký, cấp chứng chỉ hành nghề \nđo đạc và "
     "bản đồ. \n",
     [("27/2019/NĐ-CP", "guides", "Luật Đo đạc và bản đồ"), ("136/2021/NĐ-CP", "amends", "27/2019/NĐ-CP"),
      ("39/2026/NĐ-CP", "amends", "27/2019/NĐ-CP")]),
    ("Căn cứ Nghị định số 27/2019/NĐ-CP (được sửa đổi, bổ sung theo quy định tại khoản 2 Điều 1 Nghị định số "
     "39/2026/NĐ-CP);", [("39/2026/NĐ-CP", "amends", "27/2019/NĐ-CP")]),
    # "sửa đổi, bổ sung bởi B" with "được" left out is still passive (nghi-quyet-so-6616-2026, -19-2026)
    ("Nghị định số 123/2013/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Luật sư; sửa đổi, bổ "
     "sung bởi Nghị định số 137/2018/NĐ-CP, Nghị định số 112/2025/NĐ-CP.",
     [("123/2013/NĐ-CP", "guides", "Luật Luật sư"), ("137/2018/NĐ-CP", "amends", "123/2013/NĐ-CP"),
      ("112/2025/NĐ-CP", "amends", "123/2013/NĐ-CP")]),
    ("quy định tại khoản 2 Điều 8 Nghị định số 83/2014/NĐ-CP sửa đổi, bổ sung bởi Nghị định số 08/2018/NĐ-CP;",
     [("08/2018/NĐ-CP", "amends", "83/2014/NĐ-CP")]),

    # D5 -- "theo hướng dẫn của B" in a description: A implements B
    ("Thực hiện Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND huyện theo hướng dẫn tại Công văn số "
     "123/SNV-CCHC của Sở Nội vụ;", [("12/KH-UBND", "implements", "123/SNV-CCHC")]),

    # K2 -- in a description too: replacing an appendix of B amends B
    ("Thông tư số 05/2019/TT-BXD thay thế Phụ lục I của Thông tư số 01/2017/TT-BXD.",
     [("05/2019/TT-BXD", "amends", "01/2017/TT-BXD")]),
    ("Thông tư số 05/2019/TT-BXD sửa đổi, bổ sung, thay thế một số điều của Thông tư số 01/2017/TT-BXD.",
     [("05/2019/TT-BXD", "amends", "01/2017/TT-BXD")]),
    ("Quyết định số 12/2020/QĐ-UBND thay thế Quyết định số 10/2017/QĐ-UBND.",
     [("12/2020/QĐ-UBND", "replaces", "10/2017/QĐ-UBND")]),

    # K4 -- a trigger whose object is an activity relates no documents: "triển khai các dự án … theo Kết luận B"
    # (nghi-quyet-so-122-nq-cp: Luật Quy hoạch implemented 18-KL/TW and 27-KL/TW), "thi hành pháp luật", a table's
    # next cells "được thực hiện | Thường xuyên | Chương trình B" (nghi-quyet-so-97-nq-cp: 66-NQ/TW and 140/NQ-CP
    # implemented 12-CTr/BCĐ)
    ("bảo đảm tuân thủ tính thứ bậc theo quy định của Luật Quy hoạch, đồng bộ, thống nhất với yêu cầu tăng trưởng "
     "và không để ảnh hưởng đến việc triển khai các dự án trọng điểm trên địa bàn theo Kết luận số 18-KL/TW ngày "
     "02 tháng 4 năm 2026 của Trung ương, Kết luận số 27-KL/TW ngày 24 tháng 4 năm 2026 của Bộ Chính trị;", []),
    ("4 \nTăng cường truyền thông thường xuyên, \nsâu rộng về kết quả thực hiện Nghị quyết \nsố 66-NQ/TW  \n"
     "Các bộ, cơ quan \nngang bộ \nBộ Tư pháp \nCác hoạt động \ntuyên truyền \nđược thực hiện \nThường \nxuyên \n"
     "Chương \ntrình số 12-\nCTr/BCĐ \n", []),
    ("Nghị quyết số 140/NQ-CP \n24 \nNghiên cứu giải pháp tạo đột phá trong công tác tổ chức thi hành pháp luật "
     "\nBộ Tư pháp \nBáo cáo chuyên đề \nTháng 8/2026 \nChương \ntrình số 12-\nCTr/BCĐ \n", []),
    # … while a document as the object is one (nghi-quyet-so-105-nq-cp), also after an adverb
    ("Nghị quyết số 281/NQ-CP ngày 15 tháng 9 năm 2025 của Chính phủ ban hành Chương trình hành động của Chính phủ "
     "thực hiện Nghị quyết số 71-NQ/TW ngày 22 tháng 8 năm 2025 của Bộ Chính trị;",
     [("281/NQ-CP", "implements", "71-NQ/TW")]),
    ("Căn cứ Kế hoạch số 12/KH-UBND ngày 3/3/2023 của UBND huyện về thực hiện hiệu quả Nghị quyết số 60-NQ/TU "
     "của Ban Thường vụ Tỉnh ủy;", [("12/KH-UBND", "implements", "60-NQ/TU")]),
    ("Thông tư liên tịch 02/2013/TTLT-BGTVT-BKHĐT-BTC ngày 08/01/2013 Hướng dẫn quản lý, sử dụng kinh phí thực hiện "
     "đề án kiểm soát ô nhiễm môi trường theo Quyết định số 855/QĐ-TTg ngày 06/6/2011 của Thủ tướng Chính phủ",
     [("02/2013/TTLT-BGTVT-BKHĐT-BTC", "implements", "855/QĐ-TTg")]),
    ("Thông tư liên tịch số 01/2017/TTLT-BCA-BQP hướng dẫn thực hiện một số quy định của Bộ luật Tố tụng hình sự;",
     [("01/2017/TTLT-BCA-BQP", "guides", "Bộ luật Tố tụng hình sự")]),
    # a suspension stated of two cited documents (quyet-dinh-so-1205-qd-bkhdt, a table's note), "của" before its
    # object; one of no higher force, issued later (rule 7)
    ("- Văn bản ngưng hiệu lực toàn bộ trong khoảng thời gian xác định: Thông tư số 16/2022/TT-BKHĐT ngày 29/7/2022 "
     "ngưng hiệu lực của Thông tư số 08/2022/TT-BKHĐT ngày 31 tháng 5 năm 2022 của Bộ trưởng Bộ Kế hoạch và Đầu tư",
     [("16/2022/TT-BKHĐT", "suspends", "08/2022/TT-BKHĐT")]),
    ("Căn cứ Nghị định số 46/2026/NĐ-CP ngày 26/01/2026, bị tạm ngưng hiệu lực bởi Nghị quyết số 15/2026/NQ-CP "
     "ngày 05/3/2026 của Chính phủ;", [("15/2026/NQ-CP", "suspends", "46/2026/NĐ-CP")]),
    ("Thông tư số 08/2022/TT-BKHĐT ngày 31/5/2022 ngưng hiệu lực của Nghị định số 63/2014/NĐ-CP;", []),
    # an unnumbered amending law naming the laws it amends, each with its number: they are inside its name (cites,
    # and it amends each; nghi-dinh-so-136-2026-nd-cp) …
    ("Căn cứ Luật Nhà ở số 27/2023/QH15; Luật sửa đổi, bổ sung một số điều\ncủa Luật Đất đai số 31/2024/QH15, Luật "
     "Nhà ở số 27/2023/QH15, Luật Kinh\ndoanh bất động sản số 29/2023/QH15 và Luật Các tổ chức tín dụng số 32/2024/QH15;",
     [("Luật sửa đổi, bổ sung một số điều của Luật Đất đai, Luật Nhà ở, Luật Kinh doanh bất động sản và Luật Các tổ "
       "chức tín dụng", "amends", n) for n in ("31/2024/QH15", "27/2023/QH15", "29/2023/QH15", "32/2024/QH15")]),
    # … or the amended law's number, its own amendments after it
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế số 25/2008/QH12 đã được sửa đổi, bổ sung một số "
     "điều theo Luật số 32/2013/QH13;", [("32/2013/QH13", "amends", "25/2008/QH12"),
                                         ("Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế", "amends", "25/2008/QH12")]),
    # … while one number after its name is its own, the gazette's usual form (nghi-dinh-so-132-2026-nd-cp: the law of
    # 2012 is 15/2012/QH13)
    ("Căn cứ Luật Xử lý vi phạm hành chính số 15/2012/QH13; Luật sửa đổi, bổ\nsung một số điều của Luật Xử lý vi phạm "
     "hành chính số 67/2020/QH14;", [("Luật sửa đổi, bổ sung một số điều của Luật Xử lý vi phạm hành chính", "amends",
                                     "Luật Xử lý vi phạm hành chính")]),
    # a cites phrase in a description states A cites B only when it says what A is about (relations.toml: about);
    # a provision located in B ("quy định tại …") is the citing text's own clause (nghi-quyet-so-20-2026-nq-cp)
    ("Thực hiện Kế hoạch số 130/KH-UBND ngày 21/9/2025 của UBND tỉnh về tổng kết Nghị quyết số 18-NQ/TW;",
     [("130/KH-UBND", "cites", "18-NQ/TW")]),
    ("d) Kế hoạch kinh doanh theo Mẫu số 07 tại Phụ lục ban hành kèm theo Nghị định số 15/2026/NĐ-CP (đối với quy "
     "định tại điểm c khoản 1 Điều 36 Nghị định số 163/2024/NĐ-CP);", []),
    ("Ủy ban nhân dân cấp tỉnh xét hồ sơ theo Nghị định số 133/2025/NĐ-CP theo quy định tại Điều 47 Nghị định số "
     "163/2024/NĐ-CP trong 05 ngày làm việc.", []),
]


@pytest.mark.parametrize("text,expected", THIRD_PARTY, ids=[t[:40] for t, _ in THIRD_PARTY])
def test_third_party(text, expected):
    x = extract_text(text, "table")
    assert [(r.source, r.relation, r.target) for r in x.relations] == expected, text
    pairs = {(r.source, r.target) for r in x.relations}
    assert not any((t, s) in pairs for s, t in pairs), "a relation in both directions"
    for r in x.relations:                # the trigger is the document's own text
        assert " ".join(text[r.span.start:r.span.end].split()) == r.trigger


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


# E1 -- coordinated act verbs: a citation's relation is the first verb's, `also` the others (vocabulary order)
ALSO = [
    # nghi-dinh-so-128-2026-nd-cp (a gold false negative: repeals was lost)
    ("Thay thế, bãi bỏ một số cụm từ, khoản, phụ lục của Nghị định số 85/2024/NĐ-CP ngày 10 tháng 7 năm 2024 của "
     "Chính phủ.", {"85/2024/NĐ-CP": ("amends", ("repeals",))}),
    # (replacing some articles amends: K2; repealing some stays repeals, as the gold counts partial repeal)
    ("Sửa đổi, bổ sung và thay thế một số điều của Thông tư số 10/2020/TT-BTC ngày 20/02/2020 của Bộ Tài chính.",
     {"10/2020/TT-BTC": ("amends", ())}),
    ("Nghị định này sửa đổi, bổ sung, thay thế, bãi bỏ một số điều của Nghị định số 61/2018/NĐ-CP.",
     {"61/2018/NĐ-CP": ("amends", ("repeals",))}),
    # vocabulary order, whatever the order of the verbs
    ("Bãi bỏ, thay thế, sửa đổi Quyết định số 12/2019/QĐ-UBND ngày 01/3/2019 của UBND tỉnh Lạng Sơn.",
     {"12/2019/QĐ-UBND": ("repeals", ("amends", "replaces"))}),
    # one verb: nothing more; two verbs with their own objects: each its own relation, no `also`
    ("Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ.", {"61/2018/NĐ-CP": ("based_on", ())}),
    ("Quyết định này thay thế Quyết định số 10/2017/QĐ-UBND ngày 01/3/2017 và bãi bỏ Quyết định số "
     "11/2016/QĐ-UBND.", {"10/2017/QĐ-UBND": ("replaces", ()), "11/2016/QĐ-UBND": ("repeals", ())}),
    # an activity, not an act on the document ("Văn bản sửa đổi, bổ sung, thay thế, bãi bỏ: B", quyet-dinh-so-225)
    ("Văn bản sửa đổi, bổ sung, thay thế, bãi bỏ: Nghị định số 15/2019/NĐ-CP.", {"15/2019/NĐ-CP": ("cites", ())}),
    # a cited document's own verbs are a third-party relation: the citing document merely cites both
    ("Thông tư số 05/2019/TT-BXD sửa đổi, bổ sung, bãi bỏ một số điều của Thông tư số 01/2017/TT-BXD.",
     {"05/2019/TT-BXD": ("cites", ()), "01/2017/TT-BXD": ("cites", ())}),
]


@pytest.mark.parametrize("text,expected", ALSO, ids=[t[:40] for t, _ in ALSO])
def test_coordinated_acts_keep_every_relation(text, expected):
    x = extract_text(text, "table")
    assert {c.number: (c.relation, c.also) for c in x.citations} == expected, text
    assert [c["also"] for c in x.to_json()["citations"]] == [list(c.also) for c in x.citations]


def test_each_coordinated_act_is_an_edge_of_the_same_mention():
    from graph_builder.resolve import resolve
    x = extract_text("QUYẾT ĐỊNH\nThay thế, bãi bỏ một số cụm từ, khoản, phụ lục của Nghị định số 85/2024/NĐ-CP "
                     "ngày 10 tháng 7 năm 2024 của Chính phủ.", "a.txt").to_json()
    res = resolve([x])
    edges = [e for e in res.edges if not e.third_party]
    assert sorted(e.relation for e in edges) == ["amends", "repeals"]
    assert len({(e.file, e.start, e.end, e.source, e.target, e.trigger, e.evidence) for e in edges}) == 1
    assert next(n for n in res.nodes.values() if n.number == "85/2024/NĐ-CP").mentions == 1
