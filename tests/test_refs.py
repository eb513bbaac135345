"""Finding a document from what a user types (refs.py): the one look-up behind `impact REF` and `viz --focus`."""
import pytest

from conftest import CORPUS
from graph_builder import refs
from graph_builder.build import build
from graph_builder.export import load_node_link


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    out = tmp_path_factory.mktemp("refs")
    build(CORPUS, out, jobs=1)
    return load_node_link(out / "graph.json")


def number(g, ref):
    d = g.nodes[refs.find_ref(g, ref)]
    return d["number"] or d["name"]


@pytest.mark.parametrize("typed, expected", [
    ("76/NQ-CP", "76/NQ-CP"),                       # exact
    ("  76/NQ-CP ", "76/NQ-CP"),
    ("76 NQ CP", "76/NQ-CP"),                       # loose spacing, case
    ("76/nq-cp", "76/NQ-CP"),
    ("Số 76/NQ–CP", "76/NQ-CP"),                    # "Số", en dash
    ("nq 76/2021", "76/NQ-CP"),                     # type code and year
    ("Nghị quyết 76", "76/NQ-CP"),                  # type name
    ("nghi quyet 76/nq-cp", "76/NQ-CP"),            # no diacritics, the label
    ("Nghị quyết 76/NQ-CP", "76/NQ-CP"),
    ("61/NĐ-CP", "61/2018/NĐ-CP"),                  # year left out
    ("61/ND-CP", "61/2018/NĐ-CP"),                  # Đ typed as D
    ("61/2018/N\u00d0-CP", "61/2018/NĐ-CP"),       # Ð (U+00D0) for Đ
    ("61/2018/N\u0110-CP", "61/2018/NĐ-CP"),
    ("nd 61 2018", "61/2018/NĐ-CP"),
    ("2/KH-UBND", "02/KH-UBND"),                    # leading zeros do not matter
    ("002/kh-ubnd", "02/KH-UBND"),
    ("60-NQ/TU", "60-NQ/TU"),
    ("60/NQ-TU", "60-NQ/TU"),                       # the Party number typed with a slash
    ("Luật Đất đai", "Luật Đất đai"),               # a law by its name
    ("luat dat dai", "Luật Đất đai"),
])
def test_a_document_is_found_however_it_is_typed(g, typed, expected):
    assert number(g, typed) == expected


def test_an_iri_is_itself(g):
    iri = refs.find_ref(g, "76/NQ-CP")
    assert refs.find_ref(g, iri) == iri and iri.startswith("https://")


@pytest.mark.parametrize("typed, numbers", [
    ("60", {"60-NQ/TU", "60/KH-UBND"}),             # two documents numbered 60
    ("kh 60", {"60/KH-UBND"}),
])
def test_find_nodes_lists_every_match(g, typed, numbers):
    assert {g.nodes[n]["number"] for n in refs.find_nodes(g, typed)} == numbers


def test_an_ambiguous_ref_lists_its_candidates_and_does_not_guess(g):
    with pytest.raises(refs.RefError) as e:
        refs.find_ref(g, "60")
    assert len(e.value.candidates) == 2
    assert "ambiguous" in str(e.value) and "60-NQ/TU" in str(e.value) and "60/KH-UBND" in str(e.value)
    assert all(c in str(e.value) for c in e.value.candidates)


@pytest.mark.parametrize("typed, says", [
    ("999/XYZ-ABC", "not found"),
    ("76/NQ-C", "did you mean: 76/NQ-CP"),
    ("Luật Đất", "did you mean: Luật Đất đai"),
    ("Luật Không Có", "give its number"),
    ("", "not found"),
])
def test_an_unknown_ref_says_so(g, typed, says):
    with pytest.raises(refs.RefError, match=says) as e:
        refs.find_ref(g, typed)
    assert e.value.candidates == []


def test_the_index_follows_the_graph(g):
    h = g.copy()
    assert refs.find_nodes(h, "9999/QĐ-XYZ") == []
    h.add_node("urn:x", number="9999/QĐ-XYZ", label="Quyết định 9999/QĐ-XYZ", type_label="Quyết định",
               year="2030")
    assert refs.find_ref(h, "qd 9999") == "urn:x"


def test_the_look_up_caches_do_not_keep_a_graph_alive(g):
    import gc
    import weakref

    from graph_builder import impact as imp
    h = g.copy()
    imp.impact(h, refs.find_ref(h, "76/NQ-CP"))
    alive = weakref.ref(h)
    del h
    gc.collect()
    assert alive() is None
