"""The pipeline: `Bot.answer(messages) -> Reply`.

    validate -> safety (every user turn) -> out-of-scope rules
             -> retrieve (hybrid) -> relevance floor -> question check (learned) -> compose

The safety layer runs first and on the whole conversation: when it finds a
red flag or a condition, its fixed reply is the answer and nothing is searched.

The model and the store are loaded once, when the Bot is made. Follow-ups
("what about sleep?") are searched alone and together with the previous user
question. Every route is decided here; the CLI and the app only display it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from bot import safety
from bot.answerable import Answerable
from bot.compose import Composer
from bot.config import Settings
from bot.deferral import Deferral
from bot.embeddings import ModelInfo, load_embeddings, model_id, sentence_model
from bot.errors import BadInput, GuideError, IndexMissing
from bot.lay_terms import expand, search_words
from bot.retrieve import Query, Retrieval, Retriever
from bot.safety import Verdict
from bot.safety.learned import LearnedKey, windows
from bot.safety.reader import ContextReader
from bot.scope import GENERAL_MS, OUT_OF_SCOPE_TEXT, rule_for
from bot.store import Store, current, open_store, rebuild_hint
from bot.text import words
from bot.types import Reply

# A short message that leans on the one before it.
FOLLOW_UP = re.compile(
    r"^\W*(?:(?:ok|okay|right|yes|yeah|hmm|thanks|sure)\b\W*)?"  # "ok but ...", "right, and ..."
    r"(?:(and|or|also|but|so|what about|how about|what of|same|the other|then)\b"
    # a question only the one before explains: "How?", "how does that work", "what training should they have?"
    r"|(how|why|how so|how come|in what way|like what|such as|for example|really)\W*$"
    r"|(how|why) (does|did|do|is|would|can|could|will) (it|that|this)( \w+){0,2}\W*$)"
    r"|\b(it|that|this|those|them|one|ones)\b\W*$"
    r"|\b(they|them|those)\b",
    re.I,
)
FOLLOW_UP_MAX_WORDS = 10
REMEMBERED = 4096  # sentence vectors kept, so an earlier turn is not embedded again

log = logging.getLogger("bot")


class Bot:
    def __init__(
        self,
        settings: Settings | None = None,
        embeddings: Embeddings | None = None,
        info: ModelInfo | None = None,
    ):
        """Open the index and load the model (or use the one given)."""
        self.settings = settings or Settings()
        if embeddings is None:
            embeddings, info = load_embeddings(self.settings)
        elif info is None:
            info = ModelInfo(model_id(self.settings), len(embeddings.embed_query("dimension")))
        self.embeddings, self.info = embeddings, info
        self.safety = safety.default()
        self.learned = LearnedKey.load(self.settings.learned_key, info.id, self.safety.rules)
        self.reader = ContextReader.load(self.settings.context_reader, info.id, sentence_model(embeddings))
        self.answerable = Answerable.load(self.settings.answerable, info.id)
        self._remembered: OrderedDict[str, list[float]] = OrderedDict()
        self._remembering = threading.Lock()
        self._reloading = threading.Lock()
        self._load(open_store(self.settings, embeddings, info))
        self.general = np.asarray(embeddings.embed_documents(list(GENERAL_MS)), dtype=np.float32)

    def _load(self, store: Store) -> None:
        """Read every chunk from the store and build what depends on them (BM25 too)."""
        if store.count() == 0:
            raise IndexMissing(f"The index at {store.where} is empty. {rebuild_hint(self.settings)}")
        retriever = Retriever(
            store, self.embeddings, candidates=self.settings.candidates, rrf_k=self.settings.rrf_k
        )
        self.composer = Composer(
            self.embeddings, max_quotes=self.settings.max_quotes, weight=retriever.weight
        )
        self.deferral = Deferral(self.safety.rules, retriever.chunks)
        self.retriever, self.store = retriever, store
        self._checked = time.monotonic()

    def refresh(self) -> bool:
        """Reload if ingest published a new generation since; asks the store at
        most every `index_check_seconds`. True when it reloaded. A new
        generation that cannot be opened is logged, and the one in use kept."""
        if time.monotonic() - self._checked < self.settings.index_check_seconds:
            return False
        if not self._reloading.acquire(blocking=False):
            return False  # another thread is looking
        try:
            self._checked = time.monotonic()
            if current(self.settings, self.store.db) == self.store.generation:
                return False
            self._load(open_store(self.settings, self.embeddings, self.info))
            return True
        except GuideError as exc:
            log.warning("Kept the index in use; the new one cannot be used: %s", exc)
            return False
        finally:
            self._reloading.release()

    def answer(self, messages: Sequence[dict]) -> Reply:
        asked = user_turns(messages)
        for n, turn in enumerate(asked, start=1):
            if len(turn) > self.settings.max_message_chars:
                raise BadInput(
                    f"Your message{f' {n}' if len(asked) > 1 else ''} is {len(turn):,} characters "
                    f"long; the guide reads at most {self.settings.max_message_chars:,}. "
                    "Please shorten it."
                )
        verdict, read = self.check(asked)
        if verdict.route:
            return self.deferral.reply(verdict)
        question, earlier, cut = self.turns(asked)
        reply = self._answer(question, earlier, read[-1][0])
        if cut:
            notice = (
                f"*Your message was long: only its first {self.settings.max_question_chars:,} "
                "characters were used to find this answer.*\n\n"
            )
            reply = Reply(reply.route, notice + reply.text, reply.citations)
        return reply

    def check(self, asked: Sequence[str]) -> tuple[Verdict, list[list[list[float]]]]:
        """The safety verdict on every user turn, and each turn's vectors as `read`
        gives them. The rules read each turn whole, the learned key its vectors."""
        question, earlier, _ = self.turns(asked)
        turns = [*earlier, question]
        read = self.read(turns)
        found = [self.learned.find_in_turn(v, len(turn.split())) for turn, v in zip(asked, read)]
        found = [self.still_found(turns[i:], ids) for i, ids in enumerate(found)]
        found[-1] = found[-1] + [i for i in self.red_flags_across(turns) if not any(i in ids for ids in found)]
        return self.safety.check(asked, found, self.reader.doubts), read

    def red_flags_across(self, turns: Sequence[str]) -> list[str]:
        """The red flags the learned key finds in the whole conversation (as
        safety.conversation joins it), counted as the last turn's: one said
        across turns, "can massage help a stiff neck?" then "also I'm burning
        up, 39.5", is in no turn alone. Only a conversation of two turns or
        more is embedded again."""
        if len(turns) < 2:
            return []
        return [i for i in self.found_across(turns) if i in self.learned.red_flags]

    def still_found(self, turns: Sequence[str], found: list[str]) -> list[str]:
        """The learned key's findings in `turns[0]`, less a condition it does not
        find again in the conversation from there on (safety.conversation), as
        the examples table holds one: "Is massage safe with cancer?" then
        "sorry, it's my mother-in-law who has it". Red flags all stand. Only a
        turn with a later one and a condition found is embedded again."""
        red = self.learned.red_flags
        if len(turns) < 2 or all(i in red for i in found):
            return found
        again = self.found_across(turns)
        return [i for i in found if i in red or i in again]

    def found_across(self, turns: Sequence[str]) -> list[str]:
        """What the learned key finds in the turns read as one conversation
        (safety.conversation); its vectors are remembered like a turn's."""
        said = safety.conversation(turns)
        return self.learned.find_in_turn(self.read([said])[0], len(said.split()))

    def _answer(self, question: str, earlier: list[str], vector: Sequence[float]) -> Reply:
        if rule_for(question):
            return out_of_scope()
        self.refresh()
        queries = self.queries(question, earlier, vector)
        follow_up = len(queries) > 1
        found = self.retriever.retrieve(queries, self.settings.top_k)
        if not self._relevant(question, found, follow_up):
            return out_of_scope()
        # the learned check, taught on single questions, reads a question that is no follow-up
        if not follow_up and self.answerable.refuses(found.vectors[0], found.hits[0].chunk.source):
            return out_of_scope()
        reply = self.composer.compose(  # the words it shares with a sentence, lay words added
            queries[0].text, found.vectors, found.hits, [q.weight for q in queries]
        )
        return reply if reply.citations else out_of_scope()

    def turns(self, asked: Sequence[str]) -> tuple[str, list[str], bool]:
        """The question and the earlier turns as they are searched, each cut to
        `max_question_chars`, and whether the question was cut."""
        limit = self.settings.max_question_chars
        question, cut = clip(asked[-1], limit)
        return question, [clip(turn, limit)[0] for turn in asked[:-1]], cut

    def read(self, turns: Sequence[str]) -> list[list[list[float]]]:
        """Each turn's sentence vectors, as searched (lay words added): the turn
        itself first, then the windows of a long one. Vectors of turns seen
        before are remembered, so a conversation embeds only its new message."""
        texts = [[expand(w) for w in windows(turn)] for turn in turns]
        known: dict[str, list[float]] = {}
        with self._remembering:
            for text in {t for ts in texts for t in ts} & self._remembered.keys():
                self._remembered.move_to_end(text)
                known[text] = self._remembered[text]
        missing = list(dict.fromkeys(t for ts in texts for t in ts if t not in known))
        if missing:
            known.update(zip(missing, self.embeddings.embed_documents(missing)))
            with self._remembering:
                for text in missing:
                    self._remembered[text] = known[text]
                while len(self._remembered) > REMEMBERED:
                    self._remembered.popitem(last=False)
        return [[known[t] for t in ts] for ts in texts]

    def forget(self) -> None:
        """Forget the remembered vectors (a benchmark times new messages with this)."""
        with self._remembering:
            self._remembered.clear()

    def queries(self, question: str, earlier: Sequence[str], vector: Sequence[float] | None = None) -> list[Query]:
        """What is searched for a question: itself, and with the one before it for
        a follow-up; each embedded as `expand` gives it (the question's vector is
        the safety key's), its words searched with more lay words (`search_words`)."""
        queries = [Query(search_words(question), vector=vector, embed=expand(question))]
        if earlier and is_follow_up(question):
            both = f"{earlier[-1]} {question}"
            queries.append(Query(search_words(both), weight=0.5, embed=expand(both)))
        return queries

    def _relevant(self, question: str, found: Retrieval, follow_up: bool) -> bool:
        """Is anything in the corpus close enough to the question to answer it?

        The question must come within `relevance_floor` of some passage, and
        nearer to that passage than to MS in general. A follow-up is judged
        with the question before it when it says nothing of its own ("How?"),
        or when its own words are words the articles use and it is nearer a
        passage than MS in general ("what about sleep?").
        """
        best = found.best_similarity
        general = float((self.general @ np.asarray(found.vectors[0], dtype=np.float32)).max())
        if best >= self.settings.relevance_floor and best >= general:
            return True
        if not follow_up:
            return False
        best = max((h.similarity for h in found.hits), default=-1.0)
        said = words(question)  # "How?" says nothing of its own: the question before decides
        if said and (found.best_similarity < general or not any(map(self.retriever.knows, said))):
            return False  # "what about the weather?", "what causes it and is it hereditary?"
        return best >= self.settings.relevance_floor


def out_of_scope() -> Reply:
    return Reply("out_of_scope", OUT_OF_SCOPE_TEXT, [])


def is_follow_up(question: str) -> bool:
    return len(question.split()) <= FOLLOW_UP_MAX_WORDS and bool(FOLLOW_UP.search(question))


def user_turns(messages: Sequence[dict]) -> list[str]:
    """The user's messages in order; BadInput says what is wrong with the rest."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise BadInput("`messages` must be a list of {role, content} objects.")
    if not messages:
        raise BadInput("The conversation is empty: send at least one user message.")
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise BadInput(f"Message {i + 1} is not an object with `role` and `content`.")
        if m.get("role") not in ("user", "assistant"):
            raise BadInput(f"Message {i + 1} has role {m.get('role')!r}; use 'user' or 'assistant'.")
        if not isinstance(m.get("content"), str):
            raise BadInput(f"Message {i + 1} has no text `content`.")
    if messages[-1]["role"] != "user":
        raise BadInput("The last message must be the user's question.")
    if not messages[-1]["content"].strip():
        raise BadInput("The question is empty. Please type a question about massage and MS.")
    return [m["content"] for m in messages if m["role"] == "user"]


def clip(text: str, limit: int) -> tuple[str, bool]:
    """The question cut to `limit` characters, and whether it was cut."""
    text = text.strip()
    return (text[:limit], True) if len(text) > limit else (text, False)


_default: Bot | None = None
_lock = threading.Lock()


def answer(messages: Sequence[dict]) -> Reply:
    """Answer with a Bot made once per process from the default settings."""
    global _default
    with _lock:
        if _default is None:
            _default = Bot()
    return _default.answer(messages)
