"""A run over the 110 real gazette documents in ../shared/corpus-real (skipped where absent)."""
import json

import pytest

from conftest import SHARED
from graph_builder import extract_text
from graph_builder.vocabulary import RELATIONS

REAL = SHARED / "corpus-real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus-real is not present on this machine")

STATS: dict = {}


@pytest.fixture(scope="module")
def extractions():
    out = {}
    for p in sorted(REAL.glob("*.txt")):
        out[p.name] = (p.read_text(encoding="utf-8"), extract_text(p.read_text(encoding="utf-8"), p.name))
    return out


def test_every_file_completes_and_spans_hold(extractions):
    assert len(extractions) == len(list(REAL.glob("*.txt"))) >= 100
    total = 0
    for name, (text, x) in extractions.items():
        for c in x.citations:
            assert text[c.span.start:c.span.end] == c.span.text, name
            assert c.relation in RELATIONS
        total += len(x.citations)
    STATS["corpus-real"] = (len(extractions), total, sum(len(x.relations) for _, x in extractions.values()),
                            sum(len(x.named_refs) for _, x in extractions.values()))
    assert total > 3000


def test_own_numbers_match_the_gazette_metadata(extractions):
    """SOURCES.jsonl names each file after its official number: the document's own number agrees."""
    sources = [json.loads(line) for line in (REAL / "SOURCES.jsonl").read_text(encoding="utf-8").splitlines()]
    found = 0
    for s in sources:
        text, x = extractions[s["file"]]
        own = x.document.number
        if own is None:
            continue
        found += 1
        slug = s["file"].rsplit("-", 1)[0].split("-so-", 1)[1]            # "61-2018-nd-cp"
        from graph_builder.textfold import fold
        assert fold(own).replace("/", "-").replace(".", "") == slug.replace(".", ""), (s["file"], own)
        assert own not in {c.number for c in x.citations}, s["file"]
    assert found >= 100


def test_spot_check_nghi_dinh_123_2026(extractions):
    """Read by hand: its preamble cites the Luật Tổ chức Chính phủ and the inland waterway law, amended by 48/2014."""
    _, x = extractions["nghi-dinh-so-123-2026-nd-cp-469299.txt"]
    d = x.document
    assert (d.number, d.type, d.date, d.issuer_code) == ("123/2026/NĐ-CP", "NĐ", "2026-04-04", "CP")
    rel = {c.number: c.relation for c in x.citations}
    assert rel["63/2025/QH15"] == "based_on" and rel["23/2004/QH11"] == "based_on"
    assert rel["48/2014/QH13"] == "cites"
    assert ("48/2014/QH13", "amends", "23/2004/QH11") in {(r.source, r.relation, r.target) for r in x.relations}
    names = {n.name: n for n in x.named_refs}
    assert names["Luật Tổ chức Chính phủ"].number == "63/2025/QH15"
    assert names["Luật sửa đổi, bổ sung một số điều của Luật Giao thông đường thủy nội địa"].relation == "guides"


def test_spot_check_luat_51_2024(extractions):
    """The law amending the health insurance law: its own number is 'Luật số: 51/2024/QH15'."""
    _, x = extractions["luat-so-51-2024-qh15-43559.txt"]
    assert x.document.number == "51/2024/QH15"
    numbers = {c.number for c in x.citations}
    assert {"25/2008/QH12", "32/2013/QH13", "46/2014/QH13", "97/2015/QH13", "35/2018/QH14", "68/2020/QH14",
            "30/2023/QH15"} <= numbers
