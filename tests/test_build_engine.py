"""The build engine: incremental, reproducible, atomic, parallel, sharded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest

from reportgen.build import BuildError, BuildOptions, build, shard_of
from reportgen.manifest import MANIFEST_NAME
from reportgen.pdf_workers import CRASH_FOR_TESTS
from tests.conftest import EXAMPLE, REP_YAML, write_workspace

AS_OF = date(2026, 11, 15)


def snapshot(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes()
            for path in sorted(out.rglob("*")) if path.is_file()}


def mtimes(out: Path) -> dict[str, int]:
    return {path.relative_to(out).as_posix(): path.stat().st_mtime_ns
            for path in out.rglob("*") if path.is_file()}


@pytest.fixture
def two_reps(workspace):
    return workspace(reps={"ann": REP_YAML, "bob": REP_YAML.replace("Ann Lee", "Bob Roy")})


def test_same_inputs_give_the_same_bytes_whatever_jobs_and_hash_seed(tmp_path, example_build):
    # One build from the command line with one worker and a fixed hash seed; the other
    # is the session's build of the example, in this process (random seed), two workers.
    out = tmp_path / "out-1"
    env = {**os.environ, "PYTHONHASHSEED": "1"}
    subprocess.run([sys.executable, "-m", "reportgen", "build", str(EXAMPLE), "--out",
                    str(out), "--as-of", "2026-11-26", "--jobs", "1", "-q"],
                   check=True, env=env)
    outputs = [snapshot(out), snapshot(example_build[0])]
    # The manifest records each file's modification time by design; the documents
    # themselves must not differ by a byte.
    first, second = ({name: data for name, data in output.items() if name != MANIFEST_NAME}
                     for output in outputs)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert any(name.endswith(".pdf") for name in first)


def test_noop_rebuild_writes_nothing(two_reps, tmp_path, pdf_workers):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    before = mtimes(out)
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    assert report.nothing_to_do and report.built == []
    assert mtimes(out) == before


def test_changing_one_rep_rebuilds_its_plan_its_scorecard_and_the_index(two_reps, tmp_path,
                                                                        pdf_workers):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    before = mtimes(out)
    rep_file = two_reps / "teams" / "core" / "reps" / "bob.yaml"
    rep_file.write_text(rep_file.read_text().replace("closed: 50000", "closed: 60000"))
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    assert sorted(report.built) == ["core/reps/bob.html", "core/reps/bob.pdf",
                                    "core/scorecard.html", "core/scorecard.pdf", "index.html"]
    after = mtimes(out)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == sorted([*report.built, MANIFEST_NAME])


def test_a_template_change_rebuilds_what_uses_it(two_reps, tmp_path):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    own = two_reps / "templates"
    own.mkdir()
    (own / "scorecard.html").write_text('{% extends "scorecard_base.html" %}'
                                        "{% block heatmap %}{% endblock %}")
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    assert report.built == ["core/scorecard.html"]
    (own / "_macros.html").write_text(
        (Path(__file__).parent.parent / "templates" / "_macros.html").read_text() + "\n")
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    # Every page imports the shared macros.
    assert sorted(report.built) == ["core/reps/ann.html", "core/reps/bob.html",
                                    "core/scorecard.html", "index.html"]


def test_force_and_a_new_date_rebuild_everything(two_reps, tmp_path):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    forced = build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",), force=True))
    later = build(two_reps, BuildOptions(as_of=date(2026, 11, 16), out=out, formats=("html",)))
    expected = ["core/reps/ann.html", "core/reps/bob.html", "core/scorecard.html", "index.html"]
    assert sorted(o for o in forced.built if not o.startswith("_assets")) == expected
    assert sorted(later.built) == expected


def test_outputs_of_removed_reps_and_teams_are_deleted(two_reps, tmp_path, pdf_workers):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    (out / "core" / "reps" / "notes-by-hand.txt").write_text("mine")
    (two_reps / "teams" / "core" / "reps" / "bob.yaml").unlink()
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    assert report.removed == ["core/reps/bob.html", "core/reps/bob.pdf"]
    assert not (out / "core" / "reps" / "bob.pdf").exists()
    # A file reportgen did not write is never touched.
    assert (out / "core" / "reps" / "notes-by-hand.txt").read_text() == "mine"


def test_bad_data_leaves_the_previous_output_byte_identical(two_reps, tmp_path, pdf_workers):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    before = snapshot(out)
    rep_file = two_reps / "teams" / "core" / "reps" / "ann.yaml"
    rep_file.write_text(rep_file.read_text().replace("quota: 100000", "quota: -1"))
    with pytest.raises(Exception, match="negative"):
        build(two_reps, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    assert snapshot(out) == before


def test_a_crashing_worker_fails_the_build_naming_the_rep(two_reps, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    before = snapshot(out)
    monkeypatch.setenv(CRASH_FOR_TESTS, "core/reps/bob.pdf")
    two_reps.joinpath("teams/core/team.yaml").write_text(
        two_reps.joinpath("teams/core/team.yaml").read_text().replace("Test Team", "Team B"))
    with pytest.raises(BuildError) as caught:
        build(two_reps, BuildOptions(as_of=AS_OF, out=out, jobs=2))
    assert "core/reps/bob.pdf" in str(caught.value)
    assert "teams/core/reps/bob.yaml" in str(caught.value)
    # Nothing changed: no PDF was put in place, no temporary file is left.
    assert snapshot(out) == before



@pytest.mark.parametrize("hard_links", [True, False], ids=["hard-links", "no-hard-links"])
def test_a_pdf_published_early_is_put_back_when_the_build_fails(two_reps, tmp_path,
                                                                 monkeypatch, hard_links):
    """`watch` renames each PDF into place as soon as it is rendered; a build that fails
    afterwards puts the old file back (same bytes, same mtime: the manifest still
    matches), removes a new one that had no old one, and leaves no temporary file. Also
    where the file system has no hard links (FAT, exFAT, some network mounts)."""
    import errno
    import os

    from reportgen.pdf_workers import PdfWorkers

    if not hard_links:
        def no_links(*_args, **_kwargs):
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_links)

    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, reps=("bob",)))
    before, before_mtimes = snapshot(out), mtimes(out)
    assert "core/reps/bob.pdf" in before and "core/reps/ann.pdf" not in before
    # One worker renders in order: ann's plan, bob's, then the scorecard, which crashes.
    monkeypatch.setenv(CRASH_FOR_TESTS, "core/scorecard.pdf")
    two_reps.joinpath("teams/core/team.yaml").write_text(
        two_reps.joinpath("teams/core/team.yaml").read_text().replace("Test Team", "Team B"))
    published = []

    def progress(action: str, output: str) -> None:
        if action == "rendered" and output.endswith(".pdf"):
            # Already in place, not waiting for the end of the build.
            published.append((output, (out / output).read_bytes() != before.get(output)))

    with PdfWorkers([], 1) as workers, pytest.raises(BuildError, match=r"scorecard\.pdf"):
        build(two_reps, BuildOptions(as_of=AS_OF, out=out), progress, workers=workers,
              publish_early=True)
    assert published == [("core/reps/ann.pdf", True), ("core/reps/bob.pdf", True)]
    assert snapshot(out) == before
    assert mtimes(out) == before_mtimes
    # Nothing to mend: the next build renders what changed and succeeds.
    monkeypatch.delenv(CRASH_FOR_TESTS)
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out), publish_early=True)
    assert {"core/reps/ann.pdf", "core/reps/bob.pdf", "core/scorecard.pdf"} <= set(report.built)
    assert not list(out.rglob("*.reportgen-tmp"))
    again = build(two_reps, BuildOptions(as_of=AS_OF, out=out))
    assert again.nothing_to_do

def test_shards_split_the_plans_and_only_index_assembles(tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLE / "teams", workspace / "teams")
    plans = set()
    for shard in (1, 2, 3):
        out = tmp_path / f"shard-{shard}"
        report = build(workspace, BuildOptions(as_of=AS_OF, out=out, formats=("html",),
                                               shard=(shard, 3)))
        built = {o for o in report.built if o.endswith(".html")}
        assert all("/reps/" in output for output in built)
        assert plans.isdisjoint(built)
        plans |= built
    assert len(plans) == 9  # six in West Enterprise (Ben Carter has left), three in West SMB
    final = build(workspace, BuildOptions(as_of=AS_OF, out=tmp_path / "final",
                                          formats=("html",), only_index=True))
    assert sorted(o for o in final.built if not o.startswith("_assets")) == [
        "index.html", "west-enterprise/scorecard.html", "west-smb/scorecard.html"]
    assert shard_of("west-enterprise", "maya-chen", 3) == shard_of("west-enterprise",
                                                                    "maya-chen", 3)


def test_leftover_temporary_files_are_cleaned(two_reps, tmp_path):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    leftover = out / "core" / ".ann.pdf.abc123.reportgen-tmp"
    leftover.write_bytes(b"half a pdf")
    rep_file = two_reps / "teams" / "core" / "reps" / "ann.yaml"
    rep_file.write_text(rep_file.read_text() + "role: AE\n")
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    assert not leftover.exists()


def test_out_cannot_be_the_workspace(two_reps):
    from reportgen.build import SelectionError

    with pytest.raises(SelectionError):
        build(two_reps, BuildOptions(as_of=AS_OF, out=two_reps))
    with pytest.raises(SelectionError):
        build(two_reps, BuildOptions(as_of=AS_OF, out=two_reps / "teams" / "x"))


def test_pdf_dates_come_from_as_of_or_source_date_epoch(two_reps, tmp_path, monkeypatch):
    import pypdf

    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("pdf",), reps=("ann",)))
    info = pypdf.PdfReader(out / "core" / "reps" / "ann.pdf").metadata
    assert info["/CreationDate"].startswith("D:20261115000000")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("pdf",), reps=("ann",)))
    info = pypdf.PdfReader(out / "core" / "reps" / "ann.pdf").metadata
    assert info["/CreationDate"].startswith("D:20231114221320")


def test_strict_fails_even_when_nothing_changed(two_reps, tmp_path):
    from reportgen.problems import DataError

    out = tmp_path / "out"
    stale = REP_YAML.replace("prospecting: 3",
                             "prospecting: {rating: 3, assessed: 2025-01-01}")
    (two_reps / "teams" / "core" / "reps" / "ann.yaml").write_text(stale)
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    assert report.warnings
    with pytest.raises(DataError):
        build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",), strict=True))


def test_renaming_a_rep_rebuilds_the_scorecard_that_links_it(two_reps, tmp_path):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    reps = two_reps / "teams" / "core" / "reps"
    (reps / "bob.yaml").rename(reps / "zed.yaml")
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    assert "core/scorecard.html" in report.built
    scorecard = (out / "core" / "scorecard.html").read_text()
    assert "reps/zed.html" in scorecard and "reps/bob.html" not in scorecard
    assert report.removed == ["core/reps/bob.html"]


def test_an_incremental_build_gives_what_a_full_build_gives(workspace, tmp_path, pdf_workers):
    """Unchanged teams are not read again: their index lines and warnings come from the
    last build's manifest. Whatever was kept, the result must equal a build from scratch."""
    stale = REP_YAML.replace("prospecting: 3", "prospecting: {rating: 3, assessed: 2025-01-01}")
    workspace(reps={"ann": REP_YAML, "bob": REP_YAML.replace("Ann Lee", "Bob Roy")})
    root = workspace(team_id="east", reps={"cy": stale.replace("Ann Lee", "Cy Moss")
                                           .replace("closed: 50000", "closed: 12345.67")})
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build(root, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
    edits = [("teams/core/reps/bob.yaml", "closed: 50000", "closed: 99000"),
             ("teams/east/team.yaml", "Test Team", "East Team"),
             ("teams/core/reps/ann.yaml", "quota: 100000", "quota: 300000")]
    for file, old, new in edits:
        path = root / file
        path.write_text(path.read_text().replace(old, new))
        incremental = build(root, BuildOptions(as_of=AS_OF, out=out), workers=pdf_workers)
        full = build(root, BuildOptions(as_of=AS_OF, out=fresh, force=True),
                     workers=pdf_workers)
        assert incremental.warnings == full.warnings
        assert any(w.file == "teams/east/reps/cy.yaml" for w in incremental.warnings)
        kept, rebuilt = snapshot(out), snapshot(fresh)
        del kept[MANIFEST_NAME], rebuilt[MANIFEST_NAME]
        assert kept == rebuilt, file
    index = (out / "index.html").read_text()
    assert "East Team" in index and "2 teams · 3 reps" in index


def test_a_manifest_from_an_older_reportgen_means_a_full_rebuild(two_reps, tmp_path):
    out = tmp_path / "out"
    build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    manifest = out / MANIFEST_NAME
    manifest.write_text(manifest.read_text().replace('"format":3', '"format":2'))
    report = build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    assert sorted(o for o in report.built if not o.startswith("_assets")) == [
        "core/reps/ann.html", "core/reps/bob.html", "core/scorecard.html", "index.html"]


def test_compiled_templates_kept_between_runs_follow_a_changed_template(two_reps, tmp_path):
    """Templates are compiled once and kept on disk (Jinja's bytecode cache); a fresh run
    with a workspace template edited in place uses the edited one, and code compiled
    under other environment options is not used."""
    from reportgen.render import _bytecode_cache, _environment

    cache = _bytecode_cache()
    assert cache is not None
    templates = two_reps / "templates"
    templates.mkdir()
    page = templates / "plan.html"
    out = tmp_path / "out"
    kept = set(Path(cache.directory).glob(cache.pattern % "*"))
    for word in ("First", "Other"):  # same length, same second: only the text differs
        page.write_text('{% extends "plan_base.html" %}{% block notes %}<p>' + word
                        + " words</p>{{ super() }}{% endblock %}", encoding="utf-8")
        _environment.cache_clear()  # as a fresh process: only the disk cache is left
        build(two_reps, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
        assert f"<p>{word} words</p>" in (out / "core/reps/ann.html").read_text()
    # This workspace's plan.html (a new path) was compiled and kept.
    assert set(Path(cache.directory).glob(cache.pattern % "*")) - kept


def test_pdf_workers_leave_nothing_in_the_temporary_folder(two_reps, tmp_path):
    """WeasyPrint writes the stylesheet's fonts to a folder of its own in each worker;
    the workers remove it when they stop (they exit without the interpreter's clean-up)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(two_reps), "--out",
         str(tmp_path / "out"), "--as-of", "2026-11-15", "--jobs", "2", "-q"],
        env={**os.environ, "TMPDIR": str(temporary)}, capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/core/reps/ann.pdf").is_file()
    # (Jinja's folder of compiled templates stays: it is kept between runs on purpose.)
    assert list(temporary.glob("weasyprint-*")) == []



def test_workers_a_build_did_not_need_leave_nothing_in_the_temporary_folder(tmp_path,
                                                                            monkeypatch):
    """A build starts its workers before it knows how many PDFs it has (so that loading
    WeasyPrint overlaps its own work); one left without a document is ended at once,
    and takes its font folder along, loaded or not."""
    import time

    from reportgen.layout import template_folders
    from reportgen.pdf_workers import PdfWorkers

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))  # the workers' temporary folder
    assets = [folder / "assets" for folder in template_folders(tmp_path)]
    with PdfWorkers(assets, 2) as workers:
        workers.start(2)
        deadline = time.monotonic() + 20
        while len(list(temporary.glob("weasyprint-*"))) < 2:  # both have their fonts
            assert time.monotonic() < deadline, "the workers did not load their fonts"
            time.sleep(0.05)
    assert list(temporary.glob("weasyprint-*")) == []


def test_compiled_templates_are_kept_per_environment_options(tmp_path):
    import jinja2

    from reportgen.render import _bytecode_cache

    cache = _bytecode_cache()
    assert cache is not None
    (tmp_path / "page.html").write_text("{% trans %}Hello{% endtrans %}", encoding="utf-8")
    keys = set()
    for newstyle in (False, True):
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)),
                                         extensions=["jinja2.ext.i18n"])
        environment.install_null_translations(newstyle=newstyle)
        bucket = cache.get_bucket(environment, "page.html", str(tmp_path / "page.html"),
                                  "{% trans %}Hello{% endtrans %}")
        keys.add(bucket.key)
    assert len(keys) == 2


def test_compiled_templates_are_kept_apart_with_and_without_finalize(tmp_path):
    """Every `{{ }}` compiles to a call of the environment's `finalize` when it has one:
    code compiled without it (an older reportgen of the same version) must not be used."""
    import jinja2

    from reportgen.render import _bytecode_cache

    cache = _bytecode_cache()
    assert cache is not None
    source = "{{ greeting }}"
    (tmp_path / "page.html").write_text(source, encoding="utf-8")

    def key(**options):
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)),
                                         **options)
        return cache.get_bucket(environment, "page.html", str(tmp_path / "page.html"),
                                source).key

    plain = key()
    with_finalize = key(finalize=str.upper)
    assert plain != with_finalize
    assert with_finalize == key(finalize=str.lower)  # the function itself is not compiled in
    assert with_finalize != key(finalize=jinja2.pass_context(lambda context, value: value))


def _closure_by_jinjas_parse(environment, name: str) -> list[str]:
    import jinja2.meta

    seen, pending = set(), [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        source = environment.loader.get_source(environment, current)[0]
        pending += [found for found in jinja2.meta.find_referenced_templates(
            environment.parse(source)) if found is not None]
    return sorted(seen)


def test_a_templates_closure_is_what_jinjas_own_parse_finds(tmp_path):
    """The build key names every template a page is made from; it is found without
    parsing, so it must agree with Jinja's parse on every way a template names another:
    the shipped templates and the forms a workspace's own may use."""
    import jinja2

    from reportgen.layout import builtin_templates
    from reportgen.manifest import template_closure
    from reportgen.render import _environment

    shipped = _environment((builtin_templates(),))
    for page in ("plan.html", "scorecard.html", "index.html"):
        assert template_closure(shipped, page) == _closure_by_jinjas_parse(shipped, page)
    sources = {
        "page.html": '{%- extends "base.html" -%}{% block b %}{% include("a.html") %}'
                     "{% include'b.html' %}{% from \"m.html\" import x %}"
                     '{% include ["c.html", "d.html"] ignore missing %}{% endblock %}',
        "base.html": "{% block b %}{% endblock %}", "a.html": "a", "b.html": "b",
        "c.html": "c", "d.html": "d", "m.html": "{% macro x() %}{% endmacro %}"}
    own = jinja2.Environment(loader=jinja2.DictLoader(sources))
    assert template_closure(own, "page.html") == _closure_by_jinjas_parse(own, "page.html") \
        == sorted(sources)


def _processes_marked(marker: str) -> list[int]:
    """The live processes whose environment holds `marker` (a build and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize("second_build", ["nothing to do", "invalid data"])
def test_pdf_workers_started_with_the_command_end_with_it(tmp_path, second_build):
    """`reportgen build` starts its PDF workers before it knows whether there is work:
    a build with nothing to do, or one that stops at invalid data, leaves none behind.
    WeasyPrint takes 30 s to import in the second build here, so a worker the build
    did not stop would still be there when the build has returned."""
    root = write_workspace(tmp_path / "ws")
    marker = uuid.uuid4().hex
    env = {**os.environ, "REPORTGEN_TEST_MARK": marker}
    command = [sys.executable, "-m", "reportgen", "build", str(root), "--as-of", AS_OF.isoformat()]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    if second_build == "invalid data":
        rep = next((root / "teams").glob("*/reps/*.yaml"))
        rep.write_text(rep.read_text().replace("quota:", "quota: [", 1))
    slow = tmp_path / "slow-weasyprint"
    slow.mkdir()
    (slow / "sitecustomize.py").write_text(
        "import sys, time\n"
        "class SlowWeasyPrint:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'weasyprint':\n"
        "            time.sleep(30)\n"
        "sys.meta_path.insert(0, SlowWeasyPrint())\n")
    second = subprocess.run(command, env={**env, "PYTHONPATH": str(slow)}, capture_output=True,
                            text=True, timeout=120)
    if second_build == "nothing to do":
        assert second.returncode == 0 and "up to date: nothing to do" in second.stderr
    else:
        assert second.returncode == 1 and "Traceback" not in second.stderr
    deadline = time.monotonic() + 5  # a stopped worker may still be being torn down
    while _processes_marked(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_marked(marker) == []


def test_a_stylesheet_edited_while_the_build_waits_is_in_its_pdfs(tmp_path):
    """The PDF workers start, and read the stylesheet, before the build takes its own
    key of the assets (it may wait for another build's lock first). A stylesheet edited
    in between is in the PDFs: they are the same as a forced build's."""
    import hashlib

    from reportgen.output_lock import locked

    root = write_workspace(tmp_path / "ws")
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates" / "assets",
                    root / "templates" / "assets")
    sheet = root / "templates" / "assets" / "reportgen.css"
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "reportgen", "build", str(root), "--out", str(out),
               "--as-of", AS_OF.isoformat(), "--format", "pdf", "-q"]
    subprocess.run(command, env=env, capture_output=True, check=True, timeout=120)
    rep = next((root / "teams").glob("*/reps/*.yaml"))
    rep.write_text(rep.read_text() + "\n")  # work for the next build
    with locked(out, lambda: None):
        waiting = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
        # The worker has read the sheet once it makes its font folder (for the sheet's
        # @font-face rules); only then is the sheet changed.
        deadline = time.monotonic() + 60
        while not list(scratch.glob("weasyprint-*")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list(scratch.glob("weasyprint-*"))
        sheet.write_text(sheet.read_text() + "\nbody { color: #c00000 !important; }\n")
    assert waiting.wait(timeout=120) == 0, waiting.stderr.read() if waiting.stderr else ""
    built = {path: hashlib.sha256(path.read_bytes()).digest() for path in out.rglob("*.pdf")}
    subprocess.run([*command, "--force"], env=env, capture_output=True, check=True, timeout=120)
    assert built == {path: hashlib.sha256(path.read_bytes()).digest()
                     for path in out.rglob("*.pdf")}
