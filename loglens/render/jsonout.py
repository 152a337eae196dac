"""The analyze report as JSON for programs: always valid UTF-8, whatever bytes the log held.

Log text reaches the report with undecodable bytes kept as surrogate escapes (and JSON in a log can spell a lone
surrogate, `\\ud800`); neither can be written as UTF-8, so each becomes U+FFFD, as the text view shows it.
"""

from __future__ import annotations

import json

from loglens.report import Report
from loglens.text import valid_unicode


def report_json(report: Report) -> str:
    return json.dumps(_valid(report.model_dump(mode="json")), indent=2, ensure_ascii=False) + "\n"


def _valid(value: object) -> object:
    """Every string of a dumped model (keys included) as valid Unicode; the models' nesting is shallow."""
    if isinstance(value, str):
        return valid_unicode(value)
    if isinstance(value, dict):
        return {valid_unicode(k): _valid(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid(v) for v in value]
    return value
