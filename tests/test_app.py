"""The Gradio app: a real server on a free loopback port, asked over its API."""

import socket

import pytest

from app import create_app, message_text, respond, show
from bot.types import Reply

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "content, text",
    [
        ("plain", "plain"),
        ({"type": "text", "text": "from a dict"}, "from a dict"),
        ([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}], "a b"),
        (None, ""),
    ],
)
def test_message_text(content, text):
    assert message_text(content) == text


@pytest.mark.parametrize("route, banner", [("out_of_scope", "Not covered"), ("ask_doctor", "doctor first"), ("emergency", "Get help now")])
def test_routes_other_than_answer_get_a_banner(route, banner):
    assert banner in show(Reply(route, "text"))
    assert show(Reply("answer", "text")) == "text"


def test_respond_defers_on_a_condition_said_earlier(guide):
    history = [
        {"role": "user", "content": "My dad broke his hip last month."},
        {"role": "assistant", "content": "(reply)"},
    ]
    text = respond(guide, "Would a massage help him?", history)
    assert text.startswith("### ⚠️ Check with your doctor first") and "recent injury" in text


def test_respond_uses_history(guide):
    history = [
        {"role": "user", "content": "What is Swedish massage?"},
        {"role": "assistant", "content": "(answer)"},
    ]
    assert "healing baths" in respond(guide, "and the German one?", history)
    assert "empty" in respond(guide, "   ", history)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_app_answers_over_http(guide):
    from gradio_client import Client

    app = create_app(guide)
    port = free_port()
    app.queue(max_size=8)
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, share=False)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        text = client.predict(message="What is shiatsu?", api_name="/chat")
        assert "preventing conditions, not healing them" in text and "[1]" in text
        text = client.predict(message="What's the weather tomorrow?", api_name="/chat")
        assert "Not covered by this guide" in text
        text = client.predict(message="I'm pregnant, is massage safe?", api_name="/chat")
        assert text.startswith("### ⚠️ Check with your doctor first") and "Are pregnant" in text
        text = client.predict(message="I have chest pain", api_name="/chat")
        assert text.startswith("### 🚨 Get help now") and "emergency number" in text
    finally:
        app.close()
