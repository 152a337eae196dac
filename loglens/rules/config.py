"""Rules about the project's own settings: what the SDK checks before anything leaves the machine."""

from __future__ import annotations

from loglens.rules.engine import Hit, hit, register_lines, rule
from loglens.rules.evidence import Evidence, first_success

register_lines(
    __name__,
    {
        "convai-settings-missing": (
            "The Bootstrapper's own warning that it found no ConvaiSettings asset.",
            lambda ev: ev.signals.settings_missing,
        ),
        "api-key-missing": (
            "The code, or the Bootstrapper's warning, which comes first and alone in a log cut before any connect.",
            lambda ev: ev.lines("config.api_key_missing") + ev.signals.api_key_warning,
        ),
        "character-id-missing": (
            "An empty field only: a wrong ID reaches Convai and comes back as character-not-found.",
            lambda ev: ev.lines("config.character_id_missing"),
        ),
    },
)


@rule("transport-logging-off")
def transport_logging_off(ev: Evidence) -> Hit | None:
    """Sessions that connected without a credentials line. With other Debug Transport lines present, logging is
    on and the paste is incomplete (the `incomplete` words); without any, Transport logs above Debug."""
    blind = [s for s in ev.sessions if s.connected and not s.credentials]
    if not blind:
        return None
    lines = [line for s in blind if (line := first_success(s)) is not None]
    names = ", ".join(str(s.index) for s in blind[:10]) + (" and more" if len(blind) > 10 else "")
    plural = "s" if len(blind) > 1 else ""
    values = {"sessions": f"Session{plural} {names}"}
    debug = ev.signals.debug_transport
    if not debug:
        return hit(lines, values=values)
    return hit(lines + debug[:3], "incomplete", values={**values, "debug": str(debug[0])})
