"""read.py: every format and encoding gives the seed's text back; every bad file is refused by name and reason.

Fixtures are made here from the seed texts (corpus/000, 001): .docx with python-docx, .pdf with fpdf2,
HTML strings, and Windows-1258 / TCVN3 / VNI bytes from the encoders below (built from the published
layouts, independently of the decoders in read.py, and checked against known byte strings).
"""
from __future__ import annotations

import html
import io
import re
import shutil
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest

from graph_builder import read as R
from graph_builder.read import Document, ReadError, decode, read_document, read_text

KEY = "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ"
DATA = Path(__file__).parent / "data" / "read"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/share/fonts/TTF")]


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


@pytest.fixture(scope="module")
def seed_texts(seeds):
    return {k: seeds[k] for k in ("000", "001")}


# ---------------------------------------------------------------------------------------------------------
# Test-side encoders for the legacy encodings

_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}
# TCVN3 (ABC): vowel -> bytes for (no tone, grave, hook, tilde, acute, dot); TCVN 5712:1993 VN3 layout
_TCVN3_ROWS = {
    "a": (0x61, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9), "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB), "e": (0x65, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6), "i": (0x69, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0x6F, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4), "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE), "u": (0x75, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9), "y": (0x79, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TONE_INDEX = {"": 0, "grave": 1, "hook": 2, "tilde": 3, "acute": 4, "dot": 5}
_TCVN3_CAPS = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7, "đ": 0xAE}


def _split(ch: str) -> tuple[str, str]:
    """A Vietnamese letter -> (letter without tone, tone name or '')."""
    d = unicodedata.normalize("NFD", ch)
    tone = next((_TONES[c] for c in d if c in _TONES), "")
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES)), tone


def tcvn3_encode(text: str) -> bytes:
    """Capitals with a tone mark take the lower-case code (as with the .VnTimeH fonts); other characters that
    TCVN3 cannot hold become '?'."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch < "\x80":
            out.append(ord(ch))
            continue
        if ch in _TCVN3_CAPS:
            out.append(_TCVN3_CAPS[ch])
            continue
        base, tone = _split(ch)
        if base.lower() in _TCVN3_ROWS and (tone or base.islower()):
            out.append(_TCVN3_ROWS[base.lower()][_TONE_INDEX[tone]])
            continue
        try:
            b = ch.encode("cp1252")
        except UnicodeEncodeError:
            b = b"?"
        out += b"?" if b[0] >= 0xA1 else b       # 0xA1-0xFF belong to Vietnamese letters in TCVN3
    return bytes(out)


# VNI Windows: tone and vowel marks as separate characters (Windows-1252 code points)
_VNI_TONE = {"grave": "ø", "acute": "ù", "hook": "û", "tilde": "õ", "dot": "ï"}
_VNI_CIRC = {"": "â", "grave": "à", "acute": "á", "hook": "å", "tilde": "ã", "dot": "ä"}
_VNI_BREVE = {"": "ê", "grave": "è", "acute": "é", "hook": "ú", "tilde": "ü", "dot": "ë"}
_VNI_I = {"grave": "ì", "acute": "í", "hook": "æ", "tilde": "ó", "dot": "ò"}


def vni_encode(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        base, tone = _split(ch)
        up = base.isupper()
        b = base.lower()
        cap = (lambda s: s.upper()) if up else (lambda s: s)
        if b == "đ":
            out.append(cap("ñ"))
        elif b == "i" and tone:
            out.append(cap(_VNI_I[tone]))
        elif b == "y" and tone == "dot":
            out.append(cap("î"))
        elif b in ("â", "ê", "ô"):
            out.append(cap({"â": "a", "ê": "e", "ô": "o"}[b] + _VNI_CIRC[tone]))
        elif b == "ă":
            out.append(cap("a" + _VNI_BREVE[tone]))
        elif b in ("ơ", "ư"):
            out.append(cap({"ơ": "ô", "ư": "ö"}[b] + (_VNI_TONE[tone] if tone else "")))
        elif b in "aeiouy" and tone:
            out.append(cap(b + _VNI_TONE[tone]))
        else:
            out.append(ch)
    return "".join(out).encode("cp1252", "replace")


def cp1258_encode(text: str) -> bytes:
    """As Word saves "Vietnamese (Windows)": precomposed where Windows-1258 has the letter, else the letter
    without its tone followed by the combining tone mark (the NFD tone, base kept whole)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, tone = _split(ch)
        mark = next((c for c, n in _TONES.items() if n == tone), "")
        out += (base + mark).encode("cp1258", "replace")
    return bytes(out)


def test_encoders_match_known_bytes():
    assert tcvn3_encode("Nghị quyết số 76 ngày của Chính phủ") == \
        b"Ngh\xde quy\xd5t s\xe8 76 ng\xb5y c\xf1a Ch\xddnh ph\xf1"
    assert vni_encode("Nghị quyết số 76 ngày của Chính phủ người Đảng") == \
        "Nghò quyeát soá 76 ngaøy cuûa Chính phuû ngöôøi Ñaûng".encode("cp1252")
    assert cp1258_encode("ngày của") == b"ng\xe0y cu\xd2a"


# ---------------------------------------------------------------------------------------------------------
# Plain text in every encoding

ENCODINGS = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8-sig": (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
    "utf-16-le-bom": (lambda t: t.encode("utf-16"), "utf-16-le"),
    "utf-16-be-bom": (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be"),
    "utf-16-le-nobom": (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    "cp1258": (cp1258_encode, "cp1258"),
    "tcvn3": (tcvn3_encode, "tcvn3"),
    "vni": (vni_encode, "vni"),
}


@pytest.mark.parametrize("seed_id", ["000", "001"])
@pytest.mark.parametrize("enc", list(ENCODINGS))
def test_text_encodings(tmp_path, seed_texts, seed_id, enc):
    seed = seed_texts[seed_id]
    encode, label = ENCODINGS[enc]
    f = tmp_path / f"seed{seed_id}.txt"
    f.write_bytes(encode(seed))
    doc = read_document(f)
    assert isinstance(doc, Document) and doc.format == "txt" and doc.encoding == label
    assert read_text(f) == doc.text
    expected = seed
    got = doc.text
    if enc == "tcvn3":                     # TCVN3 has no toned capitals and no room for ¹²³
        expected = "".join(ch if tcvn3_encode(ch) != b"?" else "?" for ch in seed).casefold()
        got = got.casefold()
    assert squash(got) == squash(expected)
    assert KEY in doc.text
    if enc in ("cp1258", "tcvn3", "vni"):
        assert doc.text == unicodedata.normalize("NFC", doc.text)
        assert doc.warnings and "converted" in doc.warnings[0]


def test_tcvn3_capital_headings_restored(tmp_path):
    f = tmp_path / "h.txt"
    f.write_bytes(tcvn3_encode("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nỦY BAN NHÂN DÂN\nKẾ HOẠCH\nSố: 02/KH-UBND\n"
                               + KEY + " về việc ban hành Chương trình tổng thể.\n"))
    text = read_text(f)
    assert text.splitlines()[:4] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN", "KẾ HOẠCH",
                                     "Số: 02/KH-UBND"]
    assert KEY in text


def test_legacy_known_answers():
    vni = "Caên cöù Nghò quyeát soá 76/NQ-CP ngaøy 15/7/2021 cuûa Chính phuû veà vieäc ban haønh Chöông trình."
    assert decode(vni.encode("cp1252"), "v.txt").startswith("Căn cứ " + KEY + " về việc ban hành Chương trình")
    tcvn = b"C\xa8n c\xf8 Ngh\xde quy\xd5t s\xe8 76/NQ-CP ng\xb5y 15/7/2021 c\xf1a Ch\xddnh ph\xf1 v\xd2 vi\xd6c"
    assert decode(tcvn, "t.txt") == "Căn cứ " + KEY + " về việc"


def test_utf8_kept_as_is(tmp_path):
    """UTF-8 is not normalised: NFD, CRLF and odd spacing stay, so offsets are the file's own."""
    raw = unicodedata.normalize("NFD", "Căn cứ " + KEY + ";\r\n  Dòng hai.\r\n")
    f = tmp_path / "nfd.md"
    f.write_bytes(raw.encode("utf-8"))
    doc = read_document(f)
    assert doc.text == raw and doc.format == "md" and doc.encoding == "utf-8" and doc.warnings == ()


def test_utf8_pasted_from_vntime_document(tmp_path, seed_texts):
    """UTF-8 text copied out of a .VnTime document holds TCVN3 look-alikes ("NghÞ quyÕt"): converted, flagged."""
    f = tmp_path / "pasted.txt"
    f.write_text(tcvn3_encode(seed_texts["001"]).decode("cp1252", "replace"), encoding="utf-8")
    doc = read_document(f)
    assert doc.encoding == "utf-8+tcvn3" and KEY in doc.text and "TCVN3" in doc.warnings[0]


def test_ascii_without_diacritics_is_utf8(tmp_path):
    f = tmp_path / "ascii.txt"
    f.write_bytes(b"Can cu Nghi quyet so 76/NQ-CP ngay 15/7/2021 cua Chinh phu\n")
    assert read_document(f).encoding == "utf-8"


def test_legacy_round_trip_property(seed_texts):
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st
    words = sorted({w for w in re.findall(r"\w+", seed_texts["001"]) if w.isalpha() and not w.isascii()})

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(words), min_size=12, max_size=60, unique=True))
    def check(ws):
        text = " ".join(ws) + "\n" + KEY
        assert decode(vni_encode(text), "p.txt") == text
        assert decode(cp1258_encode(text), "p.txt") == text
        assert decode(tcvn3_encode(text), "p.txt").casefold() == text.casefold()

    check()


# ---------------------------------------------------------------------------------------------------------
# HTML

def _page(body: str, charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>Cổng thông tin TITLE-NOISE</title>
<style>p {{ color: red }} .x::before {{ content: "STYLE-NOISE" }}</style>
<script>var s = "SCRIPT-NOISE Nghị quyết số 1/NQ-CP"; if (a < b && c > d) {{}}</script></head>
<body><nav><ul><li><a href="/">Trang chủ NAV-NOISE</a></li><li>Giới thiệu</li></ul></nav>
<div style="display:none">HIDDEN-NOISE</div><div hidden>HIDDEN2-NOISE</div>
<article>{body}</article><!-- COMMENT-NOISE --><noscript>NOSCRIPT-NOISE</noscript></body></html>"""


def _html_body(text: str, entities: bool = False) -> str:
    paras = []
    for line in text.split("\n"):
        e = html.escape(line)
        if entities:                   # named and numeric character references
            e = e.replace("ị", "&#7883;").replace("à", "&agrave;").replace("ư", "&#x1B0;")
        paras.append(f"<p>{e}</p>")
    return "\n".join(paras)


@pytest.mark.parametrize("seed_id", ["000", "001"])
@pytest.mark.parametrize("variant", ["utf-8", "entities", "windows-1258", "vni-font-latin1", "undeclared-cp1258"])
def test_html(tmp_path, seed_texts, seed_id, variant):
    seed = seed_texts[seed_id]
    f = tmp_path / "page.html"
    if variant == "utf-8":
        f.write_bytes(_page(_html_body(seed)).encode("utf-8"))
    elif variant == "entities":
        f.write_bytes(_page(_html_body(seed, entities=True)).encode("ascii", "xmlcharrefreplace"))
    elif variant == "windows-1258":
        f.write_bytes(cp1258_encode(_page(_html_body(seed), "windows-1258")))
    elif variant == "undeclared-cp1258":
        f.write_bytes(cp1258_encode(_page(_html_body(seed)).replace('<meta charset="utf-8">', "")))
    else:                              # a page typed in VNI-Times, served as ISO-8859-1
        f.write_bytes(vni_encode(_page(_html_body(seed), "iso-8859-1")))
    doc = read_document(f)
    assert doc.format == "html"
    assert squash(doc.text) == squash(seed)
    assert KEY in unicodedata.normalize("NFC", doc.text)
    assert "NOISE" not in doc.text
    if variant == "vni-font-latin1":
        assert "vni" in doc.encoding and any("VNI" in w for w in doc.warnings)


def test_html_structure(tmp_path):
    page = _page("""<h1>KẾ HOẠCH</h1><table><tr><td>ỦY BAN NHÂN DÂN<br>XÃ TÚ XUYÊN</td>
<td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b></td></tr></table>
<p>Căn   cứ
<a href="#">Nghị quyết số 76/NQ-CP</a> ngày 15/7/2021 của Chính&nbsp;phủ theo quy định<sup>1</sup>;</p>
<ul><li>một</li><li>hai</li></ul><pre>  giữ   nguyên</pre>
<p class="fn"><sup>1</sup> Nghị định số 61/2018/NĐ-CP</p>""")
    f = tmp_path / "p.htm"
    f.write_text(page, encoding="utf-8")
    lines = read_text(f).split("\n")
    assert [ln for ln in lines if ln] == [
        "KẾ HOẠCH", "ỦY BAN NHÂN DÂN", "XÃ TÚ XUYÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Căn cứ " + KEY + " theo quy định¹;", "một", "hai", "giữ   nguyên", "¹ Nghị định số 61/2018/NĐ-CP"]


def test_html_unclosed_nav_keeps_the_page(tmp_path):
    f = tmp_path / "bad.html"
    f.write_text("<html><body><nav>Menu<p>" + KEY + "</p></body></html>", encoding="utf-8")
    assert KEY in read_text(f)


# ---------------------------------------------------------------------------------------------------------
# DOCX

@pytest.fixture
def docx():
    """python-docx (skips the test where it is not installed; the rest of the module still runs)."""
    return pytest.importorskip("docx")


def _footnotes_part(document, notes: dict[int, str]):
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    items = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/>'
        f'</w:r><w:r><w:t xml:space="preserve"> {html.escape(t)}</w:t></w:r></w:p></w:footnote>'
        for i, t in notes.items())
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {w}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           f'</w:footnote>{items}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _footnote_ref(paragraph, nid: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    run = paragraph.add_run()
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(nid))
    run._r.append(ref)


def _docx_bytes(document) -> bytes:
    b = io.BytesIO()
    document.save(b)
    return b.getvalue()


@pytest.mark.parametrize("seed_id", ["000", "001"])
def test_docx_paragraphs(tmp_path, seed_texts, seed_id, docx):
    seed = seed_texts[seed_id]
    d = docx.Document()
    for line in seed.split("\n"):
        d.add_paragraph(line)
    f = tmp_path / "seed.docx"
    f.write_bytes(_docx_bytes(d))
    doc = read_document(f)
    assert doc.format == "docx" and doc.encoding is None
    assert squash(doc.text) == squash(seed)
    assert KEY in doc.text


def test_docx_tables_footnotes_headers(tmp_path, seed_texts, docx):
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "HEADER-NOISE"
    d.sections[0].footer.paragraphs[0].text = "FOOTER-NOISE"
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "ỦY BAN NHÂN DÂN"
    t.cell(0, 0).add_paragraph("XÃ TÚ XUYÊN")
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    t.cell(1, 0).text = "Số: 01/KH-UBND"
    t.cell(1, 1).text = "Tú Xuyên, ngày 05 tháng 01 năm 2023"
    p = d.add_paragraph("Căn cứ " + KEY + " theo quy định")
    _footnote_ref(p, 1)
    p.add_run("; Kế hoạch số 249/KH-UBND")
    _footnote_ref(p, 2)
    d.add_paragraph("Đoạn cuối.")
    _footnotes_part(d, {1: "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ.",
                        2: "Quyết định số 3248/QĐ-UBND ngày 24/12/2020 của UBND tỉnh."})
    f = tmp_path / "rich.docx"
    f.write_bytes(_docx_bytes(d))
    text = read_text(f)
    assert text.split("\n") == [
        "ỦY BAN NHÂN DÂN", "XÃ TÚ XUYÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 01/KH-UBND", "Tú Xuyên, ngày 05 tháng 01 năm 2023",
        "Căn cứ " + KEY + " theo quy định¹; Kế hoạch số 249/KH-UBND²", "Đoạn cuối.", "",
        "¹ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ.",
        "² Quyết định số 3248/QĐ-UBND ngày 24/12/2020 của UBND tỉnh."]
    assert "NOISE" not in text


def test_docx_text_box_once_and_deleted_text_skipped(tmp_path, docx):
    """Text boxes come after their paragraph, once (Word stores them twice: mc:Choice and mc:Fallback);
    tracked deletions and hidden text are not part of the text."""
    from docx.oxml import parse_xml
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    box = '<w:txbxContent><w:p><w:r><w:t>Số: 12/KH-UBND</w:t></w:r></w:p></w:txbxContent>'
    d = docx.Document()
    p = d.add_paragraph("Căn cứ ")
    p._p.append(parse_xml(f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box}</w:drawing>'
                          f'</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>'
                          '</mc:Fallback></mc:AlternateContent></w:r>'))
    p._p.append(parse_xml(f'<w:del {ns} w:id="1" w:author="a" w:date="2023-01-01T00:00:00Z"><w:r>'
                          '<w:delText>Nghị quyết số 99/NQ-CP</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {ns} w:id="2" w:author="a" w:date="2023-01-01T00:00:00Z"><w:r>'
                          f'<w:t>{KEY}</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {ns}><w:rPr><w:vanish/></w:rPr><w:t>HIDDEN-NOISE</w:t></w:r>'))
    f = tmp_path / "box.docx"
    f.write_bytes(_docx_bytes(d))
    assert read_text(f).split("\n") == ["Căn cứ " + KEY, "Số: 12/KH-UBND"]


def test_docx_legacy_font_converted(tmp_path, seed_texts, docx):
    """A Word file typed in .VnTime: the characters are TCVN3 bytes shown as Latin-1."""
    d = docx.Document()
    for line in seed_texts["001"].split("\n")[:40]:
        run = d.add_paragraph().add_run(tcvn3_encode(line).decode("cp1252", "replace"))
        run.font.name = ".VnTime"
    f = tmp_path / "vntime.docx"
    f.write_bytes(_docx_bytes(d))
    doc = read_document(f)
    assert doc.encoding == "tcvn3" and any("TCVN3" in w for w in doc.warnings)
    assert KEY in doc.text


# ---------------------------------------------------------------------------------------------------------
# PDF

def _font() -> Path | None:
    for d in FONT_DIRS:
        if (d / "DejaVuSans.ttf").is_file():
            return d / "DejaVuSans.ttf"
    try:
        import matplotlib
        p = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        return p if p.is_file() else None
    except ImportError:
        return None


def _pdf(text: str | None, pages: int = 1, encrypt: dict | None = None) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    if encrypt:
        pdf.set_encryption(**encrypt)
    if text is not None:
        font = _font()
        if font is None:
            pytest.skip("no Unicode TTF font (DejaVuSans) to write Vietnamese into a PDF")
        pdf.add_font("dv", fname=str(font))
        pdf.set_font("dv", size=11)
    for _ in range(pages):
        pdf.add_page()
        if text is None:
            pdf.rect(20, 20, 100, 60, style="F")     # a "scan": graphics, no text
        else:
            pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.mark.parametrize("seed_id", ["000", "001"])
def test_pdf(tmp_path, seed_texts, seed_id):
    pytest.importorskip("pypdf")
    seed = seed_texts[seed_id]
    f = tmp_path / "seed.pdf"
    f.write_bytes(_pdf(seed))
    doc = read_document(f)
    assert doc.format == "pdf" and doc.encoding is None
    assert squash(doc.text) == squash(seed)
    assert KEY in squash(doc.text)          # the PDF wraps lines where the page ends them
    assert doc.text.count("\f") == 0 and len(doc.text.splitlines()) > 40


def test_pdf_paragraphs_and_wrapped_lines(tmp_path):
    """Blank lines come back where the layout leaves a gap; a line wrapped at the margin is joined to its rest;
    justified spacing is one space; short lines (a heading, list items) are left alone."""
    pytest.importorskip("pypdf")
    para = ("Để góp phần nâng cao Chỉ số PAPI của tỉnh trong năm 2024 và những năm tiếp theo, UBND huyện Bắc Sơn "
            "ban hành kế hoạch triển khai thực hiện, cụ thể như sau:")
    f = tmp_path / "p.pdf"
    f.write_bytes(_pdf(f"KẾ HOẠCH\nTriển khai thực hiện\n\n{para}\n\na) Mục đích\nb) Yêu cầu"))
    lines = read_text(f).split("\n")
    assert lines == ["KẾ HOẠCH", "Triển khai thực hiện", "", para, "", "a) Mục đích", "b) Yêu cầu"], lines


_P = "Thực hiện Kế hoạch số 137/KH-UBND ngày 20/6/2023 của UBND tỉnh"        # 62 characters
# (line, next line, the page's measure in characters, joined?) -- X1: a wrap before a capital is joined when the
# next line's first word would not have fitted on the line; before, only a wrap before a lower-case word was
WRAPS = [
    (_P, "Lạng Sơn về cải cách hành chính", 68, True),          # 64 + 1 + 4 > 0.9 * 68: the layout wrapped it
    (_P, "Lạng Sơn về cải cách hành chính", 90, False),         # "Lạng" would have fitted: the text broke there
    (_P, "huyện Bắc Sơn", 80, True),                            # lower case after a long line
    ("của UBND", "huyện Bắc Sơn", 80, False),                   # … not after a short one
    (_P + ".", "Lạng Sơn", 68, False),                          # a sentence ends
    (_P + ";", "Lạng Sơn", 68, False),                          # a clause ends before a capital
    (_P, "- Nâng cao chất lượng", 68, False),                   # list items and headings
    (_P, "2. Yêu cầu", 68, False),
    (_P, "a) Mục đích", 68, False),
    (_P, "II. NHIỆM VỤ, GIẢI PHÁP", 68, False),
    (_P, "(1) Tổ chức", 68, False),
    (_P, "(PAPI) của tỉnh", 68, True),                          # a parenthesis that is no item number
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM NĂM", "HUYỆN BẮC SƠN Độc lập", 56, False),   # capitals
    ("Thực hiện Kế hoạch số 137/KH-UBND        ngày 20/6/2023", "Lạng Sơn", 58, False),               # columns
]


@pytest.mark.parametrize("line,nxt,measure,joined", WRAPS)
def test_pdf_wrapped_line_rule(line, nxt, measure, joined):
    assert R._wrapped(line, nxt, R.WRAPPED_LINE * measure, measure) is joined


def test_pdf_owner_password_only_is_read(tmp_path):
    """Many official PDFs are "protected" with an owner password only: the text is readable."""
    pytest.importorskip("pypdf")
    f = tmp_path / "protected.pdf"
    f.write_bytes(_pdf("Căn cứ " + KEY, encrypt={"owner_password": "owner"}))
    assert KEY in squash(read_text(f))


# ---------------------------------------------------------------------------------------------------------
# .doc / .rtf through converters

def _only_on_path(monkeypatch, tmp_path, scripts: dict[str, str]):
    """PATH holds only the given fake tools (python scripts)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in scripts.items():
        s = bin_dir / name
        s.write_text(f"#!{sys.executable}\n{body}\n")
        s.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))


def test_doc_through_fake_antiword(monkeypatch, tmp_path):
    f = tmp_path / "old.doc"
    f.write_bytes(R._OLE_MAGIC + b"\0" * 600)
    _only_on_path(monkeypatch, tmp_path, {"antiword": "import sys\n"
                  f"sys.stdout.buffer.write({('|Số: 1/KH   |Hà Nội   |' + chr(10) + 'Căn cứ ' + KEY).encode()!r})"})
    doc = read_document(f)
    assert doc.format == "doc" and doc.text.split("\n") == ["Số: 1/KH", "Hà Nội", "Căn cứ " + KEY]
    assert "converted with antiword" in doc.warnings


def test_doc_converter_timeout(monkeypatch, tmp_path):
    f = tmp_path / "slow.doc"
    f.write_bytes(R._OLE_MAGIC + b"\0" * 600)
    _only_on_path(monkeypatch, tmp_path, {"antiword": "import time\ntime.sleep(30)"})
    monkeypatch.setattr(R, "CONVERTER_TIMEOUT", 0.5)
    with pytest.raises(ReadError, match=r"slow\.doc: .*timed out.*convert it to \.docx"):
        read_document(f)


@pytest.mark.skipif(not (shutil.which("antiword") or shutil.which("libreoffice") or shutil.which("soffice")),
                    reason="no .doc converter (antiword or LibreOffice) on PATH")
def test_real_doc_file():
    """A Word 97 file (made by LibreOffice from a .docx with a table and a footnote)."""
    doc = read_document(DATA / "seed001_excerpt.doc")
    assert doc.format == "doc" and KEY in doc.text
    assert "XÃ TÚ XUYÊN" in doc.text.split("\n")
    assert re.search(r"^(¹|\[1\]) Nghị định số 61/2018/NĐ-CP", doc.text, re.M)


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not on PATH")
def test_rtf_through_libreoffice(tmp_path):
    pytest.importorskip("docx")                   # LibreOffice's output is read as .docx
    body = "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in "Căn cứ " + KEY)
    f = tmp_path / "x.rtf"
    f.write_text("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times New Roman;}}\\f0 " + body + "\\par}", encoding="ascii")
    assert KEY in read_text(f)


def test_content_wins_over_suffix(tmp_path, seed_texts, docx):
    f = tmp_path / "portal-export.doc"                 # portals serve HTML as .doc
    f.write_text(_page(_html_body(seed_texts["001"])), encoding="utf-8")
    doc = read_document(f)
    assert doc.format == "html" and KEY in doc.text and "named .doc" in doc.warnings[0]
    g = tmp_path / "renamed.txt"
    d = docx.Document()
    d.add_paragraph(KEY)
    g.write_bytes(_docx_bytes(d))
    assert read_document(g).format == "docx" and read_text(g) == KEY


# ---------------------------------------------------------------------------------------------------------
# Warnings: each with a stable kind, for the build report (Document.source())

def _pdf_text_then_scan(text: str) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    font = _font()
    if font is None:
        pytest.skip("no Unicode TTF font (DejaVuSans) to write Vietnamese into a PDF")
    pdf = fpdf.FPDF()
    pdf.add_font("dv", fname=str(font))
    pdf.set_font("dv", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def _pdf_bad_startxref(text: str) -> bytes:
    good = _pdf(text)
    m = re.search(rb"startxref\s+(\d+)", good)
    return good[:m.start(1)] + str(int(m.group(1)) + 7).encode() + good[m.end(1):]


FRENCH = "Le conseil municipal a décidé, après délibération, de réviser le règlement général. " * 3
WARNED = [   # file name, bytes from the text "Căn cứ KEY", the warning kinds, a regex on the warnings
    ("portal.doc", lambda t: _page(f"<p>{t}</p>").encode(), ("misnamed",), r"named \.doc but the content is html"),
    ("utf16.txt", lambda t: t.encode("utf-16-le"), ("no_bom",), r"no byte-order mark: read as UTF-16-LE"),
    ("word.txt", cp1258_encode, ("legacy_encoding",), r"read as Windows-1258 and converted"),
    ("abc.txt", tcvn3_encode, ("legacy_encoding",), r"read as TCVN3 \(ABC\)"),
    ("pasted.txt", lambda t: tcvn3_encode("\n".join([t] * 3)).decode("cp1252", "replace").encode("utf-8"),
     ("legacy_font",), r"line\(s\) typed in a legacy TCVN3 \(ABC\) font converted"),
    ("western.html", lambda t: _page(f"<p>{FRENCH}</p><p>{t}</p>", "windows-1252").encode("cp1252", "replace"),
     ("declared_charset",), r"read as the declared cp1252"),
    ("scan.pdf", _pdf_text_then_scan, ("scanned_pages",), r"^2 of 3 page\(s\) have no text \(scanned\?\): 2-3$"),
    ("xref.pdf", _pdf_bad_startxref, ("pdf_library", "pdf_library"), r"^pypdf: incorrect startxref"),
]


@pytest.mark.parametrize("name,make,kinds,message", WARNED, ids=[w[0] for w in WARNED])
def test_warnings_have_kinds(tmp_path, name, make, kinds, message):
    doc = read_document(_bad(tmp_path, name, make("Căn cứ " + KEY)))
    assert KEY in squash(doc.text) or name == "western.html"
    assert doc.warning_kinds == kinds, doc.warnings
    assert len(doc.warnings) == len(doc.warning_kinds) and re.search(message, doc.warnings[0]), doc.warnings
    assert set(kinds) <= set(R.WARNING_KINDS)
    src = doc.source()
    assert src == {"format": doc.format, "encoding": doc.encoding, "warnings": list(doc.warnings),
                   "warning_kinds": list(kinds)}
    import json
    assert json.loads(json.dumps(src)) == src


def test_converter_warning_kind(monkeypatch, tmp_path):
    f = _bad(tmp_path, "old.doc", R._OLE_MAGIC + b"\0" * 600)
    _only_on_path(monkeypatch, tmp_path, {"antiword": f"import sys\nsys.stdout.buffer.write({KEY.encode()!r})"})
    doc = read_document(f)
    assert doc.warning_kinds == ("converted",) and doc.warnings == ("converted with antiword",)
    plain = _bad(tmp_path, "plain.txt", KEY.encode())
    assert read_document(plain).source()["warning_kinds"] == [] == read_document(plain).source()["warnings"]


# ---------------------------------------------------------------------------------------------------------
# Bad files: ReadError naming the file and the reason

def _bad(tmp_path, name: str, data: bytes) -> Path:
    f = tmp_path / name
    f.write_bytes(data)
    return f


def _refused(f: Path, reason: str):
    with pytest.raises(ReadError) as e:
        read_document(f)
    msg = str(e.value)
    assert msg.startswith(f"{f}: ") and f.name in msg, msg
    assert re.search(reason, msg), msg
    assert e.value.path == str(f)
    return msg


def test_bad_text_files(tmp_path, seed_texts, monkeypatch):
    _refused(_bad(tmp_path, "empty.txt", b""), "empty file")
    _refused(_bad(tmp_path, "blank.txt", b" \n\t\n"), r"no text \(only whitespace\)")
    _refused(_bad(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4), "binary")
    _refused(_bad(tmp_path, "bom16.txt", b"\xff\xfe" + bytes(range(256)) * 8), "")
    good = seed_texts["001"].encode("utf-8")
    mid = good.index("Chính".encode()) + 2                 # inside a multi-byte character
    _refused(_bad(tmp_path, "damaged.txt", good[:mid] + b"\xff" + good[mid + 1:]), "damaged UTF-8")
    import random
    rnd = random.Random(7)
    noise = bytes(rnd.choice(b"abcdeghiklmnopqrstuvxy \xa1\xb5\xc3\xd5\xe1\xf2\xf8\xfb\xe9") for _ in range(4000))
    _refused(_bad(tmp_path, "mystery.txt", noise), r"not valid UTF-8 .*does not look like Vietnamese text")
    _refused(_bad(tmp_path, "data.json", b"{}"), "unsupported format")
    _refused(tmp_path / "missing.txt", "no such file")
    monkeypatch.setattr(R, "MAX_BYTES", 1000)
    _refused(_bad(tmp_path, "big.txt", b"a" * 1001), r"too large \(1,001 bytes; the limit is 1,000 bytes")


def _looks_like_text_reference(sample: str) -> str:
    """The per-character definition _looks_like_text had before it counted with patterns: "odd", "foreign" or
    "text"."""
    odd = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\x0c") or 0xE000 <= ord(c) <= 0xF8FF
              or 0xD800 <= ord(c) <= 0xDFFF or c == "\ufffd" or 0x80 <= ord(c) <= 0x9F)
    if odd > max(3, len(sample) // 100):
        return "odd"
    letters = [c for c in sample if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or 0xC0 <= ord(c) <= 0x24F or 0x1E00 <= ord(c) <= 0x1EFF)
    return "foreign" if len(letters) >= 20 and latin < len(letters) / 2 else "text"


def test_looks_like_text_counts_as_the_per_character_definition(seed_texts):
    """The pattern counts agree with the character-by-character definition on texts around both thresholds
    (characters unassigned in Python's Unicode database are left out: the regex module's is newer)."""
    import random
    rnd = random.Random(11)
    pool = [chr(c) for c in [*range(0x20, 0x250), *range(0x370, 0x500), *range(0x3040, 0x30FF), *range(0x4E00, 0x4F00),
                             *range(0x1E00, 0x1F00), *range(0xE000, 0xE010), 0xFFFD, *range(0, 32), *range(0x80, 0xA0),
                             0xD800, 0xDFFF, *range(0x2150, 0x2190), *range(0x0660, 0x066A)]
            if unicodedata.category(chr(c)) != "Cn"]
    texts = [seed_texts["000"], seed_texts["001"][:5000], "x" * 19 + "漢" * 30, "Nghị quyết " + "Ж" * 11]
    for n in (5, 30, 200, 2000):
        for _ in range(150):
            base = rnd.choice(texts)[:n]
            texts.append("".join(rnd.choice(pool) if rnd.random() < rnd.choice((0.005, 0.05, 0.5)) else c
                                 for c in base) or "a")
    seen = set()
    for t in texts:
        want = _looks_like_text_reference(t[:20000]) if t.strip() else "blank"
        try:
            R._looks_like_text(t, "t.txt")
            got = "text"
        except ReadError as e:
            got = ("blank" if "only whitespace" in e.reason else "odd" if "control or undecodable" in e.reason
                   else "foreign")
        assert got == want, (t[:80], got, want)
        seen.add(got)
    assert seen == {"text", "odd", "foreign"}


# Text in another language and encoding: the refusal says it is not Vietnamese and names what it more likely is
FOREIGN = [
    ("japanese.txt", "shift_jis", "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で"
     "ニャーニャー泣いていた事だけは記憶している。吾輩はここで始めて人間というものを見た。\n", r"Shift-JIS \(Japanese\)"),
    ("francais.txt", "cp1252", "Le conseil municipal a décidé, après délibération, de réviser le règlement général. "
     "Les élèves étaient très contents de cette décision à l'école. Où est la bibliothèque ? Ça coûte cher.\n",
     r"Windows-1252 \(Western European\)"),
    ("deutsch.txt", "cp1252", "Die Straße war sehr schön, und die Bäume blühten. Müller öffnete das Fenster und grüßte "
     "die Nachbarn. Über die Brücke fuhren täglich große Lastwagen.\n", r"Windows-1252 \(Western European\)"),
    ("russkiy.txt", "cp1251", "Правительство Российской Федерации постановляет утвердить прилагаемые изменения, "
     "которые вносятся в акты Правительства Российской Федерации.\n", r"Windows-1251 \(Cyrillic\)"),
    ("zhongwen.txt", "gb18030", "国务院关于印发全国国土规划纲要的通知。各省、自治区、直辖市人民政府，国务院各部委、各直属机构：现将"
     "《全国国土规划纲要》印发给你们，请认真贯彻执行。\n", r"GB18030 \(Simplified Chinese\)"),
]


@pytest.mark.parametrize("name,codec,text,label", FOREIGN, ids=[f[0] for f in FOREIGN])
def test_foreign_encoding_named(tmp_path, name, codec, text, label):
    """Before: "suspected TCVN3 (ABC) with low confidence" for Japanese, "Windows-1258" for French."""
    pytest.importorskip("charset_normalizer")
    msg = _refused(_bad(tmp_path, name, (text * 6).encode(codec)), r"not valid UTF-8 \(byte \d+\), and it does not "
                   r"look like Vietnamese text: .* Vietnamese syllables; its bytes read best as " + label)
    assert "suspected" not in msg and "Windows-1258 text" not in msg and "TCVN3 (ABC) with" not in msg, msg


def test_foreign_encoding_without_detector(tmp_path, monkeypatch):
    """Without charset-normalizer the refusal still says plainly that the text is not Vietnamese."""
    monkeypatch.setitem(sys.modules, "charset_normalizer", None)          # import fails
    name, codec, text, _ = FOREIGN[1]
    msg = _refused(_bad(tmp_path, name, (text * 6).encode(codec)), r"does not look like Vietnamese text: .*"
                   r"Vietnamese syllables; re-save it as UTF-8$")
    assert "read best as" not in msg


def test_ambiguous_vietnamese_names_the_suspect(tmp_path):
    """Vietnamese in TCVN3 mixed with as much Western text: Vietnamese enough to name TCVN3 as the suspect."""
    vi = "Căn cứ Nghị quyết của Hội đồng nhân dân tỉnh về việc thực hiện kế hoạch phát triển kinh tế xã hội năm 2024."
    fr = "Le conseil a décidé après délibération de réviser le règlement général été très élève où ça coûte."
    msg = _refused(_bad(tmp_path, "mixed.txt", tcvn3_encode(vi) + b"\n" + fr.encode("cp1252")),
                   r"not clearly a legacy Vietnamese encoding: suspected TCVN3 \(ABC\) with low confidence "
                   r"\(\d+% of \d+ accented words read as Vietnamese; next ")
    assert "does not look like Vietnamese" not in msg


@pytest.mark.parametrize("size,limit,want", [
    (1001, 1000, "1,001 bytes; the limit is 1,000 bytes = 0.00095 MiB"),
    (50 * 2**20 + 1, 50 * 2**20, "52,428,801 bytes; the limit is 52,428,800 bytes = 50 MiB"),
    (10**8, 50 * 2**20, "95.4 MiB; the limit is 50 MiB"),                  # "100 MB of text"
    (106 * 2**20, 100 * 2**20, "106 MiB; the limit is 100 MiB"),
    (3 << 30, 200 * 2**20, "3072 MiB; the limit is 200 MiB"),
])
def test_sizes_in_one_unit(size, limit, want):
    """Every size in a message is in MiB, the unit of the limits (before: "52 MB" for the 50 MiB limit)."""
    assert R._over(size, limit) == want


def test_size_refusal_before_reading(tmp_path):
    """The build checks the stat size first (a 100 MB file is never loaded); read_document gives the same reason."""
    assert R.size_refusal(R.MAX_BYTES) is None and R.size_refusal(1) is None
    assert R.size_refusal(0) == "empty file"
    assert R.size_refusal(10**8) == "too large (95.4 MiB; the limit is 50 MiB)"
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:                     # sparse: 100 MB on paper, nothing on disk
        f.write("Căn cứ ".encode() + KEY.encode())
        f.truncate(10**8)
    _refused(big, re.escape(R.size_refusal(10**8)))


def test_bad_pdfs(tmp_path, seed_texts):
    pytest.importorskip("pypdf")
    good = _pdf(seed_texts["000"])
    # X2: the whole message; the PDF format writes its end-of-file marker with two percent signs, "%%EOF", which
    # the message names as such (read as a %-format gone wrong before, "no %%EOF at the end")
    msg = _refused(_bad(tmp_path, "truncated.pdf", good[: len(good) // 2]), "truncated PDF")
    assert msg.split(": ", 1)[1] == ('truncated PDF (no end-of-file marker "%%EOF" in its last 4 KiB): the download '
                                     "or copy is incomplete"), msg
    _refused(_bad(tmp_path, "scan.pdf", _pdf(None, pages=2)), r"no text layer \(scanned PDF\?\): run OCR first")
    _refused(_bad(tmp_path, "fake.pdf", b"Nghi quyet so 76"), "not a PDF")
    broken = good.replace(b"xref", b"xxxx").replace(b"/Root", b"/Roo_")
    _refused(_bad(tmp_path, "broken.pdf", broken), "damaged PDF")
    _refused(_bad(tmp_path, "locked.pdf", _pdf(KEY, encrypt={"owner_password": "o", "user_password": "u"})),
             r"encrypted PDF \(needs a password\)")


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand: objects 1..n (1 is the catalog), a classic xref table, %%EOF."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_bomb(mib: int) -> bytes:
    """A one-page PDF (1 KB a MiB) whose content stream inflates to `mib` MiB of spaces."""
    z = zlib.compressobj(9)
    parts = [z.compress(b"BT /F1 12 Tf 72 720 Td (Nghi quyet so 76/NQ-CP) Tj ET\n")]
    spaces = b" " * (1 << 20)
    parts += [z.compress(spaces) for _ in range(mib)] + [z.flush()]
    stream = b"".join(parts)
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                    b"/Resources << /Font << /F1 5 0 R >> >> >>",
                    b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def test_pdf_over_the_reader_limits(tmp_path, monkeypatch):
    """A decompression bomb is refused as such (before: "damaged PDF: … (LimitReachedError)"), and so is a file
    over pypdf's other safety limits; a stream of the same make under the limit is read.  pypdf's limit per
    stream (75 MB) is lowered to 4 MiB here to stay fast (an 80 MiB bomb against the default limit gives the
    same refusal, "(71.5 MiB a stream)", in 0.7 s)."""
    pypdf = pytest.importorskip("pypdf")
    if not hasattr(pypdf.errors, "LimitReachedError"):
        pytest.skip("this pypdf has no decompression limits")
    if hasattr(pypdf, "apply_configuration"):                               # pypdf >= 7
        with pypdf.apply_configuration(zlib_maximum_output_length=4 << 20):
            _check_pdf_limits(tmp_path)
        return
    monkeypatch.setattr(pypdf.filters, "ZLIB_MAX_OUTPUT_LENGTH", 4 << 20)
    _check_pdf_limits(tmp_path)


def _check_pdf_limits(tmp_path):
    assert "Nghi quyet so 76/NQ-CP" in read_text(_bad(tmp_path, "small.pdf", pdf_bomb(3)))
    msg = _refused(_bad(tmp_path, "bomb.pdf", pdf_bomb(5)), r"exceeds the decompression limit \(4 MiB a stream\) "
                   r"on page 1 of 1: .*decompression bomb")
    assert "damaged" not in msg
    depth = 150                                    # a page tree deeper than pypdf's 100 levels
    pages = [b"<< /Type /Pages%s /Kids [%d 0 R] /Count 1 >>" % (b" /Parent %d 0 R" % (k + 1) if k else b"", k + 3)
             for k in range(depth)]
    deep = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", *pages,
                    b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] >>" % (depth + 1)])
    _refused(_bad(tmp_path, "deep.pdf", deep), r"exceeds a safety limit of the PDF reader \(.*depth.*\): a malformed "
             r"or malicious PDF")


def test_pdf_time_limit(tmp_path, monkeypatch, seed_texts):
    pytest.importorskip("pypdf")
    monkeypatch.setattr(R, "PDF_TIME_LIMIT", -1.0)
    _refused(_bad(tmp_path, "slow.pdf", _pdf(seed_texts["000"])), r"took over .* \(stopped at page 1 of \d+\)")


def test_bad_docx(tmp_path, monkeypatch, seed_texts, docx):
    d = docx.Document()
    d.add_paragraph(KEY)
    good = _docx_bytes(d)
    _refused(_bad(tmp_path, "truncated.docx", good[: len(good) // 2]), "damaged or truncated zip")
    _refused(_bad(tmp_path, "notzip.docx", b"Nghi quyet so 76 " * 10), r"not a \.docx")
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("hello.txt", "x")
    _refused(_bad(tmp_path, "otherzip.docx", z.getvalue()), r"Content_Types")
    # zip bomb: 1 MB of zeros (1 KB compressed) against limits lowered to 512 KB
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (1 << 20))
    data = bomb.getvalue()
    monkeypatch.setattr(R, "MAX_UNZIPPED_PART", 512 * 1024)
    _refused(_bad(tmp_path, "bomb.docx", data), r"zip bomb.*word/document\.xml")
    monkeypatch.setattr(R, "MAX_UNZIPPED_PART", 100 * 1024 * 1024)
    monkeypatch.setattr(R, "MAX_UNZIPPED", 512 * 1024)
    _refused(_bad(tmp_path, "bomb2.docx", data), r"zip bomb")


def test_forged_zip_directory_is_checked_before_reading(tmp_path):
    """The declared size is what is checked: a directory claiming 3 GB is refused without inflating."""
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    data = bytearray(z.getvalue())
    cd = data.rindex(b"word/document.xml") - 46                      # its central directory entry
    assert data[cd: cd + 4] == b"PK\x01\x02"
    data[cd + 24: cd + 28] = (3 << 30).to_bytes(4, "little")       # uncompressed size in the central directory
    _refused(_bad(tmp_path, "forged.docx", bytes(data)), r"zip bomb\? the \.docx would unpack to 3072 MiB "
             r"\(word/document\.xml: 3072 MiB\); the limits are 200 MiB in all and 100 MiB a part")


def test_doc_without_converter(tmp_path, monkeypatch):
    f = _bad(tmp_path, "old.doc", R._OLE_MAGIC + b"\0" * 600)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    _refused(f, r"Word 97-2003 \.doc: no converter on PATH .*convert it to \.docx")
    _refused(_bad(tmp_path, "junk.doc", b"\0\1\2\3" * 100), "not a Word .doc")


def test_cli_compatibility(tmp_path):
    """The CLI calls read_text and prints ReadError as 'path: reason'."""
    f = _bad(tmp_path, "empty.txt", b"")
    with pytest.raises(ReadError) as e:
        read_text(f)
    assert str(e.value) == f"{f}: empty file" and e.value.reason == "empty file"
    assert decode("Căn cứ".encode("utf-8")) == "Căn cứ"
