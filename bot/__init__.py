"""MS Massage Guide: answers about massage and MS, quoted from vetted articles.

    from bot import answer
    reply = answer([{"role": "user", "content": "Can massage help with MS fatigue?"}])

Importing this package switches every model hub and telemetry client to
offline before any of them is imported: nothing is fetched at run time.
"""

import os

# Forced, not defaulted: no setting may turn a download or a phone-home back on.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "LANGSMITH_TRACING": "false",
    "LANGCHAIN_TRACING_V2": "false",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ[_name] = _value

__all__ = ["Bot", "Citation", "Reply", "answer"]


def __getattr__(name: str):
    """`Bot`, `answer`, `Citation` and `Reply`, imported when first asked for,
    so that importing a part (bot.safety) loads neither Chroma nor torch."""
    if name in ("Bot", "answer"):
        from bot import chat

        return getattr(chat, name)
    if name in ("Citation", "Reply"):
        from bot import types

        return getattr(types, name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
