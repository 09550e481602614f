"""New files for a manager: a whole workspace (`init`), a team, a rep.

Everything written here validates as it stands and explains itself in comments, so a
first `reportgen validate` passes and the next edit is obvious. Nothing is ever
overwritten: every target is checked before the first file is written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path

from reportgen.fields import SLUG
from reportgen.model import Team
from reportgen.schema import schema_text

DISTRIBUTION = "reportgen-coaching"


class ScaffoldError(Exception):
    """The files cannot be made as asked (an id is wrong, no such team): a usage error."""


class WouldOverwrite(ScaffoldError):
    """A file to be made exists already: nothing was written (exit 1, like invalid data)."""


# ----------------------------------------------------------------------- periods

def quarter_of(day: date) -> tuple[str, date, date]:
    """The calendar quarter holding `day`: its name, first and last day."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = (date(day.year + 1, 1, 1) if first_month == 10
                  else date(day.year, first_month + 3, 1))
    return f"Q{(first_month - 1) // 3 + 1} {day.year}", start, next_start - timedelta(days=1)


# ------------------------------------------------------------------------- files

def _schema_header(file: Path, root: Path, name: str) -> str:
    # The path from the file's folder up to the workspace's schema/: what
    # yaml-language-server resolves the `$schema` against.
    depth = len(file.parent.relative_to(root).parts)
    return f"# yaml-language-server: $schema={'../' * depth}schema/{name}.schema.json\n"


def team_text(team_id: str, name: str, manager: str, today: date,
              framework_from: str | None = None) -> str:
    """A commented team.yaml for the quarter holding `today`.

    `framework_from`: the `scale:` and `skills:` text of another team, to share its
    framework; else the default seven skills, written out so they can be edited.
    """
    period_name, start, end = quarter_of(today)
    framework = framework_from if framework_from is not None else _default_framework()
    return f"""\
name: {_yaml_text(name)}
manager: {_yaml_text(manager)}
# The selling period the figures are computed for. At the end of the quarter run
# `reportgen new-period {team_id} --name "…" --start … --end …`.
period:
  name: {period_name}
  start: {start.isoformat()}
  end: {end.isoformat()}
currency: USD            # ISO 4217 code used to format money
# quota: 1000000         # the manager's number; default: the sum of the reps' quotas
coverage_target: 3.0     # healthy pipeline ÷ the quota still to close
paper: letter            # or a4
stale_after_days: 90     # an assessment older than this is flagged as stale
{framework}"""


def _default_framework() -> str:
    lines = ["# The rating scale: every rep should reach `target` on every skill.",
             "scale:", "  min: 1", "  max: 5", "  target: 4",
             "# The skills you coach, with what each rating looks like (edit freely; a"
             " skill's",
             "# weight multiplies its gap when the next fixes are chosen).",
             "skills:"]
    for skill in Team.model_fields["skills"].default:
        lines += [f"  - id: {skill.id}", f"    name: {_yaml_text(skill.name)}",
                  "    weight: 1.0", f"    description: {_yaml_text(skill.description or '')}"]
    return "\n".join(lines) + "\n"


def framework_text(team_yaml: str) -> str | None:
    """The `scale:` and `skills:` blocks of a team file, as written (comments included)."""
    from ruamel.yaml.comments import CommentedMap

    from reportgen.yaml_roundtrip import dump_text, load_text

    data = load_text(team_yaml)
    if not isinstance(data, dict):
        return None
    shared = CommentedMap((key, data[key]) for key in ("scale", "skills") if key in data)
    return dump_text(shared) if shared else ""


def rep_text(rep_name: str, team: Team, today: date) -> str:
    """A commented rep file for `team`: its own skills and scale, dated today."""
    scale = team.scale
    skill_lines = []
    for skill in team.skills:
        skill_lines += [f"  # {skill.id}:" + (f"  # {skill.name}" if skill.name else ""),
                        f"  #   rating: {scale.target}",
                        f"  #   assessed: {today.isoformat()}",
                        "  #   evidence: What you saw, specifically (a deal, a call, a number)."]
    skills = "\n".join(skill_lines)
    return f"""\
name: {_yaml_text(rep_name)}
# role: Account Executive
# territory: Northern California
# email: first.rep@example.com
start_date: {today.isoformat()}   # first day in the team: a mid-period hire's pace counts from here
quota: 0                 # the rep's number for the period ({team.currency})
results:
  closed: 0              # closed-won revenue so far this period
  pipeline: 0            # open qualified pipeline
# Rate each skill {scale.min}–{scale.max} (target {scale.target}) once you have seen it at work:
# uncomment it, set the rating, say what you saw. Unrated skills show as unassessed.
skills:
{skills}
# goals:                 # the rep's own goals
#   - goal: Build pipeline to three times the quota
#     due: {today.isoformat()}
# fixes:                 # the one or two priorities you coach now
#   - skill: {team.skills[0].id}
#     focus: One specific behaviour to change
#     status: active     # planned | active | done | dropped
#     started: {today.isoformat()}
#     actions:
#       - {{do: A first step, due: {today.isoformat()}, done: false}}
# roadblocks:
#   - {{issue: Something in the rep's way, owner: manager, raised: {today.isoformat()}}}
# one_on_ones:
#   - date: {today.isoformat()}
#     notes: What you agreed (shown on the plan).
#     private: Never shown in any output.
"""


_PLAIN_TEXT = re.compile(r"[^\W\d_][\w .,'()&/+-]*")


def _yaml_text(text: str) -> str:
    # JSON strings are valid YAML: plain only for text no YAML reader could misread
    # (a word first; never `null`, `~`, a number, a date, `key: value` or `# comment`).
    plain_ok = (_PLAIN_TEXT.fullmatch(text) is not None and text.strip() == text
                and text.lower() not in ("null", "true", "false"))
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------- whole workspace

GITIGNORE = """\
# Generated by `reportgen build`: rebuilt from the YAML files, never committed.
output/
"""

PRE_COMMIT_CONFIG = """\
# pre-commit (https://pre-commit.com): `pip install pre-commit && pre-commit install`
# then every commit that touches a team or rep file is validated first.
repos:
  - repo: local
    hooks:
      - id: reportgen-validate
        name: reportgen validate
        # The reportgen installed where you commit (the same one CI installs).
        entry: reportgen validate
        language: system
        files: ^(.*/)?teams/[^/]+/(team\\.ya?ml|reps/[^/]+\\.ya?ml)$
"""


_ASK_FOR_REQUIREMENT = """\
# What `pip install` gets: reportgen-coaching is not on PyPI yet, so set the Actions
# variable REPORTGEN_REQUIREMENT (Settings → Secrets and variables → Actions →
# Variables) to "reportgen-coaching @ git+" followed by reportgen's repository URL, "@"
# and a tag; or write that requirement into the install step below.
env:
  REPORTGEN_REQUIREMENT: ${{ vars.REPORTGEN_REQUIREMENT }}
"""
_ASKED_INSTALL = ('"${REPORTGEN_REQUIREMENT:?set the Actions variable REPORTGEN_REQUIREMENT;'
                  ' see the top of this file}"')


def _workflow(install: str | None) -> str:
    header = _ASK_FOR_REQUIREMENT if install is None else ""
    install_argument = _ASKED_INSTALL if install is None else f'"{install}"'
    return f"""\
# Validate every change and build the coaching plans; the PDFs are attached to each run
# (Actions → the run → Artifacts).
name: coaching plans
on:
  push:
    branches: [main]
  pull_request:
{header}jobs:
  plans:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # the whole history: plans show what changed since the last one-on-one
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: System libraries for PDF output
        run: sudo apt-get update && sudo apt-get install -y {_DEBIAN}
      - name: Install reportgen
        run: pip install {install_argument}
      - name: Validate (problems appear as annotations on the pull request)
        run: reportgen validate   # add --strict to fail on warnings too
      - name: Reuse the last build (only changed plans are rebuilt)
        uses: actions/cache@v4
        with:
          path: output/
          key: reportgen-output-${{{{ github.sha }}}}
          restore-keys: reportgen-output-
      - name: Build
        run: reportgen build
      - uses: actions/upload-artifact@v4
        with:
          name: coaching-plans
          path: output/**/*.pdf
"""


def _sops(age_recipient: str | None) -> str:
    recipient = (f"    age: {age_recipient}\n" if age_recipient else
                 "    # age: age1…   # your team's public key(s); `age-keygen` makes one\n")
    return f"""\
# sops (https://getsops.io) encrypts only the `private` notes of rep files, so the
# rest stays readable and reviewable in pull requests:
#   sops --encrypt --in-place teams/<team>/reps/<rep>.yaml
creation_rules:
  - path_regex: teams/.*/reps/.*\\.yaml$
    encrypted_regex: ^private$
    mac_only_encrypted: true
{recipient}"""


_DEBIAN = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


def install_requirement() -> str | None:
    """What CI should `pip install` to get this very reportgen, when that can be known.

    Installed from a git repository (`pip install git+URL@REF`): that repository at the
    same commit. Installed from a checkout (`pip install .`, `-e .`) whose `origin` CI
    can reach: that remote at the checkout's commit. Otherwise None: the workflow asks
    for it (`reportgen-coaching` is not on PyPI yet, so no name alone will do).
    """
    try:
        direct = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if not direct:
        return None
    info = json.loads(direct)
    vcs = info.get("vcs_info", {})
    url = info.get("url", "")
    if vcs.get("vcs") == "git" and url:
        return f"{DISTRIBUTION} @ git+{url}@{vcs.get('commit_id', 'HEAD')}"
    if url.startswith("file://"):
        checkout = Path(url.removeprefix("file://"))
        remote = _git_output(checkout, "remote", "get-url", "origin")
        commit = _git_output(checkout, "rev-parse", "HEAD")
        if remote and commit:
            reachable = _reachable_url(remote)
            if reachable:
                return f"{DISTRIBUTION} @ git+{reachable}@{commit}"
    return None


def _reachable_url(remote: str) -> str | None:
    # `git@host:owner/repo.git` (scp-like, needs a key CI lacks) → https.
    if remote.startswith("https://"):
        return remote
    if remote.startswith("git@") and ":" in remote:
        host, _, path = remote.removeprefix("git@").partition(":")
        return f"https://{host}/{path}"
    return None


def _git_output(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                                text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


@dataclass(frozen=True)
class InitOptions:
    team_id: str = "my-team"
    example: bool = False
    encrypted_notes: bool = False
    age_recipient: str | None = None
    install: str | None = None  # what CI installs; default: install_requirement()


def example_teams_folder() -> Path:
    """The example teams shipped in the wheel (or, from a checkout, the repository's)."""
    packaged = Path(__file__).resolve().parent / "example" / "teams"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "teams"


def init_files(root: Path, options: InitOptions, today: date) -> dict[Path, str | Path]:
    """Every file `init` makes: path → its text (or the file to copy)."""
    files: dict[Path, str | Path] = {
        root / ".gitignore": MergedLines(GITIGNORE),
        root / ".pre-commit-config.yaml": PRE_COMMIT_CONFIG,
        root / ".github" / "workflows" / "reportgen.yml": _workflow(
            options.install or install_requirement()),
        root / "schema" / "team.schema.json": schema_text("team"),
        root / "schema" / "rep.schema.json": schema_text("rep"),
    }
    if options.encrypted_notes:
        files[root / ".sops.yaml"] = _sops(options.age_recipient)
    if options.example:
        # Every example team: two periods, so the index shows teams it does not add up.
        source = example_teams_folder()
        for path in sorted(source.glob("*/team.yaml")) + sorted(source.glob("*/reps/*.yaml")):
            files[root / "teams" / path.relative_to(source)] = path
        return files
    if not SLUG.fullmatch(options.team_id):
        raise ScaffoldError(f"'{options.team_id}' is not a team id: use lowercase letters,"
                            " digits and dashes")
    team_file = root / "teams" / options.team_id / "team.yaml"
    team_yaml = team_text(options.team_id, "My Team", _git_user() or "Your Name", today)
    files[team_file] = _schema_header(team_file, root, "team") + team_yaml
    rep_file = team_file.parent / "reps" / "first-rep.yaml"
    files[rep_file] = (_schema_header(rep_file, root, "rep") +
                       rep_text("First Rep", Team.model_validate(_plain(team_yaml)), today))
    return files


def _plain(text: str) -> object:
    import yaml

    return yaml.safe_load(text)


def _git_user() -> str | None:
    try:
        result = subprocess.run(["git", "config", "user.name"], capture_output=True,
                                text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None


class MergedLines(str):
    """A file to create, or, if it exists, to add its missing lines to (a .gitignore in
    an existing repository is the user's: it gets `output/`, nothing is lost)."""


def write_new_files(files: dict[Path, str | Path]) -> list[tuple[Path, str]]:
    """Write them all, or none if any exists already (MergedLines files excepted).
    Returns each path with what was done: "created" or "updated"."""
    existing = [path for path, content in files.items()
                if path.exists() and not isinstance(content, MergedLines)]
    if existing:
        shown = ", ".join(os.path.relpath(path) for path in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise WouldOverwrite(f"refusing to overwrite {shown}{more}; nothing was written")
    done = []
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, MergedLines) and path.exists():
            present = path.read_text(encoding="utf-8")
            have = {line.strip() for line in present.splitlines()}
            missing = [line for line in content.splitlines()
                       if line.strip() and not line.startswith("#") and line.strip() not in have]
            if missing:
                separator = "" if present.endswith("\n") or not present else "\n"
                path.write_text(present + separator + "\n".join(
                    [line for line in content.splitlines() if line.startswith("#")]
                    + missing) + "\n", encoding="utf-8")
                done.append((path, "updated"))
            continue
        if isinstance(content, Path):
            shutil.copyfile(content, path)
        else:
            path.write_text(content, encoding="utf-8")
        done.append((path, "created"))
    return done


# ------------------------------------------------------------- one team, one rep

def _title(slug: str) -> str:
    return " ".join(word.capitalize() for word in slug.split("-"))


def load_team_model(root: Path, team_id: str) -> tuple[Team, str]:
    """A team's model and file text, read as `validate` reads it."""
    from pydantic import ValidationError

    from reportgen.yamlfile import YamlFileError, read_document

    path = root / "teams" / team_id / "team.yaml"
    if not SLUG.fullmatch(team_id) or not path.is_file():
        raise ScaffoldError(f"no team '{team_id}' in this workspace"
                            f" (teams/{team_id}/team.yaml does not exist)")
    try:
        document = read_document(path, f"teams/{team_id}/team.yaml")
        return Team.model_validate(document.data), path.read_text(encoding="utf-8")
    except (YamlFileError, ValidationError):
        raise ScaffoldError(f"teams/{team_id}/team.yaml does not validate; run `reportgen"
                            " validate` and fix it first") from None


def new_team_files(root: Path, team_id: str, name: str | None, manager: str | None,
                   like: str | None, today: date) -> dict[Path, str | Path]:
    if not SLUG.fullmatch(team_id):
        raise ScaffoldError(f"'{team_id}' is not a team id: use lowercase letters, digits and"
                            " dashes")
    folder = root / "teams" / team_id
    if folder.exists():
        raise WouldOverwrite(f"teams/{team_id} exists already; nothing was written")
    manager = manager or _git_user()
    if not manager:
        raise ScaffoldError("give the manager's name with --manager")
    framework = None
    if like is not None:
        _, like_text = load_team_model(root, like)
        framework = framework_text(like_text)
    team_file = folder / "team.yaml"
    text = _schema_header(team_file, root, "team") + team_text(
        team_id, name or _title(team_id), manager, today, framework)
    return {team_file: text}


def new_rep_files(root: Path, team_id: str, rep_id: str, name: str,
                  today: date) -> dict[Path, str | Path]:
    if not SLUG.fullmatch(rep_id):
        raise ScaffoldError(f"'{rep_id}' is not a rep id: use lowercase letters, digits and"
                            " dashes (such as lena-fischer)")
    team, _ = load_team_model(root, team_id)
    rep_file = root / "teams" / team_id / "reps" / f"{rep_id}.yaml"
    return {rep_file: _schema_header(rep_file, root, "rep") + rep_text(name, team, today)}
