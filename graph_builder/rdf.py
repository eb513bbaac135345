"""RDF: the graph as ELI-aligned triples, and the SKOS vocabularies generated from ontology/vocab/*.toml."""
from __future__ import annotations

from urllib.parse import quote

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from . import vocabulary
from .graph import edges_sorted

ELI = Namespace("http://data.europa.eu/eli/ontology#")
PG = Namespace("https://plangraph.invalid/ontology#")
PGV = Namespace("https://plangraph.invalid/vocab/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

# ELI's own hierarchy: amends and repeals are changes.
_ELI_PARENTS = {"amends": ("changes",), "repeals": ("changes",)}


def relation_property(rel: str) -> URIRef:
    return PG[rel]


def eli_properties(rel: str) -> tuple[URIRef, ...]:
    """The ELI properties a plangraph relation implies (materialised, since rdflib does no inference)."""
    r = vocabulary.load().relation_by_id[rel]
    return (ELI[r.eli], *(ELI[p] for p in _ELI_PARENTS.get(r.eli, ())))


def type_concept(code: str) -> URIRef:
    return PGV["type/" + quote(code, safe="")]


def issuer_concept(code: str) -> URIRef:
    return PGV["issuer/" + quote(code, safe="")]


def bind(g: Graph) -> Graph:
    for prefix, ns in (("eli", ELI), ("pg", PG), ("pgv", PGV), ("skos", SKOS), ("dcterms", DCTERMS),
                       ("owl", OWL), ("foaf", FOAF)):
        g.bind(prefix, ns)
    return g


def vocabulary_graph() -> Graph:
    """SKOS concept schemes (document types, issuers) and the relation properties, from the TOML files."""
    v = vocabulary.load()
    g = bind(Graph())
    types, issuers = PGV["type"], PGV["issuer"]
    g.add((types, RDF.type, SKOS.ConceptScheme))
    g.add((types, SKOS.prefLabel, Literal("Loại văn bản", lang="vi")))
    g.add((types, SKOS.prefLabel, Literal("Document types", lang="en")))
    g.add((types, DCTERMS.source, Literal("Nghị định 30/2020/NĐ-CP, Phụ lục III")))
    for t in v.types:
        c = type_concept(t.code)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, types))
        g.add((c, SKOS.notation, Literal(t.code)))
        g.add((c, SKOS.prefLabel, Literal(t.label, lang="vi")))
        g.add((c, SKOS.prefLabel, Literal(t.label_en, lang="en")))
        for alias in t.names[1:]:
            g.add((c, SKOS.altLabel, Literal(alias, lang="vi")))
        if t.party_label:
            g.add((c, SKOS.altLabel, Literal(t.party_label, lang="vi")))
        g.add((c, PG.kind, Literal(t.kind)))
        for ex in t.examples:
            g.add((c, SKOS.example, Literal(ex, lang="vi")))
    g.add((issuers, RDF.type, SKOS.ConceptScheme))
    g.add((issuers, SKOS.prefLabel, Literal("Cơ quan ban hành", lang="vi")))
    g.add((issuers, SKOS.prefLabel, Literal("Issuing bodies", lang="en")))
    for i in v.issuers:
        c = issuer_concept(i.code)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, issuers))
        g.add((c, SKOS.notation, Literal(i.code)))
        g.add((c, SKOS.prefLabel, Literal(i.label, lang="vi")))
        for n in i.names:
            if n != i.label:
                g.add((c, SKOS.altLabel, Literal(n, lang="vi")))
        g.add((c, PG.level, Literal(i.level)))
        if i.party:
            g.add((c, PG.kind, Literal("party")))
        for ex in i.examples:
            g.add((c, SKOS.example, Literal(ex, lang="vi")))
    for r in v.relations:
        p = relation_property(r.id)
        g.add((p, RDF.type, OWL.ObjectProperty))
        g.add((p, RDF.type, PG.Relation))
        g.add((p, RDFS.label, Literal(r.label, lang="vi")))
        g.add((p, RDFS.label, Literal(r.label_en, lang="en")))
        g.add((p, SKOS.altLabel, Literal(r.label_inverse, lang="vi")))
        g.add((p, RDFS.subPropertyOf, ELI[r.eli]))
        for phrase in (*r.triggers, *r.after):
            g.add((p, PG.trigger, Literal(phrase, lang="vi")))
        for text, number, _ in r.examples:
            g.add((p, SKOS.example, Literal(text, lang="vi")))
    return g


def _date_literal(d: str) -> tuple[URIRef, Literal]:
    if len(d) == 10:
        return ELI.date_document, Literal(d, datatype=XSD.date)
    if len(d) == 7:
        return PG.datePartial, Literal(d, datatype=XSD.gYearMonth)
    return PG.datePartial, Literal(d, datatype=XSD.gYear)


def to_rdf(g: nx.MultiDiGraph, with_vocabulary: bool = True) -> Graph:
    base = g.graph.get("base", "https://plangraph.invalid/")
    out = bind(Graph())
    if with_vocabulary:
        out += vocabulary_graph()
    for iri, d in sorted(g.nodes(data=True)):
        s = URIRef(iri)
        out.add((s, RDF.type, PG.NewsArticle if d["kind"] == "news" else ELI.LegalResource))
        out.add((s, RDFS.label, Literal(d["label"], lang="vi")))
        if d["number"]:
            out.add((s, ELI.id_local, Literal(d["number"])))
        if d["type"]:
            out.add((s, ELI.type_document, type_concept(d["type"])))
        if d["date"]:
            out.add((s, *_date_literal(d["date"])))
        if d["title"]:
            out.add((s, DCTERMS.title, Literal(d["title"], lang="vi")))
        if d["name"]:
            out.add((s, PG.name, Literal(d["name"], lang="vi")))
        if d["issuer_code"] or d["issuer"]:
            org = URIRef(f"{base}org/{d['jurisdiction_code']}/{quote(d['issuer_code'] or 'x', safe='')}")
            out.add((s, ELI.passed_by, org))
            out.add((org, RDF.type, PG.Issuer))
            if d["issuer_code"]:
                out.add((org, PG.issuerCode, Literal(d["issuer_code"])))
                out.add((org, SKOS.broader, issuer_concept(d["issuer_code"].rstrip("0123456789"))))
            out.add((org, PG.jurisdiction, Literal(d["jurisdiction"])))
        out.add((s, PG.inCorpus, Literal(bool(d["in_corpus"]))))
        if d["path"]:
            out.add((s, PG.sourceFile, Literal(d["path"])))
        out.add((s, PG.level, Literal(d["level"])))
        out.add((s, PG.jurisdiction, Literal(d["jurisdiction"])))
        out.add((s, PG.jurisdictionCode, Literal(d["jurisdiction_code"])))
        out.add((s, PG.resolutionStatus, Literal(d["status"])))
        out.add((s, PG.kind, Literal(d["kind"])))
        if d["notes"]:
            out.add((s, PG.note, Literal(d["notes"])))
    path_of = {d["path"]: iri for iri, d in g.nodes(data=True) if d["path"]}
    for u, v, _key, d in edges_sorted(g):
        su, sv, rel = URIRef(u), URIRef(v), d["relation"]
        out.add((su, relation_property(rel), sv))
        for p in eli_properties(rel):
            out.add((su, p, sv))
        for m in d["mentions"]:
            c = URIRef(f"{base}citation/{m['id']}")
            out.add((c, RDF.type, PG.Citation))
            out.add((c, PG.subject, su))
            out.add((c, PG.object, sv))
            out.add((c, PG.relation, relation_property(rel)))
            out.add((c, PG.thirdParty, Literal(bool(d["third_party"]))))
            if m["file"] in path_of:
                out.add((c, PG.statedIn, URIRef(path_of[m["file"]])))
            out.add((c, PG.sourceFile, Literal(m["file"])))
            out.add((c, PG.startOffset, Literal(m["start"])))
            out.add((c, PG.endOffset, Literal(m["end"])))
            out.add((c, PG.matchedText, Literal(m["text"])))
            if m["trigger"]:
                out.add((c, PG.trigger, Literal(m["trigger"])))
            if m["evidence"]:
                out.add((c, PG.evidence, Literal(m["evidence"])))
    return out
