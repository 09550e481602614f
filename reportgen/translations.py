"""The words of the pages in the team's language: gettext catalogues, compiled when read.

The `.po` files live in `reportgen/locale/<language>/LC_MESSAGES/messages.po` (shipped
in the wheel with the package). They are compiled in memory the first time a build needs
a language, so the repository and the wheel hold only the text a translator edits, and
an edited `.po` takes effect at the next build. Fuzzy entries are left out (their
English shows) until a translator confirms them.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "messages"


def catalogue_folder() -> Path:
    return Path(__file__).resolve().parent / "locale"


def catalogue_file(locale: str) -> Path | None:
    """The catalogue for `locale`: its own (`de_CH`) if there is one, else its language's
    (`de`). None: the pages stay in English, the language the templates are written in."""
    parsed = Locale.parse(locale)
    for name in (str(parsed), parsed.language):
        candidate = catalogue_folder() / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=32)
def translations(locale: str) -> gettext.NullTranslations:
    """What Jinja's i18n extension translates with, for pages in `locale`."""
    source = catalogue_file(locale)
    if source is None:
        return gettext.NullTranslations()
    with source.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def catalogues_digest() -> str:
    """One digest of every catalogue: an edited translation rebuilds the pages."""
    digest = hashlib.sha256()
    for path in sorted(catalogue_folder().rglob("*.po")):
        digest.update(path.relative_to(catalogue_folder()).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
