"""Read a document file into text.  Errors name the file and the reason (ReadError)."""
from __future__ import annotations

import codecs
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024          # a single document larger than this is refused, not read


class ReadError(Exception):
    """A file that cannot be read as a document; str() names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


TEXT_SUFFIXES = {".txt", ".md", ".text", ""}


def read_text(path: str | Path) -> str:
    p = Path(path)
    if not p.is_file():
        raise ReadError(p, "not a file" if p.exists() else "no such file")
    size = p.stat().st_size
    if size == 0:
        raise ReadError(p, "empty file")
    if size > MAX_BYTES:
        raise ReadError(p, f"too large ({size / 1e6:.0f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    if p.suffix.lower() not in TEXT_SUFFIXES:
        raise ReadError(p, f"unsupported format {p.suffix!r} (plain text .txt/.md is read)")
    data = p.read_bytes()
    return decode(data, p)


def decode(data: bytes, path: str | Path = "<bytes>") -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _looks_like_text(data.decode("utf-16"), path)
        except UnicodeDecodeError as e:
            raise ReadError(path, f"invalid UTF-16 at byte {e.start}") from None
    if b"\x00" in data[:4096]:
        raise ReadError(path, "binary data (NUL bytes), not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReadError(path, f"not valid UTF-8 (byte {e.start}); convert it to UTF-8") from None
    return _looks_like_text(text, path)


def _looks_like_text(text: str, path: str | Path) -> str:
    if not text.strip():
        raise ReadError(path, "no text (only whitespace)")
    sample = text[:20000]
    odd = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\x0c") or 0xE000 <= ord(c) <= 0xF8FF
              or 0xD800 <= ord(c) <= 0xDFFF or c == "\ufffd")
    if odd > max(3, len(sample) // 100):
        raise ReadError(path, f"does not look like text ({odd} control or undecodable characters in the first "
                              f"{len(sample)}): binary data or a wrong encoding")
    letters = [c for c in sample if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or 0xC0 <= ord(c) <= 0x24F or 0x1E00 <= ord(c) <= 0x1EFF)
    if len(letters) >= 20 and latin < len(letters) / 2:
        raise ReadError(path, "does not look like Vietnamese text (most letters are not Latin script): "
                              "binary data or a wrong encoding")
    return text
