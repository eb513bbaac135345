"""Command line: `plangraph extract FILE...` and `plangraph build [CORPUS] [--out DIR]`.

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
from .read import ReadError, read_text

RELATION_VI = {"based_on": "căn cứ", "implements": "thực hiện", "guides": "hướng dẫn", "amends": "sửa đổi",
               "replaces": "thay thế", "repeals": "bãi bỏ", "cites": "dẫn chiếu"}


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
            text = read_text(path)
            x = extract_text(text, str(path))
        except ReadError as e:
            print(f"plangraph: {e}", file=sys.stderr)
            failed += 1
            continue
        if args.format == "json":
            sys.stdout.write(json.dumps(x.to_json(), ensure_ascii=False, sort_keys=False) + "\n")
        else:
            sys.stdout.write(format_text(x, text) + "\n\n")
    return 1 if failed else 0


def cmd_build(args) -> int:
    from .build import build
    try:
        report = build(Path(args.corpus), Path(args.out), jobs=args.jobs, use_cache=not args.no_cache,
                       base=args.base_iri, progress=True if args.progress else None)
    except FileNotFoundError as e:
        print(f"plangraph: {e}", file=sys.stderr)
        return 2
    for f in report.failed:
        print(f"plangraph: {f['path']}: {f['reason']}", file=sys.stderr)
    md = report.to_markdown(include_run=True).split("\n## ")[0]
    print(md.strip())
    print(f"- outputs in {args.out}/: {', '.join(report.outputs)}")
    return 1 if report.failed else 0


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
    b.add_argument("--base-iri", default=DEFAULT_BASE,
                   help=f"base of the document IRIs (default {DEFAULT_BASE}; use your own domain)")
    b.add_argument("--progress", action="store_true", help="show a progress bar even when not on a terminal")
    b.set_defaults(func=cmd_build)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
