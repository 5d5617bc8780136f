"""The Gradio chat: `create_app(bot)` builds the page, `launch()` serves it.

A thin shell around `bot.answer`: it keeps the conversation, shows each
reply with its sources, and marks every route that is not an ordinary
answer with a banner. Binds 127.0.0.1 unless told otherwise; no share link,
no analytics, nothing written to disk.
"""

from __future__ import annotations

import argparse
import sys

import bot  # noqa: F401  (switches model hubs and telemetry off first)
from bot.errors import BadInput, GuideError
from bot.scope import EXAMPLES
from bot.types import Reply

TITLE = "MS Massage Guide"
NOTE = (
    "Answers about massage and bodywork for people with multiple sclerosis, quoted "
    "word for word from vetted articles, with their sources. This is guidance, "
    "not medical advice: check with your doctor before starting massage."
)
BANNERS = {
    "ask_doctor": "### ⚠️ Check with your doctor first",
    "emergency": "### 🚨 Get help now",
    "out_of_scope": "### Not covered by this guide",
}


def message_text(content) -> str:
    """The text of a chat message, whatever shape the chat component gives it."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    if isinstance(content, (list, tuple)):
        return " ".join(message_text(c) for c in content).strip()
    return ""


def show(reply: Reply) -> str:
    banner = BANNERS.get(reply.route)
    return f"{banner}\n\n{reply.text}" if banner else reply.text


def respond(guide, message, history: list[dict]) -> str:
    """One turn: the conversation so far plus the new message, to Markdown."""
    messages = [
        {"role": m["role"], "content": message_text(m.get("content"))}
        for m in history
        if m.get("role") in ("user", "assistant")
    ]
    messages.append({"role": "user", "content": message_text(message)})
    try:
        return show(guide.answer(messages))
    except BadInput as exc:
        return str(exc)


def create_app(guide):
    import gradio as gr

    def chat(message, history):
        return respond(guide, message, history)

    with gr.Blocks(title=TITLE) as app:
        gr.Markdown(f"# {TITLE}\n\n{NOTE}")
        gr.ChatInterface(
            fn=chat,
            api_name="chat",
            chatbot=gr.Chatbot(
                label="Conversation", sanitize_html=True, render_markdown=True, height=520
            ),
            textbox=gr.Textbox(
                placeholder="Ask about massage and MS…", label="Your question", scale=7
            ),
            examples=list(EXAMPLES),
            concurrency_limit=2,
        )
    return app


def launch(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description=f"Serve {TITLE}.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    args = parser.parse_args(argv)

    from bot.__main__ import load_bot
    from bot.config import Settings

    try:
        guide = load_bot(Settings(), sys.stderr)
    except GuideError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    app = create_app(guide)
    app.queue(max_size=64)
    print(f"{TITLE} is running on http://{args.host}:{args.port}", file=sys.stderr)
    app.launch(server_name=args.host, server_port=args.port, share=False, show_error=False)
    return 0


if __name__ == "__main__":
    sys.exit(launch())
