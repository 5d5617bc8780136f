"""The guide's errors. Each message says what is wrong and how to fix it.

They are raised inside the pipeline and turned into friendly text only at
the edges (the CLI, the JSONL interface, the app).
"""


class GuideError(Exception):
    """Base class: anything a user or an operator can cause."""


class BadInput(GuideError):
    """The conversation handed to `answer` is not one we can answer."""


class IndexMissing(GuideError):
    """There is no index yet, or it is empty."""


class IndexMismatch(GuideError):
    """The index was built with another embedding model or dimension."""


class ModelUnavailable(GuideError):
    """The embedding model cannot be loaded from local files."""


class CorpusEmpty(GuideError):
    """No article could be read, so the index is left as it was."""


class StoreUnavailable(GuideError):
    """The Chroma server cannot be reached, or its address is not one."""


class IndexDamaged(GuideError):
    """The index exists but cannot be read: `python -m ingest --rebuild` makes it anew."""


class IngestBusy(GuideError):
    """Another ingest is writing the same index."""


class LearnedKeyMissing(GuideError):
    """The safety layer's learned key is not built, or was built from another table or model."""


class AnswerableMissing(GuideError):
    """The answerability model is not built, or was built from another table or model."""
