"""What each output was built from, so a rebuild redoes only what changed.

Every output file is keyed on a hash of everything that can change it: the rep and
team files, the templates it uses (followed through `extends`/`import`/`include`), the
assets, the options, `--as-of`, and the reportgen and WeasyPrint versions. The
manifest in the output folder records each file's key; it is written last, so a build
killed midway is simply redone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2

from reportgen import __version__
from reportgen.hashing import digest

MANIFEST_NAME = ".reportgen-manifest.json"
MANIFEST_FORMAT = 3  # 3: team summaries carry the VP's roll-up


def tool_versions() -> str:
    try:
        weasyprint = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:  # pragma: no cover - it is a dependency
        weasyprint = "unknown"
    try:
        # Babel's CLDR data decides how figures and dates read: a new one rebuilds.
        babel = metadata.version("babel")
    except metadata.PackageNotFoundError:  # pragma: no cover - it is a dependency
        babel = "unknown"
    from reportgen.translations import catalogues_digest

    return (f"reportgen {__version__}; weasyprint {weasyprint}; babel {babel};"
            f" catalogues {catalogues_digest()}")


# Where a template names another: {% extends/include/import/from "name" %}, with any
# whitespace control, in parentheses or not (`include("a.html")`, `include"a.html"`), and
# each name of an include list. Jinja's own parse
# (jinja2.meta.find_referenced_templates) finds the same constant names, but parsing
# every template on every build (a no-op one too) cost about 0.1 s; a name this finds
# in a comment only adds a file to the key.
_TEMPLATE_TAG = re.compile(
    r"\{%[-+]?\s*(?:extends|include|import|from)\b\s*\(?\s*"
    r"(\[[^\]]*\]|\"[^\"]*\"|'[^']*')")
_QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def template_closure(environment: jinja2.Environment, name: str) -> list[str]:
    """`name` and every template it extends, imports or includes, sorted."""
    seen: set[str] = set()
    pending = [name]
    assert environment.loader is not None
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        try:
            source, _, _ = environment.loader.get_source(environment, current)
        except jinja2.TemplateNotFound:
            if current == name:
                raise
            continue  # named in a comment, or missing: the render says which
        seen.add(current)
        # Compiled (or taken from the bytecode cache) now, as the render will use it: a
        # syntax error says which file and line before anything is done.
        environment.get_template(current)
        for tag in _TEMPLATE_TAG.finditer(source):
            pending.extend(double or single for double, single in _QUOTED.findall(tag[1]))
    return sorted(seen)


def template_key(environment: jinja2.Environment, name: str, assets: dict[str, str]) -> str:
    """The hash of a page template with everything it pulls in, assets included."""
    assert environment.loader is not None
    parts: list[str | bytes] = []
    for template in template_closure(environment, name):
        source, _, _ = environment.loader.get_source(environment, template)
        parts += [template, source]
    for asset, asset_hash in sorted(assets.items()):
        parts += [asset, asset_hash]
    return digest(*parts)


@dataclass
class OutputRecord:
    key: str
    size: int
    mtime_ns: int
    # Warnings its content raised when rendered (a refused image in a note), so a
    # rebuild that skips the file still reports them.
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def still_there(self, path: Path) -> bool:
        """The file is as we left it (not deleted, not edited by hand)."""
        try:
            status = path.stat()
        except OSError:
            return False
        return status.st_size == self.size and status.st_mtime_ns == self.mtime_ns


@dataclass
class TeamRecord:
    """What the last build learned from one team's files, kept for the next build."""

    key: str  # the hash of every file in the team's folder, the options and versions
    summary: dict[str, Any]  # the team's lines in the index (summary.to_json)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # its files' warnings


@dataclass
class Manifest:
    # Output path (relative to the output folder, with forward slashes) → record.
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    # The hash of every input and option of the last complete build, and the warnings
    # it printed: a build with the same inputs has nothing to do but say them again.
    inputs_key: str = ""
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # Team id → what its files gave last time, so an unchanged team is not read again.
    teams: dict[str, TeamRecord] = field(default_factory=dict)

    @classmethod
    def read_named(cls, folder: Path, name: str = MANIFEST_NAME) -> Manifest:
        """The manifest `name` in `folder`, or an empty one if missing or unreadable."""
        try:
            raw = json.loads((folder / name).read_text(encoding="utf-8"))
            if raw.get("format") != MANIFEST_FORMAT:
                return cls()
            outputs = {path: OutputRecord(**record) for path, record in raw["outputs"].items()}
            teams = {team: TeamRecord(**record) for team, record in raw["teams"].items()}
            manifest = cls(outputs, raw.get("inputs_key", ""), list(raw.get("warnings", [])),
                           teams)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return cls()
        # A manifest edited by hand, or from another tool, is not trusted: anything out
        # of shape and the build starts afresh (rebuilds everything) instead of failing.
        return manifest if manifest.well_formed() else cls()

    def well_formed(self) -> bool:
        """Every field of the type it should be, every output a plain relative path."""
        def text(value: Any) -> bool:
            return isinstance(value, str)

        def whole(value: Any) -> bool:
            return isinstance(value, int) and not isinstance(value, bool)

        return (text(self.inputs_key) and _warnings_ok(self.warnings)
                and all(_output_path_ok(path) and text(record.key) and whole(record.size)
                        and whole(record.mtime_ns) and _warnings_ok(record.warnings)
                        for path, record in self.outputs.items())
                and all(text(team) and text(record.key) and isinstance(record.summary, dict)
                        and _warnings_ok(record.warnings)
                        for team, record in self.teams.items()))

    def to_json(self) -> str:
        # Compact: with an indent, json falls back to its pure-Python encoder, which
        # for a large org costs a third of a second on every build.
        return json.dumps({
            "format": MANIFEST_FORMAT,
            "inputs_key": self.inputs_key,
            "warnings": self.warnings,
            "outputs": {path: vars(record) for path, record in sorted(self.outputs.items())},
            "teams": {team: vars(record) for team, record in sorted(self.teams.items())},
        }, sort_keys=True, separators=(",", ":")) + "\n"


_OUTPUT_PATH = re.compile(r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*")
_WARNING_FIELDS = {"file": str, "line": int, "column": int, "severity": str, "path": str,
                   "message": str}


def _output_path_ok(path: Any) -> bool:
    return (isinstance(path, str) and _OUTPUT_PATH.fullmatch(path) is not None
            and not any(part in (".", "..") for part in path.split("/")))


def _warnings_ok(warnings: Any) -> bool:
    return isinstance(warnings, list) and all(
        isinstance(warning, dict)
        and set(warning) == {*_WARNING_FIELDS, "rep"}
        and all(isinstance(warning[name], kind) and not isinstance(warning[name], bool)
                for name, kind in _WARNING_FIELDS.items())
        and warning["severity"] in ("error", "warning")
        and (warning["rep"] is None or isinstance(warning["rep"], str))
        for warning in warnings)


def summary_ok(summary: Any) -> bool:
    """A team's kept summary can be read back (checked where it is used, since reading
    it needs the models, which a build with nothing to do never imports)."""
    from reportgen.summary import from_json

    try:
        from_json(summary)
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError):
        return False
    return True
