"""Shared helpers of the browser tests (fixtures live in conftest.py)."""

from __future__ import annotations

PAGE_TYPES = ["agreement_list", "agreement_detail", "organization_list", "organization_detail"]

# Everything a keyboard user must be able to reach, as the browser sees it: visible, enabled,
# not removed from the tab order. Each match gets a data-kbd attribute to recognise it by.
MARK_FOCUSABLE_IN_MAIN = """
() => {
  const selector = [
    "a[href]", "button", "input:not([type=hidden])", "select", "textarea", "summary",
    "[tabindex]", "[contenteditable=true]",
  ].join(",");
  const main = document.querySelector("main");
  const found = [];
  for (const el of main.querySelectorAll(selector)) {
    const hidden = !el.getClientRects().length || getComputedStyle(el).visibility === "hidden";
    if (hidden || el.disabled || el.closest("[inert]") || el.tabIndex < 0) continue;
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
