"""The template assets (stylesheets, fonts, images): where each is, and a key of them all.

Light on imports: `reportgen build` computes the key before it starts its PDF workers,
first thing, and the build compares it with its own (see `cli._pdf_workers_started_early`).
"""

from __future__ import annotations

from pathlib import Path

from reportgen.hashing import digest
from reportgen.layout import template_folders
from reportgen.links import check_template_links


def asset_file(folders: list[Path], name: str) -> Path:
    """An asset (CSS, font, image) by name, from the first template folder that has it."""
    for folder in folders:
        candidate = folder / "assets" / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no asset named {name!r} in {', '.join(map(str, folders))}")


def asset_names(folders: list[Path]) -> list[str]:
    names = set()
    for folder in folders:
        assets = folder / "assets"
        if assets.is_dir():
            names.update(path.relative_to(assets).as_posix() for path in assets.rglob("*")
                         if path.is_file())
    return sorted(names)


def assets_key(digests: dict[str, str]) -> str:
    """One key for every asset, from each one's digest by name."""
    return digest(repr(sorted(digests.items())))


def asset_digests(folders: list[Path]) -> dict[str, str]:
    return {name: digest(asset_file(folders, name).read_bytes())
            for name in asset_names(folders)}


def worker_assets(workspace: Path) -> tuple[list[Path], str]:
    """The asset folders PDF workers read, and a key that changes when any asset does."""
    check_template_links(workspace)
    folders = template_folders(workspace)
    return [folder / "assets" for folder in folders], assets_key(asset_digests(folders))
