"""Settings for the type checker only (``[tool.django-stubs]`` in pyproject.toml).

django-stubs' mypy plugin imports the project and reads each model's managers at runtime to type
``objects``, ``_default_manager`` and the reverse relations. modeltranslation replaces those
managers with classes it builds inside a function (``NewMultilingualManager``), which no type
checker can name, so every manager and related manager came out unresolved
(typeddjango/django-stubs#1023). Here the patch is switched off, so the plugin sees the managers
the models declare. The translated fields (``name_en`` …) are still added; the multilingual
manager only rewrites lookups at runtime and changes no type.
"""

from __future__ import annotations

from modeltranslation import translator

from portal.settings.base import *  # noqa: F403

translator.patch_manager_class = lambda manager: None  # see the docstring
