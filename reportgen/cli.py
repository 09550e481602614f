"""The command line: parse options, call the library, map outcomes to exit codes.

Exit status: 0 success; 1 invalid data or a failed build; 2 usage error; 3 a bug.
Problems go to stderr as `FILE:LINE:COLUMN: error|warning: PATH: message`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from reportgen import __version__
from reportgen.problems import DataError, Problem, Severity, terminal_safe

EXIT_DATA = 1
EXIT_BUG = 3

Command = TypeVar("Command", bound=Callable[..., Any])


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        # Only what the README documents: Python would also take 20261126 and 2026-W01-1.
        try:
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(value)):
                return date.fromisoformat(str(value))
        except ValueError:
            pass
        self.fail(f"'{value}' is not a date written YYYY-MM-DD", param, ctx)


WORKSPACE = click.argument(
    "workspace", required=False, default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path))
AS_OF = click.option("--as-of", type=IsoDate(), default=None,
                     help="The date the figures are computed for (default: today).")
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors (for CI).")
OUT = click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path),
    help="Output folder, relative to the current folder (default: WORKSPACE/output).")
FORMAT = click.option("--format", "output_format", type=click.Choice(["html", "pdf", "all"]),
                      default="all", show_default=True, help="Which documents to write.")
JOBS = click.option("--jobs", type=click.IntRange(min=1), default=None,
                    help="PDF worker processes (default: one per CPU).")
SINCE = click.option(
    "--since", metavar="DATE|REV", default=None,
    help="Compare with this date or commit instead of each rep's last one-on-one.")
PDF_TIME_LIMIT = click.option(
    "--pdf-time-limit", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
    help="Stop and fail on a PDF that takes longer than this to render (default: 60).")
PAPER = click.option(
    "--paper", type=click.Choice(["letter", "a4"], case_sensitive=False), default=None,
    help="Paper size for every team (default: each team's `paper`).")


def _colour_enabled() -> bool | None:
    # None lets click decide from the terminal; NO_COLOR (no-color.org) always wins.
    return False if os.environ.get("NO_COLOR") else None


def print_problems(problems: Iterable[Problem]) -> None:
    colour = _colour_enabled()
    for problem in problems:
        tint = "red" if problem.is_error else "yellow"
        text = terminal_safe(str(problem)).replace(
            f": {problem.severity}: ", ": " + click.style(str(problem.severity), fg=tint) + ": ",
            1)
        click.echo(text, err=True, color=colour)


def strict_problems(problems: Iterable[Problem]) -> list[Problem]:
    """--strict: every warning counts as an error."""
    return [Problem(p.file, p.line, p.column, Severity.ERROR, p.path, p.message, p.rep)
            for p in problems]


def say_data_error(error: DataError) -> str:
    """Print the problems; return the closing line ("2 errors; nothing was written.")."""
    print_problems(error.problems)
    errors = sum(1 for problem in error.problems if problem.is_error)
    return f"{errors} error{'s' if errors != 1 else ''}{error.consequence}"


def user_errors_exit(command: Command) -> Command:
    """Bad data → problems on stderr and exit 1; a bug → a short message and exit 3."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DataError as error:
            click.echo(say_data_error(error), err=True)
            sys.exit(EXIT_DATA)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except OSError as error:
            # The environment (an unreadable folder, a full disk), not the data or a bug.
            where = f"{os.fsdecode(error.filename)}: " if error.filename else ""
            reason = (error.strerror or type(error).__name__).lower()
            click.echo(terminal_safe(f"error: {where}{reason}"), err=True)
            sys.exit(EXIT_DATA)
        except Exception as error:  # a bug: say so plainly, details only on request
            debug = click.get_current_context().find_root().params.get("debug")
            if debug:
                traceback.print_exc()
            click.echo(terminal_safe(f"internal error: {type(error).__name__}: {error}") +
                       "\nThis is a bug in"
                       " reportgen, not in your files; rerun with --debug for the traceback"
                       " and report it.", err=True)
            sys.exit(EXIT_BUG)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
def cli(debug: bool) -> None:
    """Coaching plans and team scorecards from one YAML file per sales rep.

    \b
    Typical use, from the workspace (the folder holding teams/):
      reportgen validate            check every file, all problems at once
      reportgen build               write output/ (HTML and PDF)
      reportgen watch               rebuild on every saved change
      reportgen export | jq .       the figures as JSON
    """


def _history(workspace: Path) -> Any:
    """The workspace's git history, with the build's cache in WORKSPACE/output: read
    when there is one, and brought up to date when that folder exists (a build made
    it), so a pre-commit `validate` stays fast on a long history."""
    from reportgen.history import CACHE_NAME, read_history, write_cache

    cache = workspace / "output" / CACHE_NAME
    history = read_history(workspace, cache)
    if cache.parent.is_dir():
        # A read-only output folder: no harm, the next build reads the history again.
        with contextlib.suppress(OSError):
            write_cache(cache, history)
    return history


def _load_and_analyse(workspace: Path, as_of: date | None, since: str | None = None) -> Any:
    from reportgen.analysis import SinceError, analyse, since_baseline
    from reportgen.workspace import load_workspace

    loaded = load_workspace(workspace)
    history = _history(workspace)
    try:
        baseline = since_baseline(workspace, history, since)
    except SinceError as error:
        raise click.UsageError(str(error)) from None
    return analyse(loaded, as_of or date.today(), history, baseline)


@cli.command()
@WORKSPACE
@AS_OF
@STRICT
@user_errors_exit
def validate(workspace: Path, as_of: date | None, strict: bool) -> None:
    """Check every team and rep file; print all problems, sorted.

    \b
    Example:
      reportgen validate --as-of 2026-11-26 --strict
    """
    from reportgen.analysis import check_workspace

    result = check_workspace(workspace, as_of or date.today(), history=_history(workspace))
    problems = list(result.problems)
    if strict:
        problems = strict_problems(problems)
    if any(problem.is_error for problem in problems):
        raise DataError(problems)
    print_problems(problems)
    warnings = len(problems)
    click.echo(f"ok: {_count(result.teams, 'team')}, {_count(result.reps, 'rep')},"
               f" {_count(warnings, 'warning')}", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@cli.command()
@WORKSPACE
@AS_OF
@SINCE
@user_errors_exit
def export(workspace: Path, as_of: date | None, since: str | None) -> None:
    """Print the derived figures as JSON on stdout (nothing on invalid data).

    \b
    Example:
      reportgen export --as-of 2026-11-26 > figures.json
    """
    from reportgen.export import export_document

    analysis = _load_and_analyse(workspace, as_of, since)
    print_problems(analysis.warnings)
    click.echo(json.dumps(export_document(analysis), indent=2, ensure_ascii=False))


@cli.command()
@click.argument("rep")
@WORKSPACE
@AS_OF
@SINCE
@user_errors_exit
def history(rep: str, workspace: Path, as_of: date | None, since: str | None) -> None:
    """Print one rep's coaching record: one-on-ones, what changed since the last one,
    ratings over time and when each fix moved (from the workspace's git history).

    REP is a rep id, or TEAM/REP when the id is in several teams.

    \b
    Example:
      reportgen history west-enterprise/priya-raman --as-of 2026-11-26
    """
    from reportgen.export import rep_record
    from reportgen.record_text import coaching_record_text

    analysis = _load_and_analyse(workspace, as_of, since)
    team_part, _, rep_part = rep.rpartition("/")
    matches = [(team, found) for team in analysis.teams for found in team.reps
               if found.id == rep_part and team_part in ("", team.id)]
    if not matches:
        raise click.UsageError(f"{rep}: no such rep")
    if len(matches) > 1:
        raise click.UsageError(f"{rep}: in several teams; say which, e.g. "
                               f"{matches[0][0].id}/{rep_part}")
    team, found = matches[0]
    history_warnings = [w for w in analysis.warnings if w.rep is None and w.file == "teams/"]
    print_problems([*history_warnings, *found.warnings])
    click.echo(coaching_record_text(team, found, rep_record(found), analysis.as_of), nl=False)


@cli.command()
@click.argument("which", required=False, type=click.Choice(["team", "rep"]))
@click.option("--write", "write_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write team.schema.json and rep.schema.json into this folder instead.")
@user_errors_exit
def schema(which: str | None, write_dir: Path | None) -> None:
    """Print the JSON Schema of team or rep files (for editors).

    \b
    Example:
      reportgen schema rep > rep.schema.json
    """
    from reportgen.schema import json_schema, schema_text

    if write_dir is not None:
        write_dir.mkdir(parents=True, exist_ok=True)
        for name in ("team", "rep"):
            (write_dir / f"{name}.schema.json").write_text(schema_text(name), encoding="utf-8")
        return
    if which is None:
        click.echo(json.dumps({name: json_schema(name) for name in ("team", "rep")},
                              indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(schema_text(which), nl=False)


class Shard(click.ParamType):
    name = "K/N"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        match = re.fullmatch(r"([0-9]{1,6})/([0-9]{1,6})", str(value))  # ASCII digits only
        if match and 1 <= int(match.group(1)) <= int(match.group(2)):
            return int(match.group(1)), int(match.group(2))
        self.fail(f"'{value}' is not K/N with 1 ≤ K ≤ N (such as 2/4)", param, ctx)


class _Progress:
    """A bar on a terminal, one line per file with -v, nothing with -q or when piped."""

    def __init__(self, verbose: bool, quiet: bool) -> None:
        self.verbose = verbose and not quiet
        self.quiet = quiet
        self.show_bar = not quiet and not verbose and sys.stderr.isatty()
        self.bar: Any = None

    def __call__(self, action: str, output: str) -> None:
        if action == "start":
            total = int(output)
            if self.show_bar and total:
                self.bar = click.progressbar(length=total, label="rendering", file=sys.stderr,
                                             color=_colour_enabled())
                self.bar.__enter__()
        elif action == "rendered" and self.bar is not None:
            self.bar.update(1)
        elif action == "waiting" and (self.verbose or self.show_bar or not self.quiet):
            click.echo(f"waiting for another reportgen build writing to {output}…", err=True)
        elif action in ("built", "removed") and self.verbose:
            click.echo(f"{action:>7} {output}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@WORKSPACE
@OUT
@FORMAT
@click.option("--team", "teams", multiple=True, metavar="ID", help="Only this team (repeatable).")
@click.option("--rep", "reps", multiple=True, metavar="REP|TEAM/REP",
              help="Only this rep's plan (repeatable).")
@AS_OF
@JOBS
@STRICT
@PAPER
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@click.option("--shard", type=Shard(), default=None,
              help="Build only the K-th of N stable slices of the plans (for a CI matrix).")
@click.option("--only-index", is_flag=True,
              help="Build only the scorecards, index and assets (the step after --shard).")
@SINCE
@PDF_TIME_LIMIT
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
@click.option("-v", "--verbose", is_flag=True, help="One line per file written or removed.")
@user_errors_exit
def build(workspace: Path, out: Path | None, output_format: str, teams: tuple[str, ...],
          reps: tuple[str, ...], as_of: date | None, jobs: int | None, strict: bool,
          paper: str | None, force: bool, shard: tuple[int, int] | None, only_index: bool,
          since: str | None, pdf_time_limit: float | None, quiet: bool,
          verbose: bool) -> None:
    """Write coaching plans, team scorecards and the index (HTML and PDF).

    Validates first: invalid data writes nothing. Only outputs whose inputs changed
    are rebuilt.

    \b
    Examples:
      reportgen build --as-of 2026-11-26
      reportgen build --rep priya-raman --format pdf
      reportgen build --shard 1/4 && reportgen build --only-index
    """
    from reportgen.build import BuildError, BuildOptions, SelectionError
    from reportgen.build import build as run_build

    options = BuildOptions(
        as_of=as_of or date.today(), out=out.resolve() if out else None,
        formats=("html", "pdf") if output_format == "all" else (output_format,),
        teams=teams, reps=reps, jobs=jobs, strict=strict,
        paper=paper.lower() if paper else None, force=force, shard=shard,
        only_index=only_index, since=since, pdf_time_limit=pdf_time_limit)
    progress = _Progress(verbose, quiet)
    # `kill` (CI cancelling a job, a service manager) stops a build as cleanly as
    # Ctrl-C: workers stopped, temporary files removed, every output old or new.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        report = run_build(workspace, options, progress)
    except SelectionError as error:
        raise click.UsageError(str(error)) from None
    except BuildError as error:
        progress.close()
        click.echo(terminal_safe(f"error: {error}"), err=True)
        sys.exit(EXIT_DATA)
    finally:
        progress.close()
    print_problems(report.warnings)
    if quiet:
        return
    where = _shown_path(report.out)
    if report.nothing_to_do:
        summary = f"up to date: nothing to do ({_count(report.skipped, 'file')} in {where})"
    else:
        summary = (f"built {_count(len(report.built), 'file')}, skipped {report.skipped},"
                   f" removed {len(report.removed)} in {where}")
    click.echo(f"{summary}; {_count(len(report.warnings), 'warning')};"
               f" {report.seconds:.1f} s", err=True)


@cli.command()
@WORKSPACE
@OUT
@FORMAT
@AS_OF
@JOBS
@PAPER
@PDF_TIME_LIMIT
@click.option("--interval", type=click.FloatRange(min=0.1), default=0.5, show_default=True,
              metavar="SECONDS", help="How often to look for changed files.")
@user_errors_exit
def watch(workspace: Path, out: Path | None, output_format: str, as_of: date | None,
          jobs: int | None, paper: str | None, pdf_time_limit: float | None,
          interval: float) -> None:
    """Build, then rebuild whenever a rep, team or template file changes (Ctrl-C stops).

    Keeps WeasyPrint loaded between builds, so a saved edit is in the plan in about
    the time it takes to render that plan. Invalid data is reported and nothing is
    written; the watch goes on.

    \b
    Example:
      reportgen watch --format pdf
    """
    from reportgen.build import BuildOptions, SelectionError, output_folder
    from reportgen.watch import Round
    from reportgen.watch import watch as run_watch

    def options() -> BuildOptions:
        return BuildOptions(
            as_of=as_of or date.today(), out=out.resolve() if out else None,
            formats=("html", "pdf") if output_format == "all" else (output_format,),
            jobs=jobs, paper=paper.lower() if paper else None, pdf_time_limit=pdf_time_limit)

    try:
        where = _shown_path(output_folder(workspace, options()))
    except SelectionError as error:
        raise click.UsageError(str(error)) from None
    shown: set[Problem] = set()

    def on_round(result: Round) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        if result.error is not None:
            if isinstance(result.error, DataError):
                message = say_data_error(result.error)
            else:
                message = terminal_safe(f"error: {result.error}")
            click.echo(f"[{stamp}] {message} Watching for changes.", err=True)
            return
        report = result.report
        assert report is not None
        new = [warning for warning in report.warnings if warning not in shown]
        print_problems(new)
        shown.clear()
        shown.update(report.warnings)
        if report.nothing_to_do:
            summary = "up to date"
        else:
            summary = (f"built {_count(len(report.built), 'file')},"
                       f" removed {len(report.removed)}")
        click.echo(f"[{stamp}] {summary} in {where}; {_count(len(report.warnings), 'warning')}"
                   f" ({len(new)} new); {report.seconds:.1f} s", err=True)

    click.echo(f"watching {_shown_path(workspace.resolve())} for changes; Ctrl-C to stop",
               err=True)
    # `kill` (a service manager, a script) stops it as cleanly as Ctrl-C: workers
    # stopped, temporary files removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        run_watch(workspace, options, on_round, interval=interval)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _shown_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return str(path) + "/"


def main() -> None:
    cli(prog_name="reportgen")
