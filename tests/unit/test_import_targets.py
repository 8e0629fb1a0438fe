"""The module an import depends on, by grimp's rules (checked against grimp 3.20 by hand and
by the differential tests in tests/integration/test_flake8_vs_check*.py)."""

from __future__ import annotations

import pytest

from archlint.domain.import_targets import external_target, internal_target

MODULES = {"pkg", "pkg.a", "pkg.a.b", "pkg.ns"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pkg.a.b", "pkg.a.b"),  # import pkg.a.b, from pkg.a import b
        ("pkg.a.b.func", "pkg.a.b"),  # from pkg.a.b import func, import pkg.a.b.func
        ("pkg.a.*", "pkg.a"),  # from pkg.a import *
        ("pkg.ns", "pkg.ns"),
        ("pkg.gone.x", None),  # neither the path nor its parent
        ("pkg.a.b.c.d", None),
        ("os.path", None),
    ],
)
def test_internal_target(path: str, expected: str | None):
    assert internal_target(path, MODULES.__contains__) == expected


@pytest.mark.parametrize(
    ("path", "roots", "expected"),
    [
        ("requests.adapters", ("pkg",), "requests"),
        ("os", ("pkg",), "os"),
        # A missing module below a root package: grimp names it by its top-level package.
        ("pkg.gone.x", ("pkg",), "pkg"),
        # Beside a namespace portion: the shallowest name that does not clash with it.
        ("ns.other.x", ("ns.pkg",), "ns.other"),
        ("ns.other", ("ns.pkg",), "ns.other"),
        ("ns.a.b.c", ("ns.a.x", "ns.q"), "ns.a.b"),
        # An ancestor of a root package is left out.
        ("ns", ("ns.pkg",), None),
        ("ns.deep", ("ns.deep.pkg",), None),
        # A missing module inside a namespace portion is left out too (grimp 3.20).
        ("ns.pkg.gone.x", ("ns.pkg",), None),
    ],
)
def test_external_target(path: str, roots: tuple[str, ...], expected: str | None):
    assert external_target(path, roots) == expected
