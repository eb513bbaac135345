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
- year: from the number (`61/2018/NĐ-CP`) or the date.  A later mention without a date in the same file is
  the same document as an earlier dated one (document-local coreference).  Across files, a citation without
  a year joins the only dated document with the same jurisdiction and number; with several, it is
  ambiguous and kept apart (reported).
- a corpus file is the node its own number/issuer/date gives; a file without a number joins a cited
  document with the same issuer, date and type whose cited title matches its own.

Every merge and every ambiguity is recorded with its reason (Resolution.log, the build report).
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
    issuer: str | None = None
    issuer_code: str | None = None
    scope: Scope = CENTRAL
    in_corpus: bool = False
    path: str | None = None            # the corpus file, when in the corpus
    kind: str = "document"             # document | news | law-name
    source_format: str | None = None   # txt, docx, pdf … of the corpus file
    status: str = "resolved"           # resolved | ambiguous | unresolved
    notes: list[str] = field(default_factory=list)
    mentions: int = 0

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


@dataclass
class Resolution:
    nodes: dict[tuple, Node]
    edges: list[Edge]
    log: list[str]                     # merge decisions, in order
    ambiguous: list[str]
    unresolved: list[str]
    store: TextStore | None = None     # where the edges' text and evidence are, when not in memory


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


def _new_edge(cls, source, target, relation, file, start, end, text_ref, trigger, evidence_ref, third_party=False):
    e = cls.__new__(cls)
    e.source, e.target, e.relation, e.file, e.start, e.end = source, target, relation, file, start, end
    e.trigger, e.third_party, e.text_ref, e.evidence_ref = trigger, third_party, text_ref, evidence_ref
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


def _file_scope(sc: Scope, file_tag: str) -> Scope:
    """A place that did not resolve to one unit is only known to be *some* place named so: the code is
    made specific to the citing file, so two files never share a document through an unresolved place
    (two provinces' "249/KH-UBND", two communes named "Tân Lập")."""
    if sc.status == "resolved" or sc.code.startswith("x-"):
        return sc
    return Scope(f"x-{file_tag}-{sc.code.removeprefix('vn-?-')}", sc.level, f"{sc.label} (in {file_tag})",
                 sc.status, sc.reason)


def citation_scope(c: dict, ctx: PlaceContext, file_tag: str, vocab) -> Scope:
    code = c.get("issuer_code") or ""
    base = code.rstrip("0123456789")
    level, central = _issuer_level(c.get("issuer"), base, vocab)
    if central or base in ("QH", "UBTVQH"):
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
        return _file_scope(sc, file_tag)
    if level in LEVELS:
        unit = ctx.unit(level)
        if unit is not None:
            return unit
        return Scope(f"x-{file_tag}-{level[0]}", level, f"{level} not named (cited in {file_tag})", "unresolved",
                     f"the citation says only '{c.get('issuer') or code}' and {file_tag} does not say which {level}")
    return Scope(f"x-{file_tag}", "unknown", f"issuer unknown (cited in {file_tag})", "unresolved",
                 f"no issuer for {c['number']} in {file_tag}")


_YEAR_RE = re.compile(r"/((?:19|20)\d\d)/")


def _year(number: str, date: str | None) -> str | None:
    m = _YEAR_RE.search(number)
    if m:
        return m.group(1)
    return date[:4] if date else None


def _file_tag(path: str) -> str:
    """A short tag unique to the file: its name's slug and a hash of its whole path (two folders may both
    hold a "ke-hoach.txt")."""
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
SHARED_ATTRS = frozenset({"type", "type_label", "issuer", "issuer_code", "date", "year", "kind"})  # interned


def resolve(extractions: Iterable[dict], store: TextStore | None = None) -> Resolution:
    """Nodes and edges of the whole corpus, from `Extraction.to_json()` dicts.

    A list is sorted by path here; any other iterable must come in path order, and is consumed once,
    one extraction at a time: nothing of an extraction is kept but the lean edges and the nodes, so a
    caller can stream a large corpus from the cache.  With a TextStore, the edges' matched text and evidence
    go to its file instead of memory."""
    if isinstance(extractions, list):
        extractions = sorted(extractions, key=lambda e: e["path"])
    vocab = vocabulary.load()
    nodes: dict[tuple, Node] = {}
    log: list[str] = []
    ambiguous: list[str] = []
    unresolved: dict[str, None] = {}
    edges: list[Edge] = []
    intern = sys.intern
    if store is not None:
        stored = _stored_edge_class(store)

        def make_edge(source, target, relation, file, start, end, text, trigger, evidence, third_party=False):
            ref = texts.get(evidence)
            if ref is None:
                ref = texts[evidence] = store.add(evidence)
            return _new_edge(stored, source, target, relation, file, start, end, store.add(text), trigger, ref,
                             third_party)
    else:
        def make_edge(source, target, relation, file, start, end, text, trigger, evidence, third_party=False):
            return Edge(source, target, relation, file, start, end, text, trigger, texts.setdefault(evidence, evidence),
                        third_party)

    def node(key: tuple, **attrs) -> Node:
        n = nodes.get(key)
        if n is None:
            n = nodes[key] = Node(key=key)
        for k, v in attrs.items():
            if v is not None and getattr(n, k) in (None, "", False):
                setattr(n, k, intern(v) if k in SHARED_ATTRS and isinstance(v, str) else v)
        return n

    # 1. every corpus file and every citation gets a provisional key; edges are made at once with it
    corpus_keys: dict[str, tuple] = {}
    names: list[tuple[tuple, str]] = []          # (node key, law name) to give after the merges
    for x in extractions:
        path, doc = intern(x["path"]), x["document"]
        tag = _file_tag(path)
        ctx = PlaceContext(doc, _text_places(x))
        if doc.get("number"):
            sc = citation_scope({"number": doc["number"], "issuer": doc.get("issuer"),
                                 "issuer_code": doc.get("issuer_code"), "issuer_place": doc.get("place")},
                                ctx, tag, vocab)
            key = ("doc", sc.code, doc["number"], _year(doc["number"], doc.get("date")))
            other = nodes.get(key)
            if other is not None and other.in_corpus:
                if key[3] is None:            # no year to tell them apart: two files are not one document
                    ambiguous.append(f"{path}: {doc['number']} ({sc.label}) without a year, like the corpus file "
                                     f"{other.path}: kept apart")
                    key = ("file", path)
                else:
                    log.append(f"{path} is the corpus file {other.path} again: {doc['number']} of {sc.label}, "
                               f"{key[3]}")
        else:
            level = doc.get("level")
            sc = ctx.unit(level) if level in LEVELS else (CENTRAL if level == "central" else None)
            sc = sc or Scope(f"x-{tag}", "unknown", f"(file {tag})", "unresolved")
            key = ("file", path)
        n = node(key, number=doc.get("number"), type=doc.get("type"), type_label=doc.get("type_label"),
                 title=doc.get("title"), date=doc.get("date"), year=(doc.get("date") or "")[:4] or None,
                 issuer=doc.get("issuer"), issuer_code=doc.get("issuer_code"), path=path, kind=doc.get("kind"))
        n.in_corpus, n.scope = True, sc
        n.source_format = (x.get("source") or {}).get("format") or n.source_format
        src = corpus_keys[path] = n.key

        first_seen: dict[str, dict] = {}
        by_number: dict[str, tuple] = {}
        texts: dict = {}                          # one string (or stored ref) per distinct evidence sentence
        for c in x["citations"]:
            prior = first_seen.get(c["number"])
            if prior is not None and not c.get("date") and not c.get("issuer"):
                c = {**c, "date": prior.get("date"), "issuer": prior.get("issuer"),
                     "issuer_place": prior.get("issuer_place"), "issuer_code": prior.get("issuer_code")}
            elif prior is None:
                first_seen[c["number"]] = c
            sc = citation_scope(c, ctx, tag, vocab)
            key = ("doc", sc.code, c["number"], _year(c["number"], c.get("date")))
            n = node(key, number=c["number"], type=c.get("type"), type_label=c.get("type_label"),
                     title=c.get("title"), date=c.get("date"), year=key[3], issuer=c.get("issuer"),
                     issuer_code=c.get("issuer_code"))
            n.scope = sc if n.scope is CENTRAL or n.scope.status != "resolved" else n.scope
            if sc.status != "resolved":
                n.status = "unresolved"
                unresolved.setdefault(f"{c['number']} cited in {path}: {sc.reason}")
            if c.get("as_written") and c["as_written"].replace(" ", "") != c["number"]:
                note = f"written '{c['as_written']}' in {path}"
                if note not in n.notes:
                    n.notes.append(note)
            by_number.setdefault(c["number"], n.key)
            edges.append(make_edge(src, n.key, intern(c["relation"]), path, c["start"], c["end"], c["text"],
                                   intern(c["trigger"]) if c.get("trigger") else None, c.get("evidence", "")))
        for nr in x["named_refs"]:
            if nr.get("number") and nr["number"] in by_number:
                names.append((by_number[nr["number"]], nr["name"]))
                by_number.setdefault(nr["name"], by_number[nr["number"]])
                continue
            lkey = ("law", _slug(nr["name"]), (nr.get("date") or "")[:4] or None)
            n = node(lkey, name=nr["name"], title=nr["name"], type=nr["kind"], date=nr.get("date"),
                     year=lkey[2], kind="law-name")
            n.scope = CENTRAL
            by_number.setdefault(nr["name"], n.key)
            edges.append(make_edge(src, n.key, intern(nr["relation"]), path, nr["start"], nr["end"], nr["text"],
                                   intern(nr["trigger"]) if nr.get("trigger") else None, ""))
        for r in x["relations"]:
            for name in (r["source"], r["target"]):
                if name not in by_number and "/" not in name:     # a law named only inside another's name
                    n = node(("law", _slug(name), None), name=name, title=name, type="LUAT", kind="law-name")
                    n.scope = CENTRAL
                    by_number[name] = n.key
            s, t = by_number.get(r["source"]), by_number.get(r["target"])
            if s is None or t is None or s == t:
                continue
            edges.append(make_edge(s, t, intern(r["relation"]), path, r["start"], r["end"], r["trigger"],
                                   intern(r["trigger"]), r["evidence"], third_party=True))

    # 2. a key without a year joins the only dated document with the same jurisdiction and number
    by_base: dict[tuple, list[tuple]] = defaultdict(list)
    for key in nodes:
        if key[0] == "doc" and key[3] is not None:
            by_base[key[:3]].append(key)
    redirect: dict[tuple, tuple] = {}
    for key in sorted(k for k in nodes if k[0] == "doc" and k[3] is None):
        dated = sorted(by_base.get(key[:3], []))
        if len(dated) == 1:
            redirect[key] = dated[0]
            log.append(f"{key[2]} ({nodes[key].scope.label}) cited without a date is {key[2]} of {dated[0][3]}: "
                       f"the only dated document with that number and jurisdiction")
        elif len(dated) > 1:
            nodes[key].status = "ambiguous"
            ambiguous.append(f"{key[2]} ({nodes[key].scope.label}) cited without a date could be any of the "
                             f"years {', '.join(k[3] for k in dated)}: kept apart")
    del by_base

    # 3. a corpus file without a number joins a cited document with its issuer, date and title
    cited_by_scope: dict[tuple, list[Node]] | None = None
    for path, fkey in sorted(corpus_keys.items()):
        if fkey[0] != "file":
            continue
        f = nodes[fkey]
        if not (f.date and f.type and f.title) or f.scope.status != "resolved":
            continue
        if cited_by_scope is None:                # indexed once, on the first file that needs it
            cited_by_scope = defaultdict(list)
            for k, n in nodes.items():
                if k[0] == "doc" and not n.in_corpus and n.date:
                    cited_by_scope[(n.scope.code, n.type)].append(n)
        cands = [n for n in cited_by_scope.get((f.scope.code, f.type), ())
                 if n.date.startswith(f.date) and _same_title(n.title, f.title)]
        if len(cands) == 1:
            redirect[fkey] = cands[0].key
            log.append(f"{path} (no number of its own) is {cands[0].number} of {f.scope.label}: same issuer, "
                       f"type, date {cands[0].date} and title")
        elif len(cands) > 1:
            ambiguous.append(f"{path} (no number) matches {len(cands)} cited documents: kept apart")
    del cited_by_scope

    for old, new in redirect.items():
        a, b = nodes.pop(old), nodes[new]
        for attr in ("title", "date", "issuer", "issuer_code", "type", "type_label", "path", "kind", "number",
                     "source_format", "name"):
            if getattr(b, attr) in (None, "") and getattr(a, attr):
                setattr(b, attr, getattr(a, attr))
        b.in_corpus = b.in_corpus or a.in_corpus
        b.notes.extend(n for n in a.notes if n not in b.notes)
        if a.in_corpus:
            b.scope = a.scope if a.scope.status == "resolved" else b.scope

    def final(key: tuple) -> tuple:
        while key in redirect:
            key = redirect[key]
        return key

    for key, name in names:
        law = nodes[final(key)]
        law.name = law.name or name

    # 4. edges point at the merged nodes; each citation (not a third-party statement) is a mention
    if redirect:
        for e in edges:
            if e.source in redirect:
                e.source = final(e.source)
            if e.target in redirect:
                e.target = final(e.target)
    for e in edges:
        if not e.third_party:
            nodes[e.target].mentions += 1
    edges.sort(key=lambda e: (e.file, e.start, e.third_party, e.relation, _sort_key(e.source), _sort_key(e.target)))

    # 5. explain every node that more than one file (or the corpus and a citation) speaks of
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
        log.append(f"{n.number} ({n.scope.label}, {n.year or 'year unknown'}) is one document: {who} give the "
                   f"same number, jurisdiction and year" + (f"; {'; '.join(n.notes)}" if n.notes else ""))
    if store is not None:
        store.flush()
    return Resolution(nodes=dict(sorted(nodes.items(), key=lambda kv: _sort_key(kv[0]))), edges=edges, log=log,
                      ambiguous=ambiguous, unresolved=list(unresolved), store=store)


def _sort_key(key: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in key)


def _same_title(a: str | None, b: str | None) -> bool:
    """Titles agree when most content words of the shorter appear in the longer."""
    if not a or not b:
        return False
    wa, wb = set(fold(a).split()), set(fold(b).split())
    small, big = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(small) >= 3 and len(small & big) / len(small) >= 0.8
