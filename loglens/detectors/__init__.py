"""Secret detectors: one small detector per kind of secret, shared by masking, redaction and `check`.

A detector is a kind name, literal gates (its pattern runs only when one of them occurs in the text, so the
common line without secrets costs one combined gate search), a pattern whose `secret` group is the value (or a
`spans` function that picks several values out of one match), and an optional validity check. False positives
are ruled out by the named `is_*` predicates in `predicates`, each with rows in the detector tables of the tests.
`mask` hides every value behind `<kind>`; `loglens.redaction` numbers the same spans as placeholders.

By job: `base` (Span, Detector), `predicates` (why a match is not a secret), `shapes` (shared pieces of patterns,
the ICE detector), `spans` (several values from one match), `jwt` (tokens and token labels), `table` (the
detector tables), `screen` (DetectorSet, `mask`). Every public name is importable from here.
"""

from __future__ import annotations

from loglens.detectors.base import Detector, Span
from loglens.detectors.jwt import BLANKS, JWT, clean_token
from loglens.detectors.predicates import (
    ASSET_SUFFIXES,
    BUILD_MACHINE_ACCOUNTS,
    CREDENTIALS,
    EMPTY_WORDS,
    KINDS,
    PLACEHOLDER,
    SHARED_PROFILES,
    VERSION_WORDS,
    is_asset_file,
    is_build_machine_account,
    is_empty_word,
    is_ip_address,
    is_local_address,
    is_package_version,
    is_placeholder,
    is_shared_profile,
    is_version_number,
    plain_address,
)
from loglens.detectors.screen import DetectorSet, mask
from loglens.detectors.shapes import (
    BARE_KEY,
    FOREIGN,
    HOME_SEGMENT,
    ICE_DETECTOR,
    IPV4_SHAPE,
    IPV6_SHAPE,
    URL_IPV6_SHAPE,
    is_ice_value,
)
from loglens.detectors.spans import json_string_values
from loglens.detectors.table import DETECTORS, PUBLIC_DETECTORS, STRICT_DETECTORS, is_token_shaped

__all__ = [
    "ASSET_SUFFIXES",
    "BARE_KEY",
    "BLANKS",
    "BUILD_MACHINE_ACCOUNTS",
    "CREDENTIALS",
    "DETECTORS",
    "EMPTY_WORDS",
    "FOREIGN",
    "HOME_SEGMENT",
    "ICE_DETECTOR",
    "IPV4_SHAPE",
    "IPV6_SHAPE",
    "JWT",
    "KINDS",
    "PLACEHOLDER",
    "PUBLIC_DETECTORS",
    "SHARED_PROFILES",
    "STRICT_DETECTORS",
    "URL_IPV6_SHAPE",
    "VERSION_WORDS",
    "Detector",
    "DetectorSet",
    "Span",
    "clean_token",
    "is_asset_file",
    "is_build_machine_account",
    "is_empty_word",
    "is_ice_value",
    "is_ip_address",
    "is_local_address",
    "is_package_version",
    "is_placeholder",
    "is_shared_profile",
    "is_token_shaped",
    "is_version_number",
    "json_string_values",
    "mask",
    "plain_address",
]
