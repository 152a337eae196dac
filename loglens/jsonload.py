"""Load JSON found in a log without letting its nesting decide how deep Python recurses.

`json.loads` recurses once per level and raises RecursionError somewhere near a thousand levels; what survives
it can still break `json.dumps` or pydantic later. Real room details and token claims nest three or four levels,
so anything deeper than `MAX_DEPTH` is replaced by `null` before loading: the keys around it (the token, the room)
still load, and nothing downstream meets a deep value.
"""

from __future__ import annotations

import json

from loglens.lazyre import lazy

MAX_DEPTH = 32
# a string (possessive, so an unterminated one costs one scan), or a bracket; a quote left alone is unterminated
_TOKENS = lazy(r'"(?:[^"\\]++|\\.)*+"|"|[\[\]{}]')


def loads(text: str | bytes) -> object:
    """`json.loads`, with containers nested deeper than `MAX_DEPTH` loaded as `null`; ValueError when not JSON."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")  # a UnicodeDecodeError is a ValueError too
    if text.count("[") + text.count("{") > MAX_DEPTH:
        text = _flatten(text)
    return json.loads(text)


def _flatten(text: str) -> str:
    """`text` with every container below `MAX_DEPTH` levels cut out and `null` in its place (one linear scan)."""
    out: list[str] = []
    depth = 0
    pos = 0
    cut_from = -1
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == '"':
            raise json.JSONDecodeError("unterminated string", text, match.start())
        if token in "[{":
            depth += 1
            if depth == MAX_DEPTH + 1:
                cut_from = match.start()
        elif token in "]}":
            depth -= 1
            if depth == MAX_DEPTH:
                out += [text[pos:cut_from], "null"]
                pos = match.end()
    if depth > MAX_DEPTH:
        raise json.JSONDecodeError("unbalanced brackets", text, len(text))
    out.append(text[pos:])
    return "".join(out)
