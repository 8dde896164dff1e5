"""Message normalisation: Unicode, emoji, slang, stems, quantities and typo repair into tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knowledge.schema import Lexicon

MAX_CHARS = 6000  # longer messages are read up to here (chat platforms cap near 4096)
_CACHE_LIMIT = 50_000

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\ufeff\u00ad"))
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "`": "'", "´": "'", "′": "'",
                         "“": '"', "”": '"', "„": '"', "″": '"'})
_HARD_STOPS = frozenset(".!?\n")
_SOFT_STOPS = frozenset(",;:()[]{}+&/|\"=<>*~^-\u2013\u2014\u2026")
_KEEP_PUNCT = _HARD_STOPS | _SOFT_STOPS | {"'", "#", "%", "°", "$"}

_RE_WITH = re.compile(r"\bw/o\b|\bw/(?=\s|\w)|\bb/c\b|\ba\s?&\s?e\b")
_RE_HYPHEN = re.compile(r"(?<=[^\W\d_])[-_](?=[^\W\d_])")
_RE_DIGIT_ALPHA = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_RE_TOKEN = re.compile(
    r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,]\d+)?|[.!?\n,;:()\[\]{}+&/|\"=<>*~^\-\u2013\u2014\u2026]")
_RE_24_7 = re.compile(r"\b24\s*/\s*7\b")
_RE_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
# a tag question makes a statement a question: "standard gym stuff or nah"
# A question without "?": a tag ("..., is it", "after gym right", "or nah") or a plea at the end
RARE_CUTOFF = 90.0  # a typo of a word used in one phrase only: one edit in ten letters
_RE_TAG_QUESTION = re.compile(
    r"(?:\bor (?:nah|nope|not|no|what|nah bro)"
    r"|,\s*(?:is it|isn'?t it|innit|right|yeah|yes|no|eh|ya|correct|true|ok)"
    r"|(?<!\bthe )(?<!\bmy )\bright"
    r"|\b(?:standard|normal|fine|common|ok|okay|regular) yeah"
    r"|\bor (?:only|just) (?:to )?me"
    r"|\b(?:pls|plz|please|pleaseee*)"
    r")\W*$")
_RE_PHRASE_TOKEN = re.compile(r"#\w+|" + _RE_TOKEN.pattern)
_RE_PLAIN_PHRASE = re.compile(r"[a-z]+(?:'[a-z]+)*(?: [a-z]+(?:'[a-z]+)*)*")

_NUMBER_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0,
    "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "twelve": 12.0,
    "couple": 2.0, "few": 3.0, "several": 3.0, "many": 4.0, "half": 0.5,
}

# numbers written out, before any unit: "slept four hours", "twenty burpees" ("a", "few" and
# the like count only before a span of weeks, months or years: "a few months")
_CARDINALS = {w: v for w, v in _NUMBER_WORDS.items() if w not in (
    "a", "an", "couple", "few", "several", "many", "half")} | {
    "eleven": 11.0, "fifteen": 15.0, "twenty": 20.0, "thirty": 30.0, "forty": 40.0,
    "fifty": 50.0, "sixty": 60.0, "hundred": 100.0}

# words between a number and its unit that do not change what is counted
_COUNT_MODIFIERS = frozenset({"working", "full", "solid", "total", "straight", "whole", "extra",
                              "more", "long"})
_PLURAL_SPANS = frozenset({"weeks", "months", "years"})
_SUFFIXES_S = ("ss", "us", "is", "ous")
_CONSONANT_DOUBLES = frozenset("bdgkmnprt")


def stem(word: str) -> str:
    """A small, deterministic suffix stripper; both phrases and messages go through it."""
    if len(word) <= 3 or not word.isalpha():
        return word
    w = word
    if w.endswith("ness") and len(w) > 6:
        w = w[:-4]
    elif w.endswith("ation") and len(w) > 7:
        w = w[:-5] + "at"
    elif w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) >= 6:
        w = _undouble(w[:-3])
    elif w.endswith("ed") and len(w) >= 5 and not w.endswith("eed"):
        w = _undouble(w[:-2])
    elif w.endswith(("ches", "shes", "sses", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(_SUFFIXES_S):
        w = w[:-1]
    if w.endswith("ly") and len(w) >= 6:
        w = w[:-2]
    elif w.endswith("y") and len(w) >= 6:
        w = w[:-1]
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    return w


def _british(word: str) -> str:
    return word.replace("our", "or").replace("ise", "ize")


def _related(word: str, other: str) -> bool:
    """One word family: the shorter is (nearly) the start of the longer ("painfully",
    "painful"; "worrier", "worried"), British or American spelling alike."""
    a, b = sorted((_british(word), _british(other)), key=len)
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                  len(a))
    return shared >= 4 and shared >= len(a) - 2


def _undouble(w: str) -> str:
    if len(w) >= 3 and w[-1] == w[-2] and w[-1] in _CONSONANT_DOUBLES:
        return w[:-1]
    return w


@dataclass(slots=True)
class Tokens:
    """A normalised message: parallel lists, one entry per word."""

    text: str = ""
    canon: list[str] = field(default_factory=list)      # stem used for matching
    words: list[str] = field(default_factory=list)      # the plain word (slang, typos undone)
    surface: list[str] = field(default_factory=list)    # the message's own word (evidence)
    sim: list[float] = field(default_factory=list)      # 1.0, or the typo repair's similarity
    seg: list[int] = field(default_factory=list)        # punctuation segment
    scope: list[int] = field(default_factory=list)      # negation scope (segments + but/and...)
    sent: list[int] = field(default_factory=list)       # sentence
    value: list[float | None] = field(default_factory=list)  # quantities: the number
    question_mark: bool = False

    def __len__(self) -> int:
        return len(self.canon)


class Normalizer:
    """Turns raw text into `Tokens`, using the lexicon and the knowledge base's vocabulary."""

    def __init__(self, lexicon: Lexicon, vocabulary: set[str],
                 rare: set[str] = frozenset(), *, dictionary: frozenset[str] = frozenset()
                 ) -> None:
        self.slang = {k.casefold(): v.casefold().split() for k, v in lexicon.slang.items()}
        self.lemmas = {k.casefold(): v.casefold() for k, v in lexicon.lemmas.items()}
        self.emoji = {k: f" {v} " for k, v in lexicon.emoji.items()}
        self.keep = {w.casefold() for w in lexicon.keep}
        # a real word is no typo of ours ("chasing" is no "cheating"), but may be a relative
        # of one ("worrier" of "worried", "painfully" of "painful", "coloured" of "colored")
        self.dictionary = dictionary
        self.stopwords = {w.casefold() for w in lexicon.stopwords}
        self.boundaries = {w.casefold() for w in lexicon.contrasts} | {
            w.casefold() for w in lexicon.boundaries}
        self.units = {k.casefold(): v for k, v in lexicon.units.items()}
        self.long_amounts = dict(lexicon.long_amounts)
        self._char_cache: dict[str, str] = {}
        self._canon_cache: dict[str, str] = {}
        self._expand_cache: dict[str, list[str]] = {}
        self._word_cache: dict[str, tuple[str, float, str]] = {}
        self._phrase_cache: dict[str, list[str]] = {}
        words = {w for w in vocabulary if w.isalpha() and len(w) >= 4 and w not in self.stopwords}
        self.vocab_words: list[str] = sorted(words)
        # Repair candidates by length: a ratio above the cut-offs below is out of reach for a
        # word more than a few letters longer or shorter, so only those are scored.
        by_length: dict[int, list[str]] = {}
        for w in self.vocab_words:
            by_length.setdefault(len(w), []).append(w)
        self._near_length: dict[int, list[str]] = {}
        for n in range(1, max((len(w) for w in words), default=0) + 8):
            reach = 2 if n <= 7 else 5  # in alphabetical order, as ties are broken by it
            self._near_length[n] = sorted(w for m in range(n - reach, n + reach + 1)
                                          for w in by_length.get(m, ()))
        self._by_first: dict[tuple[int, str], list[str]] = {}
        for n, near in self._near_length.items():
            for w in near:
                self._by_first.setdefault((n, w[0]), []).append(w)
        self._first_errors: dict[tuple[str, str], list[str]] = {}
        for w in self.vocab_words:  # "ehydrated" (dropped), "ddehydrated" (added), "rehydr.."
            for key in (("drop", w[1]), ("add", w[0]), ("sub", w[1:3])):
                self._first_errors.setdefault(key, []).append(w)
        self._by_prefix: dict[str, list[str]] = {}
        for w in self.vocab_words:
            self._by_prefix.setdefault(w[:4], []).append(w)
        self.rare = rare  # words of one phrase only: a typo of them must be a close one
        self.vocab_stems: set[str] = {self.canon_of(w) for w in vocabulary} | {
            self.canon_of(w) for w in self.stopwords}
        self.joined: dict[str, list[str]] = {}

    # -- text level -------------------------------------------------------------------------

    def clean(self, text: object) -> str:
        """Unicode-normalised, case-folded text with emoji mapped and symbols dropped."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        text = text[:MAX_CHARS]
        try:
            text = unicodedata.normalize("NFKC", text)
        except (TypeError, ValueError):  # pragma: no cover - defensive
            text = text.encode("utf-8", "replace").decode("utf-8")
        text = text.translate(_ZERO_WIDTH).translate(_QUOTES).casefold()
        if not text.isascii():
            text = "".join(self._char(ch) for ch in text)
        text = _RE_WITH.sub(_with, text)
        text = _RE_HYPHEN.sub(" ", _RE_24_7.sub(" 24 7 ", text))
        return _RE_DIGIT_ALPHA.sub(" ", text)

    def _char(self, ch: str) -> str:
        out = self._char_cache.get(ch)
        if out is None:
            if ch in self.emoji:
                out = self.emoji[ch]
            else:
                cat = unicodedata.category(ch)
                if cat[0] == "L":  # "pipí", "café", "évanoui": the letter without its accent
                    bare = "".join(c for c in unicodedata.normalize("NFKD", ch)
                                   if not unicodedata.combining(c))
                    out = bare if bare.isascii() and bare else ch
                elif cat[0] == "N" or ch in _KEEP_PUNCT or ch.isspace():
                    out = "\n" if ch in "\u2028\u2029\x85" else (" " if ch.isspace() else ch)
                else:
                    out = " "
            if len(self._char_cache) < _CACHE_LIMIT:
                self._char_cache[ch] = out
        return out

    # -- word level -------------------------------------------------------------------------

    def canon_of(self, word: str) -> str:
        """Lemma, then stem (no typo repair): the matching form of a known word."""
        out = self._canon_cache.get(word)
        if out is None:
            out = stem(self.lemmas.get(word, word))
            if len(self._canon_cache) < _CACHE_LIMIT:
                self._canon_cache[word] = out
        return out

    def expand(self, word: str) -> list[str]:
        """Slang, contractions and repeated letters: one message word into plain words."""
        out = self._expand_cache.get(word)
        if out is None:
            out = self._expand(word)
            if len(self._expand_cache) < _CACHE_LIMIT:
                self._expand_cache[word] = out
        return out

    def _expand(self, word: str) -> list[str]:
        if _RE_REPEAT.search(word):
            two = _RE_REPEAT.sub(r"\1\1", word)
            one = _RE_REPEAT.sub(r"\1", word)
            word = one if (one in self.slang or self.canon_of(one) in self.vocab_stems) else two
        if word in self.slang:
            return self.slang[word]
        if "'" in word:
            base, _, tail = word.partition("'")
            if tail == "t" and base.endswith("n"):
                return [*self._expand(base[:-1] if base[:-1] not in ("ca", "wo") else (
                    "can" if base[:-1] == "ca" else "will")), "not"]
            extra = {"s": "is", "m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would"}
            if tail in extra:
                return [*self.expand(base), extra[tail]]
            return self.expand(base + tail)
        return [word]

    def repair(self, word: str) -> tuple[str, float, str]:
        """Matching form, similarity and plain word; typos are repaired against the vocabulary."""
        hit = self._word_cache.get(word)
        if hit is not None:
            return hit
        canon = self.canon_of(word)
        result = (canon, 1.0, word)
        if (canon not in self.vocab_stems and word not in self.keep and len(word) >= 5
                and word.isalpha()):
            cutoff = 86.0 if len(word) <= 5 else (80.0 if len(word) <= 7 else 77.0)
            real = word in self.dictionary
            if real:
                best = process.extractOne(word, self._by_prefix.get(_british(word)[:4], []),
                                          scorer=fuzz.ratio, score_cutoff=cutoff)
                if best is not None and not _related(word, best[0]):
                    best = None
            else:
                best = self._typo_of(word, cutoff)
            # a typo is an edit or two, not a different short word: "agrees" is no "ages",
            # "behind" no "bend"
            if best is not None and best[0] in self.rare and best[1] < RARE_CUTOFF:
                best = None  # "addition" is no typo of "audition", a word used once
            if best is not None and (best[0][0] == word[0] or best[1] >= 90.0) and (
                    len(word) > 7 or abs(len(best[0]) - len(word)) <= 1):
                result = (self.canon_of(best[0]), round(best[1] / 100.0, 3), best[0])
        if len(self._word_cache) >= _CACHE_LIMIT:
            self._word_cache.clear()
        self._word_cache[word] = result
        return result

    def _typo_of(self, word: str, cutoff: float) -> tuple[str, float, int] | None:
        """The vocabulary word this is a typo of: one with the same first letter, or (at a
        ratio of 90 or more) one whose first letter was dropped, doubled or mistyped. Only
        those can be taken, so only those are scored: a tenth of the vocabulary."""
        n = len(word)
        best = process.extractOne(word, self._by_first.get((n, word[0]), ()),
                                  scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is not None:
            return best
        near = {w for key in (("drop", word[0]), ("add", word[1]), ("sub", word[1:3]))
                for w in self._first_errors.get(key, ()) if abs(len(w) - n) <= 2}
        return process.extractOne(word, sorted(near), scorer=fuzz.ratio, score_cutoff=90.0)

    # -- message level ----------------------------------------------------------------------

    def tokens(self, text: object, *, knowledge: bool = False) -> Tokens:
        """The full pipeline for one message (`knowledge`: a phrase of ours, kept verbatim)."""
        cleaned = self.clean(text)
        asks = "?" in cleaned or (not knowledge and _RE_TAG_QUESTION.search(cleaned) is not None)
        b = _Builder(Tokens(text=cleaned, question_mark=asks))
        raw = (_RE_PHRASE_TOKEN if knowledge else _RE_TOKEN).findall(cleaned)
        for i, piece in enumerate(raw):
            if not piece:
                continue
            ch = piece[0]
            if ch == "#":
                b.add(piece, piece, piece)
            elif not (ch.isalpha() or ch.isdigit()):
                b.stop(hard=piece in _HARD_STOPS)
            elif ch.isdigit():
                nxt = raw[i + 1] if i + 1 < len(raw) else ""
                if nxt in _COUNT_MODIFIERS and i + 2 < len(raw) and raw[i + 2] in self.units:
                    raw[i + 1], nxt = "", raw[i + 2]  # "25 working sets": the sets counted
                if nxt in self.units or (nxt and self.expand(nxt)[0] in self.units):
                    b.pending = (_number(piece), piece)  # a number waiting for its unit
                else:
                    b.add(piece, piece, piece, value=_number(piece))
            else:
                unit_next = b.pending is not None and piece in self.units
                # "its own heartbeat" is possessive, not "it is" ("its fine")
                plain = unit_next or (piece == "its" and i + 1 < len(raw) and raw[i + 1] == "own")
                for word in [piece] if plain else self.expand(piece):
                    self._word(b, word, piece, knowledge)
        return b.out

    def _word(self, b: _Builder, word: str, piece: str, knowledge: bool) -> None:
        """One plain word into the builder: quantities, scope boundaries, typo repair."""
        unit = self.units.get(word)
        if unit is not None and b.pending is not None:
            number, digits = b.pending
            b.pending = None
            tag = self._quantity(unit, number)
            b.add(tag, tag, f"{digits} {piece}", value=number)
            return
        out = b.out
        numbers = _NUMBER_WORDS if unit in _PLURAL_SPANS else _CARDINALS
        if unit is not None and out.canon and out.surface[-1] in numbers and \
                out.scope[-1] == b.scope:  # "a few months", "two weeks", "four hours"
            number = numbers[out.surface[-1]]
            before = b.pop()
            tag = self._quantity(unit, number)  # type: ignore[arg-type]
            b.add(tag, tag, f"{before} {piece}", value=number)
            return
        if unit in _PLURAL_SPANS and word.endswith("s"):  # bare "weeks", "months": a long time
            b.add(f"#long{unit}", f"#long{unit}", piece)
            return
        b.pending = None
        if word in self.boundaries:
            b.scope += 1
        canon, sim, plain = (self.canon_of(word), 1.0, word) if knowledge else self.repair(word)
        if plain != word and plain in self.slang:  # "havnt" -> "havent" -> have not
            for extra in self.slang[plain]:
                b.add(self.canon_of(extra), extra, piece, sim=sim)
            return
        b.add(canon, plain, piece, sim=sim)

    def _quantity(self, unit: str, number: float) -> str:
        long_from = self.long_amounts.get(unit)
        if long_from is not None and number >= long_from:
            return f"#long{unit}"
        return f"#{unit}"

    def phrase(self, text: str) -> list[str]:
        """A knowledge phrase as matching forms (no typo repair; `#unit` tokens kept)."""
        known = self._phrase_cache.get(text)
        if known is None:
            known = self._plain_phrase(text)
            if known is None:
                known = self.tokens(text, knowledge=True).canon
            self._phrase_cache[text] = known
        return list(known)

    def _plain_phrase(self, text: str) -> list[str] | None:
        """The forms of a phrase of plain lower-case words, without the message pipeline
        (most of the knowledge base; builds in a third of the time); None for any other. The
        same forms as `tokens(text, knowledge=True)`: tests/test_normalize.py checks all."""
        if not _RE_PLAIN_PHRASE.fullmatch(text):
            return None
        out: list[str] = []
        for piece in _RE_PHRASE_TOKEN.findall(text):
            if piece == "its":
                return None  # "its own": possessive, not "it is"
            for word in self.expand(piece):
                if word in self.units:
                    return None  # "two weeks": a quantity
                out.append(self.canon_of(word))
        return out


class _Builder:
    """Appends words to a `Tokens` while tracking segment, scope and sentence."""

    def __init__(self, out: Tokens) -> None:
        self.out = out
        self.seg = self.scope = self.sent = 0
        self.pending: tuple[float, str] | None = None

    def add(self, canon: str, word: str, surface: str, *, sim: float = 1.0,
            value: float | None = None) -> None:
        out = self.out
        out.canon.append(canon)
        out.words.append(word)
        out.surface.append(surface)
        out.sim.append(sim)
        out.seg.append(self.seg)
        out.scope.append(self.scope)
        out.sent.append(self.sent)
        out.value.append(value)

    def pop(self) -> str:
        """Take the last word back (it becomes part of a quantity); returns its surface."""
        out = self.out
        for lst in (out.canon, out.words, out.sim, out.seg, out.scope, out.sent, out.value):
            lst.pop()
        return out.surface.pop()

    def stop(self, *, hard: bool) -> None:
        """Punctuation: a new segment and scope; a full stop also a new sentence."""
        if hard:
            self.sent += 1
        self.seg += 1
        self.scope += 1
        self.pending = None


def _with(m: re.Match[str]) -> str:
    word = m.group().replace(" ", "")
    return {"w/o": " without ", "b/c": " because ", "a&e": " emergency room "}.get(word, " with ")


def _number(piece: str) -> float:
    try:
        return float(piece.replace(",", "."))
    except ValueError:  # pragma: no cover - the regex only passes numbers
        return 0.0
