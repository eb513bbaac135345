"""plangraph: the citation graph of Vietnamese administrative and legal documents.

Flow: read -> extract (clean, find, identity, relations) -> resolve -> graph -> outputs/queries.
"""
from .extract.pipeline import extract_text
from .models import Citation, DocumentIdentity, Extraction, NamedRef, Relation, Span

__all__ = ["extract_text", "Citation", "DocumentIdentity", "Extraction", "NamedRef", "Relation", "Span"]
__version__ = "0.1.0"
