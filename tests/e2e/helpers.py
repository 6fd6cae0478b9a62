"""Small Playwright helpers shared by the browser tests."""

from __future__ import annotations

import io

RUNNING = "[data-testid='stStatusWidget']"
EXCEPTION = "[data-testid='stException']"


def settle(page, quiet_ms: int = 700) -> None:
    """Wait until the script run is over and the page has stopped changing for ``quiet_ms``."""
    page.wait_for_timeout(300)
    page.wait_for_function(f'() => !document.querySelector("{RUNNING}")', timeout=90_000)
    page.wait_for_timeout(quiet_ms)
    page.wait_for_function(f'() => !document.querySelector("{RUNNING}")', timeout=90_000)


def nav_titles(page) -> list[str]:
    """Titles of the pages in the sidebar navigation (without their icon's ligature name)."""
    more = page.locator("[data-testid='stSidebarNavViewButton']")
    if more.count() and "more" in (more.first.inner_text() or "").lower():  # long lists are folded
        more.first.click()
        page.wait_for_timeout(300)
    texts = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    return [text.strip().splitlines()[-1].strip() for text in texts]


def open_nav(page, title: str) -> None:
    """Click a page in the sidebar navigation, as a user does."""
    titles = nav_titles(page)
    assert title in titles, (title, titles)
    page.locator("[data-testid='stSidebarNav'] a").nth(titles.index(title)).click()
    settle(page)


def drawn_share(png: bytes) -> float:
    """Share of pixels that are neither white nor near-white (how much of a map is drawn)."""
    import numpy as np
    from PIL import Image

    gray = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return float((gray < 235).mean()) if gray.size else 0.0


def find_region_under_cursor(page, chart, needle: str):
    """Hover a grid over the map until the hover label of a region (containing ``needle``) shows.

    Returns ``(x, y, label)`` or None. Regions are found by their hover label, not by guessing
    coordinates, so the test does not depend on the zoom or the panel width.
    """
    box = chart.bounding_box()
    for fy in (0.5, 0.6, 0.4, 0.7, 0.3, 0.8):
        for fx in (0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65):
            x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
            page.mouse.move(x, y)
            page.wait_for_timeout(250)
            label = page.locator(".hoverlayer .hovertext")
            if label.count():
                text = label.first.text_content() or ""
                if needle in text:
                    return x, y, text
    return None
