"""The demo data: everything the BioM press release of 4 November 2015 says, and nothing more.

The source is kept verbatim in ``demo_sources/press-release-2015-11-04-de.txt`` and stored as the
agreement's press-release document. Every fact below can be traced to a sentence of it; where the
release is silent (who signed, the organiser of BIO-Europe, when the first agreement was signed,
how long either agreement runs, names in Japanese script) the field is left empty.

The loader is idempotent: every object is written with ``organizations.services.record_upsert``
(looked up by a natural key — a slug, or its parent plus a distinguishing field — updated in
place, validated with ``full_clean()`` and saved only when something changed). The rules that
span rows go through ``partnerships/rules.py`` and the publish service, like the admin's.
``manage.py load_demo`` runs it; running it twice leaves the same rows.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation
from phonenumber_field.phonenumber import PhoneNumber

from organizations.models import (
    Affiliation,
    ClusterManager,
    FocusArea,
    Organization,
    Person,
    Region,
    Visibility,
)
from organizations.services import UpsertLog, translated_values
from partnerships import rules
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    Commitment,
    CooperationArea,
    Document,
    Event,
    SigningEvent,
    Statement,
)
from partnerships.services import (
    agreement_approve,
    agreement_publish,
    agreement_submit_for_review,
)

# The release is dated Wednesday, 4 November 2015 ("bis zum heutigen Mittwoch").
PRESS_RELEASE_DATE = datetime.date(2015, 11, 4)

PRESS_RELEASE_PATH = Path(__file__).with_name("demo_sources") / "press-release-2015-11-04-de.txt"

# The ISO regions the demo refers to; load_demo loads at least these countries.
DEMO_COUNTRIES = ("DE", "JP")

# "Tel.: +49-89-89 96 79-0" in the contact block.
BIOM_PHONE = "+49-89-89 96 79-0"


def press_release_text() -> str:
    return PRESS_RELEASE_PATH.read_text(encoding="utf-8")


# --- Curated regions: real geography below the ISO subdivisions -----------------------------
# Keyed by slug. "parent" is a slug (ISO regions have their lower-case code as slug).
# Centroids only where certain, rounded to two decimals (city centres of Munich and Osaka).
REGIONS: dict[str, dict[str, Any]] = {
    "upper-bavaria": {
        "kind": Region.Kind.DISTRICT,
        "parent": "de-by",
        "name": {
            "en": "Upper Bavaria",
            "de": "Oberbayern",
            "ja": "オーバーバイエルン",
            "fr": "Haute-Bavière",
        },
        "aliases": "Oberbayern",
    },
    "munich": {
        "kind": Region.Kind.CITY,
        "parent": "upper-bavaria",
        "name": {"en": "Munich", "de": "München", "ja": "ミュンヘン", "fr": "Munich"},
        "aliases": "München, Munchen, Muenchen, Munich",
        "latitude": Decimal("48.14"),
        "longitude": Decimal("11.58"),
    },
    # "82152 Martinsried/Munich" in the contact block.
    "martinsried": {
        "kind": Region.Kind.CITY,
        "parent": "upper-bavaria",
        "name": {"en": "Martinsried", "de": "Martinsried", "ja": "", "fr": "Martinsried"},
        "aliases": "",
    },
    "osaka-city": {
        "kind": Region.Kind.CITY,
        "parent": "jp-27",
        "name": {"en": "Osaka City", "de": "Stadt Osaka", "ja": "大阪市", "fr": "Ville d'Osaka"},
        "aliases": "Osaka, Osaka-shi",
        "latitude": Decimal("34.69"),
        "longitude": Decimal("135.50"),
    },
    # "die Osaka/Kansai-Region": the six prefectures of Kansai.
    "kansai": {
        "kind": Region.Kind.MACRO_REGION,
        "parent": "jp",
        "name": {"en": "Kansai", "de": "Kansai", "ja": "関西", "fr": "Kansai"},
        "aliases": "Kansai region, Kinki",
        "members": ["jp-25", "jp-26", "jp-27", "jp-28", "jp-29", "jp-30"],
    },
}

# --- Focus areas: the regions' strengths named in the release -------------------------------
FOCUS_AREAS: dict[str, dict[str, str]] = {
    # "München hat sich auf die Beschleunigung biomedizinischer Innovationen im Bereich
    # Personalisierter Medizin spezialisiert"
    "personalised-medicine": {
        "en": "Personalised medicine",
        "de": "Personalisierte Medizin",
        "ja": "個別化医療",
        "fr": "Médecine personnalisée",
    },
    # "die Osaka/Kansai-Region bietet eine Menge, z.B. in den Bereichen Neurowissenschaften,
    # Krebsbehandlung und Regenerativer Medizin"
    "neuroscience": {
        "en": "Neuroscience",
        "de": "Neurowissenschaften",
        "ja": "神経科学",
        "fr": "Neurosciences",
    },
    "cancer-therapy": {
        "en": "Cancer therapy",
        "de": "Krebsbehandlung",
        "ja": "がん治療",
        "fr": "Traitement du cancer",
    },
    "regenerative-medicine": {
        "en": "Regenerative medicine",
        "de": "Regenerative Medizin",
        "ja": "再生医療",
        "fr": "Médecine régénérative",
    },
}

REGION_STRENGTHS: dict[str, list[str]] = {
    "munich": ["personalised-medicine"],
    "kansai": ["neuroscience", "cancer-therapy", "regenerative-medicine"],
}

# --- Organisations ---------------------------------------------------------------------------
# Listed parents first. Names have no Japanese form in the release: name_ja stays empty and
# falls back to English.
ORGANIZATIONS: dict[str, dict[str, Any]] = {
    "biom": {
        "name": {"en": "BioM Biotech Cluster Development GmbH"},
        "short_name": "BioM",
        "legal_name": "BioM Biotech Cluster Development GmbH",
        "kind": Organization.Kind.CLUSTER,
        "region": "martinsried",
        "street_address": "Am Klopferspitz 19 a",
        "postal_code": "82152",
        "locality": "Martinsried/Munich",
        "website": "https://www.bio-m.org",
        "phone": BIOM_PHONE,
        "description": {
            "en": "Cluster management organisation of the Munich biotechnology cluster (Germany).",
            "de": "Clustermanagementorganisation des Biotechnologieclusters München (Deutschland).",
            "ja": "ミュンヘン（ドイツ）のバイオテクノロジークラスターの"
            "クラスターマネジメント組織。",
            "fr": "Organisation de gestion du cluster biotechnologique de Munich (Allemagne).",
        },
        "focus_areas": ["personalised-medicine"],
    },
    # "Osaka Bio Headquarters (Senri Life Sciences Foundation)"
    "senri-life-science-foundation": {
        "name": {"en": "Senri Life Science Foundation"},
        "kind": Organization.Kind.FOUNDATION,
        # The release does not say where the foundation is; Japan is all it implies.
        "region": "jp",
        "description": {
            "en": "Foundation to which Osaka Bio Headquarters belongs. The press release of "
            "4 November 2015 spells its name “Senri Life Sciences Foundation”.",
            "de": "Stiftung, zu der das Osaka Bio Headquarters gehört. Die Pressemitteilung vom "
            "4. November 2015 schreibt den Namen „Senri Life Sciences Foundation“.",
            "ja": "Osaka Bio Headquartersが属する財団。2015年11月4日付のプレスリリースでは"
            "「Senri Life Sciences Foundation」と表記されている。",
            "fr": "Fondation dont fait partie Osaka Bio Headquarters. Le communiqué de presse du "
            "4 novembre 2015 écrit son nom « Senri Life Sciences Foundation ».",
        },
        "focus_areas": [],
    },
    "osaka-bio-headquarters": {
        "name": {"en": "Osaka Bio Headquarters"},
        "kind": Organization.Kind.CLUSTER,
        "region": "jp-27",
        "parent": "senri-life-science-foundation",
        "description": {
            "en": "Cluster management organisation of the Osaka biotechnology cluster (Japan).",
            "de": "Clustermanagementorganisation des Biotechnologieclusters Osaka (Japan).",
            "ja": "大阪（日本）のバイオテクノロジークラスターのクラスターマネジメント組織。",
            "fr": "Organisation de gestion du cluster biotechnologique d'Osaka (Japon).",
        },
        "focus_areas": ["neuroscience", "cancer-therapy", "regenerative-medicine"],
    },
    # The release only says "bayerischer Wirtschaftsstaatssekretär".
    "bavarian-state-ministry-of-economic-affairs": {
        "name": {
            "en": "Bavarian State Ministry of Economic Affairs",
            "de": "Bayerisches Staatsministerium für Wirtschaft",
            "ja": "バイエルン州経済省",
            "fr": "Ministère bavarois de l'Économie",
        },
        "kind": Organization.Kind.GOVERNMENT,
        "region": "de-by",
        "description": {
            "en": "The Bavarian state ministry responsible for economic affairs.",
            "de": "Das für Wirtschaft zuständige bayerische Staatsministerium.",
            "ja": "バイエルン州の経済担当省。",
            "fr": "Le ministère de l'État de Bavière chargé de l'économie.",
        },
        "focus_areas": [],
    },
}

# --- People and their positions, as the release states them --------------------------------
PEOPLE: dict[str, dict[str, Any]] = {
    "tadamitsu-kishimoto": {
        "honorific": {"en": "Dr.", "de": "Dr.", "fr": "Dr"},
        "given_name": "Tadamitsu",
        "family_name": "Kishimoto",
        # Japanese name: family name first. No kanji in the release, so native_name stays empty.
        "native_name_order": Person.NameOrder.FAMILY_FIRST,
    },
    "horst-domdey": {
        "honorific": {"en": "Prof. Dr.", "de": "Prof. Dr.", "fr": "Pr"},
        "given_name": "Horst",
        "family_name": "Domdey",
        "native_name_order": Person.NameOrder.GIVEN_FIRST,
    },
    "franz-josef-pschierer": {
        "honorific": {},
        "given_name": "Franz Josef",
        "family_name": "Pschierer",
        "native_name_order": Person.NameOrder.GIVEN_FIRST,
    },
    "stephanie-wehnelt": {
        "honorific": {"en": "Dr.", "de": "Dr.", "fr": "Dr"},
        "given_name": "Stephanie",
        "family_name": "Wehnelt",
        "native_name_order": Person.NameOrder.GIVEN_FIRST,
    },
}

# (person, organisation) -> position and contact data. All positions are published in the
# release, hence public; the only e-mail and phone are those of the contact block.
AFFILIATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("tadamitsu-kishimoto", "osaka-bio-headquarters"): {
        "position": {"en": "President", "de": "Präsident", "ja": "会長", "fr": "Président"},
    },
    ("horst-domdey", "biom"): {
        "position": {"en": "CEO", "de": "CEO", "ja": "CEO", "fr": "Directeur général"},
    },
    ("franz-josef-pschierer", "bavarian-state-ministry-of-economic-affairs"): {
        "position": {
            "en": "State Secretary for Economic Affairs",
            "de": "Wirtschaftsstaatssekretär",
            "ja": "経済担当次官",
            "fr": "Secrétaire d'État à l'Économie",
        },
    },
    ("stephanie-wehnelt", "biom"): {
        # Written in English in the (German) release.
        "position": {
            "en": "Head of International Affairs & Training",
            "de": "Head of International Affairs & Training",
            "ja": "国際業務・研修責任者",
            "fr": "Head of International Affairs & Training",
        },
        "email": "wehnelt@bio-m.org",
        "phone": BIOM_PHONE,
    },
}

# --- The occasion ----------------------------------------------------------------------------
# "auf der BIO-Europe, Europas größter Partnering-Konferenz für die globale
# Biotechnologie-Industrie" ... "am 2. November 2015 auf der BIO-Europe ..., die dieses Jahr in
# München noch bis zum heutigen Mittwoch durchgeführt wird" (Wednesday = 4 November 2015).
# The release does not name the organiser or the venue: both stay empty.
EVENTS: dict[str, dict[str, Any]] = {
    "bio-europe-2015": {
        "name": {
            "en": "BIO-Europe 2015",
            "de": "BIO-Europe 2015",
            "ja": "BIO-Europe 2015",
            "fr": "BIO-Europe 2015",
        },
        "description": {
            "en": "Europe's largest partnering conference for the global biotechnology "
            "industry, held in Munich in 2015.",
            "de": "Europas größte Partnering-Konferenz für die globale "
            "Biotechnologie-Industrie, 2015 in München.",
            "ja": "世界のバイオテクノロジー産業のための欧州最大のパートナリング・カンファレンス。"
            "2015年はミュンヘンで開催。",
            "fr": "La plus grande conférence de partenariat d'Europe pour l'industrie mondiale "
            "des biotechnologies, tenue à Munich en 2015.",
        },
        "region": "munich",
        "starts_on": datetime.date(2015, 11, 2),
        "ends_on": datetime.date(2015, 11, 4),
    },
}

# --- The agreements --------------------------------------------------------------------------
PARTIES: list[dict[str, Any]] = [
    {
        "organization": "biom",
        "role_description": {
            "en": "Cluster management organisation of the Munich biotechnology cluster",
            "de": "Clustermanagementorganisation des Biotechnologieclusters München",
            "ja": "ミュンヘン・バイオテクノロジークラスターのクラスターマネジメント組織",
            "fr": "Organisation de gestion du cluster biotechnologique de Munich",
        },
    },
    {
        "organization": "osaka-bio-headquarters",
        "role_description": {
            "en": "Cluster management organisation of the Osaka biotechnology cluster",
            "de": "Clustermanagementorganisation des Biotechnologieclusters Osaka",
            "ja": "大阪バイオテクノロジークラスターのクラスターマネジメント組織",
            "fr": "Organisation de gestion du cluster biotechnologique d'Osaka",
        },
    },
]

# "Aufbauend auf bisheriger Vereinbarung": the earlier agreement. Its date and term are not
# in the release.
EARLIER_AGREEMENT: dict[str, Any] = {
    "slug": "biom-osaka-bio-headquarters-cooperation-agreement",
    "title": {
        "en": "Cooperation agreement between BioM and Osaka Bio Headquarters",
        "de": "Kooperationsvereinbarung zwischen BioM und Osaka Bio Headquarters",
        "ja": "BioMとOsaka Bio Headquartersの協力協定",
        "fr": "Accord de coopération entre BioM et Osaka Bio Headquarters",
    },
    "summary": {
        "en": "The earlier cooperation agreement between BioM and Osaka Bio Headquarters on "
        "which the agreement signed on 2 November 2015 builds. The press release of "
        "4 November 2015 does not say when it was signed or how long it runs.",
        "de": "Die bisherige Kooperationsvereinbarung zwischen BioM und Osaka Bio Headquarters, "
        "auf der die am 2. November 2015 unterzeichnete Vereinbarung aufbaut. Wann sie "
        "unterzeichnet wurde und wie lange sie läuft, nennt die Pressemitteilung vom "
        "4. November 2015 nicht.",
        "ja": "2015年11月2日に署名された協定の基礎となった、BioMとOsaka Bio Headquartersの"
        "従来の協力協定。署名日と有効期間は2015年11月4日付のプレスリリースには記載されていない。",
        "fr": "L'accord de coopération antérieur entre BioM et Osaka Bio Headquarters, sur lequel "
        "s'appuie l'accord signé le 2 novembre 2015. Le communiqué de presse du 4 novembre 2015 "
        "ne dit pas quand il a été signé ni pour combien de temps.",
    },
    "kind": Agreement.Kind.COOPERATION,
    "state": Agreement.State.CONCLUDED,
    "signed_on": None,
    "term": Agreement.Term.UNSTATED,
    "publish": True,
}

RENEWAL: dict[str, Any] = {
    "slug": "biom-osaka-bio-headquarters-cooperation-agreement-2015",
    "title": {
        "en": "Renewal of the cooperation agreement between BioM and Osaka Bio Headquarters (2015)",
        "de": "Erneuerung der Kooperationsvereinbarung zwischen BioM und Osaka Bio "
        "Headquarters (2015)",
        "ja": "BioMとOsaka Bio Headquartersの協力協定の更新（2015年）",
        "fr": "Renouvellement de l'accord de coopération entre BioM et Osaka Bio Headquarters "
        "(2015)",
    },
    "summary": {
        "en": "Signed on 2 November 2015 at BIO-Europe in Munich, the agreement extends and "
        "intensifies the existing partnership between the biotechnology clusters of Munich "
        "(Germany) and Osaka (Japan). Munich specialises in accelerating biomedical innovation "
        "in personalised medicine; the Osaka/Kansai region has much to offer in fields such as "
        "neuroscience, cancer therapy and regenerative medicine, building on a long history of "
        "the pharmaceutical industry.",
        "de": "Die am 2. November 2015 auf der BIO-Europe in München unterzeichnete Vereinbarung "
        "erweitert und intensiviert die bestehende Partnerschaft der Biotechnologiecluster "
        "München (Deutschland) und Osaka (Japan). München hat sich auf die Beschleunigung "
        "biomedizinischer Innovationen im Bereich Personalisierter Medizin spezialisiert; die "
        "Osaka/Kansai-Region bietet eine Menge, z. B. in den Bereichen Neurowissenschaften, "
        "Krebsbehandlung und Regenerative Medizin, aufbauend auf einer langen Geschichte der "
        "Pharmaindustrie.",
        "ja": "2015年11月2日にミュンヘンのBIO-Europeで署名された本協定は、ミュンヘン（ドイツ）と"
        "大阪（日本）のバイオテクノロジークラスター間の既存のパートナーシップを拡大・強化する"
        "ものである。ミュンヘンは個別化医療分野における生物医学イノベーションの加速に特化し、"
        "大阪・関西地域は製薬産業の長い歴史を基盤に、神経科学、がん治療、再生医療などの分野で"
        "多くの強みを持つ。",
        "fr": "Signé le 2 novembre 2015 à BIO-Europe à Munich, l'accord élargit et intensifie le "
        "partenariat existant entre les clusters biotechnologiques de Munich (Allemagne) et "
        "d'Osaka (Japon). Munich s'est spécialisée dans l'accélération de l'innovation "
        "biomédicale en médecine personnalisée ; la région d'Osaka/Kansai a beaucoup à offrir, "
        "par exemple en neurosciences, en traitement du cancer et en médecine régénérative, "
        "forte d'une longue histoire de l'industrie pharmaceutique.",
    },
    # "Kooperationsvereinbarung" — that it renews the earlier one is recorded as the lineage.
    "kind": Agreement.Kind.COOPERATION,
    "state": Agreement.State.CONCLUDED,
    "signed_on": datetime.date(2015, 11, 2),
    "term": Agreement.Term.UNSTATED,
    "lineage": Agreement.Lineage.RENEWS,
    "publish": True,
    "focus_areas": [
        "personalised-medicine",
        "neuroscience",
        "cancer-therapy",
        "regenerative-medicine",
    ],
}

# "Die Vereinbarung sieht vor, dass ..." — the scope, one row per commitment.
COOPERATION_AREAS: list[dict[str, str]] = [
    {
        "en": "Keeping each other informed about current technological, industrial and academic "
        "developments in their regions.",
        "de": "Gegenseitige Information über aktuelle technologische, industrielle und "
        "akademische Entwicklungen ihrer Regionen.",
        "ja": "それぞれの地域における技術・産業・学術の最新動向についての相互の情報提供。",
        "fr": "S'informer mutuellement des évolutions technologiques, industrielles et "
        "universitaires actuelles de leurs régions.",
    },
    {
        "en": "Exchange of best practice in technology transfer.",
        "de": "Austausch zu Best Practices im Technologietransfer.",
        "ja": "技術移転に関するベストプラクティスの交換。",
        "fr": "Échange de bonnes pratiques en matière de transfert de technologie.",
    },
    {
        "en": "Exchange of best practice in supporting biotech SMEs in their internationalisation.",
        "de": "Austausch zu Best Practices bei der Unterstützung von Biotech-KMU bei der "
        "Internationalisierung.",
        "ja": "バイオテクノロジー分野の中小企業の国際化支援に関するベストプラクティスの交換。",
        "fr": "Échange de bonnes pratiques dans l'accompagnement des PME de biotechnologie "
        "vers l'international.",
    },
    {
        "en": "Paving the way for industry–industry and industry–academia cooperation.",
        "de": "Den Weg ebnen für Industrie-Industrie- und Industrie-Akademia-Kooperationen.",
        "ja": "産業界同士および産学間の協力への道を開くこと。",
        "fr": "Ouvrir la voie à des coopérations entre industriels et entre industrie et "
        "recherche académique.",
    },
    {
        "en": "The cluster management organisations act as entry portals for companies of the "
        "partner region.",
        "de": "Die Clustermanagementorganisationen fungieren als Einstiegsportale für "
        "Unternehmen der Partnerregion.",
        "ja": "クラスターマネジメント組織が、パートナー地域の企業にとっての"
        "窓口として機能すること。",
        "fr": "Les organisations de gestion de cluster servent de portes d'entrée aux entreprises "
        "de la région partenaire.",
    },
]

SIGNING_EVENT: dict[str, Any] = {
    "signed_on": datetime.date(2015, 11, 2),
    "place": "munich",
    "occasion": "bio-europe-2015",
    "description": {
        "en": "Ceremonial signing in the presence of the Bavarian State Secretary for Economic "
        "Affairs, Franz Josef Pschierer.",
        "de": "Feierliche Unterzeichnung in Anwesenheit des bayerischen "
        "Wirtschaftsstaatssekretärs Franz Josef Pschierer.",
        "ja": "バイエルン州経済担当次官Franz Josef Pschierer氏の立ち会いのもとで行われた署名式。",
        "fr": "Signature solennelle en présence du secrétaire d'État bavarois à l'Économie, "
        "Franz Josef Pschierer.",
    },
}

# "in Anwesenheit des bayerischen Wirtschaftsstaatssekretärs Franz Josef Pschierer"
ATTENDANCES: list[dict[str, Any]] = [
    {
        "person": "franz-josef-pschierer",
        "organization": "bavarian-state-ministry-of-economic-affairs",
        "capacity": {
            "en": "Bavarian State Secretary for Economic Affairs",
            "de": "Bayerischer Wirtschaftsstaatssekretär",
            "ja": "バイエルン州経済担当次官",
            "fr": "Secrétaire d'État bavarois à l'Économie",
        },
        "is_dignitary": True,
    },
]

# No Signature rows: the release says the agreement was signed, but not by whom.

# The quotes, German as written (without the quotation marks). Kishimoto's quote runs across
# the sub-heading "Aufbauend auf bisheriger Vereinbarung", kept as a paragraph break; Domdey's
# is interrupted by "sagte Prof. Dr. Horst Domdey, ...", joined with a full stop.
STATEMENTS: list[dict[str, Any]] = [
    {
        "person": "tadamitsu-kishimoto",
        "organization": "osaka-bio-headquarters",
        "capacity": {
            "en": "President, Osaka Bio Headquarters (Senri Life Sciences Foundation)",
            "de": "Präsident des Osaka Bio Headquarters (Senri Life Sciences Foundation)",
            "ja": "Osaka Bio Headquarters（Senri Life Sciences Foundation）会長",
            "fr": "Président d'Osaka Bio Headquarters (Senri Life Sciences Foundation)",
        },
        "text": {
            "de": "Es besteht ein großes Geschäftspotential für Unternehmen unserer beiden "
            "Partnerregionen.\n\n"
            "Durch die gute Zusammenarbeit mit BioM wurde die gegenseitige Wahrnehmung dafür "
            "bereits maßgeblich verbessert. Dieser Wissenstransfer ist sehr wichtig, allerdings "
            "sind internationale Kollaborationen für den Erfolg unserer Regionen unentbehrlich. "
            "Wir begrüßen daher die neue Vereinbarung, wodurch potentielle Geschäftspartner noch "
            "näher zusammengebracht werden.",
            "en": "There is great business potential for companies in our two partner regions."
            "\n\n"
            "Thanks to the good cooperation with BioM, mutual awareness of it has already "
            "improved significantly. This transfer of knowledge is very important, but "
            "international collaborations are indispensable for the success of our regions. We "
            "therefore welcome the new agreement, which will bring potential business partners "
            "even closer together.",
            "ja": "私たちの二つのパートナー地域の企業には、大きなビジネスの可能性があります。\n\n"
            "BioMとの良好な協力により、その可能性に対する相互の認識はすでに大きく高まりました。"
            "こうした知識の移転は非常に重要ですが、私たちの地域の成功には国際的な協力が"
            "欠かせません。そのため、潜在的なビジネスパートナーをさらに近づける新たな協定を"
            "歓迎します。",
            "fr": "Il existe un grand potentiel commercial pour les entreprises de nos deux "
            "régions partenaires.\n\n"
            "Grâce à la bonne coopération avec BioM, la conscience mutuelle de ce potentiel s'est "
            "déjà nettement améliorée. Ce transfert de connaissances est très important, mais les "
            "collaborations internationales sont indispensables au succès de nos régions. Nous "
            "saluons donc le nouvel accord, qui rapprochera encore davantage les partenaires "
            "commerciaux potentiels.",
        },
    },
    {
        "person": "horst-domdey",
        "organization": "biom",
        "capacity": {
            "en": "CEO, BioM Biotech Cluster Development GmbH, Munich",
            "de": "CEO der BioM Biotech Cluster Development GmbH, München",
            "ja": "BioM Biotech Cluster Development GmbH（ミュンヘン）CEO",
            "fr": "Directeur général de BioM Biotech Cluster Development GmbH, Munich",
        },
        "text": {
            "de": "In der komplexen japanischen Geschäftskultur sind Aufbau und Pflege "
            "persönlicher Kontakte entscheidend. Wir freuen uns, dass durch die Erneuerung "
            "unserer Kooperationsvereinbarung mit Osaka ein direkter Zugang für bayerische KMU "
            "und Forschergruppen zu interessanten Märkten und Forschungskooperationen erleichtert "
            "wird.",
            "en": "In the complex Japanese business culture, building and maintaining personal "
            "contacts is crucial. We are pleased that the renewal of our cooperation agreement "
            "with Osaka makes direct access to interesting markets and research collaborations "
            "easier for Bavarian SMEs and research groups.",
            "ja": "複雑な日本のビジネス文化においては、個人的な人脈の構築と維持が決定的に"
            "重要です。大阪との協力協定の更新により、バイエルンの中小企業や研究グループが"
            "魅力的な市場や研究協力に直接アクセスしやすくなることを嬉しく思います。",
            "fr": "Dans la culture d'affaires japonaise, complexe, nouer et entretenir des "
            "contacts personnels est décisif. Nous nous réjouissons que le renouvellement de "
            "notre accord de coopération avec Osaka facilite aux PME et groupes de recherche "
            "bavarois un accès direct à des marchés et à des coopérations de recherche "
            "intéressants.",
        },
    },
]

# "Kontakt: Dr. Stephanie Wehnelt ..." — the contact for BioM.
CONTACTS: list[tuple[str, str]] = [("stephanie-wehnelt", "biom")]

PRESS_RELEASE: dict[str, Any] = {
    "kind": Document.Kind.PRESS_RELEASE,
    "title": {
        "en": "Press release of 4 November 2015 (German)",
        "de": "Pressemitteilung vom 4. November 2015",
        "ja": "プレスリリース（2015年11月4日、ドイツ語）",
        "fr": "Communiqué de presse du 4 novembre 2015 (en allemand)",
    },
    "language": "de",
    "published_on": PRESS_RELEASE_DATE,
}


# --- Loading ---------------------------------------------------------------------------------


@transaction.atomic
def load(*, log: Callable[[str], None] = lambda line: None) -> Counter[tuple[str, str]]:
    """Write the demo data; the ISO regions of :data:`DEMO_COUNTRIES` must be loaded first.

    Returns how many objects of each kind were created, updated or left unchanged.
    """
    upsert = UpsertLog(log)
    with translation.override("en"):
        regions = {r.slug: r for r in Region.objects.filter(slug__in=["de-by", "jp", "jp-27"])}
        regions.update(
            {r.slug: r for r in Region.objects.filter(slug__in=REGIONS["kansai"]["members"])}
        )
        for slug, data in REGIONS.items():
            values = {
                "kind": data["kind"],
                "parent": regions[data["parent"]],
                "aliases": data["aliases"],
                "latitude": data.get("latitude"),
                "longitude": data.get("longitude"),
                **translated_values("name", data["name"]),
            }
            members = [regions[m] for m in data.get("members", [])]
            regions[slug] = upsert(Region, {"slug": slug}, values, {"members": members})

        focus = {
            slug: upsert(FocusArea, {"slug": slug}, translated_values("name", names))
            for slug, names in FOCUS_AREAS.items()
        }
        for slug, strengths in REGION_STRENGTHS.items():
            regions[slug].strengths.set([focus[s] for s in strengths])

        orgs: dict[str, Organization] = {}
        for slug, data in ORGANIZATIONS.items():
            values = {
                "short_name": data.get("short_name", ""),
                "legal_name": data.get("legal_name", ""),
                "kind": data["kind"],
                "region": regions[data["region"]],
                "street_address": data.get("street_address", ""),
                "postal_code": data.get("postal_code", ""),
                "locality": data.get("locality", ""),
                "website": data.get("website", ""),
                "phone": PhoneNumber.from_string(data["phone"]) if "phone" in data else "",
                "parent": orgs[data["parent"]] if "parent" in data else None,
                **translated_values("name", data["name"]),
                **translated_values("description", data["description"]),
            }
            focus_areas = [focus[f] for f in data["focus_areas"]]
            orgs[slug] = upsert(Organization, {"slug": slug}, values, {"focus_areas": focus_areas})

        people = {
            slug: upsert(
                Person,
                {"slug": slug},
                {
                    "given_name": data["given_name"],
                    "family_name": data["family_name"],
                    "native_name_order": data["native_name_order"],
                    **translated_values("honorific", data["honorific"]),
                },
            )
            for slug, data in PEOPLE.items()
        }
        affiliations = {
            (person, org): upsert(
                Affiliation,
                {"person": people[person], "organization": orgs[org]},
                {
                    "email": data.get("email", ""),
                    "phone": PhoneNumber.from_string(data["phone"]) if "phone" in data else "",
                    "visibility": Visibility.PUBLIC,
                    # The release gives each position as of its date, not as of today.
                    "stated_on": PRESS_RELEASE_DATE,
                    **translated_values("position", data["position"]),
                },
            )
            for (person, org), data in AFFILIATIONS.items()
        }

        events = {
            slug: upsert(
                Event,
                {"slug": slug},
                {
                    "region": regions[data["region"]],
                    "organizer": None,
                    "starts_on": data["starts_on"],
                    "ends_on": data["ends_on"],
                    **translated_values("name", data["name"]),
                    **translated_values("description", data["description"]),
                },
            )
            for slug, data in EVENTS.items()
        }

        earlier = _agreement(upsert, EARLIER_AGREEMENT, previous=None, focus=focus)
        renewal = _agreement(upsert, RENEWAL, previous=earlier, focus=focus)
        for agreement in (earlier, renewal):
            for position, party in enumerate(PARTIES):
                upsert(
                    AgreementParty,
                    {"agreement": agreement, "organization": orgs[party["organization"]]},
                    {
                        "role": AgreementParty.Role.PARTNER,
                        "position": position,
                        **translated_values("role_description", party["role_description"]),
                    },
                )
            # The rules the admin applies to the same rows, then the publish service.
            rules.check_parties(
                concluded=agreement.state == Agreement.State.CONCLUDED,
                organization_ids=agreement.parties.values_list("organization_id", flat=True),
            )
        parties = {p.organization.pk: p for p in renewal.parties.select_related("organization")}

        for position, area in enumerate(COOPERATION_AREAS):
            scope_item = upsert(
                CooperationArea,
                {"agreement": renewal, "position": position},
                translated_values("description", area),
            )
            # Issue 21: each scope item is a commitment of both clusters, in the release's
            # words. No activity: the release records none, and the demo invents nothing.
            upsert(
                Commitment,
                {"cooperation_area": scope_item},
                {"agreement": renewal, "position": position, **translated_values("text", area)},
            )

        rules.check_signing_allowed(concluded=renewal.state == Agreement.State.CONCLUDED)
        signing = upsert(
            SigningEvent,
            {"agreement": renewal, "signed_on": SIGNING_EVENT["signed_on"]},
            {
                "place": regions[SIGNING_EVENT["place"]],
                "occasion": events[SIGNING_EVENT["occasion"]],
                **translated_values("description", SIGNING_EVENT["description"]),
            },
        )
        for attendance in ATTENDANCES:
            upsert(
                Attendance,
                {"signing_event": signing, "person": people[attendance["person"]]},
                {
                    "organization": orgs[attendance["organization"]],
                    "is_dignitary": attendance["is_dignitary"],
                    **translated_values("capacity", attendance["capacity"]),
                },
            )

        for position, statement in enumerate(STATEMENTS):
            upsert(
                Statement,
                {"agreement": renewal, "person": people[statement["person"]]},
                {
                    "organization": orgs[statement["organization"]],
                    "original_language": "de",
                    "position": position,
                    **translated_values("capacity", statement["capacity"]),
                    **translated_values("text", statement["text"]),
                },
            )

        for person, org in CONTACTS:
            upsert(
                AgreementContact,
                {"agreement": renewal, "affiliation": affiliations[(person, org)]},
                {"party": parties[orgs[org].pk]},
            )

        upsert(
            Document,
            {
                "agreement": renewal,
                "kind": PRESS_RELEASE["kind"],
                "published_on": PRESS_RELEASE["published_on"],
            },
            {
                "language": PRESS_RELEASE["language"],
                "text": press_release_text(),
                "is_public": True,
                **translated_values("title", PRESS_RELEASE["title"]),
            },
        )
        # Last, once every key term (parties, scope) is in: what is approved is what is shown.
        for agreement, data in ((earlier, EARLIER_AGREEMENT), (renewal, RENEWAL)):
            if data["publish"] and not agreement.is_public:
                _publish(agreement)
                upsert.record(Agreement, agreement, "published")
    return upsert.actions


def _publish(agreement: Agreement) -> None:
    """Through the publication workflow: in review, approved for every party, published. By each
    party's cluster managers where the demo has them, otherwise as administrator (no user)."""
    if agreement.publication != Agreement.Publication.IN_REVIEW:
        agreement_submit_for_review(agreement=agreement, user=None)
    for party in agreement.parties.select_related("organization"):
        managers = ClusterManager.objects.filter(
            organization=party.organization_id, user__is_active=True, user__is_staff=True
        )
        manager = managers.select_related("user").order_by("pk").first()
        agreement_approve(
            agreement=agreement,
            organization=party.organization,
            user=manager.user if manager is not None else None,
        )
    agreement_publish(agreement=agreement, user=None)


def _agreement(
    upsert: UpsertLog,
    data: dict[str, Any],
    *,
    previous: Agreement | None,
    focus: dict[str, FocusArea],
) -> Agreement:
    values = {
        "kind": data["kind"],
        "state": data["state"],
        "signed_on": data["signed_on"],
        "term": data["term"],
        "previous": previous,
        "lineage": data.get("lineage", ""),
        **translated_values("title", data["title"]),
        **translated_values("summary", data["summary"]),
    }
    # The publication is left to the workflow once the parties and the scope are in (_publish):
    # the same rules as the admin's and the services'.
    focus_areas = [focus[f] for f in data.get("focus_areas", [])]
    return upsert(Agreement, {"slug": data["slug"]}, values, {"focus_areas": focus_areas})
