"""The fake Telegram's world: the bot, users, chats, messages and the updates a test pushes.

`FakeTelegramAPI` serves this world over HTTP; the builders here make updates shaped like the
real ones (commands and mentions with their entities, button presses on the message as it is
now, the two migration service messages, `my_chat_member` when the bot is removed).
"""

from __future__ import annotations

import asyncio
import itertools
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from .telegram_markup import utf16_length

JSON = dict[str, Any]
_COMMAND_IN_TEXT = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION_IN_TEXT = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}\b")


@dataclass
class Pushed:
    """An update the test pushed: its id and payload (and the message or query it holds)."""

    update_id: int
    update: JSON

    @property
    def message(self) -> JSON:
        for key in ("message", "edited_message"):
            if key in self.update:
                return self.update[key]
        raise KeyError("this update holds no message")

    @property
    def query_id(self) -> str:
        return str(self.update["callback_query"]["id"])


class TelegramWorld:
    """State shared with the server: chats, messages, queued updates, pending button presses."""

    def __init__(self, *, bot_id: int, bot_username: str, bot_name: str) -> None:
        self.bot_user: JSON = {
            "id": bot_id, "is_bot": True, "first_name": bot_name, "username": bot_username,
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False,
            "has_main_web_app": False,
        }  # fmt: skip
        self._updates: list[JSON] = []
        self._updates_changed = asyncio.Event()
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._chats: dict[int, JSON] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._pending_queries: set[str] = set()
        self._answered_queries: set[str] = set()
        self._unreachable: dict[int, str] = {}
        self._migrated: dict[int, int] = {}

    @property
    def bot_username(self) -> str:
        return str(self.bot_user["username"])

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    def _on_update(self) -> None:
        """Called after every push (the server wakes its long polls)."""

    def block(self, chat_id: int, reason: str = "Forbidden: bot was blocked by the user") -> None:
        """Make every send to `chat_id` fail with 403 (blocked user, kicked bot...)."""
        self._unreachable[chat_id] = reason

    def unblock(self, chat_id: int) -> None:
        self._unreachable.pop(chat_id, None)

    def user(self, user_id: int, first_name: str, username: str | None = None) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        return user

    def private_chat(self, user: JSON) -> JSON:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def group_chat(
        self, chat_id: int, title: str = "Iron Temple", *, supergroup: bool = False
    ) -> JSON:
        return {"id": chat_id, "type": "supergroup" if supergroup else "group", "title": title}

    def push(self, update: JSON) -> Pushed:
        """Queue an update (its update_id is assigned here) for the bot's next getUpdates."""
        full = {"update_id": next(self._update_ids), **update}
        self._updates.append(full)
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()
        self._on_update()
        return Pushed(full["update_id"], full)

    def new_message(self, chat: JSON, sender: JSON | None, **fields: Any) -> JSON:
        """A message dict in `chat` with the next message id (stored, not pushed)."""
        self._chats[chat["id"]] = chat
        ids = self._message_ids.setdefault(chat["id"], itertools.count(1))
        message: JSON = {"message_id": next(ids), "date": int(time.time()), "chat": chat}
        if sender is not None:
            message["from"] = sender
        message.update(fields)
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def send_text(
        self,
        chat: JSON,
        sender: JSON,
        text: str,
        *,
        reply_to: JSON | None = None,
        entities: list[JSON] | None = None,
    ) -> Pushed:
        """A user's text message; commands and @mentions get their entities as clients do."""
        fields: JSON = {"text": text}
        found = auto_entities(text) if entities is None else entities
        if found:
            fields["entities"] = found
        if reply_to is not None:
            fields["reply_to_message"] = shallow(reply_to)
        return self.push({"message": self.new_message(chat, sender, **fields)})

    def send_media(
        self,
        chat: JSON,
        sender: JSON,
        kind: str = "sticker",
        *,
        caption: str | None = None,
        reply_to: JSON | None = None,
    ) -> Pushed:
        """A sticker, photo, voice note, ... (no text); photos, videos and documents may have
        a caption, with the entities a client attaches to it (`caption_entities`)."""
        file = {"file_id": f"{kind}-{secrets.token_hex(4)}", "file_unique_id": secrets.token_hex(4)}
        payloads: dict[str, Any] = {
            "sticker": {**file, "type": "regular", "width": 512, "height": 512,
                        "is_animated": False, "is_video": False, "emoji": "💪"},
            "photo": [{**file, "width": 90, "height": 90}],
            "voice": {**file, "duration": 3},
            "video": {**file, "width": 320, "height": 240, "duration": 3},
            "document": {**file, "file_name": "log.pdf"},
            "location": {"latitude": 52.52, "longitude": 13.40},
        }  # fmt: skip
        fields: JSON = {kind: payloads[kind]}
        if caption is not None:
            fields["caption"] = caption
            if found := auto_entities(caption):
                fields["caption_entities"] = found
        if reply_to is not None:
            fields["reply_to_message"] = shallow(reply_to)
        return self.push({"message": self.new_message(chat, sender, **fields)})

    def edit_text(self, message: JSON, text: str) -> Pushed:
        """The user edited `message`: an `edited_message` update with the new text."""
        edited = {**message, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        if found := auto_entities(text):
            edited["entities"] = found
        self._messages[(message["chat"]["id"], message["message_id"])] = edited
        return self.push({"edited_message": edited})

    def press(self, sender: JSON, message: JSON, data: str) -> Pushed:
        """A button press on `message` (a bot message, as it is now) with `data`."""
        current = self._messages.get((message["chat"]["id"], message["message_id"]), message)
        query_id = f"{next(self._query_ids)}{secrets.randbelow(10**9)}"
        self._pending_queries.add(query_id)
        query = {
            "id": query_id,
            "from": sender,
            "chat_instance": str(abs(hash(current["chat"]["id"]))),
            "data": data,
            "message": current,
        }
        return self.push({"callback_query": query})

    def migrate(self, group: JSON, new_chat_id: int, sender: JSON) -> list[Pushed]:
        """The group became a supergroup: the two service messages Telegram sends."""
        supergroup = {**group, "id": new_chat_id, "type": "supergroup"}
        old = self.push(
            {"message": self.new_message(group, sender, migrate_to_chat_id=new_chat_id)}
        )
        new = self.push(
            {"message": self.new_message(supergroup, sender, migrate_from_chat_id=group["id"])}
        )
        self._migrated[group["id"]] = new_chat_id
        return [old, new]

    def remove_bot(self, chat: JSON, by: JSON, *, status: str = "kicked") -> Pushed:
        """The bot was removed from a group ("kicked") or left it ("left"); or, in a private
        chat, the user blocked it ("kicked"). Later sends to the chat get 403."""
        reason = {
            ("private", "kicked"): "Forbidden: bot was blocked by the user",
            ("group", "kicked"): "Forbidden: bot was kicked from the group chat",
            ("supergroup", "kicked"): "Forbidden: bot was kicked from the supergroup chat",
        }.get((chat["type"], status), "Forbidden: bot is not a member of the group chat")
        self.block(chat["id"], reason)
        new_member: JSON = {"user": self.bot_user, "status": status}
        if status == "kicked":
            new_member["until_date"] = 0
        change = {
            "chat": chat,
            "from": by,
            "date": int(time.time()),
            "old_chat_member": {"user": self.bot_user, "status": "member"},
            "new_chat_member": new_member,
        }
        return self.push({"my_chat_member": change})


def auto_entities(text: str) -> list[JSON]:
    """The bot_command and mention entities a Telegram client attaches to `text`."""
    entities: list[JSON] = []
    covered: list[range] = []
    for match in _COMMAND_IN_TEXT.finditer(text):
        covered.append(range(match.start(), match.end()))
        entities.append(_entity("bot_command", text, match.start(), match.end()))
    for match in _MENTION_IN_TEXT.finditer(text):
        if not any(match.start() in span for span in covered):
            entities.append(_entity("mention", text, match.start(), match.end()))
    return sorted(entities, key=lambda e: e["offset"])


def _entity(kind: str, text: str, start: int, end: int) -> JSON:
    offset = utf16_length(text[:start])
    return {"type": kind, "offset": offset, "length": utf16_length(text[start:end])}


def shallow(message: JSON) -> JSON:
    """A message as embedded in another (`reply_to_message` holds no reply of its own)."""
    return {k: v for k, v in message.items() if k != "reply_to_message"}
