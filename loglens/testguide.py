"""LiveKit's connection test explained step by step, with firewall rules written for the room's own host.

The steps, their failures and the rules are data (`testguide.toml`, hosts and ports from `endpoints.py`); this
module picks the kind of server (LiveKit Cloud or self-hosted) from the room URL and fills the host in.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field

from loglens import endpoints as ep
from loglens import models as m
from loglens.credentials import is_cloud_host
from loglens.datafile import fill_all
from loglens.diskcache import toml_data

ServerKind = Literal["cloud", "self-hosted"]


class Failure(m.Frozen):
    cause: str
    rule: str | None = Field(default=None, description="The firewall rule or setting that fixes it.")


class Step(m.Frozen):
    """One step of LiveKit's connection test: what it checks, and why it fails."""

    name: str
    checks: str
    failures: tuple[Failure, ...]


class Guide(m.Frozen):
    host: str = Field(description="The LiveKit host the rules name.")
    from_log: bool = Field(description="False when no log gave a URL and Convai's LiveKit Cloud host stands in.")
    cloud: bool
    steps: tuple[Step, ...]
    rules: tuple[str, ...] = Field(default=(), description="Every firewall rule, for whoever runs the firewall.")
    notes: tuple[str, ...] = ()


class _FailureText(m.Frozen):
    cause: str
    rule: str
    only: ServerKind | None = Field(default=None, description="The kind of server the rule applies to.")


class _StepText(m.Frozen):
    name: str
    checks: str
    failure: tuple[_FailureText, ...] = Field(min_length=1)


class _Paths(m.Frozen):
    """The rule pieces for one kind of server; `{server}`, `{port}` and `{direct}` are filled per room."""

    signal: str
    media: str
    turn: str
    no_inspection: str
    rules: tuple[str, ...] = Field(min_length=1)
    direct: str = ""


class _GuideText(m.Frozen):
    convai: str
    notes: tuple[str, ...]
    paths: dict[ServerKind, _Paths]
    step: tuple[_StepText, ...] = Field(min_length=1)


@cache
def _text() -> _GuideText:
    raw = toml_data(resources.files("loglens").joinpath("testguide.toml").read_text(encoding="utf-8"))
    return _GuideText.model_validate(fill_all(raw))


def _room(url: str | None) -> tuple[str | None, int | None]:
    """The host and port of the logged room URL; (None, None) for no URL or one that does not parse."""
    if not url:
        return None, None
    try:
        parts = urlsplit(url)
        return parts.hostname, parts.port
    except ValueError:
        return None, None


def explain_test(url: str | None) -> Guide:
    """The connection test's steps with firewall rules written for the room's own LiveKit host (Convai's
    LiveKit Cloud host when `url` is None or has no host)."""
    text = _text()
    host, port = _room(url)
    server = host or ep.CONVAI_LIVEKIT_HOST
    kind: ServerKind = "cloud" if is_cloud_host(server) else "self-hosted"
    paths = text.paths[kind]
    room = {"server": server, "port": str(port or ep.HTTPS), "direct": "" if port else paths.direct}
    pieces = {
        **room,
        "convai": text.convai,
        **{name: getattr(paths, name).format(**room) for name in ("signal", "media", "turn", "no_inspection")},
    }
    steps = tuple(
        Step(
            name=step.name,
            checks=step.checks,
            failures=tuple(
                Failure(cause=f.cause, rule=f.rule.format(**pieces) if f.only in (None, kind) else None)
                for f in step.failure
            ),
        )
        for step in text.step
    )
    rules = tuple(rule.format(**pieces) for rule in paths.rules)
    return Guide(
        host=server, from_log=host is not None, cloud=kind == "cloud", steps=steps, rules=rules, notes=text.notes
    )
