"""Frames in every form Unity prints, whose entry is whose, and what a log without Convai lines is.

Tables built from the shapes of LOG-FORMATS.md section 7: each frame form continues the entry above it, an
exception is Convai's only on evidence (a head, a `Convai.*` frame, a Convai path), and a log with no Convai
line is named (LiveKit only, Convai's Unreal plugin, something else) by `analyze` and `livekit` alike.
"""

from __future__ import annotations

import io

import pytest

from loglens import livekit as lk
from loglens.attribution import describe, is_unreal_convai, owner
from loglens.errors import LoglensError
from loglens.parse import is_frame, parse_entries
from loglens.render.report import to_markdown, verdict
from loglens.report import analyze
from loglens.sources import LineReader

FRAMES = [
    "Convai.Runtime.Room.RoomManager:Connect (string) (at Assets/Convai/Runtime/Room/RoomManager.cs:12)",  # colon
    "Game.Player.Move (UnityEngine.Vector3 delta) (at Assets/Scripts/Player.cs:344)",  # dot before the method
    "  at Game.Player.Update () [0x00000] in <d8e27b9b2f5e4c4a9b1c0d2e3f4a5b6c>:0",  # Player.log, module id
    "Game.Player.Update()",  # forum rendering: the method ...
    "  at Player.cs:57",  # ... and its file on a line of its own
    "0x00007ff6c1c8bdec (Unity) StackWalker::GetCurrentCallstack",  # Editor.log native callstack
    "0x0000025933c2fcdb (Mono JIT Code) UnityEngine.Debug:LogError (object)",  # managed code in that callstack
    "\tat java.lang.Runtime.loadLibrary0(Runtime.java:1077)",  # Java frame
    "Caused by: java.lang.UnsatisfiedLinkError: dlopen failed",  # Java cause
    "      #00 pc 00000000000a1b2c  /data/app/~~3rn3H06c==/lib/arm64/liblivekit_ffi.so",  # tombstone backtrace
    "Game.Loader+<Start>d__4:MoveNext()",  # a coroutine, Android style
]
NOT_FRAMES = [
    "Player moved to (1.0, 0.0, 2.0)",  # words and parentheses
    "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",
    "(Filename: Assets/Scripts/Player.cs Line: 12)",  # a footer is a footer
    "0x1f (bad)",  # a short hex number is not an address
    "[Info][SDK]: Connected",  # a Convai line opens an entry
]


@pytest.mark.parametrize("line", FRAMES)
def test_every_frame_form_is_a_frame(line: str) -> None:
    assert is_frame(line)


@pytest.mark.parametrize("line", NOT_FRAMES)
def test_other_lines_are_not_frames(line: str) -> None:
    assert not is_frame(line)


def entries(text: str) -> list:  # type: ignore[type-arg]
    return list(parse_entries(LineReader(io.BytesIO(text.encode()))))


@pytest.mark.parametrize("frame", FRAMES)
def test_a_console_copy_of_one_exception_is_one_entry(frame: str) -> None:
    text = f"NullReferenceException: Object reference not set to an instance of an object\n{frame}\n"
    text += "UnityEngine.Debug:LogException (System.Exception)\n\nnext entry\n"
    got = entries(text)
    assert len(got) == 2 and got[0].frames[0] == frame.strip() and got[1].line == 5


# an exception's first line, its frames, its footer path: whose it is
OWNERS = [
    # a game's own NullReferenceException
    (["NullReferenceException: Object reference", "Game.Player.Update () (at Assets/Scripts/Player.cs:12)"], "other"),
    # Firebase's native library
    (
        [
            "DllNotFoundException: FirebaseCppApp-11_0_0 assembly:<unknown assembly>",
            "Firebase.AppUtilPINVOKE..cctor ()",
        ],
        "other",
    ),
    # a Convai frame, no Convai head
    (
        ["NullReferenceException: x", "  at Convai.Runtime.Room.NativeRoomController.Connect () [0x0001] in <ab>:0"],
        "convai",
    ),
    # a Convai path in a frame
    (
        ["ArgumentException: x", "Foo.Bar:Baz () (at Packages/com.convai.convai-sdk-for-unity/Runtime/X.cs:4)"],
        "convai",
    ),
    # the v3 plugin's stack line
    (
        [
            'RpcException: Status(StatusCode="Unavailable")',
            "[Stack Trace - Method: MoveNext, at Line: 145 in File: "
            "C:\\Game\\Assets\\Convai\\Scripts\\ConvaiGRPCAPI.cs]",
        ],
        "convai",
    ),
    # the LiveKit layer
    (
        [
            "DllNotFoundException: Unable to load DLL 'livekit_ffi'",
            "  at LiveKit.Internal.FFIClient.Init () [0x0] in <a>:0",
        ],
        "livekit",
    ),
    # a head is Convai's, whatever the message
    (["[Error][SDK]: NullReferenceException in a callback"], "convai"),
]


@pytest.mark.parametrize(("lines", "who"), OWNERS)
def test_an_entry_is_convais_only_on_evidence(lines: list[str], who: str) -> None:
    got = entries("\n".join(lines) + "\n")
    assert len(got) == 1 and owner(got[0]) == who


NOT_CONVAI = [
    # a game's exception in an Editor.log: an unrelated Unity log
    ("NullReferenceException: Object reference not set\nGame.Player.Update () (at Assets/Player.cs:12)\n", "other"),
    # Firebase on Android
    ("06-09 17:00:55.771  219  252 E Unity   : DllNotFoundException: FirebaseCppApp-11_0_0\n", "other"),
    # LiveKit's Unity SDK on its own
    ("LiveKit: FfiClient initialized\n  at LiveKit.Room.Connect () [0x0] in <a>:0\n", "livekit-only"),
    # Convai's Unreal plugin
    ("[2024.05.01-10.00.00:123][  0]LogConvai: Warning: Character not found\n", "convai-unreal"),
    ("ConvaiSubsystemLog: Warning: failed to fetch the character\n", "convai-unreal"),
    (
        "[2024.05.01-10.00.00:123][  0]LogHttp: Warning: request to https://api.convai.com/character/get failed\n",
        "convai-unreal",
    ),
]


@pytest.mark.parametrize(("text", "kind"), NOT_CONVAI)
def test_a_log_without_convai_lines_says_what_it_is(text: str, kind: str) -> None:
    report = analyze(LineReader(io.BytesIO(text.encode())), source="x")
    assert report.summary.convai_entries == 0
    assert report.summary.log_kind == kind
    sentence = describe(kind, report.summary.lines)  # type: ignore[arg-type]
    assert verdict(report) == sentence and sentence in to_markdown(report)
    assert not report.diagnoses  # no Convai advice
    facts = lk.read_log(LineReader(io.BytesIO(text.encode())))
    with pytest.raises(LoglensError) as error:
        lk.pick(facts)
    assert sentence in error.value.message and "Transport" not in error.value.message


def test_unreal_names_itself() -> None:
    assert "Unreal Engine" in describe("convai-unreal", 1) and "Unity" in describe("convai-unreal", 1)
    assert not is_unreal_convai("LogHttp: Warning: request to https://example.com failed")  # not Convai's host


def test_a_convai_log_with_a_game_exception_still_counts_only_convai_entries() -> None:
    text = "[Info][Bootstrap]: Convai Bootstrapper: Initializing...\n\nNullReferenceException: x\n"
    report = analyze(LineReader(io.BytesIO(text.encode())), source="x")
    assert report.summary.convai_entries == 1 and report.summary.log_kind == "convai"
    assert report.error_lines.total == 1  # still shown, as an error line nothing explains


@pytest.mark.parametrize(
    "noise",
    [
        "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",  # Editor.log noise
        "Game.Loader.Start()",  # a line that looks like a frame
    ],
)
def test_an_exception_after_unity_noise_opens_its_own_entry(noise: str) -> None:
    got = entries(f"{noise}\nDllNotFoundException: FirebaseCppApp-11_0_0\n  at Firebase.App.Init () [0x0] in <a>:0\n")
    assert [e.line for e in got] == [1, 2] and got[1].frames == ("at Firebase.App.Init () [0x0] in <a>:0",)
