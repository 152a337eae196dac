"""What a name typed by a user means: an error code (any case), a diagnosis rule id, an HTTP status of the
Connect API, or a code family; and, for a near miss, the names it was probably meant to be."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from loglens.taxonomy import Category, CodeInfo, Taxonomy


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What `explain RULE` shows of a diagnosis rule (its text as the catalogue has it, before a log fills it)."""

    id: str
    severity: str
    title: str
    meaning: str
    cause: str
    fix: tuple[str, ...]
    verify: str
    aliases: tuple[str, ...] = ()  # earlier ids of the rule, still accepted


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """An HTTP status of the Connect API and the codes the SDK maps it to (LOG-FORMATS section 3)."""

    status: int
    codes: tuple[CodeInfo, ...]
    fallback: bool  # no code names the status itself: the "other 4xx / 5xx" code applies


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    category: Category
    codes: tuple[CodeInfo, ...]


Found = CodeInfo | RuleInfo | StatusInfo | CategoryInfo


def rules() -> tuple[RuleInfo, ...]:
    from loglens.diagnose import RULES

    return tuple(RuleInfo(r.id, r.severity, r.title, r.meaning, r.cause, r.fix, r.verify, r.aliases) for r in RULES)


def status_codes(status: int, taxonomy: Taxonomy) -> StatusInfo | None:
    """Codes listing `status`; otherwise the SDK's catch-all for the status class (other 4xx, other 5xx)."""
    named = tuple(i for i in taxonomy.codes if status in i.http_status)
    if named:
        return StatusInfo(status, named, fallback=False)
    fallback = {4: "connection.bad_request", 5: "connection.server_error"}.get(status // 100)
    info = taxonomy.get(fallback) if fallback else None
    return StatusInfo(status, (info,), fallback=True) if info else None


def resolve(name: str, taxonomy: Taxonomy) -> Found | None:
    """The thing `name` names, or None. Codes and categories match in any case; `_` and `-` are interchangeable."""
    key = name.strip().lower()
    if key.isdigit() and len(key) == 3:
        return status_codes(int(key), taxonomy)
    info = taxonomy.get(key) or taxonomy.get(key.replace("-", "_"))
    if info is not None:
        return info
    slug = key.replace("_", "-")
    rule = next((r for r in rules() if slug == r.id or slug in r.aliases), None)
    if rule is not None:
        return rule
    category = taxonomy.category(key)
    if category is not None:
        return CategoryInfo(category, tuple(i for i in taxonomy.codes if i.category == category.name))
    return None


def names(taxonomy: Taxonomy) -> list[str]:
    """Every name `explain` accepts (for suggestions and shell completion)."""
    return [i.code for i in taxonomy.codes] + [r.id for r in rules()] + [c.name for c in taxonomy.categories]


def suggest(name: str, choices: list[str], n: int = 3) -> list[str]:
    """Near misses first by the whole name, then by a code's part after the dot (`ice_faild`)."""
    key = name.strip().lower()
    close = difflib.get_close_matches(key, choices, n=n, cutoff=0.6)
    if not close:
        details = {c.split(".", 1)[1]: c for c in choices if "." in c}
        close = [details[d] for d in difflib.get_close_matches(key, list(details), n=n, cutoff=0.7)]
    return close


def did_you_mean(name: str, choices: list[str]) -> str:
    close = suggest(name, choices)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def one_edit_away(a: str, b: str) -> bool:
    """True when `b` is `a` with one character added, removed or changed (a typo, not another word)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


def known_code_near(code: str, taxonomy: Taxonomy) -> str | None:
    """The one known code a single edit from an unknown `code`, if exactly one is."""
    near = [i.code for i in taxonomy.codes if one_edit_away(code, i.code)]
    return near[0] if len(near) == 1 else None


def family(name: str, taxonomy: Taxonomy) -> str:
    """A code family as typed (any case, stray blanks) as the catalogue names it; an unknown one is an error that
    names the near miss or the known families."""
    from loglens.errors import LoglensError

    known = [c.name for c in taxonomy.categories]
    key = name.strip().lower()
    if key not in known:
        hint = did_you_mean(name, known) or f"; known: {', '.join(known)}"
        raise LoglensError(f"unknown category {name!r}{hint}")
    return key


def code_list(taxonomy: Taxonomy, category: str | None = None) -> list[dict[str, object]]:
    """`codes --format json`: every code (or one family's) as plain data, with its family and whether the SDK
    retries it, so scripts read the catalogue as the command prints it."""
    codes = [i for i in taxonomy.codes if not category or i.category == category]
    return [{**i.model_dump(), "category": i.category, "retryable": i.retryable} for i in codes]


def code_in(text: str, taxonomy: Taxonomy) -> CodeInfo | None:
    """The first known dotted code inside pasted text (a whole log line given to `explain`), or None."""
    import re

    for word in re.finditer(r"(?<![\w.])[A-Za-z_]++\.[A-Za-z_]++(?![\w.])", text):
        info = taxonomy.get(word.group().lower())
        if info is not None:
            return info
    return None
