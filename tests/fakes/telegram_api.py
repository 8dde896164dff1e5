"""A fake Telegram Bot API server on loopback (aiohttp), faithful enough to prove a real bot.

It serves `POST /bot<token>/<method>` like api.telegram.org: getMe, getUpdates (long polling
with offset/limit/timeout/allowed_updates, 409 when another poll takes over), sendMessage,
editMessageText, editMessageReplyMarkup, answerCallbackQuery, set/get/deleteMyCommands,
deleteWebhook, getWebhookInfo. It records every call and enforces the real limits with the
real error answers (see `telegram_markup` for text and keyboards). Tests push updates with the
helpers of `telegram_world` (`send_text`, `press`, `migrate`, ...) and await effects with
`next_call`, never sleeps.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import string
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .telegram_markup import MarkupError, check_reply_markup, message_text
from .telegram_world import JSON, Pushed, TelegramWorld, auto_entities, shallow

__all__ = ["ApiCall", "ApiError", "FakeTelegramAPI", "Pushed", "auto_entities"]

TOKEN_SHAPE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{35}$")
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
MAX_COMMANDS = 100
SCOPES = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
     "chat_administrators", "chat_member"}
)  # fmt: skip
DEFAULT_ALLOWED = frozenset(
    {"message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
     "business_message", "edited_business_message", "deleted_business_messages", "inline_query",
     "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
     "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_join_request",
     "chat_boost", "removed_chat_boost"}
)  # fmt: skip
"""What getUpdates delivers when allowed_updates was never given (not chat_member, reactions)."""

QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
TERMINATED_BY_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_INT_FIELDS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "user_id",
     "from_chat_id", "reply_to_message_id", "message_thread_id"}
)  # fmt: skip
_BOOL_FIELDS = frozenset(
    {"show_alert", "disable_notification", "protect_content", "allow_sending_without_reply",
     "drop_pending_updates", "disable_web_page_preview", "allow_paid_broadcast"}
)  # fmt: skip
_JSON_FIELDS = frozenset(
    {"reply_markup", "reply_parameters", "commands", "scope", "allowed_updates", "entities",
     "link_preview_options"}
)  # fmt: skip


class ApiError(Exception):
    """An error answer: HTTP status, description, optional `parameters`."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


def bad_request(description: str, parameters: JSON | None = None) -> ApiError:
    return ApiError(400, description, parameters)


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made, as decoded, and what the fake answered."""

    index: int
    method: str
    params: JSON
    status: int
    response: JSON
    arrived: float
    answered: float

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str:
        return str(self.response.get("description", ""))

    @property
    def chat_id(self) -> int | str | None:
        return self.params.get("chat_id")

    @property
    def text(self) -> str:
        """The text as the user sees it (after entity parsing), for sent/edited messages."""
        if isinstance(self.result, dict):
            return str(self.result.get("text", ""))
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[list[JSON]]:
        markup = self.params.get("reply_markup")
        return markup.get("inline_keyboard", []) if isinstance(markup, dict) else []


@dataclass
class _Failure:
    status: int
    description: str
    parameters: JSON | None
    remaining: int


@dataclass
class _Poll:
    generation: int
    woken: asyncio.Event = field(default_factory=asyncio.Event)


class FakeTelegramAPI(TelegramWorld):
    """The fake server. `async with FakeTelegramAPI() as api:` then point the bot at `base_url`."""

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_id: int = 7_000_000_001,
        bot_username: str = "aftertwitch_test_bot",
        bot_name: str = "AfterTwitch",
    ) -> None:
        super().__init__(bot_id=bot_id, bot_username=bot_username, bot_name=bot_name)
        alphabet = string.ascii_letters + string.digits + "_-"
        self.token = token or f"{bot_id}:" + "".join(secrets.choice(alphabet) for _ in range(35))
        self.calls: list[ApiCall] = []
        self._consumed: set[int] = set()
        self._calls_changed = asyncio.Event()
        self._failures: dict[str, list[_Failure]] = {}
        self._commands: dict[tuple[Any, ...], list[JSON]] = {}
        self._allowed: frozenset[str] = DEFAULT_ALLOWED
        self._webhook_url = ""
        self._poll: _Poll | None = None
        self._poll_parked = asyncio.Event()
        self._poll_generation = 0
        self._released = False
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._methods: dict[str, Callable[[JSON], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "close": self._true,
            "logOut": self._true,
        }
        self._by_lower = {name.lower(): name for name in self._methods}

    # ----------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        """The server's root, for TELEGRAM_API_BASE (the bot calls `{base}/bot<token>/...`)."""
        return f"http://127.0.0.1:{self._port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self._released = False

    async def stop(self) -> None:
        self.release_polls()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def release_polls(self) -> None:
        """Answer every waiting getUpdates now (with what is queued), and later ones at once."""
        self._released = True
        self._wake_polls()

    def resume_polls(self) -> None:
        self._released = False

    # ----------------------------------------------------------------- scripting

    def fail(
        self,
        method: str,
        *,
        status: int,
        description: str,
        times: int = 1,
        parameters: JSON | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with this error instead of serving them."""
        failure = _Failure(status, description, parameters, times)
        self._failures.setdefault(self._canonical(method), []).append(failure)

    def retry_after(self, method: str, seconds: int, *, times: int = 1) -> None:
        """Flood control: 429 "Too Many Requests: retry after N" for the next `times` calls."""
        self.fail(
            method,
            status=429,
            description=f"Too Many Requests: retry after {seconds}",
            times=times,
            parameters={"retry_after": seconds},
        )

    # ----------------------------------------------------------------- inspection

    def calls_to(self, method: str, *, chat_id: int | None = None) -> list[ApiCall]:
        name = self._canonical(method)
        return [c for c in self.calls if c.method == name and _same_chat(c, chat_id)]

    async def next_call(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        within: float = 5.0,
        where: Callable[[ApiCall], bool] | None = None,
    ) -> ApiCall:
        """The next call of `method` not yet returned by next_call (waits until it comes)."""
        name = self._canonical(method)

        async def find() -> ApiCall:
            while True:
                changed = self._calls_changed
                for call in self.calls:
                    if (
                        call.index not in self._consumed
                        and call.method == name
                        and _same_chat(call, chat_id)
                        and (where is None or where(call))
                    ):
                        self._consumed.add(call.index)
                        return call
                await changed.wait()

        return await asyncio.wait_for(find(), within)

    def message(self, chat_id: int, message_id: int) -> JSON:
        """A message as it is now (after edits)."""
        return self._messages[(chat_id, message_id)]

    def bot_messages(self, chat_id: int) -> list[JSON]:
        return [
            m
            for (chat, _), m in sorted(self._messages.items())
            if chat == chat_id and m.get("from", {}).get("id") == self.bot_id
        ]

    async def parked_poll(self, within: float = 5.0) -> None:
        """Wait until a getUpdates long poll is waiting for updates (returns at once if one is)."""
        if self._poll is None or self._poll.woken.is_set():
            await asyncio.wait_for(self._poll_parked.wait(), within)

    @property
    def unanswered_queries(self) -> set[str]:
        return set(self._pending_queries)

    def commands(self, scope: str = "default", language_code: str = "") -> list[JSON]:
        return list(self._commands.get((scope, None, None, language_code), []))

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    # ----------------------------------------------------------------- HTTP

    def _canonical(self, method: str) -> str:
        return self._by_lower.get(method.lower(), method)

    async def _not_found(self, request: web.Request) -> web.Response:
        return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    async def _handle(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        method = self._canonical(request.match_info["method"])
        params = await _read_params(request)
        token = request.match_info["token"]
        status, body = 200, {}
        if token != self.token:
            status = 401 if TOKEN_SHAPE.match(token) else 404
            body = {"ok": False, "error_code": status,
                    "description": "Unauthorized" if status == 401 else "Not Found"}  # fmt: skip
        elif method not in self._methods:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            status, body = await self._serve(method, params)
        index = len(self.calls)
        self.calls.append(ApiCall(index, method, params, status, body, arrived, time.monotonic()))
        self._calls_changed.set()
        self._calls_changed = asyncio.Event()
        return _json_response(status, body)

    async def _serve(self, method: str, params: JSON) -> tuple[int, JSON]:
        failures = self._failures.get(method, [])
        try:
            if failures:
                failure = failures[0]
                failure.remaining -= 1
                if failure.remaining <= 0:
                    failures.pop(0)
                raise ApiError(failure.status, failure.description, failure.parameters)
            return 200, {"ok": True, "result": await self._methods[method](params)}
        except ApiError as error:
            body: JSON = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return error.status, body

    # ----------------------------------------------------------------- methods

    async def _true(self, params: JSON) -> bool:
        return True

    async def _get_me(self, params: JSON) -> JSON:
        return dict(self.bot_user)

    async def _delete_webhook(self, params: JSON) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _set_webhook(self, params: JSON) -> bool:
        self._webhook_url = str(params.get("url", ""))
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        return {"url": self._webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}  # fmt: skip

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self._webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")  # fmt: skip
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed = frozenset(allowed) if allowed else DEFAULT_ALLOWED
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        poll = _Poll(self._poll_generation)
        if self._poll is not None:
            self._poll.woken.set()  # the older poll is terminated with 409
        self._poll = poll
        deadline = asyncio.get_running_loop().time() + timeout
        try:
            while True:
                if poll.generation != self._poll_generation:
                    raise ApiError(409, TERMINATED_BY_OTHER_POLL)
                self._updates = [u for u in self._updates if _kind(u) in self._allowed]
                remaining = deadline - asyncio.get_running_loop().time()
                if self._updates or remaining <= 0 or self._released:
                    return self._updates[:limit]
                poll.woken.clear()
                self._poll_parked.set()
                self._poll_parked = asyncio.Event()
                changed = self._updates_changed
                waiters = [asyncio.ensure_future(changed.wait()),
                           asyncio.ensure_future(poll.woken.wait())]  # fmt: skip
                _, pending = await asyncio.wait(
                    waiters, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
                for waiter in pending:
                    waiter.cancel()
        finally:
            if self._poll is poll:
                self._poll = None

    def _on_update(self) -> None:
        self._wake_polls()

    def _wake_polls(self) -> None:
        if self._poll is not None:
            self._poll.woken.set()

    def _writable_chat(self, params: JSON) -> int:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise bad_request("Bad Request: chat_id is empty")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise bad_request("Bad Request: chat not found")
        if chat_id in self._migrated:
            raise bad_request(
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )
        if chat_id in self._unreachable:
            raise ApiError(403, self._unreachable[chat_id])
        return chat_id

    @staticmethod
    def _content(params: JSON) -> tuple[str, list[JSON], JSON | None]:
        """Text, entities and keyboard of a send or edit, refused as the real server does."""
        try:
            text, entities = message_text(
                params.get("text"), params.get("parse_mode"), params.get("entities")
            )
            markup = check_reply_markup(params.get("reply_markup"))
        except MarkupError as error:
            raise bad_request(str(error)) from None
        return text, entities, markup

    async def _send_message(self, params: JSON) -> JSON:
        chat_id = self._writable_chat(params)
        text, entities, markup = self._content(params)
        fields: JSON = {"text": text}
        if entities:
            fields["entities"] = entities
        if markup is not None:
            fields["reply_markup"] = markup
        replied = self._replied(chat_id, params)
        if replied is not None:
            fields["reply_to_message"] = shallow(replied)
        return self.new_message(self._chats[chat_id], self.bot_user, **fields)

    def _replied(self, chat_id: int, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict):
            target = params.get("reply_to_message_id")
            reply = {"message_id": target} if target else {}
        target = reply.get("message_id")
        if not target:
            return None
        found = self._messages.get((int(reply.get("chat_id") or chat_id), int(target)))
        if found is None and not reply.get("allow_sending_without_reply"):
            raise bad_request("Bad Request: message to be replied not found")
        return found

    def _editable(self, params: JSON) -> JSON:
        chat_id = self._writable_chat(params)
        found = self._messages.get((chat_id, int(params.get("message_id") or 0)))
        if found is None:
            raise bad_request("Bad Request: message to edit not found")
        if found.get("from", {}).get("id") != self.bot_id:
            raise bad_request("Bad Request: message can't be edited")
        return found

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._editable(params)
        text, entities, markup = self._content(params)
        if (
            text == message.get("text")
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise bad_request(NOT_MODIFIED)
        return self._store_edit(message, text=text, entities=entities, reply_markup=markup)

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._editable(params)
        try:
            markup = check_reply_markup(params.get("reply_markup"))
        except MarkupError as error:
            raise bad_request(str(error)) from None
        if markup == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        return self._store_edit(message, reply_markup=markup)

    def _store_edit(self, message: JSON, **changes: Any) -> JSON:
        edited = {**message, "edit_date": int(time.time())}
        for key, value in changes.items():
            if value:
                edited[key] = value
            else:
                edited.pop(key, None)
        self._messages[(message["chat"]["id"], message["message_id"])] = edited
        return edited

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._pending_queries:
            raise bad_request(QUERY_TOO_OLD)
        if len(str(params.get("text", ""))) > 200:
            raise bad_request("Bad Request: MESSAGE_TOO_LONG")
        self._pending_queries.discard(query_id)
        self._answered_queries.add(query_id)
        return True

    def _scope_key(self, params: JSON) -> tuple[Any, ...]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in SCOPES:
            raise bad_request("Bad Request: can't parse BotCommandScope: unsupported type")
        if scope["type"].startswith("chat") and "chat_id" not in scope:
            raise bad_request("Bad Request: chat not found")
        return (scope["type"], scope.get("chat_id"), scope.get("user_id"),
                str(params.get("language_code") or ""))  # fmt: skip

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("Bad Request: can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise bad_request("Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            if not isinstance(name, str) or not COMMAND_NAME.match(name):
                raise bad_request("Bad Request: BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(params)
        if commands:
            self._commands[key] = [dict(c) for c in commands]
        else:
            self._commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return list(self._commands.get(self._scope_key(params), []))

    async def _delete_my_commands(self, params: JSON) -> bool:
        self._commands.pop(self._scope_key(params), None)
        return True


def _kind(update: JSON) -> str:
    return next(key for key in update if key != "update_id")


def _same_chat(call: ApiCall, chat_id: int | None) -> bool:
    return chat_id is None or call.params.get("chat_id") == chat_id


async def _read_params(request: web.Request) -> JSON:
    raw: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                raw.update(body)
        else:
            form = await request.post()
            for key, value in form.items():
                raw[key] = value if isinstance(value, str) else getattr(value, "filename", "")
    return {key: _decode(key, value) for key, value in raw.items()}


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if key in _INT_FIELDS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if key in _BOOL_FIELDS and value in ("true", "false"):
        return value == "true"
    return value


def _json_response(status: int, body: JSON) -> web.Response:
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")
