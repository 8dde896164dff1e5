"""The matcher's behaviour: causes, negation, multi-cause, triage, questions, off-topic, explain."""

from __future__ import annotations

import json
import logging

import pytest

from knowledge import Knowledge
from knowledge.matcher import MAX_CAUSES, Matcher
from knowledge.result import MatchResult


def ids(result: MatchResult) -> list[str]:
    return list(result.cause_ids)


# -- causes -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "cause"), [
    ("calves twitching after a brutal 2 hour leg day, legs are cooked", "fatigue"),
    ("forgot my water bottle and it was boiling, calf keeps cramping", "dehydration"),
    ("im so dehydraded after soccer, my calf keeps twitching", "dehydration"),
    ("skipped my warmup and went straight into heavy squats, quad flickering", "warmup"),
    ("pins and needles in my fingers and my forearm keeps jumping after rows", "nerve"),
    ("havent had a rest day in a month, calves twitching every night", "rest"),
    ("exams are crushing me and my traps twitch after every session", "stress"),
    ("i was diagnosed with hypothyroidism and my legs twitch after runs", "condition"),
    ("on a crash diet for a weigh in and my quads spasm after training", "nutrition"),
    ("pretty sure my deadlift form is sloppy, lower back twitching after", "form"),
    ("way overdid it on my first day back, biceps twitching", "overexertion"),
])
def test_each_cause_from_gym_language(matcher: Matcher, text: str, cause: str) -> None:
    result = matcher.match(text)
    assert ids(result)[:1] == [cause], (text, result.to_json())
    assert not result.off_topic
    assert result.causes[0].evidence and 0.0 < result.causes[0].score <= 1.0


def test_evidence_are_words_of_the_message(matcher: Matcher) -> None:
    text = "calves jumping after leg day, barely drank anything"
    result = matcher.match(text)
    assert set(ids(result)) == {"fatigue", "dehydration"}
    for cause in result.causes:
        for words in cause.evidence:
            assert all(w in text for w in words.split()), words
    assert "barely drank" in next(c for c in result.causes if c.id == "dehydration").evidence


def test_several_causes_ranked_at_most_three(matcher: Matcher) -> None:
    text = ("no water, no breakfast, no warm up, no rest days, super stressed, sloppy form "
            "and i went way too hard, everything twitching")
    result = matcher.match(text)
    assert len(result.causes) == MAX_CAUSES
    scores = [c.score for c in result.causes]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(("text", "expected"), [
    ("skipped warmup and my squat form was trash, hammy spasming", {"warmup", "form"}),
    ("2hr leg day in a hot gym, barely drank, quads jumping", {"dehydration", "fatigue"}),
    ("stressed at work and only sleeping 5 hours, calves twitch after runs", {"stress", "rest"}),
    ("tingling down my arm after heavy shrugs with bad form, trap jumping", {"nerve", "form"}),
])
def test_multi_cause_messages(matcher: Matcher, text: str, expected: set[str]) -> None:
    assert expected <= set(ids(matcher.match(text)))


# -- negation and contrast ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "denied"), [
    ("i stretch before every session but my calf still twitches", "warmup"),
    ("i do warm up every time but my hamstring still twitches", "warmup"),
    ("never skip my warm up, quads still twitch after squats", "warmup"),
    ("stress isn't an issue for me, yet my legs twitch after the gym", "stress"),
    ("not stressed at all, bicep twitches after curls", "stress"),
    ("hydration is on point and my calves still jump after runs", "dehydration"),
    ("drank like 4 litres today and my hammy is still twitching", "dehydration"),
    ("my coach says my technique is fine, still twitchy quads", "form"),
    ("my form's solid, lats jumping after rows anyway", "form"),
    ("sleep is fine and i take rest days, calf still twitching", "rest"),
    ("slept 9 hours and my quad is still jumping", "rest"),
    ("diet is dialed in, plenty of protein, still calf twitches", "nutrition"),
    ("no tingling or anything nervy, just a flickering bicep", "nerve"),
    ("took it easy, light day, yet my calf twitches", "overexertion"),
    ("not water, not sleep. calves twitching after a huge session", "dehydration"),
    ("not water, not sleep. calves twitching after a huge session", "rest"),
    ("calf twitching for weeks. tried stretching, drinking more water, nothing helped",
     "warmup"),
    ("calf twitching for weeks. tried stretching, drinking more water, nothing helped",
     "dehydration"),
    ("no medical conditions, bloods were fine, but my legs twitch after runs", "condition"),
])
def test_a_denied_cause_counts_against(matcher: Matcher, text: str, denied: str) -> None:
    result = matcher.match(text)
    assert denied not in ids(result), (text, result.to_json())
    assert denied in result.negated, (text, result.negated)


@pytest.mark.parametrize(("text", "cause"), [
    ("didn't warm up, calf twitching", "warmup"),
    ("i never stretch and my hamstrings twitch", "warmup"),
    ("didnt drink enough water today, calf cramping", "dehydration"),
    ("not sleeping much lately and my quads twitch", "rest"),
    ("haven't eaten all day and my arms are twitching", "nutrition"),
    ("i don't take rest days, calves twitching", "rest"),
    ("we never bring water to the park sessions, calves twitching after", "dehydration"),
    ("haven't done a single stretch in weeks and my hamstrings twitch", "warmup"),
    ("stretching? none at all. quads twitching after squats", "warmup"),
    ("I stopped eating breakfast and my arms twitch after the gym", "nutrition"),
    ("my carbs are zero right now, abs twitching after posing", "nutrition"),
])
def test_a_denied_protection_counts_for(matcher: Matcher, text: str, cause: str) -> None:
    assert ids(matcher.match(text))[:1] == [cause], text


@pytest.mark.parametrize(("text", "cause"), [
    ("Warm-up? honestly no, never. hamstrings twitch after", "warmup"),
    ("stretching? nope. calves jumping after the run", "warmup"),
    ("rest days? never heard of them. triceps jumping after push day", "rest"),
])
def test_a_bare_no_to_a_protection_says_none_of_it(phrases_only: Matcher, text: str,
                                                    cause: str) -> None:
    assert ids(phrases_only.match(text))[:1] == [cause], text


@pytest.mark.parametrize(("text", "cause"), [
    ("stress? nope. calves jumping after the run", "stress"),
    ("overdid it? never. calves jumping after the run", "overexertion"),
])
def test_a_bare_no_to_a_cause_denies_it(phrases_only: Matcher, text: str, cause: str) -> None:
    assert cause not in ids(phrases_only.match(text)), text


@pytest.mark.parametrize(("text", "cause"), [
    ("don't tell me to stretch, I stretch every time. calves twitch after spin", "warmup"),
    ("dont say water, I drink heaps. calf twitching after netball", "dehydration"),
])
def test_a_cause_named_to_be_ruled_out_is_denied(phrases_only: Matcher, text: str,
                                                 cause: str) -> None:
    assert cause not in ids(phrases_only.match(text)), text


def test_the_no_sleep_thing_names_the_lack(phrases_only: Matcher) -> None:
    lack = phrases_only.match("maybe it's the no sleep thing with the twins? legs twitching")
    assert ids(lack)[:1] == ["rest"]
    fine = phrases_only.match("no sleep issues at all, legs twitching after squats")
    assert "rest" not in ids(fine)


def test_contrast_keeps_the_other_clause(matcher: Matcher) -> None:
    result = matcher.match("i warm up properly but i have been training every day, lats jumping")
    assert ids(result)[:1] == ["rest"]
    assert "warmup" in result.negated


def test_negated_cause_never_first_when_another_fits(matcher: Matcher) -> None:
    text = ("not dehydrated, i chug electrolytes all day. but i did way more volume than usual, "
            "legs spasming")
    result = matcher.match(text)
    assert ids(result)[:1] == ["overexertion"]
    assert "dehydration" not in ids(result)


# -- triage ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "sign"), [
    ("my calf has been twitching for 3 weeks straight now", "persistent"),
    ("quad twitching since last month and it keeps coming back", "persistent"),
    ("the twitching is getting worse after every session", "persistent"),
    ("after deadlifts my back spasms are severe", "severe"),
    ("the cramp in my hamstring is so bad it wakes me up", "severe"),
    ("twitch in my thigh after squats and now it really hurts", "pain"),
    ("calf twitching with a sharp pain when i walk", "pain"),
    ("hand twitching after pullups and my grip is getting weaker", "weakness"),
    ("leg keeps twitching and now feels weak", "weakness"),
    ("forearm twitching and my fingers are numb since climbing", "numbness"),
    ("calf twitching and i can't feel my toes", "numbness"),
])
def test_each_article_sign_is_see_doctor(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "see_doctor", (text, result.to_json())
    assert sign in {w.id for w in result.warning_signs}
    hit = next(w for w in result.warning_signs if w.id == sign)
    assert hit.level == "see_doctor" and hit.evidence


@pytest.mark.parametrize(("text", "sign"), [
    ("my urine went dark brown after spin class", "dark_urine"),
    ("pee looks like coca cola after a squat challenge and my thighs are swollen", "dark_urine"),
    ("chest pain during burpees and now my pec is twitching", "chest_pain"),
    ("chest feels tight and my arm is twitching after the run", "chest_pain"),
    ("cant breathe properly after the workout and my muscles are spasming", "breathing"),
    ("i passed out after my last set and now my legs keep twitching", "fainting"),
    ("blacked out for a sec at the end of the wod, legs still jumping", "fainting"),
    ("suddenly one side of my body went numb after lifting", "one_sided"),
    ("my face is drooping on one side and my leg is twitching", "one_sided"),
    ("my words are coming out slurred and my hand is twitching after training", "speech"),
    ("feeling really confused after the long run in the heat, calves cramping", "confusion"),
    ("my speech went funny after the race and my hand twitches", "speech"),
    ("peeing blood after a brutal leg day and my legs are twitching", "dark_urine"),
    ("tight crushing feeling in my chest after running and my arm twitches", "chest_pain"),
    ("my buddy had a seizure after the workout", "seizure"),
    ("my quads are rock hard, swollen and agonizing two days after crossfit", "swollen_hard"),
    ("i think i have heat stroke, i stopped sweating and my legs are cramping", "heatstroke"),
])
def test_each_safety_sign_is_urgent(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "urgent", (text, result.to_json())
    assert not result.off_topic
    assert sign in {w.id for w in result.warning_signs if w.level == "urgent"}


def test_urgent_needs_no_twitch_word(matcher: Matcher) -> None:
    for text in ("my pee is brown after leg day", "chest pain after my run"):
        result = matcher.match(text)
        assert result.triage == "urgent" and not result.off_topic, text


@pytest.mark.parametrize("text", [
    "calf twitching after my run, no pain, strength is fine, just annoying",
    "not numb or anything, just a flickering quad after squats",
    "my bicep twitches a bit after curls, doesnt hurt, no weakness",
    "it only started today, no pain at all, hammy just jumping",
    "never felt numb, just twitching after runs",
    "grip is fine, not weak, not painful, forearm just flutters after climbing",
    "no chest pain or anything, just my pec twitching after bench",
    "didn't pass out or anything, legs just twitching after the race",
    "my pee is dark yellow, def dehydrated, calves cramping",
    "no deload in 6 months and my back twitches after every session now",
    "havent taken a day off in like a month lol, legs twitching tonight",
    "quads wont stop twitching after a 2hr leg day lol",
    "DOMS is crazy today lol quads sore af and twitching a bit",
    "i have a muscle imbalance, one side stronger, and my glute twitches",
    "im confused about why my calf twitches after runs",
])
def test_plain_and_negated_complaints_stay_self_care(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.triage == "self_care", (text, result.to_json())
    assert result.warning_signs == ()


def test_urgent_wins_over_see_doctor(matcher: Matcher) -> None:
    result = matcher.match("chest pain and my arm has been twitching for weeks")
    assert result.triage == "urgent"
    assert result.warning_signs[0].level == "urgent"


# -- questions ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "question"), [
    ("is it weird my arm flickers after bench", "normal"),
    ("is it normal for muscles to twitch after working out?", "normal"),
    ("muscle twitching after exercise normal", "normal"),
    ("how do i stop getting muscle twitches after workouts", "prevent"),
    ("any tips to prevent twitching after leg day", "prevent"),
    ("can stress make ur muscles twitch after working out?", "stress"),
    ("is there a link between anxiety and twitchy muscles after a session", "stress"),
    ("when should i worry about muscle twitching after a workout", "concern"),
    ("should i see a doctor about twitching after the gym", "concern"),
    ("could muscle twitches after exercise mean an underlying condition?", "underlying"),
    ("is post workout twitching ever a symptom of a disease", "underlying"),
    ("how do i get this twitch to settle down", "manage"),
    ("ice or heat for a twitching muscle after training?", "manage"),
])
def test_questions_with_or_without_question_mark(matcher: Matcher, text: str,
                                                 question: str) -> None:
    result = matcher.match(text)
    assert result.question is not None and result.question.id == question, (
        text, result.to_json())
    assert not result.off_topic
    assert 0.0 < result.question.score <= 1.0


@pytest.mark.parametrize("text", [
    "quads wont stop twitching after a 2hr leg day lol",
    "calf twitching after my run",
    "stressed about work and my traps twitch after lifting",
    "i have ms and my thigh twitches after cycling",
    # a clause opening with a question word that tells
    "couldn't sleep bc anxiety, went and trained anyway, hamstring twitching",
    "I get panic attacks. When I am worried, after training my arm twitches much more.",
    "What I did was run twice my usual weekly mileage. Calf twitching.",
    # a keyword with "?" answered at once lists what it isn't
    "stress? nah i'm the chillest person alive, but i train 7 days a week and my calf twitches",
])
def test_complaints_ask_no_question(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).question is None, text


@pytest.mark.parametrize(("text", "question"), [
    ("isn't it normal to twitch after a long run", "normal"),
    ("when should i worry about my calf twitching after runs", "concern"),
])
def test_question_words_that_do_ask(matcher: Matcher, text: str, question: str) -> None:
    result = matcher.match(text)
    assert result.question is not None and result.question.id == question, text


def test_a_keyword_answered_with_nah_is_denied(matcher: Matcher) -> None:
    result = matcher.match("stress? nah. but i train 7 days a week and my calf twitches")
    assert "stress" in result.negated and result.cause_ids[:1] == ("rest",)


def test_a_complaint_can_also_ask(matcher: Matcher) -> None:
    result = matcher.match("calf twitching after a run in the heat and i barely drank, "
                           "how do i make it stop")
    assert ids(result)[:1] == ["dehydration"]
    assert result.question is not None and result.question.id == "manage"


# -- off-topic ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "which pre-workout do you recommend?", "how many sets for abs?", "haha", "💯💯",
    "who's coming to the 10k on sunday?", "", "   ", "new PR on deadlift today lets gooo",
    "stressed about my exam tmrw lol", "how do i fix my squat form",
    "is it ok to train abs every day",
    "whats the best electrolyte drink for long runs", "bro skipped leg day again 🐔",
    "my legs are so sore from leg day lol", "jump squats or box jumps for legs?",
    "the new studio is way too cramped for a spin class",  # crowded, no body part
])
def test_off_topic(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.off_topic, (text, result.to_json())
    assert result.causes == () and result.question is None
    assert result.triage == "self_care" and result.warning_signs == ()


@pytest.mark.parametrize("text", [
    "my calves jump after football", "quad keeps ticking", "my lats are doing the popcorn thing",
    "forearm won't stop moving on its own", "charley horse after my run",
])
def test_twitch_words_in_many_shapes_are_on_topic(matcher: Matcher, text: str) -> None:
    assert not matcher.match(text).off_topic, text


# -- contract, explain, determinism ----------------------------------------------------------

def test_contract_shape(matcher: Matcher) -> None:
    out = matcher.match("calves jumping after leg day, barely drank anything").to_json()
    assert set(out) == {"causes", "question", "triage", "warning_signs", "off_topic"}
    assert all(set(c) == {"id", "score", "evidence"} for c in out["causes"])
    json.dumps(out)


def test_explain_shows_why(matcher: Matcher) -> None:
    text = "i warm up every time but my calf twitches after a 2 hour run, no pain"
    out = matcher.explain(text)
    json.dumps(out)
    assert out["result"] == matcher.match(text).to_json()
    assert "warm up" in out["normalized"] and "#longhours" in out["normalized"]
    by_id = {c["id"]: c for c in out["causes"]}
    assert {"id", "score", "matches"} <= set(by_id["fatigue"])
    match = by_id["fatigue"]["matches"][0]
    assert {"phrase", "window", "score", "negated"} <= set(match)
    assert any(m["negated"] for m in by_id["warmup"]["matches"])
    assert any(w["id"] == "pain" and w["negated"] for w in out["warnings"])
    assert out["off_topic_reason"] is None
    assert matcher.explain("haha")["off_topic_reason"]
    # read as off topic, the model's topic head was still asked: its answer is shown
    off = matcher.explain("hamstring feels like it has its own heartbeat")
    assert off["off_topic_reason"] and "topic" in off["learned"]


def test_deterministic(matcher: Matcher, knowledge: Knowledge) -> None:
    text = "no rest days, stressed, barely eating, calves twitching, is that normal?"
    first = matcher.match(text)
    assert Matcher(knowledge).match(text) == first
    assert matcher.match(text) == first


# -- round 2: wording the first matcher had never seen ----------------------------------------

@pytest.mark.parametrize("text", [
    "my quad has a heartbeat after spin",
    "calf won't chill since the long run",
    "biceps doing the wave after curls",
    "my shoulder is doing morse code after climbing",
    "glute going haywire after the stairmaster",
    "thigh keeps doing tiny jumps after squats",
    "myokymia in my calf after running",
])
def test_idioms_of_twitching_are_on_topic(matcher: Matcher, text: str) -> None:
    assert not matcher.match(text).off_topic, text


@pytest.mark.parametrize("text", [
    "my boss won't chill about the deadline",
    "the crowd was doing the wave at the match",
    "my phone keeps going haywire",
])
def test_idioms_without_a_body_part_stay_off_topic(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).off_topic, text


@pytest.mark.parametrize(("text", "off"), [
    ("my car keeps twitching when I pull away from the lights", True),
    ("the gym wifi keeps spasming during the online class", True),
    ("the membership renewal email made my eye twitch", True),
    ("my eye twitches just thinking about burpees", True),
    ("left my bottle in the car and my thigh has been flickering since", False),
    ("my calf keeps twitching since I got back in the car after the hike", False),
])
def test_things_that_twitch_are_not_ours(matcher: Matcher, text: str, off: bool) -> None:
    assert matcher.match(text).off_topic is off, text


@pytest.mark.parametrize(("text", "cause"), [
    ("absolutely knackered after 3 hours of padel, calf pinging", "fatigue"),
    ("up half the night with the baby then trained, calves twitching", "rest"),
    ("living on toast this week, quads flickering after legs", "nutrition"),
    ("nobody showed me how to deadlift, lower back spasming", "form"),
    ("went from zero to a 10k in a week, shins twitching", "overexertion"),
    ("only had a coffee all day before a hot yoga class, calf cramping", "dehydration"),
])
def test_slang_and_indirect_descriptions(matcher: Matcher, text: str, cause: str) -> None:
    assert ids(matcher.match(text))[:1] == [cause], text


def test_a_judgement_word_is_an_adjective_not_a_noun(matcher: Matcher) -> None:
    """"power cleans" says nothing about the technique; "form is clean" does."""
    assert ids(matcher.match("i think it's my technique on power cleans, forearm twitches")
               )[:1] == ["form"]
    assert "form" in matcher.match("my form is clean, calf twitching").negated


def test_high_protein_is_plenty_not_lacking(matcher: Matcher) -> None:
    result = matcher.match("eating high protein every day but no rest days, quads twitching")
    assert ids(result)[:1] == ["rest"]
    assert "nutrition" not in ids(result)


def test_a_personal_cause_inside_its_question_counts(matcher: Matcher) -> None:
    mine = matcher.match("could my anxiety be why my legs twitch after the gym")
    assert mine.question is not None and mine.question.id == "stress"
    assert ids(mine)[:1] == ["stress"]
    # a general question is no evidence: the cause it asks about is listed, weakly, as asked
    general = matcher.match("can anxiety cause muscle twitching after exercise?")
    assert general.question is not None and general.question.id == "stress"
    assert ids(general) == ["stress"]
    assert general.causes[0].score < mine.causes[0].score
    assert general.causes[0].evidence == ("asked about: stress",)


def test_of_two_questions_joined_by_or_the_first_wins(matcher: Matcher) -> None:
    result = matcher.match("quad twitching after leg day, is this normal or should i be worried")
    assert result.question is not None and result.question.id == "normal"


def test_a_guess_with_a_question_mark_is_no_question(matcher: Matcher) -> None:
    result = matcher.match("form is fine so not that. maybe it's stress from work? delts twitching")
    assert result.question is None
    assert ids(result)[:1] == ["stress"]


@pytest.mark.parametrize(("text", "sign"), [
    ("suddenly my left arm and leg went weak, calf twitching", "one_sided"),
    ("legs so weak i can't stand up after the race and they're twitching", "collapse"),
])
def test_round_two_urgent_signs(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "urgent"
    assert sign in [w.id for w in result.warning_signs]


def test_a_cramp_too_bad_to_stand_is_severe_not_collapse(matcher: Matcher) -> None:
    result = matcher.match("cramp so bad i couldn't stand up, calf twitching after")
    assert result.triage == "see_doctor"


def test_a_bike_fit_is_no_seizure(matcher: Matcher) -> None:
    result = matcher.match("bike fit is bad and my hamstring twitches after long rides")
    assert result.triage == "self_care"


def test_an_unasked_paraphrase_must_be_found_in_a_row(matcher: Matcher) -> None:
    """"a thing" is a question's words only together, not in "a weird pulsing thing"."""
    result = matcher.match("did murph and my pecs are doing a weird pulsing thing")
    assert result.question is None
    assert not result.off_topic


def test_a_disease_named_in_the_underlying_question_is_the_condition(matcher: Matcher) -> None:
    result = matcher.match("could my twitching after training be ALS or something")
    assert result.question is not None and result.question.id == "underlying"
    assert "condition" in ids(result)


def test_an_idiom_of_twitching_is_no_cause_evidence(matcher: Matcher) -> None:
    """"won't calm down" describes the muscle, not a stressed mind."""
    assert "stress" not in ids(matcher.match("my forearm won't calm down after a grip workout"))


def test_a_few_days_later_is_not_persistent(matcher: Matcher) -> None:
    result = matcher.match("first marathon and my calves are still twitching two days later")
    assert result.triage == "self_care"


@pytest.mark.parametrize(("text", "off"), [
    ("went nuts on legs today", True),
    ("going mental on shoulders tonight", True),
    ("calves go nuts after soccer", False),
    ("my calves are going crazy after leg day", False),
])
def test_a_body_part_trained_is_not_the_one_moving(matcher: Matcher, text: str, off: bool) -> None:
    assert matcher.match(text).off_topic is off, text


# -- round 3: negation scope, sign attachment, indirect questions ------------------------------

@pytest.mark.parametrize(("text", "denied"), [
    ("technique hasn't changed, my quads still twitch after squats", "form"),
    ("stress doesn't bother me, calf twitching after runs", "stress"),
    ("i eat really well, so it's not that. biceps twitching after curls", "nutrition"),
    ("hydration? fine. hamstring twitching after sprints", "dehydration"),
    ("my coach corrects my form every session, calves twitch after runs", "form"),
    ("definitely not a hydration issue, i drink all day. calves twitch after spin", "dehydration"),
    ("i didn't go any harder than usual, my quads still twitch after squats", "overexertion"),
    ("i never lift without warming up, hamstring twitching anyway", "warmup"),
])
def test_a_cause_denied_by_its_predicate_or_a_verdict(matcher: Matcher, text: str,
                                                      denied: str) -> None:
    result = matcher.match(text)
    assert denied not in ids(result)[:1], (text, result.to_json())
    assert denied in result.negated, (text, result.negated)


def test_a_negation_inside_the_phrase_agrees_with_a_later_one(matcher: Matcher) -> None:
    assert ids(matcher.match("didnt drink nothing at the game, calves twitching"))[:1] == [
        "dehydration"]


def test_a_verdict_never_denies_a_warning_sign(matcher: Matcher) -> None:
    result = matcher.match("passed out for a second after spin, i'm fine now, legs twitching")
    assert result.triage == "urgent", result.to_json()


@pytest.mark.parametrize("text", [
    "my sleep has been terrible and my calves twitch after runs",
    "i'm worried all the time about exams and my legs twitch after the gym",
    "fit and healthy, just a twitchy calf after football",
    "still going to the gym daily and my quads twitch",
    "did curls until i couldn't lift the bar one more time, bicep flickering",
    "quads twitching after spin where we sprinted for ages",
])
def test_a_sign_said_of_something_else_is_no_alarm(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).triage == "self_care", (text, matcher.explain(text)["warnings"])


@pytest.mark.parametrize("text", [
    "my calf twitched after a run last month and now it has spread to my other leg",
    "the flicker in my arm used to stop quickly, now it lasts hours and is worse each time",
    "neck spasm after sparring, i can barely turn my head",
    "hamstring twitching after training and now it won't let me sleep",
])
def test_a_sign_said_of_the_twitch_by_pronoun_or_elided_subject(matcher: Matcher,
                                                                text: str) -> None:
    assert matcher.match(text).triage == "see_doctor", (text, matcher.explain(text)["warnings"])


@pytest.mark.parametrize(("text", "question"), [
    ("my calves flicker after spin, standard gym stuff or nah", "normal"),
    ("normal to have twitchy arms after rowing?", "normal"),
    ("what do you do when your quads twitch after squats", "manage"),
    ("work has me so stressed, could that be why my legs twitch after the gym?", "stress"),
    ("i'm on statins, could they be why my calves twitch after walks?", "underlying"),
])
def test_indirect_questions(matcher: Matcher, text: str, question: str) -> None:
    result = matcher.match(text)
    assert result.question is not None and result.question.id == question, (
        text, matcher.explain(text)["question_candidates"])


@pytest.mark.parametrize("text", [
    "my piss went the colour of cola after the hyrox and both calves are spasming",   # urine+colour
    "toilet trip after the marathon and it was soy-sauce brown, hamstrings twitching",
    "couldn't pull any air into my lungs after the sled push, quads twitching",       # inability
    "my breath never came back after the 400s and my calves are cramping",
    "a crushing weight on my breastbone since the workout, calf twitching",           # chest
    "one side of my body went limp after the class and my thigh twitches",            # one side
    "my speech came out mushy talking to the coach after squats, calf twitching",     # speech
    "I couldn't get the words out after the session and my forearm keeps twitching",
])
def test_urgent_signs_compose_from_word_families(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).triage == "urgent"


@pytest.mark.parametrize("text", [
    "no brownish pee at all, calves just twitchy after the long run",        # denied companion
    "my pee is dark yellow, probably just thirsty, calves twitching",         # not the colour
    "breathing hard after the sprints like always, calves twitching",         # no inability
    "chest day was brutal and my pec keeps twitching",                        # trained, no pain
    "my weaker leg twitches after squats, physio says it's an old imbalance",  # a comparison
    "knees collapsed in on the squats and now my quad twitches",              # not a person
    "hips sagging on every plank and my lower back twitches",                 # not a face
])
def test_composed_signs_do_not_fire_on_lookalikes(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).triage != "urgent"
    assert "weakness" not in [w.id for w in matcher.match(text).warning_signs]


@pytest.mark.parametrize(("text", "question"), [
    ("could all the pressure at work be what's behind my calves jumping after gym", "stress"),
    ("does feeling on edge all week make your legs twitch more after training?", "stress"),
    ("my doctor mentioned my thyroid, could that be causing the twitching after lifting",
     "underlying"),
])
def test_a_causal_question_about_a_named_cause(matcher: Matcher, text: str,
                                               question: str) -> None:
    got = matcher.match(text)
    assert got.question is not None and got.question.id == question


def test_a_causal_statement_is_no_question(matcher: Matcher) -> None:
    got = matcher.match("work stress is making my calves twitch after the gym")
    assert got.question is None
    assert ids(got)[0] == "stress"


@pytest.mark.parametrize(("text", "denied"), [
    ("it's not the water, I get through three litres a day, but my calves twitch after runs",
     "dehydration"),
    ("not the stretching either, I do ten minutes, yet my quads still flicker after squats",
     "warmup"),
])
def test_not_the_cause_is_denial_not_lack(matcher: Matcher, text: str, denied: str) -> None:
    got = matcher.match(text)
    assert denied not in ids(got)[:1]
    assert denied in got.negated


def test_not_doing_it_is_still_a_lack(matcher: Matcher) -> None:
    got = matcher.match("honestly not drinking water at all on shift, calves twitching after gym")
    assert ids(got)[0] == "dehydration"


@pytest.mark.parametrize(("text", "level"), [
    ("been rowing for 8 years and my forearm twitches after erg sessions", "self_care"),
    ("my forearm has been twitching for 8 weeks after erg sessions", "see_doctor"),
    ("coach says I'm quad dominant, the stronger leg twitches after lunges", "self_care"),
    ("out of nowhere one hand feels weaker than the other and it twitches", "see_doctor"),
])
def test_whose_time_and_which_weakness(matcher: Matcher, text: str, level: str) -> None:
    assert matcher.match(text).triage == level


def test_nah_before_a_denial_is_an_interjection(matcher: Matcher) -> None:
    got = matcher.match("nah not tired at all, but my hand tingles and the forearm twitches")
    assert ids(got)[:1] == ["nerve"]
    assert "fatigue" not in ids(got)


def test_negation_reads_through_a_light_verb_and_an_adverb(matcher: Matcher) -> None:
    got = matcher.match("vegan and not really tracking protein, calves twitch after runs")
    assert ids(got)[:1] == ["nutrition"]


@pytest.mark.parametrize(("text", "question"), [
    ("it is normal that my calves twitch after runs?", "normal"),
    ("any tips so it does not come back? quads flicker after squats", "prevent"),
    ("my back twitches after deadlifts, when does it become a problem", "concern"),
])
def test_round6_question_shapes(matcher: Matcher, text: str, question: str) -> None:
    got = matcher.match(text).question
    assert got is not None and got.id == question


@pytest.mark.parametrize(("text", "cause"), [
    ("work is a dumpster fire right now and my neck twitches after the gym", "stress"),
    ("went straight into deadlifts without my band work, back muscle twitching", "warmup"),
    ("coach keeps correcting my alignment and my thigh is twitching tonight", "form"),
    ("first session in years and my hamstrings are spasming", "overexertion"),
    ("my chest is doing the jiggle thing after 300 pushups", "fatigue"),
])
def test_round6_circumstance_families(matcher: Matcher, text: str, cause: str) -> None:
    assert cause in ids(matcher.match(text))


@pytest.mark.parametrize(("text", "cause"), [
    # a verdict closing the previous sentence does not deny the next one's cause
    ("water intake is great, so not that. exam stress is crazy though, thigh twitching", "stress"),
    # a negation reads through "given myself" / "taken" to the rest it denies
    ("i have not given myself a rest day in weeks and my calf twitches", "rest"),
    # "chill" describing the session is no denial of stress
    ("easy chill row today but so anxious lately, forearm twitching", "stress"),
    # a small amount of water: "half a bottle"
    ("had maybe half a bottle of water all session, quads twitching", "dehydration"),
    # wriggle / jitter words keep the message on topic
    ("sprinted in the heatwave and my hamstring does a little wriggle now", "dehydration"),
])
def test_round6_word_families(matcher: Matcher, text: str, cause: str) -> None:
    assert cause in ids(matcher.match(text))[:3]


@pytest.mark.parametrize(("text", "cause"), [
    ("honestly it isn't my sleep, but i ran a half marathon with zero warm-up", "warmup"),
    ("hydration's not the problem, i just went way too hard on the rower", "overexertion"),
])
def test_a_reply_ruling_one_cause_out_and_naming_another_is_on_topic(
        matcher: Matcher, text: str, cause: str) -> None:
    got = matcher.match(text)
    assert not got.off_topic
    assert cause in ids(got)[:3]


@pytest.mark.parametrize("text", [
    "what's a good warm up for sprint day",
    "is it ok to do HIIT on an empty stomach",
])
def test_a_bare_cause_word_with_praise_stays_off_topic(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).off_topic


@pytest.mark.parametrize("text", [
    "after sprints my hamstrings are doing the salsa",
    "calf doing a jig since leg day",
])
def test_dance_idioms_next_to_a_muscle_are_the_twitch(matcher: Matcher, text: str) -> None:
    assert not matcher.match(text).off_topic


def test_a_dance_class_alone_is_not_the_twitch(matcher: Matcher) -> None:
    assert matcher.match("anyone up for a salsa class thursday").off_topic


@pytest.mark.parametrize("text", [
    "it's not lack of water, I drink loads, calves still twitch after spin",
    "no lack of fluids here, 3 litres a day, but my quads jump after squats",
])
def test_a_denied_lack_is_no_lack(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.cause_ids[:1] != ("dehydration",), text


def test_a_matcher_failure_gives_the_empty_reading_and_logs_no_text(
        knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    broken = Matcher(knowledge)

    def boom(text: str, *, framed: bool = False) -> None:
        raise ValueError(text)

    monkeypatch.setattr(broken, "_read", boom)
    secret = "my private calf story"
    with caplog.at_level(logging.ERROR):
        assert broken.match(secret) == MatchResult()
        assert broken.explain(secret)["off_topic_reason"] == "error"
    assert "ValueError" in caplog.text and secret not in caplog.text


@pytest.mark.parametrize(("text", "cause"), [
    ("Used to take Sundays off but I stopped because I felt guilty. back twitches after", "rest"),
    ("bartender, protein is basically zero, then I lift. triceps twitch", "nutrition"),
    ("went from doing nothing for two years to a crossfit class, thighs twitching",
     "overexertion"),
    ("hammys spazzin a bit. rdls for a solid 90 min", "fatigue"),
])
def test_past_habits_hedged_nones_and_starting_points(phrases_only: Matcher, text: str,
                                                      cause: str) -> None:
    # "used to" is a habit that stopped; "basically zero" is none; "from nothing" is where it
    # started; "a solid 90 min" says how long, not how well
    assert phrases_only.match(text).cause_ids[:1] == (cause,)


@pytest.mark.parametrize(("text", "denied"), [
    ("I used to be dehydrated all the time but I carry a big bottle everywhere now. calf "
     "twitching after boxing", "dehydration"),
    ("Three months of twitching in my shoulders after the gym. Bloods were normal", "condition"),
])
def test_a_past_state_or_a_normal_result_counts_against(phrases_only: Matcher, text: str,
                                                        denied: str) -> None:
    assert denied not in phrases_only.match(text).cause_ids


def test_im_used_to_it_is_no_past_habit(phrases_only: Matcher) -> None:
    assert "nutrition" in phrases_only.match(
        "im used to training fasted but quads twitch after legs").cause_ids


def test_the_words_of_an_emergency_are_no_cause(phrases_only: Matcher) -> None:
    got = phrases_only.match("calf twitched after class and then I had a pressure in the middle "
                             "of my chest")
    assert got.triage == "urgent" and "stress" not in got.cause_ids


@pytest.mark.parametrize(("text", "cause"), [
    ("could being anxious make my legs twitch after runs", "stress"),
    ("could twitching after lifting mean a medical problem", "condition"),
])
def test_the_cause_a_question_asks_about_is_listed(phrases_only: Matcher, text: str,
                                                   cause: str) -> None:
    got = phrases_only.match(text)
    assert got.question is not None and cause in got.cause_ids


def test_a_cause_asked_about_but_denied_is_not_listed(phrases_only: Matcher) -> None:
    got = phrases_only.match("i'm not stressed at all, but can stress cause twitching after "
                             "the gym?")
    assert got.question is not None and got.question.id == "stress"
    assert "stress" not in got.cause_ids and "stress" in got.negated


def test_how_the_rest_feels_is_told_not_asked(phrases_only: Matcher) -> None:
    got = phrases_only.match("no pain, everything feels totally normal otherwise, calf "
                             "twitching after my run")
    assert got.question is None


def test_the_usual_amount_of_none_is_no_denial(phrases_only: Matcher) -> None:
    got = phrases_only.match("did 80 burpees for a bet when I normally do none, legs twitching")
    assert got.cause_ids[:1] == ("overexertion",) and "overexertion" not in got.negated
    assert "nutrition" in phrases_only.match("protein? usually none, calves twitch").negated
