"""Command line: extract, build, viz, impact, check, sparql, serve, vocab (see README).

Exit codes: 0 all files processed; 1 some files failed (each named on stderr with its reason, the others
processed and the outputs written); 2 usage error (e.g. the corpus folder does not exist).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .extract.pipeline import extract_text
from .models import Extraction
from .read import ReadError, read_document

def _expand(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith(".")))
        else:
            out.append(p)
    return out


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{col}"


def format_text(x: Extraction, text: str) -> str:
    d = x.document
    out = [f"== {x.path}",
           f"   document: {d.type_label or d.type or '?'} {d.number or '(no number)'}"
           f" | {d.date or 'no date'} | {d.issuer or '?'}"
           f"{' | ' + d.title if d.title else ''}{' | signed ' + d.signer if d.signer else ''}"
           f"{' | news article' if d.kind == 'news' else ''}"]
    rows = [("line:col", "number", "type", "date", "issuer", "relation", "trigger")]
    for c in x.citations:
        rel = c.relation + (f" (in #{c.nested_in + 1})" if c.nested_in is not None else "")
        rows.append((_line_col(text, c.span.start), c.number, c.type or "?", c.date or "-", c.issuer or "-",
                     rel, c.trigger or "-"))
    widths = [min(max(len(r[i]) for r in rows), 34) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        prefix = "   " if k == 0 else f"{k:>2} "
        out.append(prefix + "  ".join(v[:34].ljust(w) for v, w in zip(r, widths)).rstrip())
    for r in x.relations:
        out.append(f"   * {r.source} —{r.relation}→ {r.target}  (“{r.trigger}”)")
    for n in x.named_refs:
        out.append(f"   § {n.name}{' ' + n.number if n.number else ''}{' (' + n.date + ')' if n.date else ''}"
                   f" — {n.relation}")
    out.append(f"   {len(x.citations)} citations of {len({c.number for c in x.citations})} documents, "
               f"{len(x.relations)} third-party relations, {len(x.named_refs)} named laws")
    return "\n".join(out)


def cmd_extract(args) -> int:
    failed = 0
    for path in _expand(args.files):
        try:
            doc = read_document(path)
            text = doc.text
            x = extract_text(text, str(path))
        except ReadError as e:
            print(f"plangraph: {e}", file=sys.stderr)
            failed += 1
            continue
        for w in doc.warnings:
            print(f"plangraph: {path}: {w}", file=sys.stderr)
        if args.format == "json":
            obj = x.to_json()
            obj["source"] = doc.source()
            sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n")
        else:
            sys.stdout.write(format_text(x, text) + "\n\n")
    return 1 if failed else 0


def cmd_build(args) -> int:
    from .build import NoDocuments, build, parse_formats
    try:
        formats = parse_formats(args.formats)
    except ValueError as e:
        print(f"plangraph: {e}", file=sys.stderr)
        return 2
    try:
        report = build(Path(args.corpus), Path(args.out), jobs=args.jobs, use_cache=not args.no_cache,
                       base=args.base_iri, progress=True if args.progress else None, verify=args.verify,
                       formats=formats)
    except FileNotFoundError as e:
        print(f"plangraph: {e}", file=sys.stderr)
        return 2
    except NoDocuments as e:                  # nothing written: the previous graph stays
        for f in e.report.failed:
            print(f"plangraph: {f['path']}: {f['reason']}", file=sys.stderr)
        print(f"plangraph: {e}", file=sys.stderr)
        return 2                              # (1 says: a graph was written, some files failed)
    for f in report.failed:
        print(f"plangraph: {f['path']}: {f['reason']}", file=sys.stderr)
    md = report.to_markdown(include_run=True).split("\n## ")[0]
    print(md.strip())
    print(f"- outputs in {args.out}/: {', '.join(report.outputs)}")
    if report.removed:
        print(f"- removed (formats not asked for, from an earlier build): {', '.join(report.removed)}")
    return 1 if report.failed else 0


def cmd_viz(args) -> int:
    from . import viz
    try:
        kwargs = viz.parse_filters(args.filter or [])
        graph = Path(args.graph)
        out = Path(args.out) if args.out else (graph if graph.is_dir() else graph.parent) / "graph.html"
        out = viz.write_html(graph, out, focus=args.focus, depth=args.depth,
                             lang=args.lang, title=args.title, **kwargs)
    except (FileNotFoundError, ValueError) as e:
        print(f"plangraph: {e}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


def _load_graph(graph: str):
    from .export import load_node_link
    p = Path(graph)
    p = p / "graph.json" if p.is_dir() else p
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no graph here; run `plangraph build` first")
    return load_node_link(p)


def cmd_impact(args) -> int:
    """Each REF's impact, the graph loaded once.  A REF that names several documents or none is reported (on
    stderr, and with --format json as {"error": …} on stdout) and the others are still answered; exit 2 then."""
    from . import impact as imp
    try:
        g = _load_graph(args.graph)
    except FileNotFoundError as e:
        print(f"plangraph: {e}", file=sys.stderr)
        return 2
    w = imp.Words(g, args.lang)
    failed, reports = 0, []
    for ref in args.ref:
        try:
            node = imp.find_ref(g, ref)
        except imp.RefError as e:
            failed += 1
            print(f"plangraph: {w.ref_error(e)}", file=sys.stderr)
            if args.format == "json":
                sys.stdout.write(json.dumps(imp.ref_error_json(g, e, args.lang), ensure_ascii=False) + "\n")
            continue
        res = imp.impact(g, node, as_of=args.as_of)
        if args.format == "json":               # one object per REF, one per line
            sys.stdout.write(json.dumps({"query": ref, **imp.to_json(g, res)}, ensure_ascii=False) + "\n")
        else:
            reports.append(imp.impact_report(g, res, args.lang))
    if reports:
        sys.stdout.write(imp.render(args.format, reports))
    return 2 if failed else 0


def cmd_check(args) -> int:
    from . import impact as imp
    try:
        g = _load_graph(args.graph)
    except FileNotFoundError as e:
        print(f"plangraph: {e}", file=sys.stderr)
        return 2
    stale, unresolved = imp.stale_bases(g), imp.unresolved_refs(g)
    if args.format == "json":
        sys.stdout.write(json.dumps(imp.check_json(g, stale, unresolved, args.lang), ensure_ascii=False, indent=1)
                         + "\n")
    else:
        sys.stdout.write(imp.render(args.format, [imp.check_report(g, stale, unresolved, args.lang)]))
    return 0


def cmd_sparql(args) -> int:
    from . import sparql as sp
    try:
        text = sp.query_text(args.query)
        g = sp.open_store(Path(args.graph), args.store, Path(args.store_dir) if args.store_dir else None,
                          quiet=False)
    except (FileNotFoundError, sp.StoreError) as e:
        print(f"plangraph: {e}", file=sys.stderr)
        return 2
    bindings = {}
    for b in args.bind or []:
        if "=" not in b:
            print(f"plangraph: --bind {b!r}: write NAME=VALUE", file=sys.stderr)
            return 2
        k, v = b.split("=", 1)
        bindings[k] = v
    try:
        res = sp.run(g, text, bindings)
        sys.stdout.write(sp.format_result(res, args.format))
    except Exception as e:                      # rdflib raises pyparsing errors for malformed queries
        print(f"plangraph: query failed: {sp.error_message(e)}", file=sys.stderr)
        return 2
    return 0


def cmd_serve(args) -> int:
    from .serve import make_server
    from .sparql import StoreError
    try:
        server = make_server(Path(args.graph), args.host, args.port, args.timeout, store=args.store,
                             store_dir=Path(args.store_dir) if args.store_dir else None, workers=args.workers,
                             allow_origins=tuple(args.allow_origin or ()))
    except (FileNotFoundError, StoreError) as e:
        print(f"plangraph: {e}", file=sys.stderr)
        return 2
    host, port = server.server_address[:2]
    import signal

    def stop(_sig, _frame):                      # SIGTERM ends the server as Ctrl-C does, quietly
        raise KeyboardInterrupt
    # before the line that says the server is up: a SIGTERM right after it (a service manager, a test) must not
    # find the default action, which kills the process and leaves the workers
    signal.signal(signal.SIGTERM, stop)
    try:
        print(f"SPARQL endpoint (read-only) at http://{host}:{port}/sparql — {server.runner.triples} triples "
              f"({args.store} store); impact check at http://{host}:{port}/impact?ref=…; Ctrl-C stops it", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.runner.close()
    return 0


def cmd_vocab(args) -> int:
    """Write ontology/vocabularies.ttl from ontology/vocab/*.toml (or check it is up to date)."""
    from .rdf import vocabulary_graph
    from .vocabulary import ontology_dir
    target = ontology_dir() / "vocabularies.ttl"
    text = VOCAB_HEADER + vocabulary_graph().serialize(format="turtle")
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current != text:
            print(f"plangraph: {target} is out of date: run `plangraph vocab`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        from .export import atomic_write
        atomic_write(target, text)
        print(f"wrote {target}")
    return 0


VOCAB_HEADER = ("# GENERATED by `plangraph vocab` from ontology/vocab/*.toml: edit those files, not this one.\n"
                "# SKOS schemes of document types and issuing bodies, and the relation properties with their\n"
                "# ELI super-properties and Vietnamese trigger phrases.\n")


def _store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", choices=("memory", "oxigraph"), default="memory",
                   help="memory: parse graph.ttl into rdflib at every start (default; small corpora); oxigraph: "
                        "load it once into an on-disk Oxigraph store, reused while graph.ttl is unchanged "
                        "(large corpora; pip install 'plangraph[oxigraph]')")
    p.add_argument("--store-dir", default=None,
                   help="folder of the Oxigraph store (default: the graph's folder/oxigraph)")


def _as_of(value: str) -> str:
    from .impact import parse_as_of
    try:
        return parse_as_of(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="plangraph", description=__doc__.split("\n")[0])
    ap.add_argument("--version", action="version", version=f"plangraph {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="find the citations in documents (one JSON object per file)")
    ex.add_argument("files", nargs="+", help="files or folders")
    ex.add_argument("--format", choices=("json", "text"), default="json")
    ex.set_defaults(func=cmd_extract)

    from .graph import DEFAULT_BASE
    b = sub.add_parser("build", help="build the graph of a corpus folder (RDF, GraphML, CSV, report)")
    b.add_argument("corpus", nargs="?", default="corpus", help="folder of documents (default: corpus/)")
    b.add_argument("--out", default="output", help="output folder (default: output/)")
    b.add_argument("--jobs", type=int, default=None, help="worker processes for extraction (default: all cores)")
    b.add_argument("--no-cache", action="store_true", help="extract every file again")
    b.add_argument("--verify", action="store_true",
                   help="read and hash every file instead of trusting unchanged size/mtime/ctime/inode (the cache "
                        "still spares re-extracting files whose content did not change)")
    b.add_argument("--base-iri", default=DEFAULT_BASE,
                   help=f"base of the document IRIs (default {DEFAULT_BASE}; use your own domain)")
    b.add_argument("--progress", action="store_true", help="show a progress bar even when not on a terminal")
    b.add_argument("--formats", default=None, metavar="LIST",
                   help="graph files to write, comma-separated: ttl (sparql, serve), json (impact, check, viz), "
                        "jsonld, graphml, csv; default all.  Graph files of the others left by an earlier build "
                        "are removed")
    b.set_defaults(func=cmd_build)

    vz = sub.add_parser("viz", help="interactive HTML graph that opens offline (one self-contained file)")
    vz.add_argument("--graph", default="output", help="build folder or its graph.json (default: output/)")
    vz.add_argument("--out", default=None, help="HTML file to write (default: GRAPH/graph.html)")
    vz.add_argument("--focus", help="show only this document's neighbourhood (số hiệu such as 76/NQ-CP, or IRI)")
    vz.add_argument("--depth", type=int, default=2, help="neighbourhood depth for --focus (default 2)")
    vz.add_argument("--filter", action="append", metavar="KEY=VALUE",
                    help="relation=based_on,implements | type=KH,NQ | issuer=Lạng Sơn | year=2021-2023 "
                         "(repeatable)")
    vz.add_argument("--lang", choices=("vi", "en"), default="vi", help="labels of the page (default vi)")
    vz.add_argument("--title", default="plangraph", help="page title")
    vz.set_defaults(func=cmd_viz)

    im = sub.add_parser("impact", help="what must be reviewed when a document changes")
    im.add_argument("ref", nargs="+", help="số hiệu (76/NQ-CP; also loosely: '76 NQ CP', 'nq 76/2021') or node IRI; "
                                           "several REFs are answered in one run (the graph is loaded once)")
    im.add_argument("--graph", default="output", help="build folder (default: output/)")
    im.add_argument("--format", choices=("text", "md", "json", "html"), default="text",
                    help="text, md (Markdown), json (one object per REF per line) or html (one page)")
    im.add_argument("--as-of", type=_as_of, metavar="DATE",
                    help="ignore documents dated after DATE: YYYY, YYYY-MM, YYYY-MM-DD or dd/mm/yyyy")
    im.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the answer (default vi)")
    im.set_defaults(func=cmd_impact)

    ck = sub.add_parser("check", help="stale bases and unresolved references over the whole graph")
    ck.add_argument("--graph", default="output")
    ck.add_argument("--format", choices=("text", "md", "json", "html"), default="text")
    ck.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the answer (default vi)")
    ck.set_defaults(func=cmd_check)

    sq = sub.add_parser("sparql", help="run a SPARQL query (inline, a .rq file, or a saved query name)")
    sq.add_argument("query", help="query text, file, or saved query: " + ", ".join(
        __import__("graph_builder.sparql", fromlist=["x"]).saved_queries()))
    sq.add_argument("--graph", default="output")
    sq.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sq.add_argument("--bind", action="append", metavar="NAME=VALUE", help="bind a query variable (repeatable)")
    _store_options(sq)
    sq.set_defaults(func=cmd_sparql)

    sv = sub.add_parser("serve", help="read-only SPARQL 1.1 endpoint on localhost")
    sv.add_argument("--graph", default="output")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=7878)
    sv.add_argument("--timeout", type=float, default=10.0, help="time limit of one query, seconds")
    sv.add_argument("--workers", type=int, default=None,
                    help="query processes (default: 1 with the memory store, each holds the graph; 2 with oxigraph)")
    sv.add_argument("--allow-origin", action="append", metavar="ORIGIN",
                    help="let web pages of ORIGIN (e.g. http://localhost:8080, or '*') query the endpoint from a "
                         "browser (CORS); by default no other site may read the corpus through it (repeatable)")
    _store_options(sv)
    sv.set_defaults(func=cmd_serve)

    vc = sub.add_parser("vocab", help="regenerate ontology/vocabularies.ttl from ontology/vocab/*.toml")
    vc.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    vc.set_defaults(func=cmd_vocab)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
