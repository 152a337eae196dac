"""Rules about what runs under the SDK: the build target (WebGL), the SDK's own version, LiveKit's native
library, and the v3 plugin's gRPC layer."""

from __future__ import annotations

from loglens.rules.engine import Hit, hit, register_lines, rule
from loglens.rules.evidence import Evidence

MIC_CODES = ("audio.mic_unavailable", "audio.mic_permission_denied")


@rule("webgl-mic-insecure")
def webgl_mic_insecure(ev: Evidence) -> Hit | None:
    """A microphone failure, in a log that shows it is a WebGL build (or a browser refusing the microphone)."""
    mic = ev.lines(*MIC_CODES) + ev.signals.browser_mic
    browser = ev.signals.webgl or ev.signals.browser_mic
    if not (mic and browser):
        return None
    return hit(mic + browser[:1])


register_lines(
    __name__,
    {
        "sdk-version-mismatch": (
            "Any code of the protocol family: a message the installed SDK could not read.",
            lambda ev: ev.lines(*ev.category("protocol")),
        ),
        "livekit-native-missing": (
            "`livekit_ffi` could not be loaded at all.",
            lambda ev: ev.signals.native.ffi_missing,
        ),
        "livekit-native-android-api": (
            "`liblivekit_ffi.so` was found but needs a symbol this Android lacks.",
            lambda ev: ev.signals.native.ffi_symbol,
        ),
        "livekit-native-version-mismatch": (
            "The C# bindings sent a request type the native library does not know.",
            lambda ev: ev.signals.native.ffi_version,
        ),
        "livekit-native-crash": (
            "A fatal signal on the library's worker threads, or tombstone frames in it.",
            lambda ev: ev.signals.native.ffi_crash,
        ),
        "grpc-timeout": ("gRPC `DeadlineExceeded`.", lambda ev: ev.signals.native.status("DeadlineExceeded")),
        "grpc-quota": ("gRPC `ResourceExhausted`.", lambda ev: ev.signals.native.status("ResourceExhausted")),
        "grpc-assembly-conflict": (
            "Unity's refusal to load `Grpc.Core` assemblies.",
            lambda ev: ev.signals.native.grpc_assembly,
        ),
    },
)
