"""How long the agreement page is at first load, for a cluster manager recording a memorandum:
its height and the number of controls one sees (issue 19: "the 188-control agreement page made
short"). The figures are printed (``-s``) and held under a budget, so the page cannot grow back
unnoticed."""

import pytest
from django.urls import reverse

from tests.personas import build_cast

# Visible form controls in the main content: what a manager sees, tabs and collapsed sections
# left out (an element hidden by a collapsed <details> or a language tab is not visible).
VISIBLE_CONTROLS = """() => Array.from(
    document.querySelectorAll('#content-main input, #content-main select, '
        + '#content-main textarea, #content-main button')
).filter(e => e.type !== 'hidden' && e.checkVisibility({visibilityProperty: true})).length"""


def login(page, live_server, user) -> None:
    user.set_password("password")
    user.save()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")


# Width → (height in px, visible controls) at most: the figures reached (2,544 px and 3,798 px,
# 27 controls), the heights with a little room for fonts. Before issue 19, at 1280 px: 3,638 px
# (the whole form open, every optional section and inline); the trial counted 188
# controls and 4,100–9,100 px.
BUDGETS = {1280: (2600, 27), 360: (3900, 27)}


@pytest.mark.browser
@pytest.mark.parametrize("width", sorted(BUDGETS, reverse=True))
def test_the_agreement_page_is_short_at_first_load(page, live_server, transactional_db, width):
    cast = build_cast()
    login(page, live_server, cast.users["anna_biom_manager"])
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(live_server.url + reverse("admin:partnerships_agreement_add"))
    height = page.evaluate("() => document.documentElement.scrollHeight")
    controls = page.evaluate(VISIBLE_CONTROLS)
    print(f"agreement add page at {width} px: {height} px high, {controls} visible controls")

    max_height, max_controls = BUDGETS[width]
    assert height <= max_height
    assert controls <= max_controls
