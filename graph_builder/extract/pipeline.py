"""read text -> normalise -> find references -> own identity -> relations -> Extraction."""
from __future__ import annotations

import bisect
import functools
import re

from ..models import Citation, Extraction, NamedRef, Relation, Span
from ..textcut import clip_words
from ..textfold import FoldView, fold, squash as _squash
from .clean import Normalised, normalise
from .find import Finder, Ref
from .identity import IdentityFinder
from .regexes import patterns
from .relations import RelationFinder, sentences


@functools.cache
def _engines():
    pats = patterns()
    finder = Finder(pats)
    return finder, IdentityFinder(finder), RelationFinder(pats)


def _span(norm: Normalised, start: int, end: int) -> Span:
    s, e = norm.to_original(start, end)
    return Span(s, e, norm.original[s:e])


def _outermost(refs: list[Ref]) -> list[Ref]:
    """Drop every reference that lies inside another one (in one sweep, not pairwise)."""
    out: list[Ref] = []
    reach = -1
    for r in sorted(refs, key=lambda r: (r.start, -r.end)):
        if r.end <= reach:
            continue
        out.append(r)
        reach = max(reach, r.end)
    return sorted(out, key=lambda r: r.start)


# after "Luật sửa đổi, bổ sung … của Luật A số X": another numbered law in a list, or A's own amendments
_AMENDED_NUMBER = re.compile(r"\s*(?:,\s*luat\s|,?\s*(?:da\s+)?(?:duoc|bi)\s+sua\s+doi)")


def _attach_names(numbers: list[Ref], named: list[Ref], ftext: str) -> tuple[list[Ref], list[Ref]]:
    """"Luật Đất đai số 31/2024/QH15": the name belongs to the numbered citation right after it."""
    by_start = {r.num_start: r for r in numbers}
    standalone = []
    own = set()             # numbers an amending law took as its own: the last law its name names keeps none
    for n in named:
        m = re.match(r"\s*(?:,\s*)?(?:so\s*:?\s*)", ftext[n.end:n.end + 12])
        target = by_start.get(n.end + m.end()) if m else None
        if target is not None and id(target) in own:
            target = None
        if target is not None and n.amends and len(n.amends) == 1 \
                and re.match(_AMENDED_NUMBER, ftext[target.end:target.end + 60]):
            # "Luật sửa đổi, bổ sung … của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 …", "… của Luật
            # Bảo hiểm y tế số 25/2008/QH12 đã được sửa đổi, bổ sung … theo Luật số …": the number is the amended
            # law's.  Otherwise it is the amending law's own ("Luật sửa đổi, bổ sung một số điều của Luật Xử lý vi
            # phạm hành chính số 67/2020/QH14", the gazette's usual form: the law of 2012 is 15/2012/QH13)
            target.name = n.amends[-1]
            if target.type is None:
                target.type, target.type_label = "LUAT", "Luật"
            n.amends[-1] = target.number
        elif target is not None:
            if n.amends:
                own.add(id(target))
            target.start = n.start
            target.name = n.name
            if target.type is None:
                target.type, target.type_label = n.type, n.type_label
            n.number = target.number
            n.end = target.end
            n.notes.append("numbered")
        standalone.append(n)
    return numbers, standalone


_LIST_JOIN = re.compile(r"\s*(?:(?P<comma>,)\s*(?:va\s+)?|va\s+)")


def _amended_laws(items: list[Ref], ft) -> list[tuple[int, list[int]]]:
    """"Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 và Luật
    Các tổ chức tín dụng số 32/2024/QH15": the numbered laws after an unnumbered amending law's name, joined by
    "," or "và", are the laws it amends — part of its name, not documents the sentence's trigger governs.  Each
    (index of the amending law, indices of those laws) in `items`; the amending law's name and `amends` take
    them all."""
    out = []
    for k, n in enumerate(items):
        if n.kind != "named" or not n.amends or k + 1 >= len(items):
            continue
        first = items[k + 1]
        if first.kind != "number" or first.number != n.amends[-1]:
            continue
        members, name = [k + 1], n.name
        while members[-1] + 1 < len(items):
            nxt = items[members[-1] + 1]
            m = ft.match(_LIST_JOIN, items[members[-1]].end, nxt.start)
            if not (m and m.end() == nxt.start and nxt.kind == "number" and nxt.name and nxt.type == "LUAT"):
                break
            members.append(members[-1] + 1)
            name += (", " if m.group("comma") else " và ") + nxt.name
            n.amends.append(nxt.number)
        n.name = name
        out.append((k, members))
    return out


def _is_own(r: Ref, doc) -> bool:
    """Can this mention of the document's own number be the document itself?  Yes when the number holds its
    year (a mention with another date is then the document's own typo, as in annexes), or the mention gives
    no date, or the same year; and when it names an issuer, the same one (level, place)."""
    if r.number != doc.number:
        return False
    if not re.search(r"/(?:19|20)\d\d/", r.number) and r.date and doc.date and r.date[:4] != doc.date[:4]:
        return False
    if r.issuer:
        if r.issuer_level and doc.level and r.issuer_level != doc.level:
            return False
        if r.issuer_place and doc.place and fold(r.issuer_place) != fold(doc.place):
            return False
        if r.issuer_code and doc.issuer_code and r.issuer_code != doc.issuer_code:
            return False
    return True


EVIDENCE_MAX = 600


def _evidence(norm: Normalised, sentence: tuple[int, int], start: int, end: int) -> str:
    """The sentence, or when it is long, the part of it around [start, end): at most EVIDENCE_MAX characters,
    cut at a word boundary ("…" marks a cut)."""
    ss, se = sentence
    lead = ""
    if se - ss > EVIDENCE_MAX * 2:
        a = max(ss, start - EVIDENCE_MAX // 3)
        if a > ss:                        # start the window at a word, not inside one
            lead = "…"
            while a < start and not norm.text[a - 1].isspace():
                a += 1
        ss, se = a, min(se, a + EVIDENCE_MAX * 2)
    return clip_words(lead + _squash(norm.original_slice(ss, se)), EVIDENCE_MAX)


def _sentence_index(sents):
    starts = [a for a, _ in sents]

    def find(pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(starts, pos) - 1
        return sents[k] if k >= 0 else (pos, pos)
    return find


_DESC_LEAD = re.compile(r"^[\s,:]*(?:(?:ve\s+viec|ve)\s+)?")
_DESC_CUT = re.compile(r";|\(|\)|\.\s|\n\s*\n|,\s*(?:ubnd|uy\s+ban|chinh\s+phu|hdnd)\s")


def _descriptions(t: str, ft: str, items: list[Ref], sents) -> dict[int, str]:
    """The words after a reference that say what the cited document is about (its trích yếu as cited):
    "… của Chính phủ về việc ban hành Chương trình tổng thể …" -> "ban hành Chương trình tổng thể …"."""
    out: dict[int, str] = {}
    si = 0
    for k, r in enumerate(items):
        while si < len(sents) and sents[si][1] <= r.end:
            si += 1
        limit = min(sents[si][1] if si < len(sents) else len(t), r.end + 300)
        for later in items[k + 1:]:
            if later.start >= limit:
                break
            if later.parent != k and later.start >= r.end:
                limit = later.start
                break
        if re.match(r"\s*,", ft[r.end:r.end + 3]):
            continue                   # ", gửi đến …": the sentence goes on, no description follows
        m = ft.search(_DESC_CUT, r.end, limit)
        end = m.start() if m else limit
        lead = _DESC_LEAD.match(ft[r.end:end])
        start = r.end + (lead.end() if lead else 0)
        desc = _squash(t[start:end]).rstrip(" ,:.;]*_")
        if len(desc) >= 8:
            out[id(r)] = desc
    return out


def extract_text(text: str, path: str = "<text>") -> Extraction:
    finder, identity, relations = _engines()
    norm = normalise(text)
    t = norm.text
    ft = FoldView(t)
    numbers = finder.find_numbers(t, ft)
    named = finder.find_named(t, ft)
    numbers, named = _attach_names(numbers, named, ft)
    # A law named inside another's name ("… của Luật Ban hành văn bản …") is part of that name.
    named = _outermost(named)
    doc = identity.find(t, ft)

    # The document's own number is never a citation of another document; but a number without a year
    # ("02/KH-UBND") starts again every year and at every issuer, so a mention is dropped only when it can be
    # the document itself.
    if doc.number:
        numbers = [r for r in numbers if not _is_own(r, doc)]

    items = sorted(numbers + [n for n in named if "numbered" not in n.notes], key=lambda r: (r.start, r.end))
    # Drop a reference that lies inside another (a number inside a law's name).
    kept: list[Ref] = []
    for r in items:
        if kept and r.start < kept[-1].end and r.kind == "named":
            continue
        kept.append(r)
    items = kept
    sents = sentences(t, items) if items else []
    third = relations.assign(t, ft, items, sents)
    for k, members in _amended_laws(items, ft):
        for j in members:       # inside the amending law's name: the citing document mentions them
            r = items[j]
            r.relation, r.also, r.trigger_span, r.parent = "cites", (), None, k
    titles = _descriptions(t, ft, items, sents)

    numbered = [r for r in items if r.kind == "number"]
    index_of = {id(r): k for k, r in enumerate(numbered)}
    citations = []
    warnings = []
    sentence_of = _sentence_index(sents)
    for r in numbered:
        parent = items[r.parent] if r.parent is not None else None
        ss, se = sentence_of(r.start)
        citations.append(Citation(
            number=r.number, as_written=r.as_written, type=r.type, type_label=r.type_label, date=r.date,
            issuer=r.issuer, issuer_code=r.issuer_code, issuer_level=r.issuer_level, issuer_place=r.issuer_place,
            title=titles.get(id(r)), relation=r.relation, also=r.also,
            trigger=_squash(norm.original_slice(*r.trigger_span)) if r.trigger_span else None,
            span=_span(norm, r.start, r.end), number_span=_span(norm, r.num_start, r.num_end),
            nested_in=index_of.get(id(parent)) if parent is not None else None,
            evidence=_evidence(norm, (ss, se), r.start, r.end),
            notes=tuple(r.notes)))
        warnings.extend(f"{r.number}: {n}" for n in r.notes if n.startswith("invalid"))

    rels = []
    for tp in third:
        src, dst = items[tp.source], items[tp.target]
        evidence = _evidence(norm, tp.sentence, tp.trigger.start, tp.trigger.end)
        rels.append(Relation(source=src.key, target=dst.key, relation=tp.relation,
                             trigger=_squash(norm.original_slice(tp.trigger.start, tp.trigger.end)),
                             evidence=evidence, span=_span(norm, tp.trigger.start, tp.trigger.end)))
    for n in named:
        # the amending law's own name states the relation, to each law it names
        m = re.search(r"sua\s+doi\s*,?\s*bo\s+sung", ft[n.start:n.end]) if n.amends else None
        ts, te = (n.start + m.start(), n.start + m.end()) if m else (n.start, n.end)
        for amended in n.amends:
            rels.append(Relation(source=n.name, target=amended, relation="amends",
                                 trigger=_squash(norm.original_slice(ts, te)),
                                 evidence=_squash(norm.original_slice(n.start, n.end)), span=_span(norm, ts, te)))

    named_refs = []
    issued_by = finder.p.issued_by
    for n in named:
        rel, trig = n.relation, n.trigger_span
        if "numbered" in n.notes:      # relation decided on its numbered citation
            twin = next((r for r in numbered if r.number == n.number and r.start == n.start), None)
            if twin is not None:
                rel, trig = twin.relation, twin.trigger_span
        body = issued_by.get(n.type)   # Luật, Bộ luật, Hiến pháp: Quốc hội; Pháp lệnh: its Standing Committee
        named_refs.append(NamedRef(
            name=n.name, kind=n.type, date=n.date, number=n.number, relation=rel,
            trigger=_squash(norm.original_slice(*trig)) if trig else None, span=_span(norm, n.start, n.end),
            evidence=_evidence(norm, sentence_of(n.start), n.start, n.end),
            issuer=body.label if body else None, issuer_code=body.code if body else None,
            issuer_level=body.level if body else None))
    seen, unique = set(), []
    for r in rels:                   # the same relation stated again (each mention of a law's name)
        if (r.source, r.relation, r.target) not in seen:
            seen.add((r.source, r.relation, r.target))
            unique.append(r)
    return Extraction(path=path, document=doc, citations=tuple(citations), relations=tuple(unique),
                      named_refs=tuple(named_refs), warnings=tuple(warnings))
