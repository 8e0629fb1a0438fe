"""``archlint check`` attacked: odd file names in every format, files outside the root
packages that cannot be read, and Ctrl-C while the command is starting.

Each test runs the real ``archlint`` (and ``lint``, to compare) on a project built here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from ..helpers import BIN, make_project, run

DEPRECATION = '[[deprecations]]\nold = "pkg.old"\nnew = "pkg.new"\n'

#: A package whose deprecated module is left as a shim of the new one (no finding of its own).
SHIMMED = {
    "contracts/d.toml": DEPRECATION,
    "src/pkg/__init__.py": "",
    "src/pkg/new.py": "X = 1\n",
    "src/pkg/old.py": "from pkg.new import X as X\n",
}

#: The characters RFC 3986 allows in a relative reference's path (unreserved, sub-delims,
#: ":", "@", "/" and percent-escapes).
URI_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")

#: File names GitHub's annotation escaping and SARIF's URIs must carry intact.
ODD_NAMES = [
    "tests/test with space.py",
    "tests/test_100%_sure.py",
    "tests/test_%2C_encoded.py",
    "tests/a,b.py",
    "tests/naïve_ü.py",
    "odd:name.py",  # a ':' in the first segment reads as a URI scheme unless escaped
    "tests/q?#x.py",
]


def _unescape_property(text: str) -> str:
    # The inverse of GitHub's escaping of a workflow command property.
    for escaped, char in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r")):
        text = text.replace(escaped, char)
    return text.replace("%25", "%")


def test_odd_file_names_survive_every_format(tmp_path: Path) -> None:
    files = {
        **SHIMMED,
        **{name: "import pkg.old\n" for name in ODD_NAMES},
    }
    root = make_project(tmp_path, files)
    args = ["archlint", "check", "--no-cache", "--format"]
    document = json.loads(run([*args, "json"], cwd=root).stdout)
    expected = sorted((f["path"], f["line"], f["col"]) for f in document["findings"])
    assert [path for path, _, _ in expected] == sorted(ODD_NAMES)

    sarif = json.loads(run([*args, "sarif"], cwd=root).stdout)
    run_ = sarif["runs"][0]
    base = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    found = []
    for result in run_["results"]:
        physical = result["locations"][0]["physicalLocation"]
        location = physical["artifactLocation"]
        uri = location["uri"]
        assert location["uriBaseId"] == "%SRCROOT%"
        # A valid relative reference: no scheme, nothing a URI reader would take as syntax.
        assert URI_PATH.fullmatch(uri), uri
        assert urllib.parse.urlsplit(uri).scheme == "", uri
        # Resolved against its base, it names the file.
        resolved = urllib.parse.urljoin(base, uri)
        assert Path(urllib.parse.unquote(urllib.parse.urlsplit(resolved).path)) == root / (
            urllib.parse.unquote(uri)
        )
        assert (root / urllib.parse.unquote(uri)).is_file(), uri
        region = physical["region"]
        found.append((urllib.parse.unquote(uri), region["startLine"], region["startColumn"]))
    assert sorted(found) == expected

    github = run([*args, "github"], cwd=root).stdout
    annotations = re.findall(
        r"^::warning file=([^,]*),line=(\d+),col=(\d+),title=archlint ARC001::", github, re.M
    )
    assert sorted((_unescape_property(p), int(a), int(b)) for p, a, b in annotations) == expected
    # The summary line speaks of one contract-less project in good grammar.
    assert github.splitlines()[-1] == (
        f"0 contracts: 0 kept, 0 broken; {len(ODD_NAMES)} findings over {len(ODD_NAMES) + 3} files."
    )


def _as_reader_without_root_powers() -> list[str]:
    """A prefix that takes from root the power to read a chmod-000 file."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a chmod 000 file is readable")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]


def test_bad_files_outside_the_packages_are_file_line_why_as_lint_says(tmp_path: Path) -> None:
    # Files of tests/ the per-file rules must read (they name the deprecated path): each is
    # one line naming its line, in the words lint uses for the same file, in both modes.
    files = {
        **SHIMMED,
        "tests/test_a.py": "import pkg.old\n",
        "tests/test_deep.py": "import pkg.old\nx = " + "+".join(["a"] * 100_000) + "\n",
        "tests/test_secret.py": "import pkg.old\n",
    }
    root = make_project(tmp_path, files)
    os.symlink("test_loop.py", root / "tests/test_loop.py")
    (root / "tests/test_secret.py").chmod(0)
    prefix = _as_reader_without_root_powers()

    def archlint(*args: str) -> subprocess.CompletedProcess[str]:
        command = [*prefix, str(BIN / "archlint"), *args]
        return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)

    lint = archlint("lint")
    assert lint.returncode == 2
    said = set(lint.stderr.splitlines())
    outputs = []
    for jobs in ("1", "2"):
        check = archlint("check", "--no-cache", "--jobs", jobs)
        outputs.append((check.returncode, check.stdout, check.stderr))
        assert check.returncode == 2, check.stderr
        assert "tests/test_a.py:1:1: ARC001" in check.stdout  # nothing else is lost
        lines = [line.removeprefix("error: ") for line in check.stderr.splitlines()]
        assert lines == [
            "tests/test_deep.py:1: syntax error: too deeply nested to parse",
            "tests/test_loop.py:1: cannot read: symbolic link loop",
            "tests/test_secret.py:1: cannot read: Permission denied",
        ]
        assert set(lines) <= said
    assert outputs[0] == outputs[1]


SITECUSTOMIZE = """
import os, signal, sys

class _InterruptOnImport:
    # Ctrl-C pressed while the command line is being imported.
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, _InterruptOnImport())
"""


@pytest.mark.parametrize("module", ["archlint.adapters.cli", "argparse", "archlint.domain"])
def test_ctrl_c_while_the_command_starts_is_quiet(tmp_path: Path, module: str) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE.format(module=module))
    root = make_project(tmp_path / "p", {"contracts/d.toml": DEPRECATION, "src/pkg/a.py": ""})
    env = {**os.environ, "PYTHONPATH": str(hook)}
    proc = subprocess.run(
        [str(BIN / "archlint"), "check", "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stderr == "" and proc.stdout == ""
    # Ended by the signal, as a shell shows it (130), or by main's own handler.
    assert proc.returncode in (-signal.SIGINT, 128 + signal.SIGINT), proc.returncode


@pytest.mark.xfail(
    strict=True,
    reason="the Locator maps a module written twice (a.py + a/__init__.py) to the package "
    "file, while grimp read a.py: the chain's line is shown in the other file",
)
def test_a_chain_from_a_module_written_twice_points_at_the_file_grimp_read(
    tmp_path: Path,
) -> None:
    contracts = '[[contracts]]\nid = "cyc"\ntype = "acyclic"\npackages = ["pkg"]\n'
    files = {
        "contracts/c.toml": contracts,
        "src/pkg/__init__.py": "",
        "src/pkg/h.py": "x = 1\nimport pkg.dup\n",
        "src/pkg/dup.py": "import pkg.h\n",  # the file grimp reads: the edge dup -> h
        "src/pkg/dup/__init__.py": "x = 1\n",
    }
    root = make_project(tmp_path, files)
    proc = run(["archlint", "check", "--no-cache"], cwd=root)
    assert proc.returncode == 1, proc.stderr
    assert "pkg.dup -> pkg.h (l.1)  src/pkg/dup.py:1" in proc.stdout, proc.stdout
