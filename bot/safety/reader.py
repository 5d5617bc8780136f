"""The context reader: is a condition (or red flag) the rules found really the massaged person's, now?

    reader = ContextReader.load(path, model_id, encoder)  # LearnedKeyMissing if not built, or stale
    reader.doubts([("arthritis", "Our old labrador has arthritis. Can massage help my MS legs?")])
    -> [0.99...]  # how likely the words are NOT a finding: a pet's, an idiom, a job, the long past

A cross-encoder over (the words the rules matched, the message): the
embedding model's first four layers, frozen and shared with the guide, then
copies of its last two and a small head fine-tuned on the examples table
(`python -m bot.safety.train` builds it beside the learned key). Reading the
two together, attention can relate "arthritis" to "our old labrador" where
the sentence vector of the whole message blurs them.

The rules key asks it only about the findings its context cues left
standing (match.py); a finding is cleared when the doubt reaches the table's
`learned: clear` (rules.yaml), set high so that a present condition is kept.
It reads a medical red flag the rules found too, in its own turn only, and
clears it only at the higher `learned: clear_red_flag` ("the doppler was
clear, no clot"); never thoughts of suicide or self-harm. Red-flag pairs
count towards MAX_PAIRS too (past it, nothing is cleared: the safe side).
The file records the digests of the table and the rules it was built from
(the rules choose the words it is taught): a reader of other ones is
refused.

It reads the message (or each window of a long one) and each other sentence
that holds the words (`readings`). The message decides, since only it says
whom the words are about; a sentence that on its own reads them as more
likely real than not keeps them whatever the message (`judged`). A finding
whose readings hold fewer than two words beside it (filler, function words,
numbers and stray letters are none) is kept unread (`says_nothing`). A
finding of an earlier turn is read again in the turns from there on, joined
(match.conversation), as the table holds a conversation. Leaves out: a long
message no window of which holds the words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import LearnedKeyMissing
from bot.safety.learned import BUILD_HINT, EXAMPLES_FILE, SENTENCE, WINDOW_WORDS, filler, refuse_stale, windows
from bot.safety.match import Said, conversation, plain, tokens
from bot.safety.rules import RULES_FILE

FORMAT = 2  # the file's layout; a reader of another layout is rebuilt
MAX_TOKENS = 96  # word pieces read of one pair (the words and one reading of at most WINDOW_WORDS words)
MAX_PAIRS = 64  # (words, reading) pairs read of one message at the most; past it none is doubted
TUNED = 2  # the encoder's last layers, fine-tuned; those below stay frozen (5-fold figures, crossval.py)
READ_WORDS = 2  # a finding is read only beside at least this many other words (says_nothing)
VETO = 0.5  # a sentence that doubts a finding less than this keeps it, whatever the message (judged)
HEAD = "head."  # prefix of the head's arrays in the file; the layers' are "layer.<n>.<name>"


def readings(text: str, words: str) -> tuple[list[str], list[str]]:
    """What is read of `text` for a finding of `words`: (the message, or for a
    long one each window of it, learned.windows, that holds the words; each
    other sentence of at most WINDOW_WORDS words that holds every one of the
    words). The message decides (`judged`), since only it says whom the words
    are about ("My dad broke his hip last month. Would massage help?"); a
    sentence may only keep what the message would clear, so that the tone of
    the others cannot clear it ("My mum's hip healed years ago. I'm
    pregnant."). A message nothing of which can be read whole has no reading,
    and its finding is kept.

    >>> readings("Our dog is old, she has arthritis. I'm pregnant, is massage ok?", "pregnant")
    (["Our dog is old, she has arthritis. I'm pregnant, is massage ok?"], ["I'm pregnant, is massage ok?"])
    """
    wanted = set(tokens(words))
    text = plain(text)  # read as the rules read it: "ｐｒｅｇｎａｎｔ" is "pregnant"
    whole = list(dict.fromkeys(p.strip() for p in windows(text)[1:] if wanted <= set(tokens(p))))
    if not whole and len(text.split()) <= WINDOW_WORDS:  # a long one is read in its windows only
        whole = [text.strip()]
    return whole, [p for p in dict.fromkeys(sentences_of(text, words)) if p not in whole]


def sentences_of(text: str, words: str) -> list[str]:
    """Each sentence of `text` that holds every one of the words and is short
    enough to read whole (a longer one is read in the windows of the message)."""
    wanted = set(tokens(words))
    return [p.strip() for p in SENTENCE.split(plain(text))
            if p.strip() and len(p.split()) <= WINDOW_WORDS and wanted <= set(tokens(p))]


def to_read(words: str, text: Said) -> tuple[list[str], list[str]] | None:
    """The readings of a finding that decide its doubt (readings, judged),
    or None for one kept without reading it (unread). `text` is a message,
    or the turns of a conversation from the finding's on: those are read
    whole, joined as the table holds a conversation, and only the later
    turns' sentences may keep the finding on their own (the finding's turn
    is read apart besides, match.Safety._read), so that a later turn can
    say what the first meant: "I think I might be pregnant" then "update:
    two tests, definitely not"."""
    whole, sentences = readings(conversation(text) if isinstance(text, tuple) else text, words)
    if unread(whole, sentences, words):
        return None
    if isinstance(text, tuple):
        later = set(sentences_of(conversation(text[1:]), words))
        sentences = [part for part in sentences if part in later]
    return whole, sentences


def around(text: str, words: str) -> list[str]:
    """Every reading of `text` for `words` (readings): the pairs the reader is
    taught and asked.

    >>> around("Our dog is old, she has arthritis. I'm pregnant, is massage ok?", "pregnant")
    ["Our dog is old, she has arthritis. I'm pregnant, is massage ok?", "I'm pregnant, is massage ok?"]
    """
    whole, sentences = readings(text, words)
    return whole + sentences


def finding_doubt(words: str, text: Said, doubt: Callable[[str, str], float]) -> float:
    """How likely `words` are not a finding in `text` (a message, or a
    conversation's turns: to_read), from `doubt(words, reading)` of each of
    its readings (judged); none for a finding whose readings say nothing
    beside it (says_nothing), which is kept unread, or that has a sentence of
    its own (bare): the words said on their own are said of oneself."""
    read = to_read(words, text)
    if read is None:
        return 0.0
    whole, sentences = read
    return judged([doubt(words, part) for part in whole], [doubt(words, part) for part in sentences])


def unread(whole: Sequence[str], sentences: Sequence[str], words: str) -> bool:
    """Whether a finding with these readings is kept without reading it (finding_doubt)."""
    return says_nothing([*whole, *sentences], words) or any(bare(part, words) for part in sentences)


def judged(whole: Sequence[float], sentences: Sequence[float]) -> float:
    """A finding's doubt from its readings' doubts (readings): the least of the
    whole message's (or of its windows'), but none when a sentence on its own
    reads the words as more likely real than not (a doubt under VETO). A
    finding with no reading of the whole is judged by its sentences alone.

    >>> judged([0.99], [0.7]), judged([0.99], [0.3]), judged([0.99, 0.5], [])
    (0.99, 0.0, 0.5)
    """
    if not whole:
        return min(sentences, default=0.0)
    return 0.0 if any(d < VETO for d in sentences) else min(whole)


# Words that say nothing of whose a condition is, or whether it is one: "I have low blood
# pressure" has nothing beside the finding for the reader to doubt it by. (A short list
# of English function words; scikit-learn's is not imported at run time.)
FUNCTION_WORDS = frozenset("""
me my mine myself you your yours he him his she her hers it its we us our ours they them their
im ive id ill a an the and or but so of to in on at for with by from about as into over
is am are was were be been being have has had having do does did done can could will would
should may might must shall get got gets not no never just also too very really still again
now then this that these those what which who how why when where if there here some any all
one oh ok okay yes well please thanks dont cant wont isnt
""".split())
DENIALS = frozenset("no not never dont cant wont isnt".split())  # function words that may take a finding back


def said(part: str, words: str) -> list[str]:
    """The words of `part` besides `words` that could say something of them:
    numbers, one letter (however often) and other scripts are left out."""
    named = set(tokens(words))
    return [w for w in tokens(part) if w.isascii() and w.isalpha() and len(set(w)) > 1 and w not in named]


def says_nothing(parts: Sequence[str], words: str) -> bool:
    """Whether no reading of a finding has enough to doubt the words by: each
    holds fewer than READ_WORDS different words besides the finding's and function
    words (said), or at most three words over and over (filler such as "blah blah
    blah", which the reader has never been taught to read). Such a finding is kept
    unread: a word or two beside it ("no air lol", "ms episode xy") is too little to
    take it back by, and the table has no message that short which is not the
    person's own.

    >>> says_nothing(["Osteoporosis!"], "osteoporosis"), says_nothing(["x x x x x x osteoporosis"], "osteoporosis")
    (True, True)
    >>> says_nothing(["no air lol"], "no air"), says_nothing(["My old dog has arthritis"], "arthritis")
    (True, False)
    """
    def nothing(part: str) -> bool:
        words_said = said(part, words)
        return filler(words_said) or len({w for w in words_said if w not in FUNCTION_WORDS}) < READ_WORDS

    return all(nothing(part) for part in parts)


def bare(sentence: str, words: str) -> bool:
    """Whether a sentence holds the words and nothing else but function words
    (other than a denial) or filler: "Osteoporosis.", "I have osteoporosis!!",
    "no air" on a line of its own. Such a sentence keeps its finding whatever the
    rest of the message (finding_doubt): nothing in it says the words are not
    meant, and the rest is more often another question than a reason to doubt
    them. In the 5-fold figures it kept one more false deferral of 6,167.

    >>> bare("I have osteoporosis!!", "osteoporosis"), bare("Not pregnant.", "pregnant"), bare("My cat's arthritis", "arthritis")
    (True, False, False)
    """
    words_said = said(sentence, words)
    return filler(words_said) or all(w in FUNCTION_WORDS and w not in DENIALS for w in words_said)


def pool(hidden, mask, first):
    """The head's input: the [CLS] vector, the mean over the matched words
    (the first segment) and the mean over the whole pair."""
    import torch

    def mean(m):
        return (hidden * m[..., None]).sum(1) / m.sum(1, keepdim=True).clamp(min=1)

    return torch.cat([hidden[:, 0], mean(first), mean(mask)], 1)


def masks(batch):
    """(attention mask as floats, the first segment's words without [CLS], additive mask)."""
    import torch

    mask = batch["attention_mask"].float()
    first = ((batch["token_type_ids"] == 0) & (batch["attention_mask"] == 1)).float()
    first[:, 0] = 0
    additive = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
    return mask, first, additive


@dataclass
class ContextReader:
    encoder: object  # the guide's sentence-transformers model (its first module is the transformer)
    layers: object  # the fine-tuned copies of the last TUNED layers (torch.nn.ModuleList)
    head: object  # torch.nn.Linear(3 * dimension, 1): its output is the logit of "a real finding"

    @classmethod
    def load(cls, path: Path, model_id: str, encoder, examples: Path = EXAMPLES_FILE,
             rules: Path = RULES_FILE) -> ContextReader:
        """The reader in `path`, if it was built from `examples` and `rules` for `model_id`."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                meta = {k: str(saved[k]) for k in ("model", "table", "format")}
                meta.update({k: str(saved[k]) for k in ("rules",) if k in saved.files})
                arrays = {k: saved[k] for k in saved.files if k not in meta}
        except FileNotFoundError:
            raise LearnedKeyMissing(f"The safety layer's context reader {path} is not built yet. {BUILD_HINT}.") from None
        except (OSError, ValueError, KeyError) as exc:
            raise LearnedKeyMissing(f"The context reader {path} cannot be read ({exc}). {BUILD_HINT}.") from exc
        refuse_stale("The context reader", path, meta, model_id, examples, FORMAT, rules)
        try:
            return cls.from_arrays(encoder, arrays)
        except (RuntimeError, KeyError) as exc:
            raise LearnedKeyMissing(f"The context reader {path} does not fit the model ({exc}). {BUILD_HINT}.") from exc

    @classmethod
    def from_arrays(cls, encoder, arrays: dict[str, np.ndarray]) -> ContextReader:
        import torch

        layers = tuned_copy(encoder).eval()
        layers.load_state_dict({k[len("layer."):]: torch.from_numpy(v) for k, v in arrays.items() if k.startswith("layer.")})
        weight = arrays[HEAD + "weight"]
        head = torch.nn.Linear(weight.shape[1], 1)
        head.load_state_dict({"weight": torch.from_numpy(weight), "bias": torch.from_numpy(arrays[HEAD + "bias"])})
        return cls(encoder, layers, head.eval())

    def arrays(self) -> dict[str, np.ndarray]:
        """The weights to save: the tuned layers' and the head's."""
        out = {f"layer.{k}": v.detach().numpy() for k, v in self.layers.state_dict().items()}
        out.update({HEAD + k: v.detach().numpy() for k, v in self.head.state_dict().items()})
        return out

    def doubts(self, pairs: Sequence[tuple[str, Said]]) -> list[float]:
        """For each (words, message or a conversation's turns): how likely the
        words are not a finding there, judged from its readings' doubts
        (to_read, judged)."""
        if not pairs:
            return []
        asked: list[tuple[str, str]] = []
        for w, m in dict.fromkeys(pairs):
            if (parts := to_read(w, m)) is not None:
                asked += [(w, part) for part in parts[0] + parts[1]]
        read = list(dict.fromkeys(asked))
        if len(read) > MAX_PAIRS:  # a flood of findings: no doubt, every one is kept
            return [0.0] * len(pairs)
        doubt = dict(zip(read, self._doubts(read))) if read else {}
        return [finding_doubt(w, m, lambda w, part: doubt[(w, part)]) for w, m in pairs]

    def _doubts(self, pairs: list[tuple[str, str]]) -> list[float]:
        import torch

        with torch.no_grad():
            hidden, batch = lower(self.encoder, pairs)
            mask, first, additive = masks(batch)
            out = run(self.layers, hidden, additive)
            real = torch.sigmoid(self.head(pool(out, mask, first)).squeeze(1))
        return [float(1 - p) for p in real]


def transformer(encoder):
    """The Hugging Face model inside a sentence-transformers model."""
    return encoder[0].auto_model


def tuned_copy(encoder):
    """A copy of the encoder's last TUNED layers, to be fine-tuned (or loaded)."""
    import copy

    import torch

    return torch.nn.ModuleList(copy.deepcopy(list(transformer(encoder).encoder.layer[-TUNED:])))


def run(layers, hidden, additive):
    """`hidden` passed through `layers` under the additive attention mask."""
    for layer in layers:
        out = layer(hidden, attention_mask=additive)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def lower(encoder, pairs: Sequence[tuple[str, str]]):
    """The frozen layers' output for each (words, message) pair, and the
    tokenised batch: only the layers below the last TUNED are run."""
    import torch

    batch = encoder[0].tokenizer(
        [w for w, _ in pairs], [t for _, t in pairs], padding=True, truncation="only_second",
        max_length=MAX_TOKENS, return_tensors="pt",
    )
    model = transformer(encoder)
    additive = masks(batch)[2]
    with torch.no_grad():
        hidden = model.embeddings(input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"])
        hidden = run(model.encoder.layer[:-TUNED], hidden, additive)
    return hidden, batch
