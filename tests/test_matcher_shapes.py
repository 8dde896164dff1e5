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
def test_unless_words_cancel_a_frame(matcher: Matcher, text: str) -> None:
    assert "dehydration" not in ids(matcher.match(text))


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


@pytest.mark.parametrize(("text", "sign"), [
    ("the twitching used to last a few seconds, now it goes on for hours after every workout",
     "persistent"),
    ("thigh twitching since my last race 6 weeks ago", "persistent"),
    ("calf twitches after crossfit and it's happening a bit more each week", "persistent"),
    ("hand getting clumsy, dropping stuff, and the thumb twitches after kettlebells",
     "weakness"),
])
def test_see_doctor_signs_in_everyday_shapes(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "see_doctor" and sign in [w.id for w in result.warning_signs], text


@pytest.mark.parametrize("text", [
    "my calf used to twitch all day, now it's better",
    "I run more each week and my calf twitches after",
    "booked a race 6 weeks ago, calf twitches after long runs",
])
def test_shapes_that_are_not_signs(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).triage == "self_care", text


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


@pytest.mark.parametrize(("text", "sign"), [
    ("twitches in the legs and honestly i couldn't get a proper breath for twenty minutes",
     "breathing"),
    ("feels like i'm breathing through a straw since the HIIT class ended, calves twitching",
     "breathing"),
    ("pee looks like rooibos and my thighs are rock hard after the squat challenge, twitchy too",
     "dark_urine"),
    ("after hot yoga I'm really muddled all of a sudden, can't work out what day it is, legs "
     "twitching", "confusion"),
    ("just a small twitch in my pec, oh and my chest feels like someone's sitting on it",
     "chest_pain"),
])
def test_emergencies_in_everyday_images(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "urgent" and result.warning_signs[0].id == sign, text


@pytest.mark.parametrize(("text", "word"), [
    ("no tingling, just a plain flicker in the calf after sprinting", "plain"),
    ("my friend filmed my squat, lower back twitching after", "friend"),
    ("waiting for the twitch in my calf to stop after the run", "waiting"),
])
def test_common_words_are_not_repaired_into_signs(matcher: Matcher, text: str,
                                                  word: str) -> None:
    result = matcher.match(text)
    assert result.triage == "self_care", text
    assert word in matcher.norm.tokens(text).words


def test_for_the_weak_is_no_weakness(matcher: Matcher) -> None:
    result = matcher.match("'rest days are for the weak' i said. my quads disagree, they're "
                           "vibrating")
    assert result.triage == "self_care"


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
])
def test_a_pets_twitching_is_chatter(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.off_topic and result.question is None, text


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



def test_a_sign_denied_inside_itself_stays_denied(matcher: Matcher) -> None:
    result = matcher.match("pee's a normal colour, not dark at all, and nothing's swollen, just "
                           "twitchy after crossfit")
    assert result.triage == "self_care"
    urgent = matcher.match("cant get enough air after the session and my legs are twitching")
    assert urgent.triage == "urgent"  # the sign's own "can't" is no denial of it


@pytest.mark.parametrize(("text", "sign"), [
    ("it's not settling, it's actually spreading to the other arm now", "persistent"),
    ("my toes feel dead, no feeling at all, and the shin keeps twitching after hikes",
     "numbness"),
    ("calf twitching, plus my foot keeps catching on the stairs since", "weakness"),
    ("twitching since last summer tbh, started after the gym and never really left",
     "persistent"),
])
def test_more_everyday_see_doctor_signs(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert sign in [w.id for w in result.warning_signs], text


@pytest.mark.parametrize(("text", "sign"), [
    ("bicep twitching after curls and suddenly my left hand wont grip anything, right hand fine",
     "one_sided"),
    ("me duele mucho el brazo, very swollen after crossfit and my orina is dark like tea, also "
     "twitch", "dark_urine"),
    ("quads twitching after the HYROX, honestly can hardly catch my breath for the last hour "
     "even sitting down", "breathing"),
])
def test_round_9_missed_emergencies(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "urgent" and result.warning_signs[0].id == sign, text


@pytest.mark.parametrize("text", [
    "I'm still opening jars like a champ, and nothing's gone numb. calf twitching after squats",
    "Hasn't been going on for weeks or anything, first time ever, calf twitching after spin",
    "mostly pasta and toast, no beans to speak of, and my calf twitches after the gym",
    "watching my deadlift back was painful viewing, lower back twitching after",
    "went too heavy because I didn't want to look weak, calves fluttering now",
])
def test_signs_denied_or_idioms_stay_self_care(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).triage == "self_care", text


@pytest.mark.parametrize(("text", "off"), [
    ("arm feels weak as a kitten and keeps twitching since heavy pulls", False),
    ("my cat's ear keeps twitching when i do yoga on the floor", True),
    ("the twitch streamer i watch does push up challenges every stream lol", True),
])
def test_whose_twitch_it_is(matcher: Matcher, text: str, off: bool) -> None:
    assert matcher.match(text).off_topic is off, text


def test_for_the_last_weeks_is_a_span_up_to_now(matcher: Matcher) -> None:
    span = matcher.match("For the last three weeks or so my right calf has twitched after "
                         "every session")
    assert span.triage == "see_doctor"
    date = matcher.match("last week I did a long run and my calf twitches")
    assert date.triage == "self_care"


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
])
def test_its_not_x_denies_x(matcher: Matcher, text: str, denied: str) -> None:
    assert ids(matcher.match(text))[:1] != [denied], text


@pytest.mark.parametrize(("text", "sign"), [
    ("right side of my body just gave out on the treadmill out of nowhere, arm and leg like "
     "jelly, and my hand keeps twitching", "one_sided"),
    ("calf twitching after swim, and one side of my mouth has dropped when I look in the mirror",
     "one_sided"),
    ("twitchy legs after netball but mainly, I suddenly can't feel my right arm or leg properly",
     "one_sided"),
])
def test_round_10_missed_emergencies(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "urgent" and result.warning_signs[0].id == sign, text


@pytest.mark.parametrize("text", [
    "honestly it's been 6 weeks. thought it'd go away. calf still jumping after any exercise",
    "It's getting worse every week. Started as a little flicker after running, now my whole "
    "calf spasms.",
])
def test_a_sign_told_before_the_twitch(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).triage == "see_doctor", text


@pytest.mark.parametrize(("text", "sign"), [
    ("right, so, my left arm went weak out of nowhere during the cooldown and my face feels a "
     "bit odd, mainly I want to know about the calf twitching", "one_sided"),
    ("Hi, my mum is 70. She was muddled after her aqua class, didn't know where she was, and "
     "her legs were twitching.", "confusion"),
    ("Hello, straight after my rowing session my left arm went numb and heavy, only on that "
     "side, all of a sudden; it's twitchy too.", "one_sided"),
])
def test_round_11_missed_emergencies(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "urgent" and result.warning_signs[0].id == sign, text


@pytest.mark.parametrize(("text", "denied"), [
    ("the twitching is NOT from stress like my wife keeps saying, it's because I skip meals "
     "before the gym", "stress"),
    ("grip is just as strong as ever and nothing tingles, only the forearm jumping after "
     "climbing", "nerve"),
])
def test_round_11_denials(matcher: Matcher, text: str, denied: str) -> None:
    assert ids(matcher.match(text))[:1] != [denied], text


def test_a_flickering_screen_is_chatter(matcher: Matcher) -> None:
    assert matcher.match("My phone screen keeps flickering whenever I open the gym app, is "
                         "that a known bug?").off_topic


@pytest.mark.parametrize(("text", "sign"), [
    ("my training partner went grey and dropped to the floor for a few seconds after the sled "
     "push, he's up now but his arm twitches", "fainting"),
    ("one side of my smile won't go up since this morning's workout and my hand keeps twitching",
     "one_sided"),
    ("out of nowhere walking out of the gym my right leg buckled and I can't raise my right arm "
     "properly either. bit twitchy", "one_sided"),
    ("my mum's legs were twitching after aqua-fit, but this afternoon she suddenly didn't know "
     "where she was", "confusion"),
    ("After my bootcamp my shoulder was twitching, but then a crushing pressure came on in the "
     "middle of my chest, with sweating", "chest_pain"),
])
def test_round_12_missed_emergencies(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "urgent" and result.warning_signs[0].id == sign, text
