"""The Bot API's text rules for the fake server: HTML entity parsing and keyboard validation.

Modelled on what the real server answers (tdlib's HTML parser): only the documented tags, `<`
and `&` escaped, tags properly nested, the text's length counted after parsing, and the real
error descriptions ("can't parse entities: Unsupported start tag ...", "BUTTON_DATA_INVALID").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji", "tg-time",
    }
)  # fmt: skip
"""The tags of the Bot API's HTML style (formatting options); anything else is refused."""

ENTITY_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
"""The only named HTML entities the Bot API knows; any other `&name;` stays literal text."""

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA = 64
BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
_UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9.\-]*")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


class MarkupError(ValueError):
    """The text or keyboard is refused; `str()` is the Bot API's description."""


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    argument: str | None
    start: int  # UTF-16 offset in the parsed text


@dataclass
class _Parser:
    source: str
    out: list[str] = field(default_factory=list)
    position: int = 0  # UTF-16 offset in the parsed text
    stack: list[_Open] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, what: str) -> MarkupError:
        return MarkupError(f"Bad Request: can't parse entities: {what}")

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.position += utf16_length(text)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        text, index, size = self.source, 0, len(self.source)
        while index < size:
            char = text[index]
            if char == "&":
                decoded = decode_entity(text, index)
                if decoded is not None:
                    self.emit(decoded[0])
                    index = decoded[1]
                    continue
            if char != "<":
                self.emit(char)
                index += 1
                continue
            if index + 1 < size and text[index + 1] == "/":
                index = self.end_tag(index)
            else:
                index = self.start_tag(index)
        if self.stack:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        return "".join(self.out), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))

    def start_tag(self, begin: int) -> int:
        text, size, offset = self.source, len(self.source), self.byte_offset(begin)
        index = begin + 1
        while index < size and not text[index].isspace() and text[index] not in ">/":
            index += 1
        if index >= size:
            raise self.fail(f"Unclosed start tag at byte offset {offset}")
        name = text[begin + 1 : index].lower()
        if name not in ALLOWED_TAGS:
            raise self.fail(f'Unsupported start tag "{name}" at byte offset {offset}')
        attributes: dict[str, str] = {}
        while True:
            while index < size and text[index].isspace():
                index += 1
            if index >= size:
                raise self.fail(f'Unclosed start tag "{name}" at byte offset {offset}')
            if text[index] == ">":
                break
            attr_start = index
            while index < size and not text[index].isspace() and text[index] not in "=>/\"'":
                index += 1
            attribute = text[attr_start:index].lower()
            if not attribute:
                raise self.fail(f'Empty attribute name in the tag "{name}" at byte offset {offset}')
            while index < size and text[index].isspace():
                index += 1
            if index >= size:
                raise self.fail(f'Unclosed start tag "{name}" at byte offset {offset}')
            if text[index] != "=":
                attributes[attribute] = ""
                continue
            index += 1
            while index < size and text[index].isspace():
                index += 1
            if index >= size:
                raise self.fail(f'Unclosed start tag "{name}" at byte offset {offset}')
            value, index = self.attribute_value(index)
            attributes[attribute] = value
        self.stack.append(_Open(name, self.argument(name, attributes, offset), self.position))
        return index + 1

    def attribute_value(self, index: int) -> tuple[str, int]:
        text, size = self.source, len(self.source)
        quote = text[index]
        if quote not in "\"'":
            token = _UNQUOTED_VALUE.match(text, index)
            end = token.end() if token else index
            if end >= size or not (text[end].isspace() or text[end] == ">"):
                raise self.fail(
                    f"Unexpected end of name token at byte offset {self.byte_offset(end)}"
                )
            return text[index:end].lower(), end
        value: list[str] = []
        index += 1
        while index < size and text[index] != quote:
            if text[index] == "&" and (decoded := decode_entity(text, index)) is not None:
                value.append(decoded[0])
                index = decoded[1]
                continue
            value.append(text[index])
            index += 1
        if index >= size:
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(index)}")
        return "".join(value), index + 1

    def argument(self, name: str, attributes: dict[str, str], offset: int) -> str | None:
        if name == "span":
            if attributes.get("class") != "tg-spoiler":
                raise self.fail(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
            return None
        if name == "a":
            return attributes.get("href")
        if name == "tg-emoji":
            return attributes.get("emoji-id", "")
        if name == "code":
            language = attributes.get("class", "")
            return language.removeprefix("language-") if language.startswith("language-") else None
        if name == "blockquote":
            return "expandable" if "expandable" in attributes else None
        return None

    def end_tag(self, begin: int) -> int:
        text, size, offset = self.source, len(self.source), self.byte_offset(begin)
        index = begin + 2
        while index < size and not text[index].isspace() and text[index] != ">":
            index += 1
        name = text[begin + 2 : index].lower()
        while index < size and text[index].isspace():
            index += 1
        if index >= size or text[index] != ">":
            raise self.fail(f"Unclosed end tag at byte offset {offset}")
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {offset}")
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise self.fail(
                f'Unmatched end tag at byte offset {offset}, expected "</{opened.tag}>", '
                f'found "</{name}>"'
            )
        self.close(opened)
        return index + 1

    def close(self, opened: _Open) -> None:
        length = self.position - opened.start
        if length <= 0:
            return
        entity: dict[str, Any] = {
            "type": ENTITY_TYPES[opened.tag],
            "offset": opened.start,
            "length": length,
        }
        if opened.tag == "a":
            entity["url"] = opened.argument or ""
        elif opened.tag == "tg-emoji":
            if not (opened.argument or "").isdigit():
                raise self.fail("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = opened.argument
        elif opened.tag == "blockquote" and opened.argument:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "code" and opened.argument:
            entity["language"] = opened.argument
        self.entities.append(entity)


def decode_entity(text: str, index: int) -> tuple[str, int] | None:
    """`&lt;`, `&#60;`, `&#x3C;` at `index`: (character, index after it); None: literal '&'."""
    end = text.find(";", index + 1, index + 12)
    if end == -1:
        return None
    name = text[index + 1 : end]
    code: int | None = None
    if name[:2] in ("#x", "#X") and re.fullmatch(r"[0-9A-Fa-f]{1,6}", name[2:]):
        code = int(name[2:], 16)
    elif name[:1] == "#" and name[1:].isdigit():
        code = int(name[1:])
    elif name in NAMED_ENTITIES:
        return NAMED_ENTITIES[name], end + 1
    if code is None or code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), end + 1


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The text Telegram shows for HTML `text`, and its entities (UTF-16 offsets)."""
    return _Parser(text).run()


def message_text(
    text: Any, parse_mode: Any, entities: Any = None
) -> tuple[str, list[dict[str, Any]]]:
    """Validate a message text as sendMessage/editMessageText do; (shown text, entities)."""
    if not isinstance(text, str):
        raise MarkupError("Bad Request: message text is empty")
    mode = str(parse_mode or "").lower()
    if mode == "html":
        shown, found = parse_html(text)
    elif mode == "":
        shown, found = text, list(entities) if isinstance(entities, list) else []
    elif mode in ("markdown", "markdownv2"):
        raise MarkupError(
            "Bad Request: can't parse entities: this fake server checks HTML parse mode only"
        )
    else:
        raise MarkupError(f"Bad Request: unsupported parse_mode {parse_mode}")
    stripped = shown.strip()
    if not stripped:
        raise MarkupError("Bad Request: message text is empty")
    if len(stripped) > MAX_TEXT_LENGTH:
        raise MarkupError("Bad Request: message is too long")
    return stripped, _shift(
        found, utf16_length(shown[: len(shown) - len(shown.lstrip())]), utf16_length(stripped)
    )


def _shift(entities: list[dict[str, Any]], by: int, size: int) -> list[dict[str, Any]]:
    shifted = []
    for entity in entities:
        start = max(entity["offset"] - by, 0)
        end = min(entity["offset"] + entity["length"] - by, size)
        if end > start:
            shifted.append({**entity, "offset": start, "length": end - start})
    return shifted


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate reply_markup like the Bot API; returns it normalised (None: no keyboard)."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise MarkupError("Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return markup  # reply keyboards, remove_keyboard, force_reply: not used by this bot
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise MarkupError(
            "Bad Request: can't parse inline keyboard button: "
            'Field "inline_keyboard" must be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_button(button)
    return markup if any(rows) else None


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise MarkupError(
            'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in BUTTON_ACTIONS if name in button]
    if not actions:
        raise MarkupError(
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise MarkupError("Bad Request: BUTTON_DATA_INVALID")
    if "url" in button:
        check_button_url(button["url"])


def check_button_url(url: Any) -> None:
    """http(s) with a real host name, or tg://; the Bot API's answers otherwise."""
    if not isinstance(url, str):
        raise MarkupError("Bad Request: BUTTON_URL_INVALID")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "tg":
        return
    if scheme not in ("http", "https"):
        raise MarkupError(
            f"Bad Request: inline keyboard button URL '{url}' is invalid: Unsupported URL protocol"
        )
    host = parts.hostname or ""
    if not host:
        raise MarkupError(
            f"Bad Request: inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
        )
    if "." not in host or (_IPV4.match(host) is None and host.split(".")[-1].isdigit()):
        raise MarkupError("Bad Request: BUTTON_URL_INVALID")


DEEP_LINK = re.compile(r"^https://t\.me/(?P<bot>[A-Za-z0-9_]{5,32})\?start=(?P<payload>.*)$")
DEEP_LINK_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def deep_link_payload(url: str) -> tuple[str, str] | None:
    """(bot username, start payload) of a valid `t.me/<bot>?start=` link, else None.

    Telegram's clients ignore a start parameter that isn't 1-64 of A-Z a-z 0-9 _ -.
    """
    match = DEEP_LINK.match(url)
    if match is None or not DEEP_LINK_PAYLOAD.match(match["payload"]):
        return None
    return match["bot"], match["payload"]
