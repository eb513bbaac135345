"""Find references: numbered citations (with their type word, date and issuer) and laws cited by name.

Works on the normalised text (clean.normalise) and its folded copy (same offsets).  Produces
`Ref` records with offsets in the normalised text; relations.py then decides their relations and
pipeline.py maps them back to the original text.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re

import regex
from dataclasses import dataclass, field

from ..textfold import fold, has_diacritics, lower, squash as _squash
from .regexes import NUMBER, STANDARD_BEFORE, Patterns

_UPPER_WORD = regex.compile(r"\p{Lu}")
_TRAILING_DIGITS = re.compile(r"(?<=[A-Za-zĐđ])\d+$")
# A footnote's text at the foot of a page: its number opens a line ("1 Nghị quyết số 66-NQ/TW ngày …").
_FOOTNOTE_LINE = re.compile(r"(?m)^[ \t]*(\d{1,3})[ \t]+(?=\S)")


def _footnote_lines(text: str) -> dict[str, list[tuple[int, str]]]:
    """Footnote number -> (where its line starts, its first 400 characters), for lines opened by a number."""
    out: dict[str, list[tuple[int, str]]] = {}
    for m in _FOOTNOTE_LINE.finditer(text):
        out.setdefault(m.group(1), []).append((m.start(), text[m.end():m.end() + 400]))
    return out
_TITLE_WORD = regex.compile(r"\p{Lu}\p{Ll}+")
_NOT_NAME = re.compile(r"[\d/]")


def _title_case(words: str) -> bool:
    """A name written with every word capitalised ("Cán Bộ, Công Chức"): at least two words, none an acronym."""
    ws = words.replace(",", " ").split()
    return len(ws) >= 2 and all(_TITLE_WORD.fullmatch(w) for w in ws)


@dataclass(slots=True)
class Ref:
    """A reference being analysed (offsets in the normalised text)."""

    kind: str                        # "number" | "named"
    start: int                       # whole reference: type word or name …
    end: int                         # … through date and issuer
    num_start: int
    num_end: int
    number: str | None               # canonical number, None for a named ref without one
    as_written: str = ""
    type: str | None = None
    type_label: str | None = None
    date: str | None = None
    issuer: str | None = None        # as written (normalised spacing)
    issuer_code: str | None = None
    issuer_level: str | None = None
    issuer_place: str | None = None
    name: str | None = None          # named refs, and numbered laws cited with their name
    amends: list[str] = field(default_factory=list)   # "Luật sửa đổi, bổ sung … của Luật X và Luật Y": X, Y
    notes: list[str] = field(default_factory=list)
    # decided by relations.py
    relation: str = "cites"
    also: tuple[str, ...] = ()       # further relations of a coordinated verb phrase ("Thay thế, bãi bỏ …")
    trigger: str | None = None
    trigger_span: tuple[int, int] | None = None   # the deciding phrase, normalised offsets
    parent: int | None = None        # index (in the ref list) of the reference whose description holds this one

    @property
    def key(self) -> str:
        return self.number or self.name or ""


class _LowerView:
    """lower() of the text, computed only where looked at."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __getitem__(self, sl: slice) -> str:
        return lower(self.text[sl])


def iso_date(d: str | None, m: str | None, y: str | None) -> str | None:
    """ISO date from day, month, year strings; partial ("2024-05", "2024") when the day or month is
    blank; None when the date does not exist."""
    if not y:
        return None
    try:
        year = int(y)
        if not m:
            return f"{year:04d}"
        month = int(m)
        if not d:
            return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
        return _dt.date(year, month, int(d)).isoformat()
    except ValueError:
        return None


class Finder:
    def __init__(self, pats: Patterns):
        self.p = pats
        self.v = pats.vocab

    # ---- numbers -------------------------------------------------------------------------
    def canonical_code(self, token: str) -> str:
        if token in self.v.known_codes:
            return token
        base = token.rstrip("0123456789")
        digits = token[len(base):]
        if base in self.v.known_codes:
            return token
        folded = self.v.code_by_fold.get(base.upper().replace("Đ", "D").replace("đ", "D"))
        if folded:
            return folded + digits
        return token

    def is_code(self, token: str) -> bool:
        """A token that can stand in a số hiệu: known to the vocabulary, or all capitals."""
        base = token.rstrip("0123456789")
        if not base or token.upper() in self.v.not_codes or base.upper() in self.v.not_codes:
            return False
        if base in self.v.known_codes or self.canonical_code(base) in self.v.known_codes:
            return True
        return base.upper() == base and len(base) >= 2

    def parse_number(self, m: re.Match) -> dict | None:
        """Canonical form, type and issuer codes of a NUMBER match; None when it is not a số hiệu."""
        split = lambda s: [t for t in re.split(r"\s*-\s*", s.strip()) if t]   # noqa: E731
        num, year = m.group("num"), m.group("year")
        types, issuers_party = self.v.type_by_code, self.v.party_issuer_codes
        notes: list[str] = []
        if m.group("ptype"):                                       # 60-NQ/TU
            ptype = self.canonical_code(m.group("ptype"))
            codes = [self.canonical_code(t) for t in split(m.group("pcodes"))]
            if ptype not in types or not all(self.is_code(c) for c in codes):
                return None
            return {"number": f"{num}-{ptype}/{'-'.join(codes)}", "type": ptype, "issuer_code": codes[0],
                    "form": "party", "notes": notes, "last_raw": None}
        raw = split(m.group("ycodes") or m.group("codes"))
        codes = [self.canonical_code(t) for t in raw]
        # Keep the leading run of valid codes ("105/LĐVL-Sở" keeps nothing valid after LĐVL).
        valid = []
        for c in codes:
            if not self.is_code(c):
                break
            valid.append(c)
        if not valid:
            return None
        codes = valid
        first = codes[0]
        last_raw = raw[len(codes) - 1]
        if len(codes) == 1 and first not in types and first not in self.v.issuer_by_code:
            # a hyphen left out between the type and the issuer ("27/2016/TTBLĐTBXH" is TT-BLĐTBXH)
            for k in range(1, len(first)):
                if first[:k] in types and first[k:] in self.v.issuer_by_code:
                    notes.append(f"hyphen missing in {first}")
                    codes = [first[:k], first[k:]]
                    first = codes[0]
                    break
        if year:
            if first in types:
                if len(codes) < 2:
                    return None
                return {"number": f"{num}/{year}/{'-'.join(codes)}", "type": first, "issuer_code": codes[1],
                        "form": "normative", "notes": notes, "last_raw": last_raw}
            base = first.rstrip("0123456789")
            if base in ("QH", "UBTVQH") or base in self.v.issuer_by_code or len(codes) >= 2:
                return {"number": f"{num}/{year}/{'-'.join(codes)}", "type": None, "issuer_code": base,
                        "form": "law", "notes": notes, "last_raw": last_raw}
            return None
        if first in types:
            if len(codes) < 2:
                return None
            issuer = codes[1]
            if issuer in issuers_party and len(codes) == 2:
                notes.append(f"party number written with a slash: {num}/{first}-{issuer}")
                return {"number": f"{num}-{first}/{issuer}", "type": first, "issuer_code": issuer,
                        "form": "party", "notes": notes, "last_raw": last_raw}
            return {"number": f"{num}/{'-'.join(codes)}", "type": first, "issuer_code": issuer,
                    "form": "administrative", "notes": notes, "last_raw": last_raw}
        if len(codes) >= 2 or first in self.v.issuer_by_code:       # Công văn 1234/UBND-NC
            return {"number": f"{num}/{'-'.join(codes)}", "type": None, "issuer_code": first,
                    "form": "letter", "notes": notes, "last_raw": last_raw}
        return None

    def find_numbers(self, text: str, ftext: str) -> list[Ref]:
        refs: list[Ref] = []
        footnotes: list = []                 # the footnote index, built the first time a marker is possible

        def footnote_lines() -> dict:
            if not footnotes:
                footnotes.append(_footnote_lines(text))
            return footnotes[0]
        for m in NUMBER.finditer(text):
            s = m.start()
            if STANDARD_BEFORE.search(text, max(0, s - 8), s) or ftext.search(self._FORM_BEFORE, max(0, s - 16), s):
                continue
            parsed = self.parse_number(m)
            if parsed is None:
                continue
            # A trailing token that is not a code ("…/KH-UBND-Sở") is not part of the number.
            e = m.end()
            if parsed["last_raw"] and not text[s:e].endswith(parsed["last_raw"]):
                e = s + text[s:e].rfind(parsed["last_raw"]) + len(parsed["last_raw"])
            if _TRAILING_DIGITS.search(parsed["number"]) and text[e - 1].isdigit():
                marker = self._footnote_marker(parsed, e, footnote_lines)
                if marker:
                    e -= len(marker)
            ref = Ref(kind="number", start=s, end=e, num_start=s, num_end=e, number=parsed["number"],
                      as_written=_squash(text[s:e]), type=parsed["type"], issuer_code=parsed["issuer_code"],
                      notes=list(parsed["notes"]))
            self._type_before(ref, ftext)
            self._date_issuer_after(ref, text, ftext)
            if ref.date is None and ref.issuer is None:
                self._issued_before(ref, text, ftext)
            self._fill_from_codes(ref, parsed["form"])
            refs.append(ref)
        self._share_issuer(refs, ftext)
        return refs

    # "Văn bản ủy quyền mẫu số 41/UQ-ĐKT": a form's number (a template annexed to a document), never a document
    _FORM_BEFORE = re.compile(r"(?<![a-z])mau(?:\s+bieu)?\s+(?:so\s*)?:?\s*$")

    @functools.cached_property
    def _numbered_codes(self) -> frozenset[str]:
        """Codes the vocabulary's number formats write with a number of their own: QH15, UBTVQH15 (the legislature)."""
        out = set()
        for f in self.v.formats:
            for _, canonical in f.examples:
                m = re.search(r"([A-Za-zĐđ]+)\d+$", canonical)
                if m:
                    out.add(m.group(1))
        return frozenset(out)

    def _footnote_marker(self, parsed: dict, end: int, footnote_lines) -> str | None:
        """The footnote marker glued to the end of a number ("Nghị quyết số 66-NQ/TW1" for footnote 1 after
        66-NQ/TW, the superscript lost in the gazette's text layer), or None.  Codes may end in digits (QH15,
        UBTVQH15, BCĐ389), so the digits are a marker only when the code without them is one the vocabulary knows
        (TW, CP, BCĐ …, not one its number formats write with a number: QH, UBTVQH) and a footnote with that
        number, later in the document, cites the number without them
        ("1 Nghị quyết số 66-NQ/TW ngày 30/4/2025 …").  The parsed number is updated in place.  The document's
        footnote index (footnote_lines()) is only built once a code could carry a marker: most numbers ending in
        digits are laws' (…/QH15), which never do."""
        number = parsed["number"]
        digits = _TRAILING_DIGITS.search(number).group(0)
        for k in range(1, min(len(digits), 3) + 1):
            marker = digits[-k:]
            code = re.search(r"[^/-]*$", number[:-k]).group(0)
            bare = code.rstrip("0123456789")
            if marker[0] == "0" or bare not in self.v.known_codes or bare in self._numbered_codes:
                continue
            base = number[:-k]
            lead = re.match(r"\d+", base).group(0)
            for start, window in footnote_lines().get(marker, ()):
                if start < end or lead not in window:
                    continue
                if any((q := self.parse_number(f)) is not None and q["number"] == base
                       for f in NUMBER.finditer(window)):
                    if parsed["issuer_code"] == code + marker:
                        parsed["issuer_code"] = code
                    parsed["number"] = base
                    parsed["notes"].append(f"footnote marker {marker} after the number")
                    return marker
        return None

    _COORD = re.compile(r"\s*(?:,|;)?\s*(?:va|hoac)?\s*")

    def _share_issuer(self, refs: list[Ref], ftext: str) -> None:
        """"Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 và Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của
        Chính phủ": an issuer after coordinated references is each one's when their numbers' codes agree."""
        for k in range(len(refs) - 2, -1, -1):
            a, b = refs[k], refs[k + 1]
            if a.issuer is not None or b.issuer is None or a.issuer_code != b.issuer_code:
                continue
            if b.start - a.end > 12:
                continue
            gap = ftext[a.end:b.start]
            if not gap.strip() or not self._COORD.fullmatch(gap) or ";" in gap:
                continue
            a.issuer, a.issuer_level, a.issuer_place = b.issuer, b.issuer_level, b.issuer_place

    def _type_before(self, ref: Ref, ftext: str) -> None:
        lo = max(0, ref.num_start - 40)
        m = ftext.search(self.p.type_before, lo, ref.num_start)
        if not m:
            return
        t = self.p.type_for_name(m.group("type"))
        if t is None:
            return
        if "lien tich" in m.group(0) and t.code == "TT":
            t = self.v.type_by_code.get("TTLT", t)
        ref.start = m.start()
        if ref.type is None:
            ref.type = t.code
        elif ref.type != t.code and not (t.code == "QyĐ" and ref.type == "QĐi"):
            ref.notes.append(f"type word {t.label!r} disagrees with the number's code {ref.type!r}")
        ref.type_label = self.v.type_by_code[ref.type].label if ref.type in self.v.type_by_code else t.label

    _OPEN_PAREN = re.compile(r"[ \t]*\(")
    _CLOSE_PAREN = re.compile(r"[ \t]*\)")
    _ISSUED_AFTER = re.compile(r"[ \t]*,?\s*(?:da\s+|vua\s+)?ban\s+hanh(?![a-z])")
    _DO = re.compile(r"[\s,]*do\s")

    def _central_code(self, ref: Ref) -> bool:
        """The number's own issuer code names a central body (NĐ-CP, QĐ-TTg, TT-BTC, QH15)."""
        iss = self.v.issuer_by_code.get(ref.issuer_code or "")
        return iss is not None and iss.level == "central"

    def _date_issuer_after(self, ref: Ref, text: str, ftext: str) -> None:
        pos = ref.num_end
        m = self.p.date_after.match(ftext[pos:pos + 60])
        shift = 0
        if not m:              # "số 1807/QĐ-UBND (ngày 11/11/2022) của UBND tỉnh"
            op = ftext.match(self._OPEN_PAREN, pos, pos + 4)
            if op:
                m = self.p.date_after.match(ftext[op.end():op.end() + 60])
                cp = ftext.match(self._CLOSE_PAREN, op.end() + m.end(), op.end() + m.end() + 4) if m else None
                if cp is None:
                    m = None
                else:
                    shift = op.end() - pos
                    close = cp.end() - (op.end() + m.end())
        if m:
            d, mo, y = (m.group("d"), m.group("m"), m.group("y")) if m.group("y") else \
                (m.group("d2"), m.group("m2"), m.group("y2"))
            ref.date = iso_date(d, mo, y)
            if ref.date is None:
                ref.notes.append(f"invalid date {d}/{mo}/{y}")
            pos += shift + m.end() + (close if shift else 0)
            ref.end = pos
        m = self.p.issuer_after.match(ftext[pos:pos + 160])
        if m:
            istart, iend = pos + m.start("issuer"), pos + m.end("issuer")
            iss = self.p.issuer_for_name(m.group("issuer"))
            if iss is not None and iss.level != "central" and self._central_code(ref):
                return             # "Nghị định số 163/2024/NĐ-CP của UBND tỉnh": not the decree's issuer
            probe = Ref(kind="number", start=0, end=0, num_start=0, num_end=0, number=None)
            end = self._place_after(probe, text, ftext, iend, iss)
            if self._DO.match(m.group(0)) and not ftext.match(self._ISSUED_AFTER, end, end + 40):
                return             # "… do Ủy ban nhân dân cấp tỉnh thực hiện": the doer, not the issuer
            ref.issuer = _squash(text[istart:end])
            ref.issuer_level = probe.issuer_level
            ref.issuer_place = probe.issuer_place
            if iss is not None:
                own = self.v.issuer_by_code.get(ref.issuer_code or "")
                joint = {self.v.issuer_by_code.get(c.rstrip("0123456789")) for c in re.split(r"[/-]", ref.number or "")}
                if own is not None and own is not iss and iss not in joint and own.level == iss.level == "central":
                    # "Nghị định số 42/2022/NĐ-CP … của Thủ tướng Chính phủ": the number's code names another body
                    # (not one of a joint circular's: "58/2012/TTLT-BGDĐT-BLĐTBXH … của Bộ Lao động …")
                    ref.notes.append(f"issuer {ref.issuer!r} disagrees with the number's code {ref.issuer_code!r}")
                ref.issuer_code = iss.code
                if iss.level not in ("local",) and ref.issuer_level is None:
                    ref.issuer_level = iss.level
            ref.end = end

    def _place_after(self, ref: Ref, text: str, ftext: str, pos: int, iss) -> int:
        """Read "tỉnh Lạng Sơn" / "huyện" / "xã Tú Xuyên" after a placed issuer; returns the new end."""
        if iss is None or not iss.placed:
            return pos
        m = ftext.match(self.p.place_kind, pos, pos + 40)
        if not m:
            if iss.party and iss.level in ("province", "district"):     # "Tỉnh ủy Lạng Sơn"
                name, end = self.place_name(text, ftext, pos)
                if name:
                    ref.issuer_place, ref.issuer_level = name, iss.level
                    return end
            return pos
        kind = m.group("kind")
        for word, level in self.v.place_kinds:
            if re.sub(r"\s+", " ", kind) == self._fold(word):
                ref.issuer_level = level
        end = m.end()
        name, name_end = self.place_name(text, ftext, end)
        if name:
            ref.issuer_place = name
            end = name_end
        return end

    @staticmethod
    def _fold(s: str) -> str:
        from ..textfold import fold
        return fold(s)

    # Between the words of a place name: spaces, or one line break (a wrapped line: "UBND tỉnh⏎Lạng Sơn",
    # "huyện Bắc⏎Sơn"), never an empty line.
    _PLACE_WORD = re.compile(r"(?:[ ]+|[ ]*\n[ ]*)(\S+?)(?=[\s,;.()]|$)")
    _PLACE_STOP = re.compile(r"(?:dieu|khoan|chuong|muc|phan|phu\s+luc)\s+[\divxlc]", re.I)

    def place_name(self, text: str, ftext: str, pos: int) -> tuple[str | None, int]:
        """Capitalised words at pos ("Lạng Sơn", "Tú Xuyên"), also across a line break ("tỉnh⏎Lạng Sơn", "huyện
        Bắc⏎Sơn"), stopping at a type word ("tỉnh Kết luận …", "tỉnh Lạng Sơn Kế hoạch …").  The next line goes on
        with the name only with a capitalised word ("Lạng", not "TRỰC" or "III/2026") that opens no provision
        ("Điều 2"), relation trigger ("Thực hiện …") or body of the vocabulary ("Sở Nội vụ …"); a name that starts
        on the next line needs two words ("tỉnh⏎Cấp huyện" is a table's next cell)."""
        words = []
        end = pos
        broken = False                 # a line break before the first word
        window = text[pos:pos + 60]
        for m in self._PLACE_WORD.finditer(window):
            if m.start() != (end - pos):
                break
            w = m.group(1)
            if not _UPPER_WORD.match(w) or _NOT_NAME.search(w):
                break                  # "tỉnh⏎Quý III/2026": a place name is words of letters
            ws = pos + m.start(1)
            fw = ftext[ws:pos + m.end(1)]
            rest = re.sub(r"\s+", " ", ftext[ws:ws + 32])
            if any(rest.startswith(n + " ") or rest == n for n in self.v.type_by_name) or fw in ("ve", "ban"):
                break
            if "\n" in m.group(0):         # the next line: a place name goes on, or the line's own text starts
                if not _TITLE_WORD.fullmatch(w) or self._PLACE_STOP.match(rest) \
                        or ftext.match(self.p.triggers, ws, ws + 40) or ftext.match(self.p.issuer_exact, ws, ws + 60):
                    break              # "tỉnh⏎TRỰC THUỘC", "tỉnh⏎Điều 2", "tỉnh⏎Thực hiện", "tỉnh⏎Sở Nội vụ"
                if not words:
                    broken = True
            words.append(w)
            end = pos + m.end(1)
            if len(words) == 4:
                break
        if words and broken and len(words) < 2:
            return None, pos           # "Tỉnh⏎Cấp huyện", "tỉnh⏎Ký …": a name on the next line has two words or more
        return (" ".join(words), end) if words else (None, pos)

    def _issued_before(self, ref: Ref, text: str, ftext: str) -> None:
        lo = max(0, ref.start - 140)
        m = ftext.search(self.p.issued_before, lo, ref.start)
        if not m:
            return
        if m.group("y"):
            ref.date = iso_date(m.group("d"), m.group("m"), m.group("y"))
        iss = self.p.issuer_for_name(m.group("issuer"))
        if iss is not None and iss.level != "central" and self._central_code(ref):
            return
        istart = m.start("issuer")
        end = self._place_after(ref, text, ftext, m.end("issuer"), iss)
        ref.issuer = _squash(text[istart:end])
        if iss is not None and ref.issuer_code is None:
            ref.issuer_code = iss.code

    def _fill_from_codes(self, ref: Ref, form: str) -> None:
        if ref.type and ref.type_label is None and ref.type in self.v.type_by_code:
            t = self.v.type_by_code[ref.type]
            ref.type_label = t.party_label if (form == "party" and t.party_label) else t.label
        iss = self.v.issuer_by_code.get(ref.issuer_code or "")
        if iss is None and ref.issuer_code:              # "1006/BC-UBXH15": the code, then the legislature
            base = ref.issuer_code.rstrip("0123456789")
            if base in self._numbered_codes:
                iss = self.v.issuer_by_code.get(base)
        if ref.issuer_level is None and iss is not None and iss.level != "local":
            ref.issuer_level = iss.level
        if form == "law" and ref.type is None:
            ref.notes.append("type not given by the number (Luật, Nghị quyết or Pháp lệnh): "
                             "name the type word to decide")

    # ---- named laws ----------------------------------------------------------------------
    _CONTINUE_AFTER_COMMA = {"chong", "bia", "bo"}     # Phòng, chống …; rượu, bia; sửa đổi, bổ sung
    # Lower-case words and phrases that end a law's name ("Luật Đất đai quy định…", "Luật này").
    _STOP = ("số", "ngày", "này", "đã", "được", "quy định", "hướng dẫn", "thì", "có", "theo", "tại", "như",
             "cần", "trong", "hoặc", "các", "để", "với", "là", "sau", "khi", "phải", "về", "mới", "chưa",
             "những", "đến", "từ", "năm", "và", "của", "ban hành", "mà", "nhằm", "nên", "cũng", "vào",
             "thuộc", "gồm", "bao gồm", "đối với", "trên", "do", "bị", "sẽ", "đang", "vẫn", "hiện hành",
             "cho", "nếu", "trừ", "khoản", "tương ứng", "gửi", "yêu cầu", "chỉ", "trước", "nhưng",
             # act verbs: no law's name holds one after its first word ("Luật Trồng trọt và sửa đổi, bổ sung một
             # số điều của các thông tư …"); the amending law's own "Luật sửa đổi, bổ sung …" is read apart
             "sửa đổi", "bổ sung", "bãi bỏ", "thay thế")
    # After a comma, words that open a clause or a new phrase, never an item of a name's list ("Luật Quy hoạch,
    # đồng bộ, thống nhất với …", "Luật Đấu thầu, không áp dụng …", "Luật Thi đua, khen thưởng, pháp luật có
    # liên quan"), as opposed to "Luật Phòng, chống …", "Luật Cán bộ, công chức".
    _COMMA_STOP = ("pháp luật", "văn bản", "trường hợp", "việc", "cụ thể", "không", "riêng", "đồng thời",
                   "trong đó", "kể cả", "nhất là", "đặc biệt", "bảo đảm", "đảm bảo", "tăng cường", "nâng cao",
                   "đồng bộ", "thống nhất", "minh bạch", "hiệu quả", "kịp thời", "chặt chẽ", "công khai")

    # Without diacritics a stop word may be a syllable of a name: "vẫn" is "van" ("ban hanh van ban"), "có" is
    # "co" ("co so"), "những" "nhung" ("tham nhung"), "cần" "can" ("tiep can"), "tại" "tai" ("tai chinh")…
    # Text typed without diacritics stops only at the words that cannot be read so.
    _FOLDED_AMBIGUOUS = {"van", "co", "nhung", "can", "ma", "de", "la", "tu", "se", "den", "bi", "nen", "cung",
                         "vao", "voi", "dang", "moi", "thi", "tai", "do", "trong", "da", "khi", "sau", "nhu",
                         "chua", "phai", "tren", "nam", "chi", "truoc", "cho", "neu", "tru", "khoan", "gui",
                         "thuoc", "gom", "so"}      # "so" ("co so"): a stop only before a number

    @functools.cached_property
    def _stop_words(self) -> dict[bool, tuple[str, ...]]:
        return {False: self._STOP,
                True: tuple(fold(w) for w in self._STOP if fold(w) not in self._FOLDED_AMBIGUOUS)}

    # A stop word that is the second syllable of a compound is no stop: "đổi mới" ("Luật Khoa học, công nghệ và đổi
    # mới sáng tạo"), "mắc phải" ("… hội chứng suy giảm miễn dịch mắc phải ở người (HIV/AIDS)"). Folded pairs.
    _COMPOUND_ENDS = {("doi", "moi"), ("mac", "phai")}
    # Terms that hold stop words and stand whole inside names ("Pháp lệnh Ưu đãi người có công với cách mạng"), folded.
    _INNER_TERMS = (("nguoi", "co cong voi cach mang"),)
    # A stop word that opens a phrase of a name ("… đi làm việc ở nước ngoài theo hợp đồng"): part of the name when the
    # law's date or number follows that phrase within the clause, a few lower-case words with no verb of their own
    # ("Luật Đất đai có hiệu lực ngày …", "… theo quy định ngày …" stay out), folded
    _TAIL_OPENERS = frozenset({"theo", "co", "voi", "o", "ve", "cho", "trong", "doi voi", "tren"})
    _TAIL_BARRED = frozenset({"quy", "dinh", "huong", "dan", "hieu", "luc", "duoc", "da", "nay", "ban", "hanh", "thi",
                              "sua", "bo", "sung", "bai", "thay", "the", "het", "ke", "tu", "den", "cac", "nhung",
                              "cua", "nam", "va", "hoac", "tai", "so", "ngay", "thang", "thong", "qua", "ky", "nhu",
                              "sau", "truoc", "khi", "luat", "la", "se", "phai", "can", "chua"})
    _TAIL = re.compile(r"(?P<words>[a-z]+(?:[ \t]*\n?[ \t]*[a-z]+){0,5}?)"
                       r"(?=[ \t]*\n?[ \t]*,?[ \t]*(?:ngay[ \t]+\d|so[ \t]*:?[ \t]*\d))")

    def _dated_tail(self, text: str, ftext, pos: int) -> int | None:
        """End of a name's phrase opened by a stop word at pos and closed by the law's date or number, or None."""
        m = ftext.match(self._TAIL, pos, pos + 80)
        if m is None or any(c.isupper() for c in text[pos:m.end()]):
            return None
        words = m.group("words").split()
        if words[0] not in self._TAIL_OPENERS and " ".join(words[:2]) not in self._TAIL_OPENERS:
            return None
        if any(w in self._TAIL_BARRED for w in words):
            return None
        return m.end()

    @functools.cached_property
    def _comma_stop_words(self) -> dict[bool, tuple[str, ...]]:
        return {False: self._COMMA_STOP, True: tuple(fold(w) for w in self._COMMA_STOP)}

    @functools.cached_property
    def _stop_patterns(self) -> dict[tuple[bool, bool], re.Pattern]:
        """(folded mode, after a comma) -> a stop word at the start, whole (not followed by a letter or digit:
        `[^\\W_]` is str.isalnum)."""
        def pattern(words):
            return re.compile("(?:" + "|".join(map(re.escape, words)) + r")(?![^\W_])")
        return {(f, c): pattern(self._stop_words[f] + (self._comma_stop_words[f] if c else ()))
                for f in (False, True) for c in (False, True)}

    def _stops(self, lowered: str, folded_mode: bool, after_comma: bool = False) -> bool:
        if folded_mode and re.match(r"so\s*:?\s*\d", lowered):
            return True
        return self._stop_patterns[folded_mode, after_comma].match(lowered) is not None

    _PROVISION_WORDS = {False: {"số", "điều", "khoản", "điểm", "chương", "mục", "phần"},
                        True: {"so", "dieu", "khoan", "diem", "chuong", "muc", "phan"}}
    _HEADS = ("luat", "bo lu", "bo ", "nghi", "quyet", "thong", "chi th", "ke ho", "hien p", "phap l", "lenh")
    _TOKEN = re.compile(r"([ \t]*\n?[ \t]*)(,|[^\s,;.()\[\]:\"“”/]+)")
    _AMEND = re.compile(r"\s+sua\s+doi\s*,?\s*bo\s+sung\s+(?:mot\s+so\s+dieu|dieu\s+\d+|cac\s+dieu[^;.\n]{0,40}?)?"
                        r"\s*(?:cua|tai)\s+(?:cac\s+)?(?=luat|bo\s+luat)")

    def _name_end(self, text: str, ftext: str, ltext: str, pos: int, kind: str, folded_mode: bool,
                  lower_first: bool = False) -> int:
        """End of the name that starts after a head word at pos (pos itself when there is none)."""
        end = cur = pos       # end of the last word; cur: where the next token is read
        count = 0
        last = ""             # the previous word, folded
        while count < 24:
            t = self._TOKEN.match(text, cur)
            if not t or "\n" in t.group(1) and text[t.start():t.start(2)].count("\n") > 1:
                break
            w, ws, we = t.group(2), t.start(2), t.end(2)
            fw = ftext[ws:we]
            upper = bool(_UPPER_WORD.match(w))
            if upper and count > 0 and "\n" in t.group(1):
                break                      # a capital after a line break starts the next line's text
            if count == 0 and kind != "HP" and not upper and not lower_first:
                break
            if not w[0].isalpha() and w != ",":
                break                      # "- toanvan", "…", "Luật Đầu tư 26" (a table's next cell)
            if (fw if folded_mode else lower(w)) in self._PROVISION_WORDS[folded_mode]:
                nxt = self._TOKEN.match(text, we)
                if nxt and nxt.group(2)[0].isdigit():
                    break                  # "Luật Xuất bản, Điều 14 …", "Luật\nSố 74/2014/QH13"
            if w == ",":
                # Names hold commas ("Phòng, chống tham nhũng", "Nhập cảnh, xuất cảnh, quá cảnh, cư trú";
                # "Văn hóa, Thể thao và Du lịch"); the list goes on with another law or a stop word.
                nxt = self._TOKEN.match(text, we)
                if not nxt or not nxt.group(2)[0].isalpha() or "\n" in nxt.group(1) and _UPPER_WORD.match(nxt.group(2)):
                    break
                nw = nxt.group(2)
                if _UPPER_WORD.match(nw):
                    if ftext[nxt.start(2):nxt.start(2) + 6].startswith(self._HEADS) \
                            or not _title_case(text[pos:ws]):
                        break          # "Luật Giá, Cục Quản lý giá …", "Luật Viễn thông, Ủy ban nhân dân …"
                elif self._stops(ltext[nxt.start(2):nxt.start(2) + 16], folded_mode, after_comma=True):
                    break
            elif not upper and not (count == 0 and lower_first):
                if fw == "va":
                    nxt = self._TOKEN.match(text, we)
                    if not nxt or _UPPER_WORD.match(nxt.group(2)) or not nxt.group(2)[0].isalpha() \
                            or self._stops(ltext[nxt.start(2):nxt.start(2) + 16], folded_mode):
                        break          # "Luật An toàn thực phẩm và các văn bản …": "và" is not the name's
                elif self._stops(ltext[ws:ws + 16], folded_mode) and (last, fw) not in self._COMPOUND_ENDS:
                    term = next((t for w, t in self._INNER_TERMS if w == last
                                 and re.match(r"[ \t\n]+".join(t.split()) + r"(?![a-z])", ftext[ws:ws + 2 * len(t)])),
                                None)
                    if term is None:
                        tail = self._dated_tail(text, ftext, ws)
                        if tail is not None:
                            end = tail
                        break
                    tm = re.match(r"[ \t\n]+".join(term.split()), ftext[ws:ws + 2 * len(term)])
                    end = cur = ws + tm.end()
                    count, last = count + len(term.split()), term.split()[-1]
                    continue
                elif kind == "HP" and count == 0 and fw != "nuoc":
                    break
            if w != ",":
                end = we
            cur, count, last = we, count + 1, fw
        return end

    # Head words of a law's name, as written with diacritics and without ("Luat Dat dai"): (type code, label).
    _NAMED_HEADS = {"bo luat": ("LUAT", "Bộ luật"), "luat": ("LUAT", "Luật"), "hien phap": ("HP", "Hiến pháp"),
                    "phap lenh": ("PL", "Pháp lệnh")}
    _AMENDED_NEXT = re.compile(r"[ \t]*(?P<sep>,[ \t]*va|,|va)\s+(?=(?:bo\s+luat|luat)\s)")
    _INNER_HEAD = re.compile(r"(?:bo\s+luat|luat)")
    # "Luật X (sửa đổi)", "Luật X sửa đổi." — how a new law revising (and replacing) Luật X is named while it is
    # drafted or just passed ("Luật Phòng, chống mua bán người (sửa đổi) số 53/2024/QH15"): part of its name, a
    # document other than Luật X, and no "amends" trigger.
    _REVISED = re.compile(r"[ \t]*\n?[ \t]*(?:\([ \t]*sua[ \t]+doi(?:[ \t]*,?[ \t]*bo[ \t]+sung)?[ \t]*\)"
                          r"|sua[ \t]+doi(?=[ \t]*(?:[.;:)\n]|,(?![ \t]*bo[ \t]+sung)|$)))")
    # What may follow a name whose end is sure: a date, a number, punctuation (not a line break: lines wrap).
    # ("Việt\nNam": "Nam" folds to the year word "nam", no end without a year after it)
    _SURE_END = re.compile(r"[ \t]*(?:[;.:()\[\]“”\"]|,?\s*(?:ngay|so|nam)\s*:?\s*\d)")

    def _amended(self, text: str, ftext: str, ltext, pos: int, folded_mode: bool) -> tuple[list[str], int]:
        """The laws named after "… sửa đổi, bổ sung một số điều của" at pos: "Luật X", "Luật X và Luật Y",
        "Luật X, Luật Y, Luật Z và Luật W" (a list of names is closed by "và"; without it only the first one
        is amended).  Returns the names and the end of the last one."""
        names, seps, ends = [], [], []
        while len(names) < 12:
            inner = ftext.match(self._INNER_HEAD, pos, pos + 10)
            head_end = inner.end() if inner else pos
            end = self._name_end(text, ftext, ltext, head_end, "LUAT", folded_mode, lower_first=True)
            if end <= head_end:
                break
            names.append(_squash(text[pos:end]))
            ends.append(end)
            nxt = ftext.match(self._AMENDED_NEXT, end, end + 12)
            if not nxt or not text[nxt.end()].isupper():
                break
            seps.append("va" if "va" in nxt.group("sep") else ",")
            pos = nxt.end()
        if not names:
            return [], pos
        keep = 1
        if seps and seps[0] == "va":
            keep = 2
        elif "va" in seps:
            keep = seps.index("va") + 2
        keep = min(keep, len(names))
        return names[:keep], ends[keep - 1]

    def _known_prefixes(self, text: str, refs: list["Ref"], sure: list[bool], before_comma: list[bool]) -> None:
        """A name whose end is unsure ("Luật Viễn thông gửi 01 bộ hồ sơ tới …") is cut to the longest name the
        same document writes with a sure end ("Căn cứ Luật Viễn thông ngày 24 tháng 11 năm 2023;").  A name that
        runs on past a comma ("Luật Quản lý nợ công, tăng cường quản lý rủi ro …") is also cut at that comma when
        the document writes the words before it as a whole name elsewhere, ended by anything but a comma ("Luật
        Quản lý nợ công\n2026" in a table): a law's name is written the same way each time."""
        known = {fold(r.name) for r, ok in zip(refs, sure) if ok and not r.amends}
        whole = known | {fold(r.name) for r, bc in zip(refs, before_comma) if not bc and not r.amends}
        if not whole:
            return
        known = sorted(known, key=lambda k: (-len(k), k))
        whole = sorted(whole, key=lambda k: (-len(k), k))
        for r, ok in zip(refs, sure):
            if ok or r.amends:
                continue
            fname = fold(r.name)
            k = next((k for k in known if len(k) < len(fname) and fname.startswith(k) and fname[len(k)] in " ,"),
                     None)
            if k is None and "," in fname:
                k = next((k for k in whole if len(k) < len(fname) and fname.startswith(k) and fname[len(k)] == ","),
                         None)
            if k is None:
                continue
            tm = re.match(r"\S+(?:\s+\S+){%d}" % (len(k.split()) - 1), text[r.start:r.end])
            if tm:                       # the same number of words, in the text (a comma after the last is not
                end = r.start + tm.end()  # the name's: "Luật Điện lực, hồ sơ gồm" -> "Luật Điện lực")
                while text[end - 1] == ",":
                    end -= 1
                r.end = r.num_end = end
                r.name = _squash(text[r.start:r.end])

    def find_named(self, text: str, ftext: str) -> list[Ref]:
        folded_mode = not has_diacritics(text)
        ltext = _LowerView(text)
        refs: list[Ref] = []
        sure: list[bool] = []
        before_comma: list[bool] = []
        head_pattern = self.p.named_head_plain if folded_mode else self.p.named_head
        for m in head_pattern.finditer(text):
            kind, label = self._NAMED_HEADS[fold(m.group("head"))]
            if re.search(r"(du an|du thao)\s*$", ftext[max(0, m.start() - 12):m.start()]):
                continue                       # a draft, not a law in force
            pos = m.end()
            am = ftext.match(self._AMEND, pos, pos + 160) if kind == "LUAT" else None
            amended: list[str] = []
            if am:                             # "Luật sửa đổi, bổ sung một số điều của Luật X (và Luật Y)"
                amended, end = self._amended(text, ftext, ltext, am.end(), folded_mode)
                if not amended:
                    end = am.end()
            else:
                end = self._name_end(text, ftext, ltext, pos, kind, folded_mode)
                if end == pos and kind != "HP":
                    continue
                rv = ftext.match(self._REVISED, end, end + 40)
                if rv:                         # "Luật An toàn thực phẩm (sửa đổi)": the law that revises it
                    end = rv.end()
            name = _squash(text[m.start():end])
            ref = Ref(kind="named", start=m.start(), end=end, num_start=m.start(), num_end=end, number=None,
                      type=kind, type_label=label, name=name, amends=amended)
            sure.append(bool(ftext.match(self._SURE_END, end, end + 12)) or end >= len(text))
            before_comma.append(bool(re.match(r"[ \t]*,", text[end:end + 8])))
            self._date_after_name(ref, ftext)
            refs.append(ref)
        self._known_longer(text, ftext, refs, sure)
        self._known_prefixes(text, refs, sure, before_comma)
        return refs

    def _date_after_name(self, ref: Ref, ftext) -> None:
        """"… ngày 13 tháng 11 năm 2020", "Hiến pháp năm 2013" right after the name (ref.num_end)."""
        end = ref.num_end
        ref.date, ref.end = None, end
        dm = self.p.date_after.match(ftext[end:end + 60])
        if dm and "ngay" in dm.group(0):
            d, mo, y = (dm.group("d"), dm.group("m"), dm.group("y")) if dm.group("y") else \
                (dm.group("d2"), dm.group("m2"), dm.group("y2"))
            ref.date = iso_date(d, mo, y)
            ref.end = end + dm.end()
        else:
            ym = re.match(r"\s+nam\s+((?:19|20)\d\d)(?!\d)", ftext[end:end + 12])
            if ym:
                ref.date = ym.group(1)
                ref.end = end + ym.end()

    def _known_longer(self, text: str, ftext, refs: list["Ref"], sure: list[bool]) -> None:
        """A name the text goes on with, word for word, into a longer name the same document writes with a sure end
        ("… Luật Người lao động Việt\nNam đi làm việc ở nước ngoài theo hợp đồng trong thời gian …", cut at the
        capital after the line break or at the stop word "theo", and "Căn cứ Luật Người lao động … theo hợp đồng
        ngày 13 tháng 11 năm 2020;") is that name: a law's name is written the same way each time."""
        known = sorted({fold(r.name) for r, ok in zip(refs, sure) if ok and not r.amends}, key=lambda k: (-len(k), k))
        for i, r in enumerate(refs):
            if r.amends:
                continue
            fname = fold(r.name)
            for k in known:
                if len(k) <= len(fname) or not k.startswith(fname) or k[len(fname)] != " ":
                    continue
                rest = k[len(fname):].split()
                m = ftext.match(re.compile(r"[ \t]*\n?[ \t]*" + r"[ \t]*\n?[ \t]*".join(map(re.escape, rest))
                                           + r"(?![a-z])"), r.num_end, r.num_end + 2 * len(k))
                if m:
                    r.num_end = m.end()
                    r.name = _squash(text[r.start:r.num_end])
                    self._date_after_name(r, ftext)
                    sure[i] = True
                    break
