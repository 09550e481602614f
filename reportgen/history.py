"""The workspace's git history: the only module that runs git.

    probe(workspace) -> Probe | Unavailable          one `git rev-parse`: where, which HEAD
    read_history(workspace, cache_file) -> History   the line, every rep file's versions

The *line* is HEAD's first-parent chain. One `git log --first-parent --sparse --raw`
lists every commit of the line (with its `%cs` committer date) and the changes under
`teams/`, renames detected at git's default 50 % whatever the user's diff config; one
`git cat-file --batch-check` sizes the rep file versions not read before and one
`git cat-file --batch` reads those within the 1 MiB limit. Each version becomes a
`Snapshot` (see snapshot.py). A cache file (JSON, keyed on the commit ids) keeps the
parsed line and snapshots, so a rebuild after one more commit reads only that commit.

We call the `git` command rather than a library: it is already on every machine that
has the repository (CI images included), it is what `--follow` is defined by (so our
renames are git's own), it batches well, and it adds no compiled dependency. pygit2
needs libgit2 and has its own rename detection; dulwich's is slower in pure Python;
GitPython shells out to git anyway and is in maintenance mode.
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.forked_pool import forked_pool
from reportgen.i18n import N_, Text
from reportgen.manifest import digest

if TYPE_CHECKING:  # the models load only when history is read, not to plan a build
    from reportgen.snapshot import Snapshot

# The loader's limit; historical versions over it count as absent, unread.
MAX_FILE_BYTES = 1024 * 1024

CACHE_NAME = ".reportgen-history.json"
CACHE_FORMAT = 1
GIT_TIMEOUT_SECONDS = 120
# Fewer versions than this parse faster in one process than by starting workers.
PARALLEL_FROM_VERSIONS = 600

# Every setting that could change what `git log` prints, pinned: renames at git's
# default similarity whatever diff.renames says, no `--follow` from log.follow, no
# signatures or colours mixed into the output.
_GIT_SETTINGS = ("-c", "diff.renames=true", "-c", "diff.renameLimit=0", "-c",
                 "log.follow=false", "-c", "log.showSignature=false", "-c", "color.ui=never",
                 "-c", "core.quotePath=false", "--literal-pathspecs", "--no-replace-objects")
# Variables that would point git at another repository than the one holding the workspace.
_GIT_ENVIRONMENT = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_COMMON_DIR",
                    "GIT_PREFIX")
_REP_FILE = re.compile(r"teams/[^/]+/reps/[^/]+\.yaml")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")

HOW_TO_GET_HISTORY = N_("commit the workspace to git (`git add teams && git commit`) and"
                         " build from the clone with its full history")


class GitFailed(Exception):
    """git could not be run or said no; the history is then unavailable."""


@dataclass(frozen=True)
class Commit:
    sha: str
    day: date  # committer date in the commit's own offset (%cs), never converted


@dataclass(frozen=True)
class Probe:
    """Where the workspace's repository is and which commit HEAD is."""

    top: Path
    prefix: str  # the workspace's folder inside the repository, "" or "a/b/"
    head: str


@dataclass(frozen=True)
class Unavailable:
    """Why there is no history, said so that a manager can fix it (on the terminal, and
    on the scorecard in the team's language)."""

    reason: Text


@dataclass(frozen=True)
class FileHistory:
    """One rep file followed back across renames: from which commit of the line on it
    had which content. `versions` are (commit index, snapshot or None when absent)."""

    versions: tuple[tuple[int, Snapshot | None], ...]
    key: str  # changes whenever any version of the file does

    def state_at(self, commit_index: int | None) -> Snapshot | None:
        if commit_index is None:
            return None
        position = bisect.bisect_right([index for index, _ in self.versions], commit_index)
        return self.versions[position - 1][1] if position else None

    def state_at_head(self, commits: int) -> Snapshot | None:
        return self.state_at(commits - 1)


@dataclass(frozen=True)
class History:
    """The line and every current rep file's versions; `unavailable` says why not."""

    commits: tuple[Commit, ...] = ()
    files: dict[str, FileHistory] = field(default_factory=dict)  # workspace-relative path
    head: str | None = None
    unavailable: Text | str | None = None  # "": no history wanted (no note)
    # What to write back to the cache (None: nothing new to keep).
    cache: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def available(self) -> bool:
        return self.unavailable is None

    def file(self, path: str) -> FileHistory | None:
        return self.files.get(path) if self.available else None

    def commit_at(self, day: date) -> int | None:
        """The newest commit of the line dated ≤ day, in line order (dates may go back)."""
        for index in range(len(self.commits) - 1, -1, -1):
            if self.commits[index].day <= day:
                return index
        return None

    def only(self, folder: str) -> History:
        """The same line with only the files under `folder` (to send to a worker)."""
        return History(self.commits, {path: file for path, file in self.files.items()
                                      if path.startswith(folder)}, self.head, self.unavailable)

    def index_of(self, sha: str) -> int | None:
        return next((index for index, commit in enumerate(self.commits)
                     if commit.sha == sha), None)


def unavailable(reason: Text | str) -> History:
    return History(unavailable=reason)


# ------------------------------------------------------------------------------- git

def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in _GIT_ENVIRONMENT}
    environment.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return environment


def _git(folder: Path, *arguments: str, stdin: bytes | None = None) -> bytes:
    try:
        finished = subprocess.run(
            ["git", *_GIT_SETTINGS, *arguments], cwd=folder, input=stdin,
            capture_output=True, env=_environment(),
            timeout=GIT_TIMEOUT_SECONDS, check=False)
    except FileNotFoundError:
        raise GitFailed("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitFailed(f"git took more than {GIT_TIMEOUT_SECONDS} s") from None
    if finished.returncode != 0:
        raise GitFailed(finished.stderr.decode("utf-8", "replace").strip()
                        or f"git exited with {finished.returncode}")
    return finished.stdout


def probe(workspace: Path) -> Probe | Unavailable:
    """Find the repository holding the workspace (git walks up from it) and HEAD."""
    folder = workspace.resolve()
    try:
        _git(folder, "rev-parse", "--show-toplevel")
    except GitFailed as failure:
        if "not installed" in str(failure):
            return Unavailable(N_("no git history: git is not installed here; install git and"
                                  " %(advice)s", advice=HOW_TO_GET_HISTORY))
        return Unavailable(N_("no git history: the workspace is not in a git repository;"
                              " %(advice)s", advice=HOW_TO_GET_HISTORY))
    try:
        lines = _git(folder, "rev-parse", "--show-toplevel", "--show-prefix",
                     "--is-shallow-repository", "--verify", "HEAD").decode().splitlines()
    except GitFailed:
        return Unavailable(N_("no git history: the repository has no commits yet;"
                              " %(advice)s", advice=HOW_TO_GET_HISTORY))
    if len(lines) != 4 or not _SHA.fullmatch(lines[3]):
        return Unavailable(N_("no git history: git's answer was not understood"))
    top, prefix, shallow, head = lines
    if shallow == "true":
        return Unavailable(N_("no git history: this is a shallow clone; fetch the whole"
                              " history (`git fetch --unshallow`, or `fetch-depth: 0` for"
                              " actions/checkout in CI)"))
    return Probe(Path(top), prefix, head)


@functools.lru_cache(maxsize=8)
def head_files(workspace: Path) -> tuple[str, ...]:
    """Files whose modification time changes whenever HEAD moves (a commit, a pull, a
    checkout): what `reportgen watch` polls, besides the workspace, to notice history."""
    try:
        lines = _git(workspace.resolve(), "rev-parse", "--absolute-git-dir").decode()
    except GitFailed:
        return ()
    git_dir = Path(lines.strip())
    return (str(git_dir / "HEAD"), str(git_dir / "logs" / "HEAD"))


def resolve_revision(workspace: Path, revision: str) -> str | None:
    """The full commit id `revision` names, or None when it names no commit."""
    try:
        answer = _git(workspace.resolve(), "rev-parse", "--verify", "--quiet",
                      "--end-of-options", revision + "^{commit}")
    except GitFailed:
        return None
    sha = answer.decode().strip()
    return sha if _SHA.fullmatch(sha) else None


# A change under teams/: (status letter, old path, new path, new blob or None).
Change = tuple[str, str | None, str, str | None]


def _read_line(probe_: Probe, since: str | None) -> list[tuple[str, str, str, list[Change]]]:
    """(sha, %cs date, first parent, changes) per commit of the line, oldest first;
    after `since` only, when given."""
    arguments = ["log", "--first-parent", "--sparse", "--diff-merges=first-parent", "-M50%",
                 "--raw", "-z", "--no-abbrev", "--no-color", "--no-ext-diff",
                 "--format=tformat:%H %cs %P"]
    arguments.append(f"{since}..{probe_.head}" if since else probe_.head)
    arguments += ["--", probe_.prefix + "teams/"]
    output = _git(probe_.top, *arguments).decode("utf-8", "surrogateescape")
    commits: list[tuple[str, str, str, list[Change]]] = []
    tokens = output.split("\0")
    position = 0
    while position < len(tokens):
        token = tokens[position].lstrip("\n")
        position += 1
        if not token:
            continue
        if token.startswith(":"):
            # :old-mode new-mode old-blob new-blob STATUS, then one path (two for R/C).
            fields = token[1:].split(" ")
            status = fields[4][:1]
            blob = fields[3] if status != "D" else None
            if status in "RC":
                old, new = tokens[position], tokens[position + 1]
                position += 2
            else:
                old, new = None, tokens[position]
                position += 1
            if commits:
                commits[-1][3].append((status, old, new, blob))
            continue
        sha, _, rest = token.partition(" ")
        day, _, parents = rest.partition(" ")
        commits.append((sha, day, parents.split(" ")[0] if parents else "", []))
    commits.reverse()
    return commits


def _blob_texts(top: Path, blobs: list[str]) -> dict[str, str | None]:
    """The text of each blob within the size limit (None: too big, binary or not UTF-8),
    sized with --batch-check before any is read."""
    if not blobs:
        return {}
    sizes: dict[str, int] = {}
    for line in _git(top, "cat-file", "--batch-check", stdin="\n".join(blobs).encode()
                     + b"\n").decode().splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[1] == "blob":
            sizes[parts[0]] = int(parts[2])
    readable = [blob for blob in blobs if sizes.get(blob, MAX_FILE_BYTES + 1) <= MAX_FILE_BYTES]
    texts: dict[str, str | None] = dict.fromkeys(blobs)
    if not readable:
        return texts
    output = _git(top, "cat-file", "--batch", stdin="\n".join(readable).encode() + b"\n")
    position = 0
    for _ in readable:
        header_end = output.index(b"\n", position)
        sha, _kind, size = output[position:header_end].decode().split(" ")
        start = header_end + 1
        content = output[start:start + int(size)]
        position = start + int(size) + 1
        try:
            texts[sha] = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            texts[sha] = None
    return texts


def _parse_texts(texts: dict[str, str | None], may_fork: bool) -> dict[str, Snapshot | None]:
    from reportgen.snapshot import snapshot_from_text

    readable = [(blob, text) for blob, text in texts.items() if text is not None]
    parsed: dict[str, Snapshot | None] = dict.fromkeys(texts)
    workers = min(os.cpu_count() or 1, 4)
    if (may_fork and workers > 1 and len(readable) >= PARALLEL_FROM_VERSIONS
            and sys.platform == "linux"):
        # fork: the workers have the models imported already and start in milliseconds.
        with forked_pool(workers) as pool:
            results = pool.map(snapshot_from_text, [text for _, text in readable],
                               chunksize=64)
        parsed.update(zip([blob for blob, _ in readable], results, strict=True))
    else:
        parsed.update((blob, snapshot_from_text(text)) for blob, text in readable)
    return parsed


# ----------------------------------------------------------------------------- cache

def _load_cache(cache_file: Path | None, probe_: Probe) -> dict[str, Any] | None:
    if cache_file is None:
        return None
    try:
        check, _, text = cache_file.read_text(encoding="utf-8").partition("\n")
        # A cache cut short or damaged (a disk full, a CI cache half restored) is ignored.
        if digest(text) != check:
            return None
        raw = json.loads(text)
    except (OSError, ValueError):
        return None
    if (not isinstance(raw, dict) or raw.get("format") != CACHE_FORMAT
            or raw.get("prefix") != probe_.prefix or not isinstance(raw.get("line"), list)
            or not isinstance(raw.get("snapshots"), dict)):
        return None
    return raw


def write_cache(cache_file: Path, history: History | None) -> None:
    """Keep what this read found, for the next one (called once a build succeeded)."""
    from reportgen import atomic

    if history is not None and history.cache is not None:
        text = json.dumps(history.cache, separators=(",", ":"))
        atomic.write_text(cache_file, digest(text) + "\n" + text)


# ------------------------------------------------------------------------------ read

def read_history(workspace: Path, cache_file: Path | None = None,
                 found: Probe | Unavailable | None = None, *, may_fork: bool = True
                 ) -> History:
    """Every current rep file's versions along the line. Never raises for git trouble:
    the history is then unavailable, with the reason. `may_fork`: False in a process
    with threads running (a watch keeps PDF worker threads), where forking is unsafe."""
    found = found if found is not None else probe(workspace)
    if isinstance(found, Unavailable):
        return unavailable(found.reason)
    cache = _load_cache(cache_file, found)
    try:
        try:
            return _read(found, cache, may_fork)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            if cache is None:
                raise
            return _read(found, None, may_fork)  # a cache not as we write it: read afresh
    except GitFailed as failure:
        return unavailable(N_("no git history: git failed (%(reason)s)",
                              reason=_first_line(str(failure))))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return unavailable(N_("no git history: git's answer was not understood"))


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else "no message"


def _read(found: Probe, cache: dict[str, Any] | None, may_fork: bool) -> History:
    from reportgen.snapshot import from_json, to_json

    line: list[list[Any]] | None = None
    snapshots_json: dict[str, Any] = {}
    if cache is not None:
        snapshots_json = cache["snapshots"]
        cached_line = cache["line"]
        if cache.get("head") == found.head:
            line = cached_line
        elif cached_line and isinstance(cache.get("head"), str):
            try:
                newer = _read_line(found, cache["head"])
            except GitFailed:
                # The cached head is not in this repository (history rewritten, e.g. by
                # `git filter-repo`, or the output folder came from another clone).
                newer = []
            # Usable only when the new commits continue the cached line.
            if newer and newer[0][2] == cache["head"]:
                line = cached_line + [list(commit) for commit in newer]
    if line is None:
        line = [list(commit) for commit in _read_line(found, None)]
    commits = tuple(Commit(sha, date.fromisoformat(day)) for sha, day, _, _ in line)
    lineages = _follow(found.prefix, line)

    needed = sorted({blob for versions in lineages.values() for _, blob in versions
                     if blob is not None})
    snapshots: dict[str, Snapshot | None] = {}
    missing = []
    for blob in needed:
        if blob in snapshots_json:
            try:
                snapshots[blob] = from_json(snapshots_json[blob])
                continue
            except (ValueError, TypeError, IndexError, KeyError):
                pass
        missing.append(blob)
    snapshots.update(_parse_texts(_blob_texts(found.top, missing), may_fork))

    files = {}
    for path, versions in lineages.items():
        key = digest(*(f"{commits[index].sha}:{commits[index].day}:{blob}"
                       for index, blob in versions))
        files[path[len(found.prefix):]] = FileHistory(
            tuple((index, snapshots.get(blob) if blob else None) for index, blob in versions),
            key)
    fresh = {"format": CACHE_FORMAT, "prefix": found.prefix, "head": found.head,
             "line": line, "snapshots": {blob: to_json(snapshots[blob]) for blob in needed}}
    changed = cache is None or cache.get("head") != found.head or bool(missing)
    return History(commits, files, found.head, cache=fresh if changed else None)


def _follow(prefix: str, line: list[list[Any]]) -> dict[str, list[tuple[int, str | None]]]:
    """Each rep file at HEAD (repository path) → its versions (commit index, blob or None
    when deleted), followed back across renames and moves the way `--follow` does."""
    lineages: list[list[tuple[int, str | None]]] = []
    current: dict[str, int] = {}  # path at this commit → lineage
    deleted: dict[str, int] = {}  # path → lineage last seen there (re-added: same file)

    def is_rep(path: str | None) -> bool:
        return (path is not None and path.startswith(prefix)
                and _REP_FILE.fullmatch(path[len(prefix):]) is not None)

    def start(path: str) -> int:
        lineage = deleted.pop(path, None)
        if lineage is None:
            lineages.append([])
            lineage = len(lineages) - 1
        current[path] = lineage
        return lineage

    for index, (_, _, _, changes) in enumerate(line):
        for status, old, new, blob in changes:
            if status == "R":
                lineage = current.pop(old, None) if old is not None and is_rep(old) else None
                if not is_rep(new):  # moved out of the rep files: gone from here
                    if lineage is not None and old is not None:
                        lineages[lineage].append((index, None))
                        deleted[old] = lineage
                    continue
                if lineage is None:
                    lineage = start(new)
                current[new] = lineage
                lineages[lineage].append((index, blob))
            elif not is_rep(new):
                continue
            elif status == "D":
                lineage = current.pop(new, None)
                if lineage is not None:
                    lineages[lineage].append((index, None))
                    deleted[new] = lineage
            else:  # A, M, T, C, or a rename from outside the rep files
                lineage = current.get(new)
                if lineage is None:
                    lineage = start(new)
                lineages[lineage].append((index, blob))
    return {path: lineages[lineage] for path, lineage in current.items()}
