"""`plangraph extract` prints one JSON object per file; bad files are named and skipped."""
import json
import subprocess
import sys

from conftest import CORPUS, ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "graph_builder", *args], capture_output=True, text=True,
                          cwd=ROOT)


def test_extract_json_shape():
    r = run("extract", str(CORPUS / "001_999aac10fbc91e92.txt"), "--format", "json")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) >= {"path", "document", "citations", "relations", "named_refs"}
    assert set(obj["document"]) >= {"number", "type", "date", "issuer", "place", "title", "signer"}
    c = obj["citations"][0]
    assert set(c) >= {"number", "type", "date", "issuer", "relation", "trigger", "start", "end", "text"}
    assert (c["number"], c["date"], c["relation"], c["trigger"]) == ("76/NQ-CP", "2021-07-15", "based_on", "Căn cứ")
    assert {"source", "target", "relation", "evidence"} <= set(obj["relations"][0])


def test_extract_text_format_and_bad_files(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe" + bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = run("extract", str(bad), str(empty), str(CORPUS / "004_d449ab8adcd51e07.txt"), "--format", "text")
    assert r.returncode == 1
    assert "bad.txt" in r.stderr and "empty.txt: empty file" in r.stderr
    assert "105/KH-UBND" in r.stdout and "Luật Đất đai" in r.stdout


def test_output_is_deterministic():
    a = run("extract", str(CORPUS), "--format", "json").stdout
    b = run("extract", str(CORPUS), "--format", "json").stdout
    assert a == b and len(a.splitlines()) == 5
