"""The ARC registry: codes flake8 accepts, and a README that says what the registry says."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from archlint.domain.codes import CODE_PATTERN, CODES, render_rule_reference

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_is_one_flake8_accepts(code: str) -> None:
    assert CODE_PATTERN.match(code)
    assert code.startswith("ARC")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_fully_documented(code: str) -> None:
    entry = CODES[code]
    for part in (entry.slug, entry.summary, entry.what, entry.why, entry.example, entry.fix):
        assert part.strip()


@pytest.mark.parametrize("code", sorted(CODES))
def test_message_starts_with_its_code(code: str) -> None:
    fields = {name: "x" for _, name, _, _ in string.Formatter().parse(CODES[code].template) if name}
    assert CODES[code].message(**fields).startswith(f"{code} ")


def test_readme_rule_reference_is_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- codes:start -->") + len("<!-- codes:start -->\n")
    end = text.index("<!-- codes:end -->")
    assert text[start:end] == render_rule_reference(), (
        "README rule reference is out of date: regenerate it with `archlint explain --markdown`"
    )


def test_readme_names_every_code() -> None:
    text = README.read_text(encoding="utf-8")
    for code in CODES:
        assert f"### {code} " in text
