"""The Gradio app: its turn function, and a real server on a free loopback port.

The page itself, in a real browser, is tests/test_browser.py.
"""

import base64
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from app import CONCURRENCY, QUEUE_SIZE, ask, concern, create_app, serve
from bot.config import ROOT
from evals.procs import free_port

pytestmark = pytest.mark.slow


def turns(guide, *questions):
    conversation = []
    for q in questions:
        chat, conversation, box, status = ask(guide, q, conversation)
    return chat, conversation, box, status


def test_a_turn_shows_the_reply_with_cards_and_keeps_the_words_as_typed(guide):
    chat, conversation, box, status = turns(guide, "What is shiatsu?")
    assert box == "" and status == ""
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert conversation[0]["content"] == "What is shiatsu?"
    assert conversation[1]["route"] == "answer" and conversation[1]["sources"]
    assert 'class="card"' in chat[1]["content"] and 'href="#r2-1"' in chat[1]["content"]


def test_a_condition_said_earlier_defers(guide):
    chat, *_ = turns(guide, "My dad broke his hip last month.", "Would a massage help him?")
    assert chat[3]["content"].startswith('<div class="banner doctor"')
    assert "recent injury" in chat[3]["content"]


def test_follow_ups_use_the_conversation(guide):
    chat, *_ = turns(guide, "What is Swedish massage?", "and the German one?")
    assert "healing baths" in chat[3]["content"]
    assert 'id="r4-1"' in chat[3]["content"]  # card ids differ from the first reply's


def test_a_question_that_cannot_be_asked_stays_in_the_box(guide):
    chat, conversation, box, status = ask(guide, "   ", [])
    assert chat == [] and conversation == [] and box == "   " and "empty" in status


def test_a_failure_says_so_and_keeps_the_question(guide, caplog):
    class Broken:
        def answer(self, messages):
            raise RuntimeError("the store went away")

    chat, conversation, box, status = ask(Broken(), "What is shiatsu?", [])
    assert box == "What is shiatsu?" and status.startswith("Sorry") and chat == []
    assert "What is shiatsu?" not in caplog.text  # the question is not logged


def test_user_text_is_shown_literally(guide):
    chat, *_ = turns(guide, "<script>alert(1)</script> **hi**")
    assert "<script>" not in chat[0]["content"] and "&lt;script&gt;" in chat[0]["content"]
    assert "\\*\\*hi\\*\\*" in chat[0]["content"]


def test_the_concern_check_offers_its_page_as_a_download(guide):
    summary, link = concern(guide, ["osteoporosis"], ["pain"])
    assert "Osteoporosis (thinning bones)" in summary
    encoded = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', link).group(1)
    page = base64.b64decode(encoded).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Is massage safe for their bones" in page
    summary, link = concern(guide, ["gout"], [])
    assert "Unknown condition: gout" in summary and link == ""
    summary, _ = concern(guide, [], ["<img src=x onerror=alert(1)>"])  # sent to /concern
    assert "<img" not in summary and "&lt;img" in summary


@pytest.fixture(scope="module")
def served(guide, tmp_path_factory):
    """The app on a free loopback port, as `python app.py` serves it."""
    from bot.feedback import FeedbackLog

    port = free_port()
    app = create_app(guide, FeedbackLog(tmp_path_factory.mktemp("fb") / "feedback.jsonl"))
    serve(app, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def last(result) -> str:
    """The text of the last message of the chat an /ask call returns."""
    content = result[0][-1]["content"]
    return content if isinstance(content, str) else " ".join(c["text"] for c in content)


def test_served_app_answers_every_route_over_http(served):
    from gradio_client import Client

    client = Client(served, verbose=False)
    text = last(client.predict(message="What is shiatsu?", api_name="/ask"))
    assert "preventing conditions, not healing them" in text and 'class="card"' in text
    text = last(client.predict(message="What's the weather tomorrow?", api_name="/ask"))
    assert text.startswith('<div class="banner outside"') and "You could ask" in text
    text = last(client.predict(message="I'm pregnant, is massage safe?", api_name="/ask"))
    assert text.startswith('<div class="banner doctor"') and "Are pregnant" in text
    text = last(client.predict(message="I have chest pain", api_name="/ask"))
    assert text.startswith('<div class="banner emergency" role="alert"') and "911" in text
    summary, link = client.predict(condition_ids=["pregnancy"], symptom_ids=[], api_name="/concern")
    assert "Pregnancy" in summary and "base64," in link


def test_the_queue_is_bounded_and_answers_two_at_a_time(served, guide):
    from gradio_client import Client

    client = Client(served, verbose=False)
    info = client.view_api(print_info=False, return_format="dict")
    assert set(info["named_endpoints"]) == {"/ask", "/concern"}  # nothing else is offered
    assert client.config["analytics_enabled"] is False
    app = create_app(guide)
    serve(app, "127.0.0.1", free_port(), prevent_thread_lock=True, quiet=True)
    try:
        assert app._queue.max_size == QUEUE_SIZE == 32
        assert app._queue.default_concurrency_limit == CONCURRENCY == 2
        assert app.share is False and app.server_name == "127.0.0.1"
    finally:
        app.close()


def test_each_client_has_its_own_conversation(served):
    from gradio_client import Client

    first, second = Client(served, verbose=False), Client(served, verbose=False)
    first.predict(message="My wife has osteoporosis.", api_name="/ask")
    text = last(second.predict(message="Would a back massage help?", api_name="/ask"))
    assert 'class="banner doctor"' not in text  # the other user's condition is not ours
    text = last(first.predict(message="Would a back massage help?", api_name="/ask"))
    assert 'class="banner doctor"' in text


def test_a_password_keeps_others_out(guide):
    from gradio_client import Client

    port = free_port()
    app = create_app(guide)
    serve(app, "127.0.0.1", port, password="open sesame", prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        with pytest.raises(Exception):
            Client(url, verbose=False).predict(message="What is shiatsu?", api_name="/ask")
        with pytest.raises(Exception):
            Client(url, auth=("anyone", "wrong"), verbose=False)
        client = Client(url, auth=("anyone", "open sesame"), verbose=False)
        assert "Shiatsu" in last(client.predict(message="What is shiatsu?", api_name="/ask"))
    finally:
        app.close()


def test_python_app_py_builds_a_missing_index_then_serves(tmp_path):
    """What `make run` does on a fresh clone: no index yet, so build it, then serve.

    The model and the store are loaded once for every user of the process,
    and no question reaches a file.
    """
    from gradio_client import Client

    port = free_port()
    env = {
        **os.environ,
        "MSGUIDE_STORE_DIR": str(tmp_path / "index"),
        "MSGUIDE_FEEDBACK_FILE": str(tmp_path / "feedback.jsonl"),
        "GRADIO_TEMP_DIR": str(tmp_path / "gradio"),
    }
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    started = time.time()
    try:
        said = []
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            said.append(line)
            if "is running on" in line or proc.poll() is not None:
                break
        assert f"MS Massage Guide is running on http://127.0.0.1:{port}" in said[-1], said
        assert any("No index yet: building it" in line for line in said), said
        for _ in range(60):  # the address answers once the server is up
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200 and "MS Massage Guide" in page.read().decode()
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("the app never answered")
        secret = "Can massage help zyxwv fatigue?"
        for _ in range(2):  # two users
            client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            assert "fatigue" in last(client.predict(message=secret, api_name="/ask"))
    finally:
        proc.terminate()
        rest = proc.communicate(timeout=30)[1]
    assert sum("Loading the guide" in line for line in said + [rest]) == 1
    assert "zyxwv" not in rest
    written = [
        f for folder in (tmp_path, ROOT / ".index", ROOT / "screenshots")
        for f in folder.rglob("*") if f.is_file() and f.stat().st_mtime >= started
    ]
    assert written and all(b"zyxwv" not in f.read_bytes() for f in written)  # the index was
