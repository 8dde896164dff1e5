"""Handlers: PTB callbacks that feed updates to the dialog service and deliver its replies."""

from __future__ import annotations

import logging
import traceback

from telegram import ChatMember, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.telegram.delivery import deliver
from adapters.telegram.translate import (
    PLATFORM,
    BotIdentity,
    chat_kind,
    translate_callback,
    translate_message,
)
from dialogs.locks import KeyedLocks
from dialogs.types import ChatKind, Conversations, IncomingMessage

logger = logging.getLogger(__name__)

_GONE = frozenset({ChatMember.LEFT, ChatMember.BANNED})


class TelegramAdapter:
    """Owns the handlers of one PTB `Application`; talks to the engine through `Conversations`.

    Updates of one chat are handled one at a time, in order (a lock per chat), while different
    chats proceed concurrently. Nothing here knows what a twitch is.
    """

    def __init__(self, conversations: Conversations | None = None) -> None:
        self._conversations = conversations
        self._chat_locks = KeyedLocks()

    @property
    def conversations(self) -> Conversations:
        if self._conversations is None:
            raise RuntimeError("the dialog service is not open yet")
        return self._conversations

    @conversations.setter
    def conversations(self, value: Conversations | None) -> None:
        self._conversations = value

    def register(self, app: Application) -> None:
        """Add this adapter's handlers and error handler to `app`."""
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migration))
        app.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, self.on_message)
        )
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, self.on_edited_message))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_handler(ChatMemberHandler(self.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_error_handler(self.on_error)

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message is not None:
            await self._handle_message(update.message, context, edited=False)

    async def on_edited_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.edited_message is not None:
            await self._handle_message(update.edited_message, context, edited=True)

    async def _handle_message(
        self, message: Message, context: ContextTypes.DEFAULT_TYPE, *, edited: bool
    ) -> None:
        async with self._chat_locks.hold(message.chat_id):
            incoming = translate_message(message, BotIdentity.of(context.bot.bot), edited=edited)
            if incoming is None:
                return
            await self._converse(context, incoming, message.chat_id, message.message_id)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer the query at once, retire the pressed keyboard, then treat it as a message.

        A press on a keyboard that is already gone (a double tap, two devices) is answered and
        otherwise ignored: Telegram itself says "message is not modified", so no state is kept.
        """
        query = update.callback_query
        if query is None:
            return
        message = query.message if isinstance(query.message, Message) else None
        async with self._chat_locks.hold(message.chat_id if message else query.id):
            try:
                await query.answer()
            except TelegramError as exc:  # too old (the bot was down), the network: still act
                logger.info("telegram callback query not answered: %s", type(exc).__name__)
            incoming = translate_callback(query)
            if incoming is None or message is None:
                return
            if _retires_keyboard(message, query.from_user.id) and not await _retire_keyboard(
                message
            ):
                return
            original = message.reply_to_message
            quote = original.message_id if original is not None else message.message_id
            await self._converse(context, incoming, message.chat_id, quote)

    async def _converse(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        incoming: IncomingMessage,
        chat_id: int,
        quote: int,
    ) -> None:
        replies = await self.conversations.on_message(incoming)
        if replies:
            await deliver(
                context.bot,
                chat_id,
                replies,
                group=incoming.chat_kind is ChatKind.GROUP,
                reply_to_message_id=quote,
            )

    async def on_migration(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup: its conversations move to the new chat id."""
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id:
            old, new = message.chat_id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id:
            old, new = message.migrate_from_chat_id, message.chat_id
        else:
            return
        async with self._chat_locks.hold(old):
            await self.conversations.on_chat_migrated(PLATFORM, str(old), str(new))
        logger.info("telegram chat %s migrated to %s", old, new)

    async def on_my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The bot left or was removed from a chat (or blocked in private): forget that chat."""
        change = update.my_chat_member
        if change is None or chat_kind(change.chat) is None:
            return
        if change.new_chat_member.status in _GONE and change.old_chat_member.status not in _GONE:
            async with self._chat_locks.hold(change.chat.id):
                await self.conversations.on_chat_left(PLATFORM, str(change.chat.id))
            logger.info("telegram chat %s: the bot is no longer a member", change.chat.id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One line per failed update: the error class and update id, never message text."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        if error is None:
            return
        if isinstance(error, Forbidden):
            logger.info(
                "telegram update %s: %s (chat unreachable)", update_id, type(error).__name__
            )
            return
        frames = traceback.extract_tb(error.__traceback__)
        last = frames[-1] if frames else None
        where = f" at {last.filename}:{last.lineno} in {last.name}" if last else ""
        logger.error("telegram update %s failed: %s%s", update_id, type(error).__name__, where)
        if logger.isEnabledFor(logging.DEBUG):
            stack = "".join(traceback.format_list(frames))
            logger.debug("telegram update %s stack (no message text):\n%s", update_id, stack)


def _retires_keyboard(message: Message, presser_id: int) -> bool:
    """Private keyboards go after one press; in groups, when the member it answered presses."""
    if message.chat.type == message.chat.PRIVATE:
        return True
    original = message.reply_to_message
    owner = original.from_user if original is not None else None
    return owner is None or owner.id == presser_id


async def _retire_keyboard(message: Message) -> bool:
    """Remove the pressed message's keyboard; False if it was already gone (a repeat press)."""
    try:
        await message.edit_reply_markup(reply_markup=None)
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return False
        logger.info("telegram keyboard not removed: %s", type(exc).__name__)
    except TelegramError as exc:
        logger.info("telegram keyboard not removed: %s", type(exc).__name__)
    return True
