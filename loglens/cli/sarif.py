"""`check --format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. A rule per kind of secret, a result
with one location per finding, a fingerprint (a hash) to follow it across commits; never the value."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PureWindowsPath

from loglens import __version__
from loglens.redaction.verify import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/loglens/loglens"

# What each kind is, in a sentence a reviewer reads in the code-scanning alert.
KINDS = {
    "livekit-token": "A LiveKit room token (a JWT): anyone holding it can join the room as the player.",
    "api-key": "A Convai API key: it bills and acts as your Convai account.",
    "auth-token": "An auth or bearer token: it signs requests in your name.",
    "secret": "A password or other credential inside a URL.",
    "end-user-id": "An end-user id: it identifies a player or a device.",
    "end-user-metadata": "End-user metadata: names and other values about a player.",
    "email": "An e-mail address.",
    "user-name": "An OS user name (in a file path or an account variable).",
    "ip-address": "An IPv4 or IPv6 address.",
    "player-text": "What a player typed.",
    "transcript": "A transcript line of what a player said.",
    "custom": "A value your own `also` or `literals` rules mark as secret.",
}
FALLBACK = "A value loglens treats as secret or personal."


def artifact_uri(name: str) -> str:
    """Relative paths as forward-slash URIs (code scanning resolves them against the repository root), masked:
    SARIF is uploaded where others read it, and a name that holds a secret matches no file of the repository."""
    from loglens.masking import mask_name

    name = mask_name(name)
    if name.startswith("<"):
        return name.strip("<>")
    path = Path(name)
    if path.is_absolute():
        return path.as_uri()
    return PureWindowsPath(name).as_posix() if "\\" in name else path.as_posix()


def _rule(kind: str) -> dict[str, object]:
    text = KINDS.get(kind, FALLBACK)
    return {
        "id": kind,
        "name": "".join(part.capitalize() for part in kind.split("-")),
        "shortDescription": {"text": f"{kind} left in a log"},
        "fullDescription": {"text": text},
        "help": {"text": f"{text} Run `loglens redact FILE --in-place` and commit the redacted file instead."},
        "defaultConfiguration": {"level": "error"},
    }


def to_sarif(findings: Sequence[tuple[str, Finding]]) -> dict[str, object]:
    kinds = sorted({f.kind for _, f in findings})  # a wrapped token and a fragment of one: one rule, one alert type
    index = {kind: n for n, kind in enumerate(kinds)}
    results = [
        {
            "ruleId": f.kind,
            "ruleIndex": index[f.kind],
            "level": "error",
            "message": {"text": f"{f.label} on line {f.line}: redact this file before committing it"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(name)}, "region": {"startLine": f.line}}}
            ],
            "partialFingerprints": {"loglensFinding/v4": f.fingerprint},
        }
        for name, f in findings
    ]
    driver = {"name": "loglens", "version": __version__, "informationUri": INFO_URI, "rules": [_rule(k) for k in kinds]}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
