"""One side of `render_bench.py`: a worker-like process rendering one workspace's PDFs.

    python bench/render_worker.py TREE WORKSPACE AS_OF HTML_DIR

TREE is a reportgen source tree (this checkout, or a baseline exported from git): its
`reportgen` package and `templates/` are the ones used. The process renders every plan
and scorecard of WORKSPACE to the PDF renderer's HTML (with history, as a build does),
writes each, with the stylesheet the PDF path applies linked in, to HTML_DIR (for
Chromium), renders each PDF once (warm: fonts, caches), then answers commands on its
standard input, one a line:

    time I       render document I once; print the seconds (write_pdf, HTML given)
    profile I F  render document I under cProfile, write the stats to file F
    pdf I F      write document I's PDF to file F
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path


def main() -> None:
    tree, workspace, as_of_text, html_dir = sys.argv[1:5]
    sys.path.insert(0, tree)
    from reportgen.analysis import analyse
    from reportgen.history import read_history
    from reportgen.pdf import PdfRenderer
    from reportgen.render import Renderer
    from reportgen.workspace import load_workspace

    assert Path(sys.modules["reportgen"].__file__ or "").is_relative_to(Path(tree).resolve())
    ws = Path(workspace)
    as_of = date.fromisoformat(as_of_text)
    history = read_history(ws)
    analysis = analyse(load_workspace(ws), as_of, history)
    renderer = Renderer(ws, target="pdf")
    documents: list[tuple[str, str]] = []
    for team in analysis.teams:
        for rep in team.reps:
            documents.append((f"{team.id}/{rep.id}", renderer.plan(as_of, team, rep).html))
        documents.append((f"{team.id}/scorecard", renderer.scorecard(as_of, team).html))
    pdf = PdfRenderer([folder / "assets" for folder in renderer.folders])
    sheets = getattr(pdf, "stylesheet_paths", None) or [
        next(folder / "assets" / "reportgen.css" for folder in renderer.folders
             if (folder / "assets" / "reportgen.css").is_file())]
    links = "".join(f'<link rel="stylesheet" href="{Path(sheet).resolve().as_uri()}">'
                    for sheet in sheets)
    names = []
    for number, (name, html) in enumerate(documents):
        path = Path(html_dir) / f"{number:02d}.html"
        path.write_text(html.replace("</title>", "</title>\n" + links, 1))
        names.append({"name": name, "html": str(path)})
        rendered = pdf.render(html)  # warm
        if rendered.renderer_warnings:
            print(f"warning: {name}: {rendered.renderer_warnings}", file=sys.stderr)
    print(json.dumps(names), flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        html = documents[int(args[0])][1]
        if command == "time":
            started = time.perf_counter()
            pdf.render(html)
            print(f"{time.perf_counter() - started:.6f}", flush=True)
        elif command == "profile":
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
            pdf.render(html)
            profiler.disable()
            profiler.dump_stats(args[1])
            print("ok", flush=True)
        elif command == "pdf":
            Path(args[1]).write_bytes(pdf.render(html).data)
            print("ok", flush=True)


if __name__ == "__main__":
    main()
