"""Generate a realistic synthetic corpus: national → province → district → commune plans.

    python bench/synth.py OUT_DIR --docs 10000 [--seed 1]

Deterministic for a (docs, seed) pair.  Every document is a Kế hoạch of a real (pre-2025) administrative
unit, with the header, "Số: …/KH-UBND", the place-and-date line, a title, a "Căn cứ … ; Thực hiện …"
preamble citing its parents (central resolutions and decrees, the province's and the district's plans,
Party resolutions of the Tỉnh ủy), sometimes "(thay thế Kế hoạch số … )", body sentences that cite with
other relations, footnotes full of references, and the signature block.  Citation forms vary as in real
documents: with and without "số", dates as 15/7/2021 or "ngày 15 tháng 7 năm 2021", "của UBND tỉnh" or the
full name, Party numbers sometimes mistyped "60/NQ-TU", line breaks inside citations.

Besides the documents, OUT_DIR/truth.jsonl lists for each file its own identity and what it cites, with
the relation: the expected graph, for measuring the pipeline at scale.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_builder import places  # noqa: E402

TOPICS = ["cải cách hành chính", "chuyển đổi số", "nâng cao Chỉ số PAPI", "phòng, chống tham nhũng",
          "xây dựng nông thôn mới", "giảm nghèo bền vững", "phổ biến, giáo dục pháp luật", "phòng cháy, chữa cháy",
          "bảo vệ môi trường", "phát triển du lịch", "an toàn thực phẩm", "kiểm soát thủ tục hành chính",
          "đào tạo, bồi dưỡng cán bộ, công chức", "cải thiện Chỉ số PCI", "phát triển kinh tế tập thể"]
FILLER = [
    "Nâng cao chất lượng, hiệu quả công tác chỉ đạo, điều hành của các cơ quan, đơn vị.",
    "Tăng cường công tác thông tin, tuyên truyền, nâng cao nhận thức của cán bộ, công chức và Nhân dân.",
    "Xác định rõ trách nhiệm của người đứng đầu cơ quan hành chính nhà nước các cấp trong tổ chức thực hiện.",
    "Bảo đảm các nhiệm vụ được triển khai đồng bộ, thống nhất, phù hợp với điều kiện thực tế của địa phương.",
    "Kịp thời phát hiện, chấn chỉnh những hạn chế, vướng mắc nảy sinh trong quá trình thực hiện.",
    "Định kỳ báo cáo kết quả, tiến độ thực hiện về cơ quan thường trực trước ngày 15 của tháng cuối quý.",
    "Phấn đấu 100% hồ sơ được giải quyết đúng hạn; tỷ lệ hài lòng của người dân đạt trên 90%.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành.",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong hoạt động của các cơ quan nhà nước giai đoạn 2021 - 2025.",
    "Tổ chức kiểm tra, giám sát việc thực hiện tại các cơ quan, đơn vị, địa phương.",
    "Liên hệ: Văn phòng, điện thoại 0205.3812.345; thư điện tử vanphong@example.gov.vn.",
]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Hoa",
           "Đặng Văn Hùng", "Bùi Thị Lan", "Đỗ Văn Minh", "Hồ Thị Nga", "Ngô Văn Phúc", "Dương Thị Quỳnh"]
LEVEL_WORD = {"province": "tỉnh", "district": "huyện", "commune": "xã"}


@dataclass
class Doc:
    number: str
    level: str
    unit: places.Place
    date: tuple[int, int, int]
    title: str
    type_word: str = "Kế hoạch"
    issuer: str = ""

    def key(self) -> dict:
        return {"number": self.number, "level": self.level, "unit": self.unit.code,
                "province": self.unit.province_code, "date": "%04d-%02d-%02d" % self.date[::-1]}


def _kind_word(p: places.Place) -> str:
    return p.full_name.split(" ")[0].lower() if not p.full_name.startswith("Thành phố") else "thành phố"


def _unit_phrase(p: places.Place) -> str:
    first = p.full_name.split(" ")[0]
    kind = "thành phố" if p.full_name.startswith("Thành phố") else ("thị xã" if p.full_name.startswith("Thị xã")
                                                                    else ("thị trấn" if p.full_name.startswith("Thị trấn") else first.lower()))
    return f"{kind} {p.name}"


class Generator:
    def __init__(self, docs: int, seed: int):
        self.n, self.rng = docs, random.Random(seed)
        units = places.units()
        self.provinces = [u for u in units if u.kind == "province"]
        self.districts = [u for u in units if u.kind == "district"]
        self.communes = [u for u in units if u.kind == "commune"]
        self.counter: dict[tuple, int] = {}
        self.central = self._central()
        self.party: dict[str, list[Doc]] = {}

    def _central(self) -> list[Doc]:
        rng, out = self.rng, []
        vn = places.Place("vn", "Việt Nam", "central", "Việt Nam", "", "vn", None)
        for i in range(300):
            year = rng.randint(2015, 2024)
            kind = rng.choice(["NQ-CP", "NĐ-CP", "QĐ-TTg", "CT-TTg"])
            n = rng.randint(1, 400)
            if kind == "NĐ-CP":
                number, tw, issuer = f"{n}/{year}/NĐ-CP", "Nghị định", "Chính phủ"
            elif kind == "NQ-CP":
                number, tw, issuer = f"{n}/NQ-CP", "Nghị quyết", "Chính phủ"
            elif kind == "QĐ-TTg":
                number, tw, issuer = f"{n}/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ"
            else:
                number, tw, issuer = f"{n}/CT-TTg", "Chỉ thị", "Thủ tướng Chính phủ"
            date = (rng.randint(1, 28), rng.randint(1, 12), year)
            out.append(Doc(number, "central", vn, date, f"về {rng.choice(TOPICS)}", tw, issuer))
        uniq = {}
        for d in out:
            uniq.setdefault((d.number, d.date[2]), d)
        return sorted(uniq.values(), key=lambda d: (d.date[2], d.number))

    def _number(self, unit: places.Place, year: int) -> str:
        k = (unit.code, unit.kind, year)
        self.counter[k] = self.counter.get(k, self.rng.randint(1, 30)) + self.rng.randint(1, 4)
        return f"{self.counter[k]}/KH-UBND"

    def _party(self, province: places.Place) -> list[Doc]:
        if province.code not in self.party:
            rng = self.rng
            self.party[province.code] = [
                Doc(f"{rng.randint(1, 90)}-NQ/TU", "province", province,
                    (rng.randint(1, 28), rng.randint(1, 12), rng.randint(2016, 2023)),
                    f"về {rng.choice(TOPICS)}", "Nghị quyết", "Ban Thường vụ Tỉnh ủy") for _ in range(3)]
        return self.party[province.code]

    def _date(self, d: tuple[int, int, int], long: bool) -> str:
        day, month, year = d
        if long:
            return f"ngày {day:02d} tháng {month:02d} năm {year}"
        return f"ngày {day}/{month}/{year}"

    def _cite(self, d: Doc, citing: places.Place) -> str:
        rng = self.rng
        so = "số " if rng.random() < 0.85 else ""
        number = d.number
        if "-NQ/TU" in number and rng.random() < 0.1:
            n, rest = number.split("-", 1)
            number = f"{n}/{rest.replace('/', '-')}"          # the mistyped Party form 60/NQ-TU
        if d.level == "central":
            issuer = d.issuer
        elif d.type_word == "Nghị quyết":
            issuer = d.issuer
        elif d.unit.code == citing.code or rng.random() < 0.5:
            issuer = f"UBND {LEVEL_WORD[d.level]}" if d.unit.province_code == citing.province_code else \
                f"UBND {_unit_phrase(d.unit)}"
            if d.level == "district" and citing.kind == "commune" and citing.district != d.unit.name:
                issuer = f"UBND {_unit_phrase(d.unit)}"
        else:
            issuer = f"Ủy ban nhân dân {_unit_phrase(d.unit)}"
        brk = "\n" if rng.random() < 0.03 else " "
        return f"{d.type_word} {so}{number}{brk}{self._date(d.date, rng.random() < 0.3)} của {issuer} {d.title}"

    def _document(self, doc: Doc, parents: list[Doc], cited: list[Doc], replaced: Doc | None) -> str:
        rng = self.rng
        u = doc.unit
        head = "ỦY BAN NHÂN DÂN\n" + f"{_unit_phrase(u).upper()}\n-------"
        day, month, year = doc.date
        lines = [head, "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "---------------",
                 "", f"Số: {doc.number}", "", f"{u.name}, ngày {day:02d} tháng {month:02d} năm {year}", "",
                 "KẾ HOẠCH", doc.title[3:].capitalize() + f" {_unit_phrase(u)} năm {year}", ""]
        lines.append("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
        central = [p for p in parents if p.level == "central"]
        local = [p for p in parents if p.level != "central"]
        if central:
            lines.append("Căn cứ " + ";\nCăn cứ ".join(self._cite(p, u) for p in central) + ";")
        intro = f"UBND {_unit_phrase(u)} ban hành Kế hoạch {doc.title[3:]} năm {year}"
        if replaced is not None:
            intro += f" (thay thế {self._cite(replaced, u)})"
        if local:
            lines.append("Thực hiện " + "; ".join(self._cite(p, u) for p in local) + f", {intro} như sau:")
        else:
            lines.append(intro + " như sau:")
        lines += ["", "I. MỤC ĐÍCH, YÊU CẦU", ""]
        body = [rng.choice(FILLER) for _ in range(rng.randint(8, 16))]
        notes = []
        for c in cited:
            form = rng.random()
            if form < 0.5:
                body.insert(rng.randrange(len(body) + 1),
                            f"- Tiếp tục triển khai thực hiện có hiệu quả các nhiệm vụ tại {self._cite(c, u)}.")
            elif form < 0.8:
                body.insert(rng.randrange(len(body) + 1),
                            f"- Thực hiện đúng quy trình theo đúng quy định tại {self._cite(c, u)}.")
            else:
                notes.append(c)
        if notes:
            body.append("- Tổ chức triển khai thực hiện các văn bản¹ về " + rng.choice(TOPICS) + ".")
        lines += body
        lines += ["", "II. TỔ CHỨC THỰC HIỆN", "", rng.choice(FILLER), rng.choice(FILLER), ""]
        if notes:
            lines.append("¹ " + "; ".join(self._cite(c, u) for c in notes) + ".")
            lines.append("")
        lines += ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "",
                  rng.choice(SIGNERS), ""]
        return "\n".join(lines)

    def run(self, out: Path) -> dict:
        rng, out = self.rng, Path(out)
        out.mkdir(parents=True, exist_ok=True)
        n_prov = max(1, self.n // 20)
        n_dist = max(1, self.n // 4)
        n_comm = self.n - n_prov - n_dist
        by_unit: dict[str, list[Doc]] = {}
        truth = open(out / "truth.jsonl", "w", encoding="utf-8")
        written = 0

        def emit(doc: Doc, parents: list[Doc], cited: list[Doc], replaced: Doc | None):
            nonlocal written
            text = self._document(doc, parents, cited, replaced)
            rel = Path(f"{written // 1000:04d}") / f"{written:07d}.txt"
            (out / rel.parent).mkdir(exist_ok=True)
            (out / rel).write_text(text, encoding="utf-8")
            truth.write(json.dumps({"file": str(rel), "self": doc.key(),
                                    "cites": [dict(p.key(), relation="based_on" if p.level == "central"
                                                   else "implements") for p in parents]
                                    + [dict(c.key(), relation="other") for c in cited]
                                    + ([dict(replaced.key(), relation="replaces")] if replaced else [])},
                                   ensure_ascii=False) + "\n")
            by_unit.setdefault(doc.unit.code + doc.level, []).append(doc)
            written += 1

        for level, count, pool in (("province", n_prov, self.provinces), ("district", n_dist, self.districts),
                                   ("commune", n_comm, self.communes)):
            for _ in range(count):
                u = rng.choice(pool)
                year = rng.randint(*{"province": (2021, 2023), "district": (2022, 2024),
                                      "commune": (2022, 2024)}[level])
                date = (rng.randint(1, 28), rng.randint(1, 12), year)
                before = lambda d: d.date[::-1] < date[::-1]            # noqa: E731
                doc = Doc(self._number(u, year), level, u, date, f"về {rng.choice(TOPICS)}")
                parents = rng.sample([c for c in self.central if before(c)], rng.randint(1, 2))
                prov = next(p for p in self.provinces if p.code == u.province_code)
                if level == "province":
                    parents += [p for p in self._party(prov) if before(p)][: rng.randint(0, 1)]
                if level in ("district", "commune"):
                    parents += [p for p in by_unit.get(u.province_code + "province", []) if before(p)][-2:][
                        : rng.randint(1, 2)]
                if level == "commune":
                    dist = next((d for d in self.districts if d.province_code == u.province_code
                                 and d.name == u.district), None)
                    if dist is not None:
                        parents += [p for p in by_unit.get(dist.code + "district", []) if before(p)][-1:]
                own = by_unit.get(u.code + level, [])
                earlier = [o for o in own if before(o)]
                replaced = earlier[-1] if earlier and rng.random() < 0.15 else None
                cited = rng.sample([c for c in self.central if before(c)], rng.randint(0, 3))
                emit(doc, parents, [c for c in cited if c not in parents], replaced)
        truth.close()
        return {"documents": written, "provinces": n_prov, "districts": n_dist, "communes": n_comm}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    stats = Generator(args.docs, args.seed).run(Path(args.out))
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
