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

from bot.chat import Bot, answer  # noqa: E402
from bot.types import Citation, Reply  # noqa: E402

__all__ = ["Bot", "Citation", "Reply", "answer"]
