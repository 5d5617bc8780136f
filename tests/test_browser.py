"""The page in a real browser: Debian's chromium, driven by Playwright, with axe-core.

`make test` installs chromium (Debian's package) and axe-core (npm, pinned in
tests/browser/package-lock.json). Screenshots of the main states go to the
git-ignored screenshots/ folder.
"""

from __future__ import annotations

import re
import socket
import unicodedata

import pytest

from bot.config import ROOT
from evals.ui import REPLIES, ask, chromium
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "screenshots"
PAYLOADS = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 1; alert(1)">',
    '<svg onload="window.__pwned = 1"></svg> **bold?** [link](javascript:alert(1))',
]


@pytest.fixture(scope="module")
def url(guide, tmp_path_factory):
    from app import create_app, serve
    from bot.feedback import FeedbackLog

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = FeedbackLog(tmp_path_factory.mktemp("feedback") / "feedback.jsonl")
    app = create_app(guide, log)
    serve(app, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/", log
    app.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = chromium(p)
        yield b
        b.close()


class Page:
    """A fresh page on the app that records what would be wrong to see."""

    def __init__(self, browser, url, **options):
        self.context = browser.new_context(accept_downloads=True, **options)
        self.page = self.context.new_page()
        self.outside: list[str] = []  # requests anywhere but the app
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", self._request)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_selector("#question textarea")

    def _request(self, request):
        if not re.match(r"^(http://127\.0\.0\.1:\d+/|data:|blob:)", request.url):
            self.outside.append(request.url)

    def shot(self, name: str):
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=SHOTS / f"{name}.png", full_page=True)

    def axe(self, *tags: str) -> list[dict]:
        """axe-core's violations on the page as it stands."""
        self.page.add_script_tag(path=str(AXE))
        tags = list(tags or ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"))
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
        )
        return result["violations"]


@pytest.fixture
def page(browser, url):
    p = Page(browser, url[0], viewport={"width": 1280, "height": 900})
    yield p
    assert p.outside == [], "the page reached outside the app"
    assert p.errors == [], "the page raised errors"
    p.context.close()


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_page_loads_with_its_note_and_nothing_from_outside(page):
    p = page.page
    assert p.title() == "MS Massage Guide"
    assert "not medical advice" in p.locator("#note").inner_text()
    for name in ("Larger text", "High contrast"):
        assert p.get_by_role("checkbox", name=name).is_visible()
    assert p.get_by_role("button", name="Start a new conversation").is_visible()
    assert p.get_by_role("button", name="Can massage help with MS fatigue?").is_visible()
    assert p.get_by_role("button", name="My mother has osteoporosis. Is massage safe for her?").is_visible()
    page.shot("1-home")


def test_a_benefit_question_shows_source_cards_quoting_the_corpus(page):
    reply = ask(page.page, "Can massage help with MS fatigue?")
    cards = reply.locator("li.card")
    assert cards.count() >= 1
    corpus = {f.name: normal(f.read_text(encoding="utf-8")) for f in CORPUS.glob("*.md")}
    for i in range(cards.count()):
        card = cards.nth(i)
        passage = normal(card.locator(".card-text").inner_text())
        assert any(passage in text for text in corpus.values()), passage
        for mark in card.locator("mark").all_inner_texts():
            assert normal(mark) in passage
        meta = card.locator(".card-meta").inner_text()
        assert "Section:" in meta
    assert cards.first.locator("cite").inner_text() in {
        "Massage and Multiple Sclerosis (MS)", "How Massage and Bodywork Is Used to Treat MS Patients"
    }
    assert reply.locator(".card mark").count() >= 1  # the cited sentence is highlighted
    assert reply.get_attribute("aria-label") is None  # a screen reader reads the reply, not its source
    # A marker leads to its card.
    reply.locator("a.cite").first.click()
    target = page.page.evaluate("location.hash")
    assert re.fullmatch(r"#r\d+-1", target)
    assert page.page.locator(target).is_visible()
    page.shot("2-answer-with-sources")


def test_a_caregivers_contraindication_shows_the_doctor_banner_first(page):
    page.page.get_by_role("button", name="My mother has osteoporosis. Is massage safe for her?").click()
    page.page.wait_for_selector(f"{REPLIES} .banner.doctor")
    banner = page.page.locator(f"{REPLIES} .banner.doctor")
    assert "Check with your doctor first" in banner.inner_text()
    # The reply is long; its start, the banner, is what the chat shows.
    page.page.wait_for_timeout(300)
    chat = page.page.locator("#chat").bounding_box()
    box = banner.bounding_box()
    assert chat["y"] <= box["y"] and box["y"] + box["height"] <= chat["y"] + chat["height"]
    reply = page.page.locator(REPLIES).last
    assert "don't get massages unless they say it's OK" in reply.inner_text()
    page.shot("3-ask-doctor")


def test_an_emergency_is_red_and_a_new_conversation_starts_clean(page):
    p = page.page
    reply = ask(p, "My dad has chest pain and can't breathe")
    banner = reply.locator(".banner.emergency")
    assert banner.get_attribute("role") == "alert"
    assert "911" in banner.inner_text() and "Get help now" in banner.inner_text()
    color = banner.evaluate("e => getComputedStyle(e).backgroundColor")
    red, green, blue = map(int, re.findall(r"\d+", color)[:3])
    assert red > 120 and green < 40 and blue < 60, color
    page.shot("4-emergency")
    # The red flag stays for the conversation, until the user starts a new one.
    assert ask(p, "What is Swedish massage?").locator(".banner.emergency").count() == 1
    p.get_by_role("button", name="Start a new conversation").click()
    p.wait_for_function(f"document.querySelectorAll(\"{REPLIES}\").length == 0")
    assert "Started a new conversation" in p.locator("#status").inner_text()
    reply = ask(p, "What is Swedish massage?")
    assert reply.locator(".banner").count() == 0 and reply.locator("li.card").count() >= 1


def test_the_chats_clear_button_starts_over_too(page):
    p = page.page
    ask(p, "My wife has osteoporosis.")
    p.get_by_role("button", name="Clear").click()
    p.wait_for_function(f"document.querySelectorAll(\"{REPLIES}\").length == 0")
    # The page clears at once; the guide forgets once it has said so.
    p.wait_for_function("document.querySelector('#status').innerText.includes('new conversation')")
    reply = ask(p, "What is Swedish massage?")
    assert reply.locator(".banner").count() == 0  # the cleared condition is forgotten
    assert p.locator("#chat [data-testid='user']").count() == 1  # nothing cleared comes back


@pytest.mark.parametrize("payload", PAYLOADS)
def test_typed_markup_stays_inert_text(page, payload):
    p = page.page
    ask(p, payload)
    shown = p.locator("#chat [data-testid='user']").last
    assert normal(shown.inner_text()) == normal(payload)  # literally as typed
    assert shown.locator("img, script, svg, a, strong").count() == 0
    assert p.evaluate("window.__pwned") is None and page.dialogs == []


def test_the_concern_check_makes_a_one_page_summary_to_download(page, browser, tmp_path):
    p = page.page
    p.get_by_role("tab", name="Check concerns (for caregivers)").click()
    for name in ("Osteoporosis (thinning bones)", "Pregnancy", "Sensitive to heat or cold"):
        p.get_by_role("checkbox", name=name).check()
    for name in ("Pain", "Trouble sleeping", "Tiredness (fatigue)"):
        p.get_by_role("checkbox", name=name, exact=True).check()
    p.get_by_role("button", name="Make the summary").click()
    summary = p.locator("#concern-summary .summary")
    summary.wait_for()
    text = summary.inner_text()
    for words in ("Check with the doctor first", "don't get massages unless they say it's OK",
                  "What massage may help with", "possibly sleep better",
                  "What to tell the massage therapist", "Sources"):
        assert words in text
    page.shot("5-concern-check")
    with p.expect_download() as download:
        p.get_by_role("link", name=re.compile("Download the summary")).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"massage-and-ms-concerns-\d{4}-\d{2}-\d{2}\.html", saved.name)
    document = saved.read_text(encoding="utf-8")
    assert "possibly sleep better" in document and "Is massage safe for their bones" in document
    assert pages_when_printed(browser, saved) == 1


def pages_when_printed(browser, path) -> int:
    page = browser.new_page()
    page.goto(path.as_uri())
    pdf = page.pdf(format="Letter")  # shorter than A4: Letter fits, A4 fits
    page.close()
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_everything_ticked_still_prints_on_one_page(guide, browser, tmp_path):
    from datetime import date

    from bot.concern import document, summarize

    rules = guide.safety.rules
    summary = summarize(guide.deferral, [r.id for r in rules.conditions], [s.id for s in rules.symptoms])
    path = tmp_path / "all.html"
    path.write_text(document(summary, date(2026, 1, 1)), encoding="utf-8")
    assert pages_when_printed(browser, path) == 1


def press_until(p, key: str, focused: str, most: int) -> None:
    """Press `key` until the focused element matches the CSS selector `focused`."""
    for _ in range(most):
        p.keyboard.press(key)
        if p.evaluate("(sel) => document.activeElement.matches(sel)", focused):
            return
    pytest.fail(f"{most} presses of {key} never reached {focused}")


def test_ask_answer_and_sources_by_keyboard_alone(page):
    p = page.page
    press_until(p, "Tab", "#question textarea", 30)  # from the top of the page
    p.keyboard.type("What is shiatsu?")
    before = p.locator(REPLIES).count()
    p.keyboard.press("Enter")
    p.wait_for_function(f"document.querySelectorAll(\"{REPLIES}\").length > {before}")
    press_until(p, "Shift+Tab", "a.cite", 40)  # back up into the reply, to its first marker
    p.keyboard.press("Enter")
    target = p.evaluate("location.hash")
    assert re.fullmatch(r"#r\d+-1", target)
    card = p.locator(target)
    assert card.is_visible() and "Shiatsu" in card.inner_text()
    assert p.evaluate("document.activeElement.id") == target[1:]  # focus is on the card
    page.shot("6-keyboard")


def test_the_concern_check_by_keyboard_alone(page):
    p = page.page
    press_until(p, "Tab", "#concern-tab-button", 30)
    p.keyboard.press("Enter")
    p.locator("#conditions input[name=edema]").wait_for()  # the tab drawn before moving on (a slow CI)
    press_until(p, "Tab", "#conditions input[type=checkbox]", 20)
    p.keyboard.press("Space")  # the first condition
    p.wait_for_function("document.querySelector('#conditions input[name=edema]').checked")
    press_until(p, "Tab", "#make-summary", 40)
    p.keyboard.press("Enter")
    p.wait_for_function(
        "(document.querySelector('#concern-summary .summary') || {}).innerText?.includes('Swelling (edema)')"
    )
    press_until(p, "Tab", "a.download", 40)
    with p.expect_download() as download:
        p.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".html")


def test_no_serious_or_critical_accessibility_violations(page):
    p = page.page
    found = {"empty page": page.axe()}
    for question in ("Can massage help with MS pain?", "I have osteoporosis, can I get a massage?",
                     "I have chest pain", "What's the weather tomorrow?"):
        ask(p, question)
    found["four routes"] = page.axe()
    p.get_by_role("checkbox", name="Larger text").check()
    p.get_by_role("checkbox", name="High contrast").check()
    found["large text, high contrast"] = page.axe()
    p.get_by_role("tab", name="Check concerns (for caregivers)").click()
    p.get_by_role("checkbox", name="Pregnancy").check()
    p.get_by_role("button", name="Make the summary").click()
    p.locator("#concern-summary .summary").wait_for()
    found["concern check"] = page.axe()
    bad = {
        state: [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                if v["impact"] in ("serious", "critical")]
        for state, violations in found.items()
    }
    assert all(not v for v in bad.values()), bad


def test_high_contrast_meets_the_enhanced_contrast_level(page):
    p = page.page
    p.get_by_role("checkbox", name="High contrast").check()
    for question in ("Can massage help with MS pain?", "I'm pregnant, is massage safe?", "I have chest pain"):
        ask(p, question)
    violations = [v for v in page.axe("wcag2aaa") if v["id"] == "color-contrast-enhanced"]
    assert violations == [], [n["target"] for v in violations for n in v["nodes"]][:5]


def test_display_options_take_effect_and_are_remembered(page):
    p = page.page
    reply = ask(p, "What is shiatsu?")
    size = lambda: float(reply.locator("blockquote").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))  # noqa: E731
    normal_size = size()
    p.get_by_role("checkbox", name="Larger text").check()
    assert size() >= 1.2 * normal_size
    p.get_by_role("checkbox", name="High contrast").check()
    colors = p.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('#note')); "
        "return [s.color, getComputedStyle(document.body).backgroundColor]; }"
    )
    assert colors == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    p.reload()
    p.wait_for_selector("#question textarea")
    assert p.get_by_role("checkbox", name="Larger text").is_checked()
    assert {"high-contrast", "large-text"} <= set(p.evaluate("document.documentElement.className").split())


def test_readable_at_200_percent_zoom(browser, url):
    # 200% zoom of a 1280 x 800 window is a 640 x 400 CSS-pixel viewport.
    page = Page(browser, url[0], viewport={"width": 640, "height": 400})
    p = page.page
    try:
        reply = ask(p, "Can massage help with MS pain?")
        reply.locator("li.card").first.scroll_into_view_if_needed()
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        for selector in ("#question textarea", "#note"):
            box = p.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 641, selector
        card = reply.locator("li.card").first.bounding_box()
        assert card["x"] >= 0 and card["x"] + card["width"] <= 641
        page.shot("7-zoom-200")
    finally:
        page.context.close()


def test_feedback_is_kept_only_after_opting_in(page, url):
    p, log = page.page, url[1]
    before = len(log.read())
    ask(p, "Can massage help with MS fatigue?")
    p.locator(REPLIES).last.hover()
    p.get_by_role("button", name="Dislike").last.click()
    p.wait_for_function("document.querySelector('#status').innerText.includes('not kept')")
    assert p.locator("#status").get_attribute("role") == "status"  # announced by screen readers
    assert len(log.read()) == before
    p.get_by_role("button", name=re.compile("^Feedback and privacy")).click()
    p.get_by_role("checkbox", name="Keep my feedback to help improve the guide").check()
    p.locator(REPLIES).last.hover()
    p.get_by_role("button", name="Like").last.click()
    p.wait_for_function("document.querySelector('#status').innerText.includes('was kept')")
    kept = log.read()[before:]
    assert len(kept) == 1 and kept[0]["helpful"] is True and kept[0]["question"] is None
