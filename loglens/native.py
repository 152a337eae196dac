"""Evidence of failures below the Convai SDK: the LiveKit native library and the v3 plugin's gRPC layer.

Convai 4.x runs on the LiveKit Unity SDK's native library (`livekit_ffi`); when it is missing, built for another
Android, out of step with the C# bindings or crashing, no Convai error code names it. The v3 plugin reports
gRPC statuses (`Status(StatusCode="Unavailable", ...)`) instead of dotted codes. `NativeSignals.add` looks at
every line once (a few substring tests; the shapes are in LOG-FORMATS.md section 7) and keeps line numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loglens.lazyre import lazy
from loglens.rules.lines import note

FFI = "livekit_ffi"
# `StatusCode="Unavailable"` (Grpc.Core) or `StatusCode=Unavailable` (older renderings)
_STATUS = lazy(r'StatusCode="?(?P<status>[A-Za-z]+)')
GRPC_STATUSES = ("Unauthenticated", "Unavailable", "DeadlineExceeded", "ResourceExhausted", "PermissionDenied")


@dataclass(slots=True)
class NativeSignals:
    """Line numbers of native-layer and gRPC failures, a bounded few of each."""

    ffi_missing: list[int] = field(default_factory=list)
    ffi_symbol: list[int] = field(default_factory=list)
    ffi_version: list[int] = field(default_factory=list)
    ffi_crash: list[int] = field(default_factory=list)
    grpc: dict[str, list[int]] = field(default_factory=dict)  # by gRPC status
    grpc_assembly: list[int] = field(default_factory=list)

    def add(self, line: int, text: str) -> None:
        if FFI in text:
            self._ffi(line, text)
        elif "tokio-runtime" in text and "Fatal signal" in text:
            note(self.ffi_crash, line)  # the native library's worker thread died
        if "Unknown request type: LiveKit.Proto." in text:
            note(self.ffi_version, line)
        if "StatusCode" in text:
            found = _STATUS.search(text)
            if found is not None and found["status"] in GRPC_STATUSES:
                note(self.grpc.setdefault(found["status"], []), line)
        if "will not be loaded" in text and "Grpc.Core" in text:
            note(self.grpc_assembly, line)

    def _ffi(self, line: int, text: str) -> None:
        if "cannot locate symbol" in text:
            note(self.ffi_symbol, line)  # linked against a newer Android than the device has
        elif "DllNotFoundException" in text or "Unable to load" in text or "Failed to load native plugin" in text:
            note(self.ffi_missing, line)
        elif "Fatal signal" in text or " pc " in text:
            note(self.ffi_crash, line)  # `Fatal signal 11 ...` or a tombstone `#00 pc ...` frame in the library

    def status(self, name: str) -> list[int]:
        return self.grpc.get(name, [])
