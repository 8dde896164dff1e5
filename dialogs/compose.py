"""Replies built from the Knowledge: triage first, then causes, self-care, prevention, choices."""

from __future__ import annotations

from collections.abc import Iterable

from dialogs import texts
from dialogs.actions import choice, make_handoff
from dialogs.inputs import Problem
from dialogs.types import Block, Bullets, Choice, Reply, ReplyKind, Text, Warning
from knowledge.schema import Knowledge

MAX_STEPS = 3
RELATED = {  # which questions to offer after an answer (ids only)
    "normal": ("concern", "manage", "prevent"),
    "prevent": ("manage", "concern"),
    "stress": ("manage", "prevent", "concern"),
    "concern": ("underlying", "manage"),
    "underlying": ("concern", "manage"),
    "manage": ("prevent", "concern"),
}
_PROBLEM_TEXT = {
    Problem.EMPTY: texts.EMPTY,
    Problem.NO_WORDS: texts.NO_WORDS,
    Problem.UNREADABLE: texts.UNREADABLE,
}


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _interleave(lists: list[list[str]]) -> list[str]:
    """First items of every list, then the second ones..., without repeats."""
    longest = max((len(x) for x in lists), default=0)
    return _unique(x[i] for i in range(longest) for x in lists if i < len(x))


class Composer:
    """Builds every reply of the engine from one Knowledge; pure, no state of its own.

    `chat_id` is the group chat being answered (None in private): group replies' hand-offs
    name it, so the private chat can go on with the presser's own conversation there.
    """

    def __init__(self, knowledge: Knowledge, chat_id: str | None = None) -> None:
        self.k = knowledge
        self.chat_id = chat_id

    # --- triage ------------------------------------------------------------------------
    def ordered(self, warnings: tuple[str, ...]) -> tuple[str, ...]:
        """Warning sign ids, the most serious level first."""
        levels = {w.id: w.level for w in self.k.warnings}
        return tuple(sorted(warnings, key=lambda w: levels.get(w) != "urgent"))

    def warning(self, triage: str, warnings: tuple[str, ...]) -> Warning | None:
        """The Warning block for a triage level, naming the signs found at that level."""
        if triage not in ("see_doctor", "urgent"):
            return None
        signs = [w for w in self.k.warnings if w.id in warnings and w.level == triage]
        if signs:
            return Warning(
                level=triage,
                title="; ".join(w.label for w in signs[:3]),
                text=" ".join(_unique(w.advice for w in signs[:3])),
            )
        if triage == "urgent":
            urgent = [w for w in self.k.warnings if w.level == "urgent"]
            return Warning(
                level="urgent",
                title=texts.WORRY_URGENT_TITLE,
                text="; ".join(w.label for w in urgent) + ". " + urgent[0].advice,
            )
        return Warning(
            level="see_doctor",
            title=texts.SEE_DOCTOR_TITLE,
            text=self.k.question("concern").answer,
        )

    def reminder(self, warnings: tuple[str, ...]) -> Warning:
        """A short urgent reminder that opens every later reply of an urgent conversation."""
        signs = {w.id: w for w in self.k.warnings if w.level == "urgent"}
        found = [signs[w] for w in warnings if w in signs]
        if not found:  # urgent without a known sign (e.g. the knowledge changed): the full list
            block = self.warning("urgent", ())
            assert block is not None
            return block
        title = texts.URGENT_REMINDER_TITLE.format(signs="; ".join(w.label for w in found[:3]))
        return Warning(level="urgent", title=title, text=found[0].advice)

    def urgent(self, causes: tuple[str, ...], warnings: tuple[str, ...], *, group: bool) -> Reply:
        """Urgent advice alone: nothing else competes for attention."""
        block = self.warning("urgent", self.ordered(warnings))
        if block is None:  # pragma: no cover - warning() always answers for "urgent"
            raise RuntimeError("no urgent warning")
        handoff = make_handoff("adv", self.chat_id) if group else None
        return Reply(ReplyKind.COMPLAINT, (block,), causes=causes, triage="urgent",
                     handoff=handoff)

    # --- complaints ----------------------------------------------------------------------
    def steps_for(self, causes: tuple[str, ...]) -> list[str]:
        """Self-care step ids that fit the causes, taking each cause's best in turn."""
        if not causes:
            return [s.id for s in self.k.self_care]
        return _interleave([self.k.cause(c).self_care for c in causes])

    def tips_for(self, causes: tuple[str, ...]) -> list[str]:
        if not causes:
            return [t.id for t in self.k.prevention]
        return _interleave([self.k.cause(c).prevention for c in causes])

    def deeper(self, causes: tuple[str, ...], skip: str = "") -> tuple[Choice, ...]:
        """The go-deeper choices after a complaint: why, prevent, when to worry, other causes."""
        if not causes:
            names = [("worry", ()), ("list", ("causes",)), ("list", ("prevent",))]
        else:
            names = [("why", causes), ("prevent", causes), ("worry", ()), ("more", causes)]
        return tuple(choice(n, self.k, a) for n, a in names if n != skip)

    def complaint(self, causes: tuple[str, ...], triage: str, warnings: tuple[str, ...], *,
                  group: bool, lead: str | None = None) -> Reply:
        """Likely causes, fitting self-care, one prevention tip; see_doctor said first.

        In an urgent conversation the complaint is the urgent advice alone (design.md §3).
        """
        if triage == "urgent":
            return self.urgent(causes, warnings, group=group)
        blocks: list[Block] = []
        if (warning := self.warning(triage, warnings)) is not None:
            blocks.append(warning)
        steps = [self.k.step(s) for s in self.steps_for(causes)]
        if group:
            if causes:
                titles = "; ".join(self.k.cause(c).title for c in causes)
                blocks.append(Text(texts.GROUP_LIKELY.format(causes=titles)))
            blocks.append(Text(f"{steps[0].text} {texts.GROUP_MORE}"))
            handoff = make_handoff("adv", self.chat_id)
            return Reply(ReplyKind.COMPLAINT, tuple(blocks), causes=causes, triage=triage,
                         handoff=handoff)
        if lead:
            blocks.append(Text(lead))
        if causes:
            blocks.append(Bullets(
                tuple(f"{self.k.cause(c).title}: {self.k.cause(c).summary}" for c in causes),
                title=texts.LIKELY_TITLE,
            ))
        shown = steps[:MAX_STEPS] if causes else steps
        blocks.append(Bullets(tuple(s.text for s in shown), title=texts.SELF_CARE_TITLE))
        if causes:
            tip = self.k.tip(self.tips_for(causes)[0])
            blocks.append(Text(texts.PREVENT_LEAD.format(tip=tip.text)))
        return Reply(ReplyKind.COMPLAINT, tuple(blocks), self.deeper(causes), causes=causes,
                     triage=triage)

    def clarify(self, round_: int, turn: int, *, group: bool) -> Reply:
        """One clarifying question; its choices carry the turn they answer."""
        if group:
            return Reply(ReplyKind.CLARIFY, (Text(texts.GROUP_CLARIFY),),
                         handoff=make_handoff("clar", self.chat_id))
        choices = tuple(choice("clar", self.k, (f,), turn) for f in texts.FACTOR_LABELS)
        return Reply(ReplyKind.CLARIFY, (Text(texts.CLARIFY[round_ - 1]),), choices)

    # --- questions and details ----------------------------------------------------------
    def answer(self, qid: str, causes: tuple[str, ...], triage: str, *, group: bool,
               kind: ReplyKind = ReplyKind.ANSWER, show_causes: bool = False) -> Reply:
        """The article's answer, with the list it refers to where it has one."""
        q = self.k.question(qid)
        if group:
            return Reply(kind, (Text(q.answer), Text(texts.GROUP_MORE)), causes=causes,
                         question=qid, triage=triage,
                         handoff=make_handoff("q", self.chat_id))
        blocks: list[Block] = [Text(q.question, strong=True), Text(q.answer)]
        if qid == "manage":
            steps = [self.k.step(s).text for s in self.steps_for(())]
            blocks.append(Bullets(tuple(steps), title=texts.SELF_CARE_TITLE))
        elif qid == "prevent":
            tips = [self.k.tip(t).text for t in self.tips_for(causes)]
            blocks.append(Bullets(tuple(tips), title=texts.PREVENT_TITLE))
        elif qid == "concern":
            blocks += self._sign_lists()
        if show_causes and causes:
            blocks.append(Bullets(
                tuple(f"{self.k.cause(c).title}: {self.k.cause(c).summary}" for c in causes),
                title=texts.LIKELY_TITLE,
            ))
        if causes:
            choices = self.deeper(causes, skip="worry" if qid == "concern" else "")
        else:
            choices = tuple(choice("q", self.k, (r,)) for r in RELATED[qid])
            choices += (choice("list", self.k, ("causes",)),)
        return Reply(kind, tuple(blocks), choices, causes=causes, question=qid, triage=triage)

    def _sign_lists(self) -> list[Block]:
        doctor = tuple(w.label for w in self.k.warnings if w.level == "see_doctor")
        urgent = tuple(w.label for w in self.k.warnings if w.level == "urgent")
        return [Bullets(doctor, title=texts.WORRY_DOCTOR_TITLE),
                Bullets(urgent, title=texts.WORRY_URGENT_TITLE)]

    def why(self, causes: tuple[str, ...], triage: str) -> Reply:
        blocks: list[Block] = []
        for c in causes:
            cause = self.k.cause(c)
            blocks += [Text(cause.title, strong=True), Text(cause.why)]
        return Reply(ReplyKind.DETAIL, tuple(blocks), self.deeper(causes, skip="why"),
                     causes=causes, triage=triage)

    def prevent(self, causes: tuple[str, ...], triage: str) -> Reply:
        tips = tuple(self.k.tip(t).text for t in self.tips_for(causes))
        blocks = (Bullets(tips, title=texts.PREVENT_TITLE),
                  Text(f"{texts.PREVENT_GENERAL_TITLE} {self.k.question('prevent').answer}"))
        return Reply(ReplyKind.DETAIL, blocks, self.deeper(causes, skip="prevent"),
                     causes=causes, question="prevent", triage=triage)

    def care(self, causes: tuple[str, ...], triage: str) -> Reply:
        steps = tuple(self.k.step(s).text for s in self.steps_for(causes))
        return Reply(ReplyKind.DETAIL, (Bullets(steps, title=texts.SELF_CARE_TITLE),),
                     self.deeper(causes), causes=causes, question="manage", triage=triage)

    def worry(self, causes: tuple[str, ...], triage: str) -> Reply:
        return self.answer("concern", causes, triage, group=False, kind=ReplyKind.DETAIL)

    def more(self, causes: tuple[str, ...], triage: str) -> Reply:
        others = [c for c in self.k.causes if c.id not in causes]
        blocks = (Bullets(tuple(f"{c.title}: {c.summary}" for c in others),
                          title=texts.OTHER_CAUSES_TITLE),)
        choices = tuple(choice("cause", self.k, (c.id,)) for c in others)
        return Reply(ReplyKind.DETAIL, blocks, choices, causes=causes, triage=triage)

    def cause(self, cause_id: str, triage: str) -> Reply:
        c = self.k.cause(cause_id)
        steps = tuple(self.k.step(s).text for s in c.self_care)
        tips = " ".join(self.k.tip(t).text for t in c.prevention)
        blocks = (Text(c.title, strong=True), Text(c.why),
                  Bullets(steps, title=texts.CAUSE_SELF_CARE_TITLE),
                  Text(texts.PREVENT_LEAD.format(tip=tips)))
        choices = (choice("worry", self.k), choice("list", self.k, ("causes",)))
        return Reply(ReplyKind.DETAIL, blocks, choices, causes=(cause_id,), triage=triage)

    # --- lists (commands and list: choices) ------------------------------------------------
    def listing(self, name: str, *, group: bool, kind: ReplyKind) -> Reply:
        k = self.k
        if group:
            line = {
                "causes": lambda: "; ".join(c.title for c in k.causes) + ".",
                "faq": lambda: " ".join(q.question for q in k.questions),
                "selfcare": lambda: k.question("manage").answer,
                "prevent": lambda: k.question("prevent").answer,
            }[name]()
            return Reply(kind, (Text(line), Text(texts.GROUP_MORE)), handoff=make_handoff(name))
        if name == "causes":
            blocks: tuple[Block, ...] = (Bullets(
                tuple(f"{c.title}: {c.summary}" for c in k.causes), title=texts.ALL_CAUSES_TITLE),)
            choices = tuple(choice("cause", k, (c.id,)) for c in k.causes)
        elif name == "faq":
            blocks = (Bullets(tuple(q.question for q in k.questions), title=texts.FAQ_TITLE),)
            choices = tuple(choice("q", k, (q.id,)) for q in k.questions)
        elif name == "selfcare":
            blocks = (Bullets(tuple(s.text for s in k.self_care),
                              title=texts.SELF_CARE_ALL_TITLE),)
            choices = (choice("worry", k), choice("list", k, ("prevent",)))
        else:
            blocks = (Text(k.question("prevent").answer),
                      Bullets(tuple(t.text for t in k.prevention), title=texts.PREVENT_TITLE))
            choices = (choice("worry", k), choice("list", k, ("selfcare",)))
        question = {"selfcare": "manage", "prevent": "prevent"}.get(name)
        return Reply(kind, blocks, choices, question=question)

    # --- commands and small replies -------------------------------------------------------
    def start(self, *, group: bool) -> Reply:
        if group:
            return Reply(ReplyKind.COMMAND, (Text(texts.GROUP_GREETING),),
                         handoff=make_handoff("start"))
        choices = (choice("list", self.k, ("causes",)), choice("list", self.k, ("faq",)),
                   choice("list", self.k, ("selfcare",)))
        return Reply(ReplyKind.COMMAND, (Text(texts.GREETING),), choices)

    def help(self, *, group: bool) -> Reply:
        if group:
            return Reply(ReplyKind.COMMAND, (Text(texts.GROUP_HELP),))
        return Reply(ReplyKind.COMMAND, (Bullets(texts.help_lines(), title=texts.HELP_INTRO),),
                     (choice("list", self.k, ("causes",)), choice("list", self.k, ("faq",))))

    def about(self, disclaimer: Block, *, group: bool) -> Reply:
        template = texts.GROUP_ABOUT if group else texts.ABOUT
        return Reply(ReplyKind.COMMAND,
                     (Text(template.format(source=self.k.source_title)), disclaimer))

    def line(self, kind: ReplyKind, text: str, choices: tuple[Choice, ...] = ()) -> Reply:
        return Reply(kind, (Text(text),), choices)

    def bad_input(self, problem: Problem) -> Reply:
        return self.line(ReplyKind.BAD_INPUT, _PROBLEM_TEXT[problem])
