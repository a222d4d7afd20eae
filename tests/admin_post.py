"""The POST an admin change page sends when saved unchanged: for tests that edit one field."""

from __future__ import annotations


def form_post_data(response) -> dict:
    """The POST of an admin change page as rendered: every field of the main form and of every
    inline formset with its current value, as a browser would send it unchanged."""
    data: dict = {"_save": "Save"}

    def add(form) -> None:
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is not None:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data
