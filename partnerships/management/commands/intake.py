"""``manage.py intake FILE [--language de|en|ja] --json``: the intake's draft, nothing saved.

Reads a press release (.txt, .pdf or .docx, checked like an upload), extracts its facts, matches
the names against the database and prints the draft as one JSON object
(``partnerships/intake/output.py``). Writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from partnerships.intake import extract
from partnerships.intake.output import draft_as_json
from partnerships.intake.sources import text_of_upload
from partnerships.intake.views import read_release


class Command(BaseCommand):
    help = "Extract the draft agreement from a press release and print it (saves nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The release: .txt, .pdf or .docx")
        # The languages the reader has month names, number words and cues for.
        parser.add_argument("--language", choices=extract.LANGUAGES, default=None)
        parser.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        try:
            text = text_of_upload(SimpleUploadedFile(path.name, content))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        draft = draft_as_json(read_release(text, options["language"]))
        if options["json"]:
            self.stdout.write(json.dumps(draft, ensure_ascii=False, indent=2))
            return
        for key, value in draft.items():
            self.stdout.write(f"{key}: {json.dumps(value, ensure_ascii=False)[:200]}")
