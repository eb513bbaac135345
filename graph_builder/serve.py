"""`plangraph serve`: a read-only SPARQL 1.1 Protocol endpoint on localhost, and the impact check over HTTP.

GET /sparql?query=…  or  POST /sparql (application/x-www-form-urlencoded `query=…`, or
application/sparql-query).  Results by content negotiation: SELECT/ASK as application/sparql-results+json
(default), application/sparql-results+xml, text/csv or text/tab-separated-values; CONSTRUCT/DESCRIBE as
text/turtle (default), application/n-triples or application/ld+json.  SPARQL Update is refused (403).
A query that calls out to another endpoint (SERVICE) is refused (403) too, and one naming datasets (FROM, FROM
NAMED: 400): the endpoint must never fetch other hosts.  Web pages of other origins may read answers only when
the user allows them (allow_origins / --allow-origin, CORS): the corpus may hold internal plans, and any site
the browser opens could otherwise query localhost.  Each query runs in a worker
process with a time limit; a query over the limit is stopped (the worker is replaced in the background) and
answered 503.  The ontology's prefixes are predeclared.  Each worker holds the graph in rdflib's memory store
(default: one worker, as each holds the whole graph) or opens the on-disk Oxigraph store read-only
(store="oxigraph", see sparql.py: two workers by default, so a light query need not wait behind a heavy one).

GET /impact?ref=76/NQ-CP[&format=json|html|md|text][&lang=vi|en][&as_of=2023] answers `plangraph impact`
from graph.json, loaded once when the server starts (in the background: a large graph takes a while, and
the SPARQL side answers meanwhile; /impact says 503 with Retry-After until it is ready), so each check
costs the traversal alone instead of a load of the graph.  Without `format`, a browser (Accept: text/html)
gets the HTML page, other clients JSON.  A REF that names no document is 404, several 300 (Multiple
Choices), both with the error object of `plangraph impact --format json`.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import re
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .sparql import describe_saved, error_message, with_prologue

# Strings, IRIs and comments of a query, whose text is no keyword.
_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
                     r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE\b", re.I)
_FROM = re.compile(r"(?<![\w?$:])FROM\b", re.I)


def calls_out(query: str) -> bool:
    """The query uses SERVICE (federated query: the server would fetch another endpoint)."""
    return _SERVICE.search(_OPAQUE.sub(" ", query)) is not None


def names_datasets(query: str) -> bool:
    """The query has a dataset clause (FROM / FROM NAMED): the endpoint has one default graph, and loading
    graphs named by IRI would fetch them from the web."""
    return _FROM.search(_OPAQUE.sub(" ", query)) is not None


def _tsv(res) -> bytes:
    """SPARQL 1.1 Query Results TSV: a header of ?names, then each term in Turtle syntax; unbound is empty."""
    names = [str(v) for v in res.vars]
    lines = ["\t".join("?" + n for n in names)]
    for row in res:
        lines.append("\t".join("" if v is None else v.n3() for v in row))
    return ("\n".join(lines) + "\n").encode("utf-8")

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
ASK_TYPES = {k: v for k, v in SELECT_TYPES.items() if v in ("json", "xml")}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}


def _negotiate(accept: str, table: dict[str, str], default: str) -> tuple[str, str]:
    prefs = []
    for i, part in enumerate((accept or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        prefs.append((-q, i, bits[0].lower()))
    for _q, _i, mime in sorted(prefs):
        if mime in table:
            return mime, table[mime]
    return default, table[default]


def _worker(graph_path: str, store: str, store_dir: str | None, conn) -> None:
    import signal

    import rdflib.plugins.sparql
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the server's to handle; it closes the workers
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a graph named in a query
    from .sparql import open_store
    g = open_store(Path(graph_path), store, Path(store_dir) if store_dir else None)
    conn.send(("ready", len(g)))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):                 # the server is gone
            return
        if msg is None:
            return
        query, accept = msg
        try:
            res = g.query(with_prologue(query))
            if res.type == "SELECT":
                res.bindings                         # evaluated here (rdflib is lazy): its errors are the query's
        except Exception as e:                     # a malformed query (or an Update sent as a query)
            conn.send((400, "text/plain; charset=utf-8", f"malformed query: {error_message(e)}".encode("utf-8")))
            continue
        try:
            if res.type in ("CONSTRUCT", "DESCRIBE"):
                mime, fmt = _negotiate(accept, GRAPH_TYPES, "text/turtle")
                body = res.graph.serialize(format=fmt, encoding="utf-8")
            elif res.type == "ASK":             # a boolean has no CSV/TSV form: JSON or XML
                mime, fmt = _negotiate(accept, ASK_TYPES, "application/sparql-results+json")
                body = res.serialize(format=fmt)
            else:
                mime, fmt = _negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
                body = _tsv(res) if fmt == "tsv" else res.serialize(format=fmt)
            conn.send((200, f"{mime}; charset=utf-8", body))
        except Exception as e:
            conn.send((500, "text/plain; charset=utf-8", f"cannot serialise the result: {e}".encode("utf-8")))


class _Worker:
    def __init__(self, graph_path: str, store: str, store_dir: str | None):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(graph_path, store, store_dir, child), daemon=True)
        self.proc.start()
        self.triples = self.conn.recv()[1]

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(timeout=2)
        if self.proc.is_alive():
            self.proc.kill()


class QueryRunner:
    """Worker processes holding the graph; a request takes an idle one.  A worker whose query runs over the time
    limit is killed and replaced in the background, so the request is answered 503 at once."""

    def __init__(self, graph_path: Path, timeout: float, store: str = "memory", store_dir: Path | None = None,
                 workers: int = 1):
        self.args = (str(graph_path), store, str(store_dir) if store_dir else None)
        self.timeout = timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        for _ in range(max(1, workers)):
            self._add(_Worker(*self.args))
        self.triples = next(iter(self.all)).triples

    def _add(self, w: _Worker) -> None:
        with self.lock:
            self.all.add(w)
        self.idle.put(w)

    def _replace(self, w: _Worker) -> None:
        """A new worker for w (stopped over its time limit, or dead); retried until one starts, so the pool
        never shrinks for good."""
        w.proc.kill()
        w.proc.join()
        with self.lock:
            self.all.discard(w)
        delay = 1.0
        while True:
            try:
                self._add(_Worker(*self.args))
                return
            except Exception as e:                  # e.g. out of memory while loading the graph: try again
                print(f"plangraph serve: a query worker did not start ({e}); retrying in {delay:g} s",
                      file=sys.stderr, flush=True)
                time.sleep(delay)
                delay = min(delay * 2, 60.0)

    def _busy(self, why: str) -> tuple[int, str, bytes]:
        return 503, "text/plain; charset=utf-8", why.encode("utf-8")

    def run(self, query: str, accept: str) -> tuple[int, str, bytes]:
        try:
            w = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return self._busy("every query worker is busy (or restarting); retry in a moment")
        try:
            w.conn.send((query, accept))
            if w.conn.poll(self.timeout):
                answer = w.conn.recv()
                self.idle.put(w)
                return answer
            why = f"query stopped: over the time limit of {self.timeout:g} s"
        except (EOFError, OSError):                  # the worker died (out of memory…): replace it, say so
            why = "the query worker stopped unexpectedly; it is being restarted"
        threading.Thread(target=self._replace, args=(w,), daemon=True).start()
        return self._busy(why)

    def close(self) -> None:
        with self.lock:
            workers = list(self.all)
        for w in workers:
            w.close()


class ImpactService:
    """graph.json loaded once, in a background thread; impact checks one at a time (the traversal's caches are
    per graph and not made for concurrent filling)."""

    def __init__(self, graph_json: Path):
        self.path = graph_json
        self.graph = None
        self.error: str | None = None
        self.lock = threading.Lock()
        self.ready = threading.Event()
        threading.Thread(target=self._load, daemon=True).start()

    def _load(self) -> None:
        from . import impact as imp
        from .export import load_node_link
        try:
            g = load_node_link(self.path)
            imp.prepare(g)                           # the first check is then as fast as the next ones
            self.graph = g
        except Exception as e:                       # a broken graph.json: say so on every request
            self.error = f"{self.path}: cannot be read ({e})"
        self.ready.set()

    def answer(self, params: dict[str, list[str]], accept: str) -> tuple[int, str, bytes, dict]:
        import json

        from . import impact as imp
        one = {k: v[-1] for k, v in params.items() if v}
        fmt = one.get("format") or ("html" if "text/html" in (accept or "") else "json")
        lang = one.get("lang", "vi")
        if fmt not in ("json", "html", "md", "text") or lang not in ("vi", "en"):
            return 400, "text/plain; charset=utf-8", b"format is json, html, md or text; lang is vi or en\n", {}
        if not one.get("ref", "").strip():
            return 400, "text/plain; charset=utf-8", "give ref=: a số hiệu or a node IRI\n".encode("utf-8"), {}
        if not self.ready.wait(timeout=0.5):
            return 503, "text/plain; charset=utf-8", b"the graph is still loading; retry shortly\n", {"Retry-After": "5"}
        if self.graph is None:
            return 500, "text/plain; charset=utf-8", (self.error + "\n").encode("utf-8"), {}
        try:
            as_of = imp.parse_as_of(one["as_of"]) if one.get("as_of") else None
        except ValueError as e:
            return 400, "text/plain; charset=utf-8", f"as_of: {e}\n".encode("utf-8"), {}
        g = self.graph
        with self.lock:
            try:
                res = imp.impact(g, imp.find_ref(g, one["ref"]), as_of=as_of)
            except imp.RefError as e:
                body = json.dumps(imp.ref_error_json(g, e, lang), ensure_ascii=False, indent=1).encode("utf-8")
                return (300 if e.kind == "ambiguous" else 404), "application/json; charset=utf-8", body, {}
            if fmt == "json":
                return 200, "application/json; charset=utf-8", json.dumps(
                    {"query": one["ref"], **imp.to_json(g, res)}, ensure_ascii=False).encode("utf-8"), {}
            report = [imp.impact_report(g, res, lang)]
        ctype = {"html": "text/html", "md": "text/markdown"}.get(fmt, "text/plain")
        return 200, f"{ctype}; charset=utf-8", imp.render(fmt, report).encode("utf-8"), {}


def make_handler(runner: QueryRunner, impact: ImpactService | None = None, allow_origins: tuple[str, ...] = ()):
    class Handler(BaseHTTPRequestHandler):
        server_version = "plangraph-sparql"

        def log_message(self, fmt, *args):      # quiet by default
            pass

        def _cors(self) -> None:
            """Only the origins the user allowed (--allow-origin) may read answers from a web page: the corpus
            may hold internal plans, and any site the browser opens could otherwise query localhost."""
            origin = self.headers.get("Origin")
            if "*" in allow_origins:
                self.send_header("Access-Control-Allow-Origin", "*")
            elif origin and origin in allow_origins:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")

        def _send(self, status: int, ctype: str, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self._cors()
            self.end_headers()
            self.wfile.write(body)

        def _text(self, status: int, msg: str) -> None:
            self._send(status, "text/plain; charset=utf-8", (msg + "\n").encode("utf-8"))

        def _answer(self, params: dict[str, list[str]]) -> None:
            if "update" in params:
                return self._text(HTTPStatus.FORBIDDEN, "read-only endpoint: SPARQL Update is refused")
            queries = params.get("query", [])
            if len(queries) != 1 or not queries[0].strip():
                return self._text(HTTPStatus.BAD_REQUEST, "give exactly one 'query' parameter")
            if calls_out(queries[0]):
                return self._text(HTTPStatus.FORBIDDEN, "SERVICE (federated query) is refused: this endpoint "
                                                        "does not fetch other endpoints")
            if names_datasets(queries[0]):
                return self._text(HTTPStatus.BAD_REQUEST, "FROM / FROM NAMED is not supported: the endpoint has "
                                                          "one default graph, the corpus's")
            status, ctype, body = runner.run(queries[0], self.headers.get("Accept", ""))
            self._send(status, ctype, body)

        def do_GET(self):
            url = urlsplit(self.path)
            if url.path in ("/", "/index.html"):
                saved = "\n".join(f"- {n}: {d}" for n, d in describe_saved())
                return self._text(HTTPStatus.OK, f"plangraph SPARQL endpoint (read-only): GET or POST /sparql?query=…"
                                                 f"\n{runner.triples} triples.\nSaved queries (ontology/queries):\n{saved}"
                                                 "\nImpact check: GET /impact?ref=76/NQ-CP[&format=json|html|md|text]"
                                                 "[&lang=vi|en][&as_of=YYYY-MM-DD]")
            if url.path == "/impact":
                if impact is None:
                    return self._text(HTTPStatus.NOT_FOUND, "no graph.json beside graph.ttl: /impact is off")
                return self._send(*impact.answer(parse_qs(url.query), self.headers.get("Accept", "")))
            if url.path != "/sparql":
                return self._text(HTTPStatus.NOT_FOUND, "not found: the endpoints are /sparql and /impact")
            self._answer(parse_qs(url.query, keep_blank_values=True))

        def do_POST(self):
            url = urlsplit(self.path)
            if url.path != "/sparql":
                return self._text(HTTPStatus.NOT_FOUND, "not found: the endpoint is /sparql")
            length = int(self.headers.get("Content-Length") or 0)
            if length > 1_000_000:
                return self._text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too large")
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return self._text(HTTPStatus.FORBIDDEN, "read-only endpoint: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                params = parse_qs(url.query, keep_blank_values=True)
                params["query"] = [body]
                return self._answer(params)
            if ctype == "application/x-www-form-urlencoded":
                return self._answer(parse_qs(body, keep_blank_values=True))
            return self._text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              "POST application/sparql-query or application/x-www-form-urlencoded")

        def do_OPTIONS(self):                     # a browser's CORS preflight (POST application/sparql-query)
            self.send_response(HTTPStatus.NO_CONTENT)
            self.send_header("Allow", "GET, POST, OPTIONS")
            self._cors()
            if allow_origins:
                self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_PUT(self):
            self._text(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint")

        do_DELETE = do_PATCH = do_PUT

    return Handler


def make_server(graph: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
                store: str = "memory", store_dir: Path | None = None, workers: int | None = None,
                allow_origins: tuple[str, ...] = ()):
    """The endpoint over graph.ttl; store="oxigraph" loads it (once) into an on-disk Oxigraph store first, which
    the query workers then open read-only.  workers: query processes (default 1 for memory, 2 for oxigraph)."""
    from .sparql import graph_file, prepare_oxigraph
    p = graph_file(graph)
    if store == "oxigraph":
        store_dir = prepare_oxigraph(p, store_dir, quiet=False)
    elif store != "memory":
        raise ValueError(f"unknown store {store!r}")
    runner = QueryRunner(p, timeout, store, store_dir, workers or (2 if store == "oxigraph" else 1))
    gj = p.with_name("graph.json")
    impact = ImpactService(gj) if gj.is_file() else None
    server = ThreadingHTTPServer((host, port), make_handler(runner, impact, tuple(allow_origins)))
    server.impact = impact
    server.runner = runner
    return server
