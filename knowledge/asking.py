"""Which of the article's six questions a message asks: paraphrases found, in a question's shape."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.negation import ScopeReader
from knowledge.normalize import Tokens
from knowledge.scoring import Hit, Phrase

QUESTION_THRESHOLD = 0.74
UNSHAPED = 0.3         # a paraphrase outside a question's shape loses this much ...
UNSHAPED_AT_END = 0.2  # ... or this much at the end of the message ("twitching after gym normal")
NEGATED = 0.3          # "not normal for me" is no question about what's normal

_AUXILIARIES = frozenset({"is", "are", "am", "can", "could", "do", "did", "should", "would",
                          "will", "shall", "has", "have", "was", "were"})
# Read through at the start of a clause before its question word ("ok so how do i ...").
_OPENERS = frozenset({"so", "ok", "okay", "yo", "hey", "hi", "hello", "also", "and", "but", "um",
                      "uh", "bro", "dude", "guy", "lol", "honestly", "seriously", "question",
                      "real", "genuine", "quick", "q", "like", "well", "random", "sorry", "at",
                      "in", "for", "to", "by", "from", "on", "with", "after", "then",
                      # vocatives and greetings: "lads is it normal ...", "morning all, how ..."
                      "lads", "guys", "folks", "mate", "mates", "bros", "fam", "team", "peeps",
                      "everyone", "yall", "people", "ppl", "coach", "morning", "evening", "hiya",
                      "heya", "sup", "gents", "ladies", "girls", "boys", "all", "friends",
                      "legit", "actually", "please", "pls", "one",
                      # a request before the question word: "looking for ways to head it off"
                      "looking", "need", "want", "trying", "searching"})
# "way beyond anything i've done", "than any": a question word that is no question's start
_SUBJECTS = frozenset({"i", "we", "you", "he", "she", "they", "it", "this", "that", "my",
                       "everyone", "everybody", "anyone", "anybody", "people"})
_MODALS = frozenset({"should", "can", "could", "would", "will", "shall", "need", "must", "do"})
_ANSWERS = frozenset({"no", "nah", "nope", "naw", "zero", "none", "never", "fine", "plenty",
                      "yes", "yeah", "yep", "loads", "lots", "sorted", "good", "great", "ok",
                      "okay", "nothing", "not", "definitely", "low", "normal", "minimal"})
_SUBORDINATE = frozenset({"when", "what", "where", "whenever"})  # "when i'm worried, ..."
_MID_CLAUSE = frozenset({"beyond", "than", "past", "like", "without", "over", "above"})
# A guess, not a question about the article: "maybe it's stress from work?"
_HEDGES = frozenset({"maybe", "probably", "prob", "perhaps", "guess", "think", "reckon"})
# When both are asked, the more specific reading wins: "stop it ... next time" is prevention.
_PREFER = {"manage": "prevent"}
# "could that be why", "is what makes": a causal question about the cause said before it
_ANAPHORA = frozenset({"that", "they", "it", "this", "these", "those", "what"})


# "i wonder whether ...", "trying to figure out how ...": an embedded question
_ASKING = frozenset({"ask", "asking", "wonder", "wondering", "wondered", "know", "curious",
                     "sure", "tell", "figure", "understand", "find", "learn", "explain",
                     "idea", "ideas", "clue", "advise", "googling", "researching"})
_WHETHER = frozenset({"whether", "if", "how", "what", "why", "when"})
_PERSONAL = frozenset({"i", "my", "me", "am", "mine"})  # a search-like query is impersonal
# How the rest feels, told: "feels totally normal otherwise", "can still do everything normally"
_REPORTING = frozenset({"feel", "feels", "felt", "feeling", "look", "looks", "looked", "seem",
                        "seems", "seemed", "everything", "otherwise"})
# A causal question ("could X be behind ...", "does X make you twitch") asks about the cause X
_CAUSAL = frozenset({"cause", "causes", "causing", "caused", "make", "makes", "making", "behind",
                     "trigger", "triggers", "triggering", "responsible", "why", "lead", "leads",
                     "leading", "show", "shows", "showing", "blame", "linked", "link", "related",
                     "connected", "contribute", "contributing", "from", "due", "because"})
_CAUSAL_QUESTIONS = (("stress", "stress"), ("condition", "underlying"))  # cause -> question
_CAUSAL_CAUSES = frozenset(cause for cause, _ in _CAUSAL_QUESTIONS)
CAUSAL_SCORE = 0.8
_WORRY = frozenset({"worried", "scared", "afraid", "terrified", "paranoid", "fear", "feared",
                    "freaking", "panicking"})
# "scared it's ALS" states a fear (authors label it no question); "might be MS" wonders
_MAYBE = frozenset({"might", "may", "could"})


def _telling(words: list[str], q: int, seg: list[int]) -> bool:
    """A clause that opens with a question word yet tells: "couldn't sleep" (not "can't it be
    that"), "when I'm worried, ...", "what I did was ..." (not "what I should do")."""
    ahead = [words[i] for i in range(q + 1, min(q + 3, len(words))) if seg[i] == seg[q]]
    if not ahead:
        return False
    if words[q] in _AUXILIARIES and ahead[0] == "not":
        return len(ahead) < 2 or ahead[1] not in _SUBJECTS
    return words[q] in _SUBORDINATE and ahead[0] in _SUBJECTS and (
        len(ahead) < 2 or ahead[1] not in _MODALS)


def _reported(words: list[str], seg: list[int], hit: Hit) -> bool:
    """The matched words tell how something feels or works, in the clause's own words."""
    return any(words[q] in _REPORTING and seg[q] == seg[hit.start]
               for q in (*range(max(0, hit.start - 2), hit.start),
                         *range(hit.end + 1, min(hit.end + 2, len(words)))))


def _embedded(words: list[str]) -> int | None:
    """Where an indirect question starts ("whether" after "ask", "wonder", "know"), if any."""
    for p, w in enumerate(words):
        if w in _WHETHER and any(words[q] in _ASKING and not (  # "no idea why" asks nothing
                q >= 1 and words[q] in ("idea", "clue") and words[q - 1] == "no")
                for q in range(max(0, p - 3), p)):
            return p
    return None


class QuestionReader:
    """Scores question paraphrases found in a message and picks the question asked, if any."""

    def __init__(self, scope: ScopeReader, stopwords: set[str], question_starts: set[str],
                 order: dict[str, int], phrases: Sequence[Phrase] = ()) -> None:
        self.scope = scope
        self.stress = next((p for p in phrases if p.kind == "question" and p.owner == "stress"),
                           None)
        self.first = {}  # one phrase per question, to name a question found by its shape
        for p in phrases:
            if p.kind == "question":
                self.first.setdefault(p.owner, p)
        self.stopwords = stopwords
        self.starts = question_starts
        self.order = order

    def read(self, toks: Tokens, hits: list[Hit], topic: bool
             ) -> tuple[tuple[Hit, float] | None, list[tuple[Hit, float]]]:
        """(the question asked or None, all candidates best first)."""
        canon, seg, words = toks.canon, toks.seg, toks.words
        opens = self._opens(toks)
        asked_from = _embedded(words)
        scored: list[tuple[Hit, float]] = []
        for hit in hits:
            # a question opens its clause with a question word ("how", "is", "any tips"),
            # or carries a question mark, or the matched words are a question themselves,
            # or it is asked indirectly ("i wanted to ask whether it is usual"), or the
            # message opens with it like a search ("red flags to look out for with ...")
            first = hit.positions[0]
            opened = seg[hit.start] in opens or (
                words[first] in self.starts and words[first] not in _AUXILIARIES
                and not _telling(words, first, seg)
                and not (first >= 1 and seg[first - 1] == seg[first]
                         and words[first - 1] in _MID_CLAUSE)) or (
                asked_from is not None and hit.start > asked_from
                and toks.sent[hit.start] == toks.sent[asked_from]) or (
                hit.start == 0 and len(hit.positions) >= 3 and not any(
                    w in _PERSONAL for w in words))
            shaped = toks.question_mark or opened
            if not toks.question_mark and _reported(words, seg, hit):
                continue
            if len(hit.positions) == 1 and not (opened or (
                    toks.question_mark and self._short(toks, hit.start))):
                continue  # a lone keyword ("serious", "stress?") only inside a question
            if not shaped and hit.end - hit.start + 1 > len(hit.positions) and sum(
                    1 for p in hit.positions if canon[p] not in self.stopwords) < 2:
                continue  # unasked, "a thing" is not found in "a weird pulsing thing"
            if not topic:
                mine = {p for h in hits if h.phrase.owner == hit.phrase.owner
                        for p in h.positions}
                if any(p not in mine and canon[p] not in self.stopwords
                       and canon[p] not in self.scope.fillers and words[p] not in self.starts
                       for p in range(len(canon))):
                    continue  # without twitch words, the message must be the question itself
            score = hit.quality
            if not shaped:
                score -= UNSHAPED_AT_END if hit.end >= len(canon) - 2 else UNSHAPED
            if self.scope.read(toks, hit.start, hit.end).negated:
                score -= NEGATED
            scored.append((hit, min(1.0, score)))
        scored.sort(key=lambda hs: (-round(hs[1], 6), -len(hs[0].positions),
                                    hs[0].end - hs[0].start, self.order[hs[0].phrase.owner]))
        passed = [hs for hs in scored if hs[1] >= QUESTION_THRESHOLD]
        if not passed:
            return None, scored
        best = passed[0]
        # "is this normal or should i be worried": of two questions joined by "or", the first
        for other in passed[1:]:
            if other[0].phrase.owner != best[0].phrase.owner and other[0].end < best[0].start \
                    and other[1] >= best[1] - 0.15 and "or" in words[other[0].end:best[0].start]:
                best = other
                break
        better = _PREFER.get(best[0].phrase.owner)
        if better:
            best = next((hs for hs in passed if hs[0].phrase.owner == better
                         and hs[0].quality >= 0.95), best)
        return best, scored

    def refer(self, toks: Tokens, question: tuple[Hit, float], nets: dict[str, float],
              threshold: float) -> tuple[Hit, float]:
        """"I'm so stressed, could that be why?": a causal question about "that" asks about the
        cause said before it: stress rather than an underlying condition, when stress is what
        the message says and no condition outweighs it."""
        hit, score = question
        if hit.phrase.owner != "underlying" or self.stress is None or not any(
                toks.words[p] in _ANAPHORA for p in range(hit.start, hit.end + 1)):
            return question
        stress, condition = nets.get("stress", 0.0), nets.get("condition", 0.0)
        if stress >= threshold and stress > condition:
            return Hit(self.stress, hit.start, hit.end, hit.quality, hit.positions), score
        return question

    def causal(self, toks: Tokens, nets: dict[str, float], threshold: float
               ) -> tuple[Hit, float] | None:
        """No paraphrase found, but a causal question about a cause the message names: "could
        tension from work show up as twitches?", "does being wound up make you twitch?"."""
        opens, asked_from = self._opens(toks), _embedded(toks.words)
        for p, w in enumerate(toks.words):
            if w not in _CAUSAL or not (toks.question_mark or toks.seg[p] in opens or (
                    asked_from is not None and p > asked_from)):
                continue
            if any(toks.words[q] in _HEDGES for q in range(len(toks.words))
                   if toks.seg[q] == toks.seg[p]):
                continue  # "maybe it's stress from work?" guesses, it doesn't ask
            for cause, question in _CAUSAL_QUESTIONS:
                phrase = self.first.get(question)
                net = nets.get(cause, 0.0)
                if phrase is not None and net >= threshold and all(
                        net >= v for c, v in nets.items() if c in _CAUSAL_CAUSES):
                    return Hit(phrase, p, p, CAUSAL_SCORE, (p,)), CAUSAL_SCORE
        return None

    def worried(self, toks: Tokens, nets: dict[str, float], threshold: float
                ) -> tuple[Hit, float] | None:
        """"worried it might be MS", "scared it's ALS": a fear of a condition the message names
        asks the article's question about an underlying condition, even without a "?"."""
        phrase = self.first.get("underlying")
        if phrase is None or nets.get("condition", 0.0) < threshold:
            return None
        for p, w in enumerate(toks.words):
            ahead = toks.words[p + 1:p + 6]
            if w in _WORRY and not _MAYBE.isdisjoint(ahead):
                return Hit(phrase, p, p, CAUSAL_SCORE, (p,)), CAUSAL_SCORE
        return None

    def _short(self, toks: Tokens, pos: int) -> bool:
        """The keyword's segment is a bare question: "stress?", "ms or als?", not "maybe it's
        stress from work?" (a guess, said with a question mark), nor a question answered at
        once ("stress? nah", "rest days? plenty": a list of what it isn't)."""
        here = [p for p in range(len(toks.canon)) if toks.seg[p] == toks.seg[pos]]
        after = here[-1] + 1
        if after < len(toks.words) and toks.words[after] in _ANSWERS:
            return False
        content = [p for p in here if toks.canon[p] not in self.stopwords
                   and toks.canon[p] not in self.scope.fillers]
        return len(content) <= 3 and not any(toks.words[p] in _HEDGES for p in here)

    def _opens(self, toks: Tokens) -> set[int]:
        """Segments whose first real word is a question word."""
        canon, seg = toks.canon, toks.seg
        opens: set[int] = set()
        for p in range(len(canon)):
            if p == 0 or seg[p - 1] != seg[p]:
                q = p
                while q < len(canon) and seg[q] == seg[p] and (
                        canon[q] in _OPENERS or toks.words[q] in _OPENERS):
                    q += 1
                if q < len(canon) and seg[q] == seg[p] and toks.words[q] in self.starts \
                        and not _telling(toks.words, q, seg):
                    opens.add(seg[p])
        return opens
