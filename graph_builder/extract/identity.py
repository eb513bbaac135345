"""A document's own identity: number, type, issuer and place, date, title, signer.

Sources, in order of trust: the formal header ("ỦY BAN NHÂN DÂN / TỈNH LẠNG SƠN", "Số: 02/KH-UBND",
"Lạng Sơn, ngày 04 tháng 01 năm 2023", the type heading and trích yếu, the signature block); the
portal metadata block ("Số hiệu", "Ngày ban hành", "Người ký"…); the body ("UBND xã Tú Xuyên ban
hành Kế hoạch…").  What is not known stays None: a blank "Số: /KH-UBND" gives no number.
"""
from __future__ import annotations

import re
from collections import Counter

import regex

from ..models import DocumentIdentity
from ..textfold import FoldView, fold
from .find import Finder, iso_date
from .regexes import NUMBER

_META = re.compile(r"^[ ]*(Số hiệu|Ngày ban hành|Loại văn bản|Cơ quan ban hành|Người ký|Ngày cập nhật)"
                   r"[ ]*:?[ ]+(\S[^\n]*?)[ ]*$", re.M | re.I)
_SPACE_RUNS = re.compile(r"[ \t]{2,}|\t")
_SO = re.compile(r"(?<![\w])(?:Số|(?:Luật|Bộ luật|Pháp lệnh|Lệnh|Nghị quyết|Quyết định) số)[ ]*:[ ]*")
_DATE_LINE = re.compile(
    r"^[ *_]*(?P<place>[A-ZĐÀ-Ỹ][^\n,]{1,40}),[ ]*ngày[ ]*(?P<d>\d{1,2})?[ ]*tháng[ ]*(?P<m>\d{1,2})?[ ]*"
    r"năm[ ]*(?P<y>(?:19|20)\d\d)", re.M | re.I)
_ROLE = re.compile(r"^[ *_]*(?:KT\.|TM\.|TL\.|Q\.)?[ ]*(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|BỘ TRƯỞNG|"
                   r"THỨ TRƯỞNG|CHỦ NHIỆM|BÍ THƯ|PHÓ BÍ THƯ|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|TRƯỞNG PHÒNG|TỔNG THƯ KÝ|"
                   r"CHÁNH VĂN PHÒNG|THỐNG ĐỐC|TỔNG KIỂM TOÁN|CHÁNH ÁN|VIỆN TRƯỞNG|TRƯỞNG BAN|"
                   r"ỦY BAN NHÂN DÂN|CHÍNH PHỦ|BỘ CHÍNH TRỊ|BAN THƯỜNG VỤ)\b[^\n]*$", re.M)
_NAME = regex.compile(r"^[ *_]*((?:\p{Lu}\p{Ll}+[ ]){1,5}\p{Lu}\p{Ll}+)[ *_]*$", regex.M)
_PROVINCE_WORD = re.compile(r"(?<!\w)(?:[Tt]ỉnh|TỈNH|[Tt]hành phố|THÀNH PHỐ|[Tt]inh|[Tt]hanh pho)[ ]")
_NEWS_MARKS = re.compile(r"Ngày cập nhật|Article thumbnail|Ảnh:|Tin liên quan|Xem tin theo ngày|Tổng truy cập|"
                         r"vừa được [^\n.]{0,80}ký ban hành", re.I)
_BODY_ISSUER = "(?<!cua )(?<!cua)(?P<issuer>{alt})\\s+(?P<kind>{kinds})(?P<rest>[^\\n.;]{{0,60}}?)\\s+ban\\s+hanh\\s+(?:ke\\s+hoach|quyet\\s+dinh|nghi\\s+quyet|chi\\s+thi|thong\\s+bao|chuong\\s+trinh|van\\s+ban|ke\\s+hoach)(?!\\s+so)"


def _title_case(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


class IdentityFinder:
    def __init__(self, finder: Finder):
        self.f = finder
        self.p = finder.p
        self.v = finder.v
        kinds = "|".join(sorted((re.escape(fold(w)) for w, _ in self.v.place_kinds), key=len, reverse=True))
        self.body_issuer = re.compile(_BODY_ISSUER.format(alt=self.p.issuer_alt, kinds=kinds))
        self.type_heading = {fold(t.label).upper(): t for t in self.v.types}
        self.type_heading.update({fold(n).upper(): t for t in self.v.types for n in t.names})

    def find(self, text: str, ftext: str) -> DocumentIdentity:
        # Runs of spaces and tabs (padded header lines, justified exports) mean nothing here: read the text
        # with single spaces (the identity has no offsets into the text).
        if _SPACE_RUNS.search(text):
            text = _SPACE_RUNS.sub(" ", text)
            ftext = FoldView(text)
        head = text[:4000]
        meta = {k.lower(): v for k, v in _META.findall(head)}
        ident: dict = {}

        # Number: "Số: 02/KH-UBND" (blank "Số: /KH-UBND" gives the type and issuer code only), or metadata.
        for m in _SO.finditer(head):
            rest = head[m.end():m.end() + 60]
            nm = NUMBER.match(rest)
            if nm:
                parsed = self.f.parse_number(nm)
                if parsed:
                    ident.update(number=parsed["number"], type=parsed["type"], issuer_code=parsed["issuer_code"])
                    break
            blank = re.match(r"/\s*([A-ZĐ][A-Za-zĐđ]*)(?:\s*-\s*([A-ZĐ][A-Za-zĐđ]*))?", rest)
            if blank:
                code = self.f.canonical_code(blank.group(1))
                if code in self.v.type_by_code:
                    ident["type"] = code
                if blank.group(2):
                    ident["issuer_code"] = self.f.canonical_code(blank.group(2))
                ident["number"] = None
                ident["blank_number"] = True
                break
        if "number" not in ident and "số hiệu" in meta:
            nm = NUMBER.search(meta["số hiệu"])
            parsed = self.f.parse_number(nm) if nm else None
            if parsed:
                ident.update(number=parsed["number"], type=parsed["type"], issuer_code=parsed["issuer_code"])

        # Type: the heading line (KẾ HOẠCH, NGHỊ ĐỊNH…), else metadata, else the number's code.
        heading_end = None
        for m in re.finditer(r"^[ *_#]*([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{2,30}?)[ *_]*$", text[:6000], re.M):
            t = self.type_heading.get(fold(m.group(1)).upper().strip())
            if t:
                if ident.get("type") is None:
                    ident["type"] = t.code
                heading_end = m.end()
                break
        if "type" not in ident and "loại văn bản" in meta:
            t = self.v.type_by_name.get(fold(meta["loại văn bản"]))
            if t:
                ident["type"] = t.code

        # Title: the lines after the heading, up to a blank line or the preamble.
        title = None
        if heading_end is not None:
            lines = []
            for line in text[heading_end:heading_end + 800].split("\n"):
                s = line.strip().strip("*_# ").strip()
                if not s:
                    if lines:
                        break
                    continue
                if re.match(r"(?i)(căn cứ|thực hiện|theo|để|trên cơ sở|điều \d|chương|phần)\b", s) and lines:
                    break
                lines.append(s)
                if len(lines) >= 4:
                    break
            title = " ".join(lines) or None
        kind = "document"
        if heading_end is None and "number" not in ident and _NEWS_MARKS.search(text[:20000]):
            kind = "news"
        if title is None:
            title = self._first_title_line(text)

        # Date: header date line, else metadata.
        date = None
        dm = _DATE_LINE.search(head)
        date_place = None
        if dm:
            date = iso_date(dm.group("d"), dm.group("m"), dm.group("y"))
            date_place = dm.group("place").strip(" *_")
        else:
            for key in ("ngày ban hành", "ngày cập nhật"):
                if key in meta:
                    mm = re.search(r"(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)", meta[key])
                    if mm:
                        date = iso_date(*mm.groups())
                        break
        if date is None:       # laws and resolutions of the National Assembly: "… thông qua ngày 10 tháng 7 năm 2025"
            mm = re.search(r"thông qua ngày (\d{1,2}) tháng (\d{1,2}) năm ((?:19|20)\d\d)", text)
            if mm:
                date = iso_date(*mm.groups())
        if date is None and kind == "news":
            mm = re.search(r"Ngày cập nhật[^\d]{0,5}(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)", text[:5000])
            if mm:
                date = iso_date(*mm.groups())

        issuer, issuer_code, level, place = self._issuer(text, ftext, ident.get("issuer_code"), kind == "news")
        if place is None and date_place and level not in ("central",) and kind == "document":
            place = date_place
        if "cơ quan ban hành" in meta and place is None:
            cq = meta["cơ quan ban hành"]
            pm = re.match(r"(?i)(tỉnh|thành phố|huyện|xã)\s+(.+)", cq)
            if pm:
                place = pm.group(2).strip()
                level = level or {"tỉnh": "province", "thành phố": "province", "huyện": "district",
                                  "xã": "commune"}[pm.group(1).lower()]
        signer = self._signer(text) or meta.get("người ký")
        t = ident.get("type")
        return DocumentIdentity(
            number=ident.get("number"), type=t,
            type_label=self.v.type_by_code[t].label if t in self.v.type_by_code else None,
            date=date, issuer=issuer, issuer_code=issuer_code or ident.get("issuer_code"), level=level,
            place=place, province=self._province(text, ftext, level, place), title=title, signer=signer,
            kind=kind)

    def _issuer(self, text: str, ftext: str, code_hint: str | None, news: bool = False):
        """(issuer, code, level, place) from the header block, else from "… ban hành Kế hoạch" in the body."""
        lines = []
        for line in text[:1500].split("\n")[:30]:
            s = line.strip().strip("*_ ")
            if not s or set(s) <= set("-_=─ "):
                if lines:
                    if any(c.islower() for c in " ".join(lines)):
                        lines = []
                        continue
                    break
                continue
            if s.startswith("CỘNG HÒA") or s.startswith("CỘNG HOÀ") or s.startswith("Số:") or s.startswith("Độc lập"):
                if lines:
                    break
                continue
            if s.upper() == s and any(c.isalpha() for c in s):
                lines.append(s)
            elif lines:
                break
        if lines:
            block = " ".join(lines)
            fb = fold(block)
            m = self.p.issuer_exact.match(fb)
            if m:
                iss = self.p.issuer_for_name(m.group("issuer"))
                if iss:
                    level = iss.level if iss.level != "local" else None
                    place = None
                    km = self.p.place_kind.match(fb, m.end())
                    if km:
                        place = _title_case(block[km.end():].strip()) or None
                        level = next((lv for w, lv in self.v.place_kinds if fold(w) == km.group("kind")), level)
                    label = iss.label + (f" {block[km.start():km.end()].strip().lower()} {place}" if km and place else "")
                    return label.strip(), iss.code, level, place
        m = ftext.search(self.body_issuer, 0, min(len(ftext), 20000))
        if m and not news:
            iss = self.p.issuer_for_name(m.group("issuer"))
            kind = m.group("kind")
            level = next((lv for w, lv in self.v.place_kinds if fold(w) == kind), None)
            name, _ = self.f.place_name(text, ftext, m.end("kind"))
            issuer = re.sub(r"\s+", " ", text[m.start("issuer"):m.end("kind")] + (f" {name}" if name else ""))
            return issuer, iss.code if iss else code_hint, level, name
        return None, code_hint, None, None

    def _province(self, text: str, ftext: str, level: str | None, place: str | None) -> str | None:
        if level == "province" and place:
            return place
        names = Counter()
        for k, m in enumerate(_PROVINCE_WORD.finditer(text)):
            if k == 60:               # enough to know which province a document speaks of
                break
            name, _ = self.f.place_name(text, ftext, m.end() - 1)
            if name:
                names[name] += 1
        if names:
            return sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return None

    @staticmethod
    def _signer(text: str) -> str | None:
        """The name under the signing role (CHỦ TỊCH, KT. BỘ TRƯỞNG / THỨ TRƯỞNG …).  The block stands before
        "Nơi nhận" or after it, before any annex; the first role followed by a name after the body wins."""
        body_end = text.find("Nơi nhận")
        start = max(0, body_end - 2500) if body_end >= 0 else max(0, len(text) - 3000)
        for role in _ROLE.finditer(text, start):
            m = _NAME.search(text[role.end():role.end() + 300])
            if m:
                return m.group(1).strip()
        return None

    @staticmethod
    def _first_title_line(text: str) -> str | None:
        for line in text[:3000].split("\n"):
            s = line.strip().strip("*_# ")
            if 15 <= len(s) <= 300 and any(not c.isascii() for c in s) and not s.endswith(":"):
                return s
        return None
