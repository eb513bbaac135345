"""Decide the relation of each reference, and the third-party relations between cited documents.

Rules (see ontology/vocab/relations.toml for the phrases):
1. A trigger ("Căn cứ", "Thực hiện", "thay thế"…) governs the references after it in its sentence,
   across a list separated by ";" or ",", until another trigger at the same level.
2. Text after a reference, up to the next ";" (or a main clause ", UBND tỉnh ban hành…"), is that
   reference's own description.  A reference inside it, introduced by a trigger ("… sửa đổi, bổ sung
   một số điều của Nghị định 61…"), is a third-party relation between the two cited documents; the
   citing document merely cites it.  Triggers in a description never govern the top-level list.
3. A passive trigger ("A được sửa đổi, bổ sung bởi B") reverses the third-party relation.
4. A trigger after the reference ("Quyết định số 12 … hết hiệu lực") applies to it.
5. A footnote's references take the relation governing its anchor ("… theo quy định¹");
   a list introduced by "Căn cứ:" / "Thực hiện:" takes the trigger before the colon.
No trigger: the reference is `cites`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import regex

from ..models import Span
from .find import Ref
from .regexes import Patterns

# A sentence ends at end punctuation, a blank line, or a line that starts a list item, a row or a preamble
# clause — unless a lower-case letter follows (then it is a line wrap: "của Thủ\n\ntướng Chính phủ").
_SENTENCE_END = regex.compile(
    r"(?:(?<!\b(?:TP|Tp|tp|TS|ThS|PGS|GS|St|Q|v\.v|\p{Lu}))[.!?…][\"”’)\]*]*(?=\s)"
    r"|\n[ ]*\n"
    r"|\n(?=[ ]*(?:[-+•*–—][ ]|\d{1,2}[.)][ ]|[a-zđ]\)[ ]|[IVX]{1,5}\.[ ]|Điều[ ]+\d|Chương[ ]+[IVX\d]"
    r"|(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Xét|Sau khi xem xét|Quán triệt|Triển khai)[ ]"
    r"|\d{1,3}[ ]*\n)))"                    # a table row number alone on its line
    r"(?=[ \n]*+(?:\P{Ll}|$))")
_FOOTNOTE_DEF = re.compile(r"^[ ]*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\d{1,3}\])[ ]+\S", re.M)
_CONNECTOR = re.compile(r"^[\s,]*(?:(?:va|hoac|cung|va\s+cac|cac)\b)?[\s,]*$")
_LINKING_END = re.compile(r"(?:cua|tai|theo|kem\s+theo|boi|bang)\s*$")
_EXPIRY_LIST = re.compile(r"danh\s+muc\s+(?:cac\s+)?van\s+ban[^\n]{0,120}?(?P<phrase>het\s+hieu\s+luc)")


@dataclass(frozen=True, slots=True)
class Trigger:
    start: int
    end: int
    relation: str
    role: str              # before | after | passive


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

    def triggers(self, ftext: str, start: int, end: int, refs: list[Ref]) -> list[Trigger]:
        out = []
        ref_starts = [r.start for r in refs]
        for m in ftext.finditer(self.p.triggers, start, end):
            k = bisect.bisect_left(ref_starts, m.end())       # refs starting before the trigger ends …
            if k and any(refs[j].end > m.start() for j in range(max(0, k - 3), k)):
                continue            # … and ending after it starts: inside a reference ("Luật sửa đổi, bổ sung …")
            rel, role = self.p.trigger_kind(m)
            prev = out[-1] if out else None
            if prev and prev.relation == rel and prev.role == role and not ftext[prev.end:m.start()].strip():
                out[-1] = Trigger(prev.start, m.end(), rel, role)     # "Tổ chức triển khai" + "thực hiện"
            else:
                out.append(Trigger(m.start(), m.end(), rel, role))
        return out

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
                if before:
                    colon_carry = (before[-1], si)
            if items:
                third.extend(self._walk(text, ftext, refs, items, trigs, (ss, se), start_trigger))
                if expiry is not None and ss >= expiry.end:
                    row = refs[items[0]]
                    if row.parent is None and row.trigger_span is None:
                        row.relation, row.trigger_span = "repeals", (expiry.start, expiry.end)
        return third

    @staticmethod
    def _is_item(text: str, sent: tuple[int, int]) -> bool:
        return text[sent[0]:sent[1]].lstrip()[:1] in _BULLETS

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

    def _walk(self, text, ftext, refs, items, trigs, sent, start_trigger):
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
                cur = self._last_before(within(ss, ref.start), ss, ref.start) or cur
                run = [i]
            else:
                p = refs[prev]
                gs, ge = p.end, ref.start
                gap = ftext[gs:ge]
                gap_trigs = within(gs, ge)
                cut = max(gap.rfind(";"), -1)
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
                           and not re.search(r"[,;]", ftext[t.end:ge])]
                line_start = [t for t in passive if _at_line_start(text, t.start)]
                if top is not None and ((cut >= 0 and passive) or (line_start and top != prev)):
                    # "Thông tư A … quy định …; …\nĐược thay thế bởi Thông tư B": B acts on the row's subject A
                    ref.parent = top
                    inherited[i] = (top, (line_start or passive)[-1])
                elif cut >= 0:
                    self._trailing(refs, run, gap_trigs, gs, gs + cut)
                    t = self._last_before(gap_trigs, gs + cut, ge)
                    if t:
                        cur = t
                    run = [i]
                else:
                    in_gap = [t for t in gap_trigs if t.role != "after"]
                    close = in_gap[-1] if in_gap else None
                    if close is not None and re.search(r"[,;]", ftext[close.end:ge]):
                        close = None
                    if close is not None:
                        ref.parent = prev
                        inherited[i] = (prev, close)
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
                    ref.relation = cur.relation
                    ref.trigger_span = (cur.start, cur.end)
                else:
                    ref.relation, ref.trigger_span = "cites", None
            else:
                ref.relation, ref.trigger_span = "cites", None
                link = inherited.get(i)
                if link is not None:
                    parent_idx, trig = link
                    src, dst = (i, parent_idx) if trig.role == "passive" else (parent_idx, i)
                    third.append(ThirdParty(src, dst, trig.relation, trig, sent))
            prev = i
        self._trailing(refs, run, within(refs[prev].end, se), refs[prev].end, se)
        return third

    @staticmethod
    def _last_before(trigs, lo, hi):
        best = None
        for t in trigs:
            if t.role == "before" and lo <= t.start and t.end <= hi:
                best = t
        return best

    def _trailing(self, refs, run, trigs, lo, hi):
        """A trigger after the references ("… hết hiệu lực") applies to the run before it."""
        for t in trigs:
            if t.role == "after" and lo <= t.start and t.end <= hi:
                for i in run:
                    refs[i].relation = t.relation
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
