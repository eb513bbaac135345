"""Reading graph.json back: the lazy reader (mentions left in the file) gives the same graph as the eager one,
for the build's line-per-record file, for an indented file and for records whose keys are not sorted."""
import json

import pytest

from conftest import CORPUS
from graph_builder import impact as imp
from graph_builder.build import build
from graph_builder.export import node_link_json
from graph_builder.graphjson import LazyMentions, load_node_link


@pytest.fixture(scope="module")
def graph_json(tmp_path_factory):
    out = tmp_path_factory.mktemp("graphjson")
    build(CORPUS, out, jobs=1)
    return out / "graph.json"


def as_data(g):
    """Everything a graph holds, mentions decoded, in the graph's own order."""
    return (g.graph, list(g.nodes(data=True)),
            [(u, v, k, {a: (list(b) if a == "mentions" else b) for a, b in d.items()})
             for u, v, k, d in g.edges(keys=True, data=True)])


def test_build_output_is_read_lazily_and_equals_the_eager_read(graph_json):
    eager, lazy = load_node_link(graph_json, lazy=False), load_node_link(graph_json, lazy=True)
    kinds = {type(d["mentions"]) for _u, _v, d in lazy.edges(data=True)}
    assert kinds == {LazyMentions}
    assert {type(d["mentions"]) for _u, _v, d in eager.edges(data=True)} == {list}
    assert as_data(lazy) == as_data(eager)
    assert eager.number_of_edges() > 40 and eager.graph["base"]


def test_lazy_mentions_behave_as_a_sequence(graph_json):
    g = load_node_link(graph_json, lazy=True)
    ms = next(d["mentions"] for _u, _v, d in g.edges(data=True) if len(d["mentions"]) > 1)
    assert ms[0] == list(ms)[0] and ms[-1] == list(ms)[len(ms) - 1]
    assert ms[0]["file"].endswith(".txt") and ms[0]["evidence"]
    assert ms == list(ms)


def test_impact_and_check_are_the_same_on_a_lazy_graph(graph_json):
    eager, lazy = load_node_link(graph_json, lazy=False), load_node_link(graph_json, lazy=True)
    for ref in ("76/NQ-CP", "249/KH-UBND", "61/2018/NĐ-CP"):
        a, b = imp.impact(eager, imp.find_ref(eager, ref)), imp.impact(lazy, imp.find_ref(lazy, ref))
        assert imp.to_json(eager, a) == imp.to_json(lazy, b)
    assert imp.stale_bases(eager) == imp.stale_bases(lazy) != []


def test_an_indented_file_is_read_eagerly(graph_json, tmp_path):
    g = load_node_link(graph_json, lazy=False)
    p = tmp_path / "graph.json"
    p.write_text(node_link_json(g), encoding="utf-8")
    assert "\n  {\n" in p.read_text(encoding="utf-8") or '\n {\n' in p.read_text(encoding="utf-8")
    again = load_node_link(p, lazy=True)
    assert {type(d["mentions"]) for _u, _v, d in again.edges(data=True)} == {list}
    assert as_data(again) == as_data(g)


def test_records_with_keys_in_another_order_are_still_edges(graph_json, tmp_path):
    lines = graph_json.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        body = line.strip()
        comma = body.endswith(",")
        rec = json.loads(body.rstrip(",")) if body.startswith('{"key"') else None
        if rec is None:
            out.append(line)
            continue
        first = {"source": rec.pop("source"), "target": rec.pop("target")}
        out.append(json.dumps({**first, **rec}, ensure_ascii=False) + ("," if comma else "") + "\n")
    p = tmp_path / "graph.json"
    p.write_text("".join(out), encoding="utf-8")
    assert as_data(load_node_link(p, lazy=True)) == as_data(load_node_link(graph_json, lazy=False))
