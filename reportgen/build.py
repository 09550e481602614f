"""`reportgen build`: what to build, what can be skipped, and writing it safely.

    build(workspace, options) -> BuildReport

1. Fingerprint every input (file bytes, templates, options, date, versions). If the
   output folder's manifest says the last build had exactly these, there is nothing to
   do: no YAML is even parsed.
2. Plan the outputs from the folder listing alone and decide which are out of date;
   start that many PDF workers (at most --jobs), which load WeasyPrint meanwhile.
3. Check the teams: a team whose files are unchanged since the last build keeps the
   summary and warnings the manifest recorded; every other team is read, checked and
   analysed now. Invalid data anywhere raises DataError before anything is written.
   With --strict, any warning fails the build here.
4. Render team by team (one team in memory at a time): HTML here, written to temporary
   files; each PDF page's HTML goes to a worker as soon as it is ready. The index is
   made from every team's summary.
5. Only when everything succeeded are the temporary files renamed into place; outputs
   of reps and teams that no longer exist are removed; the manifest is written last.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from reportgen import atomic
from reportgen.assets import asset_digests, asset_file, asset_names, assets_key
from reportgen.forked_pool import forked_pool
from reportgen.history import Probe, Unavailable
from reportgen.layout import TEAMS_FOLDER, rep_paths, team_folders
from reportgen.links import check_template_links
from reportgen.manifest import (
    Manifest,
    OutputRecord,
    TeamRecord,
    digest,
    summary_ok,
    template_key,
    tool_versions,
)
from reportgen.output_lock import locked
from reportgen.pdf_workers import default_jobs
from reportgen.problems import DataError, Problem, Severity, format_path
from reportgen.render import Page, Renderer, document_date

if TYPE_CHECKING:
    from reportgen.analysis import TeamAnalysis
    from reportgen.history import History
    from reportgen.pdf_workers import PdfWorkers, WorkerTimedOut
    from reportgen.timeline import Baseline


FORMATS = ("html", "pdf")
# --rep takes REP or TEAM/REP, each an id (fields.SLUG, written out here: importing
# fields would load pydantic on builds with nothing to do).
REP_SELECTOR = re.compile(r"(?:[a-z0-9][a-z0-9-]*/)?[a-z0-9][a-z0-9-]*")


class SelectionError(Exception):
    """A --team or --rep that names nothing in the workspace (a usage error)."""


class BuildError(Exception):
    """The build failed while rendering; every output is still old or new, never half."""


class MissingLibrariesError(BuildError):
    """WeasyPrint's system libraries are missing; the message says what to install."""


@dataclass(frozen=True)
class BuildOptions:
    as_of: date
    out: Path | None = None
    formats: tuple[str, ...] = FORMATS
    teams: tuple[str, ...] = ()
    reps: tuple[str, ...] = ()
    jobs: int | None = None
    strict: bool = False
    paper: str | None = None
    force: bool = False
    shard: tuple[int, int] | None = None  # (k, n): build the k-th of n slices of plans
    only_index: bool = False  # the final step after shards: scorecards, index, assets
    since: str | None = None  # --since DATE|REV: the baseline of every plan's "since"
    pdf_time_limit: float | None = None  # seconds per PDF (None: pdf_workers' default)
    locale: str | None = None  # --locale: every page in this locale, whatever team.yaml says
    index_locale: str = "en_US"  # --index-locale: the index's locale


@dataclass
class BuildReport:
    out: Path
    built: list[str] = field(default_factory=list)
    skipped: int = 0
    removed: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    nothing_to_do: bool = False


# Called as ("start", total to render), then ("rendered", output) as each is rendered,
# ("built", output) as it is put in place and ("removed", output).
Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class _Planned:
    """One output file to consider: where it goes, its key, how to render it."""

    output: str
    kind: str  # "plan", "scorecard", "index"
    format: str
    key: str
    team: str | None = None  # team id (None: the index)
    rep: str | None = None  # rep id, for a plan
    source: str = ""  # the file it comes from, for messages


def output_folder(workspace: Path, options: BuildOptions) -> Path:
    out = (options.out if options.out is not None else workspace / "output").resolve()
    root = workspace.resolve()
    # Resolved: teams/ or templates/ may be links (to folders inside the workspace).
    own_folders = [(workspace / name).resolve() for name in (TEAMS_FOLDER, "templates")]
    if out == root or root.is_relative_to(out) or any(
            out.is_relative_to(folder) or folder.is_relative_to(out) for folder in own_folders):
        raise SelectionError(f"--out {out} would write over the workspace's own files;"
                             " choose a folder of its own")
    return out


def build(workspace: Path, options: BuildOptions, progress: Progress | None = None,
          workers: PdfWorkers | None = None, *, publish_early: bool = False) -> BuildReport:
    """Build what is out of date. `workers`: PDF workers kept warm by the caller between
    builds (`reportgen watch`); by default the build starts its own and stops them.

    `publish_early` (`reportgen watch`): each PDF is renamed into place as soon as it is
    rendered, so the edited rep's plan does not wait for the team's scorecard; the old
    file is kept under a temporary name and put back if the build fails, so a failed
    build still leaves every output as it was (a reader may see the new PDF meanwhile).
    The HTML, assets and manifest are put in place at the end as always."""
    note = progress or (lambda action, output: None)
    out = output_folder(workspace, options)
    try:
        with locked(out, lambda: note("waiting", str(out))):
            # Whatever a killed build left; no other build is writing here now.
            atomic.remove_leftovers(out)
            try:
                return _build(workspace, options, note, workers, publish_early)
            except jinja2.TemplateError as error:
                # Templates are only read and rendered before anything is written.
                raise BuildError(_template_problem(error, workspace)) from None
            except BaseException:
                # A worker killed mid-document (Ctrl-C, SIGTERM, a failure) may have
                # left its temporary file.
                atomic.remove_leftovers(out)
                raise
    except OSError as error:
        # The environment, not the data or reportgen: unreadable, read-only, full.
        raise BuildError(_environment_problem(error, workspace, out)) from None


def _environment_problem(error: OSError, workspace: Path, out: Path) -> str:
    """A file system problem said in one line: which file, what went wrong."""
    where = ""
    if error.filename:
        path = Path(os.fsdecode(error.filename))
        for root in (workspace.resolve(), out):
            with contextlib.suppress(ValueError):
                where = path.resolve().relative_to(root).as_posix() + ": "
                break
        where = where or f"{path}: "
    reason = error.strerror or type(error).__name__
    return f"{where}{reason.lower()}; nothing was changed in {out}"


@dataclass
class _Run:
    """One build: its inputs, its output folder, and what it has decided so far."""

    workspace: Path
    options: BuildOptions
    note: Progress
    started: float
    out: Path
    renderer: Renderer
    fingerprints: _Fingerprints
    manifest_name: str
    manifest: Manifest
    # The git history, read once the build knows it has work to do.
    history: History | None = None
    since: Baseline | None = None
    publish_early: bool = False
    # The one team this build checked, analysed (team id, its key, the analysis): its
    # pages are rendered from it instead of reading and analysing it a second time.
    analysed: tuple[str, str, TeamAnalysis] | None = None


def _build(workspace: Path, options: BuildOptions, note: Progress,
           kept_workers: PdfWorkers | None, publish_early: bool = False) -> BuildReport:
    started = time.perf_counter()
    out = output_folder(workspace, options)
    check_template_links(workspace)
    try:
        document_date(options.as_of)
    except ValueError as error:
        raise BuildError(f"{error}; nothing was written") from None
    renderer = Renderer(workspace, target="html", paper=options.paper)
    manifest_name = _manifest_name(options)
    run = _Run(workspace, options, note, started, out,
               renderer, _fingerprint(workspace, renderer, options), manifest_name,
               Manifest.read_named(out, manifest_name), publish_early=publish_early)
    manifest = run.manifest
    if (not options.force and manifest.inputs_key == run.fingerprints.everything
            and all(record.still_there(out / path)
                    for path, record in manifest.outputs.items())):
        warnings = [Problem(**_warning_fields(w)) for w in manifest.warnings]
        if options.strict and warnings:
            raise DataError([replace(w, severity=Severity.ERROR) for w in warnings],
                            "; --strict: nothing was written.")
        return BuildReport(out, skipped=len(manifest.outputs), warnings=warnings,
                           seconds=time.perf_counter() - started, nothing_to_do=True)

    from reportgen.pdf_workers import PdfWorkers

    asset_folders = [folder / "assets" for folder in renderer.folders]
    if kept_workers is not None:
        # Workers parse the stylesheet once: new assets need new workers.
        kept_workers.use(asset_folders, assets_key(run.fingerprints.assets))
        return _build_changed(run, kept_workers)
    with PdfWorkers(asset_folders, default_jobs(options.jobs),
                    **worker_time_limit(options)) as workers:
        return _build_changed(run, workers)


def worker_time_limit(options: BuildOptions) -> dict[str, float]:
    return {} if options.pdf_time_limit is None else {"time_limit": options.pdf_time_limit}


def _build_changed(run: _Run, workers: PdfWorkers) -> BuildReport:
    options, out, note, manifest = run.options, run.out, run.note, run.manifest
    report = BuildReport(out)
    may_fork = not workers.threads  # decided before any worker thread of ours starts
    if "pdf" in options.formats:
        # There is work to do (this is no no-op build), and PDFs are likely among it:
        # one worker starts loading WeasyPrint now (and forks the others), while this
        # process imports what it needs, reads the history and checks the files; a
        # worker with nothing to do is killed at the end.
        workers.start(workers.jobs)
    from reportgen.analysis import SinceError, history_problems, since_baseline
    from reportgen.history import CACHE_NAME, read_history, write_cache

    run.history = read_history(run.workspace, out / CACHE_NAME, run.fingerprints.git,
                               may_fork=may_fork)
    try:
        run.since = since_baseline(run.workspace, run.history, options.since)
    except SinceError as error:
        raise SelectionError(str(error)) from None
    history_key = _history_keys(run.history, run.since)
    listing = _list_teams(run.workspace, run.fingerprints, history_key)
    selected = _select(listing, options)
    planned = _plan_outputs(listing, selected, run.fingerprints, options, history_key)
    todo = [item for item in planned if options.force or not _unchanged(item, manifest, out)]
    report.skipped = len(planned) - len(todo)

    # Forking is safe only while this process has no other threads (a watch keeps the
    # workers' threads between builds).
    records = _check_teams(run, listing, may_fork=may_fork)
    # Reps who have left get no plan (the folder listing could not know): drop theirs.
    gone = _departed(records)
    planned = [item for item in planned if (item.team, item.rep) not in gone]
    todo = [item for item in todo if (item.team, item.rep) not in gone]
    report.skipped = len(planned) - len(todo)
    warnings = sorted({*(Problem(**_warning_fields(raw)) for record in records.values()
                         for raw in record.warnings),
                       *_kept_warnings(manifest, planned, todo),
                       *history_problems(run.history, [file for team in listing
                                                       for _, file in team.reps]),
                       *locale_option_problems(options)})
    if options.strict and warnings:
        raise DataError([replace(w, severity=Severity.ERROR) for w in warnings],
                        "; --strict: nothing was written.")

    _refuse_links_in_output(out, [item.output for item in todo] + ["_assets/"])
    note("start", str(len(todo)))
    rendered = _Rendered(out)
    try:
        _render(run, listing, records, todo, workers, rendered)
        if options.strict and rendered.warnings:
            raise DataError([replace(w, severity=Severity.ERROR) for w in rendered.warnings],
                            "; --strict: nothing was written.")
        warnings = sorted({*warnings, *rendered.warnings})
        # Everything rendered. The assets and the manifest are written to temporary
        # files too before anything is renamed into place, so that a full disk or a
        # read-only folder fails here with the output folder as it was.
        new_manifest = Manifest(dict(manifest.outputs), teams=records)
        asset_outputs = _stage_assets(out, run.renderer, options, manifest, new_manifest,
                                      rendered)
        for item in todo:
            new_manifest.outputs[item.output] = _record(
                rendered.path_of(item.output), item.key,
                rendered.by_output.get(item.output, []))
        alive = _alive_outputs(listing, run.renderer) - {
            f"{team}/reps/{rep}.{fmt}" for team, rep in gone for fmt in FORMATS}
        stale = _stale_outputs(out, alive, new_manifest)
        new_manifest.inputs_key = run.fingerprints.everything
        new_manifest.warnings = [_warning_json(w) for w in warnings]
        rendered.temporaries[run.manifest_name] = atomic.write_temporary(
            out / run.manifest_name, new_manifest.to_json().encode("utf-8"))
    except BaseException:
        rendered.discard()
        raise
    # Now put it in place: renames only, the manifest last.
    rendered.commit(last=run.manifest_name)
    for output in [item.output for item in todo] + asset_outputs:
        report.built.append(output)
        note("built", output)
    report.removed = _remove_stale(out, stale, note)
    # The history cache only saves time: written after the outputs, never needed by them.
    write_cache(out / CACHE_NAME, run.history)
    report.warnings = warnings
    report.seconds = time.perf_counter() - run.started
    return report


def _refuse_links_in_output(out: Path, outputs: list[str]) -> None:
    """Nothing is written through a link inside the output folder: a linked
    `output/<team>` could point anywhere. Raises BuildError naming it."""
    checked: set[str] = set()
    for output in outputs:
        parts = output.rstrip("/").split("/")
        for depth in range(1, len(parts) + (1 if output.endswith("/") else 0)):
            folder = "/".join(parts[:depth])
            if folder in checked:
                continue
            checked.add(folder)
            if (out / folder).is_symlink():
                raise BuildError(f"{out / folder} is a symbolic link: reportgen writes only"
                                 " into real folders inside the output folder; remove the"
                                 " link; nothing was written")


def _template_problem(error: jinja2.TemplateError, workspace: Path) -> str:
    """A template mistake (in a workspace override, usually), said like a data error."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{_template_name(error.filename, workspace) or error.name}:{error.lineno}"
        return f"{where}: template error: {error.message}; nothing was written"
    found = _template_frame(error, workspace)
    if found is not None:
        return f"{found}: template error: {error.message}; nothing was written"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template not found: {error.name}; nothing was written"
    return f"template error: {error.message}; nothing was written"


def _template_name(filename: str | None, workspace: Path) -> str | None:
    """`templates/x.html` for a workspace template, the bare name for a built-in one."""
    if not filename:
        return None
    path = Path(filename).resolve()
    own = (workspace / "templates").resolve()
    if path.is_relative_to(own):
        return "templates/" + path.relative_to(own).as_posix()
    return path.name


def _template_frame(error: BaseException, workspace: Path) -> str | None:
    """`templates/x.html:LINE` of the innermost workspace template running when `error`
    was raised (Jinja maps its frames to template lines), or None if it came from
    reportgen's own code and templates."""
    own = (workspace / "templates").resolve()
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith((".html", ".jinja", ".j2")) and Path(
                frame.filename).resolve().is_relative_to(own):
            found = f"{_template_name(frame.filename, workspace)}:{frame.lineno}"
    return found


def _workspace_template_error(error: Exception, workspace: Path) -> BuildError | None:
    """A workspace template that fails while a page renders ({{ 1/0 }}, including
    itself, a missing variable) is the template's mistake: one line, exit 1."""
    if isinstance(error, RecursionError):
        where = _template_frame(error, workspace)
        reason = "it includes or extends itself, endlessly"
    else:
        where = _template_frame(error, workspace)
        reason = f"{type(error).__name__}: {error}"
    if where is None:
        return None
    return BuildError(f"{where}: template error: {reason}; nothing was written")


# --------------------------------------------------------------------------- fingerprints

@dataclass(frozen=True)
class _Fingerprints:
    files: dict[str, str]  # workspace-relative path → content hash
    templates: dict[str, str]  # page template → hash of it, what it pulls in, the assets
    assets: dict[str, str]  # asset name → content hash
    options: str
    everything: str
    git: Probe | Unavailable  # the repository and HEAD the history comes from


def _fingerprint(workspace: Path, renderer: Renderer, options: BuildOptions) -> _Fingerprints:
    files = input_fingerprints(workspace)
    assets = asset_digests(renderer.folders)
    environment = renderer.environment
    templates = {name: template_key(environment, name, assets)
                 for name in ("plan.html", "scorecard.html", "index.html")}
    from reportgen.history import probe

    # One `git rev-parse`: a new commit (or none) makes the build look further, while
    # each output's own key says which commits it read.
    git = probe(workspace)
    option_text = repr((tool_versions(), options.as_of.isoformat(), options.paper,
                        sorted(options.formats), os.environ.get("SOURCE_DATE_EPOCH", ""),
                        options.since, options.locale, options.index_locale))
    head = git.head if isinstance(git, Probe) else str(git.reason)
    everything = digest(option_text, repr(sorted(files.items())), repr(sorted(templates.items())),
                        repr((sorted(options.teams), sorted(options.reps), options.shard,
                              options.only_index)), head)
    return _Fingerprints(files, templates, assets, digest(option_text), everything, git)


def _history_keys(history: History | None, since: Baseline | None) -> Callable[[str], str]:
    """rep file → what an output read of its history: its versions (commits and blobs)
    or why there are none, and the --since baseline it was compared with."""
    if history is None:
        return lambda file: ""
    baseline = "" if since is None else f"{since.day}:" + (
        history.commits[since.commit_index].sha if since.commit_index is not None else "")

    def key(file: str) -> str:
        found = history.file(file)
        return (found.key if found is not None else f"none: {history.unavailable}") + (
            baseline)

    return key


def _no_history(file: str) -> str:
    return ""


def input_fingerprints(workspace: Path) -> dict[str, str]:
    """Workspace-relative path → hash, for every file a load reads (team.yaml and the
    rep files) and, by name only, every other file in the team and reps folders (a
    rename can change what the load says). Other files are never opened: a large file
    left in a team folder costs nothing; a rep file over the size limit is hashed by
    size and time only (the load refuses it), so memory stays flat whatever is there."""
    files: dict[str, str] = {}
    teams_dir = workspace / TEAMS_FOLDER
    if not teams_dir.is_dir():
        return files
    for team_dir in sorted(teams_dir.iterdir()):
        if team_dir.name.startswith(".") or not team_dir.is_dir():
            continue
        if team_dir.is_symlink():  # refused by the load; never read through
            files[f"{TEAMS_FOLDER}/{team_dir.name}"] = "a link"
            continue
        entries = [*sorted(team_dir.iterdir())]
        reps_dir = team_dir / "reps"
        if reps_dir.is_dir() and not reps_dir.is_symlink():
            entries += sorted(reps_dir.iterdir())
        for path in entries:
            read = path.name == "team.yaml" if path.parent == team_dir else (
                path.suffix == ".yaml")
            files[path.relative_to(workspace).as_posix()] = (
                file_fingerprint(path) if read else "name only")
    return files


def file_fingerprint(path: Path) -> str:
    """The hash of a file read in chunks, at most MAX_FILE_BYTES of it (a longer file
    is keyed by its size and time: the load refuses it anyway). Never follows a link."""
    from reportgen.yamlfile import MAX_FILE_BYTES

    try:
        status = path.lstat()
        if not stat.S_ISREG(status.st_mode):
            return f"not a file: {stat.S_IFMT(status.st_mode)} {status.st_mtime_ns}"
        if status.st_size > MAX_FILE_BYTES:
            return f"too large: {status.st_size} {status.st_mtime_ns}"
        hasher = hashlib.sha256()
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 16):
                hasher.update(chunk)
                if stream.tell() > MAX_FILE_BYTES:
                    return f"too large: grew past the limit {status.st_mtime_ns}"
        return hasher.hexdigest()
    except OSError as error:
        return f"unreadable: {error.errno}"


def _manifest_name(options: BuildOptions) -> str:
    from reportgen.manifest import MANIFEST_NAME

    if options.shard is None:
        return MANIFEST_NAME
    shard, shards = options.shard
    return MANIFEST_NAME.replace(".json", f"-shard-{shard}-of-{shards}.json")


def _unchanged(item: _Planned, manifest: Manifest, out: Path) -> bool:
    record = manifest.outputs.get(item.output)
    return record is not None and record.key == item.key and record.still_there(out / item.output)


def locale_option_problems(options: BuildOptions) -> list[Problem]:
    """One warning when `--locale` (or, without it, `--index-locale`) names a language
    reportgen has no catalogue for: those pages' words stay English, their figures and
    dates read in the locale. A team's own `locale` warns on its line instead."""
    from reportgen.workspace import untranslated_locale

    option, locale = (("--locale", options.locale) if options.locale is not None
                      else ("--index-locale", options.index_locale))
    untranslated = untranslated_locale(locale)
    if untranslated is None:
        return []
    # Line 0: the problem is with an option, which is no file (printed `--locale it_IT: …`).
    return [Problem(f"{option} {locale}", 0, 0, Severity.WARNING, "-", untranslated)]


def _record(path: Path, key: str, warnings: list[Problem]) -> OutputRecord:
    status = path.stat()
    return OutputRecord(key, status.st_size, status.st_mtime_ns,
                        [_warning_json(w) for w in sorted(set(warnings))])


def _kept_warnings(manifest: Manifest, planned: list[_Planned], todo: list[_Planned]
                   ) -> list[Problem]:
    """Render-time warnings of outputs not rendered this time, as recorded last time."""
    fresh = {item.output for item in todo}
    kept = []
    for item in planned:
        record = manifest.outputs.get(item.output)
        if item.output not in fresh and record is not None:
            kept.extend(Problem(**_warning_fields(w)) for w in record.warnings)
    return kept


def _warning_json(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "column": problem.column,
            "severity": str(problem.severity), "path": problem.path,
            "message": problem.message, "rep": problem.rep}


def _warning_fields(raw: dict[str, Any]) -> dict[str, Any]:
    return {**raw, "severity": Severity(raw["severity"])}


# -------------------------------------------------------------------------------- teams

@dataclass(frozen=True)
class _TeamListing:
    """A team as its folder shows it, before any file is read."""

    id: str
    folder: Path
    file: str  # workspace-relative, like every file name in messages and fingerprints
    reps: tuple[tuple[str, str], ...]  # (rep id, rep file), sorted by file name
    key: str  # every file in the folder, the options and the versions


def _list_teams(workspace: Path, prints: _Fingerprints,
                history_key: Callable[[str], str] = _no_history) -> list[_TeamListing]:
    """The teams and reps a load would find (the same folders and file names)."""
    listing = []
    for folder in team_folders(workspace):
        prefix = f"{TEAMS_FOLDER}/{folder.name}/"
        reps = tuple((path.stem, prefix + "reps/" + path.name) for path in rep_paths(folder)
                     if path.suffix == ".yaml")
        files = [part for path, file_hash in sorted(prints.files.items())
                 if path.startswith(prefix) for part in (path, file_hash)]
        histories = [history_key(file) for _, file in reps]
        listing.append(_TeamListing(folder.name, folder, prefix + "team.yaml", reps,
                                    digest(prints.options, *files, *histories)))
    return listing


def _check_teams(run: _Run, listing: list[_TeamListing], may_fork: bool
                 ) -> dict[str, TeamRecord]:
    """Every team's summary and warnings: kept from the last build where the team's files
    are unchanged, else read, checked and analysed now. Raises DataError (all problems)
    before anything is written."""
    from reportgen.analysis import PARALLEL_FROM_REPS

    records: dict[str, TeamRecord] = {}
    jobs = []
    for team in listing:
        kept = run.manifest.teams.get(team.id)
        if kept is not None and kept.key == team.key and not run.options.force and (
                summary_ok(kept.summary)):
            records[team.id] = kept
        else:
            jobs.append((run.workspace, team, run.options.as_of,
                         _team_history(run.history, team), run.since))
    processes = min(len(jobs), os.cpu_count() or 1)
    if may_fork and processes > 1 and (
            sum(len(job[1].reps) for job in jobs) >= PARALLEL_FROM_REPS):
        # fork: the children have the models imported already and start in milliseconds;
        # only problems and summaries come back, which are cheap to send.
        with forked_pool(processes) as pool:
            results = pool.map(_check_team, jobs, chunksize=max(1, len(jobs) // (4 * processes)))
    elif len(jobs) == 1:
        # One team (a rep's edit): its analysis is kept for rendering. With more, each is
        # read again when rendered, so that only one team is in memory at a time.
        found, record, analysis = _check_team_keeping(jobs[0])
        results = [(found, record)]
        if analysis is not None:
            run.analysed = (jobs[0][1].id, jobs[0][1].key, analysis)
    else:
        results = [_check_team(job) for job in jobs]
    problems = [problem for found, _ in results for problem in found]
    records.update((record_id, record) for _, (record_id, record) in results
                   if record is not None)
    if any(problem.is_error for problem in problems):
        raise DataError(sorted(problems), "; nothing was written.")
    return records


def _departed(records: dict[str, TeamRecord]) -> set[tuple[str | None, str | None]]:
    """(team id, rep id) of every rep who has left, from the teams' summaries."""
    return {(team_id, rep["id"]) for team_id, record in records.items()
            for rep in record.summary["reps"] if rep.get("departed")}


def _team_history(history: History | None, team: _TeamListing) -> History | None:
    # Only the team's own files travel to a worker process.
    return history.only(f"{TEAMS_FOLDER}/{team.id}/") if history is not None else None


_CheckJob = tuple[Path, "_TeamListing", date, "History | None", "Baseline | None"]


def _check_team(job: _CheckJob) -> tuple[list[Problem], tuple[str, TeamRecord | None]]:
    """One team read, checked and analysed: its problems, and its record if valid."""
    found, record, _ = _check_team_keeping(job)
    return found, record


def _check_team_keeping(job: _CheckJob) -> tuple[list[Problem], tuple[str, TeamRecord | None],
                                                  TeamAnalysis | None]:
    """`_check_team`, and the analysis (None if the team is invalid)."""
    from reportgen.analysis import analyse_team
    from reportgen.summary import summarise, to_json
    from reportgen.workspace import load_team

    workspace, team, as_of, history, since = job
    team_file, found = load_team(workspace, team.folder)
    if team_file is None or any(problem.is_error for problem in found):
        return found, (team.id, None), None
    analysis = analyse_team(team_file, as_of, history, since)
    from reportgen.views import note_warnings

    # The notes' warnings too (an image not embedded…), as `validate` gives them: so
    # --strict stops on them before anything renders, with every warning listed.
    team_warnings = [*found, *analysis.warnings,
                     *(w for rep in analysis.reps for w in rep.warnings),
                     *(w for rep in analysis.active_reps
                       for w in note_warnings(analysis, rep, as_of))]
    return found, (team.id, TeamRecord(team.key, to_json(summarise(analysis)),
                                       [_warning_json(w) for w in sorted(team_warnings)])
                   ), analysis


# ------------------------------------------------------------------------------ selection

def _select(listing: list[_TeamListing], options: BuildOptions
            ) -> dict[str, set[str] | None]:
    """team id → the rep ids to build (None: all of them). Raises SelectionError."""
    teams = {team.id: team for team in listing}
    for team_id in options.teams:
        if team_id not in teams:
            raise SelectionError(f"--team {team_id}: no such team (teams: "
                                 f"{', '.join(sorted(teams)) or 'none'})")
    chosen: dict[str, set[str] | None] = {team_id: None for team_id in options.teams}
    for wanted in options.reps:
        if not REP_SELECTOR.fullmatch(wanted):
            raise SelectionError(f"--rep {wanted}: write REP or TEAM/REP (ids: lowercase"
                                 " letters, digits and dashes)")
        team_part, _, rep_part = wanted.rpartition("/")
        matches = [(team.id, rep_id) for team in listing for rep_id, _ in team.reps
                   if rep_id == rep_part and team_part in ("", team.id)]
        if not matches:
            raise SelectionError(f"--rep {wanted}: no such rep")
        for team_id, rep_id in matches:
            if team_id in chosen and chosen[team_id] is None and team_id in options.teams:
                continue  # the whole team is wanted anyway
            reps = chosen.setdefault(team_id, set())
            assert reps is not None
            reps.add(rep_id)
    if not options.teams and not options.reps:
        chosen = {team_id: None for team_id in teams}
    return chosen


def shard_of(team_id: str, rep_id: str, shards: int) -> int:
    """A stable shard number (1…shards) for a plan: the same on every machine and run."""
    return zlib.crc32(f"{team_id}/{rep_id}".encode()) % shards + 1


def _plan_outputs(listing: list[_TeamListing], selected: dict[str, set[str] | None],
                  prints: _Fingerprints, options: BuildOptions,
                  history_key: Callable[[str], str] = _no_history) -> list[_Planned]:
    planned: list[_Planned] = []
    plans = not options.only_index
    team_pages = options.shard is None
    for team in listing:
        if team.id not in selected:
            continue
        wanted = selected[team.id]
        team_file = prints.files.get(team.file, "")
        for rep_id, rep_file in team.reps:
            if not plans or (wanted is not None and rep_id not in wanted):
                continue
            if options.shard and shard_of(team.id, rep_id, options.shard[1]) != options.shard[0]:
                continue
            key = digest(prints.options, prints.templates["plan.html"], team_file,
                         prints.files.get(rep_file, ""), history_key(rep_file))
            for fmt in options.formats:
                planned.append(_Planned(f"{team.id}/reps/{rep_id}.{fmt}", "plan", fmt,
                                        digest(key, fmt), team.id, rep_id, rep_file))
        if team_pages:
            # Ids too: the scorecard links each plan by its file name.
            rep_files = [f"{rep_id}:{prints.files.get(rep_file, '')}:"
                         f"{history_key(rep_file)}" for rep_id, rep_file in team.reps]
            key = digest(prints.options, prints.templates["scorecard.html"], team_file,
                         *rep_files)
            for fmt in options.formats:
                planned.append(_Planned(f"{team.id}/scorecard.{fmt}", "scorecard", fmt,
                                        digest(key, fmt), team.id, None, team.file))
    if options.shard is None:
        everything = digest(prints.options, prints.templates["index.html"],
                            repr(sorted(prints.files.items())))
        planned.append(_Planned("index.html", "index", "html", everything))
    return planned


# ------------------------------------------------------------------------------ rendering

@dataclass
class _Rendered:
    """Finished outputs in temporary files beside their targets, and what they raised."""

    out: Path
    temporaries: dict[str, Path] = field(default_factory=dict)
    # Warnings raised by each page's content (Markdown notes) and by the PDF renderer,
    # by output, so a later build that skips the file still reports them.
    by_output: dict[str, list[Problem]] = field(default_factory=dict)
    # Outputs already renamed into place (`publish`): output → the old file's backup
    # (None: there was no old file).
    published: dict[str, Path | None] = field(default_factory=dict)

    def warn(self, output: str, problems: Iterable[Problem]) -> None:
        self.by_output.setdefault(output, []).extend(problems)

    @property
    def warnings(self) -> list[Problem]:
        # A plan built in both formats reports each Markdown warning once.
        return sorted({w for problems in self.by_output.values() for w in problems})

    def path_of(self, output: str) -> Path:
        """Where a finished output is now: its temporary file, or its place if published."""
        return self.out / output if output in self.published else self.temporaries[output]

    def publish(self, output: str) -> None:
        """Rename one finished output into place now, keeping the old file (a second
        link to it, under a temporary name `remove_leftovers` knows) until `commit`, so
        that `discard` can put it back: same inode, so the same size and mtime the
        manifest recorded."""
        target = self.out / output
        backup = None
        if target.is_file():
            backup = atomic.temporary_path(target)
            backup.unlink()
            try:
                os.link(target, backup)
            except OSError:
                # No hard links here (FAT, exFAT, some network and FUSE mounts): move
                # the old file aside instead; the rename below puts the new one in place.
                os.replace(target, backup)
        self.published[output] = backup
        atomic.commit(self.temporaries[output], target)
        del self.temporaries[output]  # only once in place: else `discard` removes it

    def commit(self, last: str | None = None) -> None:
        for output, temporary in sorted(self.temporaries.items(),
                                        key=lambda item: (item[0] == last, item[0])):
            atomic.commit(temporary, self.out / output)
        self.temporaries.clear()
        for backup in self.published.values():
            if backup is not None:
                backup.unlink(missing_ok=True)
        self.published.clear()

    def discard(self) -> None:
        for temporary in self.temporaries.values():
            temporary.unlink(missing_ok=True)
            # Leave no folder this build made only for its files (output/<team>/reps/).
            _remove_empty_parents(temporary, self.out)
        self.temporaries.clear()
        for output, backup in self.published.items():
            if backup is not None:
                os.replace(backup, self.out / output)
            else:
                (self.out / output).unlink(missing_ok=True)
                _remove_empty_parents(self.out / output, self.out)
        self.published.clear()


def _render(run: _Run, listing: list[_TeamListing], records: dict[str, TeamRecord],
            todo: list[_Planned], workers: PdfWorkers, rendered: _Rendered) -> None:
    """Render every output in `todo` into `rendered`, one team at a time: HTML here, PDF
    in the workers as each page's HTML is ready. Only one team's files are in memory at
    a time, and only a few pages' HTML. Raises DataError, BuildError."""
    from reportgen.pdf_workers import (
        MissingLibraries,
        PdfResult,
        PdfTask,
        WorkerCrashed,
        WorkerFailed,
        WorkerTimedOut,
    )
    from reportgen.summary import from_json

    options, out, note = run.options, run.out, run.note
    screen = Renderer(run.workspace, target="html", paper=options.paper,
                      formats=options.formats, locale=options.locale,
                      index_locale=options.index_locale)
    printed = Renderer(run.workspace, target="pdf", paper=options.paper,
                       formats=options.formats, locale=options.locale,
                       index_locale=options.index_locale)
    by_team: dict[str | None, list[_Planned]] = {}
    for item in todo:
        by_team.setdefault(item.team, []).append(item)

    def keep(item: _Planned, page: Page) -> PdfTask | None:
        rendered.warn(item.output, page.warnings)
        if item.format == "pdf":
            return PdfTask(item.output, out / item.output, page.html, item.source)
        rendered.temporaries[item.output] = atomic.write_temporary(
            out / item.output, page.html.encode("utf-8"))
        note("rendered", item.output)
        return None

    def pages() -> Iterator[PdfTask]:
        for team in listing:
            if team.id not in by_team:
                continue
            analysis = _load_again(run, team)
            for item in by_team[team.id]:
                renderer = screen if item.format == "html" else printed
                if item.kind == "plan":
                    rep = analysis.rep(item.rep or "")
                    if rep is None:  # its file was removed since the build listed it
                        raise BuildError(f"{item.source} was removed while the build ran;"
                                         " nothing was written")
                    page = templated(renderer.plan, options.as_of, analysis, rep)
                else:
                    page = templated(renderer.scorecard, options.as_of, analysis)
                if (task := keep(item, page)) is not None:
                    yield task
        for item in by_team.get(None, []):
            summaries = [from_json(records[team.id].summary) for team in listing]
            keep(item, templated(screen.index, options.as_of, summaries))

    def templated(render: Callable[..., Page], *args: Any) -> Page:
        try:
            return render(*args)
        except (jinja2.TemplateError, DataError, BuildError):
            raise
        except Exception as error:
            failure = _workspace_template_error(error, run.workspace)
            if failure is None:
                raise  # reportgen's own code or templates: a bug
            raise failure from None

    def done(result: PdfResult) -> None:
        output, source = result.task.output, result.task.source
        rendered.temporaries[output] = result.temporary
        if run.publish_early:
            rendered.publish(output)
        note("rendered", output)
        rendered.warn(output, [
            *(Problem(source, 1, 1, Severity.WARNING, "-", f"{output}: refused to fetch {url}"
                      " (only the template assets may be used)") for url in result.refused),
            *(Problem(source, 1, 1, Severity.WARNING, "-", f"{output}: PDF renderer: {message}")
              for message in result.renderer_warnings)])

    try:
        workers.render(pages(), done)
    except MissingLibraries as missing:
        raise MissingLibrariesError(str(missing)) from None
    except WorkerCrashed as crash:
        raise BuildError(f"{crash}; nothing was changed in {out}") from None
    except WorkerTimedOut as slow:
        raise BuildError(_too_slow(run.workspace, slow) + f"; nothing was changed in {out}"
                         ) from None
    except WorkerFailed as failure:
        raise BuildError(f"{failure}; nothing was changed in {out}") from None


def _too_slow(workspace: Path, slow: WorkerTimedOut) -> str:
    """Name the file (and for a plan, its longest note) of a document that ran too long."""
    from reportgen.heaviest_text import heaviest_text
    from reportgen.yamlfile import YamlFileError, read_document

    source = slow.task.source
    where = f"{source}:1:1: -"
    if "/reps/" in source:
        try:
            document = read_document(workspace / source, source)
        except YamlFileError:
            document = None
        path = heaviest_text(document) if document is not None else None
        if document is not None and path is not None:
            line, column = document.position(path)
            where = f"{source}:{line}:{column}: {format_path(path)}"
            return (f"{where}: {slow}; its longest text is here: shorten or simplify it"
                    " (inline images, long or deeply nested Markdown)")
    return f"{where}: {slow}"


def _load_again(run: _Run, team: _TeamListing) -> TeamAnalysis:
    """A team checked a moment ago (or at the last build), read again to render it."""
    from reportgen.analysis import analyse_team
    from reportgen.workspace import load_team

    if run.analysed is not None and run.analysed[:2] == (team.id, team.key):
        return run.analysed[2]
    team_file, found = load_team(run.workspace, team.folder)
    if team_file is None or any(problem.is_error for problem in found):
        # Edited while the build ran: report it like any invalid data.
        raise DataError(sorted(found), "; nothing was written.")
    return analyse_team(team_file, run.options.as_of, _team_history(run.history, team),
                        run.since)


# --------------------------------------------------------------------------------- files

def _stage_assets(out: Path, renderer: Renderer, options: BuildOptions, manifest: Manifest,
                  new_manifest: Manifest, rendered: _Rendered) -> list[str]:
    """The assets that changed, copied to temporary files for `rendered` to commit."""
    if "html" not in options.formats or options.shard is not None:
        return []
    written = []
    for name in asset_names(renderer.folders):
        output = f"_assets/{name}"
        data = asset_file(renderer.folders, name).read_bytes()
        key = digest(data)
        record = manifest.outputs.get(output)
        if options.force or record is None or record.key != key or not record.still_there(
                out / output):
            try:
                rendered.temporaries[output] = atomic.write_temporary(out / output, data)
            except OSError:
                _remove_empty_parents(out / output, out)  # no empty _assets/ left
                raise
            status = rendered.temporaries[output].stat()
            new_manifest.outputs[output] = OutputRecord(key, status.st_size,
                                                        status.st_mtime_ns)
            written.append(output)
    return written


def _alive_outputs(listing: list[_TeamListing], renderer: Renderer) -> set[str]:
    """Every output that a team, rep or asset of the workspace may have."""
    alive = {"index.html"}
    for team in listing:
        alive.update(f"{team.id}/scorecard.{fmt}" for fmt in FORMATS)
        alive.update(f"{team.id}/reps/{rep_id}.{fmt}" for rep_id, _ in team.reps
                     for fmt in FORMATS)
    alive.update(f"_assets/{name}" for name in asset_names(renderer.folders))
    return alive


def _stale_outputs(out: Path, alive: set[str], manifest: Manifest) -> list[str]:
    """Outputs the manifest recorded whose team, rep or asset no longer exists; taken
    out of `manifest`, to delete once the new outputs are in place."""
    stale = sorted(set(manifest.outputs) - alive)
    for output in stale:
        del manifest.outputs[output]
    return stale


def _remove_stale(out: Path, stale: list[str], note: Progress) -> list[str]:
    removed = []
    for output in stale:
        target = out / output
        if not target.resolve().is_relative_to(out) or not target.is_file() or (
                target.is_symlink()):
            # A manifest edited or copied by hand never makes us delete outside `out`,
            # nor a folder.
            continue
        target.unlink(missing_ok=True)
        _remove_empty_parents(out / output, out)
        removed.append(output)
        note("removed", output)
    return removed


def _remove_empty_parents(path: Path, stop: Path) -> None:
    folder = path.parent
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent

