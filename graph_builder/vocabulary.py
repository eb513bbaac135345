"""The vocabulary under ontology/vocab/: document types, issuers, relation triggers, number formats.

One source of truth: the extractor's regexes and canonical forms are built from it, and so is the
SKOS vocabulary of the RDF output.  Loaded once per process.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .textfold import fold

RELATIONS = ("based_on", "implements", "guides", "amends", "replaces", "repeals", "suspends", "cites")


def ontology_dir() -> Path:
    """ontology/ in a source checkout, or its installed copy (package graph_builder.ontology, a folder of data
    beside this module: importlib.resources gives a namespace package's MultiplexedPath, no plain path)."""
    pkg = Path(__file__).resolve().parent
    for here in (pkg.parent / "ontology", pkg / "ontology"):
        if (here / "vocab").is_dir():
            return here
    raise FileNotFoundError(f"the ontology folder (vocab/*.toml) is neither beside nor inside {pkg}")


@dataclass(frozen=True, slots=True)
class DocType:
    code: str
    label: str
    label_en: str
    kind: str
    names: tuple[str, ...]          # label + aliases
    party_label: str | None
    examples: tuple[str, ...]
    issuer: str | None = None       # the code of the one body issuing every document of this type (Luật: QH)


@dataclass(frozen=True, slots=True)
class Issuer:
    code: str
    label: str
    names: tuple[str, ...]
    level: str
    party: bool
    placed: bool
    examples: tuple[str, ...]
    former_codes: tuple[str, ...] = ()      # codes the body's numbers carried before ("LĐTBXH" for BLĐTBXH)


@dataclass(frozen=True, slots=True)
class RelationType:
    id: str
    label: str
    label_inverse: str
    label_en: str
    label_en_inverse: str
    eli: str
    triggers: tuple[str, ...]
    after: tuple[str, ...]
    passive: tuple[str, ...]
    examples: tuple[tuple[str, str, str], ...]
    about: tuple[str, ...] = ()     # cites: phrases by which a cited document is about another (third-party)


@dataclass(frozen=True, slots=True)
class NumberFormat:
    id: str
    template: str
    examples: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Vocabulary:
    types: tuple[DocType, ...]
    issuers: tuple[Issuer, ...]
    place_kinds: tuple[tuple[str, str], ...]      # (word, level)
    relations: tuple[RelationType, ...]
    formats: tuple[NumberFormat, ...]
    not_codes: frozenset[str]

    @functools.cached_property
    def type_by_code(self) -> dict[str, DocType]:
        return {t.code: t for t in self.types}

    @functools.cached_property
    def type_by_name(self) -> dict[str, DocType]:
        """Folded name ("ke hoach") -> type. Where two types share a name (Quy định), the first wins."""
        out: dict[str, DocType] = {}
        for t in self.types:
            for n in t.names:
                out.setdefault(fold(n), t)
        return out

    @functools.cached_property
    def issuer_by_code(self) -> dict[str, Issuer]:
        out = {i.code: i for i in self.issuers}
        for i in self.issuers:
            for c in i.former_codes:
                out.setdefault(c, i)
        return out

    @functools.cached_property
    def issuer_by_name(self) -> dict[str, Issuer]:
        out: dict[str, Issuer] = {}
        for i in self.issuers:
            for n in i.names:
                out.setdefault(fold(n), i)
        return out

    @functools.cached_property
    def party_issuer_codes(self) -> frozenset[str]:
        return frozenset(i.code for i in self.issuers if i.party)

    @functools.cached_property
    def known_codes(self) -> frozenset[str]:
        """Every code the vocabulary knows, as canonically written ("NĐ", "TTg", "QĐi"), a body's former codes
        included ("LĐTBXH"): "600/QD-LDTBXH" typed without diacritics is 600/QĐ-LĐTBXH."""
        return frozenset([t.code for t in self.types] + [i.code for i in self.issuers]
                         + [c for i in self.issuers for c in i.former_codes])

    @functools.cached_property
    def code_by_fold(self) -> dict[str, str]:
        """Folded code ("ND", "HDND", "TTG") -> canonical ("NĐ", "HĐND", "TTg") for input typed
        without Đ or in another case.  A code that is itself known is never rewritten."""
        out: dict[str, str] = {}
        for code in sorted(self.known_codes):
            out.setdefault(fold(code).upper(), code)
        return out

    @functools.cached_property
    def relation_by_id(self) -> dict[str, RelationType]:
        return {r.id: r for r in self.relations}


def _tuple(x) -> tuple:
    return tuple(tuple(e) if isinstance(e, list) else e for e in (x or ()))


@functools.cache
def load(directory: str | None = None) -> Vocabulary:
    base = Path(directory) if directory else ontology_dir() / "vocab"

    def read(name: str) -> dict:
        with open(base / name, "rb") as fh:
            return tomllib.load(fh)

    types_doc, issuers_doc = read("document_types.toml"), read("issuers.toml")
    relations_doc, formats_doc = read("relations.toml"), read("number_formats.toml")
    types = tuple(
        DocType(code=t["code"], label=t["label"], label_en=t["label_en"], kind=t["kind"],
                names=(t["label"], *t.get("aliases", ())), party_label=t.get("party_label"),
                examples=_tuple(t.get("examples")), issuer=t.get("issuer"))
        for t in types_doc["type"])
    issuers = tuple(
        Issuer(code=i["code"], label=i["label"], names=tuple(i["names"]), level=i["level"],
               party=bool(i.get("party", False)), placed=bool(i.get("placed", False)),
               examples=_tuple(i.get("examples")), former_codes=_tuple(i.get("former_codes")))
        for i in issuers_doc["issuer"])
    place_kinds = tuple((p["word"], p["level"]) for p in issuers_doc.get("place_kind", ()))
    relations = tuple(
        RelationType(id=r["id"], label=r["label"], label_inverse=r["label_inverse"], label_en=r["label_en"],
                     label_en_inverse=r["label_en_inverse"], eli=r["eli"], triggers=_tuple(r.get("triggers")), after=_tuple(r.get("after")),
                     passive=_tuple(r.get("passive")), examples=_tuple(r.get("examples")), about=_tuple(r.get("about")))
        for r in relations_doc["relation"])
    if tuple(r.id for r in relations) != RELATIONS:
        raise ValueError(f"{base / 'relations.toml'}: relations must be, in order, {RELATIONS}")
    for r in relations:
        if stray := set(r.about) - set(r.triggers):
            raise ValueError(f"{base / 'relations.toml'}: {r.id}: 'about' phrases that are no trigger of it: "
                             f"{sorted(stray)}")
    formats = tuple(NumberFormat(id=f["id"], template=f["template"], examples=_tuple(f.get("examples")))
                    for f in formats_doc["format"])
    not_codes = frozenset(w.upper() for w in formats_doc.get("not_codes", {}).get("words", ()))
    return Vocabulary(types, issuers, place_kinds, relations, formats, not_codes)
