"""Which real Vietnamese administrative unit does a loosely written place name mean?

Documents name their issuers and places loosely ("UBND huyện Văn Quan", "tỉnh Thanh Hoá",
"TP. Hồ Chí Minh", "Thanh Hoa"); every province issues a "249/KH-UBND", so the graph must tell
the units apart. `resolve` maps a name to one unit, or says it is ambiguous (listing every
candidate) or not found, and says why. It never picks one of several namesakes silently.

Dataset: the PyPI package ``vietnamadminunits`` (MIT, 1.0.x), read as data only: its SQLite file
``data/dataset.db`` and ``data/converter_2025.json`` are opened read-only from the installed
package directory, and none of its code is imported (its address parser picks one of several
namesakes without saying so, and its converter geocodes over the network). It provides:
  * table ``admin_units_legacy``: the three-level units of early 2025, before 1 July 2025
    (63 provinces, 696 districts, 10,035 communes; GSO codes, e.g. Lạng Sơn "20", Huyện Văn
    Quan "184", Xã Tú Xuyên "06277"). Five island districts have no communes. Its columns of
    unit type are wrong in a few rows, so the kind is taken from the full name's first words.
  * alias lists: former names of districts and communes merged into a unit by earlier mergers
    (e.g. Xã Liên Hội absorbed Phú Mỹ, Việt Yên, Vân Mộng; Thành phố Hoa Lư absorbed Thành phố
    Ninh Bình), and "hn"/"hcm".
  * ``DICT_PROVINCE`` in converter_2025.json plus table ``admin_units``: the 34 provinces of
    1 July 2025 and, for each, the pre-2025 provinces merged into it.
It does NOT provide units abolished before its snapshot (early 2025, after the mergers of
1 January 2025) except through the alias lists, so "thành phố Huế" of a 2023 document (the
district-level city, split in 2025) resolves to the province Huế; nor a successor for districts,
which were abolished. This module does not map pre-2025 communes to post-2025 ones, and does
not resolve post-2025 units (most post-2025 provinces keep a pre-2025 province's name).

Resolution works against the PRE-2025 units only. Mergers: `province_successor` maps a pre-2025
province to the post-2025 province it became part of (or to itself when it was kept). The
successor is a separate `Place` built from the post-2025 table, with the post-2025 code, which
is not always the pre-2025 code of the province with the same name: post-2025 Tây Ninh is "80",
pre-2025 Long An's code; post-2025 Đồng Tháp is "82", pre-2025 Tiền Giang's. Never compare a
successor's code with a pre-2025 code. One alias is added here because the snapshot already
uses the 2025 name: "Thừa Thiên Huế" (the province until 2024) is pre-2025 "Thành phố Huế" (46).

Matching: a name is cut into words (NFC; punctuation dropped: "Bà Rịa - Vũng Tàu", "TP.HCM")
and compared by two keys: lowercase with its diacritics but tone placement normalized
("Hoá" = "Hóa"), and folded (diacritics removed, Đ -> d, spaces removed; "Phường 01" = "1").
Input with diacritics is matched on the first key, which tells "Thạnh Hóa" (Long An) from
"Thanh Hóa"; only when that finds nothing that fits is it matched folded, and the reason says
"matched ignoring diacritics". Input without diacritics ("THANH HOA") is matched folded.
A leading organ ("UBND", "HĐND", "Thường trực") is skipped. A leading kind word ("tỉnh",
"thành phố"/"TP", "huyện", "quận"/"Q", "thị xã"/"TX", "xã", "phường"/"P", "thị trấn"/"TT")
restricts the unit's type; if no unit has exactly that type, units of the same level are kept
and the reason says so (a "thị xã" of 2023 may be a "thành phố" in the dataset; "thành phố" so
falls back to districts only, never to a tỉnh). Written without diacritics, "quan", "xa", "tinh",
"phuong", "huyen"... may be a kind word or the start of a name ("Quan Hóa"), so both readings
are tried and their candidates pooled.
"a, b, c" is read as name, district, province ("xã Tú Xuyên, huyện Văn Quan, tỉnh Lạng Sơn");
"a, b" takes b as the district if b starts with huyện/quận/thị xã, else as the province. Context
narrows candidates; an ambiguous context narrows to all of its candidates, an unknown one makes
the result unresolved. Current names win over alias names: aliases are searched only when no
current name survives the narrowing, and the reason says that a former name was used.

Levels: with no kind word and `level` None, a name that is a unit at several levels resolves
to the highest level (province > district > commune) and the reason names the lower-level
namesakes: "Lạng Sơn" is the province, "thành phố Lạng Sơn" the district-level city.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from graph_builder.textfold import fold

DATASET = "vietnamadminunits"
LEVELS = ("province", "district", "commune")  # highest first


@dataclass(frozen=True, slots=True)
class Place:
    code: str             # official GSO code as the dataset gives it ("20", "184", "06277")
    name: str             # without the kind word: "Lạng Sơn", "Văn Quan", "Tú Xuyên", "1" (Quận 1)
    kind: str             # "province" | "district" | "commune"
    full_name: str        # "Tỉnh Lạng Sơn", "Huyện Văn Quan", "Xã Tú Xuyên"
    province: str         # name of its province ("Lạng Sơn")
    province_code: str
    district: str | None  # for a commune, its district's name; else None


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    status: str                    # "resolved" | "ambiguous" | "unresolved"
    place: Place | None            # when resolved
    candidates: tuple[Place, ...]  # when ambiguous, all of them sorted by code; () otherwise
    reason: str


# Unit types as the dataset's full names begin, and the levels each can be.
_TYPE_LEVELS = {"Tỉnh": ("province",), "Thành phố": ("province", "district"),
                "Huyện": ("district",), "Quận": ("district",), "Thị xã": ("district",),
                "Xã": ("commune",), "Phường": ("commune",), "Thị trấn": ("commune",)}
# Kind words as written (lowercase NFC); two-word ones are tried first.
_KIND_WORDS = {("tỉnh",): "Tỉnh", ("thành", "phố"): "Thành phố", ("tp",): "Thành phố",
               ("huyện",): "Huyện", ("quận",): "Quận", ("q",): "Quận",
               ("thị", "xã"): "Thị xã", ("tx",): "Thị xã", ("xã",): "Xã",
               ("phường",): "Phường", ("p",): "Phường", ("thị", "trấn"): "Thị trấn",
               ("tt",): "Thị trấn"}
# The same written without diacritics: maybe a kind word, maybe part of a name ("Quan Hóa").
_LOOSE_KIND_WORDS = {tuple(fold(w) for w in k): t for k, t in _KIND_WORDS.items()
                     if not all(w.isascii() for w in k)}
_KIND_PREFIXES = tuple(sorted({"".join(k) for k in (*_LOOSE_KIND_WORDS, *_KIND_WORDS)
                               if "".join(k).isascii() and len("".join(k)) > 1}))
_ORGANS = (("ubnd",), ("hdnd",), ("uy", "ban", "nhan", "dan"), ("hoi", "dong", "nhan", "dan"),
           ("thuong", "truc"))
_EXTRA_ALIASES = {"thuathienhue": ("province", "46")}  # the province's name until 2024
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook, dot below


class _Unit(NamedTuple):
    place: Place
    utype: str                 # key of _TYPE_LEVELS
    district_code: str | None  # for communes


class _Data(NamedTuple):
    by_toned: dict[str, list[_Unit]]   # name with diacritics, tone placement normalized
    by_folded: dict[str, list[_Unit]]  # name folded to ASCII
    by_alias: dict[str, list[_Unit]]   # folded former name / alias
    provinces: tuple[Place, ...]
    successor: dict[str, Place]        # pre-2025 province code -> post-2025 province


class _Reading(NamedTuple):
    utype: str | None  # kind word read, as a _TYPE_LEVELS key
    folded: str
    toned: str


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text))


def _numeric(k: str) -> str:
    return str(int(k)) if k.isdigit() else k


def _folded(words: list[str]) -> str:
    return _numeric("".join(fold(w.lower()) for w in words))


def _toned(words: list[str]) -> str:
    """Lowercase with diacritics, each word's tone mark moved to its end ("Hoá", "Hóa" -> "hoa\u0301")."""
    out = []
    for w in words:
        nfd = unicodedata.normalize("NFD", w.lower())
        out.append(unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
                   + "".join(c for c in nfd if c in _TONES))
    return _numeric("".join(out))


def _split_type(full: str) -> tuple[str, str]:
    """"Thành Phố Bắc Kạn" -> ("Thành phố", "Bắc Kạn")."""
    low = full.lower()
    for utype in sorted(_TYPE_LEVELS, key=len, reverse=True):
        if low.startswith(utype.lower() + " "):
            return utype, full[len(utype) + 1:].strip()
    raise ValueError(f"{DATASET}: unit without a known kind word: {full!r}")


def _dataset_dir() -> Path:
    spec = importlib.util.find_spec(DATASET)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"graph_builder.places needs the '{DATASET}' package "
                                  f"(pip install '{DATASET}>=1.0.4,<1.1')")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _alias_keys(raw: set[str]) -> list[str]:
    """The dataset lists "xaphumy" and "phumy": keep a kind-prefixed key only without its bare twin."""
    keys = {_numeric(re.sub(r"[^a-z0-9]", "", k.lower())) for k in raw}
    return sorted(k for k in keys if not any(k.startswith(p) and k[len(p):] in keys
                                             for p in _KIND_PREFIXES))


@lru_cache(maxsize=1)
def _data() -> _Data:
    root = _dataset_dir()
    con = sqlite3.connect(f"file:{root / 'dataset.db'}?mode=ro", uri=True)
    try:
        legacy = con.execute(
            "SELECT province, provinceCode, provinceKey, provinceAlias, district, districtCode,"
            " districtAlias, ward, wardCode, wardAlias FROM admin_units_legacy"
            " ORDER BY provinceCode, districtCode, wardCode").fetchall()
        new = con.execute("SELECT DISTINCT provinceKey, province, provinceCode FROM admin_units"
                          " ORDER BY provinceCode").fetchall()
    finally:
        con.close()
    units: dict[tuple[str, str], _Unit] = {}
    aliases: dict[tuple[str, str], set[str]] = {}
    old_codes: dict[str, str] = {}
    for prov, pcode, pkey, palias, dist, dcode, dalias, ward, wcode, walias in legacy:
        old_codes[pkey] = pcode
        ptype, pname = _split_type(prov)
        dtype, dname = _split_type(dist)
        rows = [(Place(pcode, pname, "province", f"{ptype} {pname}", pname, pcode, None), ptype, None, palias),
                (Place(dcode, dname, "district", f"{dtype} {dname}", pname, pcode, None), dtype, None, dalias)]
        if wcode:  # five island districts have no communes
            wtype, wname = _split_type(ward)
            rows.append((Place(wcode, wname, "commune", f"{wtype} {wname}", pname, pcode, dname),
                         wtype, dcode, walias))
        for place, utype, parent, alias in rows:
            units.setdefault((place.kind, place.code), _Unit(place, utype, parent))
            if alias:
                aliases.setdefault((place.kind, place.code), set()).update(json.loads(alias))
    by_toned: dict[str, list[_Unit]] = {}
    by_folded: dict[str, list[_Unit]] = {}
    for unit in units.values():
        words = _words(unit.place.name)
        by_toned.setdefault(_toned(words), []).append(unit)
        by_folded.setdefault(_folded(words), []).append(unit)
    by_alias: dict[str, list[_Unit]] = {}
    for ident, raw in sorted(aliases.items()):
        for k in _alias_keys(raw):
            by_alias.setdefault(k, []).append(units[ident])
    for k, ident in _EXTRA_ALIASES.items():
        by_alias.setdefault(k, []).append(units[ident])
    merged = json.loads((root / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    successor: dict[str, Place] = {}
    for nkey, nfull, ncode in new:
        ntype, nname = _split_type(nfull)
        for okey in merged[nkey]:
            successor[old_codes[okey]] = Place(ncode, nname, "province", f"{ntype} {nname}",
                                               nname, ncode, None)
    provinces = tuple(sorted((u.place for u in units.values() if u.place.kind == "province"),
                             key=lambda p: p.code))
    if len(provinces) != 63 or len(new) != 34 or len(successor) != 63:
        raise RuntimeError(f"{DATASET}: unexpected data ({len(provinces)} provinces, "
                           f"{len(new)} post-2025 provinces, {len(successor)} mapped)")
    return _Data(by_toned, by_folded, by_alias, provinces, successor)


def _readings(text: str) -> tuple[list[_Reading], str]:
    """Each way of reading `text` (kind word or not), and its name part for messages."""
    words = _words(text)
    low = [w.lower() for w in words]
    again = True
    while again:
        again = False
        for organ in _ORGANS:
            if tuple(fold(w) for w in low[:len(organ)]) == organ:
                words, low, again = words[len(organ):], low[len(organ):], True
    for n in (2, 1):
        head, rest = tuple(low[:n]), words[n:]
        if len(head) < n:
            continue
        if head in _KIND_WORDS:
            return [_Reading(_KIND_WORDS[head], _folded(rest), _toned(rest))] if rest else [], " ".join(rest)
        loose = _LOOSE_KIND_WORDS.get(tuple(fold(w) for w in head))
        if loose and all(w.isascii() for w in head):  # "quan": Quận, or the start of "Quan Hóa"?
            kind = [_Reading(loose, _folded(rest), _toned(rest))] if rest else []
            return kind + [_Reading(None, _folded(words), _toned(words))], " ".join(words)
    return [_Reading(None, _folded(words), _toned(words))] if words else [], " ".join(words)


def _label(p: Place) -> str:
    where = f"{p.district}, {p.province}" if p.district else p.province
    return p.full_name if p.kind == "province" else f"{p.full_name} ({where})"


def _listing(places, limit: int = 12) -> str:
    labels = sorted({_label(p) for p in places})
    return "; ".join(labels[:limit]) + (f"; … ({len(labels)} in all)" if len(labels) > limit else "")


class _Context(NamedTuple):
    provinces: frozenset[str] | None  # province codes allowed
    districts: frozenset[str] | None  # district codes allowed
    label: str                        # "in Huyện Văn Quan, Tỉnh Lạng Sơn"

    def admits(self, u: _Unit) -> bool:
        p = u.place
        if self.provinces is not None and p.province_code not in self.provinces:
            return False
        if self.districts is None or p.kind == "province":
            return True
        return (p.code if p.kind == "district" else u.district_code) in self.districts


def _narrow(units: list[_Unit], utype: str | None, level: str | None, ctx: _Context,
            notes: list[str], fails: list[str]) -> list[_Unit]:
    """Keep the units that fit the level, the kind word and the context; say why when none do."""
    if level and units:
        kept = [u for u in units if u.place.kind == level]
        if not kept:
            fails.append(f"no {level} of that name, only {_listing([u.place for u in units], 5)}")
        units = kept
    if utype and units:
        kept = [u for u in units if u.utype == utype]
        if not kept:
            # same level, other type ("thị xã" of 2023, "thành phố" now); a tỉnh is never a thành phố
            levels = ("district",) if utype == "Thành phố" else _TYPE_LEVELS[utype]
            kept = [u for u in units if u.place.kind in levels]
            if kept:
                notes.append(f"written as '{utype.lower()}' but the dataset has "
                             f"{', '.join(sorted({u.utype for u in kept}))}")
            else:
                fails.append(f"no {utype.lower()} of that name, only {_listing([u.place for u in units], 5)}")
        units = kept
    if (ctx.provinces is not None or ctx.districts is not None) and units:
        kept = [u for u in units if ctx.admits(u)]
        if not kept:
            fails.append(f"none {ctx.label}; found as {_listing([u.place for u in units], 8)}")
        units = kept
    if not level and not utype and len({u.place.kind for u in units}) > 1:
        top = next(lv for lv in LEVELS if any(u.place.kind == lv for u in units))
        notes.append(f"took the {top} because neither a kind word nor a level was given; the name "
                     f"is also {_listing([u.place for u in units if u.place.kind != top], 5)}")
        units = [u for u in units if u.place.kind == top]
    return units


def _context_codes(name: str, level: str, province: str | None) -> tuple[frozenset[str] | None, str]:
    m = _resolve(name, level, province, None)
    if m.status == "unresolved":
        return None, f"context {level} {name!r} not found: {m.reason}"
    places = (m.place,) if m.place else m.candidates
    label = " or ".join(dict.fromkeys(p.full_name for p in places))
    return frozenset(p.code for p in places), label + (f" ({len(places)} units)" if len(places) > 1 else "")


def resolve(name: str, level: str | None = None, *, province: str | None = None,
            district: str | None = None) -> PlaceMatch:
    """Resolve a place name against the pre-2025 units (see the module docstring)."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS} or None, not {level!r}")
    return _resolve(name, level, province, district)


@lru_cache(maxsize=65536)
def _resolve(name: str, level: str | None, province: str | None, district: str | None) -> PlaceMatch:
    d = _data()
    parts = [p for p in (s.strip() for s in name.split(",")) if p] or [name]
    name, rest = parts[0], parts[1:]
    if len(rest) >= 2:
        district, province = district or rest[-2], province or rest[-1]
    elif rest and any(r.utype in ("Huyện", "Quận", "Thị xã") for r in _readings(rest[0])[0]):
        district = district or rest[0]
    elif rest:
        province = province or rest[0]
    prov_codes = dist_codes = None
    where = []
    if province:
        prov_codes, text = _context_codes(province, "province", None)
        if prov_codes is None:
            return PlaceMatch("unresolved", None, (), text)
        where.append(text)
    if district:
        dist_codes, text = _context_codes(district, "district", province)
        if dist_codes is None:
            return PlaceMatch("unresolved", None, (), text)
        where.insert(0, text)
    ctx = _Context(prov_codes, dist_codes, "in " + ", ".join(where))
    readings, shown = _readings(name)
    if not readings:
        return PlaceMatch("unresolved", None, (), f"no place name in {name!r}, only an organ or kind word")
    marked = not name.isascii()  # "Phường Sa Pa" has diacritics: "Sa Pa" is not "Sa Pả"
    tiers = ((d.by_toned, "toned", None) if marked else None,
             (d.by_folded, "folded", "matched ignoring diacritics" if marked else None),
             (d.by_alias, "folded", f"'{shown}' is a former name or alias in the dataset"))
    notes: list[str] = []
    fails: list[str] = []  # why the first tier that knows the name found nothing
    found: dict[tuple[str, str], Place] = {}
    for index, attr, note in filter(None, tiers):
        tier_notes: list[str] = []
        tier_fails: list[str] = []
        for r in readings:
            for u in _narrow(index.get(getattr(r, attr), []), r.utype, level, ctx, tier_notes, tier_fails):
                found[(u.place.kind, u.place.code)] = u.place
        if found:
            notes = ([note] if note else []) + tier_notes
            break
        fails = fails or tier_fails
    places = tuple(sorted(found.values(), key=lambda p: (len(p.code), p.code)))
    extra = "".join(f"; {n}" for n in dict.fromkeys(notes))
    scope = f" {ctx.label}" if where else ""
    if len(places) == 1:
        return PlaceMatch("resolved", places[0], (),
                          f"{_label(places[0])}: the only match for '{shown}'{scope}{extra}")
    if places:
        return PlaceMatch("ambiguous", None, places, f"'{shown}' matches {len(places)} units{scope}: "
                          f"{_listing(places)}; give a province or district (or a kind word, diacritics) to choose{extra}")
    why = "; ".join(dict.fromkeys(fails)) or "no unit of that name in the pre-2025 dataset"
    return PlaceMatch("unresolved", None, (), f"'{shown}': {why}")


def province_successor(name_or_code: str) -> Place | None:
    """The post-2025 province that a pre-2025 province (name, or pre-2025 code) became part of,
    or itself when it was kept; None unless the input is exactly one pre-2025 province."""
    s = name_or_code.strip()
    if s.isdigit():
        code = s.zfill(2)
    else:
        m = resolve(s, "province")
        if m.place is None:
            return None
        code = m.place.code
    return _data().successor.get(code)


def provinces() -> tuple[Place, ...]:
    """All 63 pre-2025 provinces, sorted by code."""
    return _data().provinces


def units() -> tuple[Place, ...]:
    """Every pre-2025 unit (provinces, districts, communes), sorted by level then code (for generators)."""
    seen = {(u.place.kind, u.place.code): u.place for us in _data().by_folded.values() for u in us}
    order = {"province": 0, "district": 1, "commune": 2}
    return tuple(sorted(seen.values(), key=lambda p: (order[p.kind], p.code)))
