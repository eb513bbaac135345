"""What the extractor produces: immutable records with spans into the original text."""
from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open [start, end) offsets into the ORIGINAL text, and the text they cover."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Citation:
    """One mention of another document by its number (số hiệu)."""

    number: str                      # canonical: "60-NQ/TU", "61/2018/NĐ-CP"
    as_written: str                  # the number exactly as in the text: "60/NQ-TU"
    type: str | None                 # type code from the vocabulary: "NQ", "KH", "LUAT"
    type_label: str | None           # "Nghị quyết"
    date: str | None                 # ISO "2021-07-15" (or "2024-05" when partial)
    issuer: str | None               # as written after "của" / before "ban hành": "UBND tỉnh"
    issuer_code: str | None          # vocabulary code of the issuing body: "UBND", "CP", "TU"
    issuer_level: str | None         # central | province | district | commune | None
    issuer_place: str | None         # "Lạng Sơn" when the text names it
    title: str | None                # what the text says it is about ("về việc ban hành Chương trình …")
    relation: str                    # based_on | implements | guides | amends | replaces | repeals | suspends | cites
    trigger: str | None              # the phrase that decided the relation, as written
    span: Span                       # the whole reference: type word … number … date … issuer
    number_span: Span                # the number alone
    evidence: str = ""               # the sentence the citation stands in (whitespace squashed, cut at a word
                                     # boundary with "…" past 600 characters)
    nested_in: int | None = None     # index of the citation whose description mentions this one
    notes: tuple[str, ...] = ()      # e.g. "party number written with a slash"
    also: tuple[str, ...] = ()       # further relations of coordinated act verbs, in vocabulary order:
                                     # "Thay thế, bãi bỏ … Nghị định B" -> relation replaces, also ("repeals",)


@dataclass(frozen=True, slots=True)
class NamedRef:
    """A law (or code, ordinance, constitution) cited by its name, without a number."""

    name: str                        # "Luật Tổ chức chính quyền địa phương"
    kind: str                        # type code: LUAT, PL, HP
    date: str | None
    number: str | None               # when the text gives one right after the name
    relation: str
    trigger: str | None
    span: Span
    evidence: str = ""               # the sentence the name stands in (whitespace squashed, capped), as for citations
    issuer: str | None = None        # the body that passes this kind of act, from the vocabulary (document_types.toml
                                     # `issuer`), not from the text: "Quốc hội" (Luật, Bộ luật, Hiến pháp), "Ủy ban
                                     # Thường vụ Quốc hội" (Pháp lệnh)
    issuer_code: str | None = None   # its code: "QH", "UBTVQH"
    issuer_level: str | None = None  # "central"


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation between two documents cited in the text (a third-party relation), or between
    the citing document and one it cites (source None means the citing document)."""

    source: str                      # canonical number of the document that acts
    target: str                      # canonical number of the document acted upon
    relation: str
    trigger: str
    evidence: str                    # the sentence that states it
    span: Span                       # the trigger phrase in the original text


@dataclass(frozen=True, slots=True)
class DocumentIdentity:
    """What a document says about itself."""

    number: str | None = None        # None when blank ("Số: /KH-UBND")
    type: str | None = None          # type code; also known from a blank number's code
    type_label: str | None = None
    date: str | None = None          # ISO, or partial "2024-05"
    issuer: str | None = None        # "UBND xã Tú Xuyên", "Chính phủ"
    issuer_code: str | None = None
    level: str | None = None         # central | province | district | commune
    place: str | None = None         # "Lạng Sơn", "Tú Xuyên"
    province: str | None = None      # province named in the document, when one is
    title: str | None = None         # trích yếu
    signer: str | None = None
    kind: str = "document"           # document | news (an article about a document)


_IDENTITY_FIELDS = tuple(f.name for f in fields(DocumentIdentity))


@dataclass(frozen=True, slots=True)
class Extraction:
    path: str
    document: DocumentIdentity
    citations: tuple[Citation, ...] = ()
    relations: tuple[Relation, ...] = ()
    named_refs: tuple[NamedRef, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        """The stable JSON shape of `plangraph extract --format json` (documented in README)."""
        def cit(c: Citation) -> dict:
            return {
                "number": c.number, "as_written": c.as_written, "type": c.type, "type_label": c.type_label,
                "date": c.date, "issuer": c.issuer, "issuer_code": c.issuer_code,
                "issuer_level": c.issuer_level, "issuer_place": c.issuer_place, "title": c.title,
                "relation": c.relation, "also": list(c.also), "trigger": c.trigger,
                "start": c.span.start, "end": c.span.end, "text": c.span.text,
                "number_start": c.number_span.start, "number_end": c.number_span.end,
                "nested_in": c.nested_in, "evidence": c.evidence, "notes": list(c.notes),
            }

        def rel(r: Relation) -> dict:
            return {"source": r.source, "target": r.target, "relation": r.relation, "trigger": r.trigger,
                    "evidence": r.evidence, "start": r.span.start, "end": r.span.end}

        def named(n: NamedRef) -> dict:
            return {"name": n.name, "kind": n.kind, "date": n.date, "number": n.number,
                    "issuer": n.issuer, "issuer_code": n.issuer_code, "issuer_level": n.issuer_level,
                    "relation": n.relation, "trigger": n.trigger, "evidence": n.evidence,
                    "start": n.span.start, "end": n.span.end, "text": n.span.text}

        return {
            "path": self.path,
            "document": {f: getattr(self.document, f) for f in _IDENTITY_FIELDS},   # all scalars: no deep copy
            "citations": [cit(c) for c in self.citations],
            "relations": [rel(r) for r in self.relations],
            "named_refs": [named(n) for n in self.named_refs],
            "warnings": list(self.warnings),
        }
