"""Normalise text for matching, keeping a map back to the original offsets.

What changes: NFD and mixed normalisation -> NFC; Ð/ð (eth) -> Đ/đ; no-break and other odd spaces ->
space; zero-width characters and soft hyphens removed; the gazette's page furniture ("CÔNG BÁO/Số
229/Ngày 19-04-2026" headers, page numbers, "Ký bởi: …" signature stamps), URLs (also when wrapped at a line
end) and percent-encoded tokens blanked out, so a citation broken across a page still reads as one and nothing
inside a link is taken for a citation.

Only NFC composition and removals change the length; when there are none (the common case) the
map is the identity and costs nothing.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass

_ONE_TO_ONE = str.maketrans({
    "\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ",           # eth and African D typed for Đ
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x0c": "\n",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",   # hyphens
    "\u2215": "/", "\uff0f": "/",                                # division slash, fullwidth solidus
})
_ODD_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _ONE_TO_ONE) + "]")
_REMOVED_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"                  # zero-width, soft hyphen
_REMOVE = re.compile(f"[{_REMOVED_CHARS}]+|\r(?=\n)")                        # ... and the CR of CRLF
# Any character that a removal or the one-to-one table changes: one search of a plain character class (a few
# ms per MB; the alternation above costs eight times more), and most texts hold none.
_RARE = re.compile(f"[{_REMOVED_CHARS}\r" + _ODD_CHARS.pattern[1:])
# A base character followed by combining marks: the only places NFC can change.
_COMBINING = re.compile(r"[^\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff][\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]+")

_GAZETTE = re.compile(
    r"^[ ]*CÔNG BÁO/Số[^\n]{0,40}/Ngày \d{1,2}-\d{1,2}-\d{4}[ ]*\n(?:[ ]*\d{1,4}[ ]*\n)?"   # running header + page
    r"|^Ký bởi:[^\n]*\n(?:Cơ quan:[^\n]*\n)?(?:Ngày ký:[^\n]*\n?)?"                          # signature stamp
    r"|^Người ký: CỔNG THÔNG TIN[^\n]*\n(?:Email:[^\n]*\n)?(?:Cơ quan:[^\n]*\n)?(?:Thời gian ký:[^\n]*\n?)?",
    re.M)
# A URL; one wrapped at a line end ("…/vbpq-\ntoanvan.aspx?ItemID=1&Keyword= \nS%E1%BB%91%2031/2015/N%C4%90-CP")
# goes on after a piece that cannot end it (- = ? & /).
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+(?:(?<=[-=?&/])[ \t]*\n?[ \t]*[^\s<>\"')\]]+)*")
# Percent-encoded UTF-8 or spaces ("N%C4%90-CP", "S%E1%BB%91%2031") is link text, never prose: a token holding it
# is blanked even outside a recognised URL.
_PERCENT_ENCODED = re.compile(r"%(?:[C-Fc-f][0-9A-Fa-f]%[89ABab][0-9A-Fa-f]|2[0-9A-Fa-f])")
_TOKEN_STOP = re.compile(r"[\s<>\"')\]]")


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str                       # the normalised text that every pattern runs on
    original: str
    starts: array | None = None     # starts[i]: original offset where normalised char i begins
    ends: array | None = None       # ends[i]: original offset where normalised char i ends

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) to the original text."""
        if self.starts is None:
            return start, end
        if end <= start:
            o = self.starts[start] if start < len(self.starts) else len(self.original)
            return o, o
        return self.starts[start], self.ends[end - 1]

    def original_slice(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


def _blank(m: re.Match) -> str:
    """Same-length blanking that keeps line breaks (so sentence and line logic is undisturbed)."""
    return "".join("\n" if c == "\n" else " " for c in m.group(0))


def _blank_encoded_tokens(text: str) -> str:
    """Blank every token (up to whitespace, quotes, brackets) that holds a percent-encoded sequence."""
    pieces, pos = [], 0
    for m in _PERCENT_ENCODED.finditer(text):
        if m.start() < pos:
            continue
        a = m.start()
        while a > pos and not _TOKEN_STOP.match(text, a - 1):
            a -= 1
        e = _TOKEN_STOP.search(text, m.end())
        b = e.start() if e else len(text)
        pieces += [text[pos:a], " " * (b - a)]
        pos = b
    return "".join(pieces) + text[pos:] if pieces else text


def normalise(original: str) -> Normalised:
    edits: list[tuple[int, int, str]] = []
    if not unicodedata.is_normalized("NFC", original):
        for m in _COMBINING.finditer(original):
            composed = unicodedata.normalize("NFC", m.group(0))
            if composed != m.group(0):
                edits.append((m.start(), m.end(), composed))
    rare = _RARE.search(original) is not None
    if rare:
        for m in _REMOVE.finditer(original):
            edits.append((m.start(), m.end(), ""))

    starts = ends = None
    if edits:
        edits.sort()
        pieces: list[str] = []
        starts, ends = array("l"), array("l")
        pos = 0
        for a, b, rep in edits:
            if a < pos:          # overlapping (a removal inside a composed cluster): skip it
                continue
            pieces.append(original[pos:a])
            starts.extend(range(pos, a))
            ends.extend(range(pos + 1, a + 1))
            pieces.append(rep)
            starts.extend([a] * len(rep))
            ends.extend([b] * len(rep))
            pos = b
        pieces.append(original[pos:])
        starts.extend(range(pos, len(original)))
        ends.extend(range(pos + 1, len(original) + 1))
        text = "".join(pieces)
    else:
        text = original

    if rare and _ODD_CHARS.search(text):
        text = text.translate(_ONE_TO_ONE)
    if "CÔNG BÁO" in text or "Ký bởi" in text or "Người ký: CỔNG" in text:
        text = _GAZETTE.sub(_blank, text)
    if "://" in text or "www." in text:
        text = _URL.sub(_blank, text)
    if "%" in text:
        text = _blank_encoded_tokens(text)
    return Normalised(text, original, starts, ends)
