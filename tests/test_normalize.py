"""Normalisation: Unicode, emoji, repeated letters, slang, contractions, quantities and typos."""

from __future__ import annotations

import pytest

from knowledge import Knowledge
from knowledge.matcher import Matcher
from knowledge.normalize import MAX_CHARS, Normalizer, stem


@pytest.fixture(scope="module")
def norm(knowledge: Knowledge) -> Normalizer:
    return Matcher(knowledge).norm


def words(norm: Normalizer, text: str) -> list[str]:
    return norm.tokens(text).words


def canon(norm: Normalizer, text: str) -> list[str]:
    return norm.tokens(text).canon


def test_case_and_unicode_forms(norm: Normalizer) -> None:
    assert words(norm, "CALF TWITCHING") == ["calf", "twitching"]
    assert words(norm, "ｃａｌｆ") == ["calf"]  # full-width letters (NFKC)
    assert words(norm, "CAFÉ") == ["cafe"]  # accents go: "pipí" is "pipi", as in our phrases
    assert words(norm, "мышца") == ["мышца"]  # letters with no plain form stay


def test_curly_quotes_and_zero_width_characters(norm: Normalizer) -> None:
    assert words(norm, "I didn’t warm up") == ["i", "did", "not", "warm", "up"]
    assert words(norm, "twi\u200btch\u200d") == ["twitch"]
    assert words(norm, "\ufeffcalf twi\u00adtch") == ["calf", "twitch"]


def test_emoji_are_mapped_or_dropped(norm: Normalizer) -> None:
    assert "popcorn" in words(norm, "lats doing the popcorn thing 🍿")
    assert words(norm, "🍿") == ["popcorn"]
    assert words(norm, "💯💯") == []
    assert words(norm, "calf 💀💀 twitching") == ["calf", "twitching"]


def test_repeated_letters(norm: Normalizer) -> None:
    assert words(norm, "soooo") == ["so"]
    assert words(norm, "a loooong run") == ["a", "long", "run"]
    assert words(norm, "twitchinggggg") == ["twitching"]


def test_slang_and_abbreviations(norm: Normalizer) -> None:
    assert words(norm, "hammies rn") == ["hamstrings", "right", "now"]
    assert words(norm, "u ok") == ["you", "okay"]
    assert words(norm, "ur calfs") == ["your", "calves"]
    assert words(norm, "bc i was late") == ["because", "i", "was", "late"]
    assert words(norm, "cuz w/o water") == ["because", "without", "water"]


def test_contractions_with_and_without_apostrophe(norm: Normalizer) -> None:
    for text in ("didnt", "didn't", "didn’t"):
        assert words(norm, text) == ["did", "not"], text
    assert words(norm, "can't") == ["can", "not"]
    assert words(norm, "wont") == ["will", "not"]
    assert words(norm, "i'm") == ["i", "am"]
    assert words(norm, "form's solid") == ["form", "is", "solid"]


def test_hyphens_and_joined_words(norm: Normalizer) -> None:
    assert words(norm, "warm-up") == ["warm", "up"]
    assert words(norm, "warmup") == ["warm", "up"]
    assert words(norm, "two-a-days") == ["two", "a", "days"]


def test_quantities_become_tokens(norm: Normalizer) -> None:
    assert canon(norm, "2hr leg day")[0] == "#longhours"
    assert canon(norm, "90 min")[0] == "#longminutes"
    assert canon(norm, "30 min")[0] == "#minutes"
    assert canon(norm, "a 25k run")[1] == "#longkm"
    assert canon(norm, "for 3 weeks") == ["for", "#longweeks"]
    assert canon(norm, "for a week") == ["for", "#weeks"]
    assert canon(norm, "a few months") == ["a", "#longmonths"]
    assert canon(norm, "for weeks") == ["for", "#longweeks"]
    toks = norm.tokens("slept 4 hrs")
    assert toks.canon == ["sleep", "#longhours"] and toks.value[1] == 4.0
    assert toks.surface[1] == "4 hrs"


def test_numbers_in_words_count_before_any_unit(norm: Normalizer) -> None:
    toks = norm.tokens("slept four hours")
    assert toks.canon == ["sleep", "#longhours"] and toks.value[1] == 4.0
    assert toks.surface[1] == "four hours"
    assert canon(norm, "twenty burpees") == ["#reps"]
    assert not any(t.startswith("#") for t in canon(norm, "did a few hours"))  # spans only


def test_typos_are_repaired_against_the_vocabulary(norm: Normalizer) -> None:
    toks = norm.tokens("dehydraded")
    assert toks.words == ["dehydrated"] and 0.8 <= toks.sim[0] < 1.0
    assert words(norm, "twitchng") == ["twitching"]
    assert words(norm, "electrolites") == ["electrolytes"]
    assert words(norm, "havnt") == ["have", "not"]  # repaired to slang, then expanded


def test_real_words_are_not_repaired(norm: Normalizer) -> None:
    assert words(norm, "sweet") == ["sweet"]
    assert words(norm, "week") == ["week"]  # never "weak"
    assert words(norm, "paint") == ["paint"]  # never "pain"


@pytest.mark.parametrize(("word", "not_this"), [
    ("chasing", "cheating"), ("inner", "dinner"), ("selling", "swelling"), ("powder", "power"),
    ("eight", "height"), ("convinced", "connected"), ("bladder", "ladder"),
])
def test_dictionary_words_are_no_typos(norm: Normalizer, word: str, not_this: str) -> None:
    assert words(norm, word) == [word], not_this


def test_dictionary_words_still_join_their_family(knowledge: Knowledge) -> None:
    """A real word may still be read as its relative in the vocabulary, British or American;
    without the dictionary the same word would be pulled onto a stranger."""
    vocab = {"painful", "colored", "cheating"}
    with_dict = Normalizer(knowledge.lexicon, vocab, dictionary=frozenset(
        {"painfully", "coloured", "chasing"}))
    assert with_dict.tokens("painfully coloured chasing").words == [
        "painful", "colored", "chasing"]
    assert Normalizer(knowledge.lexicon, vocab).tokens("chasing").words == ["cheating"]


def test_a_word_of_one_phrase_only_takes_close_typos(knowledge: Knowledge) -> None:
    """A rare knowledge word must not pull real words onto itself ("addition" is no typo of
    "audition"); a common one still takes a looser typo, and a close typo of the rare one
    is still repaired."""
    vocab = {"audition", "dehydrated"}
    loose = Normalizer(knowledge.lexicon, vocab)
    strict = Normalizer(knowledge.lexicon, vocab, rare={"audition"})
    assert loose.tokens("addition").words == ["audition"]
    assert strict.tokens("addition").words == ["addition"]
    assert strict.tokens("auditon").words == ["audition"]
    assert strict.tokens("dehydraded").words == ["dehydrated"]


def test_stems_agree_between_forms() -> None:
    assert stem("twitching") == stem("twitches") == stem("twitch")
    assert stem("skipped") == stem("skipping") == stem("skip")
    assert stem("hydration") == stem("hydrated")
    assert stem("tingling") == stem("tingle")
    assert stem("stressed") == stem("stress")


def test_evidence_keeps_the_message_words(norm: Normalizer) -> None:
    toks = norm.tokens("Calfs TWITCHIN")
    assert toks.surface == ["calfs", "twitchin"]
    assert toks.words == ["calves", "twitching"]


def test_scopes_segments_and_sentences(norm: Normalizer) -> None:
    toks = norm.tokens("no water, plenty of food. calf twitching")
    assert toks.seg[0] == toks.seg[1] != toks.seg[2]  # the comma ends a segment
    assert toks.sent[-1] != toks.sent[0]  # so does the full stop, and the sentence
    toks = norm.tokens("no water but plenty of food")
    assert toks.seg[1] == toks.seg[2] and toks.scope[1] != toks.scope[2]  # "but" ends a scope


def test_anything_goes_in(norm: Normalizer) -> None:
    assert norm.tokens("").canon == []
    assert norm.tokens(None).canon == []  # type: ignore[arg-type]
    assert norm.tokens("\x00\x01\ud800 calf").words == ["calf"]
    huge = norm.tokens("twitch " * 100_000)
    assert len(huge.canon) <= MAX_CHARS


@pytest.mark.parametrize(("a", "b"), [
    ("twitching", "twitchy"), ("twitches", "twitchiness"), ("myokymia", "twitch"),
    ("dehydrated", "dehydration"), ("rehydrated", "hydration"), ("stretched", "stretching"),
    ("overtrained", "overtraining"), ("theyre", "they are"),
])
def test_word_families_share_one_form(norm: Normalizer, a: str, b: str) -> None:
    assert canon(norm, a) == canon(norm, b)


def test_a_typo_is_an_edit_not_a_shorter_word(norm: Normalizer) -> None:
    assert words(norm, "agrees") == ["agrees"]  # never "ages"
    assert words(norm, "behind") == ["behind"]  # never "bend"


def test_a_count_reads_through_a_modifier(norm: Normalizer) -> None:
    assert canon(norm, "25 working sets")[0] == "#longsets"
    assert canon(norm, "300 pushups")[0] == "#longreps"


def test_a_tag_question_is_a_question(norm: Normalizer) -> None:
    assert norm.tokens("standard gym stuff or nah").question_mark
    assert not norm.tokens("my calf or my quad, both twitch").question_mark


def test_its_own_is_possessive(norm: Normalizer) -> None:
    assert words(norm, "my calf has a life of its own")[-2:] == ["its", "own"]
    assert words(norm, "its fine")[:2] == ["it", "is"]


def test_plain_phrases_take_a_shortcut_to_the_same_forms(knowledge: Knowledge,
                                                         norm: Normalizer) -> None:
    # the knowledge base's plain phrases skip the message pipeline when the matcher is built;
    # every one of them must come out as the pipeline would have made it
    lex = knowledge.lexicon
    texts = {*lex.topic, *lex.weak_topic, *lex.body, *lex.stopwords, *lex.negations}
    for cause in knowledge.causes:
        texts |= {*cause.phrases, *cause.cues, *cause.against, *cause.lacks}
    for question in knowledge.questions:
        texts |= set(question.paraphrases)
    for sign in knowledge.warnings:
        texts |= {*sign.phrases, *sign.requires, *sign.excludes}
    short = [t for t in sorted(texts) if norm._plain_phrase(t) is not None]
    assert len(short) > len(texts) * 0.8
    assert [norm._plain_phrase(t) for t in short] == [
        norm.tokens(t, knowledge=True).canon for t in short]
    # and what it must leave to the pipeline
    for text in ("two weeks", "its own heartbeat", "24/7", "w/o water", "calf-raises",
                 "Didn't", "'em", "#longhours"):
        assert norm._plain_phrase(text) is None
