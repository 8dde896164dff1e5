"""Matcher shapes beyond fixed phrases: cause frames, unmarked questions, weighing replies."""

from __future__ import annotations

import pytest

from knowledge import Knowledge
from knowledge.matcher import Matcher
from knowledge.result import MatchResult
from knowledge.schema import Cause, Compose


def ids(result: MatchResult) -> list[str]:
    return list(result.cause_ids)


# -- causes found as word families near each other (`compose` in causes.yaml) ------------------

@pytest.mark.parametrize(("text", "cause"), [
    ("my forearm keeps jumping after a full afternoon of bouldering", "fatigue"),
    ("had one glass of water before the match and my thigh is flickering", "dehydration"),
    ("went directly into heavy squats and my quad is twitching", "warmup"),
    ("no jog first, just sprints, and my calf quivers after", "warmup"),
    ("did the exact same motion for an hour on the line at work, arm buzzing and twitching",
     "nerve"),
    ("my hinge looked dodgy on video, hamstrings fluttering", "form"),
    ("lifted heavier than i'm used to and my pecs are flickering", "overexertion"),
])
def test_a_cause_found_as_a_frame(matcher: Matcher, text: str, cause: str) -> None:
    assert cause in ids(matcher.match(text)), text


@pytest.mark.parametrize("text", [
    "i can barely hold a cup, arm twitching after lifting",    # a cup held, not drunk
    "only had one small protein shake today, calves twitching",  # a drink that isn't water
])
def test_unless_words_cancel_a_frame(phrases_only: Matcher, text: str) -> None:
    assert "dehydration" not in ids(phrases_only.match(text))


def test_a_frame_said_with_a_negation_counts_against(matcher: Matcher) -> None:
    result = matcher.match("never went straight into heavy squats, always ramp up, quad twitches")
    assert ids(result)[:1] != ["warmup"]


def test_a_cause_frame_is_read_from_the_yaml(knowledge: Knowledge) -> None:
    """A frame added to a cause in the knowledge base is what finds it: not a phrase list."""
    extra = Compose(groups=[["zorbing"], ["marathon"]], reach=3)
    causes = [c.model_copy(update={"compose": [*c.compose, extra]}) if c.id == "stress" else c
              for c in knowledge.causes]
    changed = Matcher(knowledge.model_copy(update={"causes": causes}))
    text = "a zorbing marathon and my calves twitch"
    assert "stress" in ids(changed.match(text))
    assert "stress" not in ids(Matcher(knowledge).match(text))
    assert isinstance(causes[0], Cause)


# -- questions asked without a question mark -----------------------------------------------------

@pytest.mark.parametrize(("text", "question"), [
    ("everyone gets little twitches after the gym, right", "normal"),
    ("calf twitching after leg day, totally normal, is it", "normal"),
    ("tips to calm a twitchy calf after leg day pls", "manage"),
    ("hamstring keeps flickering after sprints, trying to figure out how to keep it from "
     "happening again", "prevent"),
    ("i have ms, is the twitching after my workouts from that", "underlying"),
    ("is it ok if my thigh twitches after leg day", "normal"),
])
def test_questions_without_a_question_mark(matcher: Matcher, text: str, question: str) -> None:
    result = matcher.match(text)
    assert result.question is not None and result.question.id == question, text


@pytest.mark.parametrize("text", [
    "no idea why but my calf twitches after runs",        # says it doesn't know; asks nothing
    "maybe it's stress from work? delts twitching",       # a guess with a question mark
    "my arm is on the right and it twitches after curls",  # "right" as a side, not a tag
])
def test_not_every_unmarked_sentence_is_a_question(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).question is None, text


# -- replies that weigh causes, without naming the twitch again ----------------------------------

@pytest.mark.parametrize(("text", "cause", "denied"), [
    ("it's not stress, but i did the whole workout without warming up", "warmup", "stress"),
    ("drinking plenty and sleeping well, only thing is i went way harder than usual",
     "overexertion", "dehydration"),
])
def test_a_reply_weighing_causes_is_on_topic(matcher: Matcher, text: str, cause: str,
                                             denied: str) -> None:
    result = matcher.match(text)
    assert not result.off_topic
    assert ids(result)[:1] == [cause]
    assert denied in result.negated


@pytest.mark.parametrize("text", [
    "how do you guys stay hydrated on long hikes",  # a question, no contrast: still chatter
    "rest day today, going for a beer with the crew",
])
def test_chatter_about_a_cause_stays_off_topic(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).off_topic, text


def test_an_objects_nothing_does_not_negate_what_follows(matcher: Matcher) -> None:
    result = matcher.match("drank nothing in the heat and now my calves twitch")
    assert ids(result)[:1] == ["dehydration"]
    assert "dehydration" not in result.negated


@pytest.mark.parametrize(("text", "cause"), [
    ("pretty sure im doing deadlifts wrong, lower back twitches after", "form"),
    ("landing all wrong on my jumps in volleyball, calf twitching", "form"),
])
def test_doing_it_wrong_is_form(matcher: Matcher, text: str, cause: str) -> None:
    assert ids(matcher.match(text))[:1] == [cause], text


def test_nothing_done_wrong_is_no_form(matcher: Matcher) -> None:
    assert "form" not in ids(matcher.match("i did nothing wrong, calf twitching after runs"))


def test_the_little_stretches_are_small_not_missing(matcher: Matcher) -> None:
    """"never do the little stretches" says the warm-up is skipped; "little" is their size."""
    result = matcher.match("I never do the little stretches beforehand, I just hop on the "
                           "running machine and go fast. after that my calf flickers")
    assert ids(result) == ["warmup"]  # and "go fast" is speed, not fasting


@pytest.mark.parametrize("text", [
    "pins and needles in my hand after hours of typing then benching, and super stressed",
    "fingers tingly after 500 pullups and i didnt warm up at all",
])
def test_tingling_with_a_cause_is_the_complaint(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert not result.off_topic and "nerve" in ids(result), text


@pytest.mark.parametrize("text", [
    "pre-workout makes my face tingle, is that the beta alanine?",
    "sleep has been so bad lately, any tips for falling asleep faster?",
])
def test_tingling_chatter_stays_off_topic(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).off_topic, text


# -- follow-ups whose "it" is the twitch; signs as frames ----------------------------------------

def test_a_follow_up_about_it_is_read_as_about_the_twitch(matcher: Matcher) -> None:
    result = matcher.match("its in my left calf, started after my run, I had no water")
    assert not result.off_topic and ids(result)[:1] == ["dehydration"]
    worse = matcher.match("it's spread from one arm to both and it's more frequent now")
    assert worse.triage == "see_doctor"


@pytest.mark.parametrize("text", [
    "it's a nice gym, anyone been?",
    "this is the best pre-workout i've tried",
])
def test_a_follow_up_frame_never_makes_chatter_a_complaint(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).off_topic, text


def test_an_amount_belongs_to_what_is_missing_only(matcher: Matcher) -> None:
    """"slept 4 hours" is sleep, not a long session; "sweated buckets in a 2 hour session" is
    sweat and a long session both."""
    both = ids(matcher.match("sweated buckets in a 2 hour session and barely drank, now my "
                             "calf twitches"))
    assert {"dehydration", "fatigue"} <= set(both)
    assert "fatigue" not in ids(matcher.match("only slept 4 hours, calf twitching after gym"))


@pytest.mark.parametrize(("text", "cause"), [
    ("strict keto, no salt, boiling gym, calves twitching after class", "dehydration"),
    ("football in full sun, my shirt was white with salt, quad keeps twitching", "dehydration"),
    ("i just did way too much volume, like 30 sets of chest, now it twitches", "overexertion"),
    ("all-day climbing fest on limestone, arms jumping", "fatigue"),
])
def test_more_frames_and_salt(matcher: Matcher, text: str, cause: str) -> None:
    assert cause in ids(matcher.match(text)), text


def test_a_question_word_mid_clause_opens_no_question(matcher: Matcher) -> None:
    result = matcher.match("attempted a 20kg PR on squat, way beyond anything I've done, glute "
                           "won't stop spasming")
    assert result.question is None


def test_a_vocative_before_the_question(matcher: Matcher) -> None:
    result = matcher.match("lads is it normal for ur legs to be jumping after training")
    assert result.question is not None and result.question.id == "normal"


@pytest.mark.parametrize("text", [
    "yeah it was a long one, nearly two hours of nonstop circuits",
    "no i barely had anything to drink today tbh",
])
def test_an_answer_to_the_bots_question_is_about_the_twitch(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert not result.off_topic and result.causes, text


@pytest.mark.parametrize(("text", "question"), [
    ("could this be hiding an actual illness", "underlying"),
    ("how do I stop this happening next time I train", "prevent"),
])
def test_a_question_about_it_is_about_the_twitch(matcher: Matcher, text: str,
                                                 question: str) -> None:
    result = matcher.match(text)
    assert result.question is not None and result.question.id == question, text


@pytest.mark.parametrize("text", [
    "Is it ok to train every day or do I really need rest days?",  # a dummy "it"
    "is it worth buying creatine this month",
])
def test_a_question_about_training_stays_off_topic(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).off_topic, text


@pytest.mark.parametrize("text", [
    "so now my quads are doing the worm after four hours of volleyball",
    "dripping like a melting candle in a gym with no aircon, now my calf has the hiccups",
])
def test_more_twitch_idioms(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert not result.off_topic and result.causes, text


@pytest.mark.parametrize("text", [
    "my dog twitches in his sleep, is that normal?",
    "my cat keeps twitching her tail at me",
    "my dog's legs twitch in his sleep",
    # an eye that twitched at a sight, and the popcorn emoji, are no complaint
    "coach's eye literally twitched when he saw my squat form lmao",
    "my eye literally twitched when I saw the new membership price lol",
    "rest day today, films and pizza all afternoon 🍿🍕",
])
def test_twitching_of_something_else_is_chatter(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.off_topic and result.question is None, text


@pytest.mark.parametrize("text", [
    "my eyelid keeps twitching after heavy deadlifts",
    "my mate's leg keeps twitching since spin and he's slurring his words",
    "calves doing the 🍿 thing after the run",
])
def test_own_or_a_friends_twitching_stays_on_topic(matcher: Matcher, text: str) -> None:
    assert not matcher.match(text).off_topic, text


@pytest.mark.parametrize(("text", "cause"), [
    ("had one coffee all day before training and not a drop of anything after, leg is jumpy",
     "dehydration"),  # "not a drop" is none at all, not a denial of water
    ("not one stretch, not a single arm circle before bench today, and my pec is flickering",
     "warmup"),
    ("just wiggly quads after trying a weight i've never touched before", "overexertion"),
    ("hauled crates all shift at the warehouse then did a full leg session, calves twitching",
     "fatigue"),
])
def test_none_at_all_and_new_territory(matcher: Matcher, text: str, cause: str) -> None:
    assert ids(matcher.match(text))[:1] == [cause], text


@pytest.mark.parametrize(("text", "off"), [
    ("arm feels weak as a kitten and keeps twitching since heavy pulls", False),
    ("my cat's ear keeps twitching when i do yoga on the floor", True),
    ("the twitch streamer i watch does push up challenges every stream lol", True),
])
def test_whose_twitch_it_is(matcher: Matcher, text: str, off: bool) -> None:
    assert matcher.match(text).off_topic is off, text


@pytest.mark.parametrize(("text", "question"), [
    ("worried it might be MS tbh, biceps twitching after every gym sesh", "underlying"),
    ("looking for ways to head off the forearm twitches before my next bouldering trip",
     "prevent"),
    ("been under loads of pressure at work, does that play a part in the jumpy calves after spin",
     "stress"),
])
def test_round_9_question_shapes(matcher: Matcher, text: str, question: str) -> None:
    result = matcher.match(text)
    assert result.question is not None and result.question.id == question, text


def test_a_stated_fear_is_no_question(matcher: Matcher) -> None:
    assert matcher.match("scared its ALS tbh, bicep twitching after gym").question is None


@pytest.mark.parametrize(("text", "cause"), [
    ("warmup? done. stretching? done. sleep? trash lol. leg twitching", "rest"),
    ("nights on the ward wreck my sleep and I train straight after handover, calf twitching",
     "rest"),
    ("I've been on a crash diet, shakes for breakfast and lunch and a tiny dinner. calf "
     "twitching after spin", "nutrition"),
])
def test_protectors_said_poor_or_beside_their_cause(matcher: Matcher, text: str,
                                                    cause: str) -> None:
    assert ids(matcher.match(text))[:1] == [cause], text


@pytest.mark.parametrize(("text", "denied"), [
    ("I drink like 4 litres a day so its not water, but I went way past my normal and my pec "
     "is twitching", "dehydration"),
    ("I slept nine hours and had two rest days, so it's not rest. My thigh twitches since I "
     "forgot my water at the hot outdoor class.", "rest"),
    # round 11's denials
    ("the twitching is NOT from stress like my wife keeps saying, it's because I skip meals "
     "before the gym", "stress"),
    ("grip is just as strong as ever and nothing tingles, only the forearm jumping after "
     "climbing", "nerve"),
])
def test_its_not_x_denies_x(matcher: Matcher, text: str, denied: str) -> None:
    assert ids(matcher.match(text))[:1] != [denied], text


def test_a_flickering_screen_is_chatter(matcher: Matcher) -> None:
    assert matcher.match("My phone screen keeps flickering whenever I open the gym app, is "
                         "that a known bug?").off_topic


def test_explain_says_when_it_read_a_follow_up(matcher: Matcher) -> None:
    shown = matcher.explain("its in my left calf, started after my run, I had no water")
    assert shown["read_as_follow_up"] is True
    assert matcher.explain("my calf twitches after runs")["read_as_follow_up"] is False
