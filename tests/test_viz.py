"""`plangraph viz`: the self-contained HTML graph.

Python-level tests (page data, focus, filters, escaping, determinism, CLI) always run; the browser tests
open the page in headless Chromium (tests/browser.py installs Debian's `chromium` when missing and root)
and skip with the reason when no browser can be had.
"""
import json
import re
import shutil

import pytest

from conftest import ROOT, build_seeds_with
from graph_builder import cli, viz
from graph_builder.export import load_node_link

XSS_TITLE = "<script>window.__xss='title';alert(1)</script> và <img src=x onerror=\"window.__xss='img';alert(2)\">"
XSS_FILE = "<img src=x onerror=alert(3)>.txt"
XSS_DOC = f"""ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
Số: 99/KH-UBND
Lạng Sơn, ngày 10 tháng 3 năm 2024

KẾ HOẠCH
{XSS_TITLE}

Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách \
hành chính nhà nước giai đoạn 2021-2030 <b onmouseover="window.__xss='b'">đậm</b>;
UBND tỉnh ban hành Kế hoạch thực hiện như sau:
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seeds plus one document whose title, evidence sentence and file name carry HTML payloads."""
    out, report = build_seeds_with(tmp_path_factory, XSS_FILE, XSS_DOC)
    assert not report.failed
    return out, load_node_link(out / "graph.json")


@pytest.fixture(scope="module")
def page(built):
    out, _ = built
    return viz.write_html(out, out / "graph.html")


def page_json(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="plangraph-data">(.*?)</script>', html, re.S)
    assert m, "data block missing"
    return json.loads(m.group(1))


def node_of(g, number):
    found = [n for n, d in g.nodes(data=True) if d.get("number") == number]
    assert len(found) == 1, (number, found)
    return found[0]


# ---------------------------------------------------------------------------------------------------
# The page's data and HTML
# ---------------------------------------------------------------------------------------------------

def test_page_holds_every_node_and_edge_with_evidence(built, page):
    _, g = built
    data = page_json(page.read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == set(g.nodes)
    assert len(data["edges"]) == g.number_of_edges()
    ids = [n["id"] for n in data["nodes"]]
    got = {(ids[e["from"]], ids[e["to"]], e["relation"]) for e in data["edges"]}
    want = {(u, v, d["relation"]) for u, v, d in g.edges(data=True)}
    assert got == want
    # the replacement in seed 001 carries its sentence and file
    e = next(e for e in data["edges"] if e["relation"] == "replaces" and ids[e["to"]] == node_of(g, "12/KH-UBND"))
    m = e["mentions"][0]
    assert "thay thế Kế hoạch số 12/KH-UBND" in m["evidence"] and m["file"].endswith(".txt") and m["trigger"] == "thay thế"
    # every node has a precomputed position; the legend lists the relations present
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert {r["id"] for r in data["relations"] if r["count"]} == {d["relation"] for *_, d in g.edges(data=True)}


def test_page_is_self_contained(page):
    html = page.read_text(encoding="utf-8")
    # no external script, stylesheet, image or font
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"""@import|url\(\s*["']?(https?:)?//""", html, re.I)
    assert "vis.Network" in html and len(html) > 400_000          # vis-network is inlined


def test_payloads_are_data_not_markup(built, page):
    html = page.read_text(encoding="utf-8")
    data_block = re.search(r'id="plangraph-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data_block and ">" not in data_block
    assert len(re.findall(r"^<script", html, re.M)) == 3          # data, vis-network, the page's own
    for raw in ("<script>window.__xss", "<img src=x", "<b onmouseover"):
        assert raw not in html
    data = page_json(html)
    titles = [n.get("title", "") for n in data["nodes"]]
    assert any("<script>window.__xss='title'" in t for t in titles)
    assert any(n.get("path", "").endswith(XSS_FILE) for n in data["nodes"])


def test_rendering_is_deterministic(built):
    _, g = built
    assert viz.render_html(g) == viz.render_html(load_node_link(built[0] / "graph.json"))


def test_focus_keeps_the_neighbourhood(built):
    _, g = built
    target = node_of(g, "76/NQ-CP")
    data = page_json(viz.render_html(g, focus="76 nq cp", depth=1))
    ids = {n["id"] for n in data["nodes"]}
    want = {target} | set(g.predecessors(target)) | set(g.successors(target))
    assert ids == want
    assert data["meta"]["focus"] is not None and data["nodes"][data["meta"]["focus"]]["id"] == target
    assert data["meta"]["total_nodes"] == g.number_of_nodes()
    assert len(ids) < g.number_of_nodes()


@pytest.mark.parametrize("ref, message", [
    ("999/XYZ-ABC", "not found"),
    ("76/NQ-C", "did you mean: 76/NQ-CP"),
])
def test_focus_errors_name_the_problem(built, ref, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        viz.render_html(built[1], focus=ref)


def test_filters(built):
    _, g = built
    data = page_json(viz.render_html(g, **viz.parse_filters(["relation=replaces,căn cứ", "type=kh,nq"])))
    assert {e["relation"] for e in data["edges"]} <= {"replaces", "based_on"} and data["edges"]
    assert {n.get("type") for n in data["nodes"]} <= {"KH", "NQ"}
    data = page_json(viz.render_html(g, **viz.parse_filters(["year=2021"])))
    assert data["nodes"] and all((n.get("year") or n.get("date", ""))[:4] == "2021" for n in data["nodes"])
    for bad in ("colour=red", "year=twenty", "relation=likes", "type=XX"):
        with pytest.raises(ValueError):
            viz.parse_filters([bad])


def test_cli_writes_the_page_and_reports_bad_input(built, tmp_path, capsys):
    out, _ = built
    target = tmp_path / "sub" / "g.html"
    assert cli.main(["viz", "--graph", str(out), "--out", str(target), "--focus", "60-NQ/TU", "--lang", "en"]) == 0
    assert page_json(target.read_text(encoding="utf-8"))["meta"]["lang"] == "en"
    assert cli.main(["viz", "--graph", str(tmp_path / "nowhere")]) == 2
    assert "run `plangraph build` first" in capsys.readouterr().err
    before = target.read_bytes()
    assert cli.main(["viz", "--graph", str(out), "--out", str(target), "--filter", "type=XX"]) == 2
    assert target.read_bytes() == before                             # a failed run leaves the old page intact


# ---------------------------------------------------------------------------------------------------
# In the browser
# ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    import browser as br
    exe = br.find_chromium(install=True)
    if not exe:
        pytest.skip(f"no headless browser: {br.why_missing()}")
    with br.Browser(exe) as b:
        b.add_init_script("window.__dialogs = []; window.alert = function (m) { window.__dialogs.push(String(m)); };")
        yield b


def open_page(b, path):
    b.goto(path.resolve().as_uri())
    b.wait_for("window.__ready", timeout=60)


def click_node(b, index):
    """A real mouse click on node `index` (after centring it); returns the panel's text."""
    b.eval(f"plangraph.network.moveTo({{position: plangraph.network.getPositions([{index}])[{index}], scale: 1.5}})")
    x, y = b.eval(f"(function(){{var p = plangraph.network.getPositions([{index}])[{index}];"
                  f" var d = plangraph.network.canvasToDOM(p); var r = document.getElementById('network')"
                  f".getBoundingClientRect(); return [r.left + d.x, r.top + d.y];}})()")
    b.eval("window.__lastSelect = 0")
    b.click(x, y)
    b.wait_for("window.__lastSelect", timeout=10)
    return b.eval("plangraph.panelText()")


def test_page_in_chromium(browser, built, page):
    b, g = browser, built[1]
    open_page(b, page)
    assert b.exceptions() == []
    # offline: the page asked for nothing but itself
    assert [u for u in b.requests() if not u.startswith(("file:", "data:", "about:"))] == []
    # the network holds the seeds' graph
    counts = b.eval("plangraph.visibleCounts()")
    assert counts == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    ids = b.eval("plangraph.data.nodes.map(function (n) { return n.id; })")
    for number in ("76/NQ-CP", "60-NQ/TU", "249/KH-UBND", "43/CT-TTg", "468/QĐ-TTg", "12/KH-UBND"):
        assert node_of(g, number) in ids, number

    # click the Government's resolution: its panel groups who is based on / implements it, with quotes
    i = ids.index(node_of(g, "76/NQ-CP"))
    text = click_node(b, i)
    assert b.eval("plangraph.network.getSelectedNodes()") == [i]
    assert "Nghị quyết 76/NQ-CP" in text
    assert "Được căn cứ" in text and "Được thực hiện" in text
    assert "000_3a9a00171e20e154.txt" in text and "001_999aac10fbc91e92.txt" in text
    # the payload document is listed by its literal text, and nothing of it ran
    assert XSS_FILE in text
    b.eval(f"plangraph.select({ids.index(next(n for n, d in g.nodes(data=True) if d.get('path', '').endswith(XSS_FILE)))})")
    text = b.eval("plangraph.panelText()")
    assert "<script>window.__xss='title';alert(1)</script>" in text and "<img src=x onerror=" in text
    assert b.eval("document.querySelectorAll('#panel img, #panel script, #panel b').length") == 0
    assert b.eval("window.__xss === undefined && window.__dialogs.length === 0")
    assert b.dialogs() == []

    # search by number and by title words (no diacritics), filters, English labels
    assert b.eval("plangraph.find('ke hoach 249')")[0] == ids.index(node_of(g, "249/KH-UBND"))
    assert b.eval("plangraph.find('cai cach hanh chinh tu xuyen').length") >= 1
    b.eval("document.querySelector('input[data-filter=relation][value=cites]').click()")
    cites = sum(1 for *_, d in g.edges(data=True) if d["relation"] == "cites")
    assert b.eval("plangraph.visibleCounts().edges") == g.number_of_edges() - cites
    b.eval("plangraph.setLang('en'); plangraph.select(%d)" % i)
    assert "Resolution 76/NQ-CP" in b.eval("plangraph.panelText()")
    b.eval("plangraph.network.fit({animation: false})")
    shot = b.screenshot(ROOT / "output" / "viz-seeds.png")
    assert shot.stat().st_size > 10_000
    assert b.exceptions() == []


def test_focus_page_in_chromium(browser, built, tmp_path):
    b, (out, g) = browser, built
    path = viz.write_html(out, tmp_path / "focus.html", focus="60-NQ/TU", depth=1)
    open_page(b, path)
    focus = b.eval("plangraph.data.meta.focus")
    assert b.eval(f"plangraph.data.nodes[{focus}].number") == "60-NQ/TU"
    assert "60-NQ/TU" in b.eval("plangraph.panelText()")                 # the focus opens selected
    assert b.eval("plangraph.visibleCounts().nodes") < g.number_of_nodes()


def count_colour(png, hex_colour, box):
    """Pixels of `png` inside `box` within 6 levels of `hex_colour` (per channel)."""
    from PIL import Image
    raw = Image.open(png).convert("RGB").crop(box).tobytes()
    want = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return sum(1 for k in range(0, len(raw), 3) if all(abs(raw[k + c] - want[c]) <= 6 for c in range(3)))


def test_page_in_firefox(built, page):
    """The same page in headless Firefox (driven over Marionette): drawn, searchable, panel filled, no payload ran."""
    import browser as br
    if not (shutil.which("firefox") or shutil.which("firefox-esr")):
        pytest.skip("firefox not installed (apt-get install firefox-esr)")
    _, g = built
    with br.Firefox() as b:
        open_page(b, page)
        assert b.eval("plangraph.visibleCounts()") == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
        ids = b.eval("plangraph.data.nodes.map(function (n) { return n.id; })")
        i = ids.index(node_of(g, "76/NQ-CP"))
        assert b.eval("plangraph.find('76 nq cp')")[0] == i
        b.eval(f"plangraph.select({i})")
        text = b.eval("plangraph.panelText()")
        assert "Được căn cứ" in text and "001_999aac10fbc91e92.txt" in text and XSS_FILE in text
        assert b.eval("window.__xss === undefined && document.querySelectorAll('#panel img, #panel b').length === 0")
        b.eval("plangraph.network.fit({animation: false})")
        shot = b.screenshot(ROOT / "output" / "viz-seeds-firefox.png")
    # the graph area (between the filters and the panel) shows the documents vis-network drew
    assert count_colour(shot, viz.TYPE_COLORS["KH"], (280, 60, 980, 860)) > 200


# ---------------------------------------------------------------------------------------------------
# The issuer filter: the issuer as written or resolved, its place, the jurisdiction (CLI and page alike)
# ---------------------------------------------------------------------------------------------------

def issuer_graph():
    """Documents whose issuer is written as the citations write it ("UBND tỉnh", "Ban Thường vụ Tỉnh ủy"),
    the place being only in the jurisdiction, as graph.json had it before issuers were normalised."""
    import networkx as nx
    g = nx.MultiDiGraph()
    docs = {
        "p249": ("249/KH-UBND", "KH", "UBND tỉnh", "UBND", "province", "tỉnh Lạng Sơn", "vn-20"),
        "p02": ("02/KH-UBND", "KH", "Ủy ban nhân dân tỉnh Lạng Sơn", "UBND", "province", "tỉnh Lạng Sơn", "vn-20"),
        "tu60": ("60-NQ/TU", "NQ", "Ban Thường vụ Tỉnh ủy", "TU", "province", "tỉnh Lạng Sơn", "vn-20"),
        "c12": ("12/KH-UBND", "KH", "UBND xã", "UBND", "commune", "xã Tú Xuyên (tỉnh Lạng Sơn)", "vn-20-c06277"),
        "d60": ("60/KH-UBND", "KH", "UBND huyện", "UBND", "district", "huyện Văn Quan (tỉnh Lạng Sơn)", "vn-20-d184"),
        "sl": ("15/KH-UBND", "KH", "UBND tỉnh", "UBND", "province", "tỉnh Sơn La", "vn-14"),
        "cp": ("76/NQ-CP", "NQ", "Chính phủ", "CP", "central", "Việt Nam", "vn"),
        "x": ("251/KH-UBND", "KH", "UBND tỉnh", "UBND", "province",
              "province not named (cited in 003-381347ef6fb73c27-eb59bd)", "x-003-381347ef6fb73c27-eb59bd-p"),
    }
    for n, (num, ty, iss, code, lv, jur, jcode) in docs.items():
        g.add_node(n, number=num, label=num, type=ty, issuer=iss, issuer_code=code, level=lv, jurisdiction=jur,
                   jurisdiction_code=jcode, year="2021")
    for u in ("p249", "p02", "c12", "d60", "sl", "x"):
        g.add_edge(u, "cp", key="implements", relation="implements", mentions=[])
    g.add_edge("c12", "p249", key="based_on", relation="based_on", mentions=[])
    g.add_edge("p02", "tu60", key="implements", relation="implements", mentions=[])
    return g


ISSUER_CASES = [
    ("Lạng Sơn", {"p249", "p02", "tu60", "c12", "d60"}),
    ("lang son", {"p249", "p02", "tu60", "c12", "d60"}),           # without diacritics
    ("LẠNG SƠN", {"p249", "p02", "tu60", "c12", "d60"}),
    ("UBND tỉnh Lạng Sơn", {"p249", "p02"}),                       # the issuer with its place
    ("Ủy ban nhân dân tỉnh Lạng Sơn", {"p249", "p02"}),            # UBND written out
    ("UBND tỉnh", {"p249", "p02", "sl", "x"}),                      # not the commune's or district's UBND
    ("Tỉnh ủy Lạng Sơn", {"tu60"}),
    ("Tú Xuyên", {"c12"}),
    ("Văn Quan", {"d60"}),
    ("Sơn La", {"sl"}),                                             # not "… Lạng Sơn"
    ("Chính phủ", {"cp"}),
    ("cited", set()),                                               # the internal label of an unknown place
]


@pytest.mark.parametrize("query, expected", ISSUER_CASES)
def test_issuer_filter_matches_issuer_place_and_jurisdiction(query, expected):
    assert set(viz.filter_graph(issuer_graph(), issuer=query).nodes) == expected


def test_issuer_filter_on_the_seeds(built):
    _, g = built
    data = page_json(viz.render_html(g, **viz.parse_filters(["issuer=Lạng Sơn"])))
    numbers = {n.get("number") for n in data["nodes"]}
    assert {"249/KH-UBND", "60-NQ/TU", "12/KH-UBND", "02/KH-UBND", "105/KH-UBND"} <= numbers
    assert len(data["edges"]) >= 10 and "76/NQ-CP" not in numbers


def test_issuer_filter_in_the_page_is_the_same(browser, tmp_path):
    from graph_builder.export import atomic_write
    g = issuer_graph()
    path = tmp_path / "issuers.html"
    atomic_write(path, viz.render_html(g))
    b = browser
    open_page(b, path)
    ids = b.eval("plangraph.data.nodes.map(function (n) { return n.id; })")
    for query, expected in ISSUER_CASES:
        b.eval(f"document.getElementById('f-issuer').value = {json.dumps(query)}; plangraph.applyFilters()")
        shown = b.eval("plangraph.nodesView.getIds()")
        assert {ids[i] for i in shown} == expected, query
    assert b.exceptions() == []


# ---------------------------------------------------------------------------------------------------
# Labels: English for documents without a number, never cut inside a word, no overlaps
# ---------------------------------------------------------------------------------------------------

def test_labels_in_english_and_whole_words(browser, built, page):
    b, g = browser, built[1]
    open_page(b, page)
    ids = b.eval("plangraph.data.nodes.map(function (n) { return n.id; })")
    i = ids.index(next(n for n, d in g.nodes(data=True) if d.get("path", "").endswith("001_999aac10fbc91e92.txt")))
    b.eval(f"plangraph.setLang('en'); plangraph.select({i})")
    text = b.eval("plangraph.panelText()")
    assert "Plan (no number)" in text and "không số" not in text.split("\n", 1)[0]
    label = b.eval(f"plangraph.nodes.get({i}).label")
    assert label.startswith("Plan (no number)") and "không số" not in label
    b.eval("plangraph.setLang('vi')")
    # a label shortened with "…" stops at the end of a word of the title or name it comes from
    cut = 0
    for nd, lab in zip(b.eval("plangraph.data.nodes"), b.eval("plangraph.nodes.get().map(function (n) { return n.label; })")):
        source = " ".join(f"{nd.get('title', '')} {nd.get('name', '')} {nd.get('path', '')}".split())
        for line in lab.split("\n"):
            if line.endswith("…"):
                cut += 1
                base = line[:-1].rstrip(" ,;:")
                k = source.find(base)
                assert k >= 0 and not source[k + len(base):][:1].isalnum(), (lab, source)
    assert cut >= 3


def overlaps(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_node_labels_and_band_titles_do_not_overlap(browser, page, lang):
    b = browser
    open_page(b, page)
    b.eval(f"plangraph.setLang('{lang}')")
    for scale in (None, 1.0, 0.6):
        if scale is None:
            b.eval("plangraph.network.fit({animation: false})")
        else:
            b.eval(f"plangraph.network.moveTo({{scale: {scale}, position: {{x: 0, y: 0}}}})")
        b.eval("plangraph.network.redraw()")
        nodes = b.eval("plangraph.nodesView.getIds().map(function (i) { var x = plangraph.network.getBoundingBox(i);"
                       " return {id: i, left: x.left, right: x.right, top: x.top, bottom: x.bottom}; })")
        titles = b.eval("plangraph.bandTitleBoxes()")
        assert len(titles) == 5 and len(nodes) > 40
        clash = [(p["id"], q["id"]) for k, p in enumerate(nodes) for q in nodes[k + 1:] if overlaps(p, q)]
        assert clash == [], (scale, clash[:5])
        hits = [(t["text"], n["id"]) for t in titles for n in nodes if overlaps(t, n)]
        assert hits == [], (scale, hits[:5])


def test_named_law_evidence_in_the_panel(browser, built, tmp_path):
    """A law cited by name shows the sentence it is cited in (the mention's evidence), with the name marked."""
    from graph_builder.export import atomic_write
    _, g = built
    g = g.copy()
    law = next(n for n, d in g.nodes(data=True) if d.get("name") == "Luật Đất đai")
    (u, _v, k), = [(u, v, k) for u, v, k in g.in_edges(law, keys=True)]
    sentence = "- Tuyên truyền, phổ biến Luật Đất đai năm 2024 đến cán bộ và Nhân dân trên địa bàn huyện."
    m = dict(g.edges[u, law, k]["mentions"][0], evidence=sentence, text="Luật Đất đai")
    g.edges[u, law, k]["mentions"] = [m]
    path = tmp_path / "law.html"
    atomic_write(path, viz.render_html(g))
    e = next(e for e in page_json(path.read_text(encoding="utf-8"))["edges"] if e["mentions"][0]["evidence"] == sentence)
    assert e["mentions"][0]["text"] == "Luật Đất đai"
    b = browser
    open_page(b, path)
    i = b.eval(f"plangraph.indexOf({json.dumps(law)})")
    b.eval(f"plangraph.select({i})")
    assert sentence in b.eval("plangraph.panelText()")
    assert b.eval("Array.from(document.querySelectorAll('#panel blockquote mark')).map(function (m) "
                  "{ return m.textContent; })") == ["Luật Đất đai"]
