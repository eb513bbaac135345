"""Every example in ontology/vocab/*.toml is recognised (the eyecite/reporters-db discipline)."""
import pytest

from graph_builder import extract_text, vocabulary

V = vocabulary.load()


def test_vocabulary_is_consistent():
    assert tuple(r.id for r in V.relations) == vocabulary.RELATIONS
    codes = [t.code for t in V.types]
    assert len(codes) == len(set(codes))
    assert len({i.code for i in V.issuers}) == len(V.issuers)
    for entry in (*V.types, *V.issuers, *V.relations, *V.formats):
        assert entry.examples, f"{entry} has no example"


@pytest.mark.parametrize("t", V.types, ids=lambda t: t.code)
def test_type_examples(t):
    for example in t.examples:
        x = extract_text(example, "vocab")
        if t.code == "HP":
            assert [n.kind for n in x.named_refs] == ["HP"], example
            continue
        assert x.citations, example
        assert x.citations[0].type == t.code, (example, x.citations[0].type)


@pytest.mark.parametrize("issuer", V.issuers, ids=lambda i: i.code)
def test_issuer_examples(issuer):
    for example in issuer.examples:
        text = f"Kế hoạch số 5/KH-XYZ ngày 01/02/2023 {example} về việc"
        x = extract_text(text, "vocab")
        assert x.citations[0].issuer_code == issuer.code, (example, x.citations[0].issuer)
        assert x.citations[0].issuer == example.split(" ", 1)[1]


@pytest.mark.parametrize("rel", V.relations, ids=lambda r: r.id)
def test_relation_examples(rel):
    for text, number, expected in rel.examples:
        x = extract_text(text, "vocab")
        got = [c.relation for c in x.citations if c.number == number]
        assert got and got[0] == expected, (text, got)


@pytest.mark.parametrize("fmt", V.formats, ids=lambda f: f.id)
def test_number_format_examples(fmt):
    for written, canonical in fmt.examples:
        x = extract_text(f"theo văn bản số {written} ngày 01/02/2020", "vocab")
        assert [c.number for c in x.citations] == [canonical], written


@pytest.mark.parametrize("word", sorted(V.not_codes))
def test_not_codes_are_not_numbers(word):
    assert extract_text(f"Mục 12/{word} và 3/{word}-A", "vocab").citations == ()


def test_former_codes_name_the_same_central_body():
    by_code = V.issuer_by_code
    for i in V.issuers:
        for old in i.former_codes:
            assert old not in {j.code for j in V.issuers}, old          # no entry of its own
            assert by_code[old] is i and i.level == "central"
    assert by_code["LĐTBXH"].code == "BLĐTBXH" and by_code["TCCP"].level == "central"


def test_every_relation_is_labelled_both_ways_in_both_languages():
    for r in V.relations:
        assert r.label and r.label_inverse and r.label_en and r.label_en_inverse, r.id
        assert r.label_en_inverse != r.label_en and r.label_inverse != r.label, r.id


def test_about_phrases_are_triggers_of_their_relation(tmp_path):
    """relations.toml `about` (cites phrases stating a third-party cites) must name triggers: a typo is refused."""
    cites = V.relation_by_id["cites"]
    assert cites.about and set(cites.about) <= set(cites.triggers)
    import shutil
    shutil.copytree(vocabulary.ontology_dir() / "vocab", tmp_path / "vocab")
    p = tmp_path / "vocab" / "relations.toml"
    p.write_text(p.read_text(encoding="utf-8").replace('about = ["', 'about = ["giam sat", "', 1), encoding="utf-8")
    with pytest.raises(ValueError, match="'about' phrases that are no trigger of it: \\['giam sat'\\]"):
        vocabulary.load(str(tmp_path / "vocab"))
