"""The index and the scorecards read on a phone: nothing runs off the right edge at 390 px.

Measured in Debian's Chromium, driven over the DevTools protocol (tests/browser.py). On a
machine without Chromium the test is skipped, except in CI (CI=true), where a missing
browser is a failure: .ci/run installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import Chromium, find_chromium

PHONE = 390


@pytest.fixture(scope="module")
def chromium():
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed; .ci/run installs it (apt-get install"
                        " chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with Chromium(executable) as browser:
        yield browser


@pytest.mark.parametrize("page", ["index.html", "west-enterprise/scorecard.html",
                                  "west-smb/scorecard.html",
                                  "west-enterprise/reps/priya-raman.html"])
def test_no_horizontal_overflow_at_phone_width(example_build, chromium, page):
    out, _ = example_build
    widths = chromium.page_widths(out / page, PHONE)
    assert widths["client"] == PHONE
    assert widths["scroll"] <= PHONE, (
        f"{page} is {widths['scroll']} px wide on a {PHONE} px screen (the element reaching"
        f" furthest right: {widths['widest']})")


def test_the_measure_sees_an_overflowing_page(chromium, tmp_path: Path):
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><meta name="viewport" content="width=device-width">'
                    '<div style="width: 600px">too wide</div>', encoding="utf-8")
    assert chromium.page_widths(page, PHONE)["scroll"] >= 600
