"""The detectors `analyze` masks with: the redaction set, the re-scan's strict shapes (any `eyJ` run) and the
values a hard wrap cut at a line's end. `analyze` reads one line at a time and cannot join such a value with its
rest the way `redact` does, so the piece before the cut is masked by its own shape."""

from __future__ import annotations

from loglens.detectors.base import Detector
from loglens.detectors.table import DETECTORS, STRICT_DETECTORS
from loglens.lazyre import lazy

# An e-mail whose domain a wrap cut (`jordan@example` then `-mail.com`): a local part, an `@` and the start of a
# domain that ends the line, a letter first (a package's `ugui@1.0.0` is a version, not a host). A domain that
# ends in a top-level domain's letters is a whole address, or a file's extension (`jo@example.com.log`): the
# e-mail detector reads those.
_WHOLE_END = lazy(r"\.[^\W\d_]{2,}$")
CUT_DETECTORS: tuple[Detector, ...] = (
    Detector(
        "email",
        ("@",),
        lazy(r"(?<![\w.%+-])(?P<secret>[\w.%+-]{1,64}@[^\W\d_][\w-]*(?:\.[\w-]+)*\.?)(?=[ \t]*(?:\r\n|\r|\n|\Z))"),
        lambda value: _WHOLE_END.search(value) is None,
        needs=lazy(r"@[^\W\d_][\w.-]*[ \t]*(?:\r\n|\r|\n|\Z)"),  # an `@` whose domain ends a line, found at C speed
    ),
)
ANALYZE_DETECTORS: tuple[Detector, ...] = (*DETECTORS, *STRICT_DETECTORS, *CUT_DETECTORS)
