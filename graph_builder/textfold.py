"""Length-preserving case and diacritic folding for Vietnamese text.

Every function here maps one character to exactly one character, so an offset in the folded text
is the same offset in its input: vocabulary phrases are matched on folded windows and their
positions used directly.
"""
from __future__ import annotations

import unicodedata

import numpy as np


def _build_tables() -> tuple[dict[int, str], dict[int, str]]:
    lower: dict[int, str] = {}
    folded: dict[int, str] = {}
    ranges = [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            low = ch.lower()
            if len(low) == 1 and low != ch:
                lower[cp] = low
            base = unicodedata.normalize("NFD", low if len(low) == 1 else ch)[0]
            if ch in "Đđ":
                base = "d"
            if ch in "Ðð":   # Icelandic eth, a frequent stand-in for Đ
                base = "d"
            if base.isascii() and base.isalpha():
                base = base.lower()
                if base != ch:
                    folded[cp] = base
    return lower, folded


_LOWER, _FOLD = _build_tables()


def lower(s: str) -> str:
    """str.lower restricted to one-to-one mappings (so offsets are kept)."""
    return s.translate(_LOWER)


def squash(s: str) -> str:
    """Whitespace runs (line breaks included) to one space, ends stripped."""
    return " ".join(s.split())


# The same table as an array indexed by code point, for long texts: str.translate looks each non-ASCII
# character up in a dict (about 45 ns a character here), an array lookup over the UTF-32 code units costs
# a tenth of that.  Below ARRAY_FROM characters the call overhead of the array way is the larger cost.
_FOLD_ARRAY = np.arange(0x1F00, dtype=np.uint32)
_FOLD_ARRAY[list(_FOLD)] = [ord(v) for v in _FOLD.values()]
ARRAY_FROM = 128


def _fold_array(s: str) -> str:
    cps = np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if cps.max() < len(_FOLD_ARRAY):
        out = _FOLD_ARRAY[cps]
    else:                                   # characters beyond the table (CJK, emoji…) are kept as they are
        out = cps.copy()
        inside = cps < len(_FOLD_ARRAY)
        out[inside] = _FOLD_ARRAY[cps[inside]]
    return out.tobytes().decode("utf-32-le", "surrogatepass")


ARRAY_CHUNK = 1 << 20     # characters folded per array pass: 8 MiB of code units, whatever the text's size


def fold(s: str) -> str:
    """Lowercase and strip Vietnamese diacritics: "Nghị quyết Đảng" -> "nghi quyet dang"."""
    if len(s) < ARRAY_FROM:
        return s.translate(_FOLD)
    if len(s) <= ARRAY_CHUNK:
        return _fold_array(s)
    return "".join(_fold_array(s[i:i + ARRAY_CHUNK]) for i in range(0, len(s), ARRAY_CHUNK))


def has_diacritics(s: str, sample: int = 20000) -> bool:
    """True when the text is written with Vietnamese diacritics (most real documents);
    False for text typed without them ("Nghi quyet so 76/NQ-CP"), which is then matched folded.
    (Counts the extra UTF-8 bytes of non-ASCII characters: one pass in C.)"""
    chunk = s[:sample]
    if not chunk:
        return True
    extra = len(chunk.encode("utf-8", "surrogatepass")) - len(chunk)
    return extra / len(chunk) > 0.01


class FoldView:
    """The folded text of a document, folded once when first looked at.

    Slicing returns folded strings; search/match/finditer run a pattern on the folded text between lo and hi
    (as pos and endpos: the pattern sees the text ending at hi, and look-behinds see what comes before lo) and
    return its matches, whose offsets are offsets in the text.  (Folding the whole text once costs less than
    folding the windows around each reference, which overlap.)
    """

    __slots__ = ("text", "_folded")

    def __init__(self, text: str):
        self.text = text
        self._folded: str | None = None

    @property
    def folded(self) -> str:
        f = self._folded
        if f is None:
            f = self._folded = fold(self.text)
        return f

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, sl: slice) -> str:
        return self.folded[sl]

    def search(self, pattern, lo: int = 0, hi: int | None = None):
        return pattern.search(self.folded, lo, len(self.text) if hi is None else hi)

    def match(self, pattern, pos: int, hi: int | None = None):
        return pattern.match(self.folded, pos, pos + 400 if hi is None else hi)

    def finditer(self, pattern, lo: int = 0, hi: int | None = None):
        return pattern.finditer(self.folded, lo, len(self.text) if hi is None else hi)
