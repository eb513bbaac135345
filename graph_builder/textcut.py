"""Text cut for display: at most `width` characters, between two words, with "…" where it was cut."""
from __future__ import annotations


def clip_words(s: str | None, width: int) -> str:
    """`s` with its whitespace squashed, cut to at most `width` characters (the "…" included) at the last space
    before the limit; a word longer than half the width is cut inside."""
    s = " ".join((s or "").split())
    if len(s) <= width:
        return s
    k = s.rfind(" ", 0, width)          # the "…" takes the place of the space
    return (s[:k] if k > width // 2 else s[:width - 1]).rstrip(" ,;:") + "…"
