"""`python -m bot`: ask one question, chat, or answer JSONL.

    python -m bot ask "Can massage help with MS fatigue?"
    python -m bot chat
    python -m bot ask --jsonl < questions.jsonl > answers.jsonl

Errors a user can cause are printed as one plain message, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.errors import AnswerableMissing, BadInput, GuideError, IndexDamaged, IndexMissing, LearnedKeyMissing
from bot.safety.learned import EXAMPLES_FILE
from bot.types import BANNERS, Reply


def render(reply: Reply) -> str:
    """A reply for a terminal: a banner for any route but an ordinary answer."""
    if reply.route not in BANNERS:
        return reply.text
    banner = BANNERS[reply.route].upper()
    rule = "=" * len(banner)
    return f"{rule}\n{banner}\n{rule}\n\n{reply.text}"


def load_bot(settings: Settings, err: TextIO):
    """Make the Bot; when there is no index yet, or it cannot be read, build
    it first, saying so, and likewise the safety layer's learned key and the
    question check. The model is loaded once and serves them all.
    """
    from bot.chat import Bot
    from bot.embeddings import load_embeddings

    print("Loading the guide...", file=err)
    embeddings, info = load_embeddings(settings)
    for _ in range(4):  # at most: the key, the question check, the index, then the Bot
        try:
            return Bot(settings, embeddings=embeddings, info=info)
        except LearnedKeyMissing as exc:
            from bot.safety.train import build

            print(f"{exc}\nBuilding it from {EXAMPLES_FILE.name} (once)...", file=err)
            build(settings, embeddings, info, out=err)
        except AnswerableMissing as exc:
            from bot.answerable_train import build as build_check

            print(f"{exc}\nBuilding it (once)...", file=err)
            build_check(settings, embeddings, info, out=err)
        except (IndexMissing, IndexDamaged) as exc:
            if not settings.corpus_dir.is_dir():
                raise
            damaged = isinstance(exc, IndexDamaged)
            if damaged:
                print(f"{exc}\nRebuilding it from {settings.corpus_dir}...", file=err)
            else:
                print(f"No index yet: building it from {settings.corpus_dir} (once)...", file=err)
            from ingest.__main__ import run

            run(settings, (embeddings, info), progress=False, rebuild=damaged, out=err)
    return Bot(settings, embeddings=embeddings, info=info)


def ask(bot, question: str, out: TextIO) -> int:
    try:
        reply = bot.answer([{"role": "user", "content": question}])
    except BadInput as exc:
        print(exc, file=sys.stderr)
        return 2
    print(render(reply), file=out)
    return 0


def chat(bot, inp: TextIO, out: TextIO) -> int:
    """An interactive loop that keeps the conversation. Empty line or Ctrl-D ends it."""
    print("Ask about massage and MS. An empty line ends the chat.\n", file=out)
    messages: list[dict] = []
    while True:
        print("You: ", end="", file=out, flush=True)
        line = inp.readline()
        if not line or not line.strip():
            print("\nGoodbye.", file=out)
            return 0
        messages.append({"role": "user", "content": line.rstrip("\n")})
        try:
            reply = bot.answer(messages)
        except BadInput as exc:
            messages.pop()
            print(f"\n{exc}\n", file=out)
            continue
        messages.append({"role": "assistant", "content": reply.text})
        print(f"\n{render(reply)}\n", file=out)


def jsonl(bot, inp: TextIO, out: TextIO) -> int:
    """One JSON object in, one out, in order; a bad line gets an error object."""
    for number, line in enumerate(inp, start=1):
        if not line.strip():
            continue
        out.write(json.dumps(answer_line(bot, line, number), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def answer_line(bot, line: str, number: int) -> dict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "route": "error", "error": f"line {number}: not valid JSON ({exc.msg})"}
    if not isinstance(item, dict):
        return {"id": None, "route": "error", "error": f"line {number}: expected a JSON object"}
    item_id = item.get("id")
    started = time.perf_counter()
    try:
        reply = bot.answer(item.get("messages"))
    except BadInput as exc:
        return {"id": item_id, "route": "error", "error": f"line {number}: {exc}"}
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return {"id": item_id, **reply.to_dict(), "latency_ms": latency_ms}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="MS Massage Guide: answers about massage and MS, quoted from vetted articles.",
    )
    parser.add_argument("--store", type=Path, help="index folder (default: .index/)")
    parser.add_argument("--chroma-url", help="a Chroma server holding the index, e.g. http://127.0.0.1:8000")
    commands = parser.add_subparsers(dest="command", required=True)
    p_ask = commands.add_parser("ask", help="answer one question, or JSONL with --jsonl")
    p_ask.add_argument("question", nargs="?", help="the question, in quotes")
    p_ask.add_argument("--jsonl", action="store_true", help="read JSON lines on stdin")
    commands.add_parser("chat", help="a conversation in the terminal")
    args = parser.parse_args(argv)

    if args.command == "ask" and not args.jsonl and not (args.question or "").strip():
        parser.error('type a question, for example: python -m bot ask "What is Swedish massage?"')
    overrides = {"store_dir": args.store, "chroma_url": args.chroma_url}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    try:
        bot = load_bot(settings, sys.stderr)
        if args.command == "chat":
            return chat(bot, sys.stdin, sys.stdout)
        if args.jsonl:
            return jsonl(bot, sys.stdin, sys.stdout)
        return ask(bot, args.question, sys.stdout)
    except GuideError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
