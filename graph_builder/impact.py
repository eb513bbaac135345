"""Impact check: a document changed — which documents below it must be reviewed, by whom, and why.

Downstream of REF are the documents that are based on, implement or guide it, directly or through a chain
("Kế hoạch xã thực hiện Kế hoạch huyện thực hiện Kế hoạch tỉnh căn cứ Nghị quyết 76/NQ-CP").  Documents
that merely cite REF are listed apart (weaker impact).  When REF has itself been replaced, repealed, amended
or suspended, its successors are given.  `stale_bases` runs the same question over the whole graph.
"""
from __future__ import annotations

import bisect
import gc
import html
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

from . import refs
from .refs import RefError, find_ref, has_number
from .textcut import clip_words

__all__ = ["RefError", "find_ref", "impact", "prepare", "ImpactResult", "Impacted", "Hop", "stale_bases", "Stale",
           "unresolved_refs", "Unresolved", "parse_as_of", "impact_report", "check_report", "render_text",
           "render_markdown", "render_html", "md_escape", "to_json", "check_json", "ref_error_json", "render",
           "excerpt", "clip_words", "Words", "STRONG", "CHANGES"]

STRONG = ("based_on", "implements", "guides")
CHANGES = ("replaces", "repeals", "amends", "suspends")


def excerpt(evidence: str, text: str, width: int = 240) -> str:
    """The part of a (long) evidence sentence around the matched citation text, cut between words."""
    evidence = " ".join((evidence or "").split())
    if len(evidence) <= width:
        return evidence
    needle = " ".join((text or "").split())[:40]
    i = evidence.find(needle) if needle else -1
    start = max(0, i - width // 3) if i >= 0 else 0
    end = min(len(evidence), start + width)
    if start:                                   # forward to the next word
        k = evidence.find(" ", start, i if i > start else end)
        start = k + 1 if k >= 0 else start
    if end < len(evidence):                     # back to the end of a word
        k = evidence.rfind(" ", max(start, i + len(needle)) if i >= 0 else start, end)
        end = k if k > start else end
    return ("…" if start else "") + evidence[start:end].strip() + ("…" if end < len(evidence) else "")


def parse_as_of(value: str) -> str:
    """An --as-of date as ISO text: "2022", "2022-12", "2022-12-31", "31/12/2022" (also "1/2/2022") and
    "12/2022" are read; anything else, or a day that does not exist, raises ValueError."""
    import datetime
    v = (value or "").strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", v)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
    else:
        m = re.fullmatch(r"(?:(\d{1,2})[/.])?(\d{1,2})[/.](\d{4})", v)
        if not m:
            raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or dd/mm/yyyy")
        d, mo, y = m.group(1), m.group(2), m.group(3)
    try:
        datetime.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if d else "")


@dataclass
class Hop:
    source: str                 # the downstream document
    target: str                 # the document it is based on / implements
    relation: str
    evidence: str
    file: str
    trigger: str
    third_party: bool
    text: str = ""              # the matched citation text
    start: int | None = None    # offsets of the mention in `file`
    end: int | None = None

class Impacted:
    """A document reached from REF: its first hop (this document -> the next one up) and, through `up`,
    the rest of the chain; the path is built only when asked for (a hub has tens of thousands of these)."""
    __slots__ = ("node", "depth", "up", "_to", "_data")

    def __init__(self, node: str, depth: int, to: str, data: dict, up: "Impacted | None"):
        self.node, self.depth, self.up, self._to, self._data = node, depth, up, to, data

    @property
    def relation(self) -> str:
        """The relation of the first hop (this document -> the next one up)."""
        return self._data["relation"]

    @property
    def hop(self) -> Hop:
        return _hop(self.node, self._to, self._data)

    @property
    def path(self) -> list[Hop]:
        """The hops from this document up to REF."""
        out, i = [], self
        while i is not None:
            out.append(i.hop)
            i = i.up
        return out


class Reached(Sequence):
    """The documents a traversal reached, in listing order (depth, then date, label, IRI), as `Impacted`
    items made when first looked at: the traversal itself records only integers (for a hub of 74k documents
    at 100k, making every item and its edge up front took twice as long as the traversal)."""

    SCAN_UP_TO = 32         # edges into a document up to which the one taken is found by scanning them

    def __init__(self, ix: "_Index", root: int, node: list[int], parent: list[int], ends: list[int],
                 order: list[int]):
        self._ix, self._root = ix, root
        self._node, self._parent = node, parent    # by slot (the order reached): the document, the one above it
        self._ends = ends                           # where each depth's slots end
        self._order = order                         # documents in listing order
        self._slot: dict[int, int] | None = None
        self._made: dict[int, Impacted] = {}
        self._first: dict[int, dict[int, int]] = {}       # see _edge

    def _item(self, u: int) -> Impacted:
        item = self._made.get(u)
        if item is None:
            if self._slot is None:
                self._slot = {v: k for k, v in enumerate(self._node)}
            ix, k = self._ix, self._slot[u]
            p = self._parent[k]
            data = ix.datas[p][self._edge(p, u)]
            item = Impacted(ix.names[u], bisect.bisect_right(self._ends, k) + 1, ix.names[p], data,
                            None if p == self._root else self._item(p))
            self._made[u] = item
        return item

    def _edge(self, p: int, u: int) -> int:
        """The place of the edge the traversal took from u into p among those into p: the first from u (the
        later ones found u seen).  Looked up in a dict for a document with many edges in (a provincial plan
        with 41k: a scan of the list for each of them took 10 s)."""
        sources = self._ix.sources[p]
        if len(sources) <= self.SCAN_UP_TO:
            return sources.index(u)
        first = self._first.get(p)
        if first is None:
            first = self._first[p] = {}
            for j, v in enumerate(sources):
                first.setdefault(v, j)
        return first[u]

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._item(u) for u in self._order[k]]
        return self._item(self._order[k])

    def __iter__(self):
        return map(self._item, self._order)

    def __repr__(self) -> str:
        return f"Reached({len(self)} documents)"


@dataclass
class ImpactResult:
    ref: str
    downstream: Sequence[Impacted] = field(default_factory=list)
    citing: list[Impacted] = field(default_factory=list)
    successors: list[tuple[str, str, Hop]] = field(default_factory=list)   # (successor, relation, evidence)
    as_of: str | None = None


def _date_ok(d: dict, as_of: str | None) -> bool:
    return as_of is None or not d.get("date") or d["date"][:len(as_of)] <= as_of


def _hop(u: str, v: str, data: dict, m: dict | None = None) -> Hop:
    """The hop u -> v of an edge, supported by mention `m` (by default the edge's first)."""
    m = data["mentions"][0] if m is None else m
    return Hop(u, v, data["relation"], m.get("evidence", ""), m.get("file", ""), m.get("trigger", ""),
               bool(data.get("third_party")), m.get("text", ""), m.get("start"), m.get("end"))


def _in_edges(g: nx.MultiDiGraph, node: str) -> list[tuple[str, dict]]:
    """(source, edge data) of the edges into `node`, in a stable order (source, then relation key)."""
    return [(u, keyed[k]) for u, keyed in sorted(g._pred[node].items()) for k in sorted(keyed)]


def _in_edges_of(pred: dict, relations) -> list[tuple[str, dict]]:
    """`_in_edges` of a node's predecessor dict, only the edges whose relation is in `relations`; only those are
    put in order (a national hub has tens of thousands of edges in, most of another relation)."""
    found = [(u, k, data) for u, keyed in pred.items() for k, data in keyed.items() if data["relation"] in relations]
    if len(found) > 1:
        found.sort(key=lambda t: (t[0], t[1]))
    return [(u, data) for u, _k, data in found]


class _Index:
    """What a traversal needs of a graph, by integer: each document's number (`ids`, `names`); the
    based_on / implements / guides edges into it as source numbers (`sources`) and edge data (`datas`) in
    `_in_edges` order — filled when a traversal first reaches it and kept with the graph, so a traversal
    touches only these edges, does no sorting and marks what it has seen in a bytearray; and, made on
    first use, every document's place in the order answers are listed in (date, label, IRI), so that a
    large answer is sorted by one integer each instead of a tuple of strings."""

    def __init__(self, g: nx.MultiDiGraph):
        self.pred = g._pred
        self.attrs = g._node
        self.names = list(g._node)
        self.ids = {n: i for i, n in enumerate(self.names)}
        self.size = len(self.names)
        self.sources: list[list[int] | None] = [None] * self.size
        self.datas: list[list[dict] | None] = [None] * self.size
        self._rank: list[int] | None = None
        self._others: dict[int, list[tuple[str, int, dict]]] = {}

    def strong_in(self, i: int) -> list[int]:
        found = self.sources[i]
        if found is None:
            edges, ids = _in_edges_of(self.pred[self.names[i]], STRONG), self.ids
            found = self.sources[i] = [ids[u] for u, _d in edges]
            self.datas[i] = [d for _u, d in edges]
        return found

    def others_in(self, i: int) -> list[tuple[str, int, dict]]:
        """The cites / replaces / repeals / amends edges into document i, in `_in_edges` order (kept for the
        last OTHERS_KEPT REFs asked: a national hub has tens of thousands of edges in)."""
        got = self._others.get(i)
        if got is None:
            if len(self._others) >= OTHERS_KEPT:
                del self._others[next(iter(self._others))]
            got = self._others[i] = [(u, self.ids[u], data)
                                     for u, data in _in_edges_of(self.pred[self.names[i]], ("cites", *CHANGES))]
        return got

    def listing_key(self, n: int):
        """The sort key (of a document number) of an answer of n documents: its rank when the rank exists or n
        is large enough to be worth making it, else its (date, label, IRI) — the same order."""
        return self.rank.__getitem__ if self._rank is not None or n > RANKED_ABOVE else self.order_key

    def order_key(self, i: int) -> tuple:
        n = self.names[i]
        d = self.attrs[n]
        return (d.get("date") or "9999", d.get("label", ""), n)

    @property
    def rank(self) -> list[int]:
        if self._rank is None:
            rank = [0] * self.size
            for r, i in enumerate(sorted(range(self.size), key=self.order_key)):
                rank[i] = r
            self._rank = rank
        return self._rank


_INDEX: "weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index]" = weakref.WeakKeyDictionary()
RANKED_ABOVE = 5000     # answers longer than this are sorted by the graph's rank (made once, then kept)
OTHERS_KEPT = 64        # REFs whose other edges in are kept


def _index(g: nx.MultiDiGraph) -> _Index:
    hit = _INDEX.get(g)
    if hit is None or hit.size != len(g._node):     # (networkx counts edges by walking every node: too slow)
        hit = _INDEX[g] = _Index(g)
    return hit


def prepare(g: nx.MultiDiGraph) -> None:
    """Make now what the first impact check on a large graph would otherwise make: find_ref's number index and
    the listing rank (at 1M documents, seconds each).  `plangraph serve` calls it once the graph is loaded."""
    refs._index(g)
    _index(g).rank


def impact(g: nx.MultiDiGraph, ref_node: str, as_of: str | None = None) -> ImpactResult:
    """Breadth-first up the based_on / implements / guides edges into REF: each document once, at its
    smallest depth, through the first (source-ordered) chain that reaches it.  The cyclic garbage collector
    is paused meanwhile: the traversal makes no cycles, and a full collection walks every object of a large
    graph (about 0.1 s per 10k documents, more than the traversal itself)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _impact(g, ref_node, as_of)
    finally:
        if enabled:
            gc.enable()


def _impact(g: nx.MultiDiGraph, ref_node: str, as_of: str | None) -> ImpactResult:
    res = ImpactResult(ref=ref_node, as_of=as_of)
    attrs = g._node
    ix = _index(g)
    names, sources, strong_in = ix.names, ix.sources, ix.strong_in
    seen = bytearray(ix.size)
    r = ix.ids[ref_node]
    seen[r] = 1
    # what was reached, in the order reached: the document and the one above it
    node: list[int] = []
    parent: list[int] = []
    ends: list[int] = []
    new_node, new_parent = node.append, parent.append
    level = [r]
    while level:                 # one depth at a time, each in the order it was reached (a FIFO queue's order)
        start = len(node)
        for i in level:
            found = sources[i]
            if found is None:
                found = strong_in(i)
            for u in found:
                if seen[u] or (as_of and not _date_ok(attrs[names[u]], as_of)):
                    continue
                seen[u] = 1
                new_node(u)
                new_parent(i)
        ends.append(len(node))
        level = node[start:]
    # listed by depth, then date, label and IRI
    key = ix.listing_key(len(node))
    order = [u for a, b in zip([0, *ends], ends) for u in sorted(node[a:b], key=key)]
    res.downstream = Reached(ix, r, node, parent, ends, order)
    # the edges into REF that are neither strong nor already traversed
    cited_by: list[tuple[int, str, dict]] = []
    for u, uid, data in ix.others_in(r):
        rel = data["relation"]
        if rel == "cites":
            if not seen[uid] and (as_of is None or _date_ok(attrs[u], as_of)):
                seen[uid] = 1
                cited_by.append((uid, u, data))
        elif as_of is None or _date_ok(attrs[u], as_of):
            res.successors.append((u, rel, _hop(u, ref_node, data)))
    key = ix.listing_key(len(cited_by))
    cited_by.sort(key=lambda t: key(t[0]))
    res.citing = [Impacted(u, 1, ref_node, data, None) for _uid, u, data in cited_by]
    return res


# ---- stale bases ---------------------------------------------------------------------------------------------
@dataclass
class Stale:
    document: str               # the document in the corpus whose basis changed
    basis: str                  # the document it is based on / implements / cites
    relations: tuple[str, ...]  # document -> basis, every relation it has (based_on, implements, guides, cites)
    change: str                 # replaces | repeals | amends | suspends
    successor: str              # the document that changed the basis
    evidence: str               # where the change is stated
    stated_in: str              # file stating the change
    already_cites_successor: bool
    citing: tuple[Hop, ...] = ()    # the document's own sentences that rely on the basis
    change_hop: Hop | None = None   # the mention stating the change (its evidence, file, offsets)

    @property
    def relation(self) -> str:
        """The strongest relation of the document to its basis."""
        return self.relations[0]


_RELATION_ORDER = ("based_on", "implements", "guides", "cites")


def stale_bases(g: nx.MultiDiGraph) -> list[Stale]:
    """Documents in the corpus relying on (based on, implementing, guiding or citing) a document that was
    replaced, repealed, amended or suspended by another one: one entry per (document, basis, change, successor), with
    the document's own sentences about the basis (those that only state the change itself are left out when
    there are others) and the sentence stating the change, preferring one in the document's own file."""
    out: list[Stale] = []
    pred, attrs = g._pred, g._node
    # the change edges into each document, found in one pass over the edges' data (not an edge view per node)
    changes_into: dict[str, list[tuple[str, dict]]] = {}
    for b, into in pred.items():
        found = [(u, d) for u, keyed in into.items() for d in keyed.values() if d["relation"] in CHANGES]
        if found:
            changes_into[b] = found
    for basis in sorted(changes_into):
        changes = changes_into[basis]
        relying: dict[str, list[dict]] = {}
        for doc, keyed in pred[basis].items():
            if not attrs[doc].get("in_corpus"):
                continue
            for d in keyed.values():
                if d["relation"] not in CHANGES and not d.get("third_party"):
                    relying.setdefault(doc, []).append(d)
        for doc in sorted(relying):
            edges = sorted(relying[doc], key=lambda d: _RELATION_ORDER.index(d["relation"])
                           if d["relation"] in _RELATION_ORDER else len(_RELATION_ORDER))
            path = g.nodes[doc].get("path") or ""
            for succ, cd in sorted(changes, key=lambda t: (t[0], t[1]["relation"])):
                if succ == doc:
                    continue
                m = min(cd["mentions"], key=lambda m: (m.get("file") != path, m.get("file", ""),
                                                       m.get("start") or 0))
                change_hop = _hop(succ, basis, cd, m)
                own = [_hop(doc, basis, d, x) for d in edges for x in d["mentions"]]
                apart = [h for h in own if (h.file, h.evidence) != (change_hop.file, change_hop.evidence)]
                own = sorted(apart or own, key=lambda h: (h.file, h.start or 0))
                out.append(Stale(doc, basis, tuple(dict.fromkeys(d["relation"] for d in edges)), cd["relation"],
                                 succ, change_hop.evidence, change_hop.file, g.has_edge(doc, succ),
                                 tuple(own), change_hop))
    uniq = {(s.document, s.basis, s.change, s.successor): s for s in out}
    return [uniq[k] for k in sorted(uniq)]


@dataclass
class Unresolved:
    node: str
    status: str                 # unresolved | ambiguous
    files: tuple[str, ...]      # the files citing it
    citing: tuple[Hop, ...]     # the first sentence of each citing document


def unresolved_refs(g: nx.MultiDiGraph) -> list[Unresolved]:
    """Documents cited that the graph could not identify with certainty (issuer's place unknown, or possibly
    another document with the same number), with the files citing them; ordered by label.  A corpus file whose
    own place is unknown, and that nothing cites, is no reference (the build report lists it)."""
    out = []
    for n, d in g.nodes(data=True):
        if d.get("status", "resolved") == "resolved" or not g._pred[n]:
            continue
        into = _in_edges(g, n)
        hops = [_hop(u, n, data) for u, data in into]
        files = sorted({m.get("file", "") for _u, data in into for m in data["mentions"]} - {""})
        if d.get("path"):
            files = sorted({*files, d["path"]})
        out.append(Unresolved(n, d["status"], tuple(files), tuple(hops)))
    return sorted(out, key=lambda u: (g.nodes[u.node].get("label", ""), u.node))


# ---- words -----------------------------------------------------------------------------------------------------
LANGS = ("vi", "en")
LEVEL_VI = {"central": "trung ương", "province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã",
            "unknown": "chưa rõ cấp"}
LEVEL_EN = {"central": "central", "province": "province", "district": "district", "commune": "commune",
            "unknown": "unknown level"}
KIND_VI = {"province": "tỉnh", "district": "huyện", "commune": "xã"}

WORDS = {
    "vi": {
        "impact_title": "Tác động khi {name} thay đổi", "check_title": "Rà soát căn cứ của các văn bản trong kho",
        "f_title": "Trích yếu", "f_number": "Số hiệu", "f_date": "Ngày ban hành", "f_issuer": "Cơ quan ban hành",
        "f_actor": "Cơ quan phải rà soát", "f_level": "Cấp", "f_jurisdiction": "Địa bàn", "f_file": "Tệp nguồn",
        "f_depth": "Mức", "f_cited_in": "Được dẫn chiếu tại", "f_reason": "Lý do", "f_change": "Thay đổi",
        "f_suggestion": "Đề nghị", "f_document": "Văn bản", "f_evidence": "Trích dẫn làm căn cứ",
        "no_number": "không số", "no_date": "chưa rõ ngày", "no_issuer": "chưa rõ cơ quan ban hành",
        "no_place": "chưa rõ địa bàn", "no_file": "không có trong kho (chỉ được dẫn chiếu)",
        "untitled": "(không số)", "a_document": "Văn bản", "news": "Tin bài",
        "as_of": "Tính đến {date}: không xét các văn bản ban hành sau thời điểm này (văn bản chưa rõ ngày vẫn "
                 "được liệt kê).",
        "ref_after_as_of": "Lưu ý: văn bản này ban hành ({ref_date}) sau thời điểm {date}.",
        "successors": "Văn bản này đã bị thay đổi ({n})",
        "successors_note": "Văn bản thay thế, bãi bỏ, sửa đổi, bổ sung hoặc tạm ngưng hiệu lực văn bản này (theo các "
                           "văn bản trong kho).",
        "downstream": "Văn bản phải rà soát ({n})",
        "downstream_note": "Các văn bản căn cứ, thực hiện hoặc hướng dẫn văn bản này, trực tiếp hoặc qua một "
                           "chuỗi văn bản; xếp theo mức, rồi theo ngày ban hành.",
        "citing": "Văn bản chỉ dẫn chiếu ({n})",
        "citing_note": "Ảnh hưởng yếu hơn: các văn bản này chỉ nhắc đến văn bản trên.",
        "stale": "Văn bản có căn cứ đã thay đổi ({n})",
        "stale_note": "Văn bản trong kho căn cứ, thực hiện hoặc dẫn chiếu một văn bản đã bị thay thế, bãi bỏ, "
                      "sửa đổi, bổ sung hoặc tạm ngưng hiệu lực.",
        "unresolved": "Trích dẫn chưa xác định chắc chắn ({n})",
        "unresolved_note": "Văn bản được dẫn chiếu nhưng chưa xác định được cơ quan ban hành hoặc địa bàn, hoặc có "
                           "thể trùng với văn bản khác cùng số.",
        "none": "Không có.",
        "depth1": "1 (trực tiếp)", "depthn": "{d} (qua {k} văn bản trung gian)",
        "third": "quan hệ do văn bản khác nêu", "at": "vị trí {a}–{b}", "stated_in": "nêu tại",
        "changed_by": "{old} {rel} bởi {new}",
        "change_is_stated": "Nơi nêu việc thay đổi",
        "sugg_amends": "Rà soát văn bản này: {old} đã được sửa đổi, bổ sung bởi {new}. Khi viện dẫn, ghi "
                       "“{old}, được sửa đổi, bổ sung bởi {new}”, hoặc viện dẫn nội dung mới.",
        "sugg_replaces": "Rà soát văn bản này: {old} đã bị thay thế bởi {new}. Viện dẫn {new} thay cho {old}.",
        "sugg_repeals": "Rà soát văn bản này: {old} đã bị bãi bỏ bởi {new}. Bỏ căn cứ này hoặc thay bằng văn bản "
                        "đang có hiệu lực.",
        "sugg_suspends": "Rà soát văn bản này: {old} đã bị tạm ngưng hiệu lực bởi {new}. Trong thời gian tạm ngưng, "
                         "không thực hiện theo {old}; áp dụng các quy định mà {new} chỉ định.",
        "sugg_also": " Văn bản này cũng đã dẫn chiếu {new}: kiểm tra nội dung thay đổi đã được áp dụng.",
        "r_level": "không xác định được {kind} của cơ quan ban hành “{issuer}”",
        "r_issuer": "không rõ cơ quan ban hành", "r_ambiguous": "chưa chắc chắn: có thể là văn bản khác cùng số",
        "amb": "“{ref}” ứng với {n} văn bản; hãy ghi rõ hơn số hiệu, năm ban hành, hoặc dùng một trong các IRI sau:",
        "amb_more": "… và {n} văn bản khác",
        "nf": "không tìm thấy văn bản “{ref}” trong đồ thị ({n} văn bản)",
        "nf_words": "; hãy nhập số hiệu, ví dụ 76/NQ-CP", "nf_close": "; có phải là: {close}?",
        "in_corpus": "trong kho", "only_cited": "chỉ được dẫn chiếu",
    },
    "en": {
        "impact_title": "Impact of a change to {name}", "check_title": "Review of the bases of the corpus documents",
        "f_title": "Title", "f_number": "Number", "f_date": "Date", "f_issuer": "Issuer",
        "f_actor": "Issuer (must act)", "f_level": "Level", "f_jurisdiction": "Jurisdiction", "f_file": "Source file",
        "f_depth": "Depth", "f_cited_in": "Cited in", "f_reason": "Reason", "f_change": "Change",
        "f_suggestion": "Suggestion", "f_document": "Document", "f_evidence": "Evidence",
        "no_number": "no number", "no_date": "not known", "no_issuer": "issuer not known",
        "no_place": "not known", "no_file": "not in the corpus (only cited)",
        "untitled": "(no number)", "a_document": "Document", "news": "News article",
        "as_of": "As of {date}: documents dated later are left out (undated documents are kept).",
        "ref_after_as_of": "Note: this document itself is dated {ref_date}, after {date}.",
        "successors": "This document has been changed ({n})",
        "successors_note": "Documents that replaced, repealed, amended or suspended it (as the corpus says).",
        "downstream": "Must be reviewed ({n})",
        "downstream_note": "Documents based on, implementing or guiding it, directly or through a chain; by depth, "
                           "then date.",
        "citing": "Merely cite it ({n})", "citing_note": "Weaker impact: these documents only mention it.",
        "stale": "Documents whose basis changed ({n})",
        "stale_note": "Documents of the corpus based on, implementing or citing a document that was replaced, "
                      "repealed, amended or suspended.",
        "unresolved": "Unresolved references ({n})",
        "unresolved_note": "Documents cited whose issuer or place could not be determined, or that may be another "
                           "document with the same number.",
        "none": "None.",
        "depth1": "1 (direct)", "depthn": "{d} (through {k} other document{s})",
        "third": "stated by another document", "at": "characters {a}–{b}", "stated_in": "stated in",
        "changed_by": "{old} was {rel} by {new}",
        "change_is_stated": "Where the change is stated",
        "sugg_amends": "Review this document: {old} was amended by {new}. Cite “{old}, as amended by {new}”, or "
                       "the new text.",
        "sugg_replaces": "Review this document: {old} was replaced by {new}. Cite {new} instead of {old}.",
        "sugg_repeals": "Review this document: {old} was repealed by {new}. Drop this basis or replace it with a "
                        "document in force.",
        "sugg_suspends": "Review this document: {old} was suspended by {new}. While it is suspended, do not act on "
                         "{old}; apply the provisions {new} names instead.",
        "sugg_also": " This document also cites {new}: check that the change is applied.",
        "r_level": "the {kind} of the issuer “{issuer}” could not be determined",
        "r_issuer": "issuer not known", "r_ambiguous": "uncertain: may be another document with the same number",
        "amb": "“{ref}” names {n} documents; give more of the number, the year, or one of these IRIs:",
        "amb_more": "… and {n} more",
        "nf": "document “{ref}” not found in the graph ({n} documents)",
        "nf_words": "; give its number (số hiệu), e.g. 76/NQ-CP", "nf_close": "; did you mean: {close}?",
        "in_corpus": "in the corpus", "only_cited": "only cited",
    },
}
VERB_EN = {"based_on": "is based on", "implements": "implements", "guides": "guides", "amends": "amends",
           "replaces": "replaces", "repeals": "repeals", "suspends": "suspends", "cites": "cites"}


def _iso_date_text(date: str, lang: str) -> str:
    if lang == "en" or not date:
        return date
    parts = date.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {parts[1]}/{parts[0]}"
    return f"năm {parts[0]}"


class Words:
    """How documents, dates, levels and relations are said to the user, in Vietnamese or English."""

    def __init__(self, g: nx.MultiDiGraph, lang: str = "vi"):
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
        from .vocabulary import load
        v = load()
        self.g, self.lang, self.w = g, lang, WORDS[lang]
        self.types = {t.code: (t.label, t.label_en) for t in v.types}
        self.rel = {r.id: r for r in v.relations}

    def __call__(self, key: str, **kw) -> str:
        return self.w[key].format(**kw)

    def _d(self, n: str) -> dict:
        return self.g.nodes[n]

    def type_label(self, d: dict) -> str:
        vi_en = self.types.get(d.get("type") or "")
        if vi_en:
            return vi_en[self.lang == "en"]
        return d.get("type_label") or self("a_document")

    def name(self, n: str) -> str:
        """"Kế hoạch 02/KH-UBND", "Luật Đất đai", "Kế hoạch (không số)" (English: "Plan 02/KH-UBND" …)."""
        d = self._d(n)
        if d.get("number"):
            return f"{self.type_label(d)} {d['number']}"
        if d.get("name"):
            return d["name"]
        if d.get("kind") == "news":
            return self("news")
        return f"{self.type_label(d)} {self('untitled')}"

    def title(self, n: str) -> str:
        d = self._d(n)
        t = " ".join((d.get("title") or "").split())
        return "" if d.get("name") and not d.get("number") and t == d["name"] else t

    def heading(self, n: str) -> str:
        t = self.title(n)
        return f"{self.name(n)} — {t}" if t else self.name(n)

    def short(self, n: str) -> str:
        """The name, with the first words of the title for a document without a number."""
        d = self._d(n)
        t = self.title(n)
        if d.get("number") or d.get("name") or not t:
            return self.name(n)
        return f"{self.name(n)} “{clip_words(t, 60)}”"

    def number(self, n: str) -> str:
        return self._d(n).get("number") or self("no_number")

    def date(self, n: str) -> str:
        d = self._d(n)
        return _iso_date_text(d.get("date") or d.get("year") or "", self.lang) or self("no_date")

    def as_of(self, date: str) -> str:
        """"ngày 31/12/2022", "tháng 12/2022", "năm 2022" (English: the ISO date)."""
        text = _iso_date_text(date, self.lang)
        if self.lang == "en":
            return text
        return ("ngày " if len(date) == 10 else "") + text     # "tháng 01/2023", "năm 2020" say so themselves

    def level(self, n: str) -> str:
        lv = self._d(n).get("level") or "unknown"
        return (LEVEL_EN if self.lang == "en" else LEVEL_VI).get(lv, lv)

    def issuer(self, n: str) -> str:
        return self._d(n).get("issuer") or self("no_issuer")

    def jurisdiction(self, n: str) -> str:
        d = self._d(n)
        if not d.get("jurisdiction") or str(d.get("jurisdiction_code", "")).startswith("x-"):
            return self("no_place")             # a place known only as "some province, cited in file X"
        return d["jurisdiction"]

    def file(self, n: str) -> str:
        return self._d(n).get("path") or self("no_file")

    def verb(self, relation: str) -> str:
        """The relation as a verb between two documents: "thực hiện", "is based on"."""
        if self.lang == "en":
            return VERB_EN.get(relation, relation)
        r = self.rel.get(relation)
        return r.label.lower() if r else relation

    def changed_by(self, old: str, change: str, new: str) -> str:
        """"Nghị định 61/2018/NĐ-CP bị sửa đổi, bổ sung bởi Nghị định 107/2021/NĐ-CP" / "… was amended by …"."""
        r = self.rel.get(change)
        if r is None:
            rel = change
        elif self.lang == "en":
            rel = r.label_en_inverse.removesuffix(" by")        # "amended by": the template says "was … by"
        else:
            rel = r.label_inverse.lower()
        return self("changed_by", old=self.name(old), rel=rel, new=self.name(new))

    def depth(self, d: int) -> str:
        return self("depth1") if d == 1 else self("depthn", d=d, k=d - 1, s="" if d == 2 else "s")

    def source(self, h: Hop) -> str:
        where = h.file or "?"
        if h.start is not None and h.end is not None and h.start != "":
            where += ", " + self("at", a=h.start, b=h.end)
        return where

    def quote(self, h: Hop, lead: str | None = None) -> "Quote":
        lead = lead if lead is not None else f"{self.short(h.source)} {self.verb(h.relation)} {self.short(h.target)}"
        return Quote(lead, excerpt(h.evidence or h.text, h.text), self.source(h),
                     self("third") if h.third_party else "")

    def reason(self, u: "Unresolved") -> str:
        d = self._d(u.node)
        if u.status == "ambiguous":
            return self("r_ambiguous")
        lv = d.get("level")
        if lv in KIND_VI and d.get("issuer"):
            kind = LEVEL_EN[lv] if self.lang == "en" else KIND_VI[lv]
            return self("r_level", kind=kind, issuer=d["issuer"])
        return self("r_issuer")

    def ref_error(self, e: RefError) -> str:
        """The message of a REF that names no document, or several, in the user's language."""
        if e.kind == "ambiguous":
            lines = [self("amb", ref=e.ref, n=len(e.candidates))]
            for c in e.candidates[:20]:
                d = self._d(c)
                bits = [x for x in (d.get("issuer"), self.jurisdiction(c), self.date(c)) if x]
                where = self("in_corpus") if d.get("in_corpus") else self("only_cited")
                lines.append(f"  {self.heading(c)} — {', '.join(bits)} ({where}) <{c}>")
            if len(e.candidates) > 20:
                lines.append("  " + self("amb_more", n=len(e.candidates) - 20))
            return "\n".join(lines)
        return (self("nf", ref=e.ref, n=self.g.number_of_nodes()) + ("" if has_number(e.ref) else self("nf_words"))
                + (self("nf_close", close=", ".join(e.suggestions)) if e.suggestions else ""))


# ---- the report: sections of entries, rendered as text, Markdown or HTML ---------------------------------------
@dataclass
class Quote:
    lead: str                   # "Kế hoạch 02/KH-UBND thực hiện Nghị quyết 76/NQ-CP"
    text: str                   # the evidence sentence (excerpt)
    source: str                 # "corpus/000_….txt, vị trí 120–170"
    badge: str = ""             # "quan hệ do văn bản khác nêu"


@dataclass
class Entry:
    name: str
    title: str
    values: list[str]           # one per column of the section
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Section:
    key: str
    heading: str
    note: str
    columns: list[str]
    entries: list[Entry]
    empty: str


@dataclass
class Report:
    title: str
    lines: list[str]            # what the report is about, one statement a line
    sections: list[Section]
    lang: str = "vi"


def _doc_entry(w: Words, n: str, columns: list[str], extra: dict[str, str] | None = None,
               quotes: list[Quote] | None = None) -> Entry:
    get = {"f_number": w.number, "f_date": w.date, "f_actor": w.issuer, "f_issuer": w.issuer, "f_level": w.level,
           "f_jurisdiction": w.jurisdiction, "f_file": w.file}
    extra = extra or {}
    return Entry(w.name(n), w.title(n), [extra[c] if c in extra else get[c](n) for c in columns], quotes or [])


def impact_report(g: nx.MultiDiGraph, r: ImpactResult, lang: str = "vi") -> Report:
    w = Words(g, lang)
    lines = []
    if w.title(r.ref):
        lines.append(f"{w('f_title')}: {w.title(r.ref)}")
    lines += [f"{w('f_number')}: {w.number(r.ref)} · {w('f_date')}: {w.date(r.ref)}",
              f"{w('f_issuer')}: {w.issuer(r.ref)} · {w('f_level')}: {w.level(r.ref)} · "
              f"{w('f_jurisdiction')}: {w.jurisdiction(r.ref)}"]
    if g.nodes[r.ref].get("path"):
        lines.append(f"{w('f_file')}: {g.nodes[r.ref]['path']}")
    if r.as_of:
        lines.append(w("as_of", date=w.as_of(r.as_of)))
        if not _date_ok(g.nodes[r.ref], r.as_of):
            lines.append(w("ref_after_as_of", ref_date=w.date(r.ref), date=w.as_of(r.as_of)))
    sections = []
    if r.successors:
        cols = ["f_number", "f_date", "f_issuer"]
        entries = []
        for s, rel, h in r.successors:
            e = _doc_entry(w, s, cols, quotes=[w.quote(h, w("change_is_stated"))])
            e.name = w.changed_by(r.ref, rel, s)
            entries.append(e)
        sections.append(Section("successors", w("successors", n=len(entries)), w("successors_note"),
                                [w(c) for c in cols], entries, w("none")))
    cols = ["f_number", "f_date", "f_actor", "f_level", "f_jurisdiction", "f_file", "f_depth"]
    entries = [_doc_entry(w, i.node, cols, {"f_depth": w.depth(i.depth)}, [w.quote(h) for h in i.path])
               for i in r.downstream]
    sections.append(Section("downstream", w("downstream", n=len(entries)), w("downstream_note"),
                            [w(c) for c in cols], entries, w("none")))
    cols = ["f_number", "f_date", "f_actor", "f_level", "f_jurisdiction", "f_file"]
    entries = [_doc_entry(w, i.node, cols, quotes=[w.quote(i.hop)]) for i in r.citing]
    sections.append(Section("citing", w("citing", n=len(entries)), w("citing_note"), [w(c) for c in cols],
                            entries, w("none")))
    return Report(w("impact_title", name=w.name(r.ref)), lines, sections, lang)


def suggestion(w: Words, s: Stale) -> str:
    text = w(f"sugg_{s.change}", old=w.name(s.basis), new=w.name(s.successor))
    return text + (w("sugg_also", new=w.name(s.successor)) if s.already_cites_successor else "")


def check_report(g: nx.MultiDiGraph, stale: list[Stale], unresolved: list[Unresolved], lang: str = "vi") -> Report:
    w = Words(g, lang)
    cols = ["f_number", "f_date", "f_actor", "f_file", "f_change", "f_suggestion"]
    entries = []
    for s in stale:
        quotes = [w.quote(h) for h in s.citing]
        if s.change_hop is not None:
            quotes.append(w.quote(s.change_hop, f"{w('change_is_stated')}: {w.changed_by(s.basis, s.change, s.successor)}"))
        entries.append(_doc_entry(w, s.document, cols, {
            "f_change": f"{w.changed_by(s.basis, s.change, s.successor)} ({w.date(s.successor)})",
            "f_suggestion": suggestion(w, s)}, quotes))
    sections = [Section("stale", w("stale", n=len(entries)), w("stale_note"), [w(c) for c in cols], entries,
                        w("none"))]
    cols = ["f_number", "f_date", "f_issuer", "f_level", "f_reason", "f_cited_in"]
    entries = [_doc_entry(w, u.node, cols, {"f_reason": w.reason(u), "f_cited_in": ", ".join(u.files) or "?",
                                            "f_issuer": g.nodes[u.node].get("issuer") or w("no_issuer")},
                          [w.quote(h) for h in u.citing[:3]]) for u in unresolved]
    sections.append(Section("unresolved", w("unresolved", n=len(entries)), w("unresolved_note"),
                            [w(c) for c in cols], entries, w("none")))
    return Report(w("check_title"), [], sections, lang)


def render_text(reports: list[Report]) -> str:
    out = []
    for rep in reports:
        lines = [rep.title, *rep.lines]
        for sec in rep.sections:
            lines += ["", sec.heading, sec.note]
            if not sec.entries:
                lines.append(sec.empty)
            for k, e in enumerate(sec.entries, 1):
                lines.append(f"{k}. {e.name}" + (f" — {e.title}" if e.title else ""))
                lines += [f"   {c}: {v}" for c, v in zip(sec.columns, e.values)]
                for q in e.quotes:
                    lines.append(f"   {q.lead}" + (f" ({q.badge})" if q.badge else "") + ":")
                    lines.append(f"     “{q.text}”")
                    lines.append(f"     [{q.source}]")
        out.append("\n".join(lines) + "\n")
    return "\n\n".join(out)


_MD_PUNCT = re.compile(r"([\\`*_\[\]{}#|~])")


def md_escape(s) -> str:
    """Text as Markdown that shows it literally: no HTML (<, >, & as entities) and no emphasis, links, code,
    tables or headings (their punctuation backslash-escaped); line breaks become spaces."""
    s = " ".join(str(s).split())
    return _MD_PUNCT.sub(r"\\\1", html.escape(s, quote=False))


def render_markdown(reports: list[Report]) -> str:
    out = []
    e_ = md_escape
    for rep in reports:
        lines = [f"# {e_(rep.title)}", ""] + [f"{e_(x)}  " for x in rep.lines]
        for sec in rep.sections:
            lines += ["", f"## {e_(sec.heading)}", "", f"_{e_(sec.note)}_", ""]
            if not sec.entries:
                lines.append(e_(sec.empty))
            for k, e in enumerate(sec.entries, 1):
                lines.append(f"{k}. **{e_(e.name)}**" + (f" — {e_(e.title)}" if e.title else ""))
                lines += [f"   - {e_(c)}: {e_(v)}" for c, v in zip(sec.columns, e.values)]
                for q in e.quotes:
                    lines.append(f"   - {e_(q.lead)}" + (f" ({e_(q.badge)})" if q.badge else "")
                                 + f": “{e_(q.text)}” \\[{e_(q.source)}\\]")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


_CSS = """body{font:15px/1.45 system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1b2631;margin:1.5em auto;
max-width:86em;padding:0 1em}h1{font-size:1.45em;margin:.2em 0 .4em}h2{font-size:1.15em;margin:1.6em 0 .3em;
border-bottom:2px solid #d5d8dc}p.lines{margin:.1em 0;color:#34495e}p.note{margin:.2em 0 .6em;color:#5f6a6a}
table{border-collapse:collapse;width:100%;font-size:.93em}th,td{border:1px solid #d5d8dc;padding:4px 6px;
vertical-align:top;text-align:left}th{background:#f2f4f4}td.doc strong{display:block}td.doc .title{color:#34495e}
td.ev{min-width:26em}blockquote{margin:2px 0;padding:2px 8px;border-left:3px solid #aab7b8;background:#f7f9f9}
.lead{font-weight:600}.src{color:#5f6a6a;font-size:.9em;overflow-wrap:anywhere}.badge{display:inline-block;
font-size:.8em;font-weight:normal;padding:0 6px;border-radius:8px;background:#f5eef8;color:#6c3483;
border:1px solid #d2b4de;margin-left:4px}.empty{color:#5f6a6a}article+article{margin-top:3em}
@media print{body{max-width:none}}"""


def render_html(reports: list[Report], title: str | None = None) -> str:
    """One self-contained page (no script, no external resource); every string from the graph is escaped."""
    e_ = html.escape
    lang = reports[0].lang if reports else "vi"
    title = title or (reports[0].title if len(reports) == 1 else "plangraph")
    body = []
    for rep in reports:
        part = [f"<article><h1>{e_(rep.title)}</h1>"] + [f'<p class="lines">{e_(x)}</p>' for x in rep.lines]
        for sec in rep.sections:
            part.append(f'<section data-section="{e_(sec.key)}"><h2>{e_(sec.heading)}</h2>'
                        f'<p class="note">{e_(sec.note)}</p>')
            if not sec.entries:
                part.append(f'<p class="empty">{e_(sec.empty)}</p></section>')
                continue
            head = "".join(f"<th>{e_(c)}</th>" for c in sec.columns)
            doc_col, ev_col = WORDS[rep.lang]["f_document"], WORDS[rep.lang]["f_evidence"]
            part.append(f'<table data-section="{e_(sec.key)}"><thead><tr><th>#</th><th>{e_(doc_col)}</th>{head}'
                        f"<th>{e_(ev_col)}</th></tr></thead><tbody>")
            for k, e in enumerate(sec.entries, 1):
                cells = "".join(f"<td>{e_(v)}</td>" for v in e.values)
                quotes = "".join(
                    f'<div class="quote"><div class="lead">{e_(q.lead)}'
                    + (f' <span class="badge">{e_(q.badge)}</span>' if q.badge else "")
                    + f'</div><blockquote>{e_(q.text)}</blockquote><div class="src">{e_(q.source)}</div></div>'
                    for q in e.quotes)
                title_html = f'<span class="title">{e_(e.title)}</span>' if e.title else ""
                part.append(f'<tr><td>{k}</td><td class="doc"><strong>{e_(e.name)}</strong>{title_html}</td>'
                            f'{cells}<td class="ev">{quotes}</td></tr>')
            part.append("</tbody></table></section>")
        part.append("</article>")
        body.append("\n".join(part))
    return (f'<!DOCTYPE html>\n<html lang="{e_(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="plangraph">\n<title>{e_(title)}</title>\n<style>{_CSS}</style>\n'
            f"</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


# ---- JSON ------------------------------------------------------------------------------------------------------
def _node_json(g, n: str) -> dict:
    d = g.nodes[n]
    return {"iri": n, "number": d.get("number") or None, "label": d.get("label"), "title": d.get("title") or None,
            "type": d.get("type") or None, "date": d.get("date") or None, "issuer": d.get("issuer") or None,
            "jurisdiction": d.get("jurisdiction"), "level": d.get("level"),
            "file": d.get("path") or None, "in_corpus": bool(d.get("in_corpus"))}


def _hop_json(g, h: Hop) -> dict:
    return {"from": h.source, "from_label": g.nodes[h.source].get("label"), "relation": h.relation,
            "to": h.target, "to_label": g.nodes[h.target].get("label"), "trigger": h.trigger,
            "evidence": h.evidence, "file": h.file, "start": h.start, "end": h.end, "third_party": h.third_party}


def to_json(g, r: ImpactResult) -> dict:
    return {
        "ref": _node_json(g, r.ref), "as_of": r.as_of,
        "downstream": [{**_node_json(g, i.node), "depth": i.depth, "relation": i.relation,
                        "path": [_hop_json(g, h) for h in i.path]} for i in r.downstream],
        "citing": [{**_node_json(g, i.node), "depth": 1, "relation": "cites",
                    "path": [_hop_json(g, h) for h in i.path]} for i in r.citing],
        "successors": [{**_node_json(g, s), "relation": rel, "evidence": h.evidence, "file": h.file,
                        "start": h.start, "end": h.end} for s, rel, h in r.successors],
    }


def ref_error_json(g, e: RefError, lang: str = "vi") -> dict:
    """{"error": "ambiguous", "candidates": [...]} or {"error": "not_found", "suggestions": [...]}."""
    out = {"ref": e.ref, "error": e.kind, "message": Words(g, lang).ref_error(e)}
    if e.kind == "ambiguous":
        out["candidates"] = [_node_json(g, c) for c in e.candidates]
    else:
        out["suggestions"] = list(e.suggestions)
    return out


def check_json(g, stale: list[Stale], unresolved: list[Unresolved], lang: str = "vi") -> dict:
    w = Words(g, lang)

    def quote(h: Hop) -> dict:
        return {"evidence": h.evidence, "file": h.file, "start": h.start, "end": h.end, "trigger": h.trigger,
                "relation": h.relation}

    return {"stale_bases": [{
        "document": s.document, "document_label": g.nodes[s.document].get("label"),
        "number": g.nodes[s.document].get("number") or None, "title": g.nodes[s.document].get("title") or None,
        "file": g.nodes[s.document].get("path"), "issuer": g.nodes[s.document].get("issuer") or None,
        "basis": s.basis, "basis_label": g.nodes[s.basis].get("label"),
        "basis_number": g.nodes[s.basis].get("number") or None, "relation": s.relation,
        "relations": list(s.relations), "change": s.change, "successor": s.successor,
        "successor_label": g.nodes[s.successor].get("label"),
        "successor_number": g.nodes[s.successor].get("number") or None,
        "citing": [quote(h) for h in s.citing], "change_evidence": s.evidence, "evidence": s.evidence,
        "stated_in": s.stated_in, "change_start": s.change_hop.start if s.change_hop else None,
        "change_end": s.change_hop.end if s.change_hop else None,
        "already_cites_successor": s.already_cites_successor, "suggestion": suggestion(w, s)} for s in stale],
        "unresolved": [{**_node_json(g, u.node), "status": u.status, "reason": w.reason(u), "files": list(u.files),
                        "citing": [quote(h) for h in u.citing]} for u in unresolved]}



def render(fmt: str, reports: list[Report]) -> str:
    """Reports as the format asks: "html" (one page), "md" (Markdown) or "text"."""
    if fmt == "html":
        return render_html(reports)
    if fmt == "md":
        return render_markdown(reports)
    return render_text(reports)
