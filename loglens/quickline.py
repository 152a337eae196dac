"""The Convai lines that are seldom logged twice, read without the LALR parser, to the very result it gives them.

A session logs its token in a Token summary (`Token: eyJ...; Room Name: ...`) and a room-details JSON
(`Room details received: {...}`), and counts its tries (`Reconnection attempt #517`, `Attempt 464 connecting
character ...`, `Character ... connected successfully`): each token, count and character is new, so the parse cache
seldom holds these lines, and the parser costs tens of microseconds a line. A line of free text after its head and
tag (no keyword where its body begins) is read here too.

Here the grammar's own terminals and keywords (taken from the parser, never written twice) are matched in the one
order the contextual lexer meets them on these shapes: in every state of such a line, the terminal matched is the
only one of that state's that can match there. Blanks between them are skipped as the grammar's `%ignore " "` does.
The transformer's own methods are then called in the order the parser reduces them: the head, each summary field,
the event, the message, the line. A line that takes a keyword and then strays from its rule fails the `line` rule
there, as in the parser, and is read by the `generic` rule: its head and free text.

Only the plain shape is taken: the head written without blanks, a colon right after its category, at most an
inner tag, one line. Whatever strays from it (a correlation id, a tab before a value, a context block, a value a
rule refuses) gives `None`, and the parser reads the line as always.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lark import Lark, Token

from loglens.events import NotThisShape, Parsed, ToEvents

TOKEN = "Token:"
ROOM_DETAILS = "Room details received:"
# keyword -> the rule it opens and what follows it: a terminal's name, or a keyword; `?` marks an optional part
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Reconnection attempt": ("reconnect_attempt", ("#", "INT")),
    "Attempt": ("connect_attempt", ("INT", "connecting character", "WORD", "MODE?")),
    "Character": ("connect_succeeded", ("WORD", "connected successfully", "MODE?", ".?")),
}
# the transformer's methods these lines call (besides each step's rule)
RULES = ("head", "convai_line", "message", "text_message", "summary_field", "token_summary", "room_details")
TERMINALS = ("TIME", "LEVEL", "CATEGORY", "TAG", "TEXT", "CONTEXT_TEXT", "FIELD_KEY", "FIELD_VALUE", "JSON_BLOB",
             "INT", "WORD", "MODE")  # fmt: skip
_Head = tuple[Token | None, Token, Token]  # the head's time, level and category
_FAILED = object()  # the `line` rule failed after its keyword: the line is the `generic` rule's


class QuickLines:
    """Read the lines the module names with `parser`'s terminals and `events`' methods."""

    def __init__(self, parser: Lark, events: ToEvents) -> None:
        self._re = {name: re.compile(parser.get_terminal(name).pattern.to_regexp()) for name in TERMINALS}
        literals = {t.pattern.value for t in parser.terminals if t.pattern.type == "str"}
        keywords = (TOKEN, ROOM_DETAILS, *STEPS)
        words = {step.rstrip("?") for _, steps in STEPS.values() for step in steps if step.rstrip("?") not in self._re}
        for keyword in (*keywords, *words):  # each one the grammar's, and none a part of a longer one it has
            if keyword not in literals or (keyword in keywords and any(
                other != keyword and other.startswith(keyword) for other in literals
            )):  # fmt: skip
                raise LookupError(f"the grammar no longer reads {keyword!r} as this module does")
        self._literals: dict[str, list[str]] = {}  # by first character: the keywords that may open a body
        for literal in literals:
            self._literals.setdefault(literal[:1], []).append(literal)
        # each method looked up once: a `v_args` transformer builds a new wrapper at every lookup of one
        self._rule: dict[str, Callable[..., Any]] = {
            name: getattr(events, name) for name in (*RULES, *(rule for rule, _ in STEPS.values()))
        }

    def __call__(self, text: str) -> Parsed | None:
        """The parse of `text` when it is a plain line of the shapes named; None for any other line."""
        if "\n" in text:
            return None
        head = self._head(text)
        if head is None:
            return None
        pos = _blanks(text, head[3])
        tag = self._re["TAG"].match(text, pos) if text.startswith("[", pos) else None
        if text.startswith("[", pos) and tag is None:
            return None
        if tag is not None:
            pos = _blanks(text, tag.end())
        tag_token = Token("TAG", tag.group()) if tag else None
        rule = self._rule
        try:
            event = self._event(text, pos, head[:3])
        except (NotThisShape, ValueError):  # the rule refuses the line: the parser goes on to the generic rule
            return None
        if event is None and not self._keyword_at(text, pos):
            return self._generic(text, pos, head[:3], tag_token)  # free text: the `line` rule's text_message
        if event is None:
            return None
        if event is _FAILED:
            return self._generic(text, pos, head[:3], tag_token)
        parsed: Parsed = rule["convai_line"](event[0], rule["message"](tag_token, event[1]))
        return parsed

    def _head(self, text: str) -> tuple[Token | None, Token, Token, int] | None:
        """The head's tokens and where its colon ends, when the head is written without blanks and ends in `:`."""
        time = self._re["TIME"].match(text)
        pos = time.end() if time else 0
        level = self._re["LEVEL"].match(text, pos)
        if level is None:
            return None
        category = self._re["CATEGORY"].match(text, level.end())
        if category is None or not text.startswith(":", category.end()):
            return None
        return (
            Token("TIME", time.group()) if time else None,
            Token("LEVEL", level.group()),
            Token("CATEGORY", category.group()),
            category.end() + 1,
        )

    def _event(self, text: str, pos: int, head: _Head) -> Any:
        """(the head, the event) of the rule the keyword at `pos` opens; `_FAILED` when the line strays from that
        rule after its keyword; None when no keyword read here is at `pos`."""
        rule = self._rule
        if text.startswith(TOKEN, pos):
            summary = self._summary(text, pos + len(TOKEN))
            if summary is None:
                return _FAILED
            line_head = rule["head"](*head, None)
            pairs = [rule["summary_field"](key, value) for key, value in summary[1]]
            return line_head, rule["token_summary"](summary[0], *pairs)
        if text.startswith(ROOM_DETAILS, pos):
            blob = self._room_blob(text, pos + len(ROOM_DETAILS))
            if blob is None:
                return _FAILED
            line_head = rule["head"](*head, None)
            return line_head, rule["room_details"](blob)
        for keyword, (name, steps) in STEPS.items():
            if text.startswith(keyword, pos):
                tokens = self._steps(text, pos + len(keyword), steps)
                if tokens is None:
                    return _FAILED
                line_head = rule["head"](*head, None)
                return line_head, rule[name](*tokens)
        return None

    def _keyword_at(self, text: str, pos: int) -> bool:
        """Whether a keyword of the grammar is at `pos`: there the lexer takes it, not free text (any literal is
        counted, also one that cannot open a body, which leaves the line to the parser)."""
        return any(text.startswith(literal, pos) for literal in self._literals.get(text[pos : pos + 1], ()))

    def _steps(self, text: str, pos: int, steps: tuple[str, ...]) -> list[Token | None] | None:
        """The terminals of `steps` from `pos` to the line's end (None for an optional one left out), or None."""
        tokens: list[Token | None] = []
        for step in steps:
            name = step.rstrip("?")
            pos = _blanks(text, pos)
            if name in self._re:
                found = self._re[name].match(text, pos)
                if found is not None:
                    pos = found.end()
                elif name == step:
                    return None
                tokens.append(Token(name, found.group()) if found else None)
            elif text.startswith(name, pos):
                pos += len(name)
            elif name == step:
                return None
        return tokens if _blanks(text, pos) == len(text) else None

    def _generic(self, text: str, pos: int, head: _Head, tag: Token | None) -> Parsed | None:
        """The `generic` rule's parse, which is also the `line` rule's for free text: the head, then the free text
        after the tag; None for a context block or a blank other than a space, which the parser reads."""
        if pos < len(text) and self._re["CONTEXT_TEXT"].match(text, pos):
            return None
        found = self._re["TEXT"].match(text, pos)
        if found is None and pos < len(text):
            return None
        rule = self._rule
        line_head = rule["head"](*head, None)
        message = Token("TEXT", found.group()) if found else None
        parsed: Parsed = rule["convai_line"](line_head, rule["text_message"](tag, message))
        return parsed

    def _summary(self, text: str, pos: int) -> tuple[Token, list[tuple[Token, Token | None]]] | None:
        """`Token: value; Key: value; ...` as the lexer cuts it: the token's value, then each key and its value."""
        value, end = self._field_value(text, pos)
        if value is None or end is None:
            return None
        pos = end
        pairs: list[tuple[Token, Token | None]] = []
        while pos < len(text):  # here `text[pos]` is the `;` that ends the value before it
            key = self._re["FIELD_KEY"].match(text, _blanks(text, pos + 1))
            if key is None:
                return None
            found, end = self._field_value(text, key.end())
            if end is None:
                return None
            pairs.append((Token("FIELD_KEY", key.group()), found))
            pos = end
        return value, pairs

    def _field_value(self, text: str, pos: int) -> tuple[Token | None, int | None]:
        """The optional value at `pos` (blanks skipped) and where the `;` after it or the line's end is; None for
        the position when what follows neither lexes as a value nor ends it."""
        pos = _blanks(text, pos)
        if pos == len(text) or text[pos] == ";":
            return None, pos
        found = self._re["FIELD_VALUE"].match(text, pos)
        if found is None:
            return None, None
        return Token("FIELD_VALUE", found.group()), found.end()

    def _room_blob(self, text: str, pos: int) -> Token | None:
        """The JSON after `Room details received:`, when nothing but blanks follows it."""
        blob = self._re["JSON_BLOB"].match(text, _blanks(text, pos))
        if blob is None or _blanks(text, blob.end()) != len(text):
            return None
        return Token("JSON_BLOB", blob.group())


def _blanks(text: str, pos: int) -> int:
    """The first position from `pos` that is not a blank (the grammar ignores blanks between tokens)."""
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos
