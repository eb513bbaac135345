"""Interactive HTML view of the citation graph (`plangraph viz`).

One self-contained page that opens from disk with no network: vis-network (the copy bundled with pyvis)
and every asset are inlined into our own template (graph_builder/templates/graph.html); the graph is
embedded as JSON in a ``<script type="application/json">`` block and the page builds its DOM with
textContent only, so a title such as ``<script>…</script>`` is shown, never run.

Node positions are computed here, not by the browser's physics: documents are laid out in bands by
level (trung ương, tỉnh, huyện, xã, chưa rõ), ordered inside each band by the positions of the documents
they cite or are cited by (a few barycentre sweeps, linear in the number of edges), so that a graph of
5,000 documents is drawn at once instead of freezing on a force simulation.  The output is
deterministic: the same graph gives byte-identical HTML.
"""
from __future__ import annotations

import functools
import importlib.util
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from . import refs
from .textfold import fold

LEVELS = ("central", "province", "district", "commune", "unknown")
LEVEL_LABELS = {"central": ("Trung ương", "Central"), "province": ("Cấp tỉnh", "Province"),
                "district": ("Cấp huyện", "District"), "commune": ("Cấp xã", "Commune"),
                "unknown": ("Chưa rõ cấp", "Unknown level")}
LEVEL_COLORS = {"central": "#c0392b", "province": "#2874a6", "district": "#1e8449", "commune": "#b9770e",
                "unknown": "#7f8c8d"}

# Edge style per relation: colour, dash pattern (False = solid), width.  Every relation differs from the
# others in colour AND dash (or width), so the styles stay apart when printed in grey.
RELATION_STYLE = {
    "based_on": ("#1f5fbf", False, 2.2),
    "implements": ("#2e9d3a", [12, 4], 1.8),
    "guides": ("#0f9b9b", [6, 4], 1.8),
    "amends": ("#e07b00", [12, 4, 3, 4], 2.0),
    "replaces": ("#d62728", False, 3.2),
    "repeals": ("#7d2ab5", [3, 3], 2.4),
    "suspends": ("#8c564b", [10, 3, 2, 3, 2, 3], 2.2),
    "cites": ("#8c8c8c", [2, 5], 1.2),
}
_FALLBACK_STYLE = ("#555555", [1, 3], 1.0)

# Document-type colours: the usual types get fixed colours, the others take the palette in vocabulary
# order.  "" (type unknown) is grey.
TYPE_COLORS = {"NQ": "#c0392b", "NĐ": "#8e44ad", "QĐ": "#2874a6", "CT": "#d35400", "TT": "#16a085",
               "KH": "#27ae60", "TB": "#b7950b", "LUAT": "#6e2c00", "CTr": "#1abc9c", "HD": "#5d6d7e",
               "KL": "#a93226", "BC": "#7f8c8d"}
PALETTE = ("#e74c3c", "#3498db", "#9b59b6", "#f39c12", "#1abc9c", "#34495e", "#e67e22", "#2ecc71",
           "#c2185b", "#5c6bc0", "#00897b", "#6d4c41", "#afb42b", "#0288d1")
UNKNOWN_TYPE_COLOR = "#95a5a6"

# Layout geometry (vis-network canvas units).
X_STEP, Y_STEP, BAND_GAP, ASPECT = 200, 110, 170, 1.1
BAND_GAP_PER_WIDTH = 0.04
LARGE = 1500        # above this many nodes the page hides edges while dragging/zooming

VIS_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")      # inside the pyvis package

FILTER_KEYS = ("relation", "type", "issuer", "year")


# ---------------------------------------------------------------------------------------------------
# Finding a document by số hiệu
# ---------------------------------------------------------------------------------------------------

find_nodes = refs.find_nodes
describe_node = refs.describe


def resolve_ref(g: nx.MultiDiGraph, ref: str) -> str:
    """The one node `ref` names (see refs.find_ref); RefError, a ValueError, names the problem."""
    return refs.find_ref(g, ref)


def neighbourhood(g: nx.MultiDiGraph, start: str, depth: int) -> set[str]:
    """Nodes within `depth` edges of `start`, following edges in both directions."""
    if depth < 0:
        raise ValueError("depth must be >= 0")
    seen, frontier = {start}, [start]
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for m in (*g.predecessors(n), *g.successors(n)):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        if not nxt:
            break
        frontier = nxt
    return seen


def focus_subgraph(g: nx.MultiDiGraph, ref: str, depth: int) -> nx.MultiDiGraph:
    """The neighbourhood (both directions, up to `depth` edges) of the document `ref` names: a số hiệu
    ("76/NQ-CP", also "76 NQ CP", case- and diacritics-insensitive) or a node IRI.  The result keeps every
    attribute; its graph attribute "focus" is the focused node's IRI."""
    node = resolve_ref(g, ref)
    h = g.subgraph(neighbourhood(g, node, depth)).copy()
    h.graph["focus"] = node
    h.graph["focus_depth"] = depth
    return h


# ---------------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------------

def _vocab():
    from .vocabulary import load
    return load()


def _year(d: dict) -> int | None:
    for v in (d.get("year"), (d.get("date") or "")[:4]):
        if v and str(v)[:4].isdigit():
            return int(str(v)[:4])
    return None


def normalise_types(types: Iterable[str]) -> set[str]:
    """Type codes as the graph writes them: "nd" -> "NĐ", "kh" -> "KH", "Luat" -> "LUAT"."""
    v = _vocab()
    known = {t.code for t in v.types}
    by_fold = {fold(c).upper(): c for c in sorted(known, reverse=True)}
    by_name = {fold(t.label): t.code for t in reversed(v.types)}
    out, bad = set(), []
    for t in types:
        t = t.strip()
        if not t:
            continue
        code = t if t in known else by_fold.get(fold(t).upper()) or by_name.get(fold(t))
        if code is None:
            bad.append(t)
        else:
            out.add(code)
    if bad:
        raise ValueError(f"unknown document type(s) {', '.join(map(repr, bad))}; "
                         f"known: {', '.join(t.code for t in v.types)}")
    return out


def normalise_relations(relations: Iterable[str]) -> set[str]:
    v = _vocab()
    ids = [r.id for r in v.relations]
    by_name = {}
    for r in v.relations:
        for name in (r.id, r.label, r.label_en, r.label_en.replace(" ", "_")):
            by_name[fold(name).replace("-", "_")] = r.id
    out, bad = set(), []
    for r in relations:
        r = r.strip()
        if not r:
            continue
        rid = by_name.get(fold(r).replace("-", "_"))
        if rid is None:
            bad.append(r)
        else:
            out.add(rid)
    if bad:
        raise ValueError(f"unknown relation(s) {', '.join(map(repr, bad))}; known: {', '.join(ids)}")
    return out


_WORD = re.compile(r"[a-z0-9]+")


def _words(s: str) -> str:
    return " ".join(_WORD.findall(fold(s or "").lower()))


def _merge(issuer: str, place: str) -> str:
    """ "UBND tỉnh" + "tỉnh Lạng Sơn" -> "UBND tỉnh Lạng Sơn" (the words they share once), else both."""
    a, b = issuer.split(), place.split()
    for k in range(min(len(a), len(b)), 0, -1):
        if [fold(x) for x in a[-k:]] == [fold(x) for x in b[:k]]:
            return " ".join(a + b[k:])
    return f"{issuer} {place}"


def _place_name(jurisdiction: str, vocab) -> str:
    """ "xã Tú Xuyên (tỉnh Lạng Sơn)" -> "Tú Xuyên"; "tỉnh Lạng Sơn" -> "Lạng Sơn"."""
    name = jurisdiction.split(" (", 1)[0].strip()
    low = fold(name)
    for word in sorted((w for w, _lv in vocab.place_kinds), key=len, reverse=True):
        if low.startswith(fold(word) + " "):
            return name[len(word) + 1:]
    return name


def issuer_key(d: dict) -> str:
    """What the issuer filter searches for a document, folded: its issuer (resolved and as written), with the
    issuer's name written out or abbreviated as the vocabulary knows it ("UBND" / "Ủy ban nhân dân"), its
    code, its jurisdiction ("xã Tú Xuyên (tỉnh Lạng Sơn)"; not the file-scoped label of a place the build
    could not resolve), and the issuer joined to its place ("UBND tỉnh" + "tỉnh Lạng Sơn", "Tỉnh ủy" +
    "Lạng Sơn").  One string "| w w … | w w … |" so that a phrase never runs from one field into the next;
    cached by those four attributes (documents of one body share them)."""
    jcode = str(d.get("jurisdiction_code") or "")
    return _issuer_key(str(d.get("issuer") or ""), str(d.get("issuer_as_written") or ""),
                       str(d.get("issuer_code") or ""), "" if jcode.startswith("x-") else str(d.get("jurisdiction") or ""))


@functools.lru_cache(maxsize=1)
def _issuer_names() -> dict[str, tuple[tuple[str, ...], str, str]]:
    """code -> (its names folded to words, longest first; its label's words; its code's words)."""
    v = _vocab()
    return {i.code: (tuple(sorted({f" {_words(x)} " for x in (i.label, *i.names)} - {"  "}, key=len, reverse=True)),
                     f" {_words(i.label)} ", f" {_words(i.code)} ") for i in v.issuers}


@functools.lru_cache(maxsize=1 << 16)
def _issuer_key(issuer: str, written: str, code: str, jur: str) -> str:
    fields = [x for x in dict.fromkeys((issuer, written)) if x]
    entry = _issuer_names().get(code)
    if jur:
        place = _place_name(jur, _vocab())
        heads = fields + ([_vocab().issuer_by_code[code].label] if entry else [])
        fields.append(jur)
        for x in heads:
            fields.append(_merge(x, jur))
            if f" {_words(place)} " not in f" {_words(x)} ":
                fields.append(f"{x} {place}")
    out = [f" {w} " for w in map(_words, fields) if w]
    if entry is not None:
        names, label, abbr = entry
        for f in list(out):
            for name in names:
                if name in f:
                    out += [f.replace(name, label), f.replace(name, abbr)]
                    break
    if code:
        out.append(f" {_words(code)} ")
    out = [x for x in dict.fromkeys(out) if x.strip()]
    return "|" + "|".join(out) + "|" if out else ""


def issuer_query(q: str) -> str:
    """The needle issuer_key() is searched for: the folded whole words of `q`, in order."""
    w = _words(q)
    return f" {w} " if w else ""


def filter_graph(g: nx.MultiDiGraph, *, relations: set[str] | None = None, types: set[str] | None = None,
                 issuer: str | None = None, year_from: int | None = None, year_to: int | None = None,
                 keep: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The documents of the given types, issuer and years (a document of unknown year is left out once a year
    bound is set), and the relations among them of the given kinds.  `issuer` is a phrase of whole words
    matched, case- and diacritics-insensitively, against the issuer, its place and the jurisdiction (see
    issuer_key): "Lạng Sơn", "lang son", "UBND tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh", "Tỉnh ủy Lạng Sơn".  A document
    that had relations but has none left after the relation filter is dropped.  Nodes in `keep` (the focus)
    always stay."""
    keep = set(keep)
    types = normalise_types(types) if types else None
    relations = normalise_relations(relations) if relations else None
    q = issuer_query(issuer) if issuer else ""

    def node_ok(d: dict) -> bool:
        if types is not None and d.get("type", "") not in types:
            return False
        if q and q not in issuer_key(d):
            return False
        if year_from is not None or year_to is not None:
            y = _year(d)
            if y is None or (year_from is not None and y < year_from) or (year_to is not None and y > year_to):
                return False
        return True

    nodes = {n for n, d in g.nodes(data=True) if n in keep or node_ok(d)}
    h = nx.MultiDiGraph(**g.graph)
    h.add_nodes_from((n, g.nodes[n]) for n in sorted(nodes))
    had_edges = set()
    for u, v, k, d in g.edges(keys=True, data=True):
        if u in nodes and v in nodes:
            had_edges.update((u, v))
            if relations is None or d.get("relation") in relations:
                h.add_edge(u, v, key=k, **d)
    if relations is not None:
        h.remove_nodes_from([n for n in had_edges if h.degree(n) == 0 and n not in keep])
    return h


def parse_filters(specs: Iterable[str]) -> dict:
    """CLI helper: ["relation=based_on,implements", "type=KH,NQ", "issuer=UBND tỉnh", "year=2021-2023"]
    (or one string with ';' between them) -> keyword arguments of render_html/write_html."""
    out: dict = {}
    for spec in specs:
        for part in spec.split(";"):
            part = part.strip()
            if not part:
                continue
            key, sep, value = part.partition("=")
            key = key.strip().lower().rstrip("s")
            if not sep or key not in FILTER_KEYS:
                raise ValueError(f"bad filter {part!r}: use relation=…, type=…, issuer=… or year=FROM-TO")
            value = value.strip()
            if key == "relation":
                out.setdefault("relations", set()).update(normalise_relations(value.split(",")))
            elif key == "type":
                out.setdefault("types", set()).update(normalise_types(value.split(",")))
            elif key == "issuer":
                out["issuer"] = value
            else:
                m = re.fullmatch(r"(\d{4})?\s*(?:(-|–|\.\.)\s*(\d{4})?)?", value)
                if not m or not (m.group(1) or m.group(3)):
                    raise ValueError(f"bad year filter {value!r}: use 2021, 2021-2023, 2021- or -2023")
                lo = int(m.group(1)) if m.group(1) else None
                hi = int(m.group(3)) if m.group(3) else (lo if not m.group(2) else None)
                out["year_from"], out["year_to"] = lo, hi
    return out


# ---------------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------------

def _level(d: dict) -> str:
    lv = d.get("level") or "unknown"
    return lv if lv in LEVELS else "unknown"


def layout(g: nx.MultiDiGraph) -> tuple[dict[str, tuple[int, int]], list[dict]]:
    """Positions {node: (x, y)} and the bands [{level, y0, y1, x0, x1, count}].

    Bands top to bottom: central, province, district, commune, unknown; each band is a block of rows of a
    common width, filled column by column so that x grows with a node's rank.  Ranks start from
    (jurisdiction, type, year, number), then four barycentre sweeps (down, up, down, up) order each band
    by the mean x of each node's neighbours in the other bands.  O(nodes log nodes + edges) per sweep."""
    n_total = g.number_of_nodes()
    if n_total == 0:
        return {}, []
    cols = max(6, math.ceil(math.sqrt(n_total * ASPECT * Y_STEP / X_STEP)))
    bands: dict[str, list[str]] = {lv: [] for lv in LEVELS}
    for n, d in g.nodes(data=True):
        bands[_level(d)].append(n)

    def start_key(n: str):
        d = g.nodes[n]
        return (d.get("jurisdiction_code", ""), d.get("type", ""), d.get("year", ""), " ".join(refs.tokens(d.get("number", ""))),
                n)

    order = {lv: sorted(ns, key=start_key) for lv, ns in bands.items() if ns}
    nbrs: dict[str, list[str]] = {}
    for n in g.nodes:
        nbrs[n] = sorted({*g.predecessors(n), *g.successors(n)} - {n})
    level_of = {n: _level(d) for n, d in g.nodes(data=True)}
    x: dict[str, float] = {}
    geometry: dict[str, tuple[int, int]] = {}         # level -> (rows, used columns)

    def place(lv: str) -> None:
        ns = order[lv]
        rows = math.ceil(len(ns) / cols)
        used = math.ceil(len(ns) / rows)
        geometry[lv] = (rows, used)
        x0 = -(used - 1) * X_STEP / 2
        for i, n in enumerate(ns):
            c, r = divmod(i, rows)
            x[n] = x0 + c * X_STEP + (X_STEP * 0.35 if r % 2 else 0.0)

    levels = [lv for lv in LEVELS if lv in order]
    for lv in levels:
        place(lv)
    for sweep in range(4):
        for lv in (levels if sweep % 2 == 0 else levels[::-1]):
            ns = order[lv]
            rank = {n: i for i, n in enumerate(ns)}
            bary = {}
            for n in ns:
                xs = [x[m] for m in nbrs[n] if level_of[m] != lv]
                bary[n] = sum(xs) / len(xs) if xs else x[n]
            order[lv] = sorted(ns, key=lambda n: (bary[n], rank[n]))
            place(lv)

    pos: dict[str, tuple[int, int]] = {}
    band_info = []
    y = 0
    # the gap between bands holds the band's title; it grows with the width so that the title, drawn larger
    # when the whole (wide) graph is fitted on screen, still fits between the bands
    gap = max(BAND_GAP, round(BAND_GAP_PER_WIDTH * cols * X_STEP))
    for lv in levels:
        rows, used = geometry[lv]
        ns = order[lv]
        for i, n in enumerate(ns):
            r = i % rows
            pos[n] = (int(round(x[n])), int(y + r * Y_STEP))
        band_info.append({"level": lv, "y0": y, "y1": y + (rows - 1) * Y_STEP, "count": len(ns),
                          "x0": int(-(used - 1) * X_STEP / 2), "x1": int((used - 1) * X_STEP / 2 + X_STEP * 0.35)})
        y += (rows - 1) * Y_STEP + gap + Y_STEP
    return pos, band_info


# ---------------------------------------------------------------------------------------------------
# Page data and HTML
# ---------------------------------------------------------------------------------------------------

NODE_FIELDS = ("label", "number", "type", "type_label", "title", "name", "date", "year", "issuer", "issuer_code",
               "level", "jurisdiction", "jurisdiction_code", "in_corpus", "path", "kind", "status", "notes",
               "mentions")
MENTION_FIELDS = ("file", "start", "end", "text", "trigger", "evidence")


def _clean(v):
    """JSON-safe scalar: str/int/float/bool kept, None -> "", anything else -> str."""
    if v is None:
        return ""
    if isinstance(v, (bool, int, float, str)):
        return v
    return str(v)


def page_data(g: nx.MultiDiGraph, *, focus: str | None = None, lang: str = "vi", title: str = "plangraph",
              filters: dict | None = None, total: tuple[int, int] | None = None) -> dict:
    """Everything the page shows, as plain JSON-able data (nodes, edges with evidence, legends, layout)."""
    v = _vocab()
    ids = sorted(g.nodes)
    index = {n: i for i, n in enumerate(ids)}
    pos, bands = layout(g)
    nodes = []
    keys: dict[str, int] = {}                   # issuer_key() strings, each once; nodes point at theirs
    for n in ids:
        d = g.nodes[n]
        item = {"id": n, "ik": keys.setdefault(issuer_key(d), len(keys))}
        for f in NODE_FIELDS:
            val = _clean(d.get(f))
            if val not in ("", False, 0) or f in ("label", "level", "in_corpus"):
                item[f] = val
        item["level"] = _level(d)
        item["in_corpus"] = bool(d.get("in_corpus"))
        item["x"], item["y"] = pos[n]
        nodes.append(item)

    edges = []
    parallel: dict[tuple[int, int], int] = {}
    for u, w, k, d in sorted(g.edges(keys=True, data=True), key=lambda t: (t[0], t[1], str(t[2]))):
        a, b = index[u], index[w]
        pair = (min(a, b), max(a, b))
        rank = parallel.get(pair, 0)
        parallel[pair] = rank + 1
        mentions = sorted((m for m in d.get("mentions") or [] if isinstance(m, dict)),
                          key=lambda m: (str(m.get("file", "")), _clean(m.get("start")) or 0))
        edges.append({"from": a, "to": b, "relation": str(d.get("relation", "cites")),
                      "third_party": bool(d.get("third_party")), "parallel": rank,
                      "mentions": [{f: _clean(m.get(f)) for f in MENTION_FIELDS} for m in mentions]})

    rel_count: dict[str, int] = {}
    for e in edges:
        rel_count[e["relation"]] = rel_count.get(e["relation"], 0) + 1
    relations = []
    for r in v.relations:
        color, dashes, width = RELATION_STYLE.get(r.id, _FALLBACK_STYLE)
        relations.append({"id": r.id, "label": r.label, "label_inverse": r.label_inverse, "label_en": r.label_en,
                          "label_en_inverse": r.label_en_inverse,
                          "color": color, "dashes": dashes, "width": width, "count": rel_count.pop(r.id, 0)})
    for rid in sorted(rel_count):       # a relation the vocabulary does not know (an older graph.json)
        color, dashes, width = _FALLBACK_STYLE
        relations.append({"id": rid, "label": rid, "label_inverse": rid, "label_en": rid, "label_en_inverse": "",
                          "color": color, "dashes": dashes, "width": width, "count": rel_count[rid]})

    type_count: dict[str, int] = {}
    for nd in nodes:
        type_count[nd.get("type", "")] = type_count.get(nd.get("type", ""), 0) + 1
    types, k = [], 0
    for t in v.types:
        if t.code in TYPE_COLORS:
            color = TYPE_COLORS[t.code]
        else:
            color = PALETTE[k % len(PALETTE)]
            k += 1
        if t.code in type_count:
            types.append({"code": t.code, "label": t.label, "label_en": t.label_en, "color": color,
                          "count": type_count.pop(t.code)})
    other = sum(type_count.values())
    if other:
        labels = sorted(c for c in type_count if c)
        types.append({"code": "", "label": "Khác / chưa rõ loại", "label_en": "Other / unknown type",
                      "color": UNKNOWN_TYPE_COLOR, "count": other, "codes": labels})

    level_count: dict[str, int] = {}
    for nd in nodes:
        level_count[nd["level"]] = level_count.get(nd["level"], 0) + 1
    levels = [{"id": lv, "label": LEVEL_LABELS[lv][0], "label_en": LEVEL_LABELS[lv][1], "color": LEVEL_COLORS[lv],
               "count": level_count.get(lv, 0)} for lv in LEVELS]
    issuers = sorted({nd["issuer"] for nd in nodes if nd.get("issuer")}
                     | {nd["jurisdiction"] for nd in nodes if nd.get("jurisdiction")
                        and not str(nd.get("jurisdiction_code", "")).startswith("x-")}, key=lambda s: (fold(s), s))
    years = sorted({y for nd in nodes if (y := _year(nd)) is not None})
    meta = {"title": title, "lang": lang if lang in ("vi", "en") else "vi",
            "focus": index[focus] if focus is not None and focus in index else None,
            "focus_depth": g.graph.get("focus_depth"),
            "filters": {k: (sorted(v) if isinstance(v, set) else v) for k, v in (filters or {}).items()
                        if v not in (None, "", set())},
            "nodes": len(nodes), "edges": len(edges),
            "total_nodes": total[0] if total else len(nodes), "total_edges": total[1] if total else len(edges),
            "large": len(nodes) > LARGE, "years": [years[0], years[-1]] if years else None}
    return {"meta": meta, "relations": relations, "types": types, "levels": levels, "issuers": issuers,
            "issuer_keys": list(keys), "bands": bands, "nodes": nodes, "edges": edges}


_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(obj) -> str:
    """JSON for a <script type="application/json"> block: nothing in it can close the element or start
    markup (<, >, & escaped), and U+2028/2029 are escaped for old JavaScript parsers."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


def vis_network_js() -> str:
    """The vis-network 9.1.2 standalone build that pyvis ships (found without importing pyvis)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("plangraph viz needs the 'pyvis' package (it ships vis-network)")
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*VIS_JS)
    js = path.read_text(encoding="utf-8")
    low = js.lower()
    if "</script" in low or "<!--" in low:      # would end or corrupt the inline <script> element
        raise ValueError(f"{path}: cannot be inlined (contains '</script' or '<!--')")
    return js


def _template():
    import jinja2
    from importlib import resources
    here = Path(__file__).resolve().parent / "templates" / "graph.html"
    text = here.read_text(encoding="utf-8") if here.is_file() else \
        resources.files("graph_builder").joinpath("templates/graph.html").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return env.from_string(text)


def render_html(g: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2, relations: set[str] | None = None,
                types: set[str] | None = None, issuer: str | None = None, year_from: int | None = None,
                year_to: int | None = None, lang: str = "vi", title: str = "plangraph") -> str:
    """The graph as one self-contained HTML page.  `focus` (a số hiệu or IRI) keeps only its
    neighbourhood up to `depth`; `relations`/`types`/`issuer`/`year_from`/`year_to` filter the graph
    before that (see filter_graph).  The page filters further, searches, and shows each document's
    relations with their evidence."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    total = (g.number_of_nodes(), g.number_of_edges())
    focus_id = resolve_ref(g, focus) if focus else None
    filters = {"relations": relations, "types": types, "issuer": issuer, "year_from": year_from,
               "year_to": year_to}
    h = g
    if any(v not in (None, "", set()) for v in filters.values()):
        h = filter_graph(g, relations=relations, types=types, issuer=issuer, year_from=year_from, year_to=year_to,
                         keep=[focus_id] if focus_id else ())
        filters["relations"] = normalise_relations(relations) if relations else None
        filters["types"] = normalise_types(types) if types else None
    if focus_id:
        h = h.subgraph(neighbourhood(h, focus_id, depth)).copy()
        h.graph["focus_depth"] = depth
    data = page_data(h, focus=focus_id, lang=lang, title=title, filters=filters, total=total)
    return _template().render(title=title, lang=data["meta"]["lang"], data_json=_Markup(script_json(data)),
                              vis_js=_Markup(vis_network_js()))


def _Markup(s: str):
    from markupsafe import Markup
    return Markup(s)


def graph_json_path(graph_dir_or_json: Path) -> Path:
    p = Path(graph_dir_or_json)
    if p.is_dir():
        p = p / "graph.json"
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such file (run `plangraph build` first)")
    return p


def write_html(graph_dir_or_json: Path, out: Path, **kwargs) -> Path:
    """Load graph.json (a build's output folder or the file itself), render it, write `out` atomically."""
    from .export import atomic_write, load_node_link
    g = load_node_link(graph_json_path(graph_dir_or_json))
    html = render_html(g, **kwargs)
    out = Path(out)
    atomic_write(out, html)
    return out
