"""Models built from values already of their fields' types (`Frozen.trusted`): the same model validation gives,
and refused when the fields given are not exactly the model's."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from loglens import models as m
from loglens.masking import Masked
from loglens.parse import parse_entries
from loglens.sources import LineReader
from tests.conftest import sample_paths

FIELDS = {
    "line": 3,
    "end_line": 5,
    "platform": "logcat",
    "head": m.LineHead(level=Masked("Info"), category=Masked("SDK")),
    "event": m.UnparsedLine(),
    "message": Masked("Connecting to Room..."),
    "frames": (Masked("Game.Room:Connect () (at Assets/Room.cs:12)"),),
    "footer": m.Footer(path=Masked("Assets/Room.cs"), line=12),
}


def test_a_trusted_model_is_the_validated_one() -> None:
    trusted, validated = m.Entry.trusted(**FIELDS), m.Entry(**FIELDS)
    assert trusted == validated
    assert trusted.model_dump_json() == validated.model_dump_json()
    assert list(trusted.__dict__) == list(validated.__dict__)  # the same order, so every format writes the same


def test_a_trusted_model_is_frozen() -> None:
    entry = m.Entry.trusted(**FIELDS)
    with pytest.raises(ValidationError):
        entry.line = 4  # type: ignore[misc]


@pytest.mark.parametrize(
    "fields",
    [
        {k: v for k, v in FIELDS.items() if k != "footer"},  # a field left to its default
        {**FIELDS, "extra": 1},  # a name the model does not have
        dict(reversed(FIELDS.items())),  # every field, but not in the model's order
    ],
)
def test_only_every_field_in_order_is_taken(fields: dict[str, object]) -> None:
    with pytest.raises(TypeError, match="every field in order"):
        m.Entry.trusted(**fields)


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.name)
def test_the_entries_of_a_sample_pass_validation_unchanged(path: Path) -> None:
    """The parser builds its entries and footers trusted: validating their values again gives the same ones."""
    with path.open("rb") as stream:
        entries = list(parse_entries(LineReader(stream)))
    assert entries
    for entry in entries:
        values = dict(entry)
        if entry.footer is not None:
            assert m.Footer(**dict(entry.footer)) == entry.footer
        assert m.Entry(**values) == entry
