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


def fold(s: str) -> str:
    """Lowercase and strip Vietnamese diacritics: "Nghị quyết Đảng" -> "nghi quyet dang"."""
    return s.translate(_FOLD)


def has_diacritics(s: str, sample: int = 20000) -> bool:
    """True when the text is written with Vietnamese diacritics (most real documents);
    False for text typed without them ("Nghi quyet so 76/NQ-CP"), which is then matched folded."""
    chunk = s[:sample]
    letters = sum(1 for c in chunk if c.isalpha())
    if letters == 0:
        return True
    marked = sum(1 for c in chunk if c.isalpha() and not c.isascii())
    return marked / letters > 0.01
