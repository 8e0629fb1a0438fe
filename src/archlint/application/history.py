"""``archlint report --history RANGE``: how a migration went, commit by commit.

For each commit of the range (oldest first, following first parents), what the project
counted then:

- the sites that still name each deprecated path (``archlint lint --select ARC0``'s findings,
  per ``old``: every deprecation of that commit, 0 when none is left);
- the breaks of each contract (its illegal import chains, a cycle counting as one), as
  ``archlint check`` finds them on that commit's tree;
- the import cycles of the whole project: tangles (strongly connected components) and mutual
  pairs;
- modules and lines of each package the report names (root packages, what contracts name).

Each commit's own ``pyproject.toml`` and contracts are used; a commit without them is read
with today's, as ``--compare`` does.

Nothing is checked out. The commits' trees are read with git's plumbing (``ls-tree`` and
``cat-file``) into one temporary folder, which follows the range: a file is written only
when its blob differs from the one already there (with a modification time no other write
had, so that grimp's cache, which compares them, never reuses a stale parse), and deleted when
the commit no longer has it. archlint's own parse of a file is kept per blob id and path, so a
file unchanged between commits is parsed once in the whole range.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from archlint.config.loader import display_path
from archlint.domain import model
from archlint.domain.cycles import mutual_pairs, strongly_connected_components
from archlint.domain.errors import ArchlintError, ConfigError
from archlint.domain.expressions import is_in_package
from archlint.domain.metrics import ModuleGraph, report_packages
from archlint.domain.results import ContractResult
from archlint.scanning.git import Commit, commits_in, list_blobs, read_blobs, repository
from archlint.scanning.modules import ModuleName, module_name_for_path

from .check import check
from .facts import FileFacts, deprecation_sites, module_graph, read_facts
from .files import default_paths, python_files
from .project import open_project
from .report import complete_config, lenient_inventory, load_at_ref, wanted_file


class HistoryError(ArchlintError):
    """A range with nothing to report on."""


def break_count(result: ContractResult) -> int:
    """How many times a contract is broken: its illegal chains (a violation without chains,
    such as one cycle, counts as one)."""
    if result.kept:
        return 0
    return sum(max(1, len(v.chains)) for v in result.violations)


@dataclass(frozen=True)
class CommitFigures:
    """What one commit counted (see the module documentation)."""

    commit: Commit
    #: Sites naming each deprecated path, by ``old``.
    deprecated: Mapping[str, int] = field(default_factory=dict)
    #: Breaks of each contract, by id; None when the contracts could not be checked.
    breaks: Mapping[str, int] | None = None
    tangles: int = 0
    mutual_pairs: int = 0
    #: ``(modules, lines)`` of each package the report names.
    packages: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    #: Files archlint parsed for this commit (the others were known from earlier commits).
    parsed: int = 0
    #: Why something could not be counted at this commit (one line), if anything.
    problem: str | None = None

    @property
    def deprecated_total(self) -> int:
        """Every site naming a deprecated path."""
        return sum(self.deprecated.values())

    @property
    def breaks_total(self) -> int | None:
        """Every break of every contract (None when they could not be checked)."""
        return None if self.breaks is None else sum(self.breaks.values())


@dataclass(frozen=True)
class History:
    """The range as given, and the figures of its commits, oldest first."""

    root: Path
    rev_range: str
    every: int
    commits: tuple[CommitFigures, ...]

    def keys(self, attribute: str) -> list[str]:
        """Every key any commit has in ``attribute`` (``deprecated``, ``breaks``,
        ``packages``), sorted."""
        found: set[str] = set()
        for figures in self.commits:
            found.update(getattr(figures, attribute) or ())
        return sorted(found)


def pick(commits: list[Commit], every: int) -> list[Commit]:
    """Every ``every``-th commit counting back from the last, which is always kept, oldest
    first."""
    if every < 1:
        raise ValueError("every must be 1 or more")
    return commits[::-1][::every][::-1]


def history(root: Path | None, rev_range: str, every: int = 1) -> History:
    """The figures of each commit of ``rev_range`` for the project at ``root`` (found upwards
    when None). Raises ``ConfigError`` when today's configuration cannot be read, ``GitError``
    for a folder outside git or a range git rejects, ``HistoryError`` for an empty range."""
    current = open_project(root=root)
    top, prefix = repository(current.root, "--history")
    commits = pick(commits_in(top, rev_range), every)
    if not commits:
        raise HistoryError(f"no commit in '{rev_range}'")
    with tempfile.TemporaryDirectory(prefix="archlint-history-") as tmp:
        walker = _Walker(Path(tmp).resolve() / "tree", top, prefix, current.project)
        figures = tuple(walker.figures(commit) for commit in commits)
    return History(current.root, rev_range, every, figures)


class _Walker:
    """One temporary tree that follows the commits, and the parses kept between them."""

    def __init__(self, tree: Path, top: Path, prefix: str, current: model.Project) -> None:
        self.tree, self.top, self.prefix, self.current = tree, top, prefix, current
        tree.mkdir(parents=True)
        #: What the tree holds from git: relative path -> blob id.
        self.held: dict[PurePosixPath, str] = {}
        #: Configuration files copied in from today's project for the last commit.
        self.copied: list[Path] = []
        self.facts: dict[tuple[str, str], FileFacts] = {}
        # Modification times no file of the tree had: a second per write, from a day ago.
        self.stamp = time.time() - 86_400.0

    def _touch(self, path: Path) -> None:
        self.stamp += 1.0
        os.utime(path, (self.stamp, self.stamp))

    def _sync(self, commit: str) -> None:
        for copy in self.copied:
            copy.unlink(missing_ok=True)
        self.copied = []
        blobs = {b.path: b.sha for b in list_blobs(self.top, commit, self.prefix, wanted_file)}
        for gone in set(self.held) - set(blobs):
            self.tree.joinpath(*gone.parts).unlink(missing_ok=True)
            del self.held[gone]
        changed = [path for path, sha in blobs.items() if self.held.get(path) != sha]
        contents = read_blobs(self.top, [blobs[path] for path in changed])
        for path in changed:
            target = self.tree.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(contents[blobs[path]])
            self._touch(target)
            self.held[path] = blobs[path]
        self.copied = complete_config(self.tree, self.current)
        for copy in self.copied:
            self._touch(copy)

    def _facts(self, path: Path, module: ModuleName | None, shown: str) -> tuple[FileFacts, bool]:
        """The facts of the file at ``path`` in the tree, and whether it was parsed now."""
        relative = PurePosixPath(path.relative_to(self.tree).as_posix())
        key = (self.held.get(relative, ""), f"{relative}\0{module}")
        known = self.facts.get(key) if key[0] else None
        if known is not None:
            return known, False
        try:
            facts = read_facts(path.read_bytes(), shown, module)
        except OSError as e:
            facts = FileFacts(0, problem=f"{shown}: cannot read: {e.strerror}")
        if key[0]:
            self.facts[key] = facts
        return facts, True

    def figures(self, commit: Commit) -> CommitFigures:
        """Sync the tree to ``commit`` and count."""
        self._sync(commit.sha)
        label = f"{commit.sha[:12]}:"
        try:
            project = load_at_ref(self.tree, label)
        except ConfigError as e:
            return CommitFigures(commit, problem=_one_line(e, self.tree, label))
        inventory = lenient_inventory(project)
        parsed = 0
        by_module: dict[str, FileFacts] = {}
        files: dict[str, tuple[str, FileFacts]] = {}
        for found in inventory:
            shown = label + found.path.relative_to(self.tree).as_posix()
            facts, fresh = self._facts(found.path, ModuleName(found.name, found.is_package), shown)
            parsed += fresh
            by_module[found.name] = facts
            files[str(found.path)] = (shown, facts)
        roots = project.source_root_paths
        for path in python_files(p for p in default_paths(project) if p.is_dir()):
            if str(path) in files:
                continue
            shown = label + path.relative_to(self.tree).as_posix()
            facts, fresh = self._facts(path, module_name_for_path(str(path), roots), shown)
            parsed += fresh
            files[str(path)] = (shown, facts)
        graph = module_graph(inventory, by_module)
        deprecated = dict.fromkeys((d.old for d in project.deprecations), 0)
        for group in deprecation_sites(project.deprecations, files.values()):
            deprecated[group.deprecation.old] = len(group.sites)
        adj = graph.adjacency()
        breaks, problem = self._breaks(label)
        return CommitFigures(
            commit,
            deprecated=deprecated,
            breaks=breaks,
            tangles=len(strongly_connected_components(adj)),
            mutual_pairs=len(mutual_pairs(adj)),
            packages=_packages(project, graph),
            parsed=parsed,
            problem=problem,
        )

    def _breaks(self, label: str) -> tuple[dict[str, int] | None, str | None]:
        try:
            opened = open_project(root=self.tree)
            report = check(opened)
        except ConfigError as e:
            return None, _one_line(e, self.tree, label)
        return {r.contract.id: break_count(r) for r in report.results}, None


def _packages(project: model.Project, graph: ModuleGraph) -> dict[str, tuple[int, int]]:
    names = report_packages(project.settings.root_packages, project.contracts, graph)
    out: dict[str, tuple[int, int]] = {}
    for name in names:
        members = [m for n, m in graph.modules.items() if is_in_package(n, name)]
        out[name] = (sum(1 for m in members if m.is_file_module), sum(m.lines for m in members))
    return out


def _one_line(error: ConfigError, tree: Path, label: str) -> str:
    """The first problem of ``error``, with the tree's paths named ``COMMIT:path``."""
    text = str(error.problems[0]) if error.problems else str(error)
    base = str(tree) + os.sep
    text = text.replace(base, label).replace(display_path(tree) + os.sep, label)
    more = len(error.problems) - 1
    return text + (f" (and {more} more)" if more > 0 else "")
