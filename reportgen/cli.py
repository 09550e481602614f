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
from typing import TYPE_CHECKING, Any, TypeVar

import click

from reportgen import __version__
from reportgen.problems import DataError, Problem, Severity, terminal_safe

if TYPE_CHECKING:
    from reportgen.pdf_workers import PdfWorkers

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
    "workspace", required=False, default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path))
OUTPUT_FORMAT = click.option(
    "--output-format", "problem_format", type=click.Choice(["text", "json", "github"]),
    default=None, help="How problems are printed: text lines on stderr; json on stdout;"
    " github adds workflow-command annotations (default: github when GITHUB_ACTIONS=true,"
    " else text).")
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


def _complete_team(ctx: click.Context, param: click.Parameter, incomplete: str
                   ) -> list[str]:
    from reportgen.discovery import team_ids

    return [team for team in team_ids() if team.startswith(incomplete)]


def _complete_rep(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from reportgen.discovery import rep_ids

    candidates = [rep for _, rep in rep_ids()] + [f"{team}/{rep}" for team, rep in rep_ids()]
    return sorted({rep for rep in candidates if rep.startswith(incomplete)})


def _complete_team_slash(ctx: click.Context, param: click.Parameter, incomplete: str
                         ) -> list[str]:
    # `new rep TEAM/ID`: offer the teams, each ready for the new rep's id.
    return [f"{team}/" for team in _complete_team(ctx, param, incomplete.split("/")[0])]


def resolve_workspace(given: Path | None) -> Path:
    """The workspace given, or the one found from the current folder (said on stderr
    when it is not the current folder, so nobody wonders which files were used)."""
    from reportgen.discovery import default_workspace

    if given is not None:
        return given
    found, elsewhere = default_workspace()
    if elsewhere:
        click.echo(f"workspace: {os.path.relpath(found)}", err=True)
    return found


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
    Typical use, anywhere in the workspace (the folder holding teams/):
      reportgen init coaching       start one (then: cd coaching)
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
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path),
                metavar="[WORKSPACE | FILE…]")
@AS_OF
@STRICT
@OUTPUT_FORMAT
@click.option("-q", "--quiet", is_flag=True, help="Print errors and one line of counts only.")
@user_errors_exit
def validate(paths: tuple[Path, ...], as_of: date | None, strict: bool,
             problem_format: str | None, quiet: bool) -> None:
    """Check every team and rep file; print all problems, sorted.

    Given files (as pre-commit passes them), checks those files with their team and
    reports their problems only. With no argument, the workspace is found from the
    current folder, like git finds its repository.

    \b
    Examples:
      reportgen validate --as-of 2026-11-26 --strict
      reportgen validate teams/west/reps/priya-raman.yaml
      reportgen validate --output-format json | jq .problems
    """
    from reportgen.analysis import check_teams, check_workspace
    from reportgen.discovery import (
        NotInWorkspace,
        find_workspace,
        is_workspace,
        select_files,
        selected,
    )

    files = [path for path in paths if not path.is_dir()]
    if len(paths) > 1 and len(files) < len(paths):
        raise click.UsageError("give one WORKSPACE folder, or files")
    if len(paths) == 1 and not files and not is_workspace(paths[0]) and find_workspace(
            paths[0]) is not None:
        files = [paths[0]]  # a team's folder inside a workspace: check that team
    selection = None
    if files:
        try:
            selection = select_files(files)
        except NotInWorkspace as error:
            raise click.UsageError(str(error)) from None
        root = selection.root
        result = check_teams(root, list(selection.team_dirs), as_of or date.today(),
                             history=_history(root))
    else:
        root = resolve_workspace(paths[0] if paths else None)
        try:
            result = check_workspace(root, as_of or date.today(), history=_history(root))
        except DataError as error:  # no teams/ at all: still in the format asked for
            report_problems("validate", root, list(error.problems), problem_format, quiet,
                            {"teams": 0, "reps": 0})
            return

    problems = list(result.problems)
    if selection is not None:
        problems = [problem for problem in problems if selected(problem.file, selection)]
    if strict:
        problems = strict_problems(problems)
    counts = {"teams": result.teams, "reps": result.reps}
    report_problems("validate", root, problems, problem_format, quiet, counts)


def report_problems(command: str, root: Path, problems: list[Problem],
                    problem_format: str | None, quiet: bool, counts: dict[str, Any],
                    summary: str | None = None, consequence: str = ".", **more: Any) -> None:
    """Print problems in the chosen format, then the closing line; exit 1 on errors."""
    from reportgen.problem_formats import chosen_format, github_command, json_document

    chosen = chosen_format(problem_format)
    errors = sum(1 for problem in problems if problem.is_error)
    shown = [problem for problem in problems if problem.is_error or not quiet]
    if chosen == "json":
        click.echo(json_document(command, root, problems, **counts, **more))
        sys.exit(EXIT_DATA if errors else 0)
    print_problems(shown)
    if chosen == "github":
        for problem in shown:
            click.echo(github_command(problem, root))
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{_count(errors, 'error')}{consequence}", err=True)
        sys.exit(EXIT_DATA)
    if summary is not None:
        click.echo(summary, err=True)
    elif command == "validate":
        click.echo(f"ok: {_count(counts['teams'], 'team')}, {_count(counts['reps'], 'rep')},"
                   f" {_count(warnings, 'warning')}", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@cli.command()
@WORKSPACE
@AS_OF
@SINCE
@user_errors_exit
def export(workspace: Path | None, as_of: date | None, since: str | None) -> None:
    """Print the derived figures as JSON on stdout (nothing on invalid data).

    \b
    Example:
      reportgen export --as-of 2026-11-26 > figures.json
    """
    from reportgen.export import export_document

    analysis = _load_and_analyse(resolve_workspace(workspace), as_of, since)
    print_problems(analysis.warnings)
    click.echo(json.dumps(export_document(analysis), indent=2, ensure_ascii=False))


@cli.command()
@click.argument("rep")
@WORKSPACE
@AS_OF
@SINCE
@user_errors_exit
def history(rep: str, workspace: Path | None, as_of: date | None, since: str | None) -> None:
    """Print one rep's coaching record: one-on-ones, what changed since the last one,
    ratings over time and when each fix moved (from the workspace's git history).

    REP is a rep id, or TEAM/REP when the id is in several teams.

    \b
    Example:
      reportgen history west-enterprise/priya-raman --as-of 2026-11-26
    """
    from reportgen.export import rep_record
    from reportgen.record_text import coaching_record_text

    analysis = _load_and_analyse(resolve_workspace(workspace), as_of, since)
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
    click.echo(coaching_record_text(team, found, rep_record(found, team.file.team,
                                                                analysis.as_of),
                                          analysis.as_of), nl=False)


@cli.command()
@click.argument("which", required=False, type=click.Choice(["team", "rep"]))
@click.option("--write", "write_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write team.schema.json and rep.schema.json into this folder instead.")
@click.option("--team", "team_id", metavar="ID", shell_complete=_complete_team,
              help="With `rep`: this team's skill ids and rating scale (from the workspace"
              " found from the current folder).")
@user_errors_exit
def schema(which: str | None, write_dir: Path | None, team_id: str | None) -> None:
    """Print the JSON Schema of team or rep files (for editors).

    \b
    Examples:
      reportgen schema rep > rep.schema.json
      reportgen schema rep --team west-enterprise > schema/west-enterprise.rep.schema.json
    """
    from reportgen.schema import json_schema, rep_schema_for_team, schema_text

    if team_id is not None:
        from reportgen.scaffold import ScaffoldError, load_team_model

        if which != "rep" or write_dir is not None:
            raise click.UsageError("--team goes with `schema rep` (and without --write)")
        try:
            team, _ = load_team_model(resolve_workspace(None), team_id)
        except ScaffoldError as error:
            raise click.UsageError(str(error)) from None
        click.echo(schema_text("rep", rep_schema_for_team(team, team_id)), nl=False)
        return

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


class LocaleName(click.ParamType):
    name = "LOCALE"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        if value == "en_US":
            # The default --index-locale, on every build: checking it would load pydantic
            # and Babel's locale data before a no-op build could answer.
            return "en_US"
        from pydantic_core import PydanticCustomError

        from reportgen.fields import to_locale

        try:
            return str(to_locale(str(value)))
        except PydanticCustomError:
            shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
            self.fail(f"'{shown}' is not a CLDR locale Babel knows (such as en_US, en_GB,"
                      " de_DE, fr_FR or es_ES)", param, ctx)


LOCALE = click.option(
    "--locale", "locale", type=LocaleName(), default=None,
    help="Every page (plans, scorecards, index) in this CLDR locale for this run, whatever"
         " each team's `locale` says.")
INDEX_LOCALE = click.option(
    "--index-locale", type=LocaleName(), default="en_US", show_default=True,
    help="The CLDR locale of the index (the org's frame).")


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
@click.option("--team", "teams", multiple=True, metavar="ID", help="Only this team (repeatable).",
              shell_complete=_complete_team)
@click.option("--rep", "reps", multiple=True, metavar="REP|TEAM/REP",
              help="Only this rep's plan (repeatable).", shell_complete=_complete_rep)
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
@LOCALE
@INDEX_LOCALE
@OUTPUT_FORMAT
@click.option("-q", "--quiet", is_flag=True,
              help="No progress; errors and one line of counts only (no warnings).")
@click.option("-v", "--verbose", is_flag=True, help="One line per file written or removed.")
@user_errors_exit
def build(workspace: Path | None, out: Path | None, output_format: str,
          teams: tuple[str, ...], reps: tuple[str, ...], as_of: date | None, jobs: int | None,
          strict: bool, paper: str | None, force: bool, shard: tuple[int, int] | None,
          only_index: bool, since: str | None, pdf_time_limit: float | None,
          locale: str | None, index_locale: str,
          problem_format: str | None, quiet: bool, verbose: bool) -> None:
    """Write coaching plans, team scorecards and the index (HTML and PDF).

    Validates first: invalid data writes nothing. Only outputs whose inputs changed
    are rebuilt. With --rep, prints the paths of the files written (relative to the
    current folder) on stdout, and only that rep's warnings.

    \b
    Examples:
      reportgen build --as-of 2026-11-26
      reportgen build --rep priya-raman --format pdf
      reportgen build --shard 1/4 && reportgen build --only-index
    """
    root = resolve_workspace(workspace)
    # `kill` (CI cancelling a job, a service manager) stops a build as cleanly as
    # Ctrl-C: workers stopped, temporary files removed, every output old or new.
    signal.signal(signal.SIGTERM, _interrupt)
    with contextlib.ExitStack() as stopping:
        # Before anything heavier is imported: see _pdf_workers_started_early.
        workers = _pdf_workers_started_early(root, output_format, jobs, pdf_time_limit)
        if workers is not None:
            stopping.enter_context(workers)
        from reportgen.build import BuildError, BuildOptions, SelectionError
        from reportgen.build import build as run_build

        options = BuildOptions(
            as_of=as_of or date.today(), out=out.resolve() if out else None,
            formats=("html", "pdf") if output_format == "all" else (output_format,),
            teams=teams, reps=reps, jobs=jobs, strict=strict,
            paper=paper.lower() if paper else None, force=force, shard=shard,
            only_index=only_index, since=since, pdf_time_limit=pdf_time_limit,
            locale=locale, index_locale=index_locale)
        machine = problem_format == "json"
        progress = _Progress(verbose, quiet or machine)
        try:
            report = run_build(root, options, progress, workers)
        except SelectionError as error:
            raise click.UsageError(str(error)) from None
        except BuildError as error:
            progress.close()
            click.echo(terminal_safe(f"error: {error}"), err=True)
            sys.exit(EXIT_DATA)
        except DataError as error:
            progress.close()
            report_problems("build", root, list(error.problems), problem_format, quiet, {},
                            consequence=error.consequence)
            return
        finally:
            progress.close()
        warnings = list(report.warnings)
        if reps:
            warnings = [warning for warning in warnings if _about_reps(warning, reps)]
        written = [os.path.relpath(report.out / output) for output in report.built]
        where = _shown_path(report.out)
        if report.nothing_to_do:
            summary = f"up to date: nothing to do ({_count(report.skipped, 'file')} in {where})"
        else:
            summary = (f"built {_count(len(report.built), 'file')}, skipped {report.skipped},"
                       f" removed {len(report.removed)} in {where}")
        summary += f"; {_count(len(warnings), 'warning')}; {report.seconds:.1f} s"
        if reps and not machine:
            for path in written:
                click.echo(path)
        report_problems("build", root, warnings, problem_format, quiet, {}, summary=summary,
                        out=os.path.relpath(report.out), built=written, skipped=report.skipped,
                        removed=list(report.removed))


def _about_reps(problem: Problem, reps: tuple[str, ...]) -> bool:
    """Is a warning about one of the reps asked for (`REP` or `TEAM/REP`)?"""
    for wanted in reps:
        team, _, rep = wanted.rpartition("/")
        in_team = not team or problem.file.startswith(f"teams/{team}/")
        if in_team and (problem.rep == rep or problem.file.endswith(f"/reps/{rep}.yaml")):
            return True
    return False


@cli.command()
@WORKSPACE
@OUT
@FORMAT
@AS_OF
@JOBS
@PAPER
@PDF_TIME_LIMIT
@LOCALE
@INDEX_LOCALE
@click.option("--interval", type=click.FloatRange(min=0.1), default=0.2, show_default=True,
              metavar="SECONDS", help="How often to look for changed files (a look is one"
              " stat per input file: cheap even for 500 reps).")
@user_errors_exit
def watch(workspace: Path | None, out: Path | None, output_format: str, as_of: date | None,
          jobs: int | None, paper: str | None, pdf_time_limit: float | None,
          locale: str | None, index_locale: str, interval: float) -> None:
    """Build, then rebuild whenever a rep, team or template file changes (Ctrl-C stops).

    Keeps WeasyPrint loaded between builds, so a saved edit is in the plan in about
    the time it takes to render that plan. Invalid data is reported and nothing is
    written; the watch goes on.

    \b
    Example:
      reportgen watch --format pdf
    """
    from reportgen.build import (
        BuildOptions,
        MissingLibrariesError,
        SelectionError,
        output_folder,
    )
    from reportgen.watch import Round
    from reportgen.watch import watch as run_watch

    workspace = resolve_workspace(workspace)

    def options() -> BuildOptions:
        return BuildOptions(
            as_of=as_of or date.today(), out=out.resolve() if out else None,
            formats=("html", "pdf") if output_format == "all" else (output_format,),
            jobs=jobs, paper=paper.lower() if paper else None, pdf_time_limit=pdf_time_limit,
            locale=locale, index_locale=index_locale)

    try:
        where = _shown_path(output_folder(workspace, options()))
    except SelectionError as error:
        raise click.UsageError(str(error)) from None
    shown: set[Problem] = set()

    def on_round(result: Round) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        if result.error is not None:
            if isinstance(result.error, MissingLibrariesError):
                # Not something a saved edit can fix: say what to install and stop.
                click.echo(f"error: {result.error}", err=True)
                sys.exit(EXIT_DATA)
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


@cli.command()
@click.argument("directory", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--team", "team_id", default="my-team", show_default=True, metavar="ID",
              help="The id of the first team (its folder name).")
@click.option("--example", is_flag=True,
              help="Copy the example teams (two teams, ten reps) instead of a blank team.")
@click.option("--encrypted-notes", is_flag=True,
              help="Add a .sops.yaml that encrypts the `private` notes of rep files.")
@click.option("--age-recipient", metavar="KEY",
              help="With --encrypted-notes: the age public key sops encrypts to.")
@click.option("--install", "install", metavar="REQUIREMENT",
              help="What the CI workflow pip-installs (default: this reportgen, from where"
              " it was installed).")
@user_errors_exit
def init(directory: Path, team_id: str, example: bool, encrypted_notes: bool,
         age_recipient: str | None, install: str | None) -> None:
    """Start a workspace that validates and builds at once.

    Writes a commented team and rep, .gitignore, the editor schemas, a GitHub Actions
    workflow and a pre-commit configuration. Never overwrites a file.

    \b
    Examples:
      reportgen init coaching && cd coaching && reportgen build
      reportgen init --example --encrypted-notes
    """
    from reportgen.scaffold import (
        InitOptions,
        ScaffoldError,
        init_files,
        install_requirement,
        write_new_files,
    )

    install = install or install_requirement()
    options = InitOptions(team_id=team_id, example=example, encrypted_notes=encrypted_notes,
                          age_recipient=age_recipient, install=install)
    try:
        written = write_new_files(init_files(directory, options, date.today()))
    except ScaffoldError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_DATA)
    for path, done in written:
        click.echo(f"{done} {os.path.relpath(path)}", err=True)
    if install is None:
        click.echo("note: reportgen-coaching is not on PyPI yet: set the Actions variable"
                   " REPORTGEN_REQUIREMENT (see the top of .github/workflows/reportgen.yml),"
                   " or give init --install next time", err=True)
    here = "" if directory.resolve() == Path.cwd().resolve() else f"cd {directory} && "
    click.echo(f"next: {here}git init && reportgen validate && reportgen build", err=True)


@cli.group()
def new() -> None:
    """Add a team or a rep file, from the team's own framework, dated today."""


@new.command("team")
@click.argument("team_id", metavar="ID")
@click.option("--name", help="Display name (default: from the id).")
@click.option("--manager", help="Manager's name (default: git's user.name).")
@click.option("--like", metavar="TEAM", shell_complete=_complete_team,
              help="Use this team's scale and skills (default: the seven default skills).")
@user_errors_exit
def new_team(team_id: str, name: str | None, manager: str | None, like: str | None) -> None:
    """Write teams/ID/team.yaml for the current quarter.

    \b
    Example:
      reportgen new team east-commercial --manager "Sam Ortiz" --like west-enterprise
    """
    from reportgen.scaffold import new_team_files

    root = resolve_workspace(None)
    _write_new(lambda: new_team_files(root, team_id, name, manager, like, date.today()))


def _write_new(make_files: Callable[[], Any]) -> None:
    """Write what `new team`/`new rep` made and print each path; never overwrite (exit 1);
    a name or team that cannot be used is a usage error."""
    from reportgen.scaffold import ScaffoldError, WouldOverwrite, write_new_files

    try:
        written = write_new_files(make_files())
    except WouldOverwrite as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_DATA)
    except ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    for path, _ in written:
        click.echo(os.path.relpath(path))


@new.command("rep")
@click.argument("target", metavar="TEAM/ID", shell_complete=_complete_team_slash)
@click.option("--name", required=True, help="The rep's name.")
@user_errors_exit
def new_rep(target: str, name: str) -> None:
    """Write teams/TEAM/reps/ID.yaml from the team's skills and scale.

    \b
    Example:
      reportgen new rep west-enterprise/lena-fischer --name "Lena Fischer"
    """
    from reportgen.scaffold import new_rep_files

    team_id, slash, rep_id = target.partition("/")
    if not slash:
        raise click.UsageError(f"'{target}' is not TEAM/ID (such as west/lena-fischer)")
    root = resolve_workspace(None)
    _write_new(lambda: new_rep_files(root, team_id, rep_id, name, date.today()))


@cli.command("new-period")
@click.argument("team_id", metavar="TEAM", shell_complete=_complete_team)
@click.option("--name", required=True, help="The period's name, such as 'Q1 2027'.")
@click.option("--start", required=True, type=IsoDate(), help="Its first day.")
@click.option("--end", required=True, type=IsoDate(), help="Its last day.")
@AS_OF
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@user_errors_exit
def new_period(team_id: str, name: str, start: date, end: date, as_of: date | None,
               dry_run: bool) -> None:
    """Start a new selling period for a team.

    Sets the period; sets closed, commit and best_case to 0 in every rep file (other
    figures keep their values); keeps skills and notes; carries open fixes, goals and
    roadblocks and removes finished ones (git keeps them). Comments stay as written.

    \b
    Example:
      reportgen new-period west-enterprise --name "Q1 2027" --start 2027-01-01 --end 2027-03-31
    """
    from reportgen.new_period import NewPeriodRefused, plan_new_period

    root = resolve_workspace(None)
    if not (root / "teams" / team_id / "team.yaml").is_file():
        raise click.UsageError(f"no team '{team_id}' in this workspace")
    try:
        plan = plan_new_period(root, team_id, name, start, end, as_of or date.today())
    except NewPeriodRefused as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_DATA)
    for change in plan.files:
        for line in change.changes:
            click.echo(f"{change.file}: {line}")
    print_problems(plan.warnings)
    if dry_run:
        click.echo("dry run: nothing was written", err=True)
        return
    written = plan.write()
    click.echo(f"{team_id} is in {name} now: {_count(written, 'file')} updated;"
               f" {_count(len(plan.warnings), 'warning')}", err=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _pdf_workers_started_early(root: Path, output_format: str, jobs: int | None,
                               time_limit: float | None) -> PdfWorkers | None:
    """The PDF workers of a build that may render PDFs, started first thing.

    Their half second of importing WeasyPrint then overlaps with this process importing
    the build and fingerprinting the workspace (0.12 s of a cold one-rep build, which
    waits for its PDFs). A build that turns out to have nothing to do ends them unused,
    which costs a little of another core's time, not the build's."""
    if output_format == "html":
        return None
    from reportgen.assets import worker_assets
    from reportgen.pdf_workers import PDF_TIME_LIMIT, PdfWorkers, default_jobs

    try:
        # The key is taken before the workers read the assets: if one changes before the
        # build takes its own, the keys differ and the build starts new workers.
        folders, assets_key = worker_assets(root)
    except (DataError, OSError):
        return None  # templates that link out of the workspace, say: the build says so
    workers = PdfWorkers(folders, default_jobs(jobs),
                         PDF_TIME_LIMIT if time_limit is None else time_limit, assets_key)
    workers.start(workers.jobs)
    return workers


def _shown_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return str(path) + "/"


def main() -> None:
    cli(prog_name="reportgen")
