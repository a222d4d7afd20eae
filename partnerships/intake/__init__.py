"""Intake: from a press release (pasted, or uploaded as .txt/.pdf/.docx) to a reviewed draft.

One idea per module:

* ``extract``: the rule-based extractor, per language (de/en/ja). Deterministic and offline: no
  service calls, no model weights. Every fact carries its value, the sentence it came from (text
  and character span), a confidence and, where the extractor is unsure, a question instead of a
  value ("Signed on 2 or 4 November 2015?").
* ``matching``: each extracted name against the portal's records, through the portal's own
  search (``organizations.search``), in every language and script.
* ``sources``: the text of an upload, checked like every other upload (``partnerships.uploads``).
* ``drafts``: the one write, after the manager confirmed the review: the draft agreement and
  everything confirmed with it, through the existing services.

Nothing is written before the manager presses "Create draft".
"""
