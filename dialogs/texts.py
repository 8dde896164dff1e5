"""The bot's own UI prose (greetings, prompts, labels); all medical content comes from Knowledge."""

from __future__ import annotations

from dialogs.commands import COMMANDS

BOT_NAME = "aftertwitch"

GREETING = (
    "Hi, I'm aftertwitch. Tell me which muscle twitches and what your last workout was like, "
    "e.g. \"my calves keep twitching after leg day, I barely drank anything\"."
)
GROUP_GREETING = "Hi! Tell me what's twitching with /twitch, or talk to me in private."
HANDOFF_LEAD = "Picking up where we left off in the group:"
URGENT_REMINDER_TITLE = "Reminder, you mentioned: {signs}"

HELP_INTRO = (
    "Describe what's twitching and what you did (training, water, warm-up, sleep, stress), "
    "or ask a question like \"when should I worry?\". Commands:"
)
GROUP_HELP = "Mention me or use /twitch <what's happening>; details are best in a private chat."
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
TWITCH_EMPTY = "Tell me what's happening after the command, e.g. /twitch calves after leg day."

OFF_TOPIC = (
    "I only know about muscles that twitch, spasm or cramp after a workout. Tell me what's "
    "twitching, or send /help."
)
MEDIA = "I can read text only. Tell me in words what's twitching and what you did."
EDITED = "I only read new messages: please send it again as a new message."
EMPTY = "Tell me which muscle is twitching and what your last workout was like."
NO_WORDS = "I can only read words, not emoji or symbols alone. Tell me what's twitching."
UNREADABLE = "I couldn't read that message. Please write it in plain words."
ERROR = "Sorry, something went wrong on my side. Please try again in a moment."

FORGET_DONE = "Done: I deleted everything I had stored about you in this chat."
FORGET_NOTHING = "I had nothing stored about you in this chat, so there was nothing to delete."

EXPIRED_STALE = "That button belongs to an earlier message, so I left it alone."
EXPIRED_CURRENT = "These are the current options:"
EXPIRED_GONE = (
    "I don't remember that conversation any more (it expired or was deleted). Tell me what's "
    "twitching and we'll start again."
)
EXPIRED_UNKNOWN = "I don't recognise that button. Tell me what's happening, or send /help."

CLARIFY = [
    "Tell me a bit more so I can help. Which of these fits your last workout best?",
    "I'm still not sure what's behind it. Pick what comes closest, or describe your last "
    "session in a few words.",
]
GROUP_CLARIFY = (
    "Tell me a bit more: how hard was the session, did you drink and warm up, any tingling? "
    "Or continue in private and pick from a list."
)
GENERAL_LEAD = "I couldn't pin it down further, so here is the most common explanation."

LIKELY_TITLE = "Most likely:"
GROUP_LIKELY = "Most likely: {causes}."
SELF_CARE_TITLE = "What you can do now:"
PREVENT_LEAD = "To stop it coming back: {tip}"
PREVENT_TITLE = "To stop it coming back:"
PREVENT_GENERAL_TITLE = "In general:"
OTHER_CAUSES_TITLE = "Other common causes:"
ALL_CAUSES_TITLE = "The ten common causes of twitching after a workout:"
CAUSE_SELF_CARE_TITLE = "What helps:"
FAQ_TITLE = "Common questions, answered from the article:"
SELF_CARE_ALL_TITLE = "Ways to calm a twitch after a workout:"
WORRY_DOCTOR_TITLE = "See a healthcare professional if it comes with:"
WORRY_URGENT_TITLE = "Get emergency care at once for:"
SEE_DOCTOR_TITLE = "Worth getting checked"
GROUP_MORE = "More in a private chat."

ABOUT = (
    "I'm aftertwitch, a chatbot for muscles that twitch, spasm or cramp after a workout. "
    "Everything I say comes from one source: {source}. I keep only what I need to go on with "
    "our chat (no message text); /forget deletes it."
)
GROUP_ABOUT = "I'm aftertwitch: I explain post-workout twitching from one source: {source}."

LABELS = {
    "why": "Why does this happen?",
    "prevent": "How do I prevent it?",
    "worry": "When should I worry?",
    "more": "Other causes",
    "care": "What can I do now?",
    "list:causes": "All ten causes",
    "list:faq": "Common questions",
    "list:selfcare": "What can I do now?",
    "list:prevent": "How do I prevent it?",
}

# The clarifying question's answers (design.md §3), in order.
FACTOR_LABELS = {
    "session": "Long or hard session",
    "heat": "Little water or heat",
    "warmup": "Skipped warm-up",
    "tingling": "Tingling or numbness",
    "rest": "No rest days",
    "stress": "Stress",
    "diet": "Diet",
    "form": "Unsure of form",
    "condition": "Known condition",
    "unsure": "None of these / not sure",
}

LABEL_MAX = 80  # Discord's button label limit


def help_lines() -> tuple[str, ...]:
    """One line per command, from the shared command list."""
    return tuple(f"/{c.name}: {c.description}" for c in COMMANDS)


def clip(text: str, limit: int = LABEL_MAX) -> str:
    """Shorten a label to the platforms' limit, on a word boundary."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
