"""Symbolic links never make reportgen read or write outside the workspace."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REP_YAML

SECRET = "root:x:0:0:the-secret-line"


def reportgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True,
                          text=True, timeout=120)


def test_a_rep_file_linked_outside_is_refused_and_never_read(workspace, tmp_path,
                                                            tmp_path_factory):
    root = workspace()
    outside = tmp_path_factory.mktemp("outside") / "passwd"
    outside.write_text(SECRET + "\n", encoding="utf-8")
    (root / "teams/core/reps/bob.yaml").symlink_to(outside)
    for command in (["validate", str(root)],
                    ["build", str(root), "--out", str(tmp_path / "out"), "--format", "html"]):
        result = reportgen(*command)
        assert result.returncode == 1
        assert ("teams/core/reps/bob.yaml:1:1: error: -: a symbolic link: reportgen does not"
                " follow links here") in result.stderr
        assert "the-secret" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()


def test_linked_team_and_reps_folders_are_refused(workspace, tmp_path):
    root = workspace()
    (root / "shared").mkdir()
    (root / "shared/reps").mkdir()
    (root / "shared/team.yaml").write_text((root / "teams/core/team.yaml").read_text())
    (root / "teams/other").symlink_to(root / "shared")
    (root / "teams/core/reps").rename(root / "core-reps")
    (root / "teams/core/reps").symlink_to(root / "core-reps")
    result = reportgen("validate", str(root))
    assert result.returncode == 1
    assert "teams/core/reps/:1:1: error: -: a symbolic link to a folder" in result.stderr
    assert "teams/other/:1:1: error: -: a symbolic link to a folder" in result.stderr


def test_template_links_outside_are_refused_inside_they_work(workspace, tmp_path,
                                                            tmp_path_factory):
    root = workspace()
    (root / "templates").mkdir()
    outside = tmp_path_factory.mktemp("outside") / "elsewhere.html"
    outside.write_text('{% extends "plan_base.html" %}', encoding="utf-8")
    (root / "templates/plan.html").symlink_to(outside)
    result = reportgen("build", str(root), "--out", str(tmp_path / "out"), "--format", "html")
    assert result.returncode == 1
    assert ("templates/plan.html:1:1: error: -: a symbolic link to a file outside the"
            " workspace") in result.stderr
    assert not (tmp_path / "out").exists()

    (root / "templates/plan.html").unlink()
    (root / "kept.html").write_text('{% extends "plan_base.html" %}{% block notes %}KEPT'
                                    "{% endblock %}", encoding="utf-8")
    (root / "templates/plan.html").symlink_to(root / "kept.html")
    result = reportgen("build", str(root), "--out", str(tmp_path / "out"), "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "KEPT" in (tmp_path / "out/core/reps/ann.html").read_text()


def test_out_guard_holds_when_teams_is_a_link(workspace, tmp_path):
    root = workspace()
    (root / "data").mkdir()
    (root / "teams").rename(root / "data/teams")
    (root / "teams").symlink_to(root / "data/teams")
    result = reportgen("build", str(root), "--out", str(root / "data/teams"), "--format", "html")
    assert result.returncode == 2
    assert "would write over the workspace's own files" in result.stderr
    assert sorted(path.name for path in (root / "data/teams").iterdir()) == ["core"]
    result = reportgen("build", str(root), "--out", str(tmp_path / "out"), "--format", "html")
    assert result.returncode == 0, result.stderr


def test_nothing_is_written_through_a_linked_output_folder(workspace, tmp_path,
                                                          tmp_path_factory):
    root = workspace()
    out = tmp_path / "out"
    outside = tmp_path_factory.mktemp("outside")
    out.mkdir()
    (out / "core").symlink_to(outside)
    result = reportgen("build", str(root), "--out", str(out), "--format", "html")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {out}/core is a symbolic link: reportgen writes only into real folders"
        " inside the output folder; remove the link; nothing was written"]
    assert list(outside.iterdir()) == []
    assert not (out / "index.html").exists()


def test_rep_text_is_kept_apart(workspace):
    """A plain rep file next to the refused link still loads (one problem, one file)."""
    root = workspace(reps={"ann": REP_YAML})
    (root / "teams/core/reps/zed.yaml").symlink_to(root / "teams/core/reps/ann.yaml")
    result = reportgen("validate", str(root))
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "teams/core/reps/zed.yaml:1:1: error: -: a symbolic link: reportgen does not follow"
        " links here (one can point anywhere once it arrives in a pull request); put the"
        " file or folder itself here"]
