"""Decide the relation of each reference, and the third-party relations between cited documents.

Rules (see ontology/vocab/relations.toml for the phrases):
1. A trigger ("Căn cứ", "Thực hiện", "thay thế"…) governs the references after it in its sentence,
   across a list separated by ";" or ",", until another trigger at the same level.
2. Text after a reference, up to the next ";" (or a main clause ", UBND tỉnh ban hành…"), is that
   reference's own description.  A reference inside it, introduced by a trigger ("… sửa đổi, bổ sung
   một số điều của Nghị định 61…"), is a third-party relation between the two cited documents; the
   citing document merely cites it.  Triggers in a description never govern the top-level list.  A
   `cites` trigger there states A cites B only when it says what A is about ("Thông báo A Kết luận giám sát
   kết quả thực hiện Nghị quyết B"); "A … quy định tại Điều 47 Nghị định B" states nothing of A and B: such a
   clause is mostly the citing text's own, not A's description.
3. A passive trigger ("A được sửa đổi, bổ sung bởi B") reverses the third-party relation.  It coordinates
   the verbs after it that have a passive form ("A được sửa đổi, bổ sung, thay thế, bãi bỏ bởi B": B amends,
   replaces and repeals A).  A capitalised passive opening a line with no subject before it ("… Thông tư A
   quy định …\n- Khoản 2 Điều 5\nĐược thay thế bởi Thông tư B", a table row's reason cell) acts on the
   latest top-level reference before it, across sentences but not across a section heading; B merely cites.
4. A trigger after the reference ("Quyết định số 12 … hết hiệu lực") applies to it.
5. A footnote's references take the relation governing its anchor ("… theo quy định¹");
   a list introduced by "Căn cứ:" / "Thực hiện:" takes the trigger before the colon.
6. A trigger in a description governs the reference that is its object, not one coordinated after other
   words ("… hướng dẫn giám sát giao dịch … và Thông tư B": B joins the previous reference's link); commas
   inside a list of provisions ("tại khoản 12, khoản 13 Điều 1 Nghị định B") do not end the clause.
7. A third-party relation must be possible: never a document to itself; amends/replaces/repeals never by a
   document issued before its target (year, date, then sequence number in one series), nor by one of
   lower legal force (a decree does not amend a law, nor a circular a decree).  A passive link that breaks this moves up to
   the target's own parent ("Nghị định A hướng dẫn Luật X được sửa đổi bởi Nghị định B": B amends A);
   otherwise it is dropped.
8. Adjacent triggers are one verb phrase whose first verb governs: "quy định chi tiết thi hành" and "hướng dẫn
   tổ chức thực hiện" guide, "thực hiện hướng dẫn" implements, "giám sát (việc) thực hiện" cites.  A phrase
   typed twice ("quy định tại quy định tại") is one trigger.
9. An act verb is the citing document's own only when it acts on a document, its provisions, wording or errors
   ("sửa đổi, bổ sung giấy phép", "hồ sơ sửa đổi, bổ sung, …" name an activity: cites), and when no bare type
   word before it names another, unnumbered actor ("trình Chính phủ Nghị định sửa đổi, bổ sung Nghị định B":
   cites; the citing document's own heading "NGHỊ ĐỊNH\nSửa đổi …" and "<issuer> ban hành Nghị định sửa đổi …"
   stay).  "sửa đổi, bổ sung bởi / tại B" without "được" is still passive; "được sửa đổi, bổ sung theo quy
   định tại B" names B as the agent.
10. "thay thế A và bãi bỏ B": an act verb coordinated by "và" / "đồng thời" right after a reference has that
   reference's subject (the citing document at the top level), not the reference itself.  A colon ends a
   description like a semicolon ("A được quy định như sau: … theo quy định tại B": B is not A's).
11. A replacement of a provision, a phrase, an appendix or a form of a document ("Thay thế cụm từ … tại khoản 2 Điều 6
   Nghị định B", "Thay thế Phụ lục I … Nghị định B") amends it; a partial repeal stays repeals (the gold's rule).
12. An act that is planned is no act (cites): after a planning verb ("Tiếp tục rà soát, sửa đổi, ban hành, bãi bỏ …",
   "Nghiên cứu, đề xuất bãi bỏ B"), or in a parenthesis describing a document to be drafted ("Xây dựng Thông tư …
   (thay thế Thông tư B)").  An act verb whose object is an activity ("hủy bỏ bằng tốt nghiệp") is none either.
13. An implementing verb in a description relates two documents only when its object is the next reference, its
   provisions or contents, or one document ("… thực hiện đề án … theo Quyết định B"); "triển khai các dự án … theo
   Kết luận B", "thi hành pháp luật", a table's next cells ("được thực hiện | Thường xuyên | Chương trình B") name
   an activity: B is merely mentioned.
No trigger: the reference is `cites`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import regex

from ..models import Span
from ..vocabulary import RELATIONS
from .find import Ref
from .regexes import Patterns, _words_key

# A sentence ends at end punctuation, a blank line, or a line that starts a list item, a row, an article heading
# ("Điều 5." — not a wrapped "… tại khoản 2\nĐiều 5 Nghị định …") or a preamble clause — unless a lower-case
# letter follows (then it is a line wrap: "của Thủ\n\ntướng Chính phủ") other than a lettered item's "c) ".
_SENTENCE_END = regex.compile(
    r"(?:(?<!\b(?:TP|Tp|tp|TS|ThS|PGS|GS|St|Q|v\.v|\p{Lu}))[.!?…][\"”’)\]*]*(?=\s)"
    r"|\n[ ]*\n"
    r"|\n(?=[ ]*(?:[-+•*–—][ ]|\d{1,2}[.)][ ]|[a-zđ]\)[ ]|[IVX]{1,5}\.[ ]|Điều[ ]+\d+[a-zđ]?[ ]*[.:]|Chương[ ]+[IVX\d]"
    r"|(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Xét|Sau khi xem xét|Quán triệt|Triển khai)[ ]"
    r"|\d{1,3}[ ]*\n)))"                    # a table row number alone on its line
    r"(?=[ \n]*+(?:\P{Ll}|$))"
    r"|\n(?=[ ]*[a-zđ]\)[ ])")               # a lettered item "c) …" (its own lower-case letter is no wrap)
_FOOTNOTE_DEF = re.compile(r"^[ ]*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\d{1,3}\])[ ]+\S", re.M)
_CONNECTOR = re.compile(r"^[\s,]*(?:(?:va|hoac|cung|va\s+cac|cac)\b)?[\s,]*$")
_LINKING_END = re.compile(r"(?:cua|tai|theo|kem\s+theo|boi|bang)\s*$")
_EXPIRY_LIST = re.compile(r"danh\s+muc\s+(?:cac\s+)?van\s+ban[^\n]{0,120}?(?P<phrase>het\s+hieu\s+luc)")
# A comma or semicolon ends a clause, except a comma inside a list of provisions ("khoản 12, khoản 13 Điều 1")
# and a stray one before the agent ("được sửa đổi, bổ sung, bởi …").
_CLAUSE_BREAK = re.compile(r";|,(?![ \n]*(?:(?:(?:va|hoac)[ \n]+)?(?:diem|khoan|dieu|muc|chuong|tiet|phu[ \n]+luc)|boi)[ \n])")
# "và"/"hoặc" after the trigger's own object and before the reference, with no linking word after it
_COORDINATED = re.compile(r"\S[ \n]+(?:va|hoac)[ \n]+(?:cac[ \n]+|nhung[ \n]+)?$")
# … unless the trigger's object is a provision: "bãi bỏ Điều 5 và Quyết định B" repeals B too
_PROVISION_OBJECT = re.compile(r"[ \n]*(?:mot[ \n]+so[ \n]+|cac[ \n]+)?(?:diem|khoan|dieu|muc|chuong|phu[ \n]+luc|cum[ \n]+tu)(?![a-z])")
# "A và bãi bỏ B": only a conjunction between a reference and the next verb
_AND_VERB = re.compile(r"[ \n]*,?[ \n]*(?:va|dong[ \n]+thoi)[ \n]+")
# between coordinated verbs: "được sửa đổi, bổ sung, thay thế, bãi bỏ"
_VERB_COORD = re.compile(r"[ \n]*(?:,[ \n]*)?(?:(?:va|hoac)[ \n]+)?")
# an after-trigger with its own generic subject: "Tổng số văn bản hết hiệu lực", "Nghị định này hết hiệu lực"
_OWN_SUBJECT = re.compile(r"(?:van\s+ban|\bnay)\s*$")
# a section heading between a table row's subject and an elliptical reason cell
_HEADING = re.compile(r"(?m)^[ ]*(?:(?:[IVX]{1,5}|[A-Z])\.[ ]|(?:Chương|Mục|Phần)[ ]+[IVX\d]|Điều[ ]+\d+[a-zđ]?[ ]*[.:])")
_YEAR_NUMBER = re.compile(r"^(\d+)/(\d{4})/(.+)$")
_ACTS = {"amends", "replaces", "repeals", "suspends"}
# Legal force (Luật Ban hành văn bản quy phạm pháp luật, Điều 4), by the code after the number: a document
# amends, replaces or repeals only one of no higher force.  Unknown codes (Party, administrative) are not ranked.
_RANKS = ((re.compile(r"/(?:\d{4}/)?QH\d+$"), 7), (re.compile(r"/(?:\d{4}/)?UBTVQH\d+$"), 6),
          (re.compile(r"/(?:\d{4}/)?(?:L|QĐ)-CTN$"), 5), (re.compile(r"/(?:\d{4}/)?(?:NĐ|NQ)-CP$"), 4),
          (re.compile(r"/(?:\d{4}/)?QĐ-TTg$"), 3), (re.compile(r"/(?:\d{4}/)?TT(?:LT)?-"), 2),
          (re.compile(r"-(?:HĐND|UBND)$"), 1))
_TYPE_RANKS = {"HP": 7, "LUAT": 7, "PL": 6}     # Quốc hội amends the Constitution


def _rank(ref) -> int | None:
    if ref.number:
        for pat, rank in _RANKS:
            if pat.search(ref.number):
                return rank
        return None
    return _TYPE_RANKS.get(ref.type)


_LETTERED = re.compile(r"[a-zđ]\)[ ]")
_PAGE_FURNITURE = re.compile(r"(?:CÔNG BÁO[^\n]*)?[\d\s]*")
# "Các Nghị định sau hết hiệu lực …:": the list that follows takes the relation of the after-trigger
_THE_FOLLOWING = re.compile(r"\bsau\s+(?:day\s+)?$")
_ALIAS = re.compile(r"(?:sau\s+day\s+(?:viet\s+tat|goi\s+tat|goi)|goi\s+tat)\s+la\s*$")


def _inside_parentheses(text: str, pos: int) -> bool:
    """An opening parenthesis before pos (within 300 characters) is not closed before it."""
    w = text[max(0, pos - 300):pos]
    return w.rfind("(") > w.rfind(")")


def _clause_break(s: str) -> bool:
    return _CLAUSE_BREAK.search(s) is not None


@dataclass(frozen=True, slots=True)
class Trigger:
    start: int
    end: int
    relation: str
    role: str              # before | after | passive
    also: tuple[str, ...] = ()     # further relations of coordinated act verbs (vocabulary order)


def _also(prev: Trigger, rel: str) -> tuple[str, ...]:
    """The further relations of a coordinated verb phrase once `rel` joins it, in vocabulary order."""
    if rel == prev.relation or rel in prev.also:
        return prev.also
    return tuple(sorted(prev.also + (rel,), key=RELATIONS.index))


@dataclass(frozen=True, slots=True)
class ThirdParty:
    source: int            # index of the acting reference
    target: int
    relation: str
    trigger: Trigger
    sentence: tuple[int, int]


_BULLETS = "-+•*–—"
NEAR = 2500      # how far from a reference a sentence boundary (or a governing trigger) is looked for


def sentences(text: str, refs=None) -> list[tuple[int, int]]:
    """Sentence spans.  With `refs`, only the text within NEAR characters of a reference is split (the rest
    cannot hold a trigger that reaches a reference); a sentence longer than that is cut at the window."""
    if refs is None:
        windows = [(0, len(text))]
    else:
        windows = []
        for r in sorted(refs, key=lambda r: r.start):
            a, b = max(0, r.start - NEAR), min(len(text), r.end + NEAR)
            if windows and a <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], b))
            else:
                windows.append((a, b))
    out = []
    for a, b in windows:
        start = a
        for m in _SENTENCE_END.finditer(text, a, b):
            e = m.end()
            if e > start:
                out.append((start, e))
                start = e
        if start < b:
            out.append((start, b))
    return out


def _at_line_start(text: str, pos: int) -> bool:
    """Only spaces between the previous line break (within 200 characters) and pos."""
    nl = text.rfind("\n", max(0, pos - 200), pos)
    return (nl >= 0 or pos <= 200) and not text[nl + 1:pos].strip()


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    a, b = max(0, pos - NEAR), min(len(text), pos + NEAR)
    start = a
    for m in _SENTENCE_END.finditer(text, a, b):
        if m.end() > pos:
            return start, m.end()
        start = m.end()
    return start, b


class RelationFinder:
    def __init__(self, pats: Patterns):
        self.p = pats
        self.main_clause = re.compile(
            rf",\s*(?:{pats.issuer_alt})(?:[^,;.]{{0,60}}?)\s(?:ban\s+hanh|quyet\s+dinh|quyet\s+nghi|xay\s+dung)(?![a-z])")
        # relations that have a passive form in the vocabulary: their verbs coordinate after "được …"
        self.passive_relations = {rel for rel, role in pats.trigger_of.values() if role == "passive"}

    def triggers(self, ftext, start: int, end: int, refs: list[Ref]) -> list[Trigger]:
        out = []
        ref_starts = [r.start for r in refs]
        demoted = None              # the latest act verb read as cites (rule 9)
        for m in ftext.finditer(self.p.triggers, start, end):
            k = bisect.bisect_left(ref_starts, m.end())       # refs starting before the trigger ends …
            if k and any(refs[j].end > m.start() for j in range(max(0, k - 3), k)):
                continue            # … and ending after it starts: inside a reference ("Luật sửa đổi, bổ sung …")
            rel, role = self.p.trigger_kind(m)
            act = rel in _ACTS and role == "before"
            prev = out[-1] if out else None
            gap = ftext[prev.end:m.start()] if prev else ""
            if role == "before" and rel in _ACTS and ftext.match(self.p.agent_after, m.end(), m.end() + 8):
                role = "passive"    # "Nghị định A …; sửa đổi, bổ sung bởi Nghị định B": "được" left out
            elif role == "before" and rel in _ACTS and prev is not None and prev is demoted \
                    and _VERB_COORD.fullmatch(gap):
                out[-1] = demoted = Trigger(prev.start, m.end(), "cites", "before")   # "Văn bản sửa đổi, …, bãi bỏ"
                continue
            elif role == "before" and rel in _ACTS and not ftext.match(self.p.amend_object, m.end(), m.end() + 24):
                rel = "cites"       # "cấp, sửa đổi, bổ sung, gia hạn giấy phép …", "hủy bỏ bằng tốt nghiệp": an activity
            elif role == "before" and rel in _ACTS and (self._other_actor(ftext, m.start(), prev)
                                                         or self._planned(ftext, m.start())):
                rel = "cites"       # "trình Chính phủ Nghị định sửa đổi, bổ sung Nghị định B", "rà soát, bãi bỏ B":
                #                     not the citing document's act, or not one done
            if prev and gap.strip() in ("", "viec") and prev.role == role == "before" and (
                    rel == "implements" and prev.relation in ("guides", "cites")
                    or rel == "guides" and prev.relation == "implements"):
                # one verb phrase, the first verb governs: "quy định chi tiết thi hành", "hướng dẫn tổ chức thực
                # hiện" guide; "thực hiện hướng dẫn" implements; "giám sát (việc) thực hiện" cites
                out[-1] = Trigger(prev.start, m.end(), prev.relation, role, prev.also)
            elif prev and prev.role == "passive" and role == "before" and rel == "cites" and not gap.strip():
                # "được sửa đổi, bổ sung theo quy định tại B": the agent of the passive, not a citation of B
                out[-1] = Trigger(prev.start, m.end(), prev.relation, "passive", prev.also)
            elif prev and prev.relation == rel and prev.role == role and not gap.strip():
                if _words_key(ftext[prev.start:prev.end]) == _words_key(m.group(0)):
                    out[-1] = Trigger(m.start(), m.end(), rel, role, prev.also)   # "quy định tại quy định tại": a typo
                else:
                    out[-1] = Trigger(prev.start, m.end(), rel, role, prev.also)  # "Tổ chức triển khai" + "thực hiện"
            elif (prev and prev.role == "passive" and role != "after" and rel in self.passive_relations
                  and _VERB_COORD.fullmatch(gap)):
                # "được sửa đổi, bổ sung, thay thế, bãi bỏ (bởi)": one passive phrase, several relations
                out[-1] = Trigger(prev.start, m.end(), prev.relation, "passive", _also(prev, rel))
            elif (prev and prev.role == role == "before" and prev.relation in _ACTS and rel in _ACTS
                  and _VERB_COORD.fullmatch(gap)):
                # "sửa đổi, bổ sung, bãi bỏ một số điều của B", "Thay thế, bãi bỏ …": the acts of one verb phrase
                # (a citation takes the first; a third-party relation each)
                out[-1] = Trigger(prev.start, m.end(), prev.relation, "before", _also(prev, rel))
            else:
                out.append(Trigger(m.start(), m.end(), rel, role))
            if act and rel == "cites":
                demoted = out[-1]
        return [self._partial(ftext, t) for t in out]

    def _partial(self, ftext, t: Trigger) -> Trigger:
        """Rule 11: a replacement of a provision, a phrase or an appendix of a document amends it ("Thay thế cụm từ …
        tại khoản 2 Điều 6 Nghị định B", "Thay thế, bãi bỏ một số cụm từ, khoản, phụ lục của Nghị định B": amends and
        repeals).  A partial repeal stays repeals (tests/data/gold/README.md counts it so)."""
        if t.role != "before" or "replaces" not in (t.relation,) + t.also \
                or not ftext.match(self.p.partial_object, t.end, t.end + 40):
            return t
        rels = [r if r != "replaces" else "amends" for r in (t.relation,) + t.also]
        also = tuple(sorted({r for r in rels[1:] if r != rels[0]}, key=RELATIONS.index))
        return Trigger(t.start, t.end, rels[0], t.role, also)

    def _planned(self, ftext, pos: int) -> bool:
        """Rule 12: an act verb after a planning verb ("Tiếp tục rà soát, sửa đổi, ban hành, bãi bỏ các quy định",
        "Nghiên cứu, đề xuất bãi bỏ B"), or in a parenthesis describing a document to be drafted ("Xây dựng Thông tư
        quy định về … (thay thế Thông tư B)"), is planned, not done."""
        if ftext.search(self.p.planned_before, max(0, pos - 80), pos):
            return True
        lo = max(0, pos - 300)
        before = ftext[lo:pos]
        if not before.rstrip().endswith("("):
            return False
        paren = lo + before.rstrip().rfind("(")
        start = max(lo, *(lo + before.rfind(c, 0, paren - lo) + 1 for c in ";.:"))
        return any(ftext.search(self.p.planned_before, max(0, t.start() - 80), t.start())
                   for t in ftext.finditer(self.p.bare_type, start, paren))

    def _about(self, ftext, t: Trigger) -> bool:
        """Rule 2: a cites trigger in a description relates two documents only when it says what the described
        one is about ("Thông báo A Kết luận giám sát kết quả thực hiện Nghị quyết B")."""
        words = f" {_words_key(ftext[t.start:t.end])} "
        return any(f" {k} " in words for k in self.p.about)

    def _activity(self, ftext, t: Trigger, ref_start: int) -> bool:
        """Rule 13: an implementing verb in a description whose object is an activity, not the next reference nor
        its provisions ("triển khai các dự án … theo Kết luận B", "thi hành pháp luật"), relates no documents."""
        return t.role == "before" and t.relation == "implements" \
            and not ftext.match(self.p.implement_adverb, t.end, ref_start).end() == ref_start \
            and not ftext.match(self.p.implement_object, t.end, ref_start)

    def _other_actor(self, ftext, pos: int, prev: Trigger | None) -> bool:
        """A bare type word right before pos names another, unnumbered document as the actor — unless it is the
        citing document's own heading ("NGHỊ ĐỊNH\nSửa đổi, bổ sung …"), what its issuer issues ("Bộ trưởng …
        ban hành Thông tư sửa đổi …") or the object of a verb before it ("Bãi bỏ toàn bộ Thông tư\nBãi bỏ …")."""
        m = ftext.search(self.p.bare_type_before, max(0, pos - 40), pos)
        if m is None:
            return False
        if prev is not None and prev.relation in _ACTS and prev.end <= m.start() \
                and not ftext[prev.end:m.start()].strip():
            return False
        if ftext.text[m.start("type"):m.end("type")].isupper():
            return False
        return ftext.search(self.p.own_issue_before, max(0, m.start() - 200), m.start()) is None

    def assign(self, text: str, ftext: str, refs: list[Ref], sents: list[tuple[int, int]]) -> list[ThirdParty]:
        """Set relation/trigger/parent on every ref (sorted by start); return third-party relations."""
        third: list[ThirdParty] = []
        if not refs:
            return third
        carried: dict[int, Trigger] = self._footnote_carry(text, ftext, sents, refs)
        colon_carry: tuple | None = None       # (trigger, sentence index) of "Căn cứ các văn bản sau:"
        # "DANH MỤC VĂN BẢN … HẾT HIỆU LỰC": each row of the list that follows names an expired document
        m = None
        head = text.find("DANH MỤC") if "DANH MỤC" in text else text.find("Danh mục")
        while head >= 0 and m is None:
            m = ftext.match(_EXPIRY_LIST, head, head + 200)
            nxt = text.find("DANH MỤC", head + 8)
            head = nxt if nxt >= 0 else text.find("Danh mục", head + 8)
        expiry = None
        if m:
            expiry = Trigger(m.start("phrase"), m.end("phrase"), "repeals", "after")
        starts = [a for a, _ in sents]
        by_sentence: dict[int, list[int]] = {}
        for i, r in enumerate(refs):
            by_sentence.setdefault(max(0, bisect.bisect_right(starts, r.start) - 1), []).append(i)
        todo = sorted(set(by_sentence) | set(carried) | set(self._colon_sentences(text, sents, by_sentence)))
        carry: int | None = None           # the latest top-level reference of the sentences before
        agents: set[int] = set()           # "Được thay thế bởi B" with no subject: B is no row's subject
        for si in todo:
            ss, se = sents[si]
            items = by_sentence.get(si, [])
            start_trigger = carried.get(si)
            if start_trigger is None and colon_carry is not None and self._same_list(text, sents, colon_carry[1], si):
                start_trigger = colon_carry[0]
            sent_refs = [refs[i] for i in items]
            lo = max(ss, sent_refs[0].start - NEAR) if sent_refs else ss
            hi = min(se, sent_refs[-1].end + NEAR) if sent_refs else se
            trigs = self.triggers(ftext, lo, hi, sent_refs)
            if text[ss:se].rstrip().endswith(":"):
                before = [t for t in trigs if t.role == "before" and t.end >= ss + len(text[ss:se].rstrip()) - 60]
                following = [t for t in trigs if t.role == "after"
                             and _THE_FOLLOWING.search(ftext[max(ss, t.start - 30):t.start])]
                if following:
                    t = following[0]
                    colon_carry = (Trigger(t.start, t.end, t.relation, "before"), si)
                elif before:
                    colon_carry = (before[-1], si)
            if items:
                third.extend(self._walk(text, ftext, refs, items, trigs, (ss, se), start_trigger, carry, agents))
                if expiry is not None and ss >= expiry.end:
                    row = refs[items[0]]
                    if row.parent is None and row.trigger_span is None and items[0] not in agents:
                        row.relation, row.trigger_span, row.also = "repeals", (expiry.start, expiry.end), ()
                for i in reversed(items):
                    if refs[i].parent is None and i not in agents:
                        carry = i
                        break
        return self._possible(refs, third)

    def _possible(self, refs, third: list[ThirdParty]) -> list[ThirdParty]:
        """Rule 7: drop (or, for a passive link, move up to the target's parent) what cannot be."""
        if not third:
            return third
        dates: dict[str, str] = {}
        for r in refs:
            if r.number and r.date and len(r.date) == 10:
                dates.setdefault(r.number, r.date)
        out = []
        for tp in third:
            src, dst = tp.source, tp.target
            seen = set()
            while dst is not None and dst not in seen and not self._can_act(refs[src], refs[dst], tp.relation, dates):
                seen.add(dst)
                dst = refs[dst].parent if tp.trigger.role == "passive" else None
            if dst is not None and refs[dst].key != refs[src].key:
                out.append(tp if dst == tp.target else ThirdParty(src, dst, tp.relation, tp.trigger, tp.sentence))
        return out

    @staticmethod
    def _can_act(src, dst, relation: str, dates: dict[str, str]) -> bool:
        if src.key == dst.key:
            return False
        if relation not in _ACTS:
            return True
        rs, rd = _rank(src), _rank(dst)
        if rs is not None and rd is not None and rs < rd:
            return False            # a decree does not amend a law, nor a circular a decree
        if not (src.number and dst.number):
            return True
        ms, md = _YEAR_NUMBER.match(src.number), _YEAR_NUMBER.match(dst.number)
        if ms and md and ms.group(2) != md.group(2):
            return ms.group(2) > md.group(2)
        ds, dd = dates.get(src.number), dates.get(dst.number)
        if ds and dd and ds != dd:
            return ds > dd
        if ms and md and ms.group(3) == md.group(3):        # one series, one year: numbers run in order
            return int(ms.group(1)) > int(md.group(1))
        return True

    @staticmethod
    def _is_item(text: str, sent: tuple[int, int]) -> bool:
        """A list item ("- …", "a) …"), or the page furniture between two of them ("CÔNG BÁO/Số …\n72")."""
        s = text[sent[0]:sent[1]].lstrip()
        return s[:1] in _BULLETS or _LETTERED.match(s) is not None or _PAGE_FURNITURE.fullmatch(s) is not None

    def _same_list(self, text, sents, colon_si: int, si: int) -> bool:
        """Sentences colon_si+1 … si are all items of the list the colon sentence opens."""
        return colon_si < si and all(self._is_item(text, sents[k]) for k in range(colon_si + 1, si + 1))

    def _colon_sentences(self, text, sents, by_sentence) -> set[int]:
        """Sentences ending with ':' that open a list holding references ("Căn cứ các văn bản sau:")."""
        out = set()
        for si in by_sentence:
            k = si
            while k > 0 and self._is_item(text, sents[k]):
                k -= 1
            if k < si and text[sents[k][0]:sents[k][1]].rstrip().endswith(":"):
                out.add(k)
        return out

    def _elliptical(self, text, ftext, trigs, lo, hi):
        """A capitalised passive opening a line, before hi with no clause break to it ("Được thay thế bởi …")."""
        for t in reversed(trigs):
            if t.role == "passive" and lo <= t.start and t.end <= hi and text[t.start].isupper() \
                    and _at_line_start(text, t.start) and not _clause_break(ftext[t.end:hi]):
                return t
        return None

    def _walk(self, text, ftext, refs, items, trigs, sent, start_trigger, carry=None, agents=None):
        ss, se = sent
        third: list[ThirdParty] = []
        cur = start_trigger
        prev = None
        inherited: dict[int, tuple[int, Trigger] | None] = {}
        run: list[int] = []            # top-level refs since the last ";" (for trailing triggers)
        top: int | None = None         # the latest top-level reference
        starts = [t.start for t in trigs]

        def within(lo: int, hi: int) -> list[Trigger]:
            """The triggers inside [lo, hi) (trigs is sorted: a slice, not a scan)."""
            return [t for t in trigs[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)] if t.end <= hi]

        for i in items:
            ref = refs[i]
            if prev is None:
                before = within(ss, ref.start)
                cur = self._last_before(before, ss, ref.start) or cur
                run = [i]
                ell = self._elliptical(text, ftext, before, ss, ref.start)
                if ell is not None and (cur is None or cur.end <= ell.start):
                    run = []
                    if agents is not None:
                        agents.add(i)
                    c = refs[carry] if carry is not None else None
                    if c is not None and ell.start - c.end < NEAR and not _HEADING.search(text, c.end, ell.start):
                        ref.parent = top = carry        # the row's subject
                        inherited[i] = (carry, ell)
                    else:
                        cur = None
            else:
                p = refs[prev]
                gs, ge = p.end, ref.start
                gap = ftext[gs:ge]
                gap_trigs = within(gs, ge)
                cut = max(gap.rfind(";"), gap.rfind(":"), -1)
                mc = None
                if "," in gap:
                    for mc in ftext.finditer(self.main_clause, gs, ge):
                        pass
                if mc is not None:
                    cut = max(cut, mc.end() - gs)
                for t in gap_trigs:    # "Căn cứ" opens a new list item, never a description
                    if t.relation == "based_on" and t.role == "before":
                        cut = max(cut, t.start - gs)
                passive = [t for t in gap_trigs if t.role == "passive" and gs + max(cut, 0) <= t.start
                           and not _clause_break(ftext[t.end:ge])]
                line_start = [t for t in passive if text[t.start].isupper() and _at_line_start(text, t.start)]
                if _ALIAS.search(gap):
                    # "(sau đây viết tắt là Nghị định số X)": the described document again, in no relation
                    same = next((k for k in reversed(items[:items.index(i)]) if refs[k].key == ref.key), prev)
                    ref.parent = same
                    inherited[i] = None
                elif top is not None and ((cut >= 0 and passive) or (line_start and top != prev)):
                    # "Thông tư A … quy định …; …\nĐược thay thế bởi Thông tư B": B acts on the row's subject A
                    ref.parent = top
                    inherited[i] = (top, (line_start or passive)[-1])
                elif cut >= 0:
                    self._trailing(ftext, refs, run, gap_trigs, gs, gs + cut)
                    t = self._last_before(gap_trigs, gs + cut, ge)
                    if t:
                        cur = t
                    run = [i]
                else:
                    in_gap = [t for t in gap_trigs if t.role != "after"]
                    close = in_gap[-1] if in_gap else None
                    outside = None
                    if close is not None:
                        tail = ftext[close.end:ge]
                        if _clause_break(tail) or (_COORDINATED.search(tail) and not _PROVISION_OBJECT.match(tail)):
                            close = None
                        elif ")" in ftext[gs:close.start] and _inside_parentheses(text, p.start):
                            # "… B (được sửa đổi tại … C) hoặc … quy định tại D": the trigger is not C's, and
                            # D is no part of a description …
                            outside, close = close, None
                            if outside.role == "passive" and p.parent is not None \
                                    and not ftext[gs:outside.start].rsplit(")", 1)[1].strip():
                                # … but a passive right after the parenthesis has the document before it as
                                # its subject: "A (sau đây gọi là A) được sửa đổi bởi D"
                                ref.parent = p.parent
                                inherited[i] = (p.parent, outside)
                                outside = None
                    if ref.parent is not None:
                        pass
                    elif close is not None and close.role == "before" and close.relation in _ACTS \
                            and _AND_VERB.fullmatch(ftext[gs:close.start]):
                        # "thay thế Quyết định A và bãi bỏ Quyết định B": a second verb of A's subject, not A's own
                        # description — the citing document (or A's parent) repeals B
                        if p.parent is None:
                            cur = close
                            run = [i]
                        else:
                            ref.parent = p.parent
                            inherited[i] = (p.parent, close)
                    elif close is not None:
                        ref.parent = prev
                        # an activity's complement ("… triển khai các dự án … theo Kết luận B"): mentioned in the
                        # description, related to nothing
                        inherited[i] = None if self._activity(ftext, close, ge) else (prev, close)
                    elif outside is not None:
                        if outside.role == "before":
                            cur = outside
                        run = [i]
                    elif _CONNECTOR.match(gap):
                        ref.parent = p.parent
                        inherited[i] = inherited.get(prev)
                        if p.parent is None:
                            run.append(i)
                    elif _LINKING_END.search(gap):
                        ref.parent = prev
                        inherited[i] = None
                    else:
                        ref.parent = p.parent
                        inherited[i] = inherited.get(prev)
                        if p.parent is None:
                            run.append(i)
            if ref.parent is None:
                top = i
                if cur is not None:
                    ref.relation, ref.also = cur.relation, cur.also
                    ref.trigger_span = (cur.start, cur.end)
                else:
                    ref.relation, ref.trigger_span, ref.also = "cites", None, ()
            else:
                ref.relation, ref.trigger_span, ref.also = "cites", None, ()
                link = inherited.get(i)
                if link is not None:
                    parent_idx, trig = link
                    src, dst = (i, parent_idx) if trig.role == "passive" else (parent_idx, i)
                    for rel in (trig.relation,) + trig.also:
                        if rel != "cites" or self._about(ftext, trig):      # rule 2
                            third.append(ThirdParty(src, dst, rel, trig, sent))
            prev = i
        self._trailing(ftext, refs, run, within(refs[prev].end, se), refs[prev].end, se)
        return third

    @staticmethod
    def _last_before(trigs, lo, hi):
        best = None
        for t in trigs:
            if t.role == "before" and lo <= t.start and t.end <= hi:
                best = t
        return best

    def _trailing(self, ftext, refs, run, trigs, lo, hi):
        """A trigger after the references ("… hết hiệu lực") applies to the run before it."""
        for t in trigs:
            if t.role == "after" and lo <= t.start and t.end <= hi:
                if _OWN_SUBJECT.search(ftext[max(lo, t.start - 16):t.start]):
                    continue            # "Tổng số văn bản hết hiệu lực": the trigger has its own subject
                for i in run:
                    refs[i].relation, refs[i].also = t.relation, t.also
                    refs[i].trigger_span = (t.start, t.end)
                return

    def _footnote_carry(self, text, ftext, sents, refs) -> dict[int, Trigger]:
        """For each sentence inside a footnote, the trigger governing the footnote's anchor."""
        out: dict[int, Trigger] = {}
        for m in _FOOTNOTE_DEF.finditer(text):
            marker = m.group(1)
            anchor = None
            for a in re.finditer(re.escape(marker), text):
                line_start = text.rfind("\n", 0, a.start()) + 1
                if text[line_start:a.start()].strip() == "":
                    continue           # the definition itself
                if a.start() > 0 and text[a.start() - 1] in "¹²³⁴⁵⁶⁷⁸⁹⁰" or \
                        (a.end() < len(text) and text[a.end()] in "¹²³⁴⁵⁶⁷⁸⁹⁰"):
                    continue           # part of another marker
                anchor = a.start()
                break
            if anchor is None:
                continue
            sent = _sentence_at(text, anchor)
            before_refs = [r for r in refs if sent[0] <= r.start < anchor]
            trigs = self.triggers(ftext, sent[0], anchor, before_refs)
            t = self._last_before(trigs, sent[0], anchor)
            if t is None:
                continue
            line_end = text.find("\n", m.start())
            line_end = len(text) if line_end < 0 else line_end
            for si, (a, b) in enumerate(sents):
                if a < line_end and b > m.start() + m.group(0).find(marker):
                    own = self.triggers(ftext, a, b, [r for r in refs if a <= r.start < b])
                    refs_in = [r for r in refs if a <= r.start < b]
                    first = refs_in[0].start if refs_in else b
                    if not any(x.role == "before" and x.end <= first for x in own):
                        out[si] = t
        return out


def span_of(norm, start: int, end: int) -> Span:
    s, e = norm.to_original(start, end)
    return Span(s, e, norm.original[s:e])
