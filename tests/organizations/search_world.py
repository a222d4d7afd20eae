"""A small region tree and synthetic organisations for the search tests.

Real geography (Germany → Bavaria → Upper Bavaria → Munich, Martinsried; Japan → Osaka prefecture
→ Osaka city; the Kansai macro-region including Osaka prefecture). Organisation names are
synthetic, except the two named like the demo data's BioM (Martinsried) and Osaka Bio
Headquarters (Osaka).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from organizations.models import Region
from tests import factories


def region(slug: str, en: str, de: str, ja: str, kind: str, parent=None, **extra) -> Region:
    return factories.RegionFactory(
        slug=slug, name=en, name_de=de, name_ja=ja, kind=kind, parent=parent, **extra
    )


def build_world() -> SimpleNamespace:
    # Factories write ``name`` into the active language's field: build in English whatever an
    # earlier request left active.
    with translation.override("en"):
        return _build_world()


def _build_world() -> SimpleNamespace:
    K = Region.Kind
    w = SimpleNamespace()
    w.germany = region("germany", "Germany", "Deutschland", "ドイツ", K.COUNTRY, iso_code="DE")
    w.bavaria = region(
        "bavaria", "Bavaria", "Bayern", "バイエルン", K.SUBDIVISION, w.germany, iso_code="DE-BY"
    )
    w.upper_bavaria = region(
        "upper-bavaria", "Upper Bavaria", "Oberbayern", "オーバーバイエルン", K.DISTRICT, w.bavaria
    )
    w.munich = region(
        "munich",
        "Munich",
        "München",
        "ミュンヘン",
        K.CITY,
        w.upper_bavaria,
        aliases="Monaco di Baviera",
    )
    w.martinsried = region(
        "martinsried", "Martinsried", "Martinsried", "マルティンスリート", K.CITY, w.upper_bavaria
    )
    w.japan = region("japan", "Japan", "Japan", "日本", K.COUNTRY, iso_code="JP")
    w.osaka = region("osaka", "Osaka", "Osaka", "大阪府", K.SUBDIVISION, w.japan, iso_code="JP-27")
    w.osaka_city = region("osaka-city", "Osaka City", "Osaka", "大阪市", K.CITY, w.osaka)
    w.kansai = region(
        "kansai", "Kansai", "Kansai", "関西", K.MACRO_REGION, w.japan, aliases="Kinki"
    )
    w.kansai.members.add(w.osaka)
    w.testland = region("testland", "Testland", "Testland", "テストランド", K.COUNTRY)

    org = factories.OrganizationFactory
    w.biom = org(
        slug="biom",
        name="BioM Biotech Cluster Development",
        short_name="BioM",
        legal_name="BioM Biotech Cluster Development GmbH",
        region=w.martinsried,
        description_en="Synthetic test description of a life-science network.",
    )
    w.isar = org(
        slug="example-isar",
        name="Example Isar Test Cluster",
        region=w.munich,
        description_en="A synthetic test organisation.",
    )
    w.obhq = org(
        slug="obhq",
        name="Osaka Bio Headquarters",
        name_ja="大阪バイオヘッドクオーター",
        region=w.osaka_city,
        description_en="Synthetic test description.",
    )
    w.genomics = org(slug="testland-genomics", name="Testland Genomics", region=w.testland)
    w.alpha = org(
        slug="example-alpha",
        name="Example Alpha Test Foundation",
        region=w.testland,
        description_en="Works with Testland Genomics on synthetic sequencing tests.",
    )
    return w
