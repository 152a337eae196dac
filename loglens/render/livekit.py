"""`loglens livekit` as text (rich) and JSON: the two test fields, the decoded claims, warnings, the test's steps.

The token and the URL are printed each on a line of their own, unwrapped, so a triple-click copies exactly the
value; everything else that came from the log passes through `printable`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from loglens.livekit import TEST_PAGE, TOKEN_FIELD, URL_FIELD, Handoff, Notice, Pair, span, utc
from loglens.render.console import lines_list, lit, make_console
from loglens.testguide import Guide
from loglens.text import printable, valid_unicode

LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}
LEVEL_MARK = {"error": "✗", "warning": "!", "note": "·"}
JSON_SCHEMA = "loglens.livekit/1"


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`, as the JSON output promises."""
    return None if moment is None else f"{moment:%Y-%m-%dT%H:%M:%SZ}"


def status(pair: Pair, now: datetime) -> str:
    """One word or two on whether the test could use this token now."""
    if pair.token_problem is not None:
        return "cut off"
    if pair.claims is None:
        return "unreadable"
    if pair.claims.not_yet_valid(now):
        return "not yet valid"
    expired = pair.claims.expired(now)
    return {True: "expired", False: "valid", None: "no expiry"}[expired]


def _sources(pair: Pair) -> str:
    words = {"room-details": "room details", "token-summary": "Token summary", "signal-url": "LiveKit signal URL"}
    return ", ".join(dict.fromkeys(words[s] for s in pair.sources))


# --- the hand-off -------------------------------------------------------------------------------------------------


def write_handoff(h: Handoff, file: TextIO, *, color: bool | None = None, width: int | None = None) -> None:
    console = make_console(file, color=color, width=width)
    pair = h.pair
    title = Text("LiveKit connection test  ", style="bold")
    title.append(TEST_PAGE, style="underline")
    console.print(title)
    lines = f"line{'s' if len(pair.lines) > 1 else ''} {lines_list(pair.lines)}"
    where = f"Session {pair.session} of {h.session_count}, {lines} ({_sources(pair)})"
    if h.pair_count > 1:
        where += f"; {h.pair_count} tokens in the log (--list shows them)"
    console.print(lit(where, "dim"))
    console.print()
    _value(console, URL_FIELD, pair.url.get_secret_value() if pair.url else None)
    _value(console, TOKEN_FIELD, pair.token.get_secret_value())
    console.print()
    _claims(console, h)
    if h.warnings:
        console.print()
        console.print(Text("Before you run the test", style="bold"))
        for notice in h.warnings:
            indented(console, _notice(notice), 2, 2)
    console.print()
    closing = (
        f'Paste the first value into the test\'s "{URL_FIELD}" field and the second into "{TOKEN_FIELD}", then '
        "start the test. When a step fails, `loglens livekit --explain-test` says why and what to open."
    )
    indented(console, Text(closing, style="dim"), 0)


def indented(console: Console, text: Text, indent: int, hang: int = 0) -> None:
    """Print `text` wrapped to the console's width, indented, later lines `hang` further; no trailing spaces."""
    for number, line in enumerate(text.wrap(console, max(20, console.width - indent - hang))):
        line.rstrip()
        console.print(Text(" " * (indent + (hang if number else 0))).append_text(line), soft_wrap=True)


def _value(console: Console, label: str, value: str | None) -> None:
    console.print(Text(label, style="bold"))
    if value is None:
        console.print(Text("(not in the log)", style="red"))
        return
    # soft wrap: never break the value with newlines, whatever the terminal's width
    console.print(Text(printable(value), style="green"), soft_wrap=True)


def _claims(console: Console, h: Handoff) -> None:
    console.print(Text("Decoded from the token (read here, not verified, not sent anywhere)", style="bold"))
    claims = h.pair.claims
    if claims is None:
        indented(console, Text("the token does not decode", style="red"), 2)
        return
    rows: list[tuple[str, Text]] = []
    video = claims.video
    if video and video.room:
        rows.append(("room", lit(video.room)))
    if claims.identity:
        rows.append(("identity", lit(claims.identity)))
    if claims.issuer:
        rows.append(("issuer", lit(claims.issuer).append(" (LiveKit API key id)", style="dim")))
    if claims.not_before:
        rows.append(("valid from", Text(utc(claims.not_before))))
    if claims.expires_at:
        rows.append(("expires", _expiry(claims.expires_at, h.checked_at)))
    if video:
        granted = [k for k, v in video.permissions().items() if v]
        denied = [k for k, v in video.permissions().items() if not v]
        text = Text(", ".join(granted) or "none")
        if denied:
            text.append("; not: " + ", ".join(denied), style="yellow")
        rows.append(("grants", text))
    extras = []
    if claims.has_metadata and claims.metadata is not None:
        extras.append(f"metadata ({len(claims.metadata.get_secret_value())} characters)")
    if claims.attributes:
        extras.append(f"{len(claims.attributes)} attribute{'s' if len(claims.attributes) != 1 else ''}")
    if claims.name is not None:
        extras.append("a display name")
    if extras:
        rows.append(("also carries", Text(", ".join(extras))))
    for label, value in rows:
        line = Text(f"  {label:<13}", style="dim")
        line.append_text(value)
        console.print(line, soft_wrap=True)


def _expiry(expires_at: datetime, now: datetime) -> Text:
    seconds = (expires_at - now).total_seconds()
    text = Text(utc(expires_at) + "  ")
    if seconds <= 0:
        text.append(f"expired {span(seconds)} ago", style="bold red")
    else:
        text.append(f"in {span(seconds)}", style="green")
    return text


def _notice(notice: Notice) -> Text:
    text = Text(f"{LEVEL_MARK[notice.level]} {notice.level}: ", style=LEVEL_STYLE[notice.level])
    text.append_text(lit(notice.message))
    return text


def handoff_json(h: Handoff) -> str:
    """The hand-off for programs. It holds the real token: handing it over is what this command is for."""
    pair, claims = h.pair, h.pair.claims
    video = claims.video if claims else None
    data: dict[str, Any] = {
        "url": _plain(pair.url.get_secret_value()) if pair.url else None,
        "token": _plain(pair.token.get_secret_value()),
        "room": _plain(pair.room_name or (video.room if video else None)),
        "identity": _plain(claims.identity if claims else None),
        "expires_at": iso(claims.expires_at if claims else None),
        "expired": h.expired,
        "session_id": _plain(pair.session_id),
        "line": pair.line,
        "warnings": [n.model_dump() for n in h.warnings],
        "schema": JSON_SCHEMA,
        "test_page": TEST_PAGE,
        "checked_at": iso(h.checked_at),
        "session": pair.session,
        "sessions": h.session_count,
        "lines": list(pair.lines),
        "sources": list(pair.sources),
        "livekit_host": _plain(pair.host),
        "character_session_id": _plain(pair.character_session_id),
        "token_room": _plain(video.room if video else None),
        "issuer": _plain(claims.issuer if claims else None),
        "not_before": iso(claims.not_before if claims else None),
        "not_yet_valid": h.not_yet_valid,
        "grants": video.permissions() if video else None,
        "token_problem": pair.token_problem,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _plain(value: str | None) -> str | None:
    return None if value is None else valid_unicode(value)


# --- --list -------------------------------------------------------------------------------------------------------


def write_pairs(
    pairs: list[Pair], now: datetime, file: TextIO, *, color: bool | None = None, width: int | None = None
) -> None:
    """Every pair found, tokens left out: safe to paste into a ticket."""
    console = make_console(file, color=color, width=width)
    count = len(pairs)
    console.print(Text(f"{count} LiveKit token{'s' if count != 1 else ''} in the log (tokens not shown)", style="bold"))
    for pair in pairs:
        claims = pair.claims
        state = status(pair, now)
        head = Text(f"session {pair.session}, line{'s' if len(pair.lines) > 1 else ''} {lines_list(pair.lines)}: ")
        head.append_text(lit(f"room {pair.room_name or '?'}", "bold"))
        indented(console, head, 2)
        facts = Text()
        facts.append(state, style="green" if state == "valid" else "red")
        if claims and claims.expires_at:
            facts.append(f", expires {claims.expires_at:%Y-%m-%d %H:%M} UTC")
        facts.append_text(lit(f", on {pair.host or 'no URL'}"))
        facts.append(f", token {len(pair.token.get_secret_value())} characters", style="dim")
        indented(console, facts, 4)
    indented(console, Text("`loglens livekit --session N` prints a session's latest token.", style="dim"), 0)


def pairs_json(pairs: list[Pair], now: datetime) -> str:
    rows = [
        {
            "session": p.session,
            "line": p.line,
            "lines": list(p.lines),
            "sources": list(p.sources),
            "room": _plain(p.room_name),
            "livekit_host": _plain(p.host),
            "session_id": _plain(p.session_id),
            "token_room": _plain(p.token_room),
            "expires_at": iso(p.claims.expires_at if p.claims else None),
            "expired": p.expired(now),
            "status": status(p, now),
            "token_chars": len(p.token.get_secret_value()),
        }
        for p in pairs
    ]
    return json.dumps({"schema": JSON_SCHEMA, "checked_at": iso(now), "pairs": rows}, indent=2) + "\n"


# --- --explain-test -----------------------------------------------------------------------------------------------


def write_guide(guide: Guide, file: TextIO, *, color: bool | None = None, width: int | None = None) -> None:
    console = make_console(file, color=color, width=width)
    console.print(Text("What each step of LiveKit's connection test checks", style="bold"))
    console.print(Text("Test page: ", style="dim").append(TEST_PAGE, style="underline"))
    kind = "LiveKit Cloud" if guide.cloud else "a self-hosted LiveKit server"
    where = "The room's LiveKit host: " if guide.from_log else "No LiveKit URL from a log; Convai's LiveKit host: "
    console.print(Text(where, style="dim").append_text(lit(guide.host)).append(f" ({kind})"))
    for number, step in enumerate(guide.steps, 1):
        console.print()
        console.print(Text(f"{number}. {step.name}", style="bold"))
        indented(console, Text("Checks: ").append_text(lit(step.checks)), 3)
        indented(console, Text("When it fails:", style="dim"), 3)
        for failure in step.failures:
            line = Text("- ").append_text(lit(failure.cause))
            if failure.rule:
                line.append(" → ", style="dim").append_text(lit(failure.rule, "yellow"))
            else:
                line.append(" → no firewall rule for this one", style="dim")
            indented(console, line, 5, 2)
    console.print()
    console.print(Text("Firewall rules, all in one place", style="bold"))
    for rule in guide.rules:
        indented(console, Text("- ").append_text(lit(rule)), 2, 2)
    console.print()
    for note in guide.notes:
        indented(console, lit(note, "dim"), 0)


def guide_json(guide: Guide) -> str:
    data = {"schema": JSON_SCHEMA, "test_page": TEST_PAGE, **guide.model_dump(mode="json")}
    return json.dumps(data, indent=2) + "\n"
