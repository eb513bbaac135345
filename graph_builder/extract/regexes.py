"""Every pattern the extractor uses, built from the vocabulary (ontology/vocab/*.toml).

Two families:
- the NUMBER pattern runs on the normalised text, case-sensitive: codes are upper case
  ("KH-UBND", "NĐ-CP", "QĐ-TTg") and that is what tells a số hiệu from "Số 130/Ngày";
- vocabulary phrases (type words, issuers, triggers, dates) run on FOLDED text (lower case, no
  diacritics, same length), so NFD, old tone placement, upper case and text typed without
  diacritics all match the same phrase.
"""
from __future__ import annotations

import functools
import re

import regex

from .. import vocabulary
from ..textfold import fold

# A code inside a number: starts with a capital; letters, then an optional legislature number (QH15).
_CODE = r"[A-ZĐ][A-Za-zĐđ]*\d*"
_CODES = rf"{_CODE}(?:[ ]*-\s*{_CODE}){{0,5}}"

NUMBER = regex.compile(     # the `regex` engine runs this pattern ~40% faster than `re`
    rf"""(?<![\w./:%+-])(?P<num>\d{{1,5}}(?:\.\d{{1,3}})?)
    (?:
        \s*/\s*(?P<year>(?:19|20)\d\d)\s*/\s*(?P<ycodes>{_CODES})      # 61/2018/NĐ-CP, 51/2024/QH15
      | [ ]*-[ ]*(?:\n[ ]*)?(?P<ptype>{_CODE})\s*/\s*(?P<pcodes>{_CODES})  # 60-NQ/TU, "60-\nNQ/TU" (wrapped)
      | \s*/\s*(?P<codes>{_CODES})                                      # 02/KH-UBND, 60/NQ-TU
    )
    (?![\wĐđ]|/\s*\w)""",
    regex.X)

# "QCVN 06:2012/BLĐTBXH", "TCVN 5082:1990": standards, not documents.
STANDARD_BEFORE = re.compile(r"(?:\d\s*:\s*|(?:QCVN|TCVN|TCCS|ISO)\s*)$")


def _phrase(p: str) -> str:
    """A vocabulary phrase as a folded regex: any whitespace between words (line breaks included);
    a comma only where the phrase has one ("sửa đổi, bổ sung"), and then optional."""
    parts = []
    for chunk in fold(p).split(","):
        words = chunk.split()
        if words:
            parts.append(r"\s+".join(re.escape(w) for w in words))
    return r"\s*,?\s*".join(parts)


def _words_key(folded: str) -> str:
    return " ".join(folded.replace(",", " ").split())


def _trie(phrases: list[str]) -> str:
    """A regex matching any of the folded phrases, factored as a trie; words are separated by whitespace
    (line breaks included), and by an optional comma only where the phrase has one ("sửa đổi, bổ sung"):
    "sơ kết" never matches "hồ sơ, kết quả"."""
    tree: dict = {}
    for p in phrases:
        node = tree
        for ci, chunk in enumerate(p.split(",")):
            for wi, w in enumerate(chunk.split()):
                sep = "" if node is tree else ("," if ci and not wi else " ")
                node = node.setdefault((sep, w), {})
        node[None] = {}

    seps = {"": "", " ": r"\s+", ",": r"(?:\s*,\s*|\s+)"}

    def build(node: dict) -> str:
        alts = []
        for sep, w in sorted((k for k in node if k is not None), key=lambda k: (-len(k[1]), k[1], k[0])):
            sub = node[(sep, w)]
            rest = build(sub) if any(k is not None for k in sub) else ""
            alts.append(seps[sep] + re.escape(w) + (rest + ("?" if None in sub else "") if rest else ""))
        return "(?:" + "|".join(alts) + ")" if alts else ""
    return build(tree)


def _alternation(phrases) -> str:
    uniq = sorted({_phrase(p) for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(uniq)


def type_issuers(vocab: vocabulary.Vocabulary) -> dict:
    """Type code -> the body (vocabulary.Issuer) that issues every document of that type: document_types.toml's
    `issuer` field (Luật, Bộ luật, Hiến pháp: Quốc hội; Pháp lệnh: Ủy ban Thường vụ Quốc hội; Lệnh: Chủ tịch
    nước).  A code that issuers.toml does not have is an error naming the file and the type."""
    out = {}
    for t in vocab.types:
        if t.issuer is None:
            continue
        if t.issuer not in vocab.issuer_by_code:
            raise ValueError(f"document_types.toml: type {t.code}: issuer {t.issuer!r} is no code of issuers.toml")
        out[t.code] = vocab.issuer_by_code[t.issuer]
    return out


@functools.cache
def patterns() -> "Patterns":
    v = vocabulary.load()
    return Patterns(v, type_issuers(v))


class Patterns:
    """Compiled patterns for one vocabulary."""

    def __init__(self, vocab: vocabulary.Vocabulary, issued_by: dict | None = None):
        self.vocab = vocab
        self.issued_by = issued_by or {}     # type code -> the one body issuing that type (type_issuers)
        type_names = [n for t in vocab.types for n in t.names]
        # "Nghị quyết số", "Thông tư liên tịch", "Quyết định số:", right before a number.
        self.type_before = re.compile(
            rf"(?<![a-z])(?P<type>{_alternation(type_names)})(?:\s+(?:lien\s+tich))?"
            rf"(?:\s+(?:so|so\s+hieu))?\s*:?\s*$")
        # After a number: ", ngày 15/7/2021" / "ngày 15 tháng 7 năm 2021" / "13/07/2022".
        self.date_after = re.compile(
            r"^[\s,]*(?:(?:ban\s+hanh\s+|ky\s+)?ngay\s*)?(?:"
            r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d\d)"
            r"|(?<=ngay)\s*(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s*,?\s+nam\s+(?P<y2>(?:19|20)\d\d))")
        self.date_words = re.compile(
            r"ngay\s+(?P<d>\d{1,2})?\s*thang\s+(?P<m>\d{1,2})?\s*,?\s*nam\s+(?P<y>(?:19|20)\d\d)"
            r"|ngay\s+(?P<d2>\d{1,2})\s*[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>(?:19|20)\d\d)")
        issuer_names = [n for i in vocab.issuers for n in i.names]
        self.issuer_alt = _alternation(issuer_names)
        place_alt = _alternation([w for w, _ in vocab.place_kinds])
        self.place_kind = re.compile(rf"\s+(?P<kind>{place_alt})(?![a-z])")
        # "của UBND tỉnh", "của Thủ tướng Chính phủ", right after the number or its date.
        self.issuer_after = re.compile(rf"^[\s,]*(?:cua|do)\s+(?P<issuer>{self.issuer_alt})(?![a-z])")
        # "Ngày 28/7/2021, UBND tỉnh ban hành Kế hoạch số 251/KH-UBND": date and issuer before.
        self.issued_before = re.compile(
            rf"(?:ngay\s+(?P<d>\d{{1,2}})\s*[/.-]\s*(?P<m>\d{{1,2}})\s*[/.-]\s*(?P<y>(?:19|20)\d\d)\s*,?\s*)?"
            rf"(?P<issuer>{self.issuer_alt})(?P<rest>[^.;]{{0,40}}?)\s+(?:da\s+|vua\s+)?ban\s+hanh\s*$")
        self.issuer_exact = re.compile(rf"(?P<issuer>{self.issuer_alt})(?![a-z])")

        # Relation triggers: one trie-shaped regex over all phrases (a flat alternation of ~80 phrases tried at
        # every position is the slowest pattern of the extractor); the matched words give the phrase back,
        # and the phrase its relation and role.  The trie is greedy, so the longest phrase wins:
        # "ket qua thuc hien" (cites) beats "thuc hien" (implements).
        self.trigger_of: dict[str, tuple[str, str]] = {}
        folded: list[str] = []
        for r in vocab.relations:
            for role, phrases in (("before", r.triggers), ("after", r.after), ("passive", r.passive)):
                for ph in phrases:
                    self.trigger_of.setdefault(_words_key(fold(ph)), (r.id, role))
                    folded.append(fold(ph))
        self.triggers = re.compile(r"(?<![a-z0-9])" + _trie(folded) + r"(?![a-z0-9])")
        # the phrases by which a cited document is about another (relations.toml: about)
        self.about = tuple(_words_key(fold(ph)) for r in vocab.relations for ph in r.about)

        # What an amending verb acts on: a document (its type word or number), its parts, its wording or its
        # errors, or the next of coordinated verbs ("sửa đổi, bổ sung, bãi bỏ một số điều").  "sửa đổi, bổ sung
        # giấy phép", "hồ sơ sửa đổi, bổ sung, cơ quan …" name an activity instead.
        # The same object is asked of "thay thế" and "bãi bỏ / hủy bỏ": "hủy bỏ bằng tốt nghiệp" in a cited circular's
        # title names an activity, no act on the references after it.  A colon may stand between ("Thay thế: Phụ lục II").
        self.amend_object = re.compile(
            rf"\s*(?::\s*)?(?:(?:{_alternation(type_names)}|mot\s+so|mot|cac|nhung|toan\s+bo|ten|tieu\s+de|cum\s+tu"
            rf"|noi\s+dung|quy\s+dinh|dieu|khoan|diem|muc|chuong|phan|tiet|phu\s+luc|bieu\s+mau|mau|danh\s+muc"
            rf"|loi|sai\s+sot|van\s+ban|so)(?![a-z])|\d|[“\"'«]"
            rf"|(?:,\s*|(?:va|hoac)\s+)?(?:sua\s+doi|bo\s+sung|thay\s+the|bai\s+bo|huy\s+bo)(?![a-z]))")
        # What a replacement acts on when it changes a document without replacing it: a provision, a phrase, a word,
        # an appendix, a form, a list, a name ("Thay thế cụm từ … tại khoản 2 Điều 6 Nghị định B", "Thay thế Phụ lục I
        # ban hành kèm theo Nghị định B"): the document stays in force, amended
        self.partial_object = re.compile(
            r"\s*(?::\s*)?(?:(?:mot\s+so|cac|nhung|toan\s+bo)\s+)?(?:cum\s+tu|tu\s*[“\"'«]|dieu(?!\s+kien)|khoan|diem"
            r"|muc|chuong|phan|tiet|phu\s+luc|bieu\s+mau|mau|danh\s+muc|ten|tieu\s+de|noi\s+dung|quy\s+dinh)(?![a-z])")
        # What an implementing verb in a cited document's description acts on, when it relates two documents: the
        # next reference itself (after an adverb: "thực hiện hiệu quả Nghị quyết B"), its provisions, contents,
        # tasks, or one document it carries ("thực hiện đề án … theo Quyết định B").  "triển khai các dự án … theo
        # Kết luận B" (a type word after "các" is a common noun), "thi hành pháp luật", a table's next cell ("được
        # thực hiện | Thường xuyên | Chương trình B") name an activity.
        _adverb = r"(?:(?:co\s+)?hieu\s+qua|nghiem(?:\s+tuc)?|tot|day\s+du|dong\s+bo|kip\s+thoi|thong\s+nhat)"
        self.implement_adverb = re.compile(rf"\s*(?:{_adverb}\s*)?(?:(?:tai|cua)\s*)?")   # "theo hướng dẫn tại B"
        self.implement_object = re.compile(
            rf"\s*(?:{_adverb}\s+)?(?:(?:(?:mot\s+so|cac|nhung|toan\s+bo)\s+)?(?:van\s+ban|quy\s+dinh|noi\s+dung"
            rf"|nhiem\s+vu|chu\s+truong|y\s+kien|chi\s+dao|dieu|khoan|diem|muc|chuong|phan)|{_alternation(type_names)})"
            rf"(?![a-z])")
        # A planning verb before an act verb, coordinated with it or not ("Tiếp tục rà soát, sửa đổi, ban hành, bãi
        # bỏ …", "Nghiên cứu, đề xuất bãi bỏ …", "Xây dựng Thông tư …"): the act is planned, not done (not the
        # ministry "Bộ Xây dựng")
        self.planned_before = re.compile(
            r"(?<![a-z])(?:ra\s+soat|nghien\s+cuu|de\s+xuat|(?<!bo\s)xay\s+dung|tham\s+muu|kien\s+nghi|du\s+kien"
            r"|soan\s+thao|chuan\s+bi|tiep\s+tuc)(?:\s+viec)?(?:\s*,\s*[a-z]+(?:\s+[a-z]+)?){0,4}\s*(?:,|\s(?:va|hoac))?\s*$")
        # the last type word with no number of its own before a parenthesis ("Xây dựng Thông tư quy định về … (thay
        # thế Thông tư B)"): the document the parenthesis describes
        self.bare_type = re.compile(rf"(?<![a-z])(?P<type>{_alternation(type_names)})(?![a-z])(?!\s*(?:so\b|\d))")
        # A type word (or "văn bản") with no number right before an act verb: "… trình Chính phủ Nghị định sửa
        # đổi, bổ sung Nghị định B", "Văn bản sửa đổi, bổ sung, bãi bỏ một phần: Thông tư B": another document acts (the citing document's own is its heading, or
        # follows "<issuer> ban hành": "Chính phủ ban hành Nghị định sửa đổi …")
        self.bare_type_before = re.compile(rf"(?<![a-z])(?P<type>{_alternation(type_names)}|van\s+ban)\s*$")
        self.own_issue_before = re.compile(rf"(?:{self.issuer_alt})[^.;:]{{0,120}}?\sban\s+hanh\s+$")
        # "… sửa đổi, bổ sung bởi / tại Nghị định B" without "được": still the passive, B is the agent
        self.agent_after = re.compile(r"\s*(?:boi|tai)(?![a-z])")

        # Named laws: "Luật Đất đai", "Bộ luật Lao động", "Hiến pháp năm 2013", "Pháp lệnh …".
        self.named_head = re.compile(r"(?<![\w])(?P<head>Bộ luật|Luật|Hiến pháp|Pháp lệnh)(?=[ \n]+(?:\S))")
        # … and the same heads in a text written without diacritics (matched on the folded copy's case)
        self.named_head_plain = re.compile(r"(?<![\w])(?P<head>Bo luat|Luat|Hien phap|Phap lenh)(?=[ \n]+(?:\S))")

    def trigger_kind(self, m) -> tuple[str, str]:
        """(relation id, role) of a trigger match; role is before | after | passive."""
        return self.trigger_of[_words_key(m.group(0))]

    def type_for_name(self, folded_name: str):
        name = re.sub(r"\s+", " ", folded_name.strip())
        return self.vocab.type_by_name.get(name)

    def issuer_for_name(self, folded_name: str):
        name = re.sub(r"[\s,]+", " ", folded_name.strip())
        by = self.vocab.issuer_by_name
        if name in by:
            return by[name]
        for n, iss in by.items():        # tolerate commas/spaces the phrase regex allowed
            if re.sub(r"[\s,]+", " ", n) == name:
                return iss
        return None
