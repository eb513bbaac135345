"""An installed plangraph carries the data it reads: the ontology, the vocabularies, the saved queries and the page
template are package data, found beside the modules once installed (not only in a source checkout)."""
import fnmatch
import tomllib
from pathlib import Path

from conftest import ROOT
from graph_builder import vocabulary


def _package_files() -> dict[str, Path]:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    dirs = {p: ROOT / Path(*p.split(".")) for p in cfg["packages"]}
    for pkg, d in cfg.get("package-dir", {}).items():      # graph_builder.ontology -> ontology/ (and below)
        for p in dirs:
            if p == pkg or p.startswith(pkg + "."):
                dirs[p] = ROOT / d / Path(*p[len(pkg) + 1:].split(".")) if p != pkg else ROOT / d
    out = {}
    for pkg, patterns in cfg["package-data"].items():
        for f in dirs[pkg].iterdir():
            if any(fnmatch.fnmatch(f.name, pat) for pat in patterns):
                out[str(f.relative_to(ROOT))] = f
    return out


def test_every_data_file_is_package_data():
    shipped = _package_files()
    data = [p for d in ("ontology", "graph_builder/templates") for p in (ROOT / d).rglob("*")
            if p.is_file() and p.suffix in (".ttl", ".toml", ".rq", ".html")]
    assert data and all(str(p.relative_to(ROOT)) in shipped for p in data), \
        sorted(str(p.relative_to(ROOT)) for p in data if str(p.relative_to(ROOT)) not in shipped)


def test_ontology_is_found_beside_the_modules_once_installed(tmp_path, monkeypatch):
    # an installed layout: site-packages/graph_builder/{vocabulary.py, ontology/vocab/…}
    pkg = tmp_path / "site-packages" / "graph_builder"
    (pkg / "ontology" / "vocab").mkdir(parents=True)
    monkeypatch.setattr(vocabulary, "__file__", str(pkg / "vocabulary.py"))
    assert vocabulary.ontology_dir() == (pkg / "ontology").resolve()
