"""Finding a document of the graph from what a user types: one lookup for `impact`, `viz --focus` and the rest.

A REF is a node IRI, a số hiệu typed exactly or loosely ("76/NQ-CP", "76 NQ CP", "76/nq-cp", "Số 76/NQ–CP"),
a label ("Nghị quyết 76/NQ-CP"), a law's name ("Luật Đất đai"), or a few tokens that all belong to one
document's number, type and year ("nq 76/2021", "Nghị quyết 76", "61/NĐ-CP" for 61/2018/NĐ-CP).  Case,
diacritics, punctuation and leading zeros do not matter.  A REF that fits several documents raises RefError
listing them (never a guess); one that fits none says so, with the closest numbers when there are any.
The look-up uses an index built once per graph, so repeated look-ups in a large graph cost microseconds.
"""
from __future__ import annotations

import difflib
import functools
import re
import weakref

import networkx as nx

from .textfold import fold


class RefError(ValueError):
    """A REF that names no document, or several.  `kind` is "ambiguous" (then `candidates` lists the IRIs
    of the documents it could name) or "not_found" (then `suggestions` lists the closest numbers or names,
    possibly none); `ref` is what was typed.  The message says it all in English; callers that speak to
    users in another language build their own from these fields."""

    def __init__(self, message: str, candidates: list[str] | None = None, *, ref: str = "",
                 kind: str | None = None, suggestions: list[str] | None = None):
        super().__init__(message)
        self.candidates = candidates or []
        self.suggestions = suggestions or []
        self.ref = ref
        self.kind = kind or ("ambiguous" if self.candidates else "not_found")


def tokens(s: str) -> tuple[str, ...]:
    """"Số 76/NQ–CP" -> ("76", "nq", "cp"): folded, lower-case, numbers without leading zeros."""
    toks = re.findall(r"[a-z]+|\d+", fold(s or "").lower())
    if toks and toks[0] == "so":
        toks = toks[1:]
    return tuple(t.lstrip("0") or "0" if t.isdigit() else t for t in toks)


@functools.lru_cache(maxsize=4096)
def _small(s: str) -> tuple[str, ...]:
    """tokens() of the few distinct type labels and years, folded once each."""
    return tokens(s)


class _Entry:
    __slots__ = ("node", "forms", "have")

    def __init__(self, node: str, forms: set[tuple[str, ...]], have: set[str]):
        self.node, self.forms, self.have = node, forms, have


_LEAD = re.compile(r"0*(\d+)")


class _Index:
    """Documents by the first number of their số hiệu (a cheap pass over the graph; the tokens of a bucket's
    documents are computed the first time a REF asks for that number), and documents without a number by
    their name or label."""

    def __init__(self, g: nx.MultiDiGraph):
        self.attrs, self.size = g._node, len(g)     # (not g itself: the weak-keyed cache must not keep it alive)
        self.by_number: dict[str, list[str]] = {}
        self.by_form: dict[tuple[str, ...], list[str]] = {}
        self._entries: dict[str, list[_Entry]] = {}
        lead = _LEAD.match
        for n, d in g.nodes(data=True):
            m = lead(d.get("number") or "")
            if m:
                self.by_number.setdefault(m.group(1), []).append(n)
            else:
                for f in {tokens(d.get("number") or ""), tokens(d.get("label") or ""),
                          tokens(d.get("name") or "")} - {()}:
                    self.by_form.setdefault(f, []).append(n)

    def entries(self, number: str) -> list[_Entry]:
        hit = self._entries.get(number)
        if hit is None:
            hit = self._entries[number] = [self._entry(n) for n in self.by_number.get(number, ())]
        return hit

    def _entry(self, n: str) -> _Entry:
        d = self.attrs[n]
        number, head, label = d.get("number") or "", d.get("type_label") or "", d.get("label") or ""
        num, kind = tokens(number), _small(head)
        # the label is usually "<type label> <number>": its tokens need no second folding
        lab = kind + num if label == f"{head} {number}" else tokens(label)
        forms = {num, lab, tokens(d.get("name") or "")} - {()}
        return _Entry(n, forms, {*num, *kind, *_small(d.get("year") or "")})


_INDEX: "weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index]" = weakref.WeakKeyDictionary()


def _index(g: nx.MultiDiGraph) -> _Index:
    hit = _INDEX.get(g)
    if hit is None or hit.size != len(g):
        hit = _INDEX[g] = _Index(g)
    return hit


def find_nodes(g: nx.MultiDiGraph, ref: str) -> list[str]:
    """Every document `ref` names (sorted): the exact matches of its number, label or name if there are any,
    otherwise the documents whose number, type and year hold every token of `ref`."""
    ref = ref.strip()
    if ref in g:
        return [ref]
    key = tokens(ref)
    if not key:
        return []
    idx = _index(g)
    nums = [t for t in key if t.isdigit()]
    if not nums:
        return sorted(idx.by_form.get(key, ()))
    entries = idx.entries(nums[0])
    exact = [e.node for e in entries if key in e.forms] + list(idx.by_form.get(key, ()))
    if exact:
        return sorted(set(exact))
    return sorted(e.node for e in entries if all(t in e.have for t in key))


def describe(g: nx.MultiDiGraph, n: str) -> str:
    d = g.nodes[n]
    bits = [x for x in (d.get("issuer", ""), d.get("jurisdiction", ""), d.get("date", "") or d.get("year", ""))
            if x]
    corpus = "in corpus" if d.get("in_corpus") else "only cited"
    return f"{d.get('label', n)} — {', '.join(bits) or '?'} ({corpus}) <{n}>"


def find_ref(g: nx.MultiDiGraph, ref: str) -> str:
    """The one document `ref` names; RefError (with .candidates) when it names several or none."""
    found = find_nodes(g, ref)
    if len(found) == 1:
        return found[0]
    if found:
        lines = "\n".join(f"  {describe(g, n)}" for n in found[:20])
        more = f"\n  … and {len(found) - 20} more" if len(found) > 20 else ""
        raise RefError(f"ambiguous reference {ref!r}: {len(found)} documents match; give more of the number, "
                       f"the year, or one of these IRIs:\n{lines}{more}", found, ref=ref, kind="ambiguous")
    how = "" if has_number(ref) else "; give its number (số hiệu), e.g. 76/NQ-CP"
    close = suggestions(g, ref)
    hint = f"; did you mean: {', '.join(close)}" if close else ""
    raise RefError(f"document {ref!r} not found in the graph ({g.number_of_nodes()} documents){how}{hint}",
                   ref=ref, kind="not_found", suggestions=close)


def has_number(ref: str) -> bool:
    """Whether a REF holds a number (a số hiệu or part of one), not only words."""
    return any(t.isdigit() for t in tokens(ref))


def suggestions(g: nx.MultiDiGraph, ref: str) -> list[str]:
    """The closest numbers (or names) to an unknown REF: those sharing its first number (or, for a REF
    without a number, the unnumbered documents' names), by similarity, at most five."""
    key = tokens(ref)
    nums = [t for t in key if t.isdigit()]
    idx = _index(g)
    pool = list(idx.by_number.get(nums[0], ())) if nums else [n for ns in idx.by_form.values()
                                                                             for n in ns]
    shown: dict[str, str] = {}
    for n in sorted(pool):
        d = g.nodes[n]
        text = d.get("number") or d.get("name") or d.get("label") or ""
        shown.setdefault(" ".join(tokens(text)), text)
    close = difflib.get_close_matches(" ".join(key), sorted(shown), n=5, cutoff=0.6)
    return [shown[c] for c in close]
