"""What identifies a break in a baseline: the contract and the ends of its chain."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.application.baseline import BreakKey, FindingKey, apply_baseline, break_key
from archlint.application.baseline_file import read_baseline, render_baseline
from archlint.domain.model import ForbiddenContract, Origin
from archlint.domain.results import Chain, CheckReport, ContractResult, Link, Violation


def test_a_direct_break_is_its_import() -> None:
    assert break_key("c", ["a.x", "b.y"]) == BreakKey("c", "a.x", "b.y")


def test_an_indirect_break_is_its_two_ends() -> None:
    assert break_key("c", ["a.x", "m.one", "b.y"]) == break_key(
        "c", ["a.x", "m.two", "m.three", "b.y"]
    )
    assert break_key("c", ["a.x", "m", "b.y"]) != break_key("c", ["a.z", "m", "b.y"])
    assert break_key("c", ["a.x", "m", "b.y"]) != break_key("d", ["a.x", "m", "b.y"])


def test_a_cycle_is_its_modules() -> None:
    one = break_key("c", ["p", "q", "r", "p"])
    assert one == BreakKey("c", "p", "p", ("p", "q", "r"))
    assert one != break_key("c", ["p", "s", "p"])


def test_a_chain_needs_two_modules() -> None:
    with pytest.raises(ValueError, match="at least two"):
        break_key("c", ["a"])


def _report(*chains: tuple[str, ...]) -> CheckReport:
    contract = ForbiddenContract(
        id="c",
        name="c",
        origin=Origin("contracts/x.toml", 1),
        source_modules=(),
        forbidden_modules=(),
    )
    made = tuple(
        Chain(tuple(Link(a, b, (n,)) for n, (a, b) in enumerate(itertools.pairwise(c), 1)))
        for c in chains
    )
    violation = Violation(summary="a is not allowed to import b", chains=made)
    return CheckReport(results=(ContractResult(contract, kept=False, violations=(violation,)),))


def test_known_ends_pass_new_ends_fail() -> None:
    known = frozenset({break_key("c", ["a.x", "b.y"]), break_key("c", ["a.z", "m", "b.y"])})
    passed = apply_baseline(_report(("a.x", "b.y"), ("a.z", "n", "o", "b.y")), known)
    assert passed.ok and passed.results[0].baselined == 2
    failed = apply_baseline(_report(("a.x", "b.y"), ("a.w", "m", "b.y")), known)
    assert not failed.ok
    (violation,) = failed.results[0].violations
    assert [c.modules for c in violation.chains] == [("a.w", "m", "b.y")]
    assert failed.results[0].baselined == 1


# --- the baseline file: what is written is read back as the same entries -----------------


_names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    breaks=st.lists(st.tuples(_names, _names, _names), max_size=5),
    cycles=st.lists(st.tuples(_names, st.lists(_names, min_size=2, max_size=4)), max_size=3),
    findings=st.dictionaries(
        st.builds(FindingKey, _names, _names, _names), st.integers(1, 5), max_size=5
    ),
)
def test_any_names_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    breaks: list[tuple[str, str, str]],
    cycles: list[tuple[str, list[str]]],
    findings: dict[FindingKey, int],
) -> None:
    keys = {BreakKey(c, a, b) for c, a, b in breaks if a != b}
    keys |= {break_key(c, [*m, m[0]]) for c, m in cycles if len(set(m)) > 1}
    text = render_baseline(keys, findings)
    path = tmp_path_factory.mktemp("b") / "baseline.toml"
    path.write_text(text, encoding="utf-8")
    baseline = read_baseline(path)
    assert baseline.breaks == keys
    assert baseline.findings == findings
    entries = [line for line in text.splitlines() if line.startswith("  {")]
    assert len(entries) == len(keys) + len(findings)  # one line each
