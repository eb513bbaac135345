"""Length-preserving case and diacritic folding for Vietnamese text.

Every function here maps one character to exactly one character, so an offset in the folded text
is the same offset in its input: vocabulary phrases are matched on folded windows and their
positions used directly.
"""
from __future__ import annotations

import unicodedata


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


def fold(s: str) -> str:
    """Lowercase and strip Vietnamese diacritics: "Nghị quyết Đảng" -> "nghi quyet dang"."""
    return s.translate(_FOLD)


def has_diacritics(s: str, sample: int = 20000) -> bool:
    """True when the text is written with Vietnamese diacritics (most real documents);
    False for text typed without them ("Nghi quyet so 76/NQ-CP"), which is then matched folded.
    (Counts the extra UTF-8 bytes of non-ASCII characters: one pass in C.)"""
    chunk = s[:sample]
    if not chunk:
        return True
    extra = len(chunk.encode("utf-8", "surrogatepass")) - len(chunk)
    return extra / len(chunk) > 0.01


class _Shifted:
    """A match on a window, reporting offsets in the whole text."""

    __slots__ = ("m", "off")

    def __init__(self, m, off: int):
        self.m, self.off = m, off

    def start(self, g=0) -> int:
        s = self.m.start(g)
        return s if s < 0 else s + self.off

    def end(self, g=0) -> int:
        e = self.m.end(g)
        return e if e < 0 else e + self.off

    def group(self, *g):
        return self.m.group(*g)

    def groups(self):
        return self.m.groups()

    @property
    def lastgroup(self):
        return self.m.lastgroup


class FoldView:
    """The folded text, computed only where it is looked at.

    Folding a whole document costs more than scanning it for numbers; the extractor only needs the folded
    text around references.  Slicing returns folded strings; search/match/finditer run a pattern on a
    folded window and report offsets in the whole text (a small margin keeps look-behinds true).
    """

    __slots__ = ("text",)
    MARGIN = 3

    def __init__(self, text: str):
        self.text = text

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, sl: slice) -> str:
        return fold(self.text[sl])

    def _window(self, lo: int, hi: int | None) -> tuple[str, int]:
        a = max(0, lo - self.MARGIN)
        return fold(self.text[a:hi]), a

    def search(self, pattern, lo: int = 0, hi: int | None = None):
        w, a = self._window(lo, hi)
        m = pattern.search(w, lo - a)
        return _Shifted(m, a) if m else None

    def match(self, pattern, pos: int, hi: int | None = None):
        w, a = self._window(pos, hi if hi is not None else pos + 400)
        m = pattern.match(w, pos - a)
        return _Shifted(m, a) if m else None

    def finditer(self, pattern, lo: int = 0, hi: int | None = None):
        w, a = self._window(lo, hi)
        for m in pattern.finditer(w, lo - a):
            yield _Shifted(m, a)
