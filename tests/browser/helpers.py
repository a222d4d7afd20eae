"""Shared helpers of the browser tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser_required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("PORTAL_REQUIRE_BROWSER") == "1"


def no_browser(reason: str) -> NoReturn:
    """Skip locally; fail in CI or when a browser is required."""
    if browser_required():
        pytest.fail(f"{reason} (a browser is required: CI or PORTAL_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def find_chromium(playwright_chromium_path: str | None) -> str | None:
    candidates = [
        os.environ.get("PORTAL_CHROMIUM"),
        playwright_chromium_path,
        *(shutil.which(name) for name in SYSTEM_BROWSERS),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


PAGE_TYPES = [
    "home",
    "agreement_list",
    "agreement_list_filtered",
    "agreement_map",
    "agreement_detail",
    "agreement_detail_ja",
    "organization_list",
    "organization_search",
    "organization_detail",
    "region_list",
    "privacy",
    "region_detail",
    "region_pair",
    "event_list",
    "event_detail",
    "site_search",
    "not_found",
]
# Pages that answer 200; the 404 page is checked for its own status separately.
PAGE_TYPES_OK = [page_type for page_type in PAGE_TYPES if page_type != "not_found"]

# Everything a keyboard user must be able to reach, as the browser sees it: every visible,
# enabled link and control — even one wrongly taken out of the tab order with tabindex="-1" —
# and any other element that puts itself in the tab order. Each gets a data-kbd attribute.
MARK_FOCUSABLE_IN_MAIN = """
() => {
  const interactive = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const main = document.querySelector("main");
  const found = [];
  for (const el of main.querySelectorAll(interactive + ", [tabindex], [contenteditable=true]")) {
    if (!el.matches(interactive) && el.tabIndex < 0) continue;  // a focus target, e.g. for JS
    const hidden = !el.getClientRects().length || getComputedStyle(el).visibility === "hidden";
    if (hidden || el.disabled || el.closest("[inert]")) continue;
    // Inside a closed <details> only its summary is shown (Chromium still gives the rest boxes:
    // content-visibility), the rest once it is opened.
    let collapsed = false;
    for (let d = el.parentElement && el.parentElement.closest("details:not([open])"); d;
         d = d.parentElement && d.parentElement.closest("details:not([open])")) {
      const summary = el.closest("summary");
      if (!summary || summary.parentElement !== d) { collapsed = true; break; }
    }
    if (collapsed) continue;
    el.dataset.kbd = String(found.length);
    found.push(el.outerHTML.slice(0, 120));
  }
  return found;
}
"""

ACTIVE_KBD = "() => document.activeElement && document.activeElement.dataset.kbd || null"


def format_axe_violations(violations: list[dict]) -> str:
    """axe-core violations as text a person can act on: rule, impact, help, where, why."""
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"      {summary_line.strip()}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)
