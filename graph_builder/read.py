"""Read a document file into text.  Errors name the file and the reason (ReadError).

    read_document(path) -> Document(text, format, encoding, warnings, warning_kinds)
    read_text(path)     -> read_document(path).text
    decode(data, path)  -> the text of a plain-text file's bytes

One text per file: the extractor's spans point into exactly the text returned here.

Formats
    .txt .md (and no suffix)  bytes decoded as they are; UTF-8 text is returned unchanged (no NFC, CRLF kept)
                              so offsets stay true to the file.  UTF-8 / UTF-16 / UTF-32 with a BOM, UTF-16
                              without one, and when the bytes are not UTF-8: Windows-1258, TCVN3 (ABC, the
                              ".VnTime" fonts) or VNI (the "VNI-Times" fonts), told apart by how many of the
                              accented words come out as Vietnamese syllables; converted text is NFC.
                              Bytes that none of the three reads as Vietnamese are refused as "does not
                              look like Vietnamese text", naming the encoding they more likely are
                              (charset-normalizer, when installed: Shift-JIS, Windows-1252, …).
    .html .htm                visible text only: script/style/nav/head and hidden elements dropped, block
                              elements become line breaks, entities decoded, <sup>1</sup> becomes ¹.
    .docx                     body paragraphs in order (tables row by row, one line per cell paragraph, text
                              boxes after their paragraph), footnote/endnote anchors as superscript digits and
                              the notes appended at the end as lines "¹ …"; headers, footers, comments and
                              deleted text skipped.
    .pdf                      the text layer (pypdf), pages joined with "\\n"; an empty line where the layout
                              leaves a gap well over the usual line pitch, lines wrapped at the margin joined
                              again (a long line not ending a sentence, then a lower-case start), the double
                              spaces of justified lines made single; no text at all -> ReadError.
    .doc .rtf                 through LibreOffice (either) or antiword (.doc) when on PATH, else ReadError.
Content wins over the suffix: a ".doc" that is really HTML, RTF or a .docx is read as what it is.

Legacy fonts: Word, HTML and PDF text typed with TCVN3/VNI fonts comes out as Latin-1 look-alikes
("NghÞ quyÕt", "Nghò quyeát"), and so does UTF-8 text pasted from such documents; those lines (and only
those) are converted when the document as a whole is clearly in one of them, and a warning says so.

Limits: files over MAX_BYTES (50 MiB), zips whose directory declares more than MAX_UNZIPPED (200 MiB) in all
(or one part over MAX_UNZIPPED_PART, 100 MiB, or more than MAX_ZIP_ENTRIES entries), PDFs with a stream over
pypdf's decompression limits, PDF extraction over PDF_TIME_LIMIT seconds and converters running over
CONVERTER_TIMEOUT seconds are refused with a ReadError.  Sizes in messages are in MiB (2**20 bytes).
"""
from __future__ import annotations

import codecs
import functools
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import regex

MAX_BYTES = 50 * 1024 * 1024          # 50 MiB: a single document larger than this is refused, not read
MAX_UNZIPPED = 200 * 1024 * 1024      # 200 MiB: .docx, total uncompressed size declared in the zip directory
MAX_UNZIPPED_PART = 100 * 1024 * 1024  # 100 MiB: .docx, one member's uncompressed size
MAX_ZIP_ENTRIES = 10_000
PDF_TIME_LIMIT = 120.0                # seconds of text extraction for one PDF
CONVERTER_TIMEOUT = 120.0             # seconds for antiword / LibreOffice on one file


class ReadError(Exception):
    """A file that cannot be read as a document; str() names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True, slots=True)
class Document:
    text: str                         # the one text of the file; spans point into it
    format: str                       # txt, md, html, docx, pdf, doc, rtf
    encoding: str | None              # text files and HTML: the byte encoding (utf-8, utf-8-sig, utf-16-le,
                                      # utf-16-be, utf-32-*, cp1258, tcvn3, vni, or a charset an HTML page
                                      # declares), "+tcvn3"/"+vni" appended when legacy-font text inside was
                                      # converted; .docx/.pdf/.doc/.rtf: None, or the legacy font encoding
                                      # (tcvn3, vni) their text was converted from
    warnings: tuple[str, ...] = ()    # what the reader had to guess or change, one sentence each
    warning_kinds: tuple[str, ...] = ()   # one stable key per warning, in the same order (WARNING_KINDS)

    def source(self) -> dict:
        """The provenance record of the file: format, encoding, warnings and their kinds (JSON-ready)."""
        return {"format": self.format, "encoding": self.encoding, "warnings": list(self.warnings),
                "warning_kinds": list(self.warning_kinds)}


# Document.warning_kinds: what each warning is about, for a build report to group or count them
WARNING_KINDS = {
    "misnamed": "the content is another format than the suffix says (read as what it is)",
    "converted": "a .doc/.rtf read through an external converter (LibreOffice, antiword)",
    "legacy_encoding": "a text file not in UTF-8, decoded as Windows-1258, TCVN3 or VNI",
    "legacy_font": "lines typed in a TCVN3/VNI font (Latin-1 look-alikes) converted to Unicode",
    "no_bom": "UTF-16 without a byte-order mark",
    "declared_charset": "an HTML page read in the Western charset it declares",
    "scanned_pages": "PDF pages without a text layer (scanned?)",
    "failed_pages": "PDF pages whose text extraction failed",
    "pdf_library": "a warning of the PDF library (pypdf) on this file",
}


TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_FORMAT_OF_SUFFIX = {".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf", ".doc": "doc", ".rtf": "rtf"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_text(path: str | Path) -> str:
    return read_document(path).text


def read_document(path: str | Path) -> Document:
    p = Path(path)
    if not p.is_file():
        raise ReadError(p, "not a file" if p.exists() else "no such file")
    refused = size_refusal(p.stat().st_size)
    if refused:
        raise ReadError(p, refused)
    suffix = p.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | set(_FORMAT_OF_SUFFIX):
        raise ReadError(p, f"unsupported format {p.suffix!r} (read: .txt .md .html .htm .docx .pdf .doc .rtf)")
    try:
        with open(p, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise ReadError(p, f"cannot read: {e.strerror or e}") from None
    return read_bytes(data, p)


def read_bytes(data: bytes, path: str | Path) -> Document:
    """A document from its bytes (already read); `path` names it (its suffix says the format it claims)
    and is read again only by the .doc/.rtf converters."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | set(_FORMAT_OF_SUFFIX):
        raise ReadError(p, f"unsupported format {p.suffix!r} (read: .txt .md .html .htm .docx .pdf .doc .rtf)")
    if not data:
        raise ReadError(p, "empty file")
    if len(data) > MAX_BYTES:
        raise ReadError(p, _too_large(len(data)))

    named = "html" if suffix in HTML_SUFFIXES else _FORMAT_OF_SUFFIX.get(suffix, "txt")
    actual = _sniff(data, named, suffix)
    warnings: list[tuple[str, str]] = []          # (kind, message)
    if actual != named and not (named in ("txt", "md") and actual in ("txt", "md")):
        warnings.append(("misnamed", f"named {suffix or '(no suffix)'} but the content is {actual}: "
                                     f"read as {actual}"))

    if actual in ("txt", "md"):
        text, enc, w = _decode_text(data, p)
        fmt = named if named in ("txt", "md") else "txt"
    elif actual == "html":
        (text, enc, w), fmt = _read_html(data, p), "html"
    elif actual == "docx":
        (text, enc, w), fmt = _read_docx(data, p), "docx"
    elif actual == "pdf":
        (text, enc, w), fmt = _read_pdf(data, p), "pdf"
    elif actual in ("doc", "rtf"):
        (text, enc, w), fmt = _read_via_converter(p, actual), actual
    else:
        raise ReadError(p, actual)          # _sniff returns a reason for content it refuses
    warnings += w
    return Document(text, fmt, enc, tuple(m for _, m in warnings), tuple(k for k, _ in warnings))


MIB = 1 << 20


def mib(n: int) -> str:
    """A size in MiB (2**20 bytes), the one unit of the reader's messages: "50 MiB", "3.2 MiB", "0.4 MiB"."""
    v = n / MIB
    return f"{v:.0f} MiB" if v >= 100 or v == int(v) else f"{v:.1f} MiB" if v >= 0.1 else f"{v:.2g} MiB"


def _over(size: int, limit: int) -> str:
    """"size; the limit is limit", exact in bytes when the two would print the same in MiB."""
    if float(mib(size).split()[0]) <= limit / MIB:
        return f"{size:,} bytes; the limit is {limit:,} bytes = {mib(limit)}"
    return f"{mib(size)}; the limit is {mib(limit)}"


def _too_large(size: int) -> str:
    return f"too large ({_over(size, MAX_BYTES)})"


def size_refusal(size: int) -> str | None:
    """The reason a file of `size` bytes (its stat size) is refused without reading it, or None: a caller that
    reads files itself (the build) checks this first, so that a huge file is never loaded."""
    if size == 0:
        return "empty file"
    return _too_large(size) if size > MAX_BYTES else None


def _sniff(data: bytes, named: str, suffix: str) -> str:
    """The format the content really has (or, for content refused outright, the reason)."""
    head = data[:1024]
    if head.startswith(_OLE_MAGIC):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if named in ("docx", "doc", "txt", "md") else named
    if b"%PDF-" in head:
        return "pdf"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if named == "pdf":
        return "not a PDF (no %PDF- header)"
    if named == "docx":
        return "not a .docx (not a zip package)"
    if named == "doc" or (named == "txt" and suffix == ""):
        if _looks_like_html(head):
            return "html"
        if named == "doc":
            return ("not a Word .doc (no OLE header, and not RTF, HTML or .docx either)"
                    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                    else "txt")
    return named


def _looks_like_html(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return h.startswith((b"<!doctype html", b"<html", b"<head")) or \
        h.startswith((b"<?xml", b"<!--")) and b"<html" in h


# --------------------------------------------------------------------------------------------------
# Plain text: BOMs, UTF-8, UTF-16 without BOM, legacy Vietnamese encodings

def decode(data: bytes, path: str | Path = "<bytes>") -> str:
    return _decode_text(data, path)[0]


def _decode_text(data: bytes, path: str | Path) -> tuple[str, str, list[tuple[str, str]]]:
    """(text, encoding, warnings) of a plain-text file's bytes."""
    text, enc, warnings = _decode_bytes(data, path)
    _looks_like_text(text, path)
    if enc not in _LEGACY_DECODERS:
        # Unicode text pasted from a document typed in a TCVN3/VNI font ("NghÞ quyÕt"): only then is it changed
        text, legacy, w = _repair_legacy(text)
        if legacy:
            enc, warnings = f"{enc}+{legacy}", warnings + w
    return text, enc, warnings


def _decode_bytes(data: bytes, path: str | Path, declared: str | None = None) -> tuple[str, str, list[tuple[str, str]]]:
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), enc, []
            except UnicodeDecodeError as e:
                raise ReadError(path, f"invalid {enc.upper().replace('-SIG', '')} at byte {e.start + len(bom)}") \
                    from None
    if b"\x00" in data[:4096]:
        enc = _utf16_without_bom(data)
        if enc is None:
            raise ReadError(path, "binary data (NUL bytes), not a text document")
        try:
            return data.decode(enc), enc, [("no_bom", f"no byte-order mark: read as {enc.upper()}")]
        except UnicodeDecodeError as e:
            raise ReadError(path, f"binary data (NUL bytes; not valid {enc.upper()} at byte {e.start})") from None
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        first_bad = e.start
    if declared:
        got = _decode_declared(data, declared)
        if got is not None:
            return got
    controls = sum(data[:65536].count(bytes([b])) for b in range(1, 32) if b not in (9, 10, 12, 13, 26))
    if controls > max(3, min(len(data), 65536) // 100):
        raise ReadError(path, f"binary data ({controls} control bytes in the first {min(len(data), 65536)}), "
                              "not a text document")
    damaged = _damaged_utf8(data)
    if damaged:
        raise ReadError(path, f"damaged UTF-8: {damaged} invalid byte sequence(s), the first at byte {first_bad} "
                              "(the rest is UTF-8); repair or re-export the file")
    return _decode_legacy(data, path, first_bad)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16-LE/BE without a BOM: NULs on one side of most ASCII characters, none on the other."""
    sample = data[:65536]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd > 0.3 and z_even < 0.02 and len(data) % 2 == 0:
        return "utf-16-le"
    if z_even > 0.3 and z_odd < 0.02 and len(data) % 2 == 0:
        return "utf-16-be"
    return None


def _damaged_utf8(data: bytes) -> int:
    """Number of invalid sequences when the file is otherwise clearly UTF-8 (many valid multi-byte
    characters, few invalid ones); 0 when it does not look like UTF-8 at all."""
    sample = data[:1 << 20]
    multibyte = len(re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", sample))
    bad = sample.decode("utf-8", "replace").count("\ufffd") - sample.decode("utf-8", "ignore").count("\ufffd")
    if multibyte >= 20 and bad <= multibyte / 20:
        return data.decode("utf-8", "replace").count("\ufffd")
    return 0


def _decode_declared(data: bytes, declared: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """A charset an HTML page declares, when it decodes cleanly."""
    name = declared.strip().lower()
    if name in ("tcvn3", "tcvn", "tcvn-3", "abc"):
        return _tcvn3_decode(data), "tcvn3", []
    if name in ("vni", "vni-windows"):
        return _vni_decode(data), "vni", []
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec in ("utf-8", "ascii"):
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if codec == "cp1258":
        text = unicodedata.normalize("NFC", text)
    return text, codec, []


# what _looks_like_text counts, as one pattern each (a Python loop over 20,000 characters took half the
# reading time of a plain-text file): C0 controls but tab, line breaks and form feed; C1 controls;
# surrogates; the private-use area; U+FFFD
_ODD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x80-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")
_NOT_LETTERS = regex.compile(r"\P{L}+")           # a letter: what str.isalpha() says is one
_NON_LATIN_LETTERS = regex.compile(r"[\p{L}--[A-Za-z\u00c0-\u024f\u1e00-\u1eff]]", regex.V1)


def _looks_like_text(text: str, path: str | Path) -> str:
    if not text.strip():
        raise ReadError(path, "no text (only whitespace)")
    sample = text[:20000]
    odd = len(_ODD_CHARS.findall(sample))
    if odd > max(3, len(sample) // 100):
        raise ReadError(path, f"does not look like text ({odd} control or undecodable characters in the first "
                              f"{len(sample)}): binary data or a wrong encoding")
    # most letters not Latin script (of at least 20 letters): only possible with more than 10 non-Latin ones,
    # so Latin text is never counted letter by letter
    non_latin = len(_NON_LATIN_LETTERS.findall(sample))
    if non_latin > 10:
        letters = len(_NOT_LETTERS.sub("", sample))
        if letters >= 20 and non_latin > letters / 2:
            raise ReadError(path, "does not look like Vietnamese text (most letters are not Latin script): "
                                  "binary data or a wrong encoding")
    return text


# --------------------------------------------------------------------------------------------------
# Legacy Vietnamese encodings
#
# TCVN3 (ABC; TCVN 5712:1993 "VN3", the .VnTime/.VnArial fonts): one byte per character.  Lower-case
# letters with diacritics sit in 0xA8-0xFE, the seven capitals without tone marks (Ă Â Ê Ô Ơ Ư Đ) in
# 0xA1-0xA7; there are no capitals with tone marks: the ".VnTimeH" capital fonts draw the lower-case codes
# as capitals.  Everything else is Windows-1252.  Source: the TCVN 5712:1993 VN3 layout; all 134 letters
# (67 lower-case, 67 capitals) checked against the TCVN3_TABLE of the VBKey converter
# (github.com/khiemdoan/VBKey, Modules/mdlCodeTable.bas), which agrees with the converters in common use.
_TCVN3_LETTERS = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ",
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}


def _cp1252_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)                  # 0x81 0x8D 0x8F 0x90 0x9D: undefined, kept as C1 controls


_CP1252 = "".join(_cp1252_char(b) for b in range(256))
# a character of Windows-1252 (or a C1 control standing for an undefined byte) -> its byte
_CP1252_BYTE = {c: b for b, c in enumerate(_CP1252)} | {chr(b): b for b in range(0x80, 0xA0)}
_TCVN3_TABLE = str.maketrans({chr(b): _TCVN3_LETTERS.get(b, _CP1252[b]) for b in range(0x80, 0x100)})

# VNI (VNI-Windows, the "VNI-Times" fonts): Windows-1252 bytes where a vowel is followed by a separate mark
# character (lower-case marks after lower-case vowels, capital marks after capitals), plus single characters
# for đ ơ ư and for i/y with some tones.  Source: the VNI Windows font layout; all 134 letters checked against
# the VNI_WINDOWS_TABLE of the VBKey converter (github.com/khiemdoan/VBKey, Modules/mdlCodeTable.bas).
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_VNI_MARKS_LOWER = {
    "ø": ("", _GRAVE), "ù": ("", _ACUTE), "û": ("", _HOOK), "õ": ("", _TILDE), "ï": ("", _DOT),
    "â": (_CIRC, ""), "à": (_CIRC, _GRAVE), "á": (_CIRC, _ACUTE), "å": (_CIRC, _HOOK), "ã": (_CIRC, _TILDE),
    "ä": (_CIRC, _DOT),
    "ê": (_BREVE, ""), "è": (_BREVE, _GRAVE), "é": (_BREVE, _ACUTE), "ú": (_BREVE, _HOOK), "ü": (_BREVE, _TILDE),
    "ë": (_BREVE, _DOT),
}
_VNI_MARKS = _VNI_MARKS_LOWER | {k.upper(): v for k, v in _VNI_MARKS_LOWER.items()}
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
    "ì": "ì", "Ì": "Ì", "í": "í", "Í": "Í", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị",
    "î": "ỵ", "Î": "Ỵ",
}
_VNI_SINGLE_TABLE = str.maketrans(_VNI_SINGLE)
_VNI_PAIR = re.compile("([AaEeIiOoUuYyƠơƯư])([" + "".join(_VNI_MARKS) + "])")


def _vni_compose(base: str, mark: str) -> str | None:
    modifier, tone = _VNI_MARKS[mark]
    if modifier == _CIRC and base not in "AaEeOo" or modifier == _BREVE and base not in "Aa":
        return None
    composed = unicodedata.normalize("NFC", base + modifier + tone)
    return composed if len(composed) == 1 else None


# every vowel + mark pair that makes one Vietnamese letter
_VNI_PAIRS = {b + m: c for b in "AaEeIiOoUuYyƠơƯư" for m in _VNI_MARKS if (c := _vni_compose(b, m))}


def _vni_from_chars(s: str) -> str:
    s = s.translate(_VNI_SINGLE_TABLE)
    return _VNI_PAIR.sub(lambda m: _VNI_PAIRS.get(m.group(0), m.group(0)), s)


def _vni_decode(data: bytes) -> str:
    return unicodedata.normalize("NFC", _vni_from_chars(data.decode("latin-1").translate(_CP1252_FROM_LATIN1)))


_CP1252_FROM_LATIN1 = str.maketrans({chr(b): _CP1252[b] for b in range(0x80, 0xA0)})


def _tcvn3_from_chars(s: str) -> str:
    return _tcvn3_recase(s.translate(_TCVN3_TABLE))


def _tcvn3_decode(data: bytes) -> str:
    return _tcvn3_from_chars(data.decode("latin-1"))


def _cp1258_decode(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


_TCVN3_LOWER = set(_TCVN3_LETTERS.values()) - set("ĂÂÊÔƠƯĐ")
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+")
_LATE_CAPITAL = re.compile("[" + "".join(sorted(_TCVN3_LOWER)) + "][A-Z]")
_NO_LOWER_WORD = re.compile(r"\b[A-Z" + "".join(sorted(_TCVN3_LOWER | set("ĂÂÊÔƠƯĐ"))) + r"]+\b")


def _tcvn3_recase(text: str) -> str:
    """TCVN3 has no capitals with tone marks: a heading typed in a ".VnTimeH" font decodes as "KÕ HO¹CH" ->
    "Kế HOạCH".  A word whose ASCII letters are all capitals (two or more) is put in capitals, and so is a word
    with a single capital ASCII letter between such words ("Xã" in "CỘNG HÒA Xã HỘI"), or with a capital
    after the toned letter ("ủY BAN")."""
    if not any(_is_caps_word(m.group(0)) for m in _NO_LOWER_WORD.finditer(text)):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if any(_is_caps_word(m.group(0)) for m in _NO_LOWER_WORD.finditer(line)):
            lines[i] = _recase_line(line)
    return "\n".join(lines)


def _is_caps_word(w: str) -> bool:
    """No lower-case ASCII, a TCVN3 lower-case letter, and two ASCII capitals or a capital after that letter."""
    return (sum(1 for c in w if "A" <= c <= "Z") >= 2 or _LATE_CAPITAL.search(w) is not None) \
        and any(c in _TCVN3_LOWER for c in w)


def _recase_line(line: str) -> str:
    words = list(_WORD.finditer(line))
    kind = []
    for m in words:
        w = m.group(0)
        lower = any("a" <= c <= "z" for c in w)
        kind.append("L" if lower else "U" if _is_caps_word(w) else
                    "A" if any(c in _TCVN3_LOWER for c in w) else "-")
    chars = list(line)
    for i, m in enumerate(words):
        k = kind[i]
        if k == "A":
            left = next((kind[j] for j in range(i - 1, -1, -1) if kind[j] in "UL"), None)
            right = next((kind[j] for j in range(i + 1, len(words)) if kind[j] in "UL"), None)
            k = "U" if (left or right) and left in ("U", None) and right in ("U", None) else "L"
        if k == "U":
            for j in range(m.start(), m.end()):
                if chars[j] in _TCVN3_LOWER:
                    chars[j] = chars[j].upper()
    return "".join(chars)


# Scoring: what share of the words with non-ASCII letters are Vietnamese syllables

_TONE_MARKS = {_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT}
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:[ou](?=[aăâeêiyơ]))?(?:iê|yê|ia|ya|uô|ua|ươ|ưa|oo|[aăâeêioôơuưy])"
    r"(?:ch|nh|ng|[cmnpt]|[iyou])?")
_VI_LETTERS = set("abcdđeghiklmnopqrstuvxyăâêôơư")
_EDGE = "\"'()[]{}<>.,;:!?“”‘’–—…«»*_#/\\-+=|%&"
_COMMON = frozenset("""của và các ngày năm số theo được thực hiện trong với cho những người này tỉnh có là một
    không đến về để đã công tác quản lý nhà nước hành chính việc thành phố huyện xã ban kế hoạch quyết định nghị
    chỉ thị thông tư luật triển khai cải cách đơn vị cơ quan tổ chức tháng tại trên đồng thời các cấp ủy nhân dân
    phát triển kinh tế xã hội nội dung nhiệm vụ giải pháp căn cứ""".split())


@functools.lru_cache(maxsize=1 << 16)
def _word_verdict(token: str) -> tuple[bool, bool]:
    """(is a Vietnamese syllable, is a common word) for a token with non-ASCII characters."""
    if not token.isalpha():
        return False, False
    if not (token.islower() or token.isupper() or token[0].isupper() and token[1:].islower()):
        return False, False
    low = token.lower()
    nfd = unicodedata.normalize("NFD", low)
    tones = [c for c in nfd if c in _TONE_MARKS]
    if len(tones) > 1:
        return False, False
    bare = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONE_MARKS))
    if any(c not in _VI_LETTERS for c in bare):
        return False, False
    ok = _SYLLABLE.fullmatch(bare) is not None
    return ok, ok and unicodedata.normalize("NFC", low) in _COMMON


@dataclass(frozen=True, slots=True)
class _Score:
    judged: int
    valid: int
    common: int

    @property
    def ratio(self) -> float:
        return self.valid / self.judged if self.judged else 0.0


def _score(text: str) -> _Score:
    judged = valid = common = 0
    for raw in text.split():
        tok = raw.strip(_EDGE)
        if not tok or tok.isascii():
            continue
        judged += 1
        ok, com = _word_verdict(tok)
        valid += ok
        common += com
    return _Score(judged, valid, common)


_LEGACY_LABEL = {"cp1258": "Windows-1258", "tcvn3": "TCVN3 (ABC)", "vni": "VNI"}
_LEGACY_DECODERS = {"cp1258": _cp1258_decode, "tcvn3": _tcvn3_decode, "vni": _vni_decode}
_SAMPLE = 256 * 1024


def _decode_legacy(data: bytes, path: str | Path, first_bad: int) -> tuple[str, str, list[tuple[str, str]]]:
    """Bytes that are not UTF-8: Windows-1258, TCVN3 or VNI, whichever clearly reads as Vietnamese."""
    sample = data[:_SAMPLE]
    cut = sample.rfind(b"\n")
    if len(data) > _SAMPLE and cut > 0:
        sample = sample[:cut]
    decoded: dict[str, str] = {}
    for enc, dec in _LEGACY_DECODERS.items():
        try:
            decoded[enc] = dec(sample)
        except UnicodeDecodeError:
            pass                                  # cp1258 leaves some bytes undefined
    scores = {enc: _score(t) for enc, t in decoded.items()}
    ranked = sorted(scores, key=lambda e: (scores[e].ratio, scores[e].common), reverse=True)
    intro = f"not valid UTF-8 (byte {first_bad})"
    if not ranked:
        raise ReadError(path, f"{intro}, nor Windows-1258, TCVN3 or VNI: binary data or an unknown encoding")
    best = ranked[0]
    if all(s.judged == 0 for s in scores.values()):
        # only punctuation-like bytes above ASCII (a dash, a quote): harmless whichever way they are read
        enc = "cp1258" if "cp1258" in decoded else best
        try:
            text = _LEGACY_DECODERS[enc](data)
        except UnicodeDecodeError:
            enc, text = "tcvn3", _tcvn3_decode(data)
        return text, enc, [("legacy_encoding", f"not valid UTF-8; the few non-ASCII bytes read as "
                                               f"{_LEGACY_LABEL[enc]}")]
    b = scores[best]
    rivals = [e for e in ranked[1:] if decoded[e] != decoded[best]]
    second = scores[rivals[0]] if rivals else _Score(0, 0, 0)
    margin = b.ratio - second.ratio
    confident = b.valid >= 3 and b.ratio >= 0.75 and (
        margin >= 0.15 or b.ratio >= 0.95 and margin >= 0.08 or margin >= 0.05 and b.common >= 2 * second.common + 3)
    if not confident and (b.valid < 3 or b.ratio < VIETNAMESE_AT_LEAST):
        # no legacy reading gives Vietnamese: say what the bytes more likely are, not the least bad of the three
        other = _other_encoding(sample)
        guess = ("" if other is None else
                 "; it fits no single common encoding either (mixed encodings, or binary data?)" if not other else
                 f"; its bytes read best as {other} text")
        raise ReadError(path, f"{intro}, and it does not look like Vietnamese text: read as Windows-1258, TCVN3 "
                              f"or VNI, at most {b.ratio:.0%} of its {b.judged} accented words are Vietnamese "
                              f"syllables{guess}; re-save it as UTF-8")
    if not confident:
        rival = f"; next {_LEGACY_LABEL[rivals[0]]}: {second.ratio:.0%}" if rivals else ""
        raise ReadError(path, f"{intro}, and not clearly a legacy Vietnamese encoding: suspected "
                              f"{_LEGACY_LABEL[best]} with low confidence ({b.ratio:.0%} of {b.judged} accented "
                              f"words read as Vietnamese{rival}); convert it to UTF-8")
    text = decoded[best] if len(sample) == len(data) else _LEGACY_DECODERS[best](data)
    return text, best, [("legacy_encoding",
                         f"not UTF-8: read as {_LEGACY_LABEL[best]} and converted to Unicode (NFC)")]


VIETNAMESE_AT_LEAST = 0.5     # below this share of Vietnamese syllables in every legacy reading: not Vietnamese

# what a detector's codec is called in a message (the usual name, and the script or region it is for)
_ENCODING_LABEL = {
    "cp1252": "Windows-1252 (Western European)", "latin_1": "ISO-8859-1 (Western European)",
    "iso8859_15": "ISO-8859-15 (Western European)", "mac_roman": "Mac Roman (Western European)",
    "cp1250": "Windows-1250 (Central European)", "iso8859_2": "ISO-8859-2 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)", "koi8_r": "KOI8-R (Cyrillic)", "koi8_u": "KOI8-U (Cyrillic)",
    "iso8859_5": "ISO-8859-5 (Cyrillic)", "cp866": "CP866 (Cyrillic, DOS)", "mac_cyrillic": "Mac Cyrillic",
    "cp1253": "Windows-1253 (Greek)", "iso8859_7": "ISO-8859-7 (Greek)", "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)", "cp1256": "Windows-1256 (Arabic)", "cp1257": "Windows-1257 (Baltic)",
    "cp874": "Windows-874 (Thai)", "tis_620": "TIS-620 (Thai)",
    "cp932": "Shift-JIS (Japanese)", "shift_jis": "Shift-JIS (Japanese)", "shift_jis_2004": "Shift-JIS (Japanese)",
    "euc_jp": "EUC-JP (Japanese)", "iso2022_jp": "ISO-2022-JP (Japanese)",
    "gb18030": "GB18030 (Simplified Chinese)", "gbk": "GBK (Simplified Chinese)", "gb2312": "GB2312 (Simplified "
    "Chinese)", "hz": "HZ (Simplified Chinese)", "big5": "Big5 (Traditional Chinese)",
    "cp950": "Big5 (Traditional Chinese)", "big5hkscs": "Big5-HKSCS (Traditional Chinese)",
    "euc_kr": "EUC-KR (Korean)", "cp949": "CP949 (Korean)", "iso2022_kr": "ISO-2022-KR (Korean)",
}


def _other_encoding(sample: bytes) -> str | bool | None:
    """The most plausible encoding of bytes that are neither UTF-8 nor Vietnamese, by charset-normalizer: its
    name for a message, False when no encoding fits, None when the detector is not installed.  Among the
    encodings that give the same text, Windows-1252 is named first (the usual Western one); Windows-1258 never
    (the caller has just found that the text is not Vietnamese)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    try:
        best = from_bytes(sample[:65536]).best()
    except Exception:                             # a detector's failure must not hide the real reason
        return None
    if best is None:
        return False
    same = [e for e in [best.encoding, *best.could_be_from_charset] if e != "cp1258"]
    if not same:
        return False
    enc = "cp1252" if "cp1252" in same else same[0]
    return _ENCODING_LABEL.get(enc, enc.upper().replace("_", "-"))


# Legacy font text inside Unicode documents (Word, HTML, PDF, or a UTF-8 file pasted from them)

_VI_SPECIFIC = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1EA0-\u1EF9]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_NOT_CP1252 = re.compile("[^\x00-\x7f" + re.escape("".join(sorted(c for c in _CP1252_BYTE if c >= "\x80"))) + "]")


def _repair_legacy(text: str) -> tuple[str, str | None, list[tuple[str, str]]]:
    """Convert lines written in TCVN3 or VNI fonts (Latin-1 look-alikes) when the document clearly is."""
    if not re.search("[\u00a1-\u00ff]", text):
        return text, None, []
    lines = text.split("\n")
    candidates = [i for i, ln in enumerate(lines)
                  if _NON_ASCII.search(ln) and not _VI_SPECIFIC.search(ln) and not _NOT_CP1252.search(ln)]
    if not candidates:
        return text, None, []
    sample, size = [], 0
    for i in candidates:
        sample.append(lines[i])
        size += len(lines[i])
        if size > _SAMPLE:
            break
    joined = "\n".join(sample)
    as_is = _score(unicodedata.normalize("NFC", joined))
    conv = {"tcvn3": _score(_tcvn3_from_chars(joined)), "vni": _score(_vni_from_chars(joined))}
    best = max(conv, key=lambda e: (conv[e].ratio, conv[e].common))
    b = conv[best]
    if not (b.valid >= 5 and b.ratio >= 0.75 and as_is.ratio <= 0.5 and b.ratio - as_is.ratio >= 0.3):
        return text, None, []
    convert = _tcvn3_from_chars if best == "tcvn3" else (lambda s: unicodedata.normalize("NFC", _vni_from_chars(s)))
    changed = 0
    for i in candidates:
        new = convert(lines[i])
        if _score(new).valid > _score(lines[i]).valid:
            lines[i] = new
            changed += 1
    if not changed:
        return text, None, []
    return ("\n".join(lines), best,
            [("legacy_font", f"{changed} line(s) typed in a legacy {_LEGACY_LABEL[best]} font converted to Unicode")])


# --------------------------------------------------------------------------------------------------
# HTML

_WESTERN = {"cp1252", "latin_1", "iso8859-1", "iso8859-15", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def _read_html(data: bytes, path: Path) -> tuple[str, str, list[tuple[str, str]]]:
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = m.group(1).decode("ascii", "replace").lower() if m else None
    try:
        western = declared is not None and codecs.lookup(declared).name in _WESTERN
    except LookupError:
        western = False
    try:
        # a page that declares a Western charset cannot hold Vietnamese: look at what its bytes are
        markup, enc, warnings = _decode_bytes(data, path, None if western else declared)
    except ReadError:
        if not western:
            raise
        codec = codecs.lookup(declared).name
        markup, enc = data.decode(codec, "replace"), codec
        warnings = [("declared_charset", f"not UTF-8 nor a clear Vietnamese encoding: read as the declared {codec}")]
    parser = _HTMLText()
    try:
        parser.feed(markup)
        parser.close()
    except Exception as e:                        # html.parser is lenient; this is a safety net
        raise ReadError(path, f"cannot parse HTML ({type(e).__name__}: {e})") from None
    text = parser.text()
    if not text.strip():
        raise ReadError(path, "no visible text in the HTML page")
    text, legacy, w = _repair_legacy(text)
    return text, (f"{enc}+{legacy}" if legacy else enc), warnings + w


_BLOCK = frozenset("""address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu ol
    p pre section summary table tbody td tfoot th thead tr ul""".split())
_SKIP = frozenset("""script style noscript template svg math head title nav iframe object select button
    textarea canvas audio video map datalist""".split())
_RAW = frozenset({"script", "style"})
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class _HTMLText(HTMLParser):
    """Visible text: skipped elements are buffered and dropped when they close (kept if never closed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skips: list[list] = []          # [tag, depth, buffer]
        self.pre = 0
        self.sup = 0

    def _sink(self) -> list[str]:
        return self.skips[-1][2] if self.skips else self.out

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._sink().append("\n")
            return
        if self.skips:
            top = self.skips[-1]
            if tag == top[0]:
                top[1] += 1
            elif top[0] == "head" and tag == "body":
                self.skips.pop()
            else:
                if tag in _BLOCK:
                    top[2].append("\n")
                return
        a = dict(attrs)
        if tag in _SKIP or "hidden" in a or (a.get("aria-hidden") or "").lower() == "true" \
                or _HIDDEN_STYLE.search(a.get("style") or "") or (a.get("role") or "").lower() == "navigation":
            self.skips.append([tag, 1, []])
            return
        if tag in _BLOCK:
            self.out.append("\n")
        if tag == "pre":
            self.pre += 1
        elif tag == "sup":
            self.sup += 1

    def handle_endtag(self, tag):
        if self.skips:
            for k in range(len(self.skips) - 1, -1, -1):
                if self.skips[k][0] == tag:
                    self.skips[k][1] -= 1
                    if self.skips[k][1] == 0 or k < len(self.skips) - 1:
                        del self.skips[k:]
                    return
            if tag in _BLOCK:
                self._sink().append("\n")
            return
        if tag in _BLOCK:
            self.out.append("\n")
        if tag == "pre" and self.pre:
            self.pre -= 1
        elif tag == "sup" and self.sup:
            self.sup -= 1

    def handle_data(self, data):
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        if self.sup and data.strip().isdigit():
            data = data.translate(_SUPERSCRIPT)
        self._sink().append(data)

    def close(self):
        super().close()
        while self.skips:                    # never closed: better to keep than to lose the rest of the page
            tag, _, buf = self.skips.pop(0)
            if tag not in _RAW:
                self.out.extend(buf)

    def text(self) -> str:
        raw = "".join(self.out).replace("\u00a0", " ")
        lines = [ln.strip(" \t\r\f") for ln in raw.split("\n")]
        text = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# --------------------------------------------------------------------------------------------------
# DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"


def _check_zip(data: bytes, path: Path) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise ReadError(path, f"not a valid .docx (damaged or truncated zip: {e})") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError(path, f"zip with {len(infos)} entries (limit {MAX_ZIP_ENTRIES}): not a plausible .docx")
    total = sum(i.file_size for i in infos)
    biggest = max(infos, key=lambda i: i.file_size, default=None)
    if total > MAX_UNZIPPED or (biggest and biggest.file_size > MAX_UNZIPPED_PART):
        raise ReadError(path, f"zip bomb? the .docx would unpack to {mib(total)} "
                              f"({biggest.filename}: {mib(biggest.file_size)}); the limits are "
                              f"{mib(MAX_UNZIPPED)} in all and {mib(MAX_UNZIPPED_PART)} a part")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise ReadError(path, "not a .docx (a zip without [Content_Types].xml)")


def _read_docx(data: bytes, path: Path) -> tuple[str, str | None, list[tuple[str, str]]]:
    _check_zip(data, path)
    try:
        import docx                               # python-docx
    except ImportError:
        raise ReadError(path, "reading .docx needs python-docx (pip install python-docx)") from None
    try:
        d = docx.Document(io.BytesIO(data))
        body = d.element.body
        notes: dict[str, dict[str, object]] = {}
        for rel in d.part.rels.values():
            if rel.is_external or rel.reltype not in (_RT_FOOTNOTES, _RT_ENDNOTES):
                continue
            kind = "footnote" if rel.reltype == _RT_FOOTNOTES else "endnote"
            notes[kind] = {n.get(_W + "id"): n for n in _parse_part(rel.target_part).iter(_W + kind)
                           if n.get(_W + "type") in (None, "normal")}
        walker = _DocxWalker(notes)
        lines = walker.blocks(body)
        footer = walker.notes_lines()
    except ReadError:
        raise
    except Exception as e:                        # python-docx/lxml on a damaged package
        raise ReadError(path, f"not a valid .docx ({type(e).__name__}: {e})") from None
    text = "\n".join(lines).strip("\n")
    if footer:
        text += "\n\n" + "\n".join(footer)
    if not text.strip():
        raise ReadError(path, "no text in the document")
    text, legacy, warnings = _repair_legacy(text)
    return text, legacy, warnings


def _parse_part(part):
    from docx.oxml import parse_xml
    el = getattr(part, "element", None)
    return el if el is not None else parse_xml(part.blob)


class _DocxWalker:
    """Text of WordprocessingML blocks; footnote/endnote anchors numbered in order of first reference."""

    def __init__(self, notes: dict[str, dict[str, object]]):
        self.notes = notes
        self.numbers: dict[tuple[str, str], int] = {}     # (kind, id) -> number shown

    def blocks(self, container) -> list[str]:
        lines: list[str] = []
        for el in container:
            tag = el.tag
            if tag == _W + "p":
                extra: list[str] = []
                lines.append(self.inline(el, extra))
                lines.extend(extra)
            elif tag == _W + "tbl":
                for tr in el.iter(_W + "tr"):
                    if _nearest(tr, _W + "tbl") is not el:
                        continue                           # rows of nested tables come with their cell
                    for tc in tr.iterchildren(_W + "tc", _W + "sdt", _W + "customXml"):
                        cells = [tc] if tc.tag == _W + "tc" else list(tc.iter(_W + "tc"))
                        for cell in cells:
                            if not _vmerge_continue(cell):
                                lines.extend(self.blocks(cell))
            elif tag in (_W + "sectPr", _W + "tcPr", _W + "tblPr", _W + "sdtPr", _W + "sdtEndPr"):
                continue
            elif tag == _MC + "AlternateContent":
                choice = el.find(_MC + "Choice")
                if choice is None:
                    choice = el.find(_MC + "Fallback")
                if choice is not None:
                    lines.extend(self.blocks(choice))
            elif isinstance(tag, str):
                lines.extend(self.blocks(el))             # sdt, sdtContent, customXml, ins, …
        return lines

    def inline(self, el, extra: list[str]) -> str:
        parts: list[str] = []
        self._inline(el, parts, extra, sup=False)
        return "".join(parts)

    def _inline(self, el, parts, extra, sup):
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str):
                continue
            if tag == _W + "r":
                rpr = ch.find(_W + "rPr")
                if rpr is not None and _on(rpr.find(_W + "vanish")):
                    continue
                va = rpr.find(_W + "vertAlign") if rpr is not None else None
                self._inline(ch, parts, extra, sup=va is not None and va.get(_W + "val") == "superscript")
            elif tag == _W + "t":
                t = ch.text or ""
                parts.append(t.translate(_SUPERSCRIPT) if sup and t.strip().isdigit() else t)
            elif tag in (_W + "tab", _W + "ptab"):
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            elif tag in (_W + "footnoteReference", _W + "endnoteReference"):
                kind = "footnote" if tag == _W + "footnoteReference" else "endnote"
                if ch.get(_W + "customMarkFollows") in ("1", "true", "on"):
                    continue                               # the custom mark is the run's own text
                parts.append(str(self._number(kind, ch.get(_W + "id"))).translate(_SUPERSCRIPT))
            elif tag in (_W + "delText", _W + "instrText", _W + "delInstrText", _W + "rPr", _W + "pPr",
                         _W + "del", _W + "moveFrom", _W + "footnoteRef", _W + "endnoteRef", _W + "object"):
                continue
            elif tag == _W + "txbxContent":
                extra.extend(self.blocks(ch))
            elif tag == _MC + "AlternateContent":
                choice = ch.find(_MC + "Choice")
                if choice is None:
                    choice = ch.find(_MC + "Fallback")
                if choice is not None:
                    self._inline(choice, parts, extra, sup)
            else:
                self._inline(ch, parts, extra, sup)       # hyperlink, ins, smartTag, fldSimple, sdt, drawing…

    def _number(self, kind: str, nid: str | None) -> int:
        key = (kind, nid or "")
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def notes_lines(self) -> list[str]:
        for kind in ("footnote", "endnote"):               # notes never referenced still carry citations
            for nid in self.notes.get(kind, {}):
                self._number(kind, nid)
        lines = []
        for (kind, nid), num in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            note = self.notes.get(kind, {}).get(nid)
            if note is None:
                continue
            body = " ".join(ln.strip() for ln in self.blocks(note) if ln.strip())
            if body:
                lines.append(f"{str(num).translate(_SUPERSCRIPT)} {body}")
        return lines


def _nearest(el, tag):
    p = el.getparent()
    while p is not None and p.tag != tag:
        p = p.getparent()
    return p


def _vmerge_continue(tc) -> bool:
    pr = tc.find(_W + "tcPr")
    vm = pr.find(_W + "vMerge") if pr is not None else None
    return vm is not None and vm.get(_W + "val") in (None, "continue")


def _on(el) -> bool:
    return el is not None and el.get(_W + "val") not in ("0", "false", "off")


# --------------------------------------------------------------------------------------------------
# PDF

class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        if len(self.messages) < 20:
            self.messages.append(record.getMessage())


def _read_pdf(data: bytes, path: Path) -> tuple[str, str | None, list[tuple[str, str]]]:
    if b"%PDF-" not in data[:1024]:
        raise ReadError(path, "not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-4096:]:        # the marker is written with two percent signs (ISO 32000-1, 7.5.5)
        raise ReadError(path, 'truncated PDF (no end-of-file marker "%%EOF" in its last 4 KiB): '
                              "the download or copy is incomplete")
    try:
        import pypdf
        from pypdf.errors import DependencyError
    except ImportError:
        raise ReadError(path, "reading .pdf needs pypdf (pip install pypdf)") from None
    try:
        from pypdf.errors import LimitReachedError
    except ImportError:                           # older pypdf: no such limits
        LimitReachedError = ()                    # noqa: N806
    log = logging.getLogger("pypdf")
    handler, propagate = _Collect(), log.propagate
    log.addHandler(handler)
    log.propagate = False
    warnings: list[tuple[str, str]] = []
    try:
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except DependencyError:
                    raise ReadError(path, "encrypted PDF: decrypting it needs the 'cryptography' package") from None
                if not ok:
                    raise ReadError(path, "encrypted PDF (needs a password)")
            pages = reader.pages
            n = len(pages)
        except ReadError:
            raise
        except LimitReachedError as e:
            raise ReadError(path, _pdf_limit(e, pypdf, "")) from None
        except Exception as e:
            raise ReadError(path, f"damaged PDF ({type(e).__name__}: {e})") from None
        texts, failed, blank = [], [], []
        start = time.monotonic()
        for i in range(n):
            if time.monotonic() - start > PDF_TIME_LIMIT:
                raise ReadError(path, f"PDF text extraction took over {PDF_TIME_LIMIT:.0f} s "
                                      f"(stopped at page {i + 1} of {n})")
            try:
                t = _page_text(pages[i])
            except LimitReachedError as e:          # a bomb: the whole file is refused, not one page
                raise ReadError(path, _pdf_limit(e, pypdf, f" on page {i + 1} of {n}")) from None
            except Exception as e:
                failed.append(f"{i + 1} ({type(e).__name__})")
                t = ""
            if not t.strip():
                blank.append(i + 1)
            texts.append(t)
    finally:
        log.removeHandler(handler)
        log.propagate = propagate
    text = "\n".join(texts)
    if not text.strip():
        if failed and len(failed) == n:
            raise ReadError(path, f"damaged PDF: text extraction failed on every page ({', '.join(failed[:5])})")
        raise ReadError(path, "no text layer (scanned PDF?): run OCR first")
    if failed:
        warnings.append(("failed_pages", f"text extraction failed on page(s) {', '.join(failed[:20])}"))
    if blank:
        warnings.append(("scanned_pages", f"{len(blank)} of {n} page(s) have no text (scanned?): {_ranges(blank)}"))
    warnings.extend(("pdf_library", f"pypdf: {m}") for m in dict.fromkeys(handler.messages))
    text, legacy, w = _repair_legacy(text)
    return text, legacy, warnings + w


def _pdf_limit(e: Exception, pypdf, where: str) -> str:
    """The reason for a PDF that hit one of pypdf's safety limits (LimitReachedError)."""
    msg = str(e).strip().rstrip(".")
    if "decompress" in msg.lower() or "output length" in msg.lower():
        try:
            limit = pypdf.get_configuration().zlib_maximum_output_length      # pypdf >= 7
        except AttributeError:
            limit = getattr(getattr(pypdf, "filters", None), "ZLIB_MAX_OUTPUT_LENGTH", None)
        size = f" ({mib(limit)} a stream)" if isinstance(limit, int) else ""
        return (f"exceeds the decompression limit{size}{where}: a compressed stream unpacks to more than that "
                "(a decompression bomb?); the file is not read")
    return f"exceeds a safety limit of the PDF reader{where} ({msg}): a malformed or malicious PDF; not read"


PARAGRAPH_GAP = 1.6       # a vertical gap this many times the page's usual line pitch is a blank line
WRAPPED_LINE = 0.75       # a line this long (share of the page's long lines), not ending a sentence and
                          # followed by one starting in lower case, was wrapped by the layout: they are joined
WRAP_FIT = 0.9            # a line followed by one starting with a capital was wrapped when the next line's first
                          # word would not have fitted after it: its length, a space and that word exceed this
                          # share of the page's measure (its longest lines, in characters; the fonts are
                          # proportional, hence the margin)
_JUSTIFIED = re.compile(r"(?<=\S) {2,3}(?=\S)")
_COLUMNS = re.compile(r"\S {4,}\S")        # columns side by side (the header's two blocks, a table)
_LETTER_ITEM = re.compile(r"\s*[a-zđ]\)")   # "b) …": a list item, not the rest of a wrapped line
# What opens a list item or a heading, never the rest of a wrapped line: "- ", "+ ", "1. ", "1.2. ", "2) ", "a) ",
# "II. ", "(1) ", "(a) "
_ITEM = re.compile(r"\s*(?:[-+•*–]|\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđA-ZĐ]\)|[IVXLC]{1,6}[.)]|\((?:\d{1,3}|[a-zđ])\))(?:\s|$)")


def _wrapped(prev: str, line: str, full: float, measure: int) -> bool:
    """Was the break between the physical lines prev and line made by the layout (a line wrapped at the
    margin), not by the text?  Never after a sentence's end or before a list item; before a word in lower case
    when prev is a long line ("…của UBND⏎huyện Bắc Sơn"); before a capital ("…của UBND tỉnh⏎Lạng Sơn", "…nâng
    cao⏎Chỉ số SIPAS") when that word would not have fitted at the end of prev, which the layout would otherwise
    have done, and prev does not end a clause (";", ":") and neither line is in capitals (header lines) or in
    columns."""
    p, n = prev.rstrip(), line.lstrip()
    if not p or not n or p.endswith((".", "!", "?")):
        return False
    if n[0].islower():
        return len(p) >= full and not _LETTER_ITEM.match(n)
    if p.endswith((";", ":")) or _ITEM.match(n) or _COLUMNS.search(p) or _COLUMNS.search(n):
        return False
    if not any(c.islower() for c in p) or not any(c.islower() for c in n):
        return False
    return len(p) + 1 + len(n.split(None, 1)[0]) > WRAP_FIT * measure


def _page_text(page) -> str:
    """pypdf's text of one page, with the layout's paragraphs back.  Where the gap between two lines is well
    over the page's usual line pitch (an empty line, space between paragraphs or blocks), an empty line is
    put in, as the text the PDF was made from had: pypdf alone joins every line with one "\n", and a heading
    then runs into the paragraph under it.  A line wrapped at the margin (`_wrapped`) is joined to its rest with
    a space, so that "UBND⏎huyện Bắc Sơn ban hành" and "UBND tỉnh⏎Lạng Sơn" read as written.  Two or three
    spaces between words (justified lines) become one."""
    chunks: list[tuple[str, float]] = []

    sizes: list[float] = []

    def visit(text, cm, tm, _font, size):
        if text:
            chunks.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))
            if text.strip() and size:
                sizes.append(abs(size * tm[3] * cm[3]) or abs(size))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(c for c, _ in chunks) != text:
        return text                                   # not what the visitor saw: keep pypdf's text as it is
    # justified lines come out with two spaces between words ("Thực  hiện  Kế  hoạch"): one, as typed;
    # wider gaps (columns side by side) stay
    chunks = [(_JUSTIFIED.sub(" ", c), y) for c, y in chunks]
    lines: list[list] = [["", None]]                  # [text, y of its first visible chunk]
    for chunk, y in chunks:
        parts = chunk.split("\n")
        for k, part in enumerate(parts):
            if k:
                lines.append(["", None])
            lines[-1][0] += part
            if lines[-1][1] is None and part.strip():
                lines[-1][1] = y
    pitches = [a[1] - b[1] for a, b in zip(lines, lines[1:])
               if a[1] is not None and b[1] is not None and a[0].strip() and b[0].strip() and a[1] > b[1]]
    if len(pitches) < 3:
        return text
    # the usual pitch: a low quantile (most gaps may be blank lines), at most 1.6 times the usual font size
    pitch = sorted(pitches)[len(pitches) // 5]
    if sizes:
        pitch = min(pitch, 1.6 * sorted(sizes)[len(sizes) // 2])
    lengths = sorted(len(t.rstrip()) for t, _ in lines if t.strip())
    full = WRAPPED_LINE * lengths[(len(lengths) * 9) // 10]
    measure = lengths[(len(lengths) * 19) // 20]
    out: list[str] = []
    prev_y = None
    last = ""                                          # the last physical line (out[-1] may hold several)
    for line, y in lines:
        gap = y is not None and prev_y is not None and prev_y - y > PARAGRAPH_GAP * pitch
        if line.strip() and out and out[-1].strip():
            if gap:
                out.append("")
            elif _wrapped(last, line, full, measure):
                # the line before was wrapped at the margin: one paragraph, one line (as in the source)
                out[-1] = out[-1].rstrip() + " " + line.lstrip()
                last = line
                prev_y = y if y is not None else prev_y
                continue
        out.append(line)
        last = line
        if y is not None and line.strip():
            prev_y = y
    return "\n".join(out)


def _ranges(nums: list[int]) -> str:
    out, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ", ".join(out[:20]) + (" …" if len(out) > 20 else "")


# --------------------------------------------------------------------------------------------------
# .doc / .rtf through external converters

def _read_via_converter(path: Path, kind: str) -> tuple[str, str | None, list[tuple[str, str]]]:
    """LibreOffice first (tables, footnotes and all, through .docx), antiword (.doc only) otherwise."""
    what = "Word 97-2003 .doc" if kind == "doc" else "RTF document"
    tried: list[str] = []
    src = path.resolve()
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office:
        with tempfile.TemporaryDirectory(prefix="plangraph-") as td:
            profile = Path(td, "profile").as_uri()
            rc, out, err = _run([office, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                                 "--convert-to", "docx", "--outdir", td, str(src)])
            produced = Path(td, src.stem + ".docx")
            if rc == 0 and produced.is_file() and produced.stat().st_size > 0:
                try:
                    text, legacy, w = _read_docx(produced.read_bytes(), path)
                    return text, legacy, [("converted", "converted with LibreOffice")] + w
                except ReadError as e:
                    tried.append(f"LibreOffice's .docx: {e.reason}")
            else:
                tried.append(f"LibreOffice: {_first_line(err) or _first_line(out) or f'exit {rc}'}")
    antiword = shutil.which("antiword") if kind == "doc" else None
    if antiword:
        rc, out, err = _run([antiword, "-m", "UTF-8.txt", "-w", "0", str(src)])
        if rc == 0 and out.strip():
            text = _antiword_tables(out.decode("utf-8", "replace").replace("\r\n", "\n")).strip("\n")
            text, legacy, w = _repair_legacy(text)
            return text, legacy, [("converted", "converted with antiword")] + w
        tried.append(f"antiword: {_first_line(err) or f'exit {rc}'}")
    if not tried:
        tools = "LibreOffice or antiword" if kind == "doc" else "LibreOffice"
        raise ReadError(path, f"{what}: no converter on PATH ({tools}); convert it to .docx")
    raise ReadError(path, f"{what} could not be converted ({'; '.join(tried)}); convert it to .docx")


def _antiword_tables(text: str) -> str:
    """antiword draws a table row as "|cell   |cell   |": put each cell on its own line."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if len(s) > 1 and s.startswith("|") and s.endswith("|"):
            out.extend(c.strip() for c in s[1:-1].split("|") if c.strip())
        else:
            out.append(line)
    return "\n".join(out)


def _run(cmd: list[str]) -> tuple[int, bytes, bytes]:
    """Run a converter in its own process group; on timeout the whole group is killed."""
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as e:
        return 127, b"", str(e).encode()
    try:
        out, err = proc.communicate(timeout=CONVERTER_TIMEOUT)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        proc.communicate()
        return -9, b"", f"timed out after {CONVERTER_TIMEOUT:g} s".encode()


def _first_line(b: bytes) -> str:
    s = b.decode("utf-8", "replace").strip()
    return s.splitlines()[0][:200] if s else ""
