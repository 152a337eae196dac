"""IP addresses and OS user names in the shapes a log really writes them (#8): `redact` hides every one, `check`
flags the original and passes the output, `analyze --format json` shows none. The other side too: versions and
ordinary Unity lines stay as they are."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.verify import check_stream

# (lines of a log, values that must not survive)
SHAPES: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "ip-after-a-plain-word": (
        ["[Network]: Public address 203.0.113.45", "peer 198.51.100.77 disconnected", "client 192.0.2.201 joined"],
        ("203.0.113.45", "198.51.100.77", "192.0.2.201"),
    ),
    "ip-bare": (["203.0.113.8"], ("203.0.113.8",)),
    "ip-cidr": (["firewall allow 203.0.113.47/32"], ("203.0.113.47",)),
    "ip-leading-zeros": (["relay 203.000.113.045 chosen"], ("203.000.113.045", "113.045")),
    "ip-host-name": (["resolved ip-203-0-113-45.ec2.internal"], ("203-0-113-45",)),
    "ip-version-earlier-on-the-line": (
        ["Unity version 2022.3.45f1 connected from 203.0.113.46"],
        ("203.0.113.46",),
    ),
    "ipv6-bracketed": (
        ["connecting to [2a02:8071:5e1:2c00:1d2b:3c4d:5e6f:7a8b]:443"],
        ("2a02:8071", "5e6f:7a8b"),
    ),
    "ipv6-mapped": (['{"client": "::ffff:198.51.100.13"}'], ("198.51.100.13",)),
    "user-wsl": (
        [
            r"(Filename: \\wsl$\Ubuntu\home\mgonzalez\proj\Assets\X.cs Line: 5)",
            r"(Filename: \\wsl.localhost\Ubuntu-22.04\home\rkowalski\proj\Assets\X.cs Line: 5)",
        ],
        ("mgonzalez", "rkowalski"),
    ),
    "user-home-share": ([r"Project path: \\fileserver\home$\tnakamura\UnityProjects\Demo"], ("tnakamura",)),
    "user-doubled-separators": (["Loading C://Users//pfernandes//AppData//LocalLow//x.json"], ("pfernandes",)),
    "user-tilde": (["cd ~hlindqvist/Projects/ConvaiDemo"], ("hlindqvist",)),
    "user-variables": (
        ["Environment: USERNAME=okafor USER=ybenali LOGNAME=wzhang HOME=/home/dmorales"],
        ("okafor", "ybenali", "wzhang", "dmorales"),
    ),
    "user-apostrophe": (
        [
            r"(Filename: C:\Users\Siobhan O'Brien\Projects\X.cs Line: 5)",
            "  at Demo.Game.Start () [0x00000] in /Users/dangelo.d'angelo-ricci/Projects/Game.cs:12",
        ],
        ("Siobhan", "Brien", "dangelo", "angelo-ricci"),
    ),
    # a folder name in angle brackets (no real folder holds one): text edited by hand, the name inside or after
    "user-in-brackets": (
        [
            r"could not write C:\Users\<Tomasz Wierzbicki>\AppData\x.json",
            "  at Demo.Game.Start () in /Users/<hbergstrom>/Projects/Game.cs:12",
        ],
        ("Tomasz", "Wierzbicki", "hbergstrom"),
    ),
    "user-after-placeholder-text": (
        [
            r"could not write C:\Users\<user-name-1>ksvensson\AppData\x.json",
            "Loading C:/Users/<user-name>mdubois/AppData/x.json",
            "Loading C:/Users/<b>pnakamura</b>/x.json",
        ],
        ("ksvensson", "mdubois", "pnakamura"),
    ),
}

# lines that hold no address and no user name: they come out byte for byte
KEPT = [
    "Initialize engine version: 6000.0.23f1 (a13dfa44d684)",
    "Unity 2022.3.45f1 Personal <DX11>",
    "UnityEngine.CoreModule, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null",
    "Grpc.Core.Api references strong named System.Memory Assembly references: 4.0.1.1 Found in project: 4.0.1.2.",
    "[BuildInfo] Convai SDK 1.2.0.4 loaded",
    "Package upgraded from 1.2.0.4 to 1.3.0.0",
    "UnityEngine.Debug:Log (object) (at Assets/Scripts/Net.cs:42)",
    "[14:00:01.000] [Licensing::Client] std::map ready, MAC 00:1a:2b:3c:4d:5e",
    "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",
    r"Opening C:\PROGRA~1\Unity\Editor\Data\x.dll, 'C:\Users\Public\x'",
    # a guide's word where the reader's own folder name goes
    r"Delete C:\Users\<username>\AppData\LocalLow\Convai and C:/Users/<Your Name>/AppData",
]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("lines", "secrets"), SHAPES.values(), ids=SHAPES.keys())
def test_redact_hides_it_and_check_agrees(tmp_path: Path, lines: list[str], secrets: tuple[str, ...]) -> None:
    log = _write(tmp_path / "Editor.log", lines)
    out = tmp_path / "out.log"
    assert _run("check", str(log))[0] == 1
    code, _ = _run("redact", str(log), "-o", str(out))
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert [s for s in secrets if s in text] == []
    assert _run("check", str(out))[0] == 0


@pytest.mark.parametrize(("lines", "secrets"), SHAPES.values(), ids=SHAPES.keys())
def test_analyze_json_masks_it(tmp_path: Path, lines: list[str], secrets: tuple[str, ...]) -> None:
    log = _write(tmp_path / "Editor.log", [f"NullReferenceException: {line}" for line in lines])
    code, output = _run("analyze", str(log), "--format", "json")
    assert code == 0
    report = json.loads(output[output.index("{") :])
    assert report["unexplained"]  # the lines are shown, masked
    assert [s for s in secrets if s in output] == []


def test_a_wrap_that_cuts_the_name_hides_both_pieces(tmp_path: Path) -> None:
    log = _write(
        tmp_path / "Editor.log", ["(Filename: C:/Users/alex", "andra/Projects/X.cs Line: 5)", "C:/Users/alexandra/y"]
    )
    out = tmp_path / "out.log"
    assert _run("redact", str(log), "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").splitlines() == [
        "(Filename: C:/Users/<user-name-1>",
        "<user-name-1>/Projects/X.cs Line: 5)",
        "C:/Users/<user-name-1>/y",
    ]
    assert _run("check", str(out))[0] == 0


def test_a_name_at_a_line_end_does_not_swallow_the_next_line(tmp_path: Path) -> None:
    log = _write(tmp_path / "Editor.log", ["(Filename: C:/Users/alexandra", "Loading scene Assets/Main.unity"])
    out = tmp_path / "out.log"
    assert _run("redact", str(log), "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").splitlines()[1] == "Loading scene Assets/Main.unity"


def test_ordinary_unity_lines_are_kept(tmp_path: Path) -> None:
    log = _write(tmp_path / "Editor.log", KEPT)
    out = tmp_path / "out.log"
    assert _run("check", str(log))[0] == 0
    assert _run("redact", str(log), "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").splitlines() == KEPT


CONNECT = "[Error][Transport]: could not connect to 198.51.102.11:443 (timeout)"


@pytest.mark.parametrize("prefix", ["", "> ", "    "])
@pytest.mark.parametrize("cut", range(1, 12))
def test_a_wrap_that_cuts_an_address_hides_both_pieces(prefix: str, cut: int) -> None:
    """A hard wrap anywhere inside the address (`198.51` | `.102.11:443`), where a piece shows no address of its own
    or another one (`19` | `8.51.102.11`): both pieces are the one address, and `check` flags what `redact` hides."""
    at = CONNECT.index("198.51.102.11") + cut
    data = f"{prefix}{CONNECT[:at]}\n{prefix}{CONNECT[at:]}\n".encode()
    out, _ = redact_bytes(data)
    assert out.decode().splitlines() == [
        f"{prefix}[Error][Transport]: could not connect to <ip-address-1>",
        f"{prefix}<ip-address-1>:443 (timeout)",
    ]
    assert "ip-address (wrapped)" in [f.label for f in check_stream(io.BytesIO(data))]
    assert list(check_stream(io.BytesIO(out))) == []


# a home folder's root that ends a line of its own, the user name at the start of the next
HOME_ROOT_CUTS = [
    ("C:\\Users\\", "vexmorkrja\\AppData\\x.json"),
    ("> C:\\Users\\", "> vexmorkrja\\AppData\\x.json"),
    ('{"path":"C:\\\\Users\\\\', 'vexmorkrja\\\\AppData"}'),
    ("C:\\Documents and Settings\\", "vexmorkrja\\x.log"),
    ("/home/", "vexmorkrja/.config/unity3d/x.log"),
    ("/Users/", "vexmorkrja/Library/Logs/x.log"),
]


@pytest.mark.parametrize(("first", "second"), HOME_ROOT_CUTS)
def test_a_home_root_that_ends_a_short_line_takes_the_name_on_the_next(first: str, second: str) -> None:
    """No wrap leaves so short a line as `C:\\Users\\` before another, but a path cut after its root is a label
    whose value is on the next line: the name is hidden, and `check` flags what `redact` hides."""
    data = f"{first}\n{second}\n".encode()
    out, _ = redact_bytes(data)
    assert b"vexmorkrja" not in out and b"<user-name-1>" in out
    assert out.startswith(first.encode() + b"\n")
    assert "user-name (wrapped)" in [f.label for f in check_stream(io.BytesIO(data))]
    assert list(check_stream(io.BytesIO(out))) == []
