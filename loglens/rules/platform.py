"""Rules about what runs under the SDK: the build target (WebGL), the SDK's own version, LiveKit's native
library, and the v3 plugin's gRPC layer."""

from __future__ import annotations

from loglens.rules.engine import Hit, hit, rule
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


@rule("sdk-version-mismatch")
def sdk_version_mismatch(ev: Evidence) -> Hit | None:
    """Any code of the protocol family: a message the installed SDK could not read."""
    return hit(ev.lines(*ev.category("protocol")))


@rule("livekit-native-missing")
def ffi_missing(ev: Evidence) -> Hit | None:
    """`livekit_ffi` could not be loaded at all."""
    return hit(ev.signals.native.ffi_missing)


@rule("livekit-native-android-api")
def ffi_symbol(ev: Evidence) -> Hit | None:
    """`liblivekit_ffi.so` was found but needs a symbol this Android lacks."""
    return hit(ev.signals.native.ffi_symbol)


@rule("livekit-native-version-mismatch")
def ffi_version(ev: Evidence) -> Hit | None:
    """The C# bindings sent a request type the native library does not know."""
    return hit(ev.signals.native.ffi_version)


@rule("livekit-native-crash")
def ffi_crash(ev: Evidence) -> Hit | None:
    """A fatal signal on the library's worker threads, or tombstone frames in it."""
    return hit(ev.signals.native.ffi_crash)


@rule("grpc-timeout")
def grpc_timeout(ev: Evidence) -> Hit | None:
    """gRPC `DeadlineExceeded`."""
    return hit(ev.signals.native.status("DeadlineExceeded"))


@rule("grpc-quota")
def grpc_quota(ev: Evidence) -> Hit | None:
    """gRPC `ResourceExhausted`."""
    return hit(ev.signals.native.status("ResourceExhausted"))


@rule("grpc-assembly-conflict")
def grpc_assembly(ev: Evidence) -> Hit | None:
    """Unity's refusal to load `Grpc.Core` assemblies."""
    return hit(ev.signals.native.grpc_assembly)
