"""Identity resolution: which real document each citation (and each corpus file) is.

A document is identified by its number, its jurisdiction (who issued it, where) and its year:
`249/KH-UBND` is issued by every province every year, `468/QĐ-TTg` by the Prime Minister every year,
`61/2018/NĐ-CP` only once.  So the key of a document is (jurisdiction, number, year):

- jurisdiction: `vn` for central bodies (Chính phủ, Thủ tướng, Quốc hội, ministries, Party Central Committee);
  for local ones the administrative unit of the issuer — named in the citation ("UBND tỉnh Lạng Sơn"), or
  taken from the citing document's own place when the citation says only "của UBND tỉnh" / "huyện" / "xã"
  (a commune plan's "UBND huyện" is the district the commune belongs to); unknown otherwise, and then the
  document stays scoped to the citing file: it is never merged with another province's document.  The same
  holds for a named place that does not resolve to one unit ("UBND xã Tân Lập": a dozen communes bear that
  name, and the file does not say which province): its code is made specific to the citing file, so two
  documents are only ever merged when their places resolve to the same unit.
- a number's own code wins: `163/2024/NĐ-CP`, `76/NQ-CP`, `468/QĐ-TTg`, `…/TT-BTC`, `51/2024/QH15`, `…-NQ/TW`
  are central (the vocabulary's central issuer codes), whatever issuer the text seems to give ("Nghị định số
  163/2024/NĐ-CP do Ủy ban nhân dân cấp tỉnh … thực hiện"); so is a code the vocabulary does not know in the
  normative format n/yyyy/TYPE-CODE (`178/1998/TT-TCCP`): local normative documents are the HĐND's and UBND's.
  A citation with no known issuer at all joins the only document of a known jurisdiction with its number and
  full date (`600/QĐ-LĐTBXH ngày 29/5/2020`, once "của Bộ Lao động…", elsewhere without).
- dates: one body's number without a year of its own (`249/KH-UBND`) is one document in a year only when the
  full dates agree: 29/12/2021 and 05/03/2021 are two documents, kept apart and reported as ambiguous with
  the dates and files (a mention giving only the month or none is ambiguous between them).  A number that
  carries its year (`113/2015/NĐ-CP`) is one document whatever the dates: mentions that disagree are typos
  (09/10 and 09/11/2015; "58/2022/NĐ-CP ngày 31/8/2002"); the node keeps the corpus file's own date, else one
  in the number's year, else the most cited, and the conflict is reported (Resolution.date_conflicts).
- year: from the number (`61/2018/NĐ-CP`) or the date.  A later mention without a date in the same file is
  the same document as an earlier dated one (document-local coreference).  Across files, a citation without
  a year joins the only dated document with the same jurisdiction and number that the citing files could
  cite — a document is never joined to one issued after the file citing it (a file of 10/4/2019 citing
  "Kế hoạch số 105/KH-UBND" is not citing the 105/KH-UBND of 14/5/2024); with several, or none possible, it
  is kept apart (reported, with the reason).  A dated document keeps its dated key whether or not another
  document of its number and year exists, so its IRI does not depend on the rest of the corpus.
- a corpus file is the node its own number/issuer/date gives (its own title, issuer words and date win over
  the citations'; copies of it in several files keep the first file's path with that file's format, the others
  are noted); a file without a number joins a cited document with the same issuer (place and body), type and
  full date whose cited title matches its own — never a document it cites itself (a plan "thay thế Kế hoạch
  số 12/KH-UBND" of the same commune, year and title is another document) — but a news article (kind
  "news") is never a legal document: it stays its own node, and its citations are all `cites` (the verb it
  uses stays each mention's trigger).
- a law cited by its name and date ("Bộ luật Lao động ngày 20/11/2019") is the numbered law of the Quốc hội
  (or its Standing Committee) with that name — as files cite it with its number, or its type and title —
  and that date, or that year when only one such law has it; otherwise kept apart (reported when several).
- issuer: each node's `issuer` is the body's normalised name with its place, from the code and the resolved
  jurisdiction ("UBND tỉnh Lạng Sơn" for "UBND tỉnh" in a Lạng Sơn file, "Tỉnh ủy Lạng Sơn", "Chính phủ");
  `issuer_code` is the body's code in the vocabulary (a former code is its body's: LĐTBXH -> BLĐTBXH);
  `issuer_as_written` and each mention's `issuer` keep the text's words.

Every merge and every ambiguity is recorded with its reason (Resolution.log, the build report); so is every
statement that is no edge because its two ends are one document (Resolution.dropped).
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from . import vocabulary
from .textfold import fold

try:                                   # the administrative-units dataset (graph_builder/places.py)
    from . import places as _places
except ImportError:                    # pragma: no cover - the module ships with the package
    _places = None

LEVELS = ("province", "district", "commune")


@dataclass(frozen=True, slots=True)
class Scope:
    """The jurisdiction of an issuing body."""

    code: str                          # "vn", "vn-20", "vn-20-183", or "x-<file>" when unknown
    level: str                         # central | province | district | commune | unknown
    label: str                         # "Việt Nam", "tỉnh Lạng Sơn", "huyện Văn Quan (tỉnh Lạng Sơn)"
    status: str = "resolved"           # resolved | ambiguous | unresolved
    reason: str = ""


CENTRAL = Scope("vn", "central", "Việt Nam")


@dataclass(slots=True)
class Node:
    key: tuple
    number: str | None = None
    type: str | None = None
    type_label: str | None = None
    title: str | None = None
    name: str | None = None            # law name ("Luật Đất đai")
    date: str | None = None
    year: str | None = None
    issuer: str | None = None          # normalised: "UBND tỉnh Lạng Sơn", "Chính phủ" (issuer_name())
    issuer_code: str | None = None
    issuer_as_written: str | None = None   # the corpus file's own issuer, else the first citation's
    scope: Scope = CENTRAL
    in_corpus: bool = False
    path: str | None = None            # the corpus file, when in the corpus
    kind: str = "document"             # document | news | law-name
    source_format: str | None = None   # txt, docx, pdf … of the corpus file
    status: str = "resolved"           # resolved | ambiguous | unresolved
    notes: list[str] = field(default_factory=list)
    mentions: int = 0
    own_date: str | None = None        # the corpus file's own date
    date_n: int = 0                    # mentions (and the file itself) that give `date`
    date_file: str | None = None       # the first file that gave `date`
    dates: dict | None = None          # {full date: [mentions, [files…]]} when they disagree

    @property
    def level(self) -> str:
        return self.scope.level


@dataclass(slots=True)
class Edge:
    source: tuple                      # node keys
    target: tuple
    relation: str
    file: str                          # the file that states it
    start: int
    end: int
    text: str
    trigger: str | None
    evidence: str
    third_party: bool = False
    issuer: str | None = None          # the issuer as the mention writes it ("UBND tỉnh")


@dataclass
class Resolution:
    nodes: dict[tuple, Node]
    edges: list[Edge]
    log: list[str]                     # merge decisions, in order
    ambiguous: list[str]
    unresolved: list[str]
    store: TextStore | None = None     # where the edges' text and evidence are, when not in memory
    date_conflicts: list[str] = field(default_factory=list)   # one document cited with different dates
    dropped: list[str] = field(default_factory=list)          # statements that are no edge (a loop), and why


class TextStore:
    """An append-only temporary file of UTF-8 strings — the matched text and the evidence sentence of every
    mention, the bulk of a large corpus's memory — read back by reference (offset << 24 | length).

    With a store, resolve() makes edges whose `text` and `evidence` are read from it on access; nothing else
    changes for the writers.  The file is deleted when the store is closed or collected."""

    def __init__(self, directory: str | None = None):
        self.fh = tempfile.TemporaryFile(dir=directory)
        self.fd = self.fh.fileno()
        self.size = self.flushed = 0
        self.pending: list[bytes] = []
        self.memo: dict[int, str] = {}

    def add(self, s: str) -> int:
        b = s.encode("utf-8")
        if len(b) >= 1 << 24:
            b = b[:(1 << 24) - 4].decode("utf-8", "ignore").encode("utf-8")
        ref = (self.size << 24) | len(b)
        self.pending.append(b)
        self.size += len(b)
        if self.size - self.flushed > 1 << 20:
            self.flush()
        return ref

    def flush(self) -> None:
        if self.pending:
            self.fh.write(b"".join(self.pending))
            self.fh.flush()
            self.pending, self.flushed = [], self.size

    def get(self, ref: int) -> str:
        got = self.memo.get(ref)
        if got is not None:
            return got
        off, n = ref >> 24, ref & 0xFFFFFF
        if off + n > self.flushed:
            self.flush()
        s = os.pread(self.fd, n, off).decode("utf-8")
        if len(self.memo) > 4096:
            self.memo.clear()
        self.memo[ref] = s
        return s

    def close(self) -> None:
        self.fh.close()


def _stored_edge_class(store: TextStore) -> type:
    """An Edge whose text and evidence live in `store` (slots: two integers instead of two strings)."""

    class StoredEdge(Edge):
        __slots__ = ("text_ref", "evidence_ref")
        text = property(lambda self: store.get(self.text_ref))
        evidence = property(lambda self: store.get(self.evidence_ref))

    return StoredEdge


def _new_edge(cls, source, target, relation, file, start, end, text_ref, trigger, evidence_ref, third_party=False,
              issuer=None):
    e = cls.__new__(cls)
    e.source, e.target, e.relation, e.file, e.start, e.end = source, target, relation, file, start, end
    e.trigger, e.third_party, e.text_ref, e.evidence_ref = trigger, third_party, text_ref, evidence_ref
    e.issuer = issuer
    return e


# --------------------------------------------------------------------------------------------------------------
class PlaceContext:
    """Where a corpus document stands: its province, district and commune, as far as known."""

    def __init__(self, doc: dict, text_places: dict[str, str]):
        self.units: dict[str, Scope] = {}
        level, place, province = doc.get("level"), doc.get("place"), doc.get("province")
        district_hint = text_places.get("district")
        if level in LEVELS and place:
            sc = place_scope(place, level, province=province, district=district_hint)
            self.units[level] = sc
            for parent in _parents(place, level, province, district_hint):
                self.units.setdefault(parent.level, parent)
        if province and "province" not in self.units:
            self.units["province"] = place_scope(province, "province")
        if "district" not in self.units and district_hint and level == "commune":
            self.units["district"] = place_scope(district_hint, "district", province=province)

    def unit(self, level: str) -> Scope | None:
        sc = self.units.get(level)
        return sc if sc and sc.status == "resolved" else None


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s).lower()).strip("-")


@lru_cache(maxsize=65536)
def place_scope(name: str, level: str, *, province: str | None = None, district: str | None = None) -> Scope:
    """Scope of a named place; uses the administrative-units dataset when available."""
    kind_word = {"province": "tỉnh", "district": "huyện", "commune": "xã"}[level]
    if _places is not None:
        m = _places.resolve(name, level, province=province, district=district)
        if m.status == "resolved":
            p = m.place
            code = "vn-" + p.province_code if level == "province" else f"vn-{p.province_code}-{level[0]}{p.code}"
            label = p.full_name[:1].lower() + p.full_name[1:]
            if level != "province":
                label += f" (tỉnh {p.province})"
            return Scope(code, level, label)
        if m.status == "ambiguous":
            return Scope(f"vn-?-{level[0]}-{_slug(name)}", level, f"{kind_word} {name}", "ambiguous", m.reason)
        return Scope(f"vn-?-{level[0]}-{_slug(name)}", level, f"{kind_word} {name}", "unresolved", m.reason)
    code = f"vn-{_slug(province) + '-' if province and level != 'province' else ''}{level[0]}-{_slug(name)}"
    return Scope(code, level, f"{kind_word} {name}")


def _parents(place: str, level: str, province: str | None, district: str | None) -> list[Scope]:
    if _places is None or level == "province":
        return [place_scope(province, "province")] if province and level != "province" else []
    m = _places.resolve(place, level, province=province, district=district)
    if m.status != "resolved":
        return [place_scope(province, "province")] if province else []
    p = m.place
    out = [place_scope(p.province, "province")]
    if level == "commune" and p.district:
        out.append(place_scope(p.district, "district", province=p.province))
    return out


_KIND_LEVEL = {"tinh": "province", "thanh pho": "province", "huyen": "district", "quan": "district",
               "thi xa": "district", "xa": "commune", "phuong": "commune", "thi tran": "commune"}
_KIND_RE = re.compile(r"(?<![a-z])(" + "|".join(sorted(map(re.escape, _KIND_LEVEL), key=len, reverse=True))
                      + r")(?![a-z])")


_VOCABS: dict[int, object] = {}
_YEAR_RE = re.compile(r"/((?:19|20)\d\d)/")
_CITY_RE = re.compile(r"(?<![a-z])thanh pho(?![a-z])")


@lru_cache(maxsize=65536)
def _issuer_level_cached(issuer: str | None, issuer_code: str | None, vocab_id: int) -> tuple[str | None, bool]:
    vocab = _VOCABS[vocab_id]
    iss = vocab.issuer_by_code.get(issuer_code or "")
    if iss is not None and iss.level == "central":
        return "central", True
    if issuer:
        # the first kind word, the longest at its place ("thị xã" over "xã"); not the longest anywhere: in
        # "UBND xã Quản Bạ" the name's "quan" is not a quận
        m = _KIND_RE.search(fold(issuer))
        if m:
            return _KIND_LEVEL[m.group(1)], False
    if iss is not None and iss.level in LEVELS:
        return iss.level, False
    return None, False


def _issuer_level(issuer: str | None, issuer_code: str | None, vocab) -> tuple[str | None, bool]:
    """(level, central?) of an issuer as written ("UBND tỉnh", "Ban Thường vụ Tỉnh ủy") or by its code."""
    vid = id(vocab)                        # the vocabulary itself is a slow key: its hash walks every field
    if vid not in _VOCABS:
        _VOCABS[vid] = vocab
    return _issuer_level_cached(issuer, issuer_code, vid)


def _file_scope(sc: Scope, file_tag: str, file: str | None = None) -> Scope:
    """A place that did not resolve to one unit is only known to be *some* place named so: the code is
    made specific to the citing file, so two files never share a document through an unresolved place
    (two provinces' "249/KH-UBND", two communes named "Tân Lập")."""
    if sc.status == "resolved" or sc.code.startswith("x-"):
        return sc
    return Scope(f"x-{file_tag}-{sc.code.removeprefix('vn-?-')}", sc.level, f"{sc.label} (in {file or file_tag})",
                 sc.status, sc.reason)


def number_issuer_codes(number: str, vocab) -> tuple[tuple[str, ...], bool]:
    """The codes of the issuing bodies a số hiệu carries (a term's digits dropped), and whether its type code
    is one of the vocabulary's: 61/2018/NĐ-CP -> (CP,), 51/2024/QH15 -> (QH,), 60-NQ/TU -> (TU,),
    19/2012/TTLT-BTC-BKHĐT -> (BTC, BKHĐT), 1234/UBND-NC -> (UBND,) (a letter: its issuer, then a unit)."""
    if "/" not in number:
        return (), False
    head, last = number.split("/", 1)[0], number.rsplit("/", 1)[-1]
    typed = False
    if "-" in head:                                    # Party: 60-NQ/TU
        parts = [last]
        typed = head.rsplit("-", 1)[-1] in vocab.type_by_code
    else:
        parts = last.split("-")
        if len(parts) > 1:
            typed = parts[0] in vocab.type_by_code
            parts = parts[1:] if typed else parts[:1]
    return tuple(c for c in (p.rstrip("0123456789") for p in parts) if c), typed


@lru_cache(maxsize=65536)
def _number_level_cached(number: str, vocab_id: int) -> str | None:
    vocab = _VOCABS[vocab_id]
    codes, typed = number_issuer_codes(number, vocab)
    if not codes:
        return None
    levels = [vocab.issuer_by_code[c].level if c in vocab.issuer_by_code else None for c in codes]
    if all(lv == "central" for lv in levels):
        return "central"
    if any(lv not in (None, "central") for lv in levels):
        return "local"
    # a body the vocabulary does not know, numbering in the normative format n/yyyy/TYPE-CODE: only central
    # bodies do; local normative documents are resolutions of the HĐND and decisions of the UBND (Luật Ban
    # hành văn bản quy phạm pháp luật, art. 4), whose codes are the vocabulary's local ones ("178/1998/TT-TCCP")
    if typed and _YEAR_RE.search(number) and "-" in number.rsplit("/", 1)[-1]:
        return "central"
    return None


def number_level(number: str, vocab) -> str | None:
    """"central" when the số hiệu itself says a central body issued it (NĐ-CP, QĐ-TTg, TT-BTC, …/QH15,
    -NQ/TW, by the vocabulary's issuer codes), "local" when it names a local body (KH-UBND, -NQ/TU), else None."""
    vid = id(vocab)
    if vid not in _VOCABS:
        _VOCABS[vid] = vocab
    return _number_level_cached(number, vid)


def citation_scope(c: dict, ctx: PlaceContext, file_tag: str, vocab, file: str | None = None) -> Scope:
    """Where the cited document's issuer sits.  file_tag makes the code of a place the file does not name
    specific to the file; `file` (its path) is what the label and the reason show a reader."""
    where = file or file_tag
    by_number = number_level(c["number"], vocab)
    if by_number == "central":                  # the number's code wins over an issuer read from the text
        return CENTRAL
    code = c.get("issuer_code") or ""
    base = code.rstrip("0123456789")
    if by_number == "local" and (vocab.issuer_by_code.get(base) is None or
                                 vocab.issuer_by_code[base].level == "central"):
        base = number_issuer_codes(c["number"], vocab)[0][0]
    level, central = _issuer_level(c.get("issuer"), base, vocab)
    if central:
        return CENTRAL
    if c.get("issuer_place") and level in LEVELS:
        province = ctx.unit("province")
        pname = province.label.split("tỉnh ", 1)[-1] if province else None
        sc = place_scope(c["issuer_place"], level, province=pname if level != "province" else None)
        if level == "province" and not sc.label.startswith("thành phố") and _CITY_RE.search(fold(c.get("issuer") or "")):
            # "UBND thành phố Hà Tĩnh" is the provincial city (a district), not the province Hà Tĩnh
            city = place_scope(c["issuer_place"], "district", province=pname)
            if city.status == "resolved" and city.label.startswith("thành phố"):
                sc = city
        return _file_scope(sc, file_tag, where)
    if level in LEVELS:
        unit = ctx.unit(level)
        if unit is not None:
            return unit
        return Scope(f"x-{file_tag}-{level[0]}", level, f"{level} not named (cited in {where})", "unresolved",
                     f"the citation says only '{c.get('issuer') or code}' and {where} does not say which {level}")
    return Scope(f"x-{file_tag}", "unknown", f"issuer unknown (cited in {where})", "unresolved",
                 f"no issuer for {c['number']} in {where}")


def _year(number: str, date: str | None) -> str | None:
    m = _YEAR_RE.search(number)
    if m:
        return m.group(1)
    return date[:4] if date else None


def _file_tag(path: str) -> str:
    """A short tag unique to the file: its name's slug and a hash of its path (two folders may both hold a
    "ke-hoach.txt").  The build gives paths relative to the corpus folder, so the tag, and every IRI made with
    it, is the same wherever the corpus is."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"{_slug(stem)[:40] or 'file'}-{hashlib.sha1(path.encode()).hexdigest()[:6]}"


_TEXT_PLACE_RE = re.compile(r"(?<![\w])(huyện|tỉnh) ((?:[A-ZĐ][^\s,.;()]*)(?: [A-ZĐ][^\s,.;()]*){0,3})")


def _text_places(x: dict) -> dict[str, str]:
    """Places the document names in its citations ("… trên địa bàn huyện Văn Quan") for context."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in x["citations"]:
        for m in _TEXT_PLACE_RE.finditer((c.get("title") or "") + " " + (c.get("evidence") or "")):
            counts["district" if m.group(1) == "huyện" else "province"][m.group(2)] += 1
    return {k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, v in counts.items()}


# --------------------------------------------------------------------------------------------------------------
FILES_LISTED = 5                        # files named in a merge explanation; the rest are counted
SHARED_ATTRS = frozenset({"type", "type_label", "issuer", "issuer_code", "issuer_as_written", "date", "year",
                          "kind"})      # interned


def _add_date(n: Node, d: str | None, count: int = 1, files: tuple | list = ()) -> None:
    """Count `count` mentions giving the date `d` of n (from `files`).  A date agrees with a part of itself
    ("2024-05" and "2024-05-10"); when two disagree, every date is tallied in n.dates."""
    if not d:
        return
    if n.dates is None:
        cur = n.date
        if cur is None or cur == d or (len(cur) < len(d) and d.startswith(cur)):
            n.date = d
            n.date_n += count
            n.date_file = n.date_file or (files[0] if files else None)
            return
        if len(d) < len(cur) and cur.startswith(d):
            return
        n.dates = {cur: [n.date_n, [n.date_file] if n.date_file else []]}
    got = n.dates.get(d)
    if got is None:
        got = n.dates[d] = [0, []]
    got[0] += count
    for f in files:
        if f not in got[1] and len(got[1]) < FILES_LISTED:
            got[1].append(f)


def _date_table(n: Node) -> dict:
    if n.dates is not None:
        return n.dates
    return {n.date: [n.date_n, [n.date_file] if n.date_file else []]} if n.date else {}


def _dates_text(table: dict) -> str:
    return "; ".join(f"{d} ({c} mention{'s' if c != 1 else ''}: {', '.join(fs) or '?'})"
                     for d, (c, fs) in sorted(table.items()))


def _absorb(b: Node, a: Node) -> None:
    """Node a is the same document as b: b takes what it lacks from a (a corpus file's own words win)."""
    if a.in_corpus and not b.in_corpus:
        b.title = a.title or b.title
        b.issuer_as_written = a.issuer_as_written or b.issuer_as_written
    for attr in ("title", "issuer", "issuer_code", "issuer_as_written", "type", "type_label", "number", "name",
                 "own_date"):
        if getattr(b, attr) in (None, "") and getattr(a, attr):
            setattr(b, attr, getattr(a, attr))
    if a.path and not b.path:               # a corpus file's path and format go together
        b.path, b.source_format, b.kind = a.path, a.source_format, a.kind
    elif a.path and a.path != b.path:
        note = f"also the corpus file {a.path} ({a.source_format or '?'})"
        if note not in b.notes:
            b.notes.append(note)
    for d, (c, fs) in sorted(_date_table(a).items()):
        _add_date(b, d, c, fs)
    b.in_corpus = b.in_corpus or a.in_corpus
    b.notes.extend(x for x in a.notes if x not in b.notes)
    if a.in_corpus and a.scope.status == "resolved":
        b.scope = a.scope
    if a.status != "resolved" and b.scope.status != "resolved":
        b.status = a.status


_KIND_WORD = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
_IN_FILE_RE = re.compile(r" \((?:cited )?in [^()]*\)$")


def issuer_name(n: Node, vocab) -> str | None:
    """The issuing body's name with its place, normalised from the code and the resolved jurisdiction
    ("UBND tỉnh Lạng Sơn", "UBND huyện Văn Quan (tỉnh Lạng Sơn)", "Tỉnh ủy Lạng Sơn", "Chính phủ",
    "Bộ Tài chính, Bộ Kế hoạch và Đầu tư"); the text's own words when the vocabulary does not know the body."""
    sc = n.scope
    codes = list(number_issuer_codes(n.number, vocab)[0]) if n.number else []
    own = (n.issuer_code or "").rstrip("0123456789")
    known = [vocab.issuer_by_code[c] for c in (*codes, own) if c in vocab.issuer_by_code]
    if sc.level == "central":
        central = [i for i in known if i.level == "central"]
        if codes and any(i.code in codes for i in central):     # the number's bodies (a joint circular: all)
            central = [i for i in central if i.code in codes]
        return ", ".join(dict.fromkeys(i.label for i in central)) or n.issuer_as_written
    local = [i for i in known if i.level != "central"]
    if not local:
        return n.issuer_as_written
    iss = local[0]
    short = iss.code if any(name == iss.code for name in iss.names) else iss.label       # "UBND", "HĐND"
    if sc.level not in LEVELS:
        return short
    place = sc.label if sc.status == "resolved" else _IN_FILE_RE.sub("", sc.label)
    if place.startswith(f"{sc.level} not named"):
        return f"{short} {_KIND_WORD[sc.level]}"
    kind_word = _KIND_WORD[sc.level]
    if iss.party and fold(iss.label).split()[0] == fold(kind_word) and place.startswith(kind_word + " "):
        return f"{iss.label} {place[len(kind_word) + 1:]}"                 # "Tỉnh ủy Lạng Sơn"
    return f"{short} {place}"


def resolve(extractions: Iterable[dict], store: TextStore | None = None) -> Resolution:
    """Nodes and edges of the whole corpus, from `Extraction.to_json()` dicts.

    A list is sorted by path here; any other iterable must come in path order, and is consumed once,
    one extraction at a time: nothing of an extraction is kept but the lean edges and the nodes, so a
    caller can stream a large corpus from the cache.  With a TextStore, the edges' matched text and evidence
    go to its file instead of memory.

    Keys: ("doc", jurisdiction, number, year), and for a number without a year of its own cited with a full
    date, ("doc", jurisdiction, number, year, date): the same number of one body in one year is one document
    only when the dates agree (step 3)."""
    if isinstance(extractions, list):
        extractions = sorted(extractions, key=lambda e: e["path"])
    vocab = vocabulary.load()
    law_type = next((t for t in vocab.types if t.code == "LUAT"), None)      # a law named inside another's name
    law_issuer = vocab.issuer_by_code.get(law_type.issuer) if law_type and law_type.issuer else None
    nodes: dict[tuple, Node] = {}
    log: list[str] = []
    ambiguous: list[str] = []
    conflicts: list[str] = []
    dropped: list[str] = []
    unresolved: dict[str, None] = {}
    edges: list[Edge] = []
    intern = sys.intern
    if store is not None:
        stored = _stored_edge_class(store)

        def make_edge(source, target, relation, file, start, end, text, trigger, evidence, third_party=False,
                      issuer=None):
            ref = texts.get(evidence)
            if ref is None:
                ref = texts[evidence] = store.add(evidence)
            return _new_edge(stored, source, target, relation, file, start, end, store.add(text), trigger, ref,
                             third_party, issuer)
    else:
        def make_edge(source, target, relation, file, start, end, text, trigger, evidence, third_party=False,
                      issuer=None):
            return Edge(source, target, relation, file, start, end, text, trigger, texts.setdefault(evidence, evidence),
                        third_party, issuer)

    def node(key: tuple, **attrs) -> Node:
        n = nodes.get(key)
        if n is None:
            n = nodes[key] = Node(key=key)
        for k, v in attrs.items():
            if v is not None and getattr(n, k) in (None, "", False):
                setattr(n, k, intern(v) if k in SHARED_ATTRS and isinstance(v, str) else v)
        return n

    def doc_key(sc: Scope, number: str, date: str | None) -> tuple:
        year = _year(number, date)
        if date and len(date) == 10 and not _YEAR_RE.search(number):
            return ("doc", sc.code, number, year, date)
        return ("doc", sc.code, number, year)

    redirect: dict[tuple, tuple] = {}

    def merge(old: tuple, new: tuple) -> None:
        _absorb(nodes[new], nodes.pop(old))
        redirect[old] = new

    # 1. every corpus file and every citation gets a provisional key; edges are made at once with it
    corpus_keys: dict[str, tuple] = {}
    file_date: dict[str, str | None] = {}        # each corpus file's own date
    names: list[tuple[tuple, str]] = []          # (node key, law name) to give after the merges
    for x in extractions:
        path, doc = intern(x["path"]), x["document"]
        tag = _file_tag(path)
        ctx = PlaceContext(doc, _text_places(x))
        kind = doc.get("kind") or "document"
        if doc.get("number") and kind != "news":
            sc = citation_scope({"number": doc["number"], "issuer": doc.get("issuer"),
                                 "issuer_code": doc.get("issuer_code"), "issuer_place": doc.get("place")},
                                ctx, tag, vocab, path)
            key = doc_key(sc, doc["number"], doc.get("date"))
            other = nodes.get(key)
            if other is not None and other.in_corpus:
                if key[3] is None:            # no year to tell them apart: two files are not one document
                    ambiguous.append(f"{path}: {doc['number']} ({sc.label}) without a year, like the corpus file "
                                     f"{other.path}: kept apart")
                    key = ("file", path)
                else:
                    log.append(f"{path} is the corpus file {other.path} again: {doc['number']} of {sc.label}, "
                               f"{doc.get('date') or key[3]}")
        else:
            level = doc.get("level")
            sc = ctx.unit(level) if level in LEVELS else (CENTRAL if level == "central" else None)
            if sc is None and level not in LEVELS:        # level unknown (a news article): its province
                sc = ctx.unit("province")
            sc = sc or Scope(f"x-{tag}", "unknown", f"place unknown ({path})", "unresolved",
                             "the file does not say where it was issued")
            key = ("file", path)
        fmt = (x.get("source") or {}).get("format")
        n = node(key, number=doc.get("number"), type=doc.get("type"), type_label=doc.get("type_label"),
                 year=key[3] if key[0] == "doc" else (doc.get("date") or "")[:4] or None,
                 issuer_code=doc.get("issuer_code"))
        if n.path is None:                    # the first corpus file of this document: its path and format
            n.path, n.source_format, n.kind = path, fmt, intern(kind)
            n.title = doc.get("title") or n.title                   # the document's own words win
            n.issuer_as_written = intern(doc["issuer"]) if doc.get("issuer") else n.issuer_as_written
            n.own_date = doc.get("date")
        else:
            note = f"also the corpus file {path} ({fmt or '?'})"
            if note not in n.notes:
                n.notes.append(note)
        _add_date(n, doc.get("date"), 1, (path,))
        n.in_corpus, n.scope = True, sc
        if sc.status != "resolved":           # a file whose own place is not known is not identified either
            n.status = "unresolved"
            unresolved.setdefault(f"{path} (the corpus file itself): {sc.reason or sc.label}")
        src = corpus_keys[path] = n.key
        file_date[path] = doc.get("date")
        # a news article reports on documents: whatever verb it uses ("triển khai", "căn cứ"), it only cites
        # them (pg:cites); the verb stays in each mention's trigger
        news = kind == "news"

        first_seen: dict[str, dict] = {}
        by_number: dict[str, tuple] = {}
        texts: dict = {}                          # one string (or stored ref) per distinct evidence sentence
        for c in x["citations"]:
            prior = first_seen.get(c["number"])
            if prior is not None and not c.get("date") and not c.get("issuer"):
                c = {**c, "date": prior.get("date"), "issuer": prior.get("issuer"),
                     "issuer_place": prior.get("issuer_place"), "issuer_code": prior.get("issuer_code")}
                own_date = None               # the date is the earlier mention's: counted once
            else:
                own_date = c.get("date")
                if prior is None:
                    first_seen[c["number"]] = c
            sc = citation_scope(c, ctx, tag, vocab, path)
            key = doc_key(sc, c["number"], c.get("date"))
            n = node(key, number=c["number"], type=c.get("type"), type_label=c.get("type_label"),
                     title=c.get("title"), year=key[3], issuer_as_written=c.get("issuer"),
                     issuer_code=c.get("issuer_code"))
            _add_date(n, own_date, 1, (path,))
            n.scope = sc if n.scope is CENTRAL or n.scope.status != "resolved" else n.scope
            if sc.status != "resolved":
                n.status = "unresolved"
                unresolved.setdefault(f"{c['number']} cited in {path}: {sc.reason}")
            if c.get("as_written") and c["as_written"].replace(" ", "") != c["number"]:
                note = f"written '{c['as_written']}' in {path}"
                if note not in n.notes:
                    n.notes.append(note)
            by_number.setdefault(c["number"], n.key)
            for rel in ("cites",) if news else (c["relation"], *c.get("also", ())):   # "Thay thế, bãi bỏ … B"
                edges.append(make_edge(src, n.key, intern(rel), path, c["start"], c["end"], c["text"],
                                       intern(c["trigger"]) if c.get("trigger") else None, c.get("evidence") or "",
                                       issuer=intern(c["issuer"]) if c.get("issuer") else None))
        for nr in x["named_refs"]:
            if nr.get("number") and nr["number"] in by_number:
                names.append((by_number[nr["number"]], nr["name"]))
                by_number.setdefault(nr["name"], by_number[nr["number"]])
                continue
            lkey = ("law", _slug(nr["name"]), (nr.get("date") or "")[:4] or None)
            n = node(lkey, name=nr["name"], title=nr["name"], type=nr["kind"], date=nr.get("date"),
                     year=lkey[2], issuer=nr.get("issuer"), issuer_code=nr.get("issuer_code"))
            n.scope, n.kind = CENTRAL, "law-name"
            by_number.setdefault(nr["name"], n.key)
            edges.append(make_edge(src, n.key, "cites" if news else intern(nr["relation"]), path, nr["start"],
                                   nr["end"], nr["text"], intern(nr["trigger"]) if nr.get("trigger") else None,
                                   nr.get("evidence") or ""))
        for r in x["relations"]:
            for name in (r["source"], r["target"]):
                if name not in by_number and "/" not in name:     # a law named only inside another's name
                    n = node(("law", _slug(name), None), name=name, title=name, type="LUAT",
                             issuer=law_issuer.label if law_issuer else None,
                             issuer_code=law_issuer.code if law_issuer else None)
                    n.scope, n.kind = CENTRAL, "law-name"
                    by_number[name] = n.key
            s, t = by_number.get(r["source"]), by_number.get(r["target"])
            if s is None or t is None or s == t:
                why = ("the same document at both ends" if s == t and s is not None else
                       f"{' and '.join(x for x, k in ((r['source'], s), (r['target'], t)) if k is None)} "
                       f"not cited in the file")
                dropped.append(f"{path} [{r['start']}:{r['end']}]: a third-party statement '{r['trigger']}' "
                               f"({r['source']} {r['relation']} {r['target']}): {why}: not an edge")
                continue
            edges.append(make_edge(s, t, intern(r["relation"]), path, r["start"], r["end"], r["trigger"],
                                   intern(r["trigger"]), r["evidence"], third_party=True))

    # 2. a citation whose issuer is not known at all (no body of the vocabulary, no place word) but which gives
    #    a full date is the only document of a known jurisdiction with that number and date ("600/QĐ-LĐTBXH
    #    ngày 29/5/2020" read once with "của Bộ Lao động…", elsewhere without); with several, it is ambiguous
    by_day: dict[tuple, list[tuple]] = defaultdict(list)
    for key, n in nodes.items():
        if key[0] == "doc":
            day = key[4] if len(key) > 4 else n.date if n.date and len(n.date) == 10 and n.dates is None else None
            if day:
                by_day[(key[2], day)].append(key)
    for (number, day), keys in sorted(by_day.items()):
        unknown = sorted(k for k in keys if nodes[k].scope.level == "unknown")
        if not unknown or len(keys) < 2:
            continue
        known = sorted(k for k in keys if nodes[k].scope.level != "unknown" and nodes[k].scope.status == "resolved")
        if len(known) > 1:
            ambiguous.append(f"{number} of {day} cited without its issuer in {len(unknown)} file(s) "
                             f"({', '.join(nodes[k].date_file or '?' for k in unknown[:FILES_LISTED])}) could be "
                             f"that of {' or '.join(nodes[k].scope.label for k in known)}: kept apart")
            continue
        if not known:                             # two files' unknown issuers: nothing says they are one body
            continue
        target = known[0]
        for k in unknown:
            if k != target:
                log.append(f"{number} of {day} cited without its issuer in {nodes[k].date_file or '?'} is "
                           f"{number} of {nodes[target].scope.label}: same number and date")
                merge(k, target)
    del by_day

    # 3. one body's number in one year is one document when the dates agree; full dates that disagree are
    #    two documents (reported; a later mention without a day cannot tell which, and is kept apart too)
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for key in nodes:
        if key[0] == "doc" and len(key) > 4:
            groups[key[:4]].append(key)
    #    A dated document keeps its dated key (and IRI) even when it is the only one: its IRI must not depend
    #    on whether another file cites another document with the same number that year.
    for base, keys in sorted(groups.items(), key=lambda kv: _sort_key(kv[0])):
        if len(keys) == 1:
            if base in nodes:                     # mentions giving only the year (or month) of the one dated
                day, part = keys[0][4], nodes[base].date
                if all(day.startswith(d) for d in _date_table(nodes[base])):
                    log.append(f"{base[2]} ({nodes[base].scope.label}, {base[3]}) cited without its full date is "
                               f"{base[2]} of {day}: the only one of that year with a full date")
                    merge(base, keys[0])
                else:
                    nodes[base].status = "ambiguous"
                    ambiguous.append(f"{base[2]} ({nodes[base].scope.label}) is cited as of {part} and as of "
                                     f"{day}: kept apart")
            continue
        ns = [nodes[k] for k in sorted(keys)]
        label = ns[0].scope.label
        what = "; ".join(f"{n.date} ({n.date_n} mention{'s' if n.date_n != 1 else ''}, "
                         f"{'the corpus file ' + n.path if n.in_corpus else 'first in ' + (n.date_file or '?')})"
                         for n in ns)
        ambiguous.append(f"{base[2]} ({label}, {base[3]}) is cited with {len(ns)} different dates: {what}: "
                         f"kept apart as {len(ns)} documents")
        if base in nodes:
            nodes[base].status = "ambiguous"
            ambiguous.append(f"{base[2]} ({label}, {base[3]}) cited without a full date could be any of them: "
                             f"kept apart")
    del groups

    # 4. a key without a year joins the only dated document with the same jurisdiction and number that the
    #    citing files could cite: a document cannot cite one issued after it (a file of 10/4/2019 citing
    #    "Kế hoạch số 105/KH-UBND" does not mean the 105/KH-UBND of 14/5/2024)
    by_base: dict[tuple, list[tuple]] = defaultdict(list)
    for key in nodes:
        if key[0] == "doc" and key[3] is not None:
            by_base[key[:3]].append(key)
    yearless = {k for k in nodes if k[0] == "doc" and k[3] is None and by_base.get(k[:3])}
    citing: dict[tuple, set] = defaultdict(set)           # yearless key -> the files that cite it
    if yearless:
        for e in edges:
            if e.target in yearless:
                citing[e.target].add(e.file)
    for key in sorted(yearless, key=_sort_key):
        dated = sorted(by_base[key[:3]], key=_sort_key)
        bound = sorted((file_date[f], f) for f in citing.get(key, ()) if file_date.get(f))
        later = [k for k in dated if bound and _after(nodes[k].date or k[3], bound[0][0])]
        possible = [k for k in dated if k not in later]
        too_late = (f"; not {', '.join(nodes[k].date or k[3] for k in later)}: issued after the citing "
                    f"{bound[0][1]} ({bound[0][0]})") if later else ""
        if len(possible) == 1:
            log.append(f"{key[2]} ({nodes[key].scope.label}) cited without a date is {key[2]} of "
                       f"{nodes[possible[0]].date or possible[0][3]}: the only dated document with that number and "
                       f"jurisdiction" + (" that the citing files could cite" + too_late if later else ""))
            merge(key, possible[0])
        elif len(possible) > 1:
            nodes[key].status = "ambiguous"
            ambiguous.append(f"{key[2]} ({nodes[key].scope.label}) cited without a date could be any of "
                             f"{', '.join(nodes[k].date or k[3] for k in possible)}: kept apart" + too_late)
        else:                                     # a document of an earlier year, not in the corpus
            ambiguous.append(f"{key[2]} ({nodes[key].scope.label}) cited without a date in "
                             f"{', '.join(sorted(citing.get(key, ()))[:FILES_LISTED])} is not "
                             f"{' or '.join(nodes[k].date or k[3] for k in later)}: issued after the citing "
                             f"{bound[0][1]} ({bound[0][0]}); kept apart")
    del by_base, citing

    # 4b. the same number of one body on the same day and month of two years: two documents (numbers restart
    #     every year), but a mistyped year is as likely ("59-NQ/TW ngày 24/01/2024" and "… 24/01/2025"): reported
    by_day_month: dict[tuple, list[tuple]] = defaultdict(list)
    for key, n in nodes.items():
        if key[0] == "doc" and n.date and len(n.date) == 10 and not _YEAR_RE.search(key[2]):
            by_day_month[(key[1], key[2], n.date[4:])].append(key)
    for (_code, number, _md), keys in sorted(by_day_month.items()):
        if len(keys) > 1:
            ns = sorted((nodes[k] for k in keys), key=lambda n: n.date)
            ambiguous.append(f"{number} ({ns[0].scope.label}) is cited as of {' and of '.join(n.date for n in ns)}: "
                             f"the same day of different years, perhaps a mistyped year; kept apart "
                             f"(first in {', '.join(n.path or n.date_file or '?' for n in ns)})")
    del by_day_month

    def final(key: tuple) -> tuple:
        while key in redirect:
            key = redirect[key]
        return key

    # 5. a corpus file without a number (not a news article) joins a cited document with its issuer (the
    #    jurisdiction and the body), type, full date and title — never one it cites itself ("thay thế Kế hoạch
    #    số 12/KH-UBND ngày 01/02/2023 về cải cách hành chính xã Tú Xuyên năm 2023" is another document)
    blank = {fkey: path for path, fkey in sorted(corpus_keys.items()) if fkey[0] == "file"
             and nodes[fkey].kind != "news" and nodes[fkey].type and nodes[fkey].title
             and nodes[fkey].scope.status == "resolved" and nodes[fkey].date and len(nodes[fkey].date) == 10
             and nodes[fkey].dates is None}
    if blank:
        cited_by_scope: dict[tuple, list[Node]] = defaultdict(list)
        for k, n in nodes.items():
            if k[0] == "doc" and not n.in_corpus and n.date and len(n.date) == 10 and n.dates is None:
                cited_by_scope[(n.scope.code, n.type, n.date)].append(n)
        own_cites: dict[tuple, set] = defaultdict(set)
        for e in edges:
            if e.source in blank:
                own_cites[e.source].add(final(e.target))
        for fkey, path in blank.items():
            f = nodes[fkey]
            body = _body_code(f, vocab)
            cands = [n for n in cited_by_scope.get((f.scope.code, f.type, f.date), ())
                     if not n.in_corpus and _same_title(n.title, f.title) and body is not None  # not taken
                     and _body_code(n, vocab) == body]
            mine = [n for n in cands if n.key in own_cites.get(fkey, ())]
            if mine:
                log.append(f"{path} (no number of its own) cites {', '.join(n.number for n in mine)} of the same "
                           f"issuer, type, date and title: it is not that document, kept apart")
                cands = [n for n in cands if n not in mine]
            if len(cands) == 1:
                log.append(f"{path} (no number of its own) is {cands[0].number} of {f.scope.label}: same issuer, "
                           f"type, date {f.date} and title")
                merge(fkey, cands[0].key)
            elif len(cands) > 1:
                ambiguous.append(f"{path} (no number) matches {len(cands)} cited documents "
                                 f"({', '.join(n.number for n in cands)}): kept apart")
        del cited_by_scope, own_cites

    named_as: dict[tuple, list[str]] = defaultdict(list)   # numbered law -> the names files give it with its number
    for key, name in names:
        law = nodes[final(key)]
        law.name = law.name or name
        if name not in named_as[law.key]:
            named_as[law.key].append(name)

    # 5b. a law cited by its name and date ("Bộ luật Lao động ngày 20/11/2019") is the numbered law of the
    #     National Assembly (or its Standing Committee) with that name and date — its name as cited with its
    #     number, or its type and title — when exactly one has them; a name with only a year ("Luật Đất đai năm
    #     2024") joins the only numbered law of that name and year.  Otherwise kept apart.
    by_law_name: dict[str, list[Node]] = defaultdict(list)
    for k, n in nodes.items():
        if k[0] == "doc" and n.number and _QH_LAW_RE.search(n.number):
            for nm in _law_names(n, named_as.get(k, ())):
                by_law_name[nm].append(n)
    for lkey in sorted((k for k in nodes if k[0] == "law" and k[2]), key=_sort_key):
        ln = nodes[lkey]
        d = ln.date or lkey[2]
        cands = []
        for n in by_law_name.get(lkey[1], ()):
            if len(d) == 10 and n.date and len(n.date) == 10:
                same = n.date == d
            else:
                same = n.year == d[:4] and (not n.date or n.date.startswith(d) or d.startswith(n.date))
            if same:
                cands.append(n)
        if len(cands) == 1:
            n = cands[0]
            how = f"date {d}" if len(d) == 10 and n.date == d else f"year {d[:4]}"
            log.append(f"{ln.name} ({d}) cited by its name is {n.number}: the only law of the National Assembly "
                       f"with that name and {how}")
            merge(lkey, n.key)
        elif len(cands) > 1:
            ambiguous.append(f"{ln.name} ({d}) cited by its name could be any of "
                             f"{', '.join(n.number for n in cands)}: kept apart")
    del by_law_name, named_as

    # 6. edges point at the merged nodes; each citation (not a third-party statement) is a mention
    if redirect:
        for e in edges:
            if e.source in redirect:
                e.source = final(e.source)
            if e.target in redirect:
                e.target = final(e.target)
    # a statement whose two ends became one document (a file citing itself, "A amends B" where A and B are one
    # law) is no edge: listed with its reason, never dropped silently
    if any(e.source == e.target for e in edges):
        kept = []
        for e in edges:
            if e.source != e.target:
                kept.append(e)
                continue
            n = nodes[e.source]
            what = n.number or n.name or n.path or "?"
            dropped.append(f"{e.file} [{e.start}:{e.end}]: {'a third-party statement' if e.third_party else 'a citation'}"
                           f" '{e.text}' ({e.relation}) has {what} at both ends: not an edge")
        edges[:] = kept
    last = None
    for e in edges:
        if not e.third_party and (e.file, e.start, e.target) != last:   # a mention's further relations: once
            nodes[e.target].mentions += 1
            last = (e.file, e.start, e.target)
    edges.sort(key=lambda e: (e.file, e.start, e.third_party, e.relation, _sort_key(e.source), _sort_key(e.target)))

    # 7. one date per document: where mentions disagree, the document's own, else one of the number's year,
    #    else the most cited (then the earliest); the disagreement is reported
    for key, n in nodes.items():
        if n.dates is None:
            continue
        full = {d: v for d, v in n.dates.items() if len(d) == 10} or n.dates
        if n.own_date in full:
            chosen, why = n.own_date, "the corpus file's own date"
        else:
            numbered_year = n.year if _YEAR_RE.search(n.number or "") else None
            pool = [d for d in full if d[:4] == numbered_year] or list(full)
            best = max(full[d][0] for d in pool)
            top = sorted(d for d in pool if full[d][0] == best)
            chosen = top[0]
            why = ", ".join(w for w, on in (("in the year its number carries", len(pool) < len(full)),
                                             ("the most mentions", len(top) < len(pool)),
                                             ("a tie: the earliest", len(top) > 1)) if on)
        n.date = intern(chosen)
        n.notes.append(f"cited with different dates: {_dates_text(n.dates)}")
        conflicts.append(f"{n.number or n.name or n.path} ({n.scope.label}, {n.year or 'year unknown'}): mentions "
                         f"give different dates, {_dates_text(n.dates)}; one document "
                         + ("(its number carries the year, unique for its issuer)" if n.number and
                            _YEAR_RE.search(n.number) else "(no full dates that disagree)")
                         + f"; date {chosen} kept ({why})")
        n.dates = None

    # 8. the issuing body's normalised name; a central number's code over a local one read from the text
    for key, n in nodes.items():
        if key[0] == "law":
            continue
        if n.scope.level == "central" and n.number:
            codes = number_issuer_codes(n.number, vocab)[0]
            if codes and codes[0] in vocab.issuer_by_code and (n.issuer_code or "").rstrip("0123456789") not in codes:
                n.issuer_code = intern(codes[0])
        if n.issuer_code:                         # a former code is its body's: one body, one issuer
            base = n.issuer_code.rstrip("0123456789")
            iss = vocab.issuer_by_code.get(base)
            if iss is not None and iss.code != base:
                n.issuer_code = intern(iss.code + n.issuer_code[len(base):])
        name = issuer_name(n, vocab)
        n.issuer = intern(name) if name else None

    # 9. explain every node that more than one file (or the corpus and a citation) speaks of
    files_of: dict[tuple, list] = {}              # key -> [number of files, last file, first FILES_LISTED files]
    for e in edges:                               # sorted by file: a file's mentions are consecutive
        if e.third_party:
            continue
        fs = files_of.get(e.target)
        if fs is None:
            files_of[e.target] = [1, e.file, [e.file]]
        elif fs[1] != e.file:
            fs[0] += 1
            fs[1] = e.file
            if len(fs[2]) < FILES_LISTED:
                fs[2].append(e.file)
    for key, n in nodes.items():
        got = files_of.get(key)
        if key[0] != "doc" or got is None or not (got[0] > 1 or n.in_corpus):
            continue
        fs = got[2]
        who = (f"the corpus file {n.path} and citations in " if n.in_corpus else "citations in ") + \
            (", ".join(fs) if got[0] <= FILES_LISTED else f"{got[0]} files ({', '.join(fs)}, …)")
        dated = n.date and len(n.date) == 10 and not _YEAR_RE.search(n.number or "") and \
            not any(x.startswith("cited with different dates") for x in n.notes)
        head = f"{n.number} ({n.scope.label}, {n.year or 'year unknown'}) is one document: {who} give the same number"
        if not dated:
            what = ", jurisdiction and year"
        else:
            total = n.mentions + (1 if n.in_corpus and n.own_date else 0)
            what = (f", jurisdiction and date {n.date}" if n.date_n >= total else
                    f" and jurisdiction; the date {n.date} is given by {n.date_n} of the {total} mentions (the others "
                    f"give none)")
        log.append(head + what + (f"; {'; '.join(n.notes)}" if n.notes else ""))
    if store is not None:
        store.flush()
    return Resolution(nodes=dict(sorted(nodes.items(), key=lambda kv: _sort_key(kv[0]))), edges=edges, log=log,
                      ambiguous=ambiguous, unresolved=list(unresolved), store=store, date_conflicts=conflicts,
                      dropped=dropped)


_QH_LAW_RE = re.compile(r"/(?:19|20)\d\d/(?:QH|UBTVQH)\d*$")
_DIGIT_CUT_RE = re.compile(r"\s\d")


def _law_names(n: Node, given: Iterable[str]) -> list[str]:
    """The names (as law-name slugs) a numbered law is known by: the names files give it with its number, and
    its type and title ("Bộ luật" + "LAO ĐỘNG"; a title in a table of laws is cut where a date starts,
    "Đầu tư 01/01/2021")."""
    out = [_slug(x) for x in (*given, n.name) if x]
    if n.title and n.type_label:
        full = f"{n.type_label} {n.title}"
        out.append(_slug(full))
        cut = _DIGIT_CUT_RE.split(full, 1)
        if len(cut) > 1:
            out.append(_slug(cut[0]))
    return list(dict.fromkeys(x for x in out if x))


def _body_code(n: Node, vocab) -> str | None:
    """The vocabulary code of the body that issued n (canonical: a former code is its body's), from its issuer
    code or, failing that, its number; None when unknown."""
    codes = [(n.issuer_code or "").rstrip("0123456789")]
    if n.number:
        codes += number_issuer_codes(n.number, vocab)[0]
    for c in codes:
        iss = vocab.issuer_by_code.get(c)
        if iss is not None:
            return iss.code
    return None


def _after(a: str, b: str) -> bool:
    """Date a (ISO, maybe partial) is certainly later than date b: compared at the precision both have."""
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def _sort_key(key: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in key)


def _same_title(a: str | None, b: str | None) -> bool:
    """Titles agree when most content words of the shorter appear in the longer."""
    if not a or not b:
        return False
    wa, wb = set(fold(a).split()), set(fold(b).split())
    small, big = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(small) >= 3 and len(small & big) / len(small) >= 0.8
