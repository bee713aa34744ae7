"""The one exception every importer raises for a file it will not read: the worker never sees another."""

from __future__ import annotations


class ImportRefused(Exception):
    """The whole file is refused; `messages` say why, in Vietnamese, for the person who sent it."""

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))
