"""Markup inside a secret's run, a blank inside a key, and keys and tokens in settings files (#8).

Each class is checked through every command: `redact -o` keeps no piece of a secret and leaves ordinary lines as
they were, `check` flags every secret line of the original and passes the output, and `analyze --format json`
shows no piece of a secret.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens import api
from loglens.cli import app
from loglens.errors import ExitCode
from loglens.redaction.verify import check_stream
from tests.support.variants import TOKEN, pieces_of

KEY = "3f9a0c1e5b7d2468ace0f13579bdf024"  # fake, shaped like a Convai API key
START = "[14:02:10.000][Info][SDK]: [SessionMetrics] Session started\n"
HEADER, PAYLOAD, SIGNATURE = TOKEN.split(".")
# TextMeshPro's rich-text tags (opening, with a value where the tag takes one, and closing)
TMP_TAGS = (  # noqa: SIM905 - one tag a word reads more easily than a list of 37 strings
    'align=right allcaps alpha=#FF b br color=red cspace=1em font="Arial" font-weight=700 gradient="x" i '
    'indent=5% line-height=50% line-indent=10% link="id" lowercase margin=1em mark=#ffff00aa mspace=2.5 nobr '
    'noparse page pos=75% rotate=45 s size=12 smallcaps space=5em sprite=0 strikethrough style="H1" sub sup u '
    "uppercase voffset=1em width=60%"
).split()
MARKUP = [
    *((f"<{tag}>", f"</{tag.split('=')[0]}>") for tag in TMP_TAGS),
    ('<sprite name="x">', "<#ff0000>"),
    ('<span class="x">', "</span>"),
    ("<!-- -->", "<!--x-->"),
    ("**", "**"),
    ("``", "``"),
]
ORDINARY = [
    '[14:02:13.000][Info][UI]: a<b>c <b>bold</b> and <span class="x">text</span> <!-- note --> **done** ``code``\n',
    "[14:02:13.000][Info][UI]: <sprite=0> <noparse>x</noparse> <indent=5%>Welcome</indent>\n",
]


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def _kept(text: str, secrets: tuple[str, ...]) -> bool:
    return any(piece in text for secret in secrets for piece in pieces_of(secret, 12))


def _every_command(tmp_path: Path, lines: list[str], secrets: tuple[str, ...], ordinary: list[str]) -> str:
    """`lines` (each holding a secret) between ordinary lines: every command hides every secret, and the ordinary
    lines come out as they went in. The redacted text."""
    log, out = tmp_path / "Editor.log", tmp_path / "out.log"
    log.write_bytes((START + "".join(lines) + "".join(ordinary)).encode())
    assert _run(["redact", str(log), "-o", str(out)])[0] == ExitCode.OK
    redacted = out.read_text(encoding="utf-8")
    assert not _kept(redacted, secrets), redacted
    assert all(line in redacted for line in ordinary), redacted
    flagged = {finding.line for finding in check_stream(io.BytesIO(log.read_bytes()))}
    assert len(flagged) >= len(lines), sorted(flagged)
    assert _run(["check", str(log)])[0] == ExitCode.FINDINGS
    assert _run(["check", str(out)])[0] == ExitCode.OK
    code, output = _run(["analyze", str(log), "--format", "json"])
    assert code == ExitCode.OK
    assert not _kept(json.dumps(json.loads(output), ensure_ascii=False), secrets)
    return redacted


def _token_lines(before: str, after: str) -> list[str]:
    inside = TOKEN[:50] + before + TOKEN[50:150] + after + TOKEN[150:]
    beside = f"{HEADER}{before}.{after}{PAYLOAD}{before}.{after}{SIGNATURE}"
    return [
        f"[14:02:12.000][Error][Transport]: connect failed, error: invalid token: {token}, error: token is expired\n"
        for token in (inside, beside)
    ]


@pytest.mark.parametrize(("before", "after"), MARKUP, ids=[pair[0] for pair in MARKUP])
def test_any_markup_inside_a_token_or_a_key_is_read_through(tmp_path: Path, before: str, after: str) -> None:
    key = f"[14:02:11.000][Debug][SDK]: X-API-KEY: {KEY[:16]}{before}{KEY[16:]}\n"
    _every_command(tmp_path, [*_token_lines(before, after), key], (TOKEN, KEY), ORDINARY)


BRACKET_TAGS = ["[b]", "[/b]", "[/bold]", "[color=red]", "[bold red]"]


@pytest.mark.parametrize("tag", BRACKET_TAGS)
def test_a_bracket_tag_inside_a_key_is_read_through(tmp_path: Path, tag: str) -> None:
    """A forum's BBCode or a console's markup inside a key: the hex after the tag goes with the hex before it (it
    was kept, and `check` passed it); a tag between words stays text."""
    lines = [f"[14:02:11.000][Debug][SDK]: {label}{KEY[:11]}{tag}{KEY[11:]}\n" for label in KEY_LABELS]
    ordinary = [f"[14:02:13.000][Info][UI]: {tag}Welcome{tag} back, 0123 {tag} abcd\n"]
    _every_command(tmp_path, lines, (KEY,), ordinary)


@pytest.mark.parametrize("tag", BRACKET_TAGS)
def test_a_bracket_tag_inside_a_token_is_read_through(tmp_path: Path, tag: str) -> None:
    """The same tags inside a token, and beside its dots: one token, redacted whole (the copy was refused, as the
    part after the tag still decoded to the token's claims)."""
    redacted = _every_command(tmp_path, _token_lines(tag, tag), (TOKEN,), ORDINARY)
    assert tag not in redacted.split("Session started", 1)[1].split("[14:02:13", 1)[0], redacted


@pytest.mark.parametrize("tag", ["<br />", "<br/>", "<hr/>"])
def test_a_self_closing_tag_inside_a_key_or_a_token_is_read_through(tag: str) -> None:
    """A key or a token with a self-closing tag inside is the same value as without it: one placeholder."""
    text = f"X-API-KEY: {KEY}\nX-API-KEY: {KEY[:16]}{tag}{KEY[16:]}\n"
    text += f"token: {TOKEN}\ntoken: {TOKEN[:60]}{tag}{TOKEN[60:]}\n"
    assert api.redact_text(text) == "X-API-KEY: <api-key-1>\n" * 2 + "token: <livekit-token-1>\n" * 2


@pytest.mark.parametrize(("before", "after"), MARKUP, ids=[pair[0] for pair in MARKUP])
def test_markup_after_a_whole_token_and_the_word_after_it_stay_text(before: str, after: str) -> None:
    if before == "<br>":
        pytest.skip("an HTML line break is a cut in a paste (paste.py)")
    text = f"invalid token: {TOKEN}{before}Retrying{after} now\n"
    assert api.redact_text(text) == f"invalid token: <livekit-token-1>{before}Retrying{after} now\n"


BREAKS = ["<br>", "<br/>", "<br />", "<BR>", "<p>", "</p><p>"]  # what an HTML copy puts where a line ended


@pytest.mark.parametrize("brk", BREAKS)
def test_a_key_ends_at_a_markup_line_break_and_the_word_after_it_stays_text(tmp_path: Path, brk: str) -> None:
    head = "[14:02:11.000][Error][SDK]: request failed, "
    lines = [f"{head}{label}{KEY}{brk}next word\n" for label in KEY_LABELS]
    lines.append(f"{head}X-API-KEY: {KEY[:16]}{brk}{KEY[16:]}{brk}next word\n")  # and split by one of them
    redacted = _every_command(tmp_path, lines, (KEY,), ORDINARY)
    assert redacted.count(f"<api-key-1>{brk}next word\n") == len(lines), redacted
    assert set(re.findall(r"<api-key-\d+>", redacted)) == {"<api-key-1>"}
    log = tmp_path / "Editor.log"
    messages = [e["message"] for e in json.loads(_run(["analyze", str(log), "--format", "json"])[1])["unexplained"]]
    assert messages and all(m.endswith(f"<api-key>{brk}next word") for m in messages), messages


BLANKS = {"space": " ", "two spaces": "  ", "no-break space": "\u00a0", "tab": "\t", "narrow no-break": "\u202f"}
KEY_LABELS = ("X-API-KEY: ", "api_key=", '"apiKey": "', "CONVAI-API-KEY:")


@pytest.mark.parametrize("blank", sorted(BLANKS))
def test_a_key_split_by_one_blank_after_its_label_is_hidden_whole(tmp_path: Path, blank: str) -> None:
    lines = [
        f"[14:02:11.000][Debug][SDK]: {label}{KEY[:cut]}{BLANKS[blank]}{KEY[cut:]}\n"
        for label in KEY_LABELS
        for cut in (8, 16, 24)
    ]
    digest = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # 32 hex in four words: a digest printed grouped, no key
    grouped = "[14:02:13.000][Info][SDK]: Cache key: " + " ".join(digest[i : i + 8] for i in range(0, 32, 8)) + "\n"
    redacted = _every_command(tmp_path, lines, (KEY,), [*ORDINARY, grouped])
    assert set(re.findall(r"<api-key-\d+>", redacted)) == {"<api-key-1>"}  # one key, one placeholder


USER_LABELS = ("Resolved End User ID: ", '"end_user_id":"', "endUserId=")
INSIDE_ID = {"ansi": "\x1b[31m", "ansi reset": "\x1b[0m", "bold": "<b>", "bracket": "[/b]", "soft hyphen": "\u00ad"}


@pytest.mark.parametrize("inside", sorted({**BLANKS, **INSIDE_ID}))
def test_an_end_user_id_with_a_blank_or_markup_inside_is_hidden_whole(tmp_path: Path, inside: str) -> None:
    """A device's 32-hex end-user id cut by a blank or with markup inside, also at its start: the hex after the cut
    was kept (16 of 32 hex in the copy, which passed its re-scan; an ANSI code took the id for the escape alone)."""
    user = "9c1e5b7d2468ace0f13579bdf0243f9a"  # fake
    mark = {**BLANKS, **INSIDE_ID}[inside]
    lines = [
        f"[14:02:11.000][Debug][Transport]: {label}{user[:cut]}{mark}{user[cut:]}\n"
        for label in USER_LABELS
        for cut in ((0, 9, 16) if inside in INSIDE_ID else (9, 16))
    ]
    _every_command(tmp_path, lines, (user,), ORDINARY)


NAME_MARKUP = {"bold": "**", "span": "<span>", "colour": "<color=#ff0000>", "comment": "<!-- -->", "tab": "\t"}
NAME_MARKUP |= {"no-break space": "\u00a0", "narrow no-break": "\u202f"}
PROFILES = ("C:\\Users\\{n}\\AppData\\x.json", "C:/Users/{n}/Projects/x.cs", "/Users/{n}/Library/x.log")


@pytest.mark.parametrize("inside", sorted(NAME_MARKUP))
def test_a_user_name_with_markup_or_a_blank_inside_is_hidden_whole(tmp_path: Path, inside: str) -> None:
    """Markup inside a profile folder's name, or a blank an HTML copy put for its space: the part after it was
    kept by redact, passed by its re-scan and shown by analyze."""
    name = "Vexm" + NAME_MARKUP[inside] + "orquistellanova"
    lines = [f"[14:02:11.000][Error][SDK]: cannot open {path.format(n=name)}\n" for path in PROFILES]
    if inside in ("tab", "no-break space", "narrow no-break"):
        lines = lines[:2]  # a macOS path's name is one word
    _every_command(tmp_path, lines, ("orquistellanova",), ORDINARY)


SETTING = '<setting name="{name}" serializeAs="String">'
DOTNET = {
    "same line": f"{SETTING}<value>{KEY}</value></setting>\n",
    "next line": f"{SETTING}\n  <value>{KEY}</value>\n</setting>\n",
    "crlf": f"{SETTING}\r\n    <value>{KEY}</value>\r\n</setting>\r\n",
    "value apart": f"{SETTING}\n  <value>\n    {KEY}\n  </value>\n</setting>\n",
    "blank line": f"{SETTING}\n\n  <value>{KEY}</value>\n</setting>\n",
    "spaced": f"{SETTING}  <value> {KEY} </value></setting>\n",
}
YAML = {
    "comment": f"apiKey: # comment\n  {KEY}\n",
    "literal, comment": f"apiKey: |  # comment\n  {KEY}\n",
    "folded, comment": f"api_key: >- # the key\n  {KEY}\n",
    "short label": f"key: #k\n  {KEY}\n",
    "crlf": f"apiKey: # comment\r\n  {KEY}\r\n",
    "nested": f"convai:\n  apiKey: | # from the dashboard\n    {KEY}\n",
    "quoted": f"> apiKey: # comment\n>   {KEY}\n",
    # the label quoted, as JSON with comments (JSONC, JSON5) or YAML writes it, and so the value
    "double-quoted label": f'"apiKey": # c\n  "{KEY}"\n',
    "single-quoted label": f"'api_key': # c\n  '{KEY}'\n",
    "quoted label, blank before the colon": f'"api_key" : # c\n  "{KEY}"\n',
    "quoted label, literal": f'"apiKey": | # c\n  {KEY}\n',
    "quoted label, in braces": f'{{"apiKey": # c\n "{KEY}"}}\n',
    "quoted label, a comma after": f"'apiKey': # c\n  '{KEY}',\n",
    "quoted header name": f'"x-api-key": # c\n  "{KEY}"\n',
    "quoted, nested": f'"convai": {{\n  "apiKey": # from the dashboard\n    "{KEY}"\n}}\n',
    "escaped quotes": f'"{{\\"apiKey\\": # c\n  \\"{KEY}\\"}}"\n',  # JSON inside a JSON string
    "quoted label, blank before the colon, no comment": f'"api_key" :\n  "{KEY}"\n',
}
SETTINGS_ORDINARY = [
    f"checksum: # sha\n  {KEY[::-1]}\n",  # 32 hex under no key's name
    "description: # what it is\n  some prose\n",
    f'"checksum": # sha\n  "{KEY[::-1]}"\n',  # quoted, under no key's name
    f'<setting name="BuildHash" serializeAs="String">\n  <value>{KEY[::-1]}</value>\n</setting>\n',
]


@pytest.mark.parametrize("name", ["ApiKey", "ConvaiApiKey", "CONVAI_API_KEY"])
def test_a_key_in_a_dotnet_setting_value_element_is_hidden(tmp_path: Path, name: str) -> None:
    for text in DOTNET.values():
        _every_command(tmp_path, [text.replace("{name}", name)], (KEY,), SETTINGS_ORDINARY)


@pytest.mark.parametrize("shape", sorted(YAML))
def test_a_key_after_a_yaml_label_and_a_comment_is_hidden(tmp_path: Path, shape: str) -> None:
    _every_command(tmp_path, [YAML[shape]], (KEY,), SETTINGS_ORDINARY)


OPAQUE = "s3cr3t-Opaque_Value.8fj2kQ"  # fake, an opaque credential
ENTRIES = (
    '<string name="{name}">{value}</string>\n',
    '<pref name="{name}" type="string">{value}</pref>\n',
    "<key>{name}</key><string>{value}</string>\n",
    "<key>{name}</key>\n\t<string>{value}</string>\n",
    '<add key="{name}" value="{value}" />\n',
    '<setting name="{name}" serializeAs="String">\n  <value>{value}</value>\n</setting>\n',
)
ENTRIES_ORDINARY = [
    '<string name="password_hint">Enter it twice</string>\n',
    "<key>secretLevel</key><string>3</string>\n",
    '<string name="auth_token_mode">fetch-on-start</string>\n',
]


@pytest.mark.parametrize("name", ["auth_token", "authToken", "secret", "client_secret", "password", "access_token"])
def test_a_credential_named_by_a_settings_entry_is_hidden(tmp_path: Path, name: str) -> None:
    lines = [entry.format(name=name, value=value) for entry in ENTRIES for value in (OPAQUE, KEY, TOKEN)]
    _every_command(tmp_path, lines, (OPAQUE, KEY, TOKEN), ENTRIES_ORDINARY)
