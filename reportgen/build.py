"""`reportgen build`: what to build, what can be skipped, and writing it safely.

    build(workspace, options) -> BuildReport

1. Fingerprint every input (file bytes, templates, options, date, versions). If the
   output folder's manifest says the last build had exactly these, there is nothing to
   do: no YAML is even parsed.
2. Load and analyse the workspace. Invalid data raises DataError: nothing is written.
3. Render the HTML of every output whose key changed, in this process.
4. With --strict, any warning fails the build here, before anything is written.
5. PDFs are rendered by worker processes into temporary files; only when all succeeded
   are they, the HTML files and the assets renamed into place; outputs of reps and
   teams that no longer exist are removed; the manifest is written last.
"""

from __future__ import annotations

import gc
import os
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from reportgen import atomic
from reportgen.manifest import Manifest, OutputRecord, digest, template_key, tool_versions
from reportgen.problems import DataError, Problem, Severity
from reportgen.render import Page, Renderer, asset_file, asset_names

if TYPE_CHECKING:
    from reportgen.analysis import Analysis, RepAnalysis, TeamAnalysis
    from reportgen.pdf_workers import PdfWorkers

# Not imported from workspace.py: a build with nothing to do must not load the models.
TEAMS_FOLDER = "teams"

FORMATS = ("html", "pdf")


class SelectionError(Exception):
    """A --team or --rep that names nothing in the workspace (a usage error)."""


class BuildError(Exception):
    """The build failed while rendering; every output is still old or new, never half."""


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
    team: TeamAnalysis | None = None
    rep: RepAnalysis | None = None
    source: str = ""


def output_folder(workspace: Path, options: BuildOptions) -> Path:
    out = (options.out if options.out is not None else workspace / "output").resolve()
    root = workspace.resolve()
    if out == root or root.is_relative_to(out) or out.is_relative_to(root / TEAMS_FOLDER) or (
            out.is_relative_to(root / "templates")):
        raise SelectionError(f"--out {out} would write over the workspace's own files;"
                             " choose a folder of its own")
    return out


def build(workspace: Path, options: BuildOptions, progress: Progress | None = None
          ) -> BuildReport:
    try:
        return _build(workspace, options, progress)
    except jinja2.TemplateError as error:
        # Templates are only read and rendered before anything is written.
        raise BuildError(_template_problem(error)) from None


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


def _build(workspace: Path, options: BuildOptions, progress: Progress | None) -> BuildReport:
    started = time.perf_counter()
    out = output_folder(workspace, options)
    renderer = Renderer(workspace, target="html", paper=options.paper)
    manifest_name = _manifest_name(options)
    run = _Run(workspace, options, progress or (lambda action, output: None), started, out,
               renderer, _fingerprint(workspace, renderer, options), manifest_name,
               Manifest.read_named(out, manifest_name))
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

    jobs = max(1, options.jobs if options.jobs is not None else (os.cpu_count() or 1))
    with PdfWorkers([folder / "assets" for folder in renderer.folders], jobs) as workers:
        if "pdf" in options.formats:
            workers.warm()  # WeasyPrint loads in the workers while we read the files
        return _build_changed(run, workers)


def _build_changed(run: _Run, workers: PdfWorkers) -> BuildReport:
    from reportgen.analysis import analyse
    from reportgen.workspace import load_workspace

    options, out, note, manifest = run.options, run.out, run.note, run.manifest
    report = BuildReport(out)
    try:
        analysis = analyse(load_workspace(run.workspace), options.as_of)
    except DataError as error:
        raise DataError(error.problems, "; nothing was written.") from None
    selected = _select(analysis, options)
    planned = _plan_outputs(analysis, selected, run.fingerprints, options)
    todo = [item for item in planned if options.force or not _unchanged(item, manifest, out)]
    report.skipped = len(planned) - len(todo)

    note("start", str(len(todo)))
    html_pages, pdf_inputs, render_warnings = _render_html(analysis, todo, run.workspace,
                                                           options, note)
    warnings = sorted({*analysis.warnings, *render_warnings,
                       *_kept_warnings(manifest, planned, todo)})
    if options.strict and warnings:
        raise DataError([replace(w, severity=Severity.ERROR) for w in warnings],
                        "; --strict: nothing was written.")
    # The workspace is no longer needed: let it go before the PDF workers peak, so the
    # build's memory does not grow with the size of the org.
    alive = _alive_outputs(analysis, run.renderer)
    todo = [replace(item, team=None, rep=None) for item in todo]
    pdf_inputs = [(replace(item, team=None, rep=None), html) for item, html in pdf_inputs]
    del analysis, planned, selected
    gc.collect()

    atomic.remove_leftovers(out)
    pdf_results = _render_pdfs(pdf_inputs, out, workers, note)
    warnings = sorted({*warnings, *pdf_results.warnings})
    if options.strict and pdf_results.warnings:
        pdf_results.discard()
        raise DataError([replace(w, severity=Severity.ERROR) for w in pdf_results.warnings],
                        "; --strict: nothing was written.")

    # Everything rendered: now put it in place.
    new_manifest = Manifest(dict(manifest.outputs))
    for output, text in html_pages.items():
        atomic.write_text(out / output, text)
    pdf_results.commit()
    asset_outputs = _copy_assets(out, run.renderer, options, manifest, new_manifest, note)
    for item in todo:
        new_manifest.outputs[item.output] = _record(out / item.output, item.key,
                                                    render_warnings, item)
        report.built.append(item.output)
        note("built", item.output)
    report.built.extend(asset_outputs)
    report.removed = _remove_stale(out, alive, new_manifest, note)
    new_manifest.inputs_key = run.fingerprints.everything
    new_manifest.warnings = [_warning_json(w) for w in warnings]
    atomic.write_text(out / run.manifest_name, new_manifest.to_json())
    report.warnings = warnings
    report.seconds = time.perf_counter() - run.started
    return report


def _template_problem(error: jinja2.TemplateError) -> str:
    """A template mistake (in a workspace override, usually), said like a data error."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{error.filename or error.name}:{error.lineno}"
        return f"{where}: template error: {error.message}; nothing was written"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template not found: {error.name}; nothing was written"
    return f"template error: {error.message}; nothing was written"


# --------------------------------------------------------------------------- fingerprints

@dataclass(frozen=True)
class _Fingerprints:
    files: dict[str, str]  # workspace-relative path → content hash
    templates: dict[str, str]  # page template → hash of it, what it pulls in, the assets
    assets: dict[str, str]  # asset name → content hash
    options: str
    everything: str


def _fingerprint(workspace: Path, renderer: Renderer, options: BuildOptions) -> _Fingerprints:
    files = {}
    teams_dir = workspace / TEAMS_FOLDER
    if teams_dir.is_dir():
        for path in sorted(teams_dir.rglob("*")):
            if path.is_file():
                files[path.relative_to(workspace).as_posix()] = digest(path.read_bytes())
    assets = {name: digest(asset_file(renderer.folders, name).read_bytes())
              for name in asset_names(renderer.folders)}
    environment = renderer.environment
    templates = {name: template_key(environment, name, assets)
                 for name in ("plan.html", "scorecard.html", "index.html")}
    option_text = repr((tool_versions(), options.as_of.isoformat(), options.paper,
                        sorted(options.formats), os.environ.get("SOURCE_DATE_EPOCH", "")))
    everything = digest(option_text, repr(sorted(files.items())), repr(sorted(templates.items())),
                        repr((sorted(options.teams), sorted(options.reps), options.shard,
                              options.only_index)))
    return _Fingerprints(files, templates, assets, digest(option_text), everything)


def _manifest_name(options: BuildOptions) -> str:
    from reportgen.manifest import MANIFEST_NAME

    if options.shard is None:
        return MANIFEST_NAME
    shard, shards = options.shard
    return MANIFEST_NAME.replace(".json", f"-shard-{shard}-of-{shards}.json")


def _unchanged(item: _Planned, manifest: Manifest, out: Path) -> bool:
    record = manifest.outputs.get(item.output)
    return record is not None and record.key == item.key and record.still_there(out / item.output)


def _record(path: Path, key: str, render_warnings: list[Problem], item: _Planned
            ) -> OutputRecord:
    status = path.stat()
    own = [_warning_json(w) for w in render_warnings
           if item.kind == "plan" and w.file == item.source]
    return OutputRecord(key, status.st_size, status.st_mtime_ns, own)


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


# ------------------------------------------------------------------------------ selection

def _select(analysis: Analysis, options: BuildOptions
            ) -> dict[str, set[str] | None]:
    """team id → the rep ids to build (None: all of them). Raises SelectionError."""
    teams = {team.id: team for team in analysis.teams}
    for team_id in options.teams:
        if team_id not in teams:
            raise SelectionError(f"--team {team_id}: no such team (teams: "
                                 f"{', '.join(sorted(teams)) or 'none'})")
    chosen: dict[str, set[str] | None] = {team_id: None for team_id in options.teams}
    for wanted in options.reps:
        team_part, _, rep_part = wanted.rpartition("/")
        matches = [(team.id, rep.id) for team in analysis.teams for rep in team.reps
                   if rep.id == rep_part and team_part in ("", team.id)]
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


def _plan_outputs(analysis: Analysis, selected: dict[str, set[str] | None],
                  prints: _Fingerprints, options: BuildOptions) -> list[_Planned]:
    planned: list[_Planned] = []
    plans = not options.only_index
    team_pages = options.shard is None
    for team in analysis.teams:
        if team.id not in selected:
            continue
        wanted = selected[team.id]
        team_file = prints.files.get(team.file.file, "")
        for rep in team.reps:
            if not plans or (wanted is not None and rep.id not in wanted):
                continue
            if options.shard and shard_of(team.id, rep.id, options.shard[1]) != options.shard[0]:
                continue
            key = digest(prints.options, prints.templates["plan.html"], team_file,
                         prints.files.get(rep.file.file, ""))
            for fmt in options.formats:
                planned.append(_Planned(f"{team.id}/reps/{rep.id}.{fmt}", "plan", fmt,
                                        digest(key, fmt), team, rep, rep.file.file))
        if team_pages:
            # Ids too: the scorecard links each plan by its file name.
            rep_files = [f"{rep.id}:{prints.files.get(rep.file.file, '')}" for rep in team.reps]
            key = digest(prints.options, prints.templates["scorecard.html"], team_file,
                         *rep_files)
            for fmt in options.formats:
                planned.append(_Planned(f"{team.id}/scorecard.{fmt}", "scorecard", fmt,
                                        digest(key, fmt), team, None, team.file.file))
    if options.shard is None:
        everything = digest(prints.options, prints.templates["index.html"],
                            repr(sorted(prints.files.items())))
        planned.append(_Planned("index.html", "index", "html", everything))
    return planned


# ------------------------------------------------------------------------------ rendering

def _render_html(analysis: Analysis, todo: list[_Planned], workspace: Path,
                 options: BuildOptions, note: Progress
                 ) -> tuple[dict[str, str], list[tuple[_Planned, str]], list[Problem]]:
    """HTML files to write, PDF inputs to render, and warnings raised by the content."""
    screen = Renderer(workspace, target="html", paper=options.paper, formats=options.formats)
    printed = Renderer(workspace, target="pdf", paper=options.paper, formats=options.formats)
    html_pages: dict[str, str] = {}
    pdf_inputs: list[tuple[_Planned, str]] = []
    warnings: list[Problem] = []
    for item in todo:
        renderer = screen if item.format == "html" else printed
        page = _page(renderer, analysis, item)
        warnings.extend(page.warnings)
        if item.format == "html":
            html_pages[item.output] = page.html
            note("rendered", item.output)
        else:
            pdf_inputs.append((item, page.html))
    # A plan built in both formats reports each Markdown warning once.
    return html_pages, pdf_inputs, sorted(set(warnings))


def _page(renderer: Renderer, analysis: Analysis, item: _Planned) -> Page:
    if item.kind == "plan":
        assert item.team is not None and item.rep is not None
        return renderer.plan(analysis, item.team, item.rep)
    if item.kind == "scorecard":
        assert item.team is not None
        return renderer.scorecard(analysis, item.team)
    return renderer.index(analysis)


@dataclass
class _PdfOutcome:
    out: Path
    temporaries: dict[str, Path] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def commit(self) -> None:
        for output, temporary in sorted(self.temporaries.items()):
            atomic.commit(temporary, self.out / output)
        self.temporaries.clear()

    def discard(self) -> None:
        for temporary in self.temporaries.values():
            temporary.unlink(missing_ok=True)
        self.temporaries.clear()


def _render_pdfs(pdf_inputs: list[tuple[_Planned, str]], out: Path, workers: PdfWorkers,
                 note: Progress) -> _PdfOutcome:
    outcome = _PdfOutcome(out)
    if not pdf_inputs:
        return outcome
    from reportgen.pdf_workers import PdfResult, PdfTask, WorkerCrashed

    tasks = [PdfTask(item.output, out / item.output, html, item.source)
             for item, html in pdf_inputs]

    def done(result: PdfResult) -> None:
        outcome.temporaries[result.task.output] = result.temporary
        note("rendered", result.task.output)
        for url in result.refused:
            outcome.warnings.append(Problem(result.task.source, 1, 1, Severity.WARNING, "-",
                                            f"{result.task.output}: refused to fetch {url}"
                                            " (only the template assets may be used)"))
        for message in result.renderer_warnings:
            outcome.warnings.append(Problem(result.task.source, 1, 1, Severity.WARNING, "-",
                                            f"{result.task.output}: PDF renderer: {message}"))

    try:
        workers.render(tasks, done)
    except WorkerCrashed as crash:
        outcome.discard()
        raise BuildError(f"{crash}; nothing was changed in {out}") from None
    except BaseException:
        outcome.discard()
        raise
    return outcome


# --------------------------------------------------------------------------------- files

def _copy_assets(out: Path, renderer: Renderer, options: BuildOptions, manifest: Manifest,
                 new_manifest: Manifest, note: Progress) -> list[str]:
    if "html" not in options.formats or options.shard is not None:
        return []
    written = []
    for name in asset_names(renderer.folders):
        output = f"_assets/{name}"
        source = asset_file(renderer.folders, name)
        key = digest(source.read_bytes())
        record = manifest.outputs.get(output)
        if options.force or record is None or record.key != key or not record.still_there(
                out / output):
            atomic.write_bytes(out / output, source.read_bytes())
            written.append(output)
            note("built", output)
        status = (out / output).stat()
        new_manifest.outputs[output] = OutputRecord(key, status.st_size, status.st_mtime_ns)
    return written


def _alive_outputs(analysis: Analysis, renderer: Renderer) -> set[str]:
    """Every output that a team, rep or asset of the workspace may have."""
    alive = {"index.html"}
    for team in analysis.teams:
        alive.update(f"{team.id}/scorecard.{fmt}" for fmt in FORMATS)
        alive.update(f"{team.id}/reps/{rep.id}.{fmt}" for rep in team.reps for fmt in FORMATS)
    alive.update(f"_assets/{name}" for name in asset_names(renderer.folders))
    return alive


def _remove_stale(out: Path, alive: set[str], manifest: Manifest, note: Progress
                  ) -> list[str]:
    """Delete outputs this manifest recorded whose team, rep or asset no longer exists."""
    removed = []
    for output in sorted(set(manifest.outputs) - alive):
        target = (out / output).resolve()
        if not target.is_relative_to(out):
            # A manifest edited or copied by hand never makes us delete outside `out`.
            del manifest.outputs[output]
            continue
        target.unlink(missing_ok=True)
        del manifest.outputs[output]
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

