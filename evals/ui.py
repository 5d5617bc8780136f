"""The page in a real browser: Debian's chromium driven by Playwright.

    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page()
        page.goto(url)
        reply = ask(page, "What is shiatsu?")   # the new reply, once it shows

`enter_to_answer(url, questions)` times each question from pressing Enter
to the reply showing in the chat (`python -m evals ui`). Playwright never
downloads a browser here: it starts the system's chromium, with its
background networking off (this machine has no way out).
"""

from __future__ import annotations

import os
import shutil
import time

# Debian's chromium; another path can be given as CHROMIUM=/path/to/chromium.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",  # tests run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPLIES = "#chat [data-testid='bot']"
QUESTIONS_20 = [
    "Can massage help with MS fatigue?",
    "What is Swedish massage?",
    "What is shiatsu?",
    "How do I find a massage therapist?",
    "What should I tell my massage therapist?",
    "Does massage help spasticity?",
    "Can massage help with MS pain?",
    "I can't sleep at night, would a massage help?",
    "How can I avoid bedsores?",
    "Will massage improve my circulation?",
    "What side effects can massage have?",
    "What is acupressure?",
    "What other kinds of bodywork are there?",
    "Can massage help with anxiety?",
    "Will massage change the course of my MS?",
    "I have osteoporosis, can I get a massage?",
    "I'm pregnant, is massage safe?",
    "What's the weather tomorrow?",
    "I have chest pain",
    "What is the German massage?",
]


def chromium(playwright):
    if not os.path.exists(CHROMIUM):
        raise FileNotFoundError(
            f"No chromium at {CHROMIUM}. `make test` installs Debian's package "
            "(apt-get install chromium); or set CHROMIUM=/path/to/chromium."
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def ask(page, question: str, timeout_ms: float = 30_000):
    """Type the question, press Enter, and return the new reply once it shows."""
    before = page.locator(REPLIES).count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll(\"{REPLIES}\").length > {before}", timeout=timeout_ms
    )
    return page.locator(REPLIES).nth(before)


def enter_to_answer(url: str, questions: list[str]) -> list[float]:
    """Milliseconds from Enter to the reply in the chat, per question (one conversation each)."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("#question textarea")
        ask(page, "warm-up")
        for question in questions:
            page.locator("#new-conversation").click()
            page.wait_for_function(f"document.querySelectorAll(\"{REPLIES}\").length == 0")
            before = page.locator(REPLIES).count()
            box = page.locator("#question textarea")
            box.fill(question)
            started = time.perf_counter()
            box.press("Enter")
            page.wait_for_function(f"document.querySelectorAll(\"{REPLIES}\").length > {before}")
            times.append((time.perf_counter() - started) * 1000)
        browser.close()
    return times
