from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


def build_seeds_with(tmp_path_factory, name: str, text: str):
    """A build (output folder, report) of the five seeds plus one more document `name` holding `text`."""
    import shutil

    from graph_builder.build import build
    corpus = tmp_path_factory.mktemp("corpus")
    for p in sorted(CORPUS.glob("*.txt")):
        shutil.copy(p, corpus / p.name)
    (corpus / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    return out, build(corpus, out, jobs=1)


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """The five seed documents, keyed by their 3-digit prefix ("000" … "004")."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("0*.txt"))}


def pytest_terminal_summary(terminalreporter):
    """Report what the corpus run found (the issue asks the suite to say it)."""
    try:
        from test_corpus_real import STATS
    except ImportError:
        return
    if "corpus-real" in STATS:
        files, cits, rels, named = STATS["corpus-real"]
        terminalreporter.write_line(f"corpus-real: {files} files, {cits} citations, {rels} third-party relations, "
                                    f"{named} named laws")
