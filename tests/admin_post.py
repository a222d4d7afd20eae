"""The POST an admin change page sends when saved unchanged: for tests that edit one field."""

from __future__ import annotations


def form_post_data(response) -> dict:
    """The POST of an admin change page as rendered: every field of the main form and of every
    inline formset (nested ones too) with its current value, as a browser would send it
    unchanged. A disabled field (another party's row) is left out, as a browser leaves it out."""
    data: dict = {"_save": "Save"}

    def add(form) -> None:
        for bound in form:
            if bound.field.disabled:
                continue
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is not None:
                data[bound.html_name] = str(value)

    def add_formset(formset) -> None:
        add(formset.management_form)
        for form in formset.forms:
            add(form)
            # django-nested-admin's formsets inside a row (a signing's signatures).
            for nested in getattr(form, "nested_formsets", None) or []:
                add_formset(nested)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add_formset(inline.formset)
    return data
