"""The rule-based extractor: a press release in, a draft of facts out, with nothing saved.

Each rule is a small regular expression over one language's wording (``LEXICON``). Why rules and
no library: the facts of a release are few and stated in a handful of set phrases; rules are
deterministic, offline and testable one by one, and each fact can point at the sentence it came
from. Dates in three languages are three patterns (``dateparser`` is not in the lock files and
would guess where a rule should refuse); telephone numbers are ``phonenumbers``' matcher, the
library the portal already validates numbers with. No Japanese tokenizer: the Japanese rules
anchor on particles (の, と, は) and on a list of titles, which is enough for releases and keeps
the dependency list short.

A fact is a dict ``{"value", "source", "start", "end", "confidence"}`` (``source`` the sentence,
``start``/``end`` its span in the text); list items carry their own fields besides. A fact the
extractor is unsure of has ``value`` None and a ``question`` with its ``alternatives``.
"""

# ruff: noqa: RUF001  (full-width characters are what Japanese text is written in)
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import phonenumbers

LANGUAGES = ("de", "en", "ja")

# --- Sentences ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


_SENTENCE_END_RE = re.compile(
    r"(?<=[.!?。！？])(?<!\b[A-Z]\.)(?<!Dr\.)(?<!Prof\.)(?<!z\.B\.)(?<!\b\d\.)(?<!\b\d\d\.)\s+|\n+"
)


def sentences(text: str) -> list[Sentence]:
    """The text cut into sentences (and lines), each with its span. Quotes that continue over a
    line are cut too: a quote is found on the whole text, its source is the sentence it starts."""
    out: list[Sentence] = []
    position = 0
    for separator in [*_SENTENCE_END_RE.finditer(text), None]:
        end = separator.start() if separator else len(text)
        piece = text[position:end]
        stripped = piece.strip()
        if stripped:
            offset = position + piece.index(stripped[0])
            out.append(Sentence(stripped, offset, offset + len(stripped)))
        if separator is None:
            break
        position = separator.end()
    # Japanese: "。" ends a sentence without a following space.
    split: list[Sentence] = []
    for sentence in out:
        start = sentence.start
        for piece in re.split(r"(?<=。)", sentence.text):
            if piece.strip():
                split.append(Sentence(piece.strip(), start, start + len(piece.strip())))
            start += len(piece)
    return split


TODAY = {"de": r"\bheute\b", "en": r"\btoday\b", "ja": r"本日"}
_DATELINE_RE = re.compile(r"^[^,\n]{2,40},\s*$")


def sentence_at(doc: list[Sentence], position: int) -> Sentence:
    for sentence in doc:
        if sentence.start <= position < sentence.end:
            return sentence
    return min(doc, key=lambda s: abs(s.start - position))


def fact(value: Any, sentence: Sentence | None, confidence: float, **fields: Any) -> dict[str, Any]:
    return {
        "value": value,
        "source": sentence.text if sentence else "",
        "start": sentence.start if sentence else None,
        "end": sentence.end if sentence else None,
        "confidence": round(confidence, 2),
        "match": None,
        **fields,
    }


def question(
    text: str, sentence: Sentence | None, alternatives: list[Any], confidence: float = 0.4
) -> dict[str, Any]:
    return fact(None, sentence, confidence, question=text, alternatives=alternatives)


# --- Language ----------------------------------------------------------------------------------

_JAPANESE_RE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_GERMAN_WORDS = re.compile(r"\b(?:der|die|das|und|wurde|mit|für|sich|eine|ist|auf)\b")
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|was|with|for|has|will|is|an|on|of)\b")


def detect_language(text: str) -> str:
    if len(_JAPANESE_RE.findall(text)) > max(20, len(text) // 10):
        return "ja"
    german = len(_GERMAN_WORDS.findall(text))
    english = len(_ENGLISH_WORDS.findall(text))
    return "de" if german > english else "en"


# --- Lexicon -----------------------------------------------------------------------------------

MONTHS = {
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_DE_MONTHS = "|".join(MONTHS["de"])
_EN_MONTHS = "|".join(MONTHS["en"])
_DIGIT = "[0-9０-９]"
DATE_PATTERNS = {
    "de": [re.compile(rf"\b(?P<d>\d{{1,2}})\.\s*(?P<m>{_DE_MONTHS})\s+(?P<y>\d{{4}})\b")],
    "en": [
        re.compile(rf"\b(?P<m>{_EN_MONTHS})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b"),
        re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_EN_MONTHS})\s+(?P<y>\d{{4}})\b"),
    ],
    "ja": [re.compile(rf"(?P<y>{_DIGIT}{{4}})年(?P<m>{_DIGIT}{{1,2}})月(?P<d>{_DIGIT}{{1,2}})日")],
}

NUMBER_WORDS = {
    "de": {
        "ein": 1,
        "eine": 1,
        "einem": 1,
        "einen": 1,
        "einer": 1,
        "zwei": 2,
        "drei": 3,
        "vier": 4,
        "fünf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
        "zehn": 10,
        "zwölf": 12,
        "achtzehn": 18,
        "vierundzwanzig": 24,
        "dreißig": 30,
        "neunzig": 90,
    },
    "en": {
        "a": 1,
        "an": 1,
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "twelve": 12,
        "eighteen": 18,
        "twenty-four": 24,
        "thirty": 30,
        "ninety": 90,
    },
    "ja": {
        "一": 1,
        "二": 2,
        "三": 3,
        "四": 4,
        "五": 5,
        "六": 6,
        "七": 7,
        "八": 8,
        "九": 9,
        "十": 10,
        "十二": 12,
    },
}
UNITS = {
    "de": [
        (r"Jahr(?:e|en|es)?", "years"),
        (r"Monat(?:e|en|s)?", "months"),
        (r"Woche(?:n)?", "weeks"),
        (r"Tag(?:e|en)?", "days"),
    ],
    "en": [
        (r"years?(?:'|’)?", "years"),
        (r"months?(?:'|’)?", "months"),
        (r"weeks?(?:'|’)?", "weeks"),
        (r"days?(?:'|’)?", "days"),
    ],
    "ja": [
        (r"年間|年", "years"),
        (r"か月間?|ヶ月間?|カ月間?|ヵ月間?|箇月間?", "months"),
        (r"週間", "weeks"),
        (r"日間|日", "days"),
    ],
}

# Words that say what a sentence is about (lower case; Japanese as written).
CUES: dict[str, dict[str, Any]] = {
    "de": {
        "signing": ("unterzeichn", "unterschrieben", "signiert", "geschlossen"),
        "notice": ("kündigungsfrist", "frist von", "kündig", "vorher"),
        "renewal_auto": ("verlängert sich", "automatisch"),
        "term": (
            "laufzeit",
            "gilt",
            "läuft",
            "geschlossen für",
            "für die dauer",
            "zunächst",
            "für weitere",
        ),
        "valid_until": ("gilt bis", "läuft bis", "gültig bis", "befristet bis"),
        "lineage_renews": ("erneuer", "verlänger", "aufbauend auf bisheriger"),
        "lineage_amends": ("änder", "ergänzung"),
        "witness": (
            r"in (?:Anwesenheit|Gegenwart) (?:des|der|von)\s+"
            r"(?P<cap>(?:[a-zäöü][\w\-]*\s+)*[A-ZÄÖÜ][\w\-]*(?:\s+(?:für|des|der)\s+[A-ZÄÖÜ][\w\-]*)*)"
            r",?\s+(?P<name>{NAME})"
        ),
        "scope": (
            "sieht vor",
            "vorgesehen",
            "umfasst",
            "soll ein austausch",
            "wollen",
            "vereinbart",
        ),
        "said": r"(?:sagte|so|erklärte|betonte|sagt|ergänzte|fügte \w+ hinzu)",
        "contact": r"^(?:Kontakt|Pressekontakt|Ansprechpartner(?:in)?)\s*:",
        "between": r"zwischen\s+(?:de[mnr]|die)?\s*",
        "and": r"\s+und\s+(?:de[mnr]|die)?\s*",
        "occasion": r"(?:auf der|auf dem|im Rahmen (?:der|des)|anlässlich (?:der|des))\s+",
        "place": r"\bin\s+",
    },
    "en": {
        "signing": ("signed", "signing", "signature", "sign ", "concluded"),
        "notice": ("notice",),
        "renewal_auto": (
            "renew automatically",
            "automatically renew",
            "renews automatically",
            "automatically extended",
            "renewed automatically",
            "automatic renewal",
        ),
        "term": (
            "term of",
            "valid for",
            "runs for",
            "run for",
            "period of",
            "will last",
            "in force for",
            "initial term",
            "concluded for",
            "for another",
            "for a further",
        ),
        "valid_until": (
            "valid until",
            "runs until",
            "in force until",
            "expires on",
            "remain in force until",
        ),
        "lineage_renews": ("renew", "extends the", "extension of", "builds on the"),
        "lineage_amends": ("amend",),
        "witness": (
            r"in the presence of\s+(?:the\s+)?(?P<cap>(?:[A-Za-z][\w\-]*\s+){{0,6}})"
            r"(?P<name>{NAME})(?=[.,;]|\s+(?:and|at|on|in)\b|$)"
        ),
        "scope": (
            "provides for",
            "covers",
            "will include",
            "foresees",
            "the partners will",
            "both partners will",
            "the parties will",
            "aims to",
            "commit to",
            "agreed to",
        ),
        "said": r"(?:said|says|added|explained|commented|noted|stated)",
        "contact": r"^(?:Contact|Media contact|Press contact|For further information)\s*:",
        "between": r"between\s+(?:the\s+)?",
        "and": r",?\s+and\s+(?:the\s+)?",
        "occasion": r"(?:at the|at|during the|during|on the occasion of the|on the occasion of)\s+",
        "place": r"\bin\s+",
    },
    "ja": {
        "signing": ("署名", "締結", "調印"),
        "notice": ("前までに", "予告", "通知"),
        "renewal_auto": ("自動的に更新", "自動更新", "自動的に延長"),
        "term": ("有効期間", "期間は", "期間", "有効"),
        "valid_until": ("まで有効", "までとする", "まで効力"),
        "lineage_renews": ("更新", "延長", "再締結"),
        "lineage_amends": ("改定", "改正", "変更"),
        "witness": (
            r"(?P<cap>[一-龥々ァ-ヶーA-Za-z]{{2,20}}?)(?:である)?(?P<name>{NAME_JA})氏(?:の)?"
            r"(?:立ち?会い|立会い|臨席|同席)"
        ),
        "scope": ("協定では", "覚書では", "合意した", "内容は", "目指す", "予定である"),
        "said": r"(?:述べた|語った|話した|コメントした)",
        "contact": (
            r"^(?:本件に関する(?:お)?問い合わせ(?:先)?|お問い合わせ(?:先)?|問い合わせ先|連絡先)"
            r"\s*[:：]?"
        ),
        "between": "",
        "and": "と",
        "occasion": "",
        "place": "",
    },
}

KINDS = {
    "de": [
        (r"Absichtserklärung", "letter_of_intent"),
        (r"Memorandum of Understanding|Memorandum|Verständigungsvereinbarung", "mou"),
        (r"Rahmenvereinbarung|Rahmenabkommen", "framework"),
        (
            r"Kooperationsvereinbarung|Kooperationsabkommen|Kooperationsvertrag|"
            r"Partnerschaftsvereinbarung",
            "cooperation",
        ),
    ],
    "en": [
        (r"letter of intent", "letter_of_intent"),
        (r"memorandum of understanding|\bMoU\b|\bMOU\b", "mou"),
        (r"framework agreement", "framework"),
        (r"cooperation agreement|partnership agreement|collaboration agreement", "cooperation"),
    ],
    "ja": [
        (r"趣意書|意向書", "letter_of_intent"),
        (r"覚書|ＭＯＵ|MOU", "mou"),
        (r"包括連携協定|枠組み協定|基本協定", "framework"),
        (r"協力協定|連携協定|協定", "cooperation"),
    ],
}

HONORIFICS = r"(?:(?:Prof\.|Dr\.|Dr\.-Ing\.|Mr\.|Ms\.|Mrs\.|Herr|Frau|Sir|Dame)\s+)*"
_UPPER = "A-ZÄÖÜÉ"
_LOWER = "a-zäöüßéèáíóúçñ"
_WORD = rf"[{_UPPER}][{_LOWER}']+(?:-[{_UPPER}]?[{_LOWER}']+)*"
NAME = rf"{HONORIFICS}{_WORD}(?:\s+(?:von\s+|van\s+|de\s+)?{_WORD}){{1,2}}"
NAME_JA = r"[一-龥々ァ-ヶー]{2,4}(?:[ 　][一-龥々ァ-ヶー]{1,4})?"
JA_TITLES = (
    "代表取締役社長|代表理事|理事長|副理事長|専務理事|事務局長|センター長|本部長|病院長|院長|"
    "委員長|議長|教授|会長|社長|所長|"
    "学長|総長|市長|副市長|知事|副知事|大臣|副大臣|政務官|総領事|大使|部長|課長|室長|CEO|代表"
)
# An organisation's name: capitalised words, with the small words and legal forms names carry.
ORG_WORD = rf"(?:[{_UPPER}0-9][\w&.\-]*|e\.\s?V\.?|GmbH|AG|SE|Inc\.|Ltd\.|of|for|für|de|la|the)"
ORG = rf"[{_UPPER}][\w&.\-]*(?:\s+{ORG_WORD})*?(?:\s+\([^)]{{2,80}}\))?"
ORG_LAST = rf"[{_UPPER}][\w&.\-]*(?:\s+{ORG_WORD})*(?:\s+\([^)]{{2,80}}\))?"
ORG_JA = r"[一-龥々ァ-ヶーA-Za-zＡ-Ｚａ-ｚ0-9・]{2,30}"
# "架空機構の山田太郎理事長" or "架空機構の理事長である山田太郎氏".
JA_PERSON = (
    rf"(?:(?:(?P<org1>{ORG_JA})の)?(?P<name1>{NAME_JA})(?P<cap1>{JA_TITLES})"
    rf"|(?:(?P<org2>{ORG_JA})の)?(?P<cap2>{JA_TITLES})(?:の|である)?(?P<name2>{NAME_JA})氏)"
)

LEGAL_FORMS_RE = re.compile(
    r",?\s*\b(?:GmbH|gGmbH|e\.\s?V\.|AG|SE|KG|Inc\.|Ltd\.|LLC|Co\.|Corp\.)(?=\s|$|[,)])"
    r"|(?:一般社団法人|公益財団法人|一般財団法人|公益社団法人|株式会社|独立行政法人|国立研究開発法人)"
)

QUOTE_PAIRS = [
    ("„", "“"),
    ("”", "“"),
    ("“", "”"),
    ("»", "«"),
    ('"', '"'),
    ("「", "」"),
    ("『", "』"),
]
_QUOTE_RE = re.compile(
    "|".join(
        rf"{re.escape(opening)}(?P<q{index}>[^{re.escape(opening + closing)}]{{8,1500}}?)"
        + re.escape(closing)
        for index, (opening, closing) in enumerate(QUOTE_PAIRS)
    ),
    re.DOTALL,
)

ORG_HINT_RE = re.compile(
    r"Cluster|Foundation|Stiftung|Verband|Verein|Association|Alliance|Network|Netzwerk|Council|"
    r"Society|Gesellschaft|Initiative|Consortium|Agency|Agentur|Institut|University|Universität|"
    r"Hochschule|Headquarters|Center|Centre|Zentrum|Ministry|Ministerium|"
    r"財団|協会|機構|大学|本部|センター|クラスター|推進|会議所|研究所|省|庁|連合|連盟|組合|協議会|法人"
)
ROLE_HINT_RE = re.compile(
    r"Head|Director|Manager|Leiter|Leitung|CEO|Referent|Officer|Press|Presse|Kommunikation|"
    r"Communications|Spokes|Sprecher|Koordinat|Coordinat|部長|課長|担当|広報|事務局|窓口"
)
EMAIL_RE = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
PHONE_REGION = {"de": "DE", "en": "GB", "ja": "JP"}


def _int(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def _int_like(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).isdigit()


def strip_honorific(name: str) -> tuple[str, str]:
    """("Prof. Dr.", "Horst Domdey") from "Prof. Dr. Horst Domdey"."""
    match = re.match(HONORIFICS, name)
    honorific = match.group(0).strip() if match else ""
    return honorific, name[len(match.group(0)) if match else 0 :].strip()


def clean_org(name: str) -> str:
    name = name.strip(" ,;:")
    if name.endswith(".") and not re.search(r"(?:e\.\s?V|Inc|Ltd|Co|Corp)\.$", name):
        name = name[:-1]
    name = re.sub(r"\s+", " ", name)
    return name


# --- The extractor -----------------------------------------------------------------------------


class Extractor:
    """One release, one language: ``Extractor(text).draft()``."""

    def __init__(self, text: str, language: str | None = None) -> None:
        self.text = text.replace("\r\n", "\n")
        self.language = language if language in LANGUAGES else detect_language(self.text)
        self.cues = CUES[self.language]
        self.doc = sentences(self.text)

    # Helpers

    def _has(self, sentence: Sentence, cue: str) -> bool:
        lowered = sentence.text.lower()
        return any(word in lowered for word in self.cues[cue])

    def _dates(self, sentence: Sentence, *, skip_dateline: bool = False) -> list[datetime.date]:
        """The dates of ``sentence``; with ``skip_dateline``, not the release's own date that
        opens it ("Hamburg, 12. März 2024 – …")."""
        found = []
        for pattern in DATE_PATTERNS[self.language]:
            for match in pattern.finditer(sentence.text):
                month = match.group("m")
                if self.language == "ja":
                    number = _int(month)
                else:
                    number = MONTHS[self.language].index(month) + 1
                if (
                    skip_dateline
                    and _DATELINE_RE.match(sentence.text[: match.start()])
                    and (re.match(r"\s*[–—-]", sentence.text[match.end() :]))
                ):
                    continue
                try:
                    found.append(
                        datetime.date(_int(match.group("y")), number, _int(match.group("d")))
                    )
                except ValueError:
                    continue
        return found

    def _durations(self, sentence: Sentence) -> list[tuple[int, str, int, int]]:
        """(count, unit, start, end) of every duration in ``sentence``."""
        words = NUMBER_WORDS[self.language]
        found = []
        for unit_pattern, unit in UNITS[self.language]:
            if self.language == "ja":
                number = rf"(?<![0-9０-９月])(?P<n>{_DIGIT}{{1,3}}|[一二三四五六七八九十]{{1,2}})"
                pattern = re.compile(rf"{number}(?:{unit_pattern})")
            else:
                alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
                pattern = re.compile(
                    rf"\b(?P<n>\d{{1,3}}|{alternatives})[\s\-]+"
                    rf"(?:(?:further|additional|more|weitere[nrs]?)\s+)?(?:{unit_pattern})(?![\w])",
                    re.IGNORECASE,
                )
            for match in pattern.finditer(sentence.text):
                raw = match.group("n")
                count = words.get(raw.lower()) if not _int_like(raw) else _int(raw)
                if count is None:
                    continue
                if self.language == "ja" and unit in ("years", "days"):
                    tail = sentence.text[match.end() : match.end() + 1]
                    if count > 100 or (unit == "days" and tail in "付") or tail == "月":
                        continue
                found.append((count, unit, match.start(), match.end()))
        found.sort(key=lambda item: item[2])
        return found

    # Facts

    def kind(self) -> dict[str, Any] | None:
        best = None
        for pattern, kind in KINDS[self.language]:
            match = re.search(pattern, self.text, re.IGNORECASE)
            if match and (best is None or match.start() < best[1]):
                best = (kind, match.start())
        if best is None:
            return None
        return fact(best[0], sentence_at(self.doc, best[1]), 0.85)

    def signed_on(self) -> dict[str, Any] | None:
        signing = [
            (s, d)
            for s in self.doc
            if self._has(s, "signing")
            for d in self._dates(s, skip_dateline=True)
        ]
        distinct = sorted({d for _s, d in signing})
        if len(distinct) == 1:
            sentence = next(s for s, d in signing if d == distinct[0])
            return fact(distinct[0], sentence, 0.9)
        if len(distinct) > 1:
            sentence = signing[0][0]
            return question("signed_on", sentence, distinct)
        # "signed today" under a dateline ("Exampleton, April 1, 2027 – … signed today"): the
        # release's own date.
        for sentence in self.doc:
            if self._has(sentence, "signing") and re.search(TODAY[self.language], sentence.text):
                dates = self._dates(sentence)
                if len(dates) == 1:
                    return fact(dates[0], sentence, 0.8)
        every = [(s, d) for s in self.doc for d in self._dates(s)]
        if len({d for _s, d in every}) == 1:
            return fact(every[0][1], every[0][0], 0.5)
        return None

    def valid_until(self) -> dict[str, Any] | None:
        for sentence in self.doc:
            if self._has(sentence, "valid_until"):
                dates = self._dates(sentence)
                if dates:
                    return fact(max(dates), sentence, 0.85)
        return None

    def durations(self) -> dict[str, dict[str, Any] | None]:
        """Term, notice and automatic renewal: each duration is classified by the words just
        before it ("Frist von", "automatisch", "valid for") or just after it ("notice",
        "前までに")."""
        term = notice = renewal = None
        auto_sentence = None
        for sentence in self.doc:
            is_auto = self._has(sentence, "renewal_auto")
            if is_auto and auto_sentence is None:
                auto_sentence = sentence
            for count, unit, position, end in self._durations(sentence):
                value = {"value": count, "unit": unit}
                before = sentence.text[max(0, position - 40) : position].lower()
                # Japanese puts the cue right after the duration ("3か月前までに"); a wider
                # window would reach the next clause.
                after = sentence.text[end : end + (5 if self.language == "ja" else 15)].lower()
                if notice is None and any(
                    word in before or word in after for word in self.cues["notice"]
                ):
                    notice = fact(value, sentence, 0.85)
                elif renewal is None and any(
                    word in sentence.text[max(0, position - 60) : position].lower()
                    for word in self.cues["renewal_auto"]
                ):
                    renewal = fact(value, sentence, 0.8)
                elif term is None and (self._has(sentence, "term") or is_auto):
                    term = fact(value, sentence, 0.85)
        automatic = None
        if auto_sentence is not None:
            if renewal is not None:
                automatic = renewal
            elif term is not None:
                automatic = fact(term["value"], auto_sentence, 0.7)
            else:
                automatic = question("automatic_renewal", auto_sentence, [], 0.4)
        return {"term": term, "notice": notice, "automatic_renewal": automatic}

    def quotes(self) -> list[dict[str, Any]]:
        """Quotes with their speakers: "X, capacity: „…“", "„…“, said X, capacity", and a quote
        right after one of X's continues X's (and is joined to it)."""
        results: list[dict[str, Any]] = []
        last_speaker: dict[str, Any] | None = None
        last_end = -1
        for match in _QUOTE_RE.finditer(self.text):
            body = next(group for group in match.groups() if group is not None).strip()
            if len(body.split()) < 4 and self.language != "ja":
                continue  # a quoted name or title, not a statement
            if self.language == "ja" and len(body) < 12:
                continue
            speaker = self._speaker_before(match.start()) or self._speaker_after(match.end())
            sentence = sentence_at(self.doc, match.start())
            gap = self.text[last_end : match.start()] if last_end >= 0 else ""
            if speaker is None and last_speaker is not None and len(gap) < 400:
                speaker, confidence = last_speaker, 0.7
            else:
                confidence = 0.85 if speaker else 0.4
            text = re.sub(r"\s*\n\s*", " ", body)
            if (
                results
                and speaker is not None
                and results[-1]["speaker"] == speaker["name"]
                and len(gap) < 400
            ):
                results[-1]["text"] += " … " + text
                last_end = match.end()
                continue
            item = fact(
                None,
                sentence,
                confidence,
                speaker=speaker["name"] if speaker else "",
                honorific=speaker["honorific"] if speaker else "",
                capacity=speaker["capacity"] if speaker else "",
                organisation=speaker["organisation"] if speaker else "",
                text=text,
                language=self.language,
            )
            if speaker is None:
                item["question"] = "speaker"
            results.append(item)
            last_speaker, last_end = speaker, match.end()
        for item in results:
            item["value"] = item["text"]
        return results

    def _person(self, name: str, capacity: str) -> dict[str, str]:
        honorific, bare = strip_honorific(name.strip())
        capacity = capacity.strip(" ,.:")
        organisation = ""
        if self.language == "ja":
            match = re.match(rf"(?P<org>{ORG_JA}?)の(?P<cap>.+)$", capacity)
            if match:
                organisation, capacity = match.group("org"), match.group("cap")
        else:
            match = re.match(
                rf"(?P<cap>.+?)\s+(?:of|at|der|des|von|bei)\s+(?:the\s+)?(?P<org>{ORG})(?:,\s*[{_UPPER}][\w\-]+)?$",
                capacity,
            )
            if match:
                capacity, organisation = match.group("cap"), clean_org(match.group("org"))
        return {
            "name": bare,
            "honorific": honorific,
            "capacity": capacity,
            "organisation": organisation,
        }

    def _ja_person(self, match: re.Match[str]) -> dict[str, str]:
        """A Japanese "組織の氏名役職" or "組織の役職の氏名氏"."""
        groups = {k: v for k, v in match.groupdict().items() if v}
        return {
            "name": groups.get("name1") or groups.get("name2", ""),
            "honorific": "",
            "capacity": groups.get("cap1") or groups.get("cap2", ""),
            "organisation": groups.get("org1") or groups.get("org2", ""),
        }

    def _speaker_before(self, position: int) -> dict[str, str] | None:
        head = self.text[max(0, position - 300) : position]
        if self.language == "ja":
            match = re.search(rf"{JA_PERSON}は[、,]?\s*$", head)
            return self._ja_person(match) if match else None
        match = re.search(
            rf"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<name>{NAME}),\s+(?P<cap>[^:\n.]{{2,200}}?)\s*:\s*$",
            head,
        )
        if match:
            return self._person(match.group("name"), match.group("cap"))
        return None

    def _speaker_after(self, position: int) -> dict[str, str] | None:
        tail = self.text[position : position + 300]
        if self.language == "ja":
            match = re.match(rf"\s*と[、,]?\s*{JA_PERSON}は?(?:{self.cues['said']})", tail)
            return self._ja_person(match) if match else None
        said = self.cues["said"]
        match = re.match(
            rf"\s*,?\s*{said}\s+(?P<name>{NAME})(?:,\s+(?P<cap>[^\n]{{2,200}}?))?"
            r"\s*(?:\.(?=\s|$)|\n|$)",
            tail,
        )
        if not match:
            match = re.match(
                rf"\s*,?\s*(?P<name>{NAME})\s+{said}(?:,\s+(?P<cap>[^.\n]{{2,200}}?))?\s*[.\n]",
                tail,
            )
        if match:
            return self._person(match.group("name"), match.group("cap") or "")
        return None

    def witnesses(self) -> list[dict[str, Any]]:
        pattern = self.cues["witness"].format(NAME=NAME, NAME_JA=NAME_JA)
        results = []
        for sentence in self.doc:
            for match in re.finditer(pattern, sentence.text):
                person = self._person(match.group("name"), match.group("cap") or "")
                results.append(fact(person["name"], sentence, 0.8, **person))
        return results

    def signatories(self) -> list[dict[str, Any]]:
        """ "signed by X, capacity of Org, and Y, …" / "unterzeichnet von X (capacity, Org) und
        Y (…)" / "OrgのX理事長とOrgのY社長が署名"."""
        results = []
        for sentence in self.doc:
            if not self._has(sentence, "signing"):
                continue
            if self.language == "ja":
                for match in re.finditer(
                    rf"(?P<org>{ORG_JA})の(?P<name>{NAME_JA}?)(?P<cap>{JA_TITLES})",
                    sentence.text,
                ):
                    # "…が署名した": they signed; "調印式に…が出席した": they only attended.
                    if not re.search(r"(?:が|により)(?:署名|調印)", sentence.text[match.end() :]):
                        continue
                    person = {
                        "name": match.group("name"),
                        "honorific": "",
                        "capacity": match.group("cap"),
                        "organisation": match.group("org"),
                    }
                    results.append(
                        fact(person["name"], sentence, 0.75, party=person["organisation"], **person)
                    )
                continue
            trigger = re.search(
                r"(?:signed by|[Uu]nterzeichnet (?:\w+\s+){0,3}?von|"
                r"[Uu]nterschrieben (?:\w+\s+){0,3}?von|signed\b[^.]{0,80}?\bby|"
                r"wurden?\s+(?:\w+\s+){0,2}?von(?=.*(?:unterzeichnet|unterschrieben)))\s+",
                sentence.text,
            )
            if not trigger:
                continue
            rest = sentence.text[trigger.end() :]
            for match in re.finditer(
                rf"(?P<name>{NAME})\s*(?:\((?P<cap1>[^)]+)\)|,\s+(?P<cap2>[^,;]+?(?:\s+(?:of|der|des|von)\s+(?:the\s+)?{ORG})?)(?=,?\s+(?:and|und)\s|[.;]|,\s+[a-zäöü]|,\s+(?:on|in|at|am|im)\s|$))",
                rest,
            ):
                capacity = match.group("cap1") or match.group("cap2") or ""
                if match.group("cap1") and "," in capacity:
                    cap, org = capacity.split(",", 1)
                    person = {
                        **strip_name(match.group("name")),
                        "capacity": cap.strip(),
                        "organisation": clean_org(org),
                    }
                else:
                    person = self._person(match.group("name"), capacity)
                results.append(
                    fact(person["name"], sentence, 0.8, party=person["organisation"], **person)
                )
        return results

    def parties(self) -> list[dict[str, Any]]:
        """ "zwischen A, B und C" / "between A and B" / "the two … A and B" / "AとBは"."""
        # Sentences about the agreement first: a headline ("zwischen Nord und Süd") is no list
        # of parties.
        about = [s for s in self.doc if self._has(s, "signing") or self._names_kind(s)]
        ordered = about + [s for s in self.doc if s not in about]
        # A list after "zwischen"/"between" anywhere beats the subject of a sentence.
        for subject in (False, True):
            for sentence in ordered:
                names = self._party_names(sentence.text, subject=subject)
                if len(names) >= 2:
                    return [fact(name, sentence, 0.8 if not subject else 0.7) for name in names]
        return []

    def _has_text(self, text: str, cue: str) -> bool:
        lowered = text.lower()
        return any(word in lowered for word in self.cues[cue])

    def _names_kind(self, sentence: Sentence) -> bool:
        return any(
            re.search(pattern, sentence.text, re.IGNORECASE)
            for pattern, _kind in KINDS[self.language]
        )

    def _party_names(self, text: str, *, subject: bool = False) -> list[str]:
        if self.language == "ja":
            if subject:
                return []
            match = re.search(
                rf"(?P<list>{ORG_JA}(?:[（(][^）)]*[）)])?(?:(?:と|、){ORG_JA}(?:[（(][^）)]*[）)])?)+)(?:の間で|は|が)",
                text,
            )
            if not match:
                return []
            names = re.split(r"と|、", match.group("list"))
            return [re.sub(r"[（(].*?[）)]", "", n) for n in names if len(n) >= 2]
        between = self.cues["between"]
        conj = self.cues["and"]
        match = re.search(
            rf"(?:{between}|(?:beiden|two|both)\s+[\w\-]+\s+(?:organisations\s+|organizations\s+)?)"
            rf"(?P<list>{ORG}(?:,\s+(?:the\s+|de[mnr]\s+)?{ORG})*{conj}{ORG_LAST})",
            text,
        )
        if subject:
            # "Der A und die B haben …", "The A and the B signed …": the sentence's subject.
            match = re.search(
                rf"(?:^|[–—]\s+)(?:(?:The|Der|Die|Das)\s+)?(?P<list>{ORG}(?:,\s+(?:the\s+|de[mnr]\s+)?{ORG})*"
                rf"{conj}(?:the\s+|de[mnr]\s+|die\s+|das\s+)?{ORG})\s+"
                r"(?:have|has|signed|sign|agreed|renewed|concluded|haben|hat|unterzeichne|"
                r"schließen|schlossen|erneuer|verlänger)",
                text,
            )
        if subject and not match and self.language == "de" and self._has_text(text, "signing"):
            # "… unterzeichneten die A, der B und die C eine Rahmenvereinbarung".
            article = r"(?:der|die|das|dem|den)\s+"
            match = re.search(
                rf"\b{article}(?P<list>{ORG}(?:,\s+{article}{ORG})*\s+und\s+{article}{ORG_LAST})",
                text,
            )
        if not match:
            return []
        names = re.split(
            rf",\s+(?:the\s+|de[mnr]\s+|die\s+|das\s+)?|{conj}(?:die\s+|das\s+)?",
            match.group("list"),
        )
        return [clean_org(name) for name in names if name and name.strip()]

    def place_and_occasion(self, signed: dict[str, Any] | None) -> tuple[dict | None, dict | None]:
        sentence = None
        if signed is not None and signed.get("start") is not None:
            sentence = sentence_at(self.doc, signed["start"])
        candidates = [sentence] if sentence else []
        candidates += [s for s in self.doc if self._has(s, "signing") and s is not sentence]
        place = occasion = None
        for candidate in candidates:
            text = candidate.text
            if self.language == "ja":
                if place is None:
                    match = re.search(
                        r"(?P<p>[一-龥ァ-ヶー]{2,8})(?=(?:で|にて)開催)"
                        r"|(?P<q>[一-龥ァ-ヶー]{1,8}[市町村区都府県]|[ァ-ヶー]{2,10})(?:で|にて|において)",
                        text,
                    )
                    if match:
                        place = fact(match.group("p") or match.group("q"), candidate, 0.6)
                if occasion is None:
                    match = re.search(
                        r"(?P<o>[A-Za-z0-9\-\s]{3,40}|[一-龥ァ-ヶー0-9]{3,20})"
                        r"(?:の会場|の会期中|の場で|において開催)",
                        text,
                    )
                    if match and not (place and match.group("o").strip() == place["value"]):
                        occasion = fact(match.group("o").strip(), candidate, 0.6)
                continue
            if occasion is None:
                match = re.search(
                    rf"(?i:{self.cues['occasion']})"
                    rf"(?P<o>[{_UPPER}][\w\-]*(?:[\s\-][{_UPPER}0-9][\w\-]*)*)",
                    text,
                )
                if match:
                    name = re.sub(r"^(?:Messe|Konferenz|Tagung|Kongress)\s+", "", match.group("o"))
                    occasion = fact(name, candidate, 0.75)
            if place is None:
                for match in re.finditer(
                    rf"{self.cues['place']}(?P<p>[{_UPPER}][{_LOWER}]+(?:[\s\-][{_UPPER}][{_LOWER}]+)?)",
                    text,
                ):
                    if match.group("p") in {"Anwesenheit", "Gegenwart", "Zukunft", "Kraft"}:
                        continue
                    place = fact(match.group("p"), candidate, 0.7)
                    break
            if place and occasion:
                break
        return place, occasion

    def renews(self) -> dict[str, Any] | None:
        for cue, relation in (("lineage_renews", "renews"), ("lineage_amends", "amends")):
            for sentence in self.doc:
                # "renews automatically" is a clause of this agreement, not a lineage.
                if self._has(sentence, "renewal_auto"):
                    continue
                if self._has(sentence, cue) and (
                    self._names_kind(sentence)
                    or re.search(r"[Vv]ereinbarung|[Aa]greement|[Mm]emorandum|MoU", sentence.text)
                ):
                    return fact(relation, sentence, 0.75)
        return None

    def scope(self) -> list[dict[str, Any]]:
        return [
            fact(s.text, s, 0.6) for s in self.doc if self._has(s, "scope") and len(s.text) > 30
        ]

    def contacts(self) -> list[dict[str, Any]]:
        results = []
        lines = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", self.text)]
        for index, (start, line) in enumerate(lines):
            head = re.match(self.cues["contact"], line.strip(), re.IGNORECASE)
            if not head:
                continue
            rest = line.strip()[head.end() :].strip()
            block: list[tuple[int, str]] = []
            if rest:  # one line: "Contact: Name, Organisation, e-mail, phone"
                separators = (
                    r"[,;，、\s　]+" if self.language == "ja" else r"[,;，、]\s*|\s+[–|]\s+"
                )
                block = [
                    (start, part.strip()) for part in re.split(separators, rest) if part.strip()
                ]
            else:
                for position, text in lines[index + 1 : index + 10]:
                    if not text.strip() or re.match(
                        self.cues["contact"], text.strip(), re.IGNORECASE
                    ):
                        break
                    block.append((position, text.strip()))
            if block:
                results.append(
                    self._contact(block, Sentence(line.strip(), start, start + len(line)))
                )
        return results

    def _contact(self, block: list[tuple[int, str]], sentence: Sentence) -> dict[str, Any]:
        name = email = phone = organisation = position = ""
        for _start, text in block:
            mail = EMAIL_RE.search(text)
            if mail and not email:
                email = mail.group(0)
                continue
            numbers = list(phonenumbers.PhoneNumberMatcher(text, PHONE_REGION[self.language]))
            if numbers and not phone and not re.match(r"^\d{5}\s", text):
                phone = numbers[0].raw_string
                continue
            if re.match(r"^(?:Web|www\.|https?:)", text, re.IGNORECASE) or re.search(r"\d", text):
                continue
            if not name:
                if self.language == "ja":
                    match = re.fullmatch(rf"(?P<name>{NAME_JA})", text.replace("氏", ""))
                    if match and not ORG_HINT_RE.search(text) and not ROLE_HINT_RE.search(text):
                        name = match.group("name")
                        continue
                elif re.fullmatch(NAME, text):
                    name = text
                    continue
            if not organisation and (LEGAL_FORMS_RE.search(text) or ORG_HINT_RE.search(text)):
                organisation = text
            elif not position and ROLE_HINT_RE.search(text):
                position = text
            elif name and not organisation:
                organisation = text
            elif name and not position:
                position = text
        honorific, bare = strip_honorific(name) if self.language != "ja" else ("", name)
        return fact(
            bare or email,
            sentence,
            0.8 if bare and (email or phone) else 0.5,
            name=bare,
            honorific=honorific,
            position=position,
            email=email,
            phone=phone,
            organisation=organisation,
        )

    def focus_area_terms(self) -> list[str]:
        return []

    def draft(self) -> dict[str, Any]:
        signed = self.signed_on()
        place, occasion = self.place_and_occasion(signed)
        durations = self.durations()
        parties = self.parties()
        kind = self.kind()
        witnesses = self.witnesses()
        quotes = self.quotes()
        signatories = self.signatories()
        # The speakers' and witnesses' organisations, when named, are candidate parties too
        # (a release often names the parties only with their speakers).
        if len(parties) < 2:
            named = []
            for item in [*signatories, *quotes]:
                if item.get("organisation") and item["organisation"] not in named:
                    named.append(item["organisation"])
            for name in named:
                if not any(same_name(name, p["value"]) for p in parties):
                    parties.append(fact(name, None, 0.5))
        # "Geschäftsführerin des Quantenverbunds": the party "Quantenverbund Mittelberg e.V.".
        contacts = self.contacts()
        for item in [*signatories, *quotes, *contacts]:
            party = party_named(item.get("organisation", ""), [p["value"] for p in parties])
            if party:
                item["organisation"] = party
                if "party" in item:
                    item["party"] = party
        return {
            "language": self.language,
            "kind": kind,
            "title": None,
            "signed_on": signed,
            "place": place,
            "occasion": occasion,
            "parties": parties,
            "signatories": signatories,
            "witnesses": witnesses,
            "quotes": quotes,
            "contacts": contacts,
            "term": durations["term"],
            "notice": durations["notice"],
            "automatic_renewal": durations["automatic_renewal"],
            "valid_until": self.valid_until(),
            "renews": self.renews(),
            "scope": self.scope(),
            "focus_areas": [],
        }


def strip_name(name: str) -> dict[str, str]:
    honorific, bare = strip_honorific(name)
    return {"name": bare, "honorific": honorific}


def name_key(name: str) -> str:
    """A name compared loosely: legal forms, parentheses and punctuation dropped, folded."""
    name = re.sub(r"\([^)]*\)|（[^）]*）", "", name)
    name = LEGAL_FORMS_RE.sub("", name)
    name = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\W_]+", " ", name).strip()


def same_name(a: str, b: str) -> bool:
    """ "BioM Biotech Cluster Development GmbH" is "BioM": one name's words start the other's."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long = sorted((ka, kb), key=len)
    return long.startswith(short + " ") or short in long.split(" ")


def party_named(name: str, parties: list[str]) -> str:
    """The one party ``name`` means: the same name, or a short form of it ("des
    Quantenverbunds" for "Quantenverbund Mittelberg e.V."); else ""."""
    if not name:
        return ""
    same = [party for party in parties if same_name(name, party)]
    if len(same) == 1:
        return same[0]
    words = name_key(name).split()
    if not words:
        return ""
    stem = words[0].removesuffix("s") if len(words[0]) > 5 else words[0]
    starting = [p for p in parties if name_key(p).split()[:1] == [stem]]
    return starting[0] if len(starting) == 1 else ""


def extract(text: str, language: str | None = None) -> dict[str, Any]:
    """The draft of a release: see the module docstring and ``manage.py intake``."""
    return Extractor(text, language).draft()
