"""SPARQL over the built graph, with the ontology's prefixes predeclared, and the saved queries library.

A QUERY is inline text, a .rq file, or the name of a saved query in ontology/queries/ ("implementers").
Parameters (--bind ref=76/NQ-CP) are bound before evaluation.  A query declares its parameters in its header
(`# @param NAME required|optional — what it is`): a required one that is missing, or a name the query does not
declare, is an error instead of a silent empty (or whole-graph) answer.  Two parameter names mean more than a
literal: `ref` is a document, looked up by its số hiệu (exactly, or loosely: "76 NQ CP") or its IRI, and a số
hiệu that several documents share (every province issues a 249/KH-UBND) is refused with the candidates, as
`plangraph impact` does; `province` is a province's name (with or without diacritics) or code, bound as its
jurisdiction code ("vn-20").

Two stores answer the same queries with the same results:
- "memory" (default): graph.ttl parsed into rdflib's in-memory store at every start.  Right for corpora up to
  some ten thousand documents; it needs ~1 KB of memory per triple (≈ 85 triples per document).
- "oxigraph" (`pip install plangraph[oxigraph]`): graph.ttl bulk-loaded once into an on-disk Oxigraph store
  (default GRAPH_FOLDER/oxigraph/), reused while graph.ttl is unchanged (same size and mtime, or else the
  same SHA-256), reloaded when it changed.  Queries run in Oxigraph's engine; results come back as rdflib
  Result objects, so the formatting and the endpoint are the same.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from .rdf import PREFIXES
from .textcut import clip_words
from .vocabulary import ontology_dir

# One line before the query; error_message() takes it out of the positions a syntax error gives.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}> " for p, ns in sorted(PREFIXES.items())) + "\n"
_RDFLIB_POS = re.compile(r"\(at char \d+\),\s*\(line:(\d+), col:(\d+)\)")
_OX_POS = re.compile(r"error at (\d+):(\d+)")


def error_message(e: Exception) -> str:
    """A query error with its position in the query as written (the predeclared prefixes' line taken out)."""
    msg = str(e)
    msg = _RDFLIB_POS.sub(lambda m: f"(line {int(m.group(1)) - 1}, column {m.group(2)})", msg)
    return _OX_POS.sub(lambda m: f"error at line {int(m.group(1)) - 1}, column {m.group(2)}", msg)


def saved_queries() -> dict[str, Path]:
    return {p.stem: p for p in sorted((ontology_dir() / "queries").glob("*.rq"))}


def describe_saved() -> list[tuple[str, str]]:
    out = []
    for name, p in saved_queries().items():
        doc = [ln[1:].strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
        out.append((name, " ".join(doc)))
    return out


def query_text(q: str) -> str:
    """The text of QUERY: a saved query's name, a .rq file, or the query itself.  A bare word that names no
    saved query (a typo: "implementer") is an error listing them, not a query sent to the parser."""
    saved = saved_queries()
    if q in saved:
        return saved[q].read_text(encoding="utf-8")
    p = Path(q)
    if p.suffix in (".rq", ".sparql") or (len(q) < 300 and "\n" not in q and p.is_file()):
        if not p.is_file():
            raise FileNotFoundError(f"{q}: no such query file (saved queries: {', '.join(saved)})")
        return p.read_text(encoding="utf-8")
    if re.fullmatch(r"[\w-]+", q.strip()):
        raise FileNotFoundError(f"{q!r}: no saved query of that name (saved queries: {', '.join(saved)})")
    return q


def with_prologue(text: str) -> str:
    return PROLOGUE + text


STORES = ("memory", "oxigraph")


def graph_file(graph: Path) -> Path:
    """graph.ttl of a build folder (or the .ttl/.nt/.jsonld file given)."""
    p = Path(graph)
    if p.is_dir():
        p = p / "graph.ttl"
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no graph here; run `plangraph build` first")
    return p


def _rdf_format(p: Path) -> str:
    return {".jsonld": "json-ld", ".nt": "nt", ".json": "json-ld"}.get(p.suffix, "turtle")


def load_graph(graph: Path) -> Graph:
    """graph.ttl from a build folder (or a .ttl/.jsonld file), in rdflib's in-memory store."""
    p = graph_file(graph)
    return Graph().parse(p, format=_rdf_format(p))


def open_store(graph: Path, store: str = "memory", store_dir: Path | None = None, *, quiet: bool = True):
    """The graph ready for `run`: an rdflib Graph ("memory") or an OxigraphGraph ("oxigraph")."""
    if store == "memory":
        return load_graph(graph)
    if store == "oxigraph":
        p = graph_file(graph)
        d = prepare_oxigraph(p, store_dir, quiet=quiet)
        return OxigraphGraph(d)
    raise ValueError(f"unknown store {store!r} (choose from {', '.join(STORES)})")


# ---- Oxigraph ------------------------------------------------------------------------------------------------
STAMP = "plangraph-source.json"
LOADER_VERSION = 1


class StoreError(RuntimeError):
    """The Oxigraph store cannot be used (pyoxigraph missing, or --store-dir is not a plangraph store)."""


def _pyoxigraph():
    try:
        import pyoxigraph
    except ImportError as e:                     # pragma: no cover - depends on the environment
        raise StoreError("the oxigraph store needs pyoxigraph: pip install 'plangraph[oxigraph]'") from e
    return pyoxigraph


def default_store_dir(graph_path: Path) -> Path:
    return Path(graph_path).resolve().parent / "oxigraph"


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _read_stamp(d: Path) -> dict | None:
    try:
        return json.loads((d / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store_is_current(graph_path: Path, store_dir: Path) -> bool:
    """True when store_dir holds graph_path as it is now (size and mtime, or else content, unchanged)."""
    stamp, st = _read_stamp(store_dir), graph_path.stat()
    if not stamp or stamp.get("loader") != LOADER_VERSION or stamp.get("size") != st.st_size:
        return False
    if stamp.get("mtime_ns") == st.st_mtime_ns:
        return True
    if stamp.get("sha256") != _sha256(graph_path):
        return False
    stamp["mtime_ns"] = st.st_mtime_ns               # touched, not changed: remember the new mtime
    (store_dir / STAMP).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
    return True


def prepare_oxigraph(graph_path: Path, store_dir: Path | None = None, *, quiet: bool = True) -> Path:
    """Bulk-load graph_path into an on-disk Oxigraph store unless store_dir already holds it; return store_dir.

    The new store is loaded beside the old one and swapped in when complete, so a killed load leaves the
    previous store (or none) and never a half-loaded one.  A store_dir that exists but is not a plangraph
    store (no stamp file, not empty) is refused rather than replaced."""
    ox = _pyoxigraph()
    graph_path = Path(graph_path).resolve()
    store_dir = Path(store_dir) if store_dir else default_store_dir(graph_path)
    if store_dir.exists():
        if store_is_current(graph_path, store_dir):
            return store_dir
        if not store_dir.is_dir() or (any(store_dir.iterdir()) and not (store_dir / STAMP).is_file()):
            raise StoreError(f"{store_dir}: exists and is not an Oxigraph store made by plangraph; "
                             "give another --store-dir")
    st = graph_path.stat()
    tmp = store_dir.with_name(f".{store_dir.name}.loading-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    if not quiet:
        print(f"loading {graph_path} into the Oxigraph store {store_dir} (once; reused while it is unchanged)",
              file=__import__("sys").stderr, flush=True)
    try:
        s = ox.Store(str(tmp))
        fmt = {"json-ld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}.get(_rdf_format(graph_path),
                                                                                   ox.RdfFormat.TURTLE)
        s.bulk_load(path=str(graph_path), format=fmt)
        s.optimize()
        triples = len(s)
        s.flush()
        del s
        stamp = {"source": str(graph_path), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                 "sha256": _sha256(graph_path), "triples": triples, "loader": LOADER_VERSION,
                 "pyoxigraph": ox.__version__}
        (tmp / STAMP).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
        old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
        if store_dir.exists():
            os.replace(store_dir, old)
        os.replace(tmp, store_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return store_dir


_XSD_STRING = str(XSD.string)


def _from_ox(t):
    """A pyoxigraph term as an rdflib term (plain literals without the explicit xsd:string, as rdflib reads)."""
    if t is None:
        return None
    kind = type(t).__name__
    if kind == "NamedNode":
        return URIRef(t.value)
    if kind == "Literal":
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value) if dt == _XSD_STRING else Literal(t.value, datatype=URIRef(dt))
    if kind == "BlankNode":
        return BNode(t.value)
    raise TypeError(f"unexpected term {t!r}")


def _to_ox(t):
    ox = _pyoxigraph()
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)) if t.datatype else None)
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    raise TypeError(f"unexpected term {t!r}")


_NOT_PROJECTED = re.compile(r"does not contains? variable \?(\w+) in its SELECT projection")
_TOKENS = re.compile(r'("""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
                     r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*)|[?$](\w+)")


def _sparql_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        lex = '"' + str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
        if t.language:
            return f"{lex}@{t.language}"
        return f"{lex}^^<{t.datatype}>" if t.datatype else lex
    raise TypeError(f"cannot bind {t!r}")


def substitute(text: str, var: str, value) -> str:
    """The query with every ?var / $var (outside strings, IRIs and comments) replaced by the term."""
    term = _sparql_term(value)
    return _TOKENS.sub(lambda m: term if m.group(2) == var else m.group(0), text)


class OxigraphGraph:
    """The part of rdflib's Graph API the CLI and the endpoint use (query, len), over an on-disk Oxigraph store
    opened read-only (several processes may query one store)."""

    def __init__(self, store_dir: Path):
        ox = _pyoxigraph()
        self.store_dir = Path(store_dir)
        self.store = ox.Store.read_only(str(store_dir))

    def __len__(self) -> int:
        return len(self.store)

    def query(self, text: str, initBindings: dict | None = None) -> Result:   # noqa: N803 (rdflib's name)
        ox = _pyoxigraph()
        bindings = dict(initBindings or {})
        # Oxigraph substitutes only projected variables; the others (?ref of `implementers`) are written into
        # the query text, which gives rdflib's initBindings meaning for variables of patterns and filters.
        while True:
            subst = {ox.Variable(str(k)): _to_ox(v) for k, v in bindings.items()}
            try:
                r = self.store.query(text, substitutions=subst or None)
                break
            except SyntaxError as e:
                raise ValueError(str(e)) from None
            except RuntimeError as e:
                m = _NOT_PROJECTED.search(str(e))
                if not m or m.group(1) not in bindings:
                    raise
                text = substitute(text, m.group(1), bindings.pop(m.group(1)))
        if isinstance(r, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(r)
        elif isinstance(r, ox.QuerySolutions):
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in r.variables]
            names = out.vars
            out.bindings = [{v: _from_ox(x) for v, x in zip(names, sol) if x is not None} for sol in r]
        else:
            out = Result("CONSTRUCT")
            out.graph = Graph()
            for t in r:
                out.graph.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
        return out

    def close(self) -> None:
        self.store = None


class ParamError(ValueError):
    """A parameter missing, unknown to the query, or naming no document / several (then .candidates)."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s+(required|optional)\b(?:\s+/([^/\n]+)/)?\s*[—:-]*\s*(.*)$", re.M)


def params(text: str) -> dict[str, tuple[bool, str]]:
    """The parameters a query declares in its header: name -> (required, description).  A declaration may
    give the values it accepts as a regular expression between slashes (`# @param year optional /\\d{4}/ — …`)."""
    return {m.group(1): (m.group(2) == "required", m.group(4).strip()) for m in _PARAM.finditer(text)}


def param_patterns(text: str) -> dict[str, str]:
    return {m.group(1): m.group(3) for m in _PARAM.finditer(text) if m.group(3)}


def _is_iri(v: str) -> bool:
    return v.startswith(("http://", "https://", "urn:"))


def _document(g, ref: str) -> tuple[URIRef, str]:
    """(IRI, số hiệu) of the one document REF names: an IRI, an exact số hiệu, or one written loosely as
    `plangraph impact` reads it ("76 NQ CP", "nq 76/2021", "Nghị quyết 76", "61/NĐ-CP" for 61/2018/NĐ-CP):
    every word of REF is a word of the document's số hiệu or label, or its year."""
    from .refs import tokens
    if _is_iri(ref):
        rows = list(g.query(with_prologue(f"SELECT ?n WHERE {{ {_sparql_term(URIRef(ref))} eli:id_local ?n }}")))
        return URIRef(ref), str(rows[0][0]) if rows else ""
    cols = ("SELECT DISTINCT ?t ?n ?label ?j ?date WHERE { ?t eli:id_local ?n . %s OPTIONAL { ?t rdfs:label ?label } "
            "OPTIONAL { ?t pg:jurisdiction ?j } OPTIONAL { ?t eli:date_document|pg:datePartial ?date } }")
    found = [(r[0], str(r[1]), r[2], r[3]) for r in g.query(with_prologue(cols % ""), initBindings={"n": Literal(ref)})]
    if not found:
        want = tokens(ref)
        lead = next((t for t in want if t.isdigit()), None)
        if lead is not None:
            pat = _sparql_term(Literal(f"^0*{lead}[^0-9]"))
            rows = list(g.query(with_prologue(cols % f"FILTER(REGEX(?n, {pat}))")))
            exact = [r for r in rows if tokens(str(r[1])) == want]
            loose = [r for r in rows if set(want) <= set(tokens(str(r[1]))) | set(tokens(str(r[2] or "")))
                     | ({str(r[4])[:4]} if r[4] is not None else set())]
            found = [(r[0], str(r[1]), r[2], r[3]) for r in (exact or loose)]
    targets = sorted({f[0]: f for f in found}.values(), key=lambda f: str(f[0]))
    if len(targets) == 1:
        return targets[0][0], targets[0][1]
    if not targets:
        raise ParamError(f"ref={ref!r}: no document has this số hiệu")
    cands = [f"{f[0]}  {f[2] or f[1]}" + (f" ({f[3]})" if f[3] else "") for f in targets]
    raise ParamError(f"ref={ref!r} names {len(targets)} documents; bind ref to one IRI:\n  " + "\n  ".join(cands),
                     cands)


def _province_code(value: str) -> str:
    from . import places
    if re.fullmatch(r"vn-\d{2}", value):
        return value
    if re.fullmatch(r"\d{1,2}", value):
        return f"vn-{int(value):02d}"
    m = places.resolve(value, "province")
    if m.status != "resolved" or m.place is None:
        raise ParamError(f"province={value!r}: not a province ({m.reason})")
    return f"vn-{m.place.province_code}"


def bind_params(g, text: str, bindings: dict[str, str] | None = None) -> dict:
    """rdflib initBindings for the query: declared parameters checked; `ref` and `province` looked up."""
    declared = params(text)
    bindings = dict(bindings or {})
    if declared:
        unknown = sorted(set(bindings) - set(declared))
        missing = sorted(k for k, (req, _d) in declared.items() if req and k not in bindings)
        if unknown or missing:
            usage = "; ".join(f"{k} ({'required' if req else 'optional'}): {d}" for k, (req, d) in declared.items())
            what = ([f"missing --bind {', '.join(missing)}"] if missing else []) + \
                   ([f"the query has no parameter {', '.join(unknown)}"] if unknown else [])
            raise ParamError(f"{'; '.join(what)}. Parameters: {usage}")
    for k, pat in param_patterns(text).items():
        if k in bindings and not re.fullmatch(pat, bindings[k]):
            raise ParamError(f"{k}={bindings[k]!r}: not a value of this parameter (allowed: {pat}; {declared[k][1]})")
    init = {}
    for k, v in bindings.items():
        if k == "ref" and "ref" in declared and "?target" in text:
            iri, number = _document(g, v)
            init["target"] = iri
            init["ref"] = Literal(number)
        elif k == "province" and "province" in declared:
            init[k] = Literal(_province_code(v))
        else:
            init[k] = URIRef(v) if _is_iri(v) else Literal(v)
    return init


def run(g: Graph, text: str, bindings: dict[str, str] | None = None) -> Result:
    return g.query(with_prologue(text), initBindings=bind_params(g, text, bindings))


def _cell(v) -> str:
    return "" if v is None else str(v)


_BY_NAMESPACE = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda t: -len(t[0]))
TABLE_TEXT = 70         # longest literal shown whole in a table (the csv and json formats keep every character)


def _table_cell(v) -> str:
    """A value as the table shows it: a vocabulary term by its prefixed name (pg:amends); a document IRI whole,
    so it can be copied; a long literal cut at a word, with "…"."""
    if v is None:
        return ""
    s = str(v)
    if isinstance(v, URIRef):
        for ns, p in _BY_NAMESPACE:
            if s.startswith(ns) and re.fullmatch(r"[\w.-]+", s[len(ns):]):
                return f"{p}:{s[len(ns):]}"
        return s
    return clip_words(s, TABLE_TEXT)


def format_result(res: Result, fmt: str = "table") -> str:
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        return res.graph.serialize(format="turtle")
    if res.type == "ASK":
        return json.dumps({"boolean": bool(res.askAnswer)}) + "\n" if fmt == "json" else f"{bool(res.askAnswer)}\n"
    names = [str(v) for v in res.vars]
    rows = [[_cell(r[i]) for i in range(len(names))] for r in res]
    if fmt == "json":
        return res.serialize(format="json").decode("utf-8") + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    rows = [[_table_cell(r[i]) for i in range(len(names))] for r in res]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
