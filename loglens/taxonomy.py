"""The error-code catalogue: load and validate `taxonomy.toml`, look codes up."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from loglens.datafile import expand, fill_all
from loglens.diskcache import toml_data
from loglens.frozen import Frozen

Retry = Literal["yes", "no", "depends"]
# The catalogue's word for the SDK's verdict, and what it means: retried by the SDK itself, never, or decided
# where the error is raised (None). Display words live in loglens/render/retry.py.
RETRYABLE: dict[Retry, bool | None] = {"yes": True, "no": False, "depends": None}

CODE_PATTERN = r"^[a-z][a-z0-9]*\.[a-z0-9]+(?:_[a-z0-9]+)*$"


class Category(Frozen):
    """One code family (`config`, `connection`, ...): the layer that failed."""

    name: str = Field(pattern=r"^[a-z][a-z0-9]*$")
    rank: int = Field(ge=0, description="Lower ranks are fixed first: config before network before media.")
    layer: str = Field(min_length=10)


class CodeInfo(Frozen):
    """One error code of the SDK, with what a user needs to act on it."""

    code: str = Field(pattern=CODE_PATTERN)
    title: str = Field(min_length=3, max_length=60)
    meaning: str = Field(min_length=20)
    retry: Retry
    retry_note: str = ""
    retry_note_gives_verdict: bool = Field(
        default=False,
        exclude=True,  # how to show the note, not what the catalogue says: left out of `codes --format json`
        description="The note begins with the verdict itself (`Not retried: ...`): no yes, no or depends before it.",
    )
    http_status: tuple[int, ...] = ()
    causes: tuple[str, ...] = Field(min_length=1)
    fix: tuple[str, ...] = Field(min_length=1)
    verify: str = Field(min_length=10)
    example: str = Field(min_length=10)
    documented: bool = Field(description="On Convai's public error-code page (false: only in the SDK source).")

    @model_validator(mode="after")
    def _verdict_needs_a_note(self) -> CodeInfo:
        if self.retry_note_gives_verdict and not self.retry_note:
            raise ValueError(f"{self.code}: retry_note_gives_verdict without a retry_note")
        return self

    @property
    def category(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def retryable(self) -> bool | None:
        """True or false from the SDK's own retry list; None where it depends on the caller."""
        return RETRYABLE[self.retry]


class Taxonomy(Frozen):
    """The whole catalogue, keyed by code."""

    categories: tuple[Category, ...] = Field(min_length=1)
    codes: tuple[CodeInfo, ...] = Field(min_length=1)

    @field_validator("codes")
    @classmethod
    def _unique_codes(cls, codes: tuple[CodeInfo, ...]) -> tuple[CodeInfo, ...]:
        seen: set[str] = set()
        for info in codes:
            if info.code in seen:
                raise ValueError(f"duplicate code {info.code}")
            seen.add(info.code)
        return codes

    @model_validator(mode="after")
    def _known_categories(self) -> Taxonomy:
        names = {c.name for c in self.categories}
        for info in self.codes:
            if info.category not in names:
                raise ValueError(f"{info.code}: category {info.category!r} is not declared")
        return self

    _by_code: dict[str, CodeInfo] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._by_code = {info.code: info for info in self.codes}

    def get(self, code: str) -> CodeInfo | None:
        return self._by_code.get(code)

    def rank(self, category: str) -> int:
        """Order of a category when deciding what to fix first; unknown families go last."""
        for c in self.categories:
            if c.name == category:
                return c.rank
        return 1000

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)


def retry_of(retryable: bool | None) -> Retry:
    """The catalogue's word for a verdict (`RETRYABLE` read backwards)."""
    return next(word for word, value in RETRYABLE.items() if value is retryable)


def category_of(code: str) -> str:
    """The family of any code, known or not: the text before the first dot."""
    return code.split(".", 1)[0]


def parse_taxonomy(text: str, *, shipped: bool = False) -> Taxonomy:
    """Validate catalogue text (TOML with `[[category]]` and `[[code]]` tables, and `[shared]` text that several
    codes give); its `${name}` hosts and ports come from `endpoints.py`. The `shipped` catalogue's parsed TOML is
    kept in the cache folder."""
    raw = toml_data(text, keep=shipped)
    shared: dict[str, str] = raw.get("shared", {})
    codes = [expand(code, shared, SHARED_FIELDS) for code in raw.get("code", [])]
    return Taxonomy.model_validate(fill_all({"categories": raw.get("category", []), "codes": codes}))


SHARED_FIELDS = ("causes", "fix", "retry_note", "verify")


@cache
def load_taxonomy() -> Taxonomy:
    """The catalogue shipped with the package."""
    text = resources.files("loglens").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    return parse_taxonomy(text, shipped=True)
