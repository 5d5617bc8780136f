"""The Gradio app: `create_app(bot)` builds the page, `launch()` serves it.

A thin shell around `bot.answer`. The page has two tabs:
- "Ask a question": the chat. Each reply shows its banner (a route other
  than an ordinary answer) and its sources as cards; example questions for
  people with MS and for caregivers; a button to start again; feedback on
  each answer, kept only when the user opts in.
- "Check concerns": a caregiver ticks conditions and symptoms (from the
  safety table) and gets one summary to read, or to download and print.

Binds 127.0.0.1 unless told otherwise; no share link, no analytics, no
external fonts or scripts; questions are never written to disk.
"""

from __future__ import annotations

import argparse
import base64
import html
import logging
import secrets
import sys
from datetime import date
from functools import partial
from pathlib import Path

import bot  # noqa: I001  (switches model hubs and telemetry off first)
import gradio as gr
from bot.concern import choices, document, summarize
from bot.display import literal, reply_html
from bot.errors import BadInput, GuideError, IndexDamaged, StoreUnavailable
from bot.feedback import REASONS, Feedback, FeedbackLog

log = logging.getLogger("app")

TITLE = "MS Massage Guide"
NOTE = (
    "Answers about massage and bodywork for people with multiple sclerosis (MS), "
    "quoted word for word from vetted articles, with their sources. "
    "**This is guidance, not medical advice:** check with your doctor before starting massage. "
    "In an emergency, call your local emergency number."
)
PATIENT_EXAMPLES = (
    "Can massage help with MS fatigue?",
    "Will massage help my spasticity?",
    "What is Swedish massage?",
    "What should I tell my massage therapist?",
)
CAREGIVER_EXAMPLES = (
    "How do I find a massage therapist who knows about MS?",
    "Could a massage help my husband sleep better?",
    "Can massage help my wife's MS pain?",
    "My mother has osteoporosis. Is massage safe for her?",
)
STATIC = Path(bot.__file__).resolve().parent / "static"
CONCURRENCY = 2  # answers computed at once: one per core
QUEUE_SIZE = 32  # requests waiting beyond this are turned away with a message


STORE_DOWN = (
    "The guide's index is not answering just now, so this question could not be answered. "
    "It is still in the box: please try again in a moment."
)


def ask(guide, message: str, conversation: list[dict]):
    """One turn. Returns (the chat, conversation, question box, status line).

    `conversation` holds each message as typed and as shown, and each
    answer's route and sources. A question that cannot be answered stays in
    the box, with the reason in the status line.
    """
    question = message if isinstance(message, str) else ""
    messages = [{"role": m["role"], "content": m["content"]} for m in conversation]
    messages.append({"role": "user", "content": question})
    try:
        reply = guide.answer(messages)
    except BadInput as exc:
        return shown(conversation), conversation, question, str(exc)
    except (StoreUnavailable, IndexDamaged) as exc:  # the operator's fix goes to the log, not to the page
        log.error("%s", exc)
        return shown(conversation), conversation, question, STORE_DOWN
    except Exception:  # noqa: BLE001  (the page must say something, never hang)
        log.exception("The guide could not answer")  # the question itself is not logged
        return shown(conversation), conversation, question, "Sorry, something went wrong. Please try again."
    conversation = conversation + [
        {"role": "user", "content": question, "shown": literal(question)},
        {
            "role": "assistant",
            "content": reply.text,
            "shown": reply_html(reply, key=f"r{len(conversation) + 2}"),
            "route": reply.route,
            "sources": [f"{c.source}: {c.section}" for c in reply.citations],
        },
    ]
    return shown(conversation), conversation, "", ""


def shown(conversation: list[dict]) -> list[dict]:
    """What the chat displays: each message as shown."""
    return [{"role": m["role"], "content": m["shown"]} for m in conversation]


def feedback(feedback_log: FeedbackLog, conversation, keep: bool, with_question: bool, data) -> str:
    """A thumb or a reason given on an answer: kept only when the user opted in."""
    index = data.index if isinstance(data.index, int) else data.index[0]
    if data.liked in (None, "") or not 0 < index < len(conversation):
        return ""
    if not keep:
        return (
            "Thank you. Your feedback was not kept: to share it, tick "
            "“Keep my feedback” under “Feedback and privacy”."
        )
    answer, question = conversation[index], conversation[index - 1]
    helpful = data.liked is True or data.liked == "Like"
    reason = data.liked if data.liked in REASONS else None
    feedback_log.add(
        Feedback(
            helpful=helpful,
            reason=reason,
            route=answer.get("route", ""),
            sources=answer.get("sources", []),
            question=question["content"] if with_question else None,
        )
    )
    return "Thank you. Your feedback was kept" + (", with your question." if with_question else ".")


def concern(guide, condition_ids, symptom_ids):
    """The concern check: (summary to show, download link)."""
    try:
        summary = summarize(guide.deferral, condition_ids or [], symptom_ids or [])
    except BadInput as exc:
        return f"<p>{html.escape(str(exc))}</p>", ""  # it repeats what was sent
    today = date.today()
    page = base64.b64encode(document(summary, today).encode("utf-8")).decode("ascii")
    link = (
        f'<a class="download" download="massage-and-ms-concerns-{today:%Y-%m-%d}.html" '
        f'href="data:text/html;charset=utf-8;base64,{page}">'
        "⬇ Download the summary (one page, to print)</a>"
    )
    return f'<div class="summary">{summary.html}</div>', link


def create_app(guide, feedback_log: FeedbackLog | None = None):
    feedback_log = feedback_log or FeedbackLog(guide.settings.feedback_file)
    conditions, symptoms = choices(guide.safety.rules)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(f"# {TITLE}\n\n{NOTE}", elem_id="note")
        with gr.Row(elem_id="display-options"):
            large = gr.Checkbox(label="Larger text", elem_id="large-text")
            contrast = gr.Checkbox(label="High contrast", elem_id="high-contrast")
        with gr.Tab("Ask a question", elem_id="ask-tab"):
            chat = gr.Chatbot(
                label="Conversation",
                show_label=False,  # the label would cover the top of a reply's banner
                elem_id="chat",
                layout="panel",
                height="60vh",
                autoscroll=False,  # app.js shows the start of each new reply instead
                latex_delimiters=[],
                feedback_options=("Like", "Dislike", *REASONS),
                buttons=["copy"],
                placeholder="Ask a question below, or choose an example.",
            )
            conversation = gr.State([])
            question = gr.Textbox(
                label="Your question",
                elem_id="question",
                placeholder="Ask about massage and MS, then press Enter",
                max_lines=6,
                submit_btn="Ask",
            )
            status = gr.Markdown(elem_id="status")
            new = gr.Button("Start a new conversation", elem_id="new-conversation")
            example_buttons = []
            with gr.Row(elem_id="examples"):
                for heading, examples in (
                    ("People with MS often ask", PATIENT_EXAMPLES),
                    ("Caregivers often ask", CAREGIVER_EXAMPLES),
                ):
                    with gr.Column():
                        gr.Markdown(f"## {heading}")
                        example_buttons += [
                            (gr.Button(q, size="md", elem_classes="example"), q) for q in examples
                        ]
            with gr.Accordion("Feedback and privacy", open=False, elem_id="privacy"):
                gr.Markdown(
                    "Your questions are not stored. Under each answer you can say whether it "
                    "helped (👍 / 👎), or give a reason with the flag. That feedback is kept "
                    "only if you tick the first box; your question only if you tick both."
                )
                keep = gr.Checkbox(label="Keep my feedback to help improve the guide")
                with_question = gr.Checkbox(label="Include my question with my feedback")
        with gr.Tab("Check concerns (for caregivers)", elem_id="concern-tab"):
            gr.Markdown(
                "Tick what applies to the person you care for. You get one summary: what "
                "needs the doctor's OK first and why, what massage may help with, and what "
                "to tell the massage therapist, all quoted from the articles. Download it "
                "to take to the appointment."
            )
            picked_conditions = gr.CheckboxGroup(
                conditions, label="Health conditions they have", elem_id="conditions"
            )
            picked_symptoms = gr.CheckboxGroup(
                symptoms, label="Symptoms you hope massage may ease", elem_id="symptoms"
            )
            make = gr.Button("Make the summary", variant="primary", elem_id="make-summary")
            summary = gr.HTML(elem_id="concern-summary")
            download = gr.HTML(elem_id="concern-download")

        answer = partial(ask, guide)
        outputs = [chat, conversation, question, status]
        question.submit(answer, [question, conversation], outputs, api_name="ask").then(None, js="() => window.msguide && window.msguide.showLatest()")
        for button, text in example_buttons:
            button.click(
                partial(ask, guide, text), conversation, outputs, api_visibility="private"
            ).then(None, js="() => window.msguide && window.msguide.showLatest()")
        def start_over():
            return [], [], "", "Started a new conversation."

        # The chat's own clear button starts over too: what it hides is forgotten.
        # Not queued: the reset lands at once, before a next question can be sent.
        for event in (new.click, chat.clear):
            event(start_over, None, outputs, queue=False, api_visibility="private").then(
                None, js="() => document.querySelector('#question textarea')?.focus()"
            )

        def on_like(conversation, keep, with_question, data: gr.LikeData):
            return feedback(feedback_log, conversation, keep, with_question, data)

        chat.like(on_like, [conversation, keep, with_question], status, api_visibility="private")
        make.click(
            partial(concern, guide), [picked_conditions, picked_symptoms], [summary, download],
            api_name="concern",
        )
        for box, name in ((large, "large-text"), (contrast, "high-contrast")):
            box.change(None, box, None, js=f"(on) => window.msguide && window.msguide.setOption('{name}', on)")
        app.load(None, None, [large, contrast], js="() => window.msguide ? window.msguide.options() : [false, false]")
    return app


def serve(app, host: str = "127.0.0.1", port: int = 7860, password: str = "", **kwargs):
    """Start the server with the page's look, its queue, and the password if set."""
    app.queue(max_size=QUEUE_SIZE, default_concurrency_limit=CONCURRENCY)
    auth = (lambda _user, given: secrets.compare_digest(given, password)) if password else None
    theme = gr.themes.Default(
        primary_hue=gr.themes.colors.blue,
        text_size=gr.themes.sizes.text_lg,
        font=["system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],  # no web fonts
        font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
    ).set(color_accent="*primary_700", color_accent_soft="*primary_50")
    return app.launch(
        server_name=host,
        server_port=port,
        share=False,
        show_error=False,
        auth=auth,
        auth_message="Type any name and the guide's password." if password else None,
        theme=theme,
        css=(STATIC / "app.css").read_text(encoding="utf-8"),
        head=f"<script>{(STATIC / 'app.js').read_text(encoding='utf-8')}</script>",
        footer_links=[],
        **kwargs,
    )


def launch(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description=f"Serve {TITLE}.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--chroma-url", help="a Chroma server holding the index, e.g. http://127.0.0.1:8000")
    args = parser.parse_args(argv)

    from bot.__main__ import load_bot
    from bot.config import Settings

    settings = Settings(**({"chroma_url": args.chroma_url} if args.chroma_url is not None else {}))
    try:
        guide = load_bot(settings, sys.stderr)
    except GuideError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"{TITLE} is running on http://{args.host}:{args.port}", file=sys.stderr)
    serve(create_app(guide), args.host, args.port, settings.password.get_secret_value())
    return 0


if __name__ == "__main__":
    sys.exit(launch())
