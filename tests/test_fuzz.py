"""Property-based tests: whatever the text, the extractor never raises, never hangs, and every span it
reports slices the original text back to what it says.

CI runs FUZZ_EXAMPLES examples per property (default 300); a longer run is documented in bench/RESULTS.md:
    FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py -q      (or: python bench/fuzz_long.py)

Time bound: every example runs under a CPU-time alarm (EXAMPLE_CPU_SECONDS of this process's CPU, not wall
time: a loaded machine waits longer but does not burn more CPU, so the bound cannot flake; a typical example
takes a few milliseconds).  A hang or a catastrophic backtrack is interrupted (the `re` and `regex` engines
check for signals while matching) and fails the example as TooSlow, which hypothesis then shrinks.  Hypothesis'
own deadline (wall time) stays off.
"""
import contextlib
import os
import signal
import threading
import time
import unicodedata

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder import extract_text
from graph_builder.vocabulary import RELATIONS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
EXAMPLE_CPU_SECONDS = 2.0          # one generated example (at most ~60 fragments): milliseconds in practice
ADVERSARIAL_CPU_SECONDS = 5.0      # one 40–200 KB pathological text: 0.01–1.8 s here


class TooSlow(AssertionError):
    """An example used more CPU time than its bound: a hang or catastrophic backtracking."""


@contextlib.contextmanager
def cpu_bound(seconds: float):
    """Interrupt the block with TooSlow once this process has used `seconds` of CPU time inside it (ITIMER_PROF:
    user + system time, which waiting for a busy core does not count).  No bound where there is no
    setitimer (Windows) or off the main thread."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_sig, _frame):
        raise TooSlow(f"over {seconds:g} s of CPU time")
    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_PROF, 0)
        finally:
            signal.signal(signal.SIGPROF, previous)

SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=os.environ.get("FUZZ_RANDOM") is None)

FRAGMENTS = ["Căn cứ ", "Thực hiện ", "Nghị quyết số ", "Kế hoạch số ", "Nghị định ", "76/NQ-CP", "61/2018/NĐ-CP",
             "60-NQ/TU", "60/NQ-TU", "51/2024/QH15", "19/2012/TTLT-BTC-BKHĐT", "05 /2025/QĐ-UBND", " ngày 15/7/2021",
             " ngày 15 tháng 7 năm 2021", " của UBND tỉnh Lạng Sơn", " của Chính phủ", "; ", ", ", ".\n", "\n\n",
             " sửa đổi, bổ sung một số điều của ", " được sửa đổi, bổ sung bởi ", "(thay thế ", ")", "¹", "¹ ",
             "Luật Đất đai", "Luật sửa đổi, bổ sung một số điều của Luật ", " hết hiệu lực", "Số: ", "/KH-UBND",
             "CÔNG BÁO/Số 12/Ngày 01-02-2026\n3\n", "Ký bởi: X\n", "https://x.vn/61/2018/ND-CP", "\u200b", "\u00d0",
             "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\n", "KẾ HOẠCH\n", "DANH MỤC VĂN BẢN HẾT HIỆU LỰC\n", "1\n", "- ",
             "Được thay thế bởi ", "CHỦ TỊCH\n", "Nguyễn Văn A\n", "Nơi nhận:\n", "Xét Tờ trình số 6/TTr-CP", ":"]

text_soup = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)


def check(text: str, bound: float = EXAMPLE_CPU_SECONDS) -> None:
    with cpu_bound(bound):
        x = extract_text(text, "fuzz")
        x.to_json()
    for c in x.citations:
        assert text[c.span.start:c.span.end] == c.span.text
        assert text[c.number_span.start:c.number_span.end] == c.number_span.text
        assert c.span.start <= c.number_span.start <= c.number_span.end <= c.span.end
        assert c.relation in RELATIONS
        assert c.nested_in is None or 0 <= c.nested_in < len(x.citations)
    for n in x.named_refs:
        assert text[n.span.start:n.span.end] == n.span.text
    for r in x.relations:
        assert text[r.span.start:r.span.end] == r.span.text


@SETTINGS
@given(st.text())
def test_arbitrary_unicode(text):
    check(text)


@SETTINGS
@given(text_soup)
def test_citation_fragments(text):
    check(text)


@SETTINGS
@given(text_soup, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_any_normalisation(text, form):
    check(unicodedata.normalize(form, text))


ADVERSARIAL = [
    "1/" * 20000,                                     # slashes without codes
    "12/" + "A-" * 20000,                             # an endless code
    "Luật " * 20000,                                  # heads without names
    "Luật A" + ", b" * 20000,                         # a name that never ends
    "Căn cứ " * 20000,                                # triggers without references
    "Nghị quyết số 76/NQ-CP; " * 5000,                # a very long list
    "số 1/KH-UBND của UBND tỉnh " + "Lạng " * 20000,  # a place name that never ends
    "¹" * 20000 + "\n¹ Nghị định số 1/2020/NĐ-CP",    # anchors without end
    ("a" * 199 + "\n") * 1000,                        # long lines, no sentence end
    "\u0301" * 50000,                                 # combining marks only
    "1\n" * 30000,                                    # table row numbers only
    ("Được thay thế bởi Thông tư số 1/2024/TT-BTC ") * 3000,
]


def test_adversarial_inputs_finish_quickly():
    """No catastrophic backtracking: each 40–200 KB adversarial text is handled in well under 5 s of CPU (0.01 s
    to 1.8 s here, "Luật " × 20000 the slowest), and a hang is interrupted there rather than stalling the run.  CPU time of this process, not
    wall time: a busy machine (a parallel build, LibreOffice) must not fail it."""
    for text in ADVERSARIAL:
        t = time.process_time()
        check(text, ADVERSARIAL_CPU_SECONDS)
        assert time.process_time() - t < ADVERSARIAL_CPU_SECONDS, text[:40]


def test_the_bound_interrupts_a_hang():
    """The bound itself: a catastrophic backtrack inside the regex engine and a plain Python loop are both
    stopped after their CPU time, not left to run."""
    import regex
    t = time.process_time()
    with pytest.raises(TooSlow):
        with cpu_bound(0.1):
            regex.match(r"(a|aa)+$", "a" * 60 + "b")             # 2**40 paths: hours
    with pytest.raises(TooSlow):
        with cpu_bound(0.1):
            while True:
                pass
    assert time.process_time() - t < 2
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)        # disarmed after the block
