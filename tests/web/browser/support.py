"""What the browser tests share: the running site, the case's fixed names, screenshots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import FloatRect, Page

from armtrace.store import Store

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
PASSWORD = "exercise password 1"
PUBLISHED = "EX-MSL-002"
DRAFT = "EX-MSL-001"
SECRET_NOTE = "source: exercise field officer seven"


@dataclass(frozen=True)
class Site:
    """The running server and what its store holds."""

    url: str
    store: Store


def screenshot(page: Page, name: str, *, height: int | None = None) -> Path:
    """Save a PNG of the page (its top ``height`` pixels when given) under docs/screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    if height is None:
        page.screenshot(path=str(target))
    else:
        clip: FloatRect = {"x": 0, "y": 0, "width": 1280, "height": height}
        page.screenshot(path=str(target), full_page=True, clip=clip)
    return target
