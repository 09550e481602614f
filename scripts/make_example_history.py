"""Build the example workspace as its own git repository, with a quarter of history.

    python scripts/make_example_history.py DEST

DEST (a new or empty folder, or one this script made before) becomes a git repository
holding the example's teams (`teams/`), committed as the managers would have: each team
set up before its period, then each rep file updated on the days of that rep's one-on-ones
and assessments, and this week's updates last. The last commit holds exactly the files
in this repository's `teams/`, so `reportgen build DEST --as-of 2026-11-26` shows the
same plans with their history: the "since our last one-on-one" box, skill trends,
cadence and the team's burn-up.

Earlier versions are derived from today's files by dated rules (a one-on-one, action,
roadblock or rating is in a version only from its date on; closed grows through the
quarter), so the history is plausible and the same on every run: the commits get fixed
authors and dates, and the same ids.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SETUP_DAY = date(2026, 9, 28)
LAST_DAY = date(2026, 11, 25)


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _wobble(text: str, low: int, high: int) -> int:
    """A stable pseudo-random number for `text` (the same on every run)."""
    return low + zlib.crc32(text.encode()) % (high - low + 1)


def state_at(rep_id: str, final: dict[str, Any], day: date,
             period_start: date = date(2026, 10, 1)) -> dict[str, Any]:
    """The rep file as it plausibly was on `day`, from today's file (closed grows from
    `period_start`, the team's period start, to today's figure)."""
    data = copy.deepcopy(final)
    share = min(max((day - period_start).days / (LAST_DAY - period_start).days, 0.0), 1.0)
    results = data.get("results", {})
    results["closed"] = int(results.get("closed", 0) * share ** 1.3) // 5000 * 5000
    if "pipeline" in results:
        results["pipeline"] = int(results["pipeline"] * (0.8 + 0.2 * share)) // 5000 * 5000

    meetings = [meeting["date"] for meeting in final.get("one_on_ones", [])
                if _day(meeting.get("date")) and meeting["date"] < LAST_DAY]
    bare = [skill for skill, value in final.get("skills", {}).items()
            if not isinstance(value, dict)]
    for skill, assessment in list(data.get("skills", {}).items()):
        assessed = _day(assessment.get("assessed")) if isinstance(assessment, dict) else None
        rating = assessment["rating"] if isinstance(assessment, dict) else assessment
        # Bare ratings were set on a day of their own (the first one just after the last
        # one-on-one, so this week's plan has a rating that moved); dated ones on their date.
        changed_on = assessed or period_start + timedelta(
            days=_wobble(rep_id + skill, -10, 56))
        if bare and skill == bare[0] and meetings:
            changed_on = max(meetings) + timedelta(days=1)
        if day < changed_on:
            earlier = max(1, rating - 1) if _wobble(skill + rep_id, 0, 2) else min(5, rating + 1)
            if assessed and day < assessed - timedelta(days=45):
                data["skills"].pop(skill)  # not assessed yet
            else:
                data["skills"][skill] = earlier
    start = _day(data.get("start_date"))
    if start and day < start - timedelta(days=7):
        data["skills"] = {}

    fixes = []
    for fix in data.get("fixes", []):
        started = _day(fix.get("started"))
        if started and day < started - timedelta(days=3):
            continue
        if fix.get("status") in ("done", "dropped"):
            ended = _day(fix.get("due")) or LAST_DAY
            if day < min(ended, LAST_DAY - timedelta(days=1)):
                fix["status"] = "active"
        if fix.get("status") == "active" and started and day < started:
            fix["status"] = "planned"
        for action in fix.get("actions", []):
            due = _day(action.get("due"))
            if action.get("done") and due and day < due:
                action["done"] = False
        fixes.append(fix)
    data["fixes"] = fixes

    data["roadblocks"] = [block for block in data.get("roadblocks", [])
                          if not _day(block.get("raised")) or _day(block["raised"]) <= day]
    for block in data["roadblocks"]:
        resolved = _day(block.get("resolved"))
        if resolved and day < resolved:
            block.pop("resolved")
    for goal in data.get("goals", []):
        if goal.get("status") in ("done", "at risk") and share < 0.5:
            goal["status"] = "on track"
    data["one_on_ones"] = [meeting for meeting in data.get("one_on_ones", [])
                           if _day(meeting.get("date")) and meeting["date"] <= day]
    return {key: value for key, value in data.items() if value not in ([], {})}


def _schedule(finals: dict[tuple[str, str], dict[str, Any]]) -> list[tuple[date, str, str]]:
    """(day, team id, rep id) for every update: one-on-ones, assessments, fix starts."""
    updates = set()
    for (team_id, rep_id), final in finals.items():
        days = [meeting["date"] for meeting in final.get("one_on_ones", [])]
        days += [assessment["assessed"] for assessment in final.get("skills", {}).values()
                 if isinstance(assessment, dict) and _day(assessment.get("assessed"))]
        days += [fix["started"] for fix in final.get("fixes", []) if _day(fix.get("started"))]
        updates.update((day, team_id, rep_id) for day in days if _day(day))
    return sorted(update for update in updates if SETUP_DAY < update[0] < LAST_DAY)


def _git(dest: Path, day: date, *arguments: str) -> None:
    stamp = f"{day.isoformat()}T17:30:00+00:00"
    environment = {**os.environ, "GIT_AUTHOR_NAME": "Dana Whitfield",
                   "GIT_AUTHOR_EMAIL": "dana.whitfield@example.com",
                   "GIT_COMMITTER_NAME": "Dana Whitfield",
                   "GIT_COMMITTER_EMAIL": "dana.whitfield@example.com",
                   "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
                   "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        environment.pop(variable, None)
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
                    *arguments], cwd=dest, env=environment, check=True,
                   stdout=subprocess.DEVNULL)


def _write(path: Path, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    path.write_text("# yaml-language-server: $schema=../../../schema/rep.schema.json\n"
                    + text, encoding="utf-8")


MARKER = "reportgen-example"  # inside .git: this folder is one this script made


def make(dest: Path) -> None:
    if (dest / ".git" / MARKER).is_file():
        shutil.rmtree(dest)  # made by an earlier run: make it again, the same
    elif dest.exists() and any(dest.iterdir()):
        raise SystemExit(f"{dest} is not empty; give a new folder")
    teams = sorted(path for path in (REPO / "teams").iterdir() if (path / "team.yaml").is_file())
    finals: dict[tuple[str, str], dict[str, Any]] = {}
    period_starts: dict[str, date] = {}
    dest.mkdir(parents=True, exist_ok=True)
    (dest / ".gitignore").write_text("output/\n", encoding="utf-8")
    for source in teams:
        (dest / "teams" / source.name / "reps").mkdir(parents=True)
        shutil.copyfile(source / "team.yaml", dest / "teams" / source.name / "team.yaml")
        team = yaml.safe_load((source / "team.yaml").read_text(encoding="utf-8"))
        period_starts[source.name] = team["period"]["start"]
        for path in sorted((source / "reps").glob("*.yaml")):
            finals[source.name, path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))

    def write_state(team_id: str, rep_id: str, day: date) -> None:
        _write(dest / "teams" / team_id / "reps" / f"{rep_id}.yaml",
               state_at(rep_id, finals[team_id, rep_id], day, period_starts[team_id]))

    _git(dest, SETUP_DAY, "init", "-q")
    (dest / ".git" / MARKER).write_text("made by scripts/make_example_history.py\n")
    for (team_id, rep_id), final in finals.items():
        start = _day(final.get("start_date"))
        if start and start > SETUP_DAY + timedelta(days=14):
            continue  # hired mid-quarter: the file arrives with the rep
        write_state(team_id, rep_id, SETUP_DAY)
    _git(dest, SETUP_DAY, "add", "-A")
    _git(dest, SETUP_DAY, "commit", "-q", "-m", "Team and rep files for the period")
    for day, team_id, rep_id in _schedule(finals):
        write_state(team_id, rep_id, day)
        _git(dest, day, "add", "-A")
        _git(dest, day, "commit", "-q", "--allow-empty", "-m",
             f"{finals[team_id, rep_id]['name']}: one-on-one and file update")
    for source in teams:
        for path in sorted((source / "reps").glob("*.yaml")):
            shutil.copyfile(path, dest / "teams" / source.name / "reps" / path.name)
    _git(dest, LAST_DAY, "add", "-A")
    _git(dest, LAST_DAY, "commit", "-q", "--allow-empty", "-m", "This week's updates")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    make(Path(sys.argv[1]))
