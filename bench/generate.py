"""Generate a workspace of N reps (teams of 8) for benchmarks: `python bench/generate.py N DIR`.

The reps are realistic in size and shape (every field used, Markdown notes, several
fixes and one-on-ones) and deterministic for a given N, so runs compare.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

SKILLS = ["prospecting", "qualification", "deal-strategy", "high-impact-calls",
          "business-outcomes", "time-management", "resource-use"]
TEAM_SIZE = 8

TEAM = """\
name: Region {number}
manager: Manager {number}
period: {{name: Q4 2026, start: 2026-10-01, end: 2026-12-31}}
currency: USD
coverage_target: 3.0
stale_after_days: 90
"""


def rep_yaml(rng: random.Random, index: int) -> str:
    quota = rng.randrange(300, 900) * 1000
    closed = int(quota * rng.uniform(0.1, 1.2))
    lines = [
        f"name: Rep {index}", "role: Account Executive", f"territory: Territory {index % 17}",
        f"email: rep{index}@example.com", f"quota: {quota}", "results:",
        f"  closed: {closed}", f"  pipeline: {int(quota * rng.uniform(0.5, 4))}",
        f'  win_rate: "{rng.randrange(10, 40)}%"', f"  meetings: {rng.randrange(5, 60)}",
        "skills:",
    ]
    for skill in SKILLS:
        lines += [f"  {skill}:", f"    rating: {rng.randrange(1, 6)}",
                  f"    assessed: 2026-{rng.randrange(8, 12):02d}-{rng.randrange(1, 29):02d}",
                  "    evidence: |", "      Observed on two calls: **asked about impact**,",
                  "      then moved to a demo before confirming the decision process.",
                  "    private: Personal context the manager keeps to themselves."]
    lines += ["goals:", "  - goal: Close two new logos", "    due: 2026-12-15",
              "    measure: Signed order forms", "    status: on track", "fixes:"]
    for number, skill in enumerate(rng.sample(SKILLS, 3)):
        status = ["active", "active", "planned"][number]
        lines += [f"  - skill: {skill}", "    focus: Open each first call with three",
                  "      discovery questions on business impact",
                  "    why: Deals stall at stage 2 without quantified pain",
                  "    measure: 8 of the next 10 first calls show quantified pain",
                  f"    status: {status}", "    started: 2026-10-05", "    due: 2026-12-10",
                  "    actions:"]
        for action in range(3):
            lines += [f"      - do: Ride-along number {action + 1} with debrief",
                      f"        due: 2026-{10 + action:02d}-20",
                      f"        done: {'true' if action == 0 else 'false'}"]
    lines += ["roadblocks:", "  - issue: Legal redlines take three weeks", "    owner: manager",
              "    raised: 2026-10-20", "one_on_ones:"]
    for month in (10, 11):
        lines += [f"  - date: 2026-{month}-0{rng.randrange(1, 9)}", "    notes: |",
                  "      - Reviewed **top three deals**", "      - Agreed next steps",
                  "    private: Not for the plan."]
    return "\n".join(lines) + "\n"


def generate(reps: int, root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(reps)
    for index in range(reps):
        team_dir = root / "teams" / f"region-{index // TEAM_SIZE:04d}"
        if index % TEAM_SIZE == 0:
            (team_dir / "reps").mkdir(parents=True)
            (team_dir / "team.yaml").write_text(TEAM.format(number=index // TEAM_SIZE))
        (team_dir / "reps" / f"rep-{index:05d}.yaml").write_text(rep_yaml(rng, index))
    return root


if __name__ == "__main__":
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    generate(count, folder)
    print(f"wrote {count} reps under {folder}")
