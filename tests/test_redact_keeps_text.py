"""Redaction takes the secret and nothing else (#8: everything else byte-for-byte intact): the line after a value
cut at a line's end keeps its words, and pieces of what a player said do not mask ordinary text elsewhere."""

from __future__ import annotations

from loglens.api import redact_text
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-7f3a", room="lobby-abc123", exp=1893456000, nbf=1700000000)
HEAD, PAYLOAD, SIGNATURE = TOKEN.split(".")
NEXT = "The player then retried three times."


def _redacted(first: str, after: str = NEXT) -> list[str]:
    return redact_text(f"[14:02:13.000][Error][SDK]: {first}\n{after}\n").splitlines()


def test_a_token_cut_short_leaves_the_next_line_alone() -> None:
    out = _redacted(f"invalid token: {HEAD}.{PAYLOAD[:60]}")
    assert out[1] == NEXT
    assert PAYLOAD[:16] not in "\n".join(out)


def test_a_token_short_of_its_signature_leaves_the_next_line_alone() -> None:
    out = _redacted(f"invalid token: {HEAD}.{PAYLOAD}.{SIGNATURE[:-5]}")
    assert out[1] == NEXT
    assert SIGNATURE[:16] not in "\n".join(out)


def test_a_signature_word_that_fits_exactly_is_still_taken() -> None:
    tail = "Abc"  # a wrap that cut the last three characters of the signature onto a line with more words
    token = f"{HEAD}.{PAYLOAD}.{SIGNATURE[:-3]}{tail}"
    out = _redacted(f"invalid token: {token[:-3]}", f"{tail} then the player retried.")
    assert out[1] == "<livekit-token-1> then the player retried."


def test_an_end_user_id_at_a_line_end_leaves_the_next_line_alone() -> None:
    out = _redacted("end_user_id: u7Hq2ZpX9kLmR4tVb8NcW3yA", "The character replied with a greeting.")
    assert out[1] == "The character replied with a greeting."
    assert "u7Hq2ZpX9kLmR4tV" not in "\n".join(out)


def test_a_cut_id_that_goes_on_in_base64_is_still_joined() -> None:
    out = _redacted("end_user_id: u7Hq2ZpX9kLmR4tVb8NcW3yA", "Qz81xK")
    assert "Qz81xK" not in "\n".join(out)


FRAME = "Convai.Scripts.Runtime.Core.ConvaiNPC:Update() (at Assets/Convai/Scripts/Runtime/Core/ConvaiNPC.cs:120)"


def test_what_a_player_said_does_not_mask_frames_that_share_its_words() -> None:
    said = "please open Assets/Convai/Scripts/Runtime/Core and tell me what is wrong"
    out = _redacted(f"Sent user text message: {said}", f"NullReferenceException: Object reference not set\n{FRAME}")
    assert said[:16] not in out[0]
    assert out[2] == FRAME


def test_a_secret_looking_word_a_player_typed_is_masked_where_it_shows_again() -> None:
    code = "Xk29fjQ0aLm3pQ7zR8"  # a password the player pasted into the chat
    out = _redacted(
        f"Sent user text message: my password is {code} ok",
        f"[14:02:14.000][Error][SDK]: Login failed for {code} again",
    )
    assert code[:16] not in "\n".join(out)
    assert out[1].startswith("[14:02:14.000][Error][SDK]: Login failed for") and "<player-text-1>" in out[1]


def test_an_address_cut_inside_its_local_part_is_joined_whole() -> None:
    """A line that begins with what reads as a whole address may hold only the rest of one the line before was cut
    in (`barthol` then `omew.quist@examplemail.org`): nothing tells that cut from a word before a line's address,
    so the two are joined, and the word before it is hidden with the address rather than the cut leaking."""
    for after in ("omew.quist@examplemail.org signed in", "omew.quist@examplemail.org"):
        for end in ("\n", "\r\n"):
            out = redact_text(f"[14:02:13.000][Info][SDK]: signed in as barthol{end}{after}{end}")
            assert "barthol" not in out and "omew" not in out and "examplemail" not in out, out


def test_an_address_cut_by_a_wrap_is_still_joined() -> None:
    """The same join, where the paste shows the cut (lines of one width): the two pieces are one address."""
    email = "alice.smith.from.the.studio@example.com"
    text = "x" * 40 + email
    lines = [text[i : i + 24] for i in range(0, len(text), 24)]
    out = redact_text("[14:02:13.000][Info][SDK]: start\n" + "\n".join(lines) + "\n")
    assert "alice" not in out and "studio" not in out and "@example" not in out, out


def test_a_whole_value_before_a_markup_line_break_leaves_the_next_word_alone() -> None:
    """`<br>` is how HTML writes every line end, not evidence of a cut: a whole token or e-mail before one ends
    there, and the word after it (on the same line or the next) stays text."""
    for value, kind in [(TOKEN, "livekit-token"), ("jane.doe@example.com", "email")]:
        for tag in ("<br>", "<br/>", "<br />", "<BR>"):
            for joint in (tag, tag + "\n"):
                text = f"[14:02:13.000][Info][SDK]: sent {value}{joint}Retrying now\n"
                out = redact_text(text)
                assert out == text.replace(value, f"<{kind}-1>"), (kind, joint, out)


def test_a_value_cut_at_a_markup_line_break_is_still_joined() -> None:
    """What a `<br>` cuts short of a whole value (a token's signature, an address's domain) is still its value."""
    cut = len(TOKEN) - 10
    out = redact_text(f"[14:02:13.000][Info][SDK]: sent {TOKEN[:cut]}<br>{TOKEN[cut:]} then more\n")
    assert SIGNATURE[-10:] not in out and SIGNATURE[:16] not in out, out
    out = redact_text("[14:02:13.000][Info][SDK]: mail jane.doe@exam<br>ple.com then more\n")
    assert "jane" not in out and "ple.com" not in out, out
