"""The steps of ``archlint move``, each written to a journal so that an error undoes them all.

1. **move** the module's file, or the package's folder (``git mv`` in a git work tree, so that
   history follows; a plain rename otherwise), creating the new parent packages it needs;
2. rewrite the **relative imports** inside the moved code (:mod:`archlint.rewrite.relative`);
3. write a **shim** at each old module path (:mod:`archlint.rewrite.shim`), unless told not to;
4. append the **deprecation** to the project's contract files, as text (nothing re-serialised);
5. **rewrite** every reference to the old path in the project through ``fix``, with its safety
   check, restricted to this one deprecation.

The same steps run on a temporary copy for the plan and on the project itself for the move.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from archlint.application.fix import FixReport, fix_paths
from archlint.application.project import OpenProject, open_project
from archlint.domain.errors import ArchlintError
from archlint.rewrite.relative import MovedName, rewrite_relative_imports
from archlint.rewrite.shim import public_names, shim_text
from archlint.scanning.modules import ModuleName
from archlint.scanning.screen import read_source
from archlint.scanning.source import SourceError, decode_source, parse_source

__all__ = ["Journal", "MoveError", "MoveRequest", "Performed", "perform"]


class MoveError(ArchlintError):
    """The move cannot be made; the message says why."""


@dataclass(frozen=True)
class MoveRequest:
    """What to move where, and how."""

    old: str
    new: str
    shim: bool = True
    why: str | None = None
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class Journal:
    """What was done to the tree, in order, and how to undo it."""

    root: Path
    #: ``("write", path, original bytes or None when created)``, ``("mkdir", path)``,
    #: ``("move", old, new, by_git)``.
    entries: list[tuple[object, ...]] = field(default_factory=list)

    def write(self, path: Path, data: bytes) -> None:
        """Write ``data`` to ``path``, remembering what was there."""
        original = path.read_bytes() if path.exists() else None
        self.entries.append(("write", path, original))
        path.write_bytes(data)

    def mkdir(self, path: Path) -> None:
        """Create ``path`` and the missing folders above it."""
        missing = []
        while not path.exists():
            missing.append(path)
            path = path.parent
        for folder in reversed(missing):
            folder.mkdir()
            self.entries.append(("mkdir", folder))

    def move(self, old: Path, new: Path, use_git: bool) -> bool:
        """Move ``old`` to ``new`` (``git mv`` when asked and git accepts); return whether git
        did it."""
        if use_git and _git(self.root, "mv", str(old), str(new)):
            self.entries.append(("move", old, new, True))
            return True
        os.rename(old, new)
        self.entries.append(("move", old, new, False))
        return False

    def changes(self) -> list[str]:
        """One line per change still in the tree, for a message."""
        lines = []
        for entry in self.entries:
            kind, path = entry[0], entry[1]
            shown = _shown(self.root, path)
            if kind == "write":
                lines.append(f"{'created' if entry[2] is None else 'changed'} {shown}")
            elif kind == "mkdir":
                lines.append(f"created folder {shown}")
            else:
                lines.append(f"moved {shown} to {_shown(self.root, entry[2])}")
        return lines

    def rollback(self) -> list[str]:
        """Undo every entry, last first; return what could not be undone."""
        failed: list[str] = []
        for entry in reversed(self.entries):
            kind = entry[0]
            try:
                if kind == "write":
                    path, original = entry[1], entry[2]
                    assert isinstance(path, Path)
                    if original is None:
                        path.unlink()
                    else:
                        assert isinstance(original, bytes)
                        path.write_bytes(original)
                elif kind == "mkdir":
                    path = entry[1]
                    assert isinstance(path, Path)
                    path.rmdir()
                else:
                    old, new, by_git = entry[1], entry[2], entry[3]
                    assert isinstance(old, Path) and isinstance(new, Path)
                    if not (by_git and _git(self.root, "mv", str(new), str(old))):
                        os.rename(new, old)
            except OSError as error:
                failed.append(f"{kind} {_shown(self.root, entry[1])}: {error.strerror or error}")
        self.entries.clear()
        return failed


def _shown(root: Path, path: object) -> str:
    assert isinstance(path, Path)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _git(root: Path, *args: str) -> bool:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return False
    return done.returncode == 0


def in_git_work_tree(root: Path) -> bool:
    """Whether ``root`` is inside a git work tree (and git is installed)."""
    return _git(root, "rev-parse", "--is-inside-work-tree")


@dataclass
class Performed:
    """What the steps did."""

    moved: list[tuple[str, str]] = field(default_factory=list)  # (old module, new module)
    by_git: bool = False
    relative_imports: int = 0
    shims: list[str] = field(default_factory=list)
    contract_file: str = ""
    fix: FixReport | None = None


# --- locating ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    old_path: Path  # the file, or the package folder
    new_path: Path
    is_package: bool
    modules: list[tuple[ModuleName, Path]]  # every moved module, at its old place


def _locate(opened: OpenProject, request: MoveRequest) -> _Where:
    old, new = request.old, request.new
    inventory = opened.inventory
    found = inventory.by_name.get(old)
    if found is None:
        hint = " (a namespace package)" if old in inventory.namespace_packages else ""
        raise MoveError(f"{old} is not a module of the project{hint}")
    if "." not in old:
        raise MoveError(f"{old} is a root package: move what is inside it instead")
    for part in new.split("."):
        if not part.isidentifier():
            raise MoveError(f"{new} is not a module name")
    if new == old or new.startswith(old + "."):
        raise MoveError(f"{new} is inside {old}: a module cannot move into itself")
    roots = {p.name: p.directory for p in inventory.packages}
    top, _, rest = new.partition(".")
    if top not in roots or not rest:
        raise MoveError(
            f"{new} is not below a root package of the project ({', '.join(sorted(roots))})"
        )
    if new in inventory or any(m.name.startswith(new + ".") for m in inventory):
        raise MoveError(f"{new} exists already")
    base = roots[top].joinpath(*rest.split("."))
    old_path = found.path.parent if found.is_package else found.path
    new_path = base if found.is_package else base.with_suffix(".py")
    if new_path.exists() or base.exists():
        raise MoveError(f"{new} exists already ({_shown(opened.root, base)})")
    modules = [
        (ModuleName(m.name, m.is_package), m.path)
        for m in inventory
        if m.name == old or m.name.startswith(old + ".")
    ]
    return _Where(old_path, new_path, found.is_package, modules)


# --- the steps -----------------------------------------------------------------------------


def perform(
    opened: OpenProject, request: MoveRequest, journal: Journal, *, use_git: bool
) -> Performed:
    """Make the move in ``opened``'s tree, journalling every change. Raises on error (the
    caller rolls the journal back)."""
    try:
        return _perform(opened, request, journal, use_git=use_git)
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        raise MoveError(f"{where}{error.strerror or error}") from None


def _perform(
    opened: OpenProject, request: MoveRequest, journal: Journal, *, use_git: bool
) -> Performed:
    where = _locate(opened, request)
    moved = MovedName(request.old, request.new)
    done = Performed()
    texts = {}
    for module, path in where.modules:
        try:
            texts[module] = read_source(path)
            decode_source(texts[module], str(path))
        except (OSError, SourceError) as error:
            raise MoveError(f"cannot read {_shown(opened.root, path)}: {error}") from None

    # 1. move
    journal.mkdir(where.new_path.parent)
    _packages_on_the_way(opened, journal, where.new_path.parent)
    done.by_git = journal.move(where.old_path, where.new_path, use_git)

    # 2. relative imports, 3. shims
    for module, path in where.modules:
        renamed = moved.apply(module.name)
        assert renamed is not None
        new_module = ModuleName(renamed, module.is_package)
        new_file = (
            where.new_path / path.relative_to(where.old_path)
            if where.is_package
            else (where.new_path)
        )
        done.moved.append((module.name, renamed))
        data = texts[module]
        text = decode_source(data, str(path))
        rewritten, count = rewrite_relative_imports(text, module, new_module, moved, str(path))
        if count:
            journal.write(new_file, rewritten.encode("utf-8"))
            done.relative_imports += count
        if request.shim:
            tree = parse_source(rewritten, str(new_file))
            names = public_names(tree, request.new.split(".")[0])
            journal.mkdir(path.parent)
            journal.write(path, shim_text(module.name, renamed, names).encode("utf-8"))
            done.shims.append(module.name)

    # 4. the deprecation
    done.contract_file = _append_deprecation(opened, request, journal)

    # 5. every reference, through fix
    after = open_project(root=opened.root)
    ours = [d for d in after.project.deprecations if d.old == request.old and d.new == request.new]
    restricted = OpenProject(
        dataclasses.replace(after.project, deprecations=tuple(ours[-1:])), after.inventory
    )
    planned = fix_paths(restricted, None, write=False, cwd=opened.root)
    changing = [f.path for f in planned.changed]
    for path in changing:
        journal.entries.append(("write", path, path.read_bytes()))
    done.fix = fix_paths(restricted, changing, write=True, cwd=opened.root) if changing else planned
    if done.fix.errors:
        raise MoveError(
            "cannot rewrite the references: " + "; ".join(str(e) for e in done.fix.errors)
        )
    return done


def _packages_on_the_way(opened: OpenProject, journal: Journal, folder: Path) -> None:
    """An ``__init__.py`` in each folder the move had to create, so that they are packages
    like the one the module comes from."""
    created = {e[1] for e in journal.entries if e[0] == "mkdir"}
    for path in sorted(created, key=str):
        assert isinstance(path, Path)
        journal.write(path / "__init__.py", b"")


_DEPRECATIONS = re.compile(r"^[ \t]*\[\[[ \t]*deprecations[ \t]*\]\]", re.MULTILINE)


def _append_deprecation(opened: OpenProject, request: MoveRequest, journal: Journal) -> str:
    """Append the ``[[deprecations]]`` entry, as text, to the last contract file that has
    deprecations (``contracts/deprecations.toml`` when none has); return its path."""
    folder = opened.root / opened.project.settings.contracts_dir
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    target = folder / "deprecations.toml"
    for path in files:
        try:
            if _DEPRECATIONS.search(path.read_text(encoding="utf-8")):
                target = path
        except (OSError, UnicodeDecodeError):
            continue
    original = target.read_bytes() if target.exists() else b""
    newline = "\r\n" if b"\r\n" in original else "\n"
    entry = [
        "[[deprecations]]",
        f"old = {json.dumps(request.old)}",
        f"new = {json.dumps(request.new)}",
        f"since = {request.today.isoformat()}",
    ]
    if not request.shim:
        # Nothing is left at the old path: every import of it is an error from today.
        entry.append(f"remove_after = {request.today.isoformat()}")
    if request.why:
        entry.append(f"why = {json.dumps(' '.join(request.why.split()))}")
    text = newline.join(entry) + newline
    if original and not original.endswith((b"\n", b"\r")):
        text = newline + text
    if original.strip():
        text = newline + text
    journal.mkdir(folder)
    journal.write(target, original + text.encode("utf-8"))
    return _shown(opened.root, target)


def copy_project(root: Path, into: Path) -> Path:
    """A copy of the project at ``root`` in ``into`` (hidden folders, caches and virtual
    environments left out), for planning a move on it."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        return [
            n
            for n in names
            if n.startswith(".")
            or n in ("__pycache__", "node_modules")
            or os.path.isfile(os.path.join(folder, n, "pyvenv.cfg"))
        ]

    shutil.copytree(root, into, ignore=ignore, symlinks=True)
    return into
