"""The hand-annotated gold sets (tests/data/gold/, heldout/, heldout2/) keep their documented format, so that
bench/eval_gold.py reads what the annotators meant: NFC, sorted keys, indent 2, sorted records, known labels."""
import json
import unicodedata
from pathlib import Path

import pytest

from conftest import SHARED
from graph_builder.vocabulary import RELATIONS

GOLD = Path(__file__).parent / "data" / "gold"
FILES = sorted([*GOLD.glob("*.json"), *GOLD.glob("heldout/*.json"), *GOLD.glob("heldout2/*.json")])


def test_there_are_three_sets():
    assert {p.parent.name for p in FILES} == {"gold", "heldout", "heldout2"}
    assert len(FILES) >= 19


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem[:30]}")
def test_gold_file_format(path):
    raw = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    data = json.loads(raw)
    assert raw == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert {"file", "document", "citations", "third_party", "named_laws", "doubts"} <= set(data)
    assert data["file"] == path.stem + ".txt"
    numbers = [c["number"] for c in data["citations"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for c in data["citations"]:
        assert c["relations"] == sorted(set(c["relations"])) and set(c["relations"]) <= set(RELATIONS), c
        assert c["mentions"] >= 1 and "Ð" not in c["number"]          # Đ is U+0110, never the eth
    third = [(t["source"], t["target"], t["relation"]) for t in data["third_party"]]
    assert third == sorted(third) and all(t[2] in RELATIONS for t in third)
    assert all(s in numbers and t in numbers for s, t, _ in third), "both ends are cited numbers"
    if SHARED.is_dir():
        assert (SHARED / "corpus-real" / data["file"]).is_file()
