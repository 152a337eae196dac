"""What support asks first: which Unity, which Convai SDK, which platform, build and OS the log came from.

Read from the header lines Unity itself writes (Editor.log's `Built from ... Version is ...` and `OS: '...'`,
Player.log's and logcat's `Initialize engine version:` and `Built from ..., Build type '...'`, the Package
Manager's `com.convai...@version` list) and from the shape of the Convai lines (4.x, pre-4.0 beta, v3 plugin).
A fact appears only when a line shows it; nothing is guessed from a missing line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from loglens.models import Frozen
from loglens.parse import unwrap
from loglens.sources import RawLine

# Unity's header lines; anchored at the start of the (unwrapped) line, so a message quoting one does not count
EDITOR_BUILT = re.compile(r"Built from '[^']*' branch; Version is '(?P<version>[^' ]+)")
PLAYER_BUILT = re.compile(r"Built from '[^']*' branch, Version '(?P<version>[^' ]+)[^']*'(?P<rest>.*)")
PAIR = re.compile(r",\s*(?P<key>[A-Za-z][A-Za-z ]{0,30}) '(?P<value>[^']{1,80})'")
ENGINE = re.compile(r"Initialize engine version: (?P<version>[0-9][^\s(]*)")
EDITOR_OS = re.compile(r"OS: '(?P<os>[^']{1,120})'")
PACKAGE = re.compile(r"\s*(?P<name>com\.convai\.[\w.-]+)@(?P<version>[0-9][\w.+-]*)")

V3_MARKS = ("][GRPC]", "Grpc.Core")
BETA_MARKS = ("ROOM DETAILS RECEIVED",)
V4_MARKS = ("[RoomConnectionRuntimeAdapter]", "[SessionMetrics]", "][Transport]", "Convai Bootstrapper:")
PLATFORMS = {"logcat": "Android (logcat)", "webgl": "WebGL (browser console)"}


class Fact(Frozen):
    """One thing the log says about where it came from, and the line that says it."""

    name: str
    value: str
    line: int


class Environment(Frozen):
    facts: tuple[Fact, ...] = ()

    def get(self, name: str) -> Fact | None:
        return next((f for f in self.facts if f.name == name), None)


ORDER = ("Unity", "Convai SDK", "SDK version", "Platform", "Build type", "Scripting backend", "CPU", "OS")


class EnvironmentReader:
    """Fed one line at a time (so it can ride along with another pass over the log); keeps the first of each."""

    def __init__(self) -> None:
        self._facts: dict[str, Fact] = {}
        self._editor = False
        self._player = False
        self._debug_line = 0

    def add(self, raw: RawLine) -> None:
        platform, text = unwrap(raw.text)
        if platform in PLATFORMS:
            self._keep("Platform", PLATFORMS[platform], raw.number)
        text = text.lstrip()
        if not self._debug_line and "[Debug][" in text:
            self._debug_line = raw.number
        if text.startswith(("Built from", "Initialize engine", "OS: ")):
            self._header(text, raw.number)
        elif text.startswith("com.convai."):
            self._package(text, raw.number)
        self._generation(text, raw.number)

    def _header(self, text: str, line: int) -> None:
        if match := EDITOR_BUILT.match(text):
            self._editor = True
            self._keep("Unity", match["version"], line)
            self._keep("Platform", "Unity Editor", line)
        elif match := PLAYER_BUILT.match(text):
            self._player = True
            self._keep("Unity", match["version"], line)
            for pair in PAIR.finditer(match["rest"]):
                key = pair["key"].strip().lower()
                name = {"build type": "Build type", "scripting backend": "Scripting backend", "cpu": "CPU"}.get(key)
                if name:
                    self._keep(name, pair["value"], line)
        elif match := ENGINE.match(text):
            self._player = True
            self._keep("Unity", match["version"], line)
        elif match := EDITOR_OS.match(text):
            self._keep("OS", match["os"].strip(), line)

    def _package(self, text: str, line: int) -> None:
        if match := PACKAGE.match(text):
            self._keep("SDK version", f"{match['version']} ({match['name']})", line)

    def _generation(self, text: str, line: int) -> None:
        if "Convai SDK" in self._facts and self._facts["Convai SDK"].value != "4.x":
            return
        if any(mark in text for mark in V3_MARKS):
            self._facts["Convai SDK"] = Fact(name="Convai SDK", value="v3 plugin (gRPC)", line=line)
        elif any(mark in text for mark in BETA_MARKS):
            self._facts["Convai SDK"] = Fact(name="Convai SDK", value="pre-4.0 beta", line=line)
        elif any(mark in text for mark in V4_MARKS):
            self._keep("Convai SDK", "4.x", line)

    def _keep(self, name: str, value: str, line: int) -> None:
        self._facts.setdefault(name, Fact(name=name, value=value, line=line))

    def result(self) -> Environment:
        facts = dict(self._facts)
        if self._player and not self._editor:
            facts.setdefault("Platform", Fact(name="Platform", value="standalone player", line=facts["Unity"].line))
            if self._debug_line and "Build type" not in facts:
                value = "development build, or CONVAI_DEBUG_LOGGING defined (Debug lines are logged)"
                facts["Build type"] = Fact(name="Build type", value=value, line=self._debug_line)
        return Environment(facts=tuple(facts[n] for n in ORDER if n in facts))


def tee(lines: Iterable[RawLine], reader: EnvironmentReader) -> Iterator[RawLine]:
    """Pass lines on to another consumer (analyze) while the environment reader looks at each."""
    for raw in lines:
        reader.add(raw)
        yield raw


def read_environment(lines: Iterable[RawLine]) -> Environment:
    reader = EnvironmentReader()
    for raw in lines:
        reader.add(raw)
    return reader.result()
