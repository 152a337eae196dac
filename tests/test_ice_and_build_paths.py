"""ICE credentials are secrets of their own kind; Unity's build-machine paths and other look-alikes are not.

Built from LOG-FORMATS.md section 7: every ICE shape (SDP lines plain and inside JSON, the native WebRTC log
line, candidate dumps) is masked, redacted and found by `check`; the paths of Unity's build machines, module
ids, trace ids, Android install paths and what only looks like a WebRTC credential or a home folder pass through
`redact` byte for byte and `check` finds nothing.
"""

from __future__ import annotations

import io

import pytest

from loglens.detectors import DETECTORS, DetectorSet, mask
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.verify import check_stream

UFRAG = "Ab12Cd"
PWD = "Zx9yW8vU7tS6rQ5pO4nM3lK2"
PWD_SYMBOLS = "_rIMiWeOpAJc-x9yW8vU7tS6"  # a generator that also uses `_` and `-`

ICE_LINES = [
    f"a=ice-ufrag:{UFRAG}",  # SDP line
    f"a=ice-pwd:{PWD}",  # SDP line
    f"Set ICE ufrag: {UFRAG} pwd: {PWD}",  # the native WebRTC log line
    f'{{"type":"offer","sdp":"v=0\\r\\na=ice-ufrag:{UFRAG}\\r\\na=ice-pwd:{PWD}\\r\\n"}}',  # SDP in JSON
    f"candidate:842163049 1 udp 1677729535 203.0.113.7 50522 typ srflx raddr 0.0.0.0 rport 0 ufrag {UFRAG}",  # dump
    f"[Debug][Transport]: ice-pwd={PWD}",  # key=value
    f"06-09 17:00:55.771 21919 21952 D libwebrtc: Set ICE ufrag: {UFRAG} pwd: {PWD}",  # behind a logcat prefix
    f"a=ice-pwd:{PWD_SYMBOLS}",  # SDP line, a password with `_` and `-`
]


@pytest.mark.parametrize("line", ICE_LINES)
def test_ice_credentials_are_masked_redacted_and_checked(line: str) -> None:
    values = [v for v in (UFRAG, PWD, PWD_SYMBOLS) if v in line]
    spans = [s for s in DetectorSet(DETECTORS).find(line) if s.kind == "ice-credential"]
    assert sorted(s.value(line) for s in spans) == sorted(values)
    shown = mask(line)
    assert not any(v in shown for v in values) and "<ice-credential>" in shown
    data = (line + "\n").encode()
    out, _ = redact_bytes(data)
    assert not any(v.encode() in out for v in values)
    assert b"<ice-credential-1" in out
    assert [f.label for f in check_stream(io.BytesIO(data))].count("ice-credential") == len(values)
    assert list(check_stream(io.BytesIO(out))) == []


@pytest.mark.parametrize(
    "line",
    [
        "ufrag: none",  # an empty field
        "cwd: /home",  # a word that ends in the letters, not the label
        "passwd: abc",  # nor a password file
    ],
)
def test_ice_look_alikes_are_not_ice_credentials(line: str) -> None:
    assert not [s for s in DetectorSet(DETECTORS).find(line) if s.kind == "ice-credential"]


KEPT = [
    # Unity's macOS build machine, in an engine frame
    "UnityEngine.Debug:Log (object) (at /Users/bokken/buildslave/unity/build/Runtime/Export/Debug/Debug.bindings.h:35)",
    # the Linux build machine, in a footer
    "(Filename: /home/builduser/buildslave/unity/build/Runtime/Export/Debug/Debug.bindings.h Line: 35)",
    # the Windows build machine
    "(Filename: C:\\buildslave\\unity\\build\\Runtime\\Export\\Debug\\Debug.bindings.h Line: 35)",
    # the same in an Android frame
    "  at UnityEngine.Logger.Log (/Users/bokken/buildslave/unity/build/Runtime/Logging/Logger.cs:48)",
    # a module (assembly) id
    "UnityEngine.Transform.get_rotation () (at <d8e27b9b2f5e4c4a9b1c0d2e3f4a5b6c>:0)",
    # a Mono frame's module id
    "  at Game.Player.Update () [0x00000] in <0a1b2c3d4e5f60718293a4b5c6d7e8f9>:0",
    # a trace id header
    "x-cloud-trace-context: 105445aa7843bc8bf206b12000100000/1;o=1",
    # an Android install path
    "/data/app/~~3rn3H06cQ2xAbCdEfGhIjK==/com.studio.game-9ZkLmNoPqRsTuVwXyZ12==/lib/arm64/liblivekit_ffi.so",
    # a version number
    "Initialize engine version: 2022.3.10f1 (ff3792e53c62)",
    # the word credential in messages: after a bare colon, a plural
    "[Error][Transport]: Failed to refresh the TURN credential: the server closed the connection",
    "[Warning][Transport]: Credential: expired, fetching a new one",
    "[Debug][Transport]: credentials are cached for 300 seconds",
    "[Warning][Transport]: credential: expired",
    "[Warning][Transport]: Invalid username: too short",
    # `pwd` as the shell's command before a short word, and a shell variable that ends in the letters
    "[Debug][Core]: ran pwd then listed the folder",
    "[Debug][Core]: OLDPWD=/opt/unity",
    # a project's own folder named Home (in a relative path, numbered) and a URL's path
    "[Debug][Core]: Loaded Assets/Scripts/../Home/Player.cs",
    "[Debug][Core]: Loaded Assets/Home2/Player.cs",
    "[Debug][Core]: GET https://example.com/api/home/feed",
]


@pytest.mark.parametrize("line", KEPT)
def test_unity_own_paths_and_ids_are_kept(line: str) -> None:
    data = (line + "\n").encode()
    out, _ = redact_bytes(data)
    assert out == data
    assert list(check_stream(io.BytesIO(data))) == []
    assert mask(line) == line


@pytest.mark.parametrize(
    "line",
    [
        "UnityEngine.Debug:Log (object) (at /Users/jordan/Projects/Game/Assets/Player.cs:35)",  # a real user
        "(Filename: /home/sam/unity/Game/Assets/Player.cs Line: 3)",  # a real Linux user
    ],
)
def test_a_real_users_path_is_still_redacted(line: str) -> None:
    out, _ = redact_bytes((line + "\n").encode())
    assert b"<user-name-1" in out


CANDIDATE = (
    "[Debug][Transport]: candidate:842163049 1 udp 1694498815 198.51.107.214 50522 typ srflx raddr 10.0.0.5 rport 50522"
)


@pytest.mark.parametrize("prefix", ["", "> ", "    "])
@pytest.mark.parametrize("width", [33, 64])
def test_check_flags_a_candidate_wrapped_inside_its_address_where_redact_hides_it(prefix: str, width: int) -> None:
    """At 33 columns the cut falls inside the address (`198.51.10` | `7.214`) and only the fixed width of the pieces
    says they are one line: `check` joins them as redaction does, so it flags what redaction hides."""
    pieces = [CANDIDATE[i : i + width] for i in range(0, len(CANDIDATE), width)]
    data = ("\n".join(prefix + piece for piece in pieces) + "\n").encode()
    out, _ = redact_bytes(data)
    assert b"198.51" not in out and b"7.214" not in out
    assert "ip-address (wrapped)" in [f.label for f in check_stream(io.BytesIO(data))]
    assert list(check_stream(io.BytesIO(out))) == []
