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
from ..textfold import FoldView, fold, has_diacritics
from .find import Finder, iso_date
from .regexes import NUMBER

# The header patterns run on FOLDED text (lower case, no diacritics, same length: textfold.fold), so a header
# typed without diacritics ("So: 02/KH-UBND", "Lang Son, ngay 04 thang 01 nam 2023", "CHU TICH") reads the
# same; values are sliced from the text at the same offsets.
_META = re.compile(r"^[ ]*(so hieu|ngay ban hanh|loai van ban|co quan ban hanh|nguoi ky|ngay cap nhat)"
                   r"[ ]*:?[ ]+(\S[^\n]*?)[ ]*$", re.M)
_SPACE_RUNS = re.compile(r"[ \t]{2,}|\t")
# "Số: 02/KH-UBND"; "Số 27-NQ/TW" (Party documents write the number without a colon: then only on a line of
# its own in the header, before the type heading, and written "Số"/"SỐ").
_SO = re.compile(r"(?<![\w])(?P<head>so|(?:luat|bo luat|phap lenh|lenh|nghi quyet|quyet dinh) so)"
                 r"[ ]*(?P<colon>:?)[ ]*")
_DATE_LINE = re.compile(
    r"^[ *_]*(?P<place>[a-z][^\n,]{1,40}),[ ]*ngay[ ]*(?P<d>\d{1,2})?[ ]*thang[ ]*(?P<m>\d{1,2})?[ ]*"
    r"nam[ ]*(?P<y>(?:19|20)\d\d)", re.M)
_ROLE = re.compile(r"^[ *_]*(?:kt\.|tm\.|tl\.|q\.)?[ ]*(?P<role>chu tich|pho chu tich|thu tuong|pho thu tuong|"
                   r"bo truong|thu truong|chu nhiem|bi thu|pho bi thu|giam doc|pho giam doc|truong phong|"
                   r"tong thu ky|chanh van phong|thong doc|tong kiem toan|chanh an|vien truong|truong ban|"
                   r"uy ban nhan dan|chinh phu|bo chinh tri|ban thuong vu)\b[^\n]*$", re.M)
# the same roles as written with diacritics (most texts): found without folding the signature block
_ROLE_WRITTEN = re.compile(r"^[ *_]*(?:KT\.|TM\.|TL\.|Q\.)?[ ]*(?P<role>CHỦ TỊCH|PHÓ CHỦ TỊCH|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|"
                           r"BỘ TRƯỞNG|THỨ TRƯỞNG|CHỦ NHIỆM|BÍ THƯ|PHÓ BÍ THƯ|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|TRƯỞNG PHÒNG|"
                           r"TỔNG THƯ KÝ|CHÁNH VĂN PHÒNG|THỐNG ĐỐC|TỔNG KIỂM TOÁN|CHÁNH ÁN|VIỆN TRƯỞNG|TRƯỞNG BAN|"
                           r"ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|CHÍNH PHỦ|BỘ CHÍNH TRỊ|BAN THƯỜNG VỤ)\b[^\n]*$", re.M)
# The gazette's section headings, printed above a document's own header ("VĂN BẢN QUY PHẠM PHÁP LUẬT"), folded
_GAZETTE_SECTION = re.compile(r"van ban (?:quy pham phap luat|phap luat khac|hop nhat)")
_BODY_END = re.compile(r"N[ơo]i nh[ậa]n|N[ƠO]I NH[ẬA]N")
_PASSED_ON = re.compile(r"th[ôo]ng qua ng[àa]y (\d{1,2}) th[áa]ng (\d{1,2}) n[ăa]m ((?:19|20)\d\d)")
_PREAMBLE = r"(căn cứ|thực hiện|theo|để|trên cơ sở|điều \d|chương|phần)\b"
_PREAMBLE_WORDS = re.compile("(?i)" + _PREAMBLE)
_PREAMBLE_FOLDED = re.compile(fold(_PREAMBLE))     # for a line typed without diacritics ("phan" is also "phân")
_NAME = regex.compile(r"^[ *_]*((?:\p{Lu}\p{Ll}+[ ]){1,5}\p{Lu}\p{Ll}+)[ *_]*$", regex.M)
# "tỉnh Lạng Sơn", "thành phố⏎Hà Nội"; not "cấp tỉnh" (the provincial level: a table's next cell may follow it)
# (a first letter to look for, and the word before checked in the loop: a look-behind at every position of the
# text costs four times as much)
_PROVINCE_WORD = re.compile(r"[Tt](?:ỉnh|ỈNH|hành phố|HÀNH PHỐ|inh|hanh pho)(?=[ \n])")
_NEWS_MARKS = re.compile(r"ngay cap nhat|article thumbnail|anh:|tin lien quan|xem tin theo ngay|tong truy cap|"
                         r"vua duoc [^\n.]{0,80}ky ban hanh")
# "UBND huyện Bắc Sơn ban hành Kế hoạch …" in the body, not "… của UBND tỉnh ban hành …" (a line break may stand
# wherever a space does: "của⏎UBND tỉnh", "huyện Bắc⏎Sơn ban⏎hành"; never an empty line)
_BODY_ISSUER = "(?<!cua\\s)(?<!cua)(?P<issuer>{alt})\\s+(?P<kind>{kinds})(?P<rest>(?:[^\\n.;]|\\n(?![ ]*\\n)){{0,60}}?)\\s+ban\\s+hanh\\s+(?:ke\\s+hoach|quyet\\s+dinh|nghi\\s+quyet|chi\\s+thi|thong\\s+bao|chuong\\s+trinh|van\\s+ban|ke\\s+hoach)(?!\\s+so)"


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
        fhead = ftext[:4000]
        meta = {m.group(1): head[m.start(2):m.end(2)] for m in _META.finditer(fhead)}
        ident: dict = {}

        # Type heading (KẾ HOẠCH, NGHỊ ĐỊNH…): it closes the header block.
        heading_start = heading_end = heading_type = None
        for m in re.finditer(r"^[ *_#]*([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{2,30}?)[ *_]*$", text[:6000], re.M):
            t = self.type_heading.get(fold(m.group(1)).upper().strip())
            if t:
                heading_start, heading_end, heading_type = m.start(), m.end(), t
                break

        # Number: "Số: 02/KH-UBND" (blank "Số: /KH-UBND" gives the type and issuer code only); "Số 27-NQ/TW"
        # without a colon on a header line of its own; else metadata ("Số hiệu").
        header_end = heading_start if heading_start is not None else 1500
        for m in _SO.finditer(fhead):
            if not m.group("colon") and not self._own_number_line(head, m, header_end):
                continue
            rest = head[m.end():m.end() + 60]
            nm = NUMBER.match(rest)
            if nm:
                parsed = self.f.parse_number(nm)
                if parsed:
                    ident.update(number=parsed["number"], type=parsed["type"], issuer_code=parsed["issuer_code"])
                    break
            blank = re.match(r"/\s*([A-ZĐ][A-Za-zĐđ]*)(?:\s*-\s*([A-ZĐ][A-Za-zĐđ]*))?", rest) \
                if m.group("colon") else None
            if blank:
                code = self.f.canonical_code(blank.group(1))
                if code in self.v.type_by_code:
                    ident["type"] = code
                if blank.group(2):
                    ident["issuer_code"] = self.f.canonical_code(blank.group(2))
                ident["number"] = None
                ident["blank_number"] = True
                break
        if "number" not in ident and "so hieu" in meta:
            nm = NUMBER.search(meta["so hieu"])
            parsed = self.f.parse_number(nm) if nm else None
            if parsed:
                ident.update(number=parsed["number"], type=parsed["type"], issuer_code=parsed["issuer_code"])

        # Type: the heading line, else metadata, else the number's code.
        if heading_type is not None and ident.get("type") is None:
            ident["type"] = heading_type.code
        if "type" not in ident and "loai van ban" in meta:
            t = self.v.type_by_name.get(fold(meta["loai van ban"]))
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
                if lines and (_PREAMBLE_WORDS.match(s) or s.isascii() and _PREAMBLE_FOLDED.match(fold(s))):
                    break
                if lines and s.upper() == s and any(c.islower() for ln in lines for c in ln) \
                        and (self.p.issuer_exact.match(fold(s)) or _ROLE.match(fold(s))):
                    break      # the enacting body's line after a title in lower case ("ỦY BAN NHÂN DÂN TỈNH HÀ GIANG",
                    #            "CHỦ TỊCH …"), with no blank line before it
                lines.append(s)
                if len(lines) >= 4:
                    break
            title = " ".join(lines) or None
        kind = "document"
        if heading_end is None and "number" not in ident and _NEWS_MARKS.search(ftext[:20000]):
            kind = "news"
        if title is None:
            title = self._first_title_line(text)

        # Date: header date line ("Lạng Sơn, ngày 04 tháng 01 năm 2023"), else metadata.
        date = None
        date_place = None
        dm = next((m for m in _DATE_LINE.finditer(fhead) if head[m.start("place")].isupper()), None)
        if dm:
            date = iso_date(dm.group("d"), dm.group("m"), dm.group("y"))
            date_place = head[dm.start("place"):dm.end("place")].strip(" *_")
        else:
            for key in ("ngay ban hanh", "ngay cap nhat"):
                if key in meta:
                    mm = re.search(r"(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)", meta[key])
                    if mm:
                        date = iso_date(*mm.groups())
                        break
        if date is None:       # laws and resolutions of the National Assembly: "… thông qua ngày 10 tháng 7 năm 2025"
            mm = _PASSED_ON.search(text)
            if mm:
                date = iso_date(*mm.groups())
        if date is None and kind == "news":
            mm = re.search(r"ngay cap nhat[^\d]{0,5}(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)", ftext[:5000])
            if mm:
                date = iso_date(*mm.groups())

        issuer, issuer_code, level, place = self._issuer(text, ftext, ident.get("issuer_code"), kind == "news")
        if place is None and date_place and level not in ("central",) and kind == "document":
            place = date_place
        if "co quan ban hanh" in meta and place is None:
            cq = meta["co quan ban hanh"]
            pm = re.match(r"(tinh|thanh pho|huyen|xa)\s+(?=\S)", fold(cq))
            if pm:
                place = cq[pm.end():].strip()
                level = level or {"tinh": "province", "thanh pho": "province", "huyen": "district",
                                  "xa": "commune"}[pm.group(1)]
        signer = self._signer(text) or meta.get("nguoi ky")
        t = ident.get("type")
        return DocumentIdentity(
            number=ident.get("number"), type=t,
            type_label=self.v.type_by_code[t].label if t in self.v.type_by_code else None,
            date=date, issuer=issuer, issuer_code=issuer_code or ident.get("issuer_code"), level=level,
            place=place, province=self._province(text, ftext, level, place), title=title, signer=signer,
            kind=kind)

    def _issuer(self, text: str, ftext: str, code_hint: str | None, news: bool = False):
        """(issuer, code, level, place) from the header block, else from "… ban hành Kế hoạch" in the body."""
        # The block of capitalised lines at the top ("ỦY BAN NHÂN DÂN / TỈNH LẠNG SƠN"); blank lines inside it
        # mean nothing (an HTML page puts each line in a paragraph of its own); a rule ("-------"), the
        # national motto, the number or the type heading ends it.
        lines = []
        for line in text[:3000].split("\n")[:80]:
            s = line.strip().strip("*_ ")
            if not s:
                continue
            fs = fold(s)
            if _GAZETTE_SECTION.fullmatch(fs):
                continue               # "VĂN BẢN QUY PHẠM PHÁP LUẬT" above the header: the gazette's, not the issuer's
            if set(s) <= set("-_=─ ") or fs.startswith(("cong hoa", "so:", "doc lap")) \
                    or fs.upper() in self.type_heading:
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
                        # the place name is the rest of its line ("TỈNH LẠNG SƠN"), or the next line
                        name_start = km.end() + (block[km.end():km.end() + 1] == " ")
                        ends, pos = [], 0
                        for ln in lines:
                            pos += len(ln) + 1
                            ends.append(pos - 1)
                        line_end = next((e for e in ends if e > name_start), len(block))
                        place = _title_case(block[name_start:line_end].strip()) or None
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
        k = 0
        for m in _PROVINCE_WORD.finditer(text):
            a = m.start()
            if a and text[a - 1].isalnum() or ftext[max(0, a - 4):a] == "cap ":
                continue
            k += 1
            if k > 60:                # enough to know which province a document speaks of
                break
            name, _ = self.f.place_name(text, ftext, m.end())
            if name:
                names[name] += 1
        if names:
            return sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return None

    @staticmethod
    def _own_number_line(head: str, m: re.Match, header_end: int) -> bool:
        """"Số 27-NQ/TW" without a colon is the document's own number only in the header (before the type
        heading), at the start of a line, written with a capital ("Số", "SỐ")."""
        if m.group("head") != "so" or m.start() >= header_end or not head[m.start()].isupper():
            return False
        line_start = head.rfind("\n", 0, m.start()) + 1
        return not head[line_start:m.start()].strip(" *_#")

    @staticmethod
    def _signer(text: str) -> str | None:
        """The name under the signing role (CHỦ TỊCH, KT. BỘ TRƯỞNG / THỨ TRƯỞNG …).  The block stands before
        "Nơi nhận" or after it, or after the closing "./.", before any annex; the first role (in capitals)
        followed by a name after the body wins."""
        # where the search starts: before "Nơi nhận"; else at the body's closing mark "./." (the gazette leaves
        # out the recipients); else near the end
        starts = []
        be = _BODY_END.search(text)
        if be:
            starts.append(max(0, be.start() - 2500))
        close = text.find("./.")
        if close >= 0:
            starts.append(close)
        starts.append(max(0, len(text) - 3000))
        plain = not has_diacritics(text)
        for start in dict.fromkeys(starts):
            window = text[start:start + 8000]
            for role in (_ROLE.finditer(fold(window)) if plain else _ROLE_WRITTEN.finditer(window)):
                if not window[role.start("role"):role.end("role")].isupper():
                    continue
                m = _NAME.search(window[role.end():role.end() + 300])
                if m:
                    return m.group(1).strip()
        return None

    @staticmethod
    def _first_title_line(text: str) -> str | None:
        plain = not has_diacritics(text)      # typed without diacritics: any line of words will do
        for line in text[:3000].split("\n"):
            s = line.strip().strip("*_# ")
            if 15 <= len(s) <= 300 and (plain and any(c.isalpha() for c in s) or any(not c.isascii() for c in s)) \
                    and not s.endswith(":"):
                return s
        return None
