"""Warning signs in everyday words: emergencies first, see_doctor signs, and what is no sign."""

from __future__ import annotations

import pytest

from knowledge.matcher import Matcher


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
    ("bicep twitching after curls and suddenly my left hand wont grip anything, right hand fine",
     "one_sided"),
    ("me duele mucho el brazo, very swollen after crossfit and my orina is dark like tea, also "
     "twitch", "dark_urine"),
    ("quads twitching after the HYROX, honestly can hardly catch my breath for the last hour "
     "even sitting down", "breathing"),
    ("right side of my body just gave out on the treadmill out of nowhere, arm and leg like "
     "jelly, and my hand keeps twitching", "one_sided"),
    ("calf twitching after swim, and one side of my mouth has dropped when I look in the mirror",
     "one_sided"),
    ("twitchy legs after netball but mainly, I suddenly can't feel my right arm or leg properly",
     "one_sided"),
    ("right, so, my left arm went weak out of nowhere during the cooldown and my face feels a "
     "bit odd, mainly I want to know about the calf twitching", "one_sided"),
    ("Hi, my mum is 70. She was muddled after her aqua class, didn't know where she was, and "
     "her legs were twitching.", "confusion"),
    ("Hello, straight after my rowing session my left arm went numb and heavy, only on that "
     "side, all of a sudden; it's twitchy too.", "one_sided"),
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
    # round 15's misses, in other words
    ("dropped in a heap after the circuit, my mate says I was out for a few seconds. legs "
     "twitchy", "fainting"),
    ("calf twitching, and I keep zoning out, can't remember what I was doing a minute ago",
     "confusion"),
    ("after yoga my whole right side, arm and leg, wouldn't work properly for a bit, plus the "
     "usual twitching", "one_sided"),
    ("my right side feels heavy and weak all of a sudden, arm won't lift, thigh twitching",
     "one_sided"),  # "won't lift" says it is there, it denies nothing
    ("My dad is 70, finished his bowls match and all of a sudden can't use his left hand "
     "properly, it's twitchy and feels odd", "one_sided"),
    ("my brother just dropped off the rower like a sack after the intervals, he's up now, "
     "legs twitching", "fainting"),
    ("she was out cold for a few seconds after the bleep test, now her calves twitch",
     "fainting"),
    ("my husband went pale and sat clutching his chest after the hill run, says it's just "
     "his calf twitching that bothers him", "chest_pain"),
    # round 18's misses, in other words
    ("after the spin class her smile went crooked on one side and she couldn't hold her cup, "
     "arm twitching", "one_sided"),
    ("my dad doesn't know where he is after the park run, keeps asking the same question, "
     "calves cramping", "confusion"),
    ("calf twitch after the gym, and a heavy feeling in the middle of my chest that goes up "
     "into my jaw", "chest_pain"),
    ("felt dizzy after the circuit and next thing I knew I was on the floor, legs twitchy",
     "fainting"),
    # round 23's miss, in other words: a limb hanging is a limb that won't work
    ("my dad got back from his walking group and his left arm is just dangling, he can't "
     "do up his buttons, calf twitching", "one_sided"),
    # round 22's miss, in other words: "set" before the subject is no bar hitting the floor
    ("halfway through my last set I passed out for a second, woke up with my calf twitching",
     "fainting"),
    # round 21's miss, in other words
    ("my brother went down in the gym after squats, out for a few seconds and then came round, "
     "legs twitching", "fainting"),
    # round 20's misses, in other words
    ("my wife came back from her run repeating the same questions, can't remember getting home, "
     "calves twitching", "confusion"),
    ("quads spasming after leg day, and it feels like a band is being tightened around my "
     "chest since the last set", "chest_pain"),
    # round 19's misses, in other words
    ("mum came out of her pilates class and one corner of her mouth is drooping, her hand "
     "twitches", "one_sided"),
    ("mid set my left arm just gave out and I couldn't feel my fingers, out of nowhere, now "
     "it's twitching", "one_sided"),
    # round 24's miss and the new training batches' phrase misses, in other words
    ("my dad's arm is twitching after tennis and his voice sounds off, words not right", "speech"),
    ("one minute I was stretching fine, the next I was on the ground, calves twitching",
     "fainting"),
    ("me desmayé en la ducha after spin class, legs twitching now", "fainting"),
    ("orina oscura after crossfit and my thighs are swollen and twitching", "dark_urine"),
    ("my mum's smile only lifts on one side since her aqua class, hand twitching", "one_sided"),
    # the third training batch's phrase miss (the model caught it), in other words
    ("quads jumping after the 10k, then I just hit the deck by the car and came round a few "
     "seconds later", "fainting"),
    ("grandad after his walk: a pressing feeling in his chest that's spreading up into his jaw, "
     "leg twitching as usual", "chest_pain"),
])
def test_emergencies_in_everyday_words(matcher: Matcher, text: str, sign: str) -> None:
    """Each held-out round's missed emergencies, and more images of the same signs."""
    result = matcher.match(text)
    assert result.triage == "urgent" and result.warning_signs[0].id == sign, text


@pytest.mark.parametrize(("text", "sign"), [
    ("the twitching used to last a few seconds, now it goes on for hours after every workout",
     "persistent"),
    ("thigh twitching since my last race 6 weeks ago", "persistent"),
    ("calf twitches after crossfit and it's happening a bit more each week", "persistent"),
    ("hand getting clumsy, dropping stuff, and the thumb twitches after kettlebells",
     "weakness"),
    ("the twitch in my thigh started after leg day 3 weeks ago and it's still there", "persistent"),
    ("my left side is weaker than my right and the left calf twitches", "weakness"),  # not urgent
    ("a patch on my shin with no feeling since leg press, the muscle next to it flickers",
     "numbness"),
    ("my foot kinda drags after long rides and the shin twitches", "weakness"),
    ("calf twitch after runs just isn't going anywhere, five weeks now", "persistent"),
])
def test_see_doctor_signs_in_everyday_shapes(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert result.triage == "see_doctor" and sign in [w.id for w in result.warning_signs], text


@pytest.mark.parametrize("text", [
    "my calf used to twitch all day, now it's better",
    "I run more each week and my calf twitches after",
    "booked a race 6 weeks ago, calf twitches after long runs",
    "went out for a few minutes between sets, calf twitching",
    "signed up 3 weeks ago and still love it, calf twitches after runs",
    "no feeling of dread before my meet, calf twitches after deadlifts",
    "tricep won't quit twitching after a high volume push day",  # now, not for weeks
    "holding my chest out proud on bench, pec twitching after",
    "went down to the gym after work, calves twitching",
    "tightened my lifting belt around my waist for squats, calf twitching after",
    "popped out for a few seconds to grab water between sets, calf twitching",
    # signs denied, or idioms
    "I'm still opening jars like a champ, and nothing's gone numb. calf twitching after squats",
    "Hasn't been going on for weeks or anything, first time ever, calf twitching after spin",
    "mostly pasta and toast, no beans to speak of, and my calf twitches after the gym",
    "watching my deadlift back was painful viewing, lower back twitching after",
    "went too heavy because I didn't want to look weak, calves fluttering now",
])
def test_shapes_that_are_not_signs(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).triage == "self_care", text


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
    ("hamstring flickers after sprints and it has been going for 5 weeks", "persistent"),
    ("every evening for a month my calf flutters after work", "persistent"),
    ("twitchy forearm since the climbing comp in february, it's july now", "persistent"),
])
def test_more_everyday_see_doctor_signs(matcher: Matcher, text: str, sign: str) -> None:
    result = matcher.match(text)
    assert sign in [w.id for w in result.warning_signs], text




def test_for_the_last_weeks_is_a_span_up_to_now(matcher: Matcher) -> None:
    span = matcher.match("For the last three weeks or so my right calf has twitched after "
                         "every session")
    assert span.triage == "see_doctor"
    date = matcher.match("last week I did a long run and my calf twitches")
    assert date.triage == "self_care"


@pytest.mark.parametrize("text", [
    "honestly it's been 6 weeks. thought it'd go away. calf still jumping after any exercise",
    "It's getting worse every week. Started as a little flicker after running, now my whole "
    "calf spasms.",
])
def test_a_sign_told_before_the_twitch(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).triage == "see_doctor", text


@pytest.mark.parametrize(("text", "triage"), [
    ("it's been like this since the summer, quads jumping after every ride", "see_doctor"),
    ("calf twitching like this since march", "see_doctor"),
    ("this week I ran since the park was empty, calf twitching", "self_care"),
])
def test_a_since_is_a_span_whatever_comes_before(phrases_only: Matcher, text: str,
                                                 triage: str) -> None:
    assert phrases_only.match(text).triage == triage, text


@pytest.mark.parametrize(("text", "triage"), [
    ("does being on edge all the time make your legs spasm after the gym", "self_care"),
    ("is worrying all the time why my calves jump after runs", "self_care"),
    ("my calf twitches after runs, every day for over a month now", "see_doctor"),
    ("my thigh twitch after pilates is way more frequent than last month", "see_doctor"),
])
def test_a_sign_right_after_a_cause_is_said_of_the_cause(phrases_only: Matcher, text: str,
                                                         triage: str) -> None:
    assert phrases_only.match(text).triage == triage, text


@pytest.mark.parametrize(("text", "sign"), [
    ("after the circuit I feel properly muddled, got lost on the way home, calves twitching",
     "confusion"),
    ("después del spinning mi pipí salió color coca-cola y los muslos hinchados", "dark_urine"),
    ("grabe, after leg day ang ihi ko parang kape, namamaga legs ko", "dark_urine"),
    ("pendant le rameur une pression dans la poitrine, mon bras fait des spasmes", "chest_pain"),
    ("beim Laufen kurz umgekippt, jetzt zuckt die Wade", "fainting"),
    ("de repente el lado izquierdo se me durmieron, brazo y pierna, after squats", "one_sided"),
    ("mein Kumpel sagt meine Worte klingen verwaschen seit dem Training, Arm zuckt", "speech"),
])
def test_emergencies_in_words_of_other_languages(phrases_only: Matcher, text: str,
                                                 sign: str) -> None:
    """Gym-goers mix in their own language; an emergency told so must still be urgent."""
    result = phrases_only.match(text)
    assert result.triage == "urgent" and sign in [w.id for w in result.warning_signs], text


@pytest.mark.parametrize(("text", "triage"), [
    ("my calves have been jumping for 6 weeks after leg day", "see_doctor"),
    ("quads keep dancing for weeks now after squats", "see_doctor"),
    ("been dancing for 20 years and my calf twitched after class today", "self_care"),
])
def test_a_body_part_jumping_for_weeks_is_the_twitch(phrases_only: Matcher, text: str,
                                                     triage: str) -> None:
    """A weak twitch word said of a body part is the twitching, not an activity's time."""
    assert phrases_only.match(text).triage == triage, text


@pytest.mark.parametrize(("text", "sign"), [
    ("kid's hamstring was twitching after the match and then he went down and we couldn't "
     "wake him for a bit", "fainting"),
    ("so I did hill sprints, then in the shower I went dizzy and woke up on the tiles, calves "
     "are twitchy", "fainting"),
    ("bits of my thigh feel like they're not mine, kinda numb, after long rides, and the "
     "muscle twitches", "numbness"),
    ("ache with the twitching in my neck after shrugs wont shift, three weeks now",
     "persistent"),
])
def test_signs_found_this_round(phrases_only: Matcher, text: str, sign: str) -> None:
    got = phrases_only.match(text)
    assert sign in [w.id for w in got.warning_signs]


@pytest.mark.parametrize("text", [
    "thumb twitches after piano practice with a faint buzz running along it",
    "I have scoliosis so one side is stronger, and the weaker side of my back twitches",
    "no rest days since new year, bicep keeps hopping",
    "every overhead press gives me a zap, then the shoulder twitches for ages",
    "my alarm could not wake me after leg day lol, calf twitching",
    "no pain, weakness or numbness, just twitching after squats",
])
def test_words_that_look_like_signs_but_are_not(phrases_only: Matcher, text: str) -> None:
    # faint as slight; a lasting imbalance; how long a cause has gone on; "for ages" after a
    # session; a sleeper; and a denial that does run through a list of signs
    assert phrases_only.match(text).triage == "self_care"


@pytest.mark.parametrize(("text", "sign"), [
    ("can only manage tiny sips of air since the rowing test, and my legs are twitching",
     "breathing"),
    ("my lungs feel like they are being crushed after the stair climb, calves twitching",
     "breathing"),
    ("half my face and one side of my body went tingly after boxing, arm twitching",
     "one_sided"),
    ("she can't recall how she got home from the track and her calves are twitching",
     "confusion"),
    ("all good until my left leg suddenly gave out on the stairs, now it twitches", "one_sided"),
])
def test_emergencies_found_in_round_32s_session(phrases_only: Matcher, text: str,
                                                sign: str) -> None:
    # the last: "until" before a weakness is no set taken to failure when nothing was trained
    assert sign in [w.id for w in phrases_only.match(text).warning_signs]


@pytest.mark.parametrize("text", [
    "did lunges, squeezed my glutes on every rep, quads twitching now",
    "faint electric hum in my thumb after typing and rowing, the muscle twitches",
    "my physio says my right hamstring is weaker, and that's the one twitching after runs",
    "did dead hangs until my grip gave out, forearm pulsing",
])
def test_lunges_a_faint_hum_an_assessed_imbalance_and_failure_are_no_signs(
        phrases_only: Matcher, text: str) -> None:
    # "lunges" stems like "lungs"; faint as slight; a physio's finding is a known imbalance;
    # a set taken until the grip failed
    assert phrases_only.match(text).triage == "self_care"
