"""RDF: the graph as ELI-aligned triples, and the SKOS vocabularies generated from ontology/vocab/*.toml."""
from __future__ import annotations

from urllib.parse import quote

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from . import vocabulary

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


def issuer_broader(code: str) -> URIRef | None:
    """The SKOS concept of the body an issuer code names (a term's digits dropped, a former code its body's:
    "QH15" -> QH, "LĐTBXH" -> BLĐTBXH), or None when the vocabulary does not know it: an issuing body is
    never linked to a concept the scheme does not declare."""
    iss = vocabulary.load().issuer_by_code.get(code.rstrip("0123456789"))
    return issuer_concept(iss.code) if iss is not None else None


PREFIXES = {"eli": str(ELI), "pg": str(PG), "pgv": str(PGV), "skos": str(SKOS), "dcterms": str(DCTERMS),
            "owl": str(OWL), "foaf": str(FOAF), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}


def bind(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
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
        for old in i.former_codes:              # the body's codes of earlier numbers
            g.add((c, SKOS.hiddenLabel, Literal(old)))
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
        g.add((p, SKOS.altLabel, Literal(r.label_en_inverse, lang="en")))
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


def data_triples(g: nx.MultiDiGraph):
    """Every triple of the data, as rdflib terms, in no particular order."""
    base = g.graph.get("base", "https://plangraph.invalid/")
    orgs: set[URIRef] = set()
    for iri, d in g.nodes(data=True):
        s = URIRef(iri)
        news = d["kind"] == "news"
        yield s, RDF.type, PG.NewsArticle if news else ELI.LegalResource
        yield s, RDFS.label, Literal(d["label"], lang="vi")
        if d["number"]:
            yield s, ELI.id_local, Literal(d["number"])
        if d["type"] and d["type"] in vocabulary.load().type_by_code:     # only concepts the scheme declares
            yield s, ELI.type_document, type_concept(d["type"])
        if d["date"]:
            if news:
                yield s, DCTERMS.date, _date_literal(d["date"])[1]
            else:
                yield (s, *_date_literal(d["date"]))
        if d["title"]:
            yield s, DCTERMS.title, Literal(d["title"], lang="vi")
        if d["name"]:
            yield s, PG.name, Literal(d["name"], lang="vi")
        if (d["issuer_code"] or d["issuer"]) and not news:
            org = URIRef(f"{base}org/{d['jurisdiction_code']}/{quote(d['issuer_code'] or 'x', safe='')}")
            yield s, ELI.passed_by, org
            if org not in orgs:
                orgs.add(org)
                yield org, RDF.type, PG.Issuer
                if d["issuer"]:
                    yield org, SKOS.prefLabel, Literal(d["issuer"], lang="vi")
                    yield org, RDFS.label, Literal(d["issuer"], lang="vi")
                if d["issuer_code"]:
                    yield org, PG.issuerCode, Literal(d["issuer_code"])
                    b = issuer_broader(d["issuer_code"])
                    if b is not None:
                        yield org, SKOS.broader, b
                yield org, PG.jurisdiction, Literal(d["jurisdiction"])
                if d.get("successor_province"):
                    yield org, PG.successorProvince, Literal(d["successor_province"])
        if d.get("issuer_as_written"):
            yield s, PG.issuerAsWritten, Literal(d["issuer_as_written"])
        yield s, PG.inCorpus, Literal(bool(d["in_corpus"]))
        if d["path"]:
            yield s, PG.sourceFile, Literal(d["path"])
        if d.get("format"):
            yield s, PG.sourceFormat, Literal(d["format"])
        yield s, PG.level, Literal(d["level"])
        yield s, PG.jurisdiction, Literal(d["jurisdiction"])
        yield s, PG.jurisdictionCode, Literal(d["jurisdiction_code"])
        if d.get("successor_province"):
            yield s, PG.successorProvince, Literal(d["successor_province"])
        yield s, PG.resolutionStatus, Literal(d["status"])
        yield s, PG.kind, Literal(d["kind"])
        if d["notes"]:
            yield s, PG.note, Literal(d["notes"])
    path_of = {d["path"]: iri for iri, d in g.nodes(data=True) if d["path"]}
    for u, v, _key, d in g.edges(keys=True, data=True):
        su, sv, rel = URIRef(u), URIRef(v), d["relation"]
        yield su, relation_property(rel), sv
        for p in eli_properties(rel):
            yield su, p, sv
        for m in d["mentions"]:
            c = URIRef(f"{base}citation/{m['id']}")
            yield c, RDF.type, PG.Citation
            yield c, PG.subject, su
            yield c, PG.object, sv
            yield c, PG.relation, relation_property(rel)
            yield c, PG.thirdParty, Literal(bool(d["third_party"]))
            if m["file"] in path_of:
                yield c, PG.statedIn, URIRef(path_of[m["file"]])
            yield c, PG.sourceFile, Literal(m["file"])
            yield c, PG.startOffset, Literal(m["start"])
            yield c, PG.endOffset, Literal(m["end"])
            yield c, PG.matchedText, Literal(m["text"])
            if m.get("issuer"):
                yield c, PG.issuerAsWritten, Literal(m["issuer"])
            if m["trigger"]:
                yield c, PG.trigger, Literal(m["trigger"])
            if m["evidence"]:
                yield c, PG.evidence, Literal(m["evidence"])


def to_rdf(g: nx.MultiDiGraph, with_vocabulary: bool = True) -> Graph:
    """The graph as an in-memory rdflib Graph (for SPARQL); the files are written by rdfwrite."""
    out = bind(Graph())
    if with_vocabulary:
        out += vocabulary_graph()
    for t in data_triples(g):
        out.add(t)
    return out


# --------------------------------------------------------------------------------------------------------------
# The same triples as data_triples, for the streaming writers (rdfwrite.turtle_blocks / jsonld_blocks): blocks of
# (subject IRI, [(predicate IRI, object), …]) without rdflib terms.  Objects are tagged tuples:
#   ("i", iri) a resource of the data, ("c", iri) a vocabulary resource (written with a prefix when it can be),
#   ("s", text) a plain string, ("l", text, lang), ("b", bool), ("n", int), ("t", lexical form, datatype IRI).
# Blocks come in a fixed order: the documents by IRI (each with its relations), the issuing bodies by IRI, then
# one pg:Citation per mention in the order of the edges.  tests/test_build.py checks that the files hold exactly
# the triples of data_triples over graph.json.

_T = {k: str(v) for k, v in {
    "type": RDF.type, "label": RDFS.label, "id_local": ELI.id_local, "type_document": ELI.type_document,
    "title": DCTERMS.title, "name": PG.name, "passed_by": ELI.passed_by, "issuerCode": PG.issuerCode,
    "broader": SKOS.broader, "jurisdiction": PG.jurisdiction, "inCorpus": PG.inCorpus, "sourceFile": PG.sourceFile,
    "sourceFormat": PG.sourceFormat, "level": PG.level, "jurisdictionCode": PG.jurisdictionCode,
    "resolutionStatus": PG.resolutionStatus, "kind": PG.kind, "note": PG.note, "subject": PG.subject,
    "object": PG.object, "relation": PG.relation, "thirdParty": PG.thirdParty, "statedIn": PG.statedIn,
    "startOffset": PG.startOffset, "endOffset": PG.endOffset, "matchedText": PG.matchedText, "trigger": PG.trigger,
    "evidence": PG.evidence, "date_document": ELI.date_document, "datePartial": PG.datePartial,
    "issuerAsWritten": PG.issuerAsWritten, "successorProvince": PG.successorProvince, "prefLabel": SKOS.prefLabel,
    "dcdate": DCTERMS.date, "LegalResource": ELI.LegalResource, "NewsArticle": PG.NewsArticle, "Issuer": PG.Issuer,
    "Citation": PG.Citation, "date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}.items()}


def term_tag(t) -> tuple:
    """An rdflib term as a tagged object (see above)."""
    if isinstance(t, URIRef):
        return ("c", str(t))
    if isinstance(t, Literal):
        if t.language:
            return ("l", str(t), t.language)
        if t.datatype in (None, XSD.string):
            return ("s", str(t))
        if t.datatype == XSD.boolean:
            return ("b", bool(t.toPython()))
        if t.datatype == XSD.integer:
            return ("n", int(t))
        return ("t", str(t), str(t.datatype))
    raise TypeError(t)


def vocabulary_blocks() -> list[tuple[str, list]]:
    by_subject: dict[str, list] = {}
    for s, p, o in sorted(vocabulary_graph(), key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        by_subject.setdefault(str(s), []).append((str(p), term_tag(o)))
    return sorted(by_subject.items())


def data_blocks(view):
    """The data of a graph.GraphView as blocks (see above)."""
    T = _T
    base = view.base
    vi = "vi"
    rel_props: dict[str, tuple] = {}

    def props(rel: str) -> tuple:
        got = rel_props.get(rel)
        if got is None:
            got = rel_props[rel] = (str(relation_property(rel)), *map(str, eli_properties(rel)))
        return got

    type_iris: dict[str, str | None] = {}
    types = vocabulary.load().type_by_code
    broader: dict[str, str | None] = {}
    orgs: dict[str, list] = {}
    path_of: dict[str, str] = {}
    outs = view.out_edges()
    nxt = next(outs, None)
    from .graph import label, successor_province
    for iri, n in view.nodes:
        kind = n.kind or "document"
        news = kind == "news"
        po = [(T["type"], ("c", T["NewsArticle"] if news else T["LegalResource"])),
              (T["label"], ("l", label(n), vi))]
        if n.number:
            po.append((T["id_local"], ("s", n.number)))
        if n.type:
            ti = type_iris.get(n.type, "?")
            if ti == "?":
                ti = type_iris[n.type] = str(type_concept(n.type)) if n.type in types else None
            if ti is not None:
                po.append((T["type_document"], ("c", ti)))
        if n.date:
            d = n.date
            lit = ("t", d, T["date"] if len(d) == 10 else T["gYearMonth"] if len(d) == 7 else T["gYear"])
            po.append((T["dcdate"] if news else T["date_document"] if len(d) == 10 else T["datePartial"], lit))
        if n.title:
            po.append((T["title"], ("l", n.title, vi)))
        if n.name:
            po.append((T["name"], ("l", n.name, vi)))
        sc = n.scope
        successor = successor_province(sc.code)
        if (n.issuer_code or n.issuer) and not news:
            org = f"{base}org/{sc.code}/{quote(n.issuer_code or 'x', safe='')}"
            po.append((T["passed_by"], ("i", org)))
            if org not in orgs:
                opo = [(T["type"], ("c", T["Issuer"]))]
                if n.issuer:
                    opo += [(T["prefLabel"], ("l", n.issuer, vi)), (T["label"], ("l", n.issuer, vi))]
                if n.issuer_code:
                    b = broader.get(n.issuer_code, "?")
                    if b == "?":
                        c = issuer_broader(n.issuer_code)
                        b = broader[n.issuer_code] = str(c) if c is not None else None
                    opo.append((T["issuerCode"], ("s", n.issuer_code)))
                    if b is not None:
                        opo.append((T["broader"], ("c", b)))
                opo.append((T["jurisdiction"], ("s", sc.label)))
                if successor:
                    opo.append((T["successorProvince"], ("s", successor)))
                orgs[org] = opo
        if n.issuer_as_written:
            po.append((T["issuerAsWritten"], ("s", n.issuer_as_written)))
        po.append((T["inCorpus"], ("b", bool(n.in_corpus))))
        if n.path:
            po.append((T["sourceFile"], ("s", n.path)))
            path_of[n.path] = iri
        if n.source_format:
            po.append((T["sourceFormat"], ("s", n.source_format)))
        po += [(T["level"], ("s", n.level)), (T["jurisdiction"], ("s", sc.label)),
               (T["jurisdictionCode"], ("s", sc.code))]
        if successor:
            po.append((T["successorProvince"], ("s", successor)))
        po += [(T["resolutionStatus"], ("s", n.status)), (T["kind"], ("s", kind))]
        if n.notes:
            po.append((T["note"], ("s", "; ".join(n.notes))))
        while nxt is not None and nxt[0] < iri:          # (no edge leaves a node that is not in the graph)
            nxt = next(outs, None)
        if nxt is not None and nxt[0] == iri:
            for v, rel in nxt[1]:
                o = ("i", v)
                po.extend((p, o) for p in props(rel))
            nxt = next(outs, None)
        yield iri, po
    for org in sorted(orgs):
        yield org, orgs.pop(org)
    cit = f"{base}citation/"
    from .graph import mention_id
    for u, v, _k, rel, third, mentions in view.edges():
        rp = ("c", props(rel)[0])
        su, sv, tp = ("i", u), ("i", v), ("b", bool(third))
        for e in mentions:
            po = [(T["type"], ("c", T["Citation"])), (T["subject"], su), (T["object"], sv), (T["relation"], rp),
                  (T["thirdParty"], tp)]
            stated = path_of.get(e.file)
            if stated is not None:
                po.append((T["statedIn"], ("i", stated)))
            po += [(T["sourceFile"], ("s", e.file)), (T["startOffset"], ("n", e.start)),
                   (T["endOffset"], ("n", e.end)), (T["matchedText"], ("s", e.text))]
            if e.issuer:
                po.append((T["issuerAsWritten"], ("s", e.issuer)))
            if e.trigger:
                po.append((T["trigger"], ("s", e.trigger)))
            if e.evidence:
                po.append((T["evidence"], ("s", e.evidence)))
            yield cit + mention_id(e.file, e.start, e.end, rel, u, v), po
