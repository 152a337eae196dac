"""A battery of secrets in every shape a paste gives them, for the whole-command leak tests (tests/test_battery.py).

Each `Case` is one log file and the secret values in it. Every value is fake and distinct per case (so a piece
found in an output names its case), except where a case repeats one on purpose: the same value met again in
another shape, to catch a result remembered per value or per line and reused where it no longer holds. The
shapes: `> ` quotes and nested quotes, indents, hard wraps at many widths (inside a run of equal-width stack
frames too), CRLF and lone CR, a BOM in the middle of the file, soft hyphens and zero-width characters inside a
token, percent-encoding, JSON escapes (twice too), base64url chunks, a line gzipped then base64-encoded, LiveKit
error chains, text that looks like a placeholder, a blank inside a token's signature, markup or a blank inside an
address, lines longer than 1 MiB, secrets across a 1 MiB block boundary and more distinct secrets than any bounded
memo holds.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tests.support import variants, wraps
from tests.support.tokens import mint_token

MIB = 1 << 20
NOISE = (
    "Refreshing native plugins compatible for Editor in 0.52 ms, found 3 plugins.",
    "UnityEngine.Debug:Log (object)",
    "Convai.Scripts.Runtime.Core.ConvaiNPC:Update () (at Assets/Convai/Scripts/Runtime/Core/ConvaiNPC.cs:212)",
    "",
    "(Filename: ./Library/PackageCache/com.convai.sdk/Runtime/Core/ConvaiNPC.cs Line: 212)",
    "",
)
FRAME = "Convai.Scripts.Runtime.Core.ConvaiGRPCAPI:{name} () (at Assets/Convai/Scripts/Runtime/Core/Grpc.cs:{line})"
DECORATIONS = {"none": "", "quote": "> ", "nested": "> > ", "nested-tight": ">> ", "indent": "    ", "tab": "\t"}
WIDTHS = (19, 33, 47, 64, 80, 120)
# characters a ticket system, a chat client or a copy from a web page leaves inside a token
INVISIBLE = {"soft-hyphen": "\u00ad", "zwsp": "\u200b", "zwnj": "\u200c", "word-joiner": "\u2060", "bom": "\ufeff"}


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    secrets: tuple[str, ...]  # no 12-character piece of any may survive (the whole of a shorter one)


@dataclass(frozen=True)
class Values:
    """The secrets of one case, all derived from its number."""

    token: str
    key: str
    user: str
    email: str
    name: str  # an OS user name in a home path
    person: str  # a player's name in end_user_metadata
    ip: str

    @property
    def body(self) -> str:
        """The token without its header (the header is the same in every HS256 token: not a secret of its own)."""
        return self.token.split(".", 1)[1]


def _letters(number: int, size: int = 4) -> str:
    out = ""
    for _ in range(size):
        number, digit = divmod(number, 26)
        out += chr(ord("a") + digit)
    return out


def values(number: int) -> Values:
    digest = hashlib.sha256(f"battery-{number}".encode()).hexdigest()
    letters = _letters(number)
    token = mint_token(
        identity=f"player-{digest[:12]}",
        room=f"convai-{digest[12:20]}-{digest[20:24]}",
        exp=2_000_000_000 + number,
        nbf=1_700_000_000,
        name=f"Ada Quorn{letters}",
        metadata=json.dumps({"name": f"Ada Quorn{letters}", "level": number % 50}),
        api_key=f"API{digest[24:36]}",
        secret=f"battery-secret-{digest[36:60]}",
    )
    return Values(
        token=token,
        key=digest[:32],
        user=hashlib.sha256(f"user-{number}".encode()).hexdigest()[:32],
        email=f"jordan.q{letters}{number % 97:02d}@example-mail.com",
        name=f"Vexmor{letters}",
        person=f"Imelda Varga{letters}",
        ip=f"198.51.{100 + number % 13}.{1 + number % 250}",
    )


# --- one long line per kind of secret, and the values it carries ------------------------------------------------


def _details(v: Values) -> str:
    room = {"token": v.token, "room_name": "lobby", "session_id": "e3d919ed-2c94-5665-8528-d0a48e0dfceb",
            "room_url": "wss://convai-technologies-lfslae7c.livekit.cloud", "end_user_id": v.user,
            "end_user_metadata": {"name": v.person, "email": v.email}}  # fmt: skip
    return "[Debug][Transport]: Room details received: " + json.dumps(room, separators=(",", ":"))


CHAIN = (
    "[Error][Transport]: Transport connection failed: could not establish signal connection: websocket: bad "
    "handshake: invalid token: {t}, error: go-jose/go-jose: error in cryptographic primitive; retrying (2/3): "
    "could not connect: invalid token: {t}, error: token is expired (exp)"
)
KINDS: dict[str, Callable[[Values], tuple[str, tuple[str, ...]]]] = {
    "summary": lambda v: (
        f"[Debug][Transport]: Token: {v.token}; Room Name: lobby; Session ID: s-1; Resolved End User ID: {v.user}",
        (v.body, v.user),
    ),
    "details": lambda v: (_details(v), (v.body, v.user, v.person, v.email)),
    "chain": lambda v: (CHAIN.format(t=v.token), (v.body,)),
    "url": lambda v: (
        f"[Error][Transport]: SignalClient failed with url: wss://x.livekit.cloud/rtc?access_token={v.token}&sdk=unity",
        (v.body,),
    ),
    "api-key": lambda v: (
        f"[Error][REST]: POST https://api.convai.com/character/getResponse 401 X-API-Key: {v.key} CONVAI-API-KEY: "
        f"{v.key}",
        (v.key,),
    ),
    "email": lambda v: (f"[Error][SDK]: login failed for {v.email} (401 Unauthorized)", (v.email,)),
    "win-path": lambda v: (
        f"[Error][SDK]: could not write C:\\Users\\{v.name}\\AppData\\LocalLow\\Studio\\Game\\convai.json",
        (v.name,),
    ),
    "mac-path": lambda v: (f"[Error][SDK]: cannot open /Users/{v.name}/Library/Logs/Unity/Player.log", (v.name,)),
    "linux-path": lambda v: (f"[Error][SDK]: cannot open /home/{v.name}/.config/unity3d/Studio/Game/x.log", (v.name,)),
    "frame-path": lambda v: (
        f"Convai.Scripts.Runtime.Core.ConvaiNPC:Start () (at C:/Users/{v.name}/Projects/Game/Assets/Convai/NPC.cs:112)",
        (v.name,),
    ),
    "ice": lambda v: (
        f"[Debug][Transport]: candidate:842163049 1 udp 1694498815 {v.ip} 50522 typ srflx raddr 10.0.0.5 rport 50522",
        (v.ip,),
    ),
    "connect-ip": lambda v: (f"[Error][Transport]: could not connect to {v.ip}:443 (timeout)", (v.ip,)),
}


def _text(*lines: str, eol: str = "\n") -> bytes:
    return (eol.join((*NOISE, *lines, *NOISE)) + eol).encode("utf-8", "surrogateescape")


def wrapped(line: str, width: int, prefix: str = "", *, first: bool = True) -> list[str]:
    pieces = [line[i : i + width] for i in range(0, len(line), width)]
    return [(prefix if first or i else "") + piece for i, piece in enumerate(pieces)]


# --- the generators ---------------------------------------------------------------------------------------------


def wrap_cases(start: int) -> Iterator[Case]:
    """Every kind of line x decoration x width, and LF / CRLF / lone CR endings (one width each)."""
    number = start
    for kind, build in KINDS.items():
        for deco, prefix in DECORATIONS.items():
            for width in (0, *WIDTHS):
                number += 1
                line, secrets = build(values(number))
                lines = [prefix + line] if not width else wrapped(line, width, prefix)
                yield Case(f"{kind}-{deco}-{width}", _text(*lines), secrets)
        for eol, label in (("\r\n", "crlf"), ("\r", "cr")):
            for width in (0, 41):
                number += 1
                line, secrets = build(values(number))
                lines = [line] if not width else wrapped(line, width, "> ", first=False)
                yield Case(f"{kind}-{label}-{width}", _text(*lines, eol=eol), secrets)


def _frames(count: int, width: int) -> list[str]:
    return [FRAME.format(name=f"Step{i:02d}", line=100 + i).ljust(width)[:width] for i in range(count)]


def frame_run_cases(start: int) -> Iterator[Case]:
    """A token line hard-wrapped at the width of a run of stack frames that a logger padded to one width, so the
    pieces of the token look like more lines of the run."""
    number = start
    for width in (64, 80, 100, 120):
        for kind in ("summary", "chain", "url", "frame-path"):
            number += 1
            line, secrets = KINDS[kind](values(number))
            run = _frames(6, width)
            yield Case(f"frame-run-{kind}-{width}", _text(*run[:3], *wrapped(line, width), *run[3:]), secrets)


def _spliced(token: str, piece: str, at: int) -> Iterator[tuple[str, str]]:
    """`token` with `piece` put inside its payload (at `at`), its signature and its header, by place."""
    head, payload, sig = token.split(".")
    yield "payload", f"{head}.{payload[:at]}{piece}{payload[at:]}.{sig}"
    yield "signature", f"{head}.{payload}.{sig[:10]}{piece}{sig[10:]}"
    yield "header", f"{head[:8]}{piece}{head[8:]}.{payload}.{sig}"


def _invisible_in(token: str, char: str) -> Iterator[tuple[str, str]]:
    head, payload, sig = token.split(".")
    yield from _spliced(token, char, 50)
    yield "after-dot", f"{head}.{char}{payload}.{sig}"
    yield "before-dot", f"{head}.{payload}{char}.{sig}"


def _percent(text: str) -> str:
    return "".join(f"%{b:02X}" if not chr(b).isalnum() else chr(b) for b in text.encode())


def encoded_cases(start: int) -> Iterator[Case]:
    """Invisible characters inside a token, percent-encoding, JSON escapes (twice too), base64url chunks, a line
    gzipped then base64-encoded, a BOM mid-file."""
    number = start
    for label, char in INVISIBLE.items():
        for where in ("payload", "after-dot", "before-dot", "signature", "header"):
            number += 1
            v = values(number)
            token = dict(_invisible_in(v.token, char))[where]
            yield Case(
                f"invisible-{label}-{where}", _text(f"[Debug][Transport]: Token: {token}; Room Name: r"), (v.body,)
            )
    for label, build in _ENCODINGS.items():
        number += 1
        v = values(number)
        line, secrets = build(v)
        yield Case(f"encoded-{label}", _text(line), secrets)
    number += 1
    v = values(number)
    head, payload, sig = v.token.split(".")
    chunks = [payload[i : i + 64] for i in range(0, len(payload), 64)] + [sig]
    lines = [f"[Debug][Transport]: token chunk {i + 1}/{len(chunks)}: {c}" for i, c in enumerate(chunks)]
    yield Case("base64url-chunks", _text(f"[Debug][Transport]: token chunk 0: {head}.", *lines), (v.body,))
    for kind in ("summary", "details", "email", "win-path"):
        number += 1
        line, secrets = KINDS[kind](values(number))
        yield Case(f"bom-mid-file-{kind}", _text("\ufeff" + line), secrets)
        number += 1
        line, secrets = KINDS[kind](values(number))
        cut = line.index(":") + 2
        yield Case(f"bom-inside-{kind}", _text(line[:cut] + "\ufeff" + line[cut:]), secrets)


_ENCODINGS: dict[str, Callable[[Values], tuple[str, tuple[str, ...]]]] = {
    "percent-url": lambda v: (
        "[Debug][Transport]: redirect=https%3A%2F%2Fx.livekit.cloud%2Frtc%3Faccess_token%3D"
        + urllib.parse.quote(v.token, safe="")
        + "%26sdk%3Dunity",
        (v.body,),
    ),
    "percent-all": lambda v: (f"[Debug][Transport]: q=token%3D{_percent(v.token)}", (v.body,)),
    "percent-email": lambda v: (f"GET /v1/users?email={urllib.parse.quote(v.email)}", (v.email.split("@")[0],)),
    "json-u002e": lambda v: (
        '[Debug][Transport]: {"token":"' + v.token.replace(".", "\\u002e") + '","end_user_id":"' + v.user + '"}',
        (v.token.split(".")[1], v.token.split(".")[2], v.user),
    ),
    "json-slash": lambda v: (
        '{"url":"wss:\\/\\/x.livekit.cloud\\/rtc?access_token='
        + v.token
        + '","path":"C:\\\\Users\\\\'
        + v.name
        + '\\\\AppData"}',
        (v.body, v.name),
    ),
    "json-in-json": lambda v: ('{"message":' + json.dumps(_details(v)) + "}", (v.body, v.user, v.person)),
    "json-twice": lambda v: (
        '{"m":' + json.dumps(json.dumps({"token": v.token, "end_user_id": v.user, "apiKey": v.key})) + "}",
        (v.body, v.user, v.key),
    ),
    "unicode-escaped-email": lambda v: (
        '{"email":"' + v.email.replace("@", "\\u0040") + '"}',
        (v.email.split("@")[0],),
    ),
    "json-twice-u002e": lambda v: ('{"m":"token ' + v.token.replace(".", "\\\\u002e") + '"}', (v.body,)),
    "json-twice-email": lambda v: ('{"m":"' + v.email.replace("@", "\\\\u0040") + '"}', (v.email.split("@")[0],)),
    "gzip-base64": lambda v: (
        f"[Error][SDK]: crash report: {_gzipped(KINDS['summary'](v)[0])}",
        (_gzipped(KINDS["summary"](v)[0]),),
    ),
}


def _gzipped(line: str) -> str:
    return base64.b64encode(gzip.compress(line.encode(), mtime=0)).decode()


def _shapes_of(v: Values) -> dict[str, list[str]]:
    """One token (and its end-user id) in the shapes a second sighting may take."""
    line = KINDS["summary"](v)[0]
    _, payload, sig = v.token.split(".")
    return {
        "plain": [line],
        "quote-47": wrapped(line, 47, "> "),
        "nested-19": wrapped(line, 19, "> > "),
        "tab-64": wrapped(line, 64, "\t"),
        "continuation-33": wrapped(line, 33, "> ", first=False),
        "soft-hyphen": [line.replace(payload, payload[:40] + "\u00ad" + payload[40:])],
        "zwsp-signature": [line.replace(sig, sig[:20] + "\u200b" + sig[20:])],
        "percent": [f"[Debug][Transport]: q=token%3D{_percent(v.token)}%26end_user_id%3D{v.user}"],
        "json-u002e": ['{"token":"' + v.token.replace(".", "\\u002e") + '","end_user_id":"' + v.user + '"}'],
        "chain": [CHAIN.format(t=v.token)],
        "chain-wrapped-80": wrapped(CHAIN.format(t=v.token), 80, "> "),
    }


def memo_cases(start: int) -> Iterator[Case]:
    """The same secret met again in another shape (a memo by value), in one file and in the next file of one run,
    and a secret on a line that is otherwise the same as an earlier clean one (a memo by line)."""
    number = start
    for second in [s for s in _shapes_of(values(0)) if s != "plain"]:
        for order in ("plain-first", "plain-after"):
            number += 1
            v = values(number)
            shapes = _shapes_of(v)
            lines = [*shapes["plain"], *NOISE, *shapes[second]]
            if order == "plain-after":
                lines = [*shapes[second], *NOISE, *shapes["plain"]]
            yield Case(f"memo-{order}-{second}", _text(*lines), (v.body, v.user))
    number += 1
    v = values(number)
    every = [line for shape in _shapes_of(v).values() for line in (*shape, *NOISE)]
    yield Case("memo-every-shape-one-file", _text(*every), (v.body, v.user))
    # across files of one command: the files are read in name order (zz sorts after every other case)
    number += 1
    v = values(number)
    shapes = _shapes_of(v)
    yield Case("zz-across-1-plain", _text(*shapes["plain"]), (v.body, v.user))
    for second in ("quote-47", "soft-hyphen", "percent", "chain-wrapped-80"):
        held = (v.body,) if second.startswith("chain") else (v.body, v.user)
        yield Case(f"zz-across-2-{second}", _text(*shapes[second]), held)
    yield from _same_line_cases(number + 1)


def _same_line_cases(number: int) -> Iterator[Case]:
    v = values(number)
    frame = KINDS["frame-path"](v)[0]
    clean = frame.replace(f"C:/Users/{v.name}/Projects/Game/", "")
    yield Case("same-line-frame", _text(*[clean] * 40, frame, *[clean] * 5), (v.name,))
    login = KINDS["email"](v)[0]
    yield Case("same-line-email", _text(*[login.replace(v.email, "support")] * 40, login), (v.email,))
    v = values(number + 1)
    # the same text standing alone first (clean), then the continuation of a line that a wrap cut
    rest = f'"name":"{v.person}","level":3}}}}'
    yield Case(
        "context-metadata",
        _text(rest, '[Debug][Transport]: Room details received: {"room_name":"lobby","end_user_metadata":{', rest),
        (v.person,),
    )
    path = f"{v.name}\\AppData\\LocalLow\\Studio\\Game\\convai.json"
    yield Case("context-user-path", _text(path, "[Error][SDK]: could not write C:\\Users\\", path), (v.name,))
    v = values(number + 2)
    tail = f"{v.user}; Room Name: lobby"
    yield Case("context-end-user-id", _text(tail, "[Debug][Transport]: Resolved End User ID: ", tail), (v.user,))
    v = values(number + 3)
    pieces = wrapped(KINDS["summary"](v)[0], 64)
    yield Case("context-token-piece", _text(pieces[2], *pieces, pieces[2]), (v.body, v.user))
    # lines that agree with earlier clean ones over their first N characters (a memo or a grouping keyed by a
    # line's head), the secret after that
    for offset, head in enumerate((250, 256, 2000, 4096, 8192)):
        v = values(number + 4 + offset)
        clean = "[Error][SDK]: failed: " + "abc def " * (head // 8)
        yield Case(
            f"same-head-{head}",
            _text(*[clean + " (code 3)"] * 5, clean + f" Token: {v.token} user {v.email}", clean + " (code 3)"),
            (v.body, v.email),
        )


def placeholder_cases(start: int) -> Iterator[Case]:
    """Secrets right after text a user wrote that looks like a placeholder, and inside such text."""
    rows: list[Callable[[Values], tuple[str, tuple[str, ...]]]] = [
        lambda v: (f"[Debug][Transport]: Token: <livekit-token-1>{v.token}; Room Name: r", (v.body,)),
        lambda v: (f"[Debug][Transport]: Token: <livekit-token-1> {v.token}; Room Name: r", (v.body,)),
        lambda v: (f"[Debug][Transport]: Token: <livekit-token-{v.token}>; Room Name: r", (v.body,)),
        lambda v: (f"[Debug][Transport]: Token: <{v.token}>", (v.body,)),
        lambda v: (f"[Debug][Transport]: Token: <livekit-token-1 {v.token}>", (v.body,)),
        lambda v: (f"[Debug][Transport]: Resolved End User ID: <end-user-id-1>{v.user}", (v.user,)),
        lambda v: (f"[Debug][Transport]: Resolved End User ID: <end-user-id-{v.user}>", (v.user,)),
        lambda v: (f'{{"end_user_id":"<end-user-id-1>{v.user}"}}', (v.user,)),
        lambda v: (f"[Error][REST]: 401 X-API-Key: <api-key-1>{v.key}", (v.key,)),
        lambda v: (f"[Error][REST]: 401 X-API-Key: <api-key-{v.key}>", (v.key,)),
        lambda v: (f"[Error][SDK]: login failed for <email-1>{v.email}", (v.email,)),
        lambda v: (f"[Error][SDK]: could not write C:\\Users\\<user-name-1>{v.name}\\AppData\\x.json", (v.name,)),
        lambda v: (f"[Error][SDK]: could not write C:\\Users\\<{v.name}>\\AppData\\x.json", (v.name,)),
        lambda v: (f"[Error][Transport]: could not connect to <ip-address-1>{v.ip}:443", (v.ip,)),
        lambda v: (f"[Debug][Transport]: Token: <livekit-token>.{v.token.split('.', 1)[1]}", (v.body,)),
    ]
    number = start
    for index, row in enumerate(rows):
        number += 1
        line, secrets = row(values(number))
        yield Case(f"placeholder-{index:02d}", _text(line), secrets)
    number += 1
    v = values(number)
    summary = KINDS["summary"](v)[0]
    yield Case(
        "placeholder-then-real",
        _text("[Debug][Transport]: Token: <livekit-token-1>; Room Name: r", summary, "Token: <livekit-token-2>"),
        (v.body, v.user),
    )
    number += 1
    v = values(number)
    yield Case(
        "placeholder-then-wrapped-token",
        _text("[Debug][Transport]: Token: <livekit-token-1>", *wrapped(v.token, 47, "> ")),
        (v.body,),
    )


def long_line_cases(start: int) -> Iterator[Case]:
    """Lines longer than 1 MiB with a secret at their start, near 1 MiB into them, and at their end."""
    filler = "lorem ipsum dolor sit amet " * (MIB // 27 + 2000)
    number = start
    for where in ("start", "middle", "near-mib", "end"):
        for kind in ("summary", "email", "win-path"):
            number += 1
            line, secrets = KINDS[kind](values(number))
            at = {"start": 0, "middle": len(filler) // 2, "near-mib": MIB - 40, "end": len(filler)}[where]
            big = "[Error][SDK]: " + filler[:at] + line + " " + filler[at:]
            yield Case(f"long-line-{where}-{kind}", _text(big), secrets)


def boundary_cases(start: int) -> Iterator[Case]:
    """A secret across the 1 MiB boundary of the blocks redaction reads: in one line, and as a hard-wrapped
    token whose pieces fall in two blocks."""
    number = start
    noise = (NOISE[0] + "\n").encode()
    for kind, width in (("summary", 0), ("summary", 47), ("details", 0), ("email", 0), ("chain", 64)):
        for back in (1, 30, 200, 700):
            number += 1
            line, secrets = KINDS[kind](values(number))
            lines = [line] if not width else wrapped(line, width, "> ")
            body = ("\n".join(lines) + "\n").encode()
            secret_at = body.find(secrets[0][:12].encode()) if not width else len(body) // 2
            pad = MIB - back - secret_at
            head = noise * (pad // len(noise))
            head += b"x" * (pad - len(head) - 1) + b"\n" if pad > len(head) else b""
            data = head + body + ("\n".join(NOISE) + "\n").encode()
            yield Case(f"boundary-{kind}-{width}-{back}", data, secrets)


def many_case(start: int, count: int = 5000) -> Case:
    """More distinct tokens and end-user ids than any bounded memo holds, among stack frames, then tokens met
    before in other shapes, and new tokens wrapped after them."""
    lines: list[str] = []
    secrets: list[str] = []
    frames = _frames(2, 100)
    for number in range(start, start + count):
        line, found = KINDS["summary"](values(number))
        lines += [line, *frames]
        secrets += found
    for number in range(start, start + 200, 4):
        shapes = _shapes_of(values(number))
        lines += [*shapes["quote-47"], *frames, *shapes["soft-hyphen"], *shapes["chain-wrapped-80"]]
    for number in range(start + count, start + count + 100):
        line, found = KINDS["chain"](values(number))
        lines += [*wrapped(line, 53, "> "), *frames]
        secrets += found
    return Case("many-distinct", _text(*lines), tuple(secrets))


def reused_cases() -> Iterator[Case]:
    """The shapes tests/support/variants.py and wraps.py already sweep, through the whole commands."""
    body = variants.TOKEN.split(".", 1)[1]
    for variant in variants.variants((20, 76)):
        held = (body, variants.USER) if variant.name.startswith(("details", "summary")) else (body,)
        yield Case(f"variants-{variant.name}", variant.text.encode(), held)
    for case in wraps.sweep((33, 80)):
        secrets = tuple(wraps.BODY if s == wraps.TOKEN else s for s in case.secrets)
        yield Case(f"wraps-{case.name}", case.text.encode(), secrets)


def small_cases() -> Iterator[Case]:
    """Every case but the large ones (long lines, block boundaries, many distinct secrets)."""
    yield from wrap_cases(1_000)
    yield from frame_run_cases(3_000)
    yield from encoded_cases(4_000)
    yield from memo_cases(5_000)
    yield from placeholder_cases(6_000)
    yield from label_cases(6_500)
    yield from markup_cases(6_800)
    yield from reused_cases()


def large_cases() -> Iterator[Case]:
    yield from long_line_cases(7_000)
    yield from boundary_cases(8_000)
    yield many_case(10_000)


_KEY_ROWS = (
    "[Error][REST]: 401 X-API-Key: {k}",
    "[Error][REST]: 401 x-api-key:{k}",
    '[Debug][REST]: {{"apiKey":"{k}"}}',
    "[Debug][REST]: GET /v1?api_key={k}&sdk=unity",
    "[Debug][REST]: API_KEY\t{k}",
    "[Debug][REST]: <apiKey>{k}</apiKey>",
    '[Debug][REST]: {{"value":"{k}","key":"X-API-Key"}}',
    '[Debug][REST]: {{"key":"X-API-Key","value":"{k}"}}',
    "[Debug][REST]: q=1%26api_key%3D{k}",
    "Compiling shader keywords: _ALPHATEST_ON _NORMALMAP api_key={k}",
    "[Debug][REST]: KEYWORDS none; KEY: {k}",
    "[Debug][REST]: key {k}",
    "[Debug][REST]: CONVAI_API_KEY={k}",
    "[Debug][REST]: X-API-K\u00adey: {k}",
    "[Debug][REST]: X-API-Ke\ny: {k}",
    "[Debug][REST]: apiKey: |\n  {k}",
    '[Debug][REST]: {{\\"apiKey\\":\\"{k}\\"}}',
    "[Error][REST]: 401 X-API-\u041aey: {k}",
)
_PATH_ROWS = (
    '{{"path":"C:\\\\Users\\\\{n}\\\\AppData\\\\x.json"}}',
    "open C:%5CUsers%5C{n}%5CAppData%5Cx.json",
    '{{"path":"C:\\u005cUsers\\u005c{n}\\u005cAppData"}}',
    "file:///C:/Users/{n}/AppData/x.json",
    "\\\\server\\Users\\{n}\\logs\\x.log",
    "/mnt/c/Users/{n}/Project/x.cs",
    "C:\\Documents and Settings\\{n}\\x.log",
    "\\\\wsl$\\Ubuntu\\home\\{n}\\x.log",
    "\\\\server\\home$\\{n}\\x.log",
    "cd ~{n}/Projects",
    "C:/Users//{n}/x.cs",
    "C:\\Users\\\\{n}\\x.cs",
    "C:\\Us\u00aders\\{n}\\x.cs",
    "C:\\USERS\\{n}\\x.cs",
    "[Error][SDK]: cannot open C:\\Users\\{n}",
    "/var/home/{n}/x.cs",
    "HOME=/home/{n}",
    "login username={n} ok",
    "C:\\Users\\\n{n}\\AppData\\x.json",
    "/Users/\u200b{n}/Library/x.log",
    "\\\\?\\UNC\\server\\Users\\{n}\\x.log",
    "\\\\nas\\backup\\Users\\{n}\\x.log",
    "file://localhost/Users/{n}/Library/x.log",
    "C:\u00a5Users\u00a5{n}\u00a5x.cs",
)
_EMAIL_ROWS = (
    "[Error][SDK]: mailto:{e} failed",
    '<a href="mailto:{e}">support</a>',
    "[Error][SDK]: login failed for {e}.",
    "[Error][SDK]: login failed for {e_pct}",
    '{{"email":"{e_esc}"}}',
    "[Error][SDK]: mail {e_full}",
    "[Error][SDK]: login {e_shy} failed",
)


def label_cases(start: int) -> Iterator[Case]:
    """Labels and paths in the forms the detectors' gates and screens must still open on."""
    number = start
    for index, row in enumerate(_KEY_ROWS):
        number += 1
        v = values(number)
        yield Case(f"key-label-{index:02d}", _text(*row.format(k=v.key).split("\n")), (v.key,))
    for index, row in enumerate(_PATH_ROWS):
        number += 1
        v = values(number)
        yield Case(f"path-{index:02d}", _text(*row.format(n=v.name).split("\n")), (v.name,))
    for index, row in enumerate(_EMAIL_ROWS):
        number += 1
        v = values(number)
        local, domain = v.email.split("@")
        text = row.format(e=v.email, e_pct=f"{local}%40{domain}", e_esc=f"{local}\\u0040{domain}",
                          e_full=f"{local}\uff20{domain}", e_shy=f"{local[:5]}\u00ad{local[5:]}@{domain}")  # fmt: skip
        secret = local if index < 6 else local[5:] + "@"
        yield Case(f"email-{index:02d}", _text(text), (secret,))


BRACKET_TAGS = ("[b]", "[/b]", "[/bold]", "[color=red]", "[bold red]", "[i]")


def _tagged(token: str, tag: str) -> Iterator[tuple[str, str]]:
    head, payload, sig = token.split(".")
    yield from _spliced(token, tag, 30)
    yield "around", f"{head}.{tag}{payload[:60]}{tag}{payload[60:]}.{sig}"


def _base64_lines(v: Values) -> dict[str, list[str]]:
    """Lines as an inline attachment carries them: standard base64 of a whole line, alone, behind a label, and
    wrapped at MIME's 76 columns."""
    out: dict[str, list[str]] = {}
    for kind in ("summary", "details", "api-key", "email", "chain", "win-path"):
        run = base64.b64encode(KINDS[kind](v)[0].encode()).decode()
        out[f"{kind}-alone"] = [run]
        out[f"{kind}-label"] = [f"[Error][SDK]: crash report attached: {run}"]
        if kind != "email":
            out[f"{kind}-76"] = [run[i : i + 76] for i in range(0, len(run), 76)]
    return out


def markup_cases(start: int) -> Iterator[Case]:
    """A forum's or a console's bracket tag inside a token; a placeholder-like text a wrap cut behind each logcat
    head (`<u` | `ser-name-1>Name`); a line carried as standard base64 (its secret: the run itself, since any
    piece of it gives part of the line back)."""
    number = start
    for tag in BRACKET_TAGS:
        for where in ("payload", "signature", "header", "around"):
            number += 1
            v = values(number)
            token = dict(_tagged(v.token, tag))[where]
            line = f"[Debug][Transport]: Token: {token}; Room Name: lobby"
            yield Case(f"bracket-{tag.strip('[]/').replace(' ', '-')}-{where}", _text(line), (v.body,))
    for index, head in enumerate(wraps.HEADS):
        for width in (21, 41, 50):
            number += 1
            v = values(number)
            line = f"[Error][SDK]: could not write C:\\Users\\<user-name-1>{v.name}\\AppData\\x.json"
            yield Case(f"placeholder-head-{index}-{width}", _text(*(head + p for p in wrapped(line, width))), (v.name,))
    for name, mark in (("ansi", "\x1b[31m"), ("nbsp", "\u00a0"), ("space", " "), ("bracket", "[/b]")):
        number += 1
        v = values(number)
        line = f"[Debug][Transport]: Resolved End User ID: {mark}{v.user[:9]}{mark}{v.user[9:]}; Room Name: lobby"
        yield Case(f"end-user-id-{name}", _text(line if mark.strip() else line.replace(mark, "", 1)), (v.user,))
    for name, mark in (("md", "**"), ("span", "<span>"), ("colour", "<color=red>"), ("nbsp", "\u00a0")):
        number += 1
        v = values(number)
        line = f"[Error][SDK]: could not write C:\\Users\\{v.name[:3]}{mark}{v.name[3:]}Quist\\AppData\\x.json"
        yield Case(f"path-inside-{name}", _text(line), (v.name[3:] + "Quist",))
    number += 1
    for name, lines in _base64_lines(values(number)).items():
        yield Case(f"base64-{name}", _text(*lines), ("".join(lines).rsplit(" ", 1)[-1],))
    yield from _split_cases(number + 1)


# what a paste or a terminal puts inside an address: markup, an ANSI code, one blank beside a dot
ADDRESS_MARKS = {"bold": "<b>", "bracket": "[b]", "colour": "<color=red>", "ansi": "\x1b[1m", "space": " ", "tab": "\t"}


def _split_cases(start: int) -> Iterator[Case]:
    """A blank inside a token's signature (its halves are the secrets: each is 12 characters or more) and markup or
    a blank inside an address, on their lines in each decoration, behind each logcat head and in the console form."""
    number = start
    heads = {**{f"head-{index}": head for index, head in enumerate(wraps.HEADS)}, **DECORATIONS}
    for name, lead in {**heads, "console": "<color=cyan>[14:02:11.871]"}.items():
        for blank, label in ((" ", "space"), ("\t", "tab")):
            number += 1
            v = values(number)
            head, payload, sig = v.token.split(".")
            token = f"{head}.{payload}.{sig[:21]}{blank}{sig[21:]}"
            lines = [lead + line.replace(v.token, token) for line in (KINDS["summary"](v)[0], CHAIN.format(t=v.token))]
            yield Case(f"split-signature-{label}-{name}", _text(*lines), (payload, sig[:21], sig[21:], v.user))
        for mark, inside in ADDRESS_MARKS.items():
            number += 1
            v = values(number)
            first, second, rest = v.ip.split(".", 2)
            ip = f"{first}.{second}.{inside}{rest}"
            line = KINDS["connect-ip"](v)[0].replace(v.ip, ip)
            # the pieces the mark leaves: the whole address is never written plain in the file
            yield Case(f"marked-ip-{mark}-{name}", _text(lead + line), (f"{first}.{second}", rest))
