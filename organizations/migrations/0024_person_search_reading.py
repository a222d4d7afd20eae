"""Site search finds a person by the reading of their name too (きしもと): the person document
(organizations_person_document) takes the reading as a fourth argument, and its two indexes are
rebuilt over it, concurrently (the table stays writable; for the moment between dropping an
index and building it again a search of people reads the table). The state is unchanged: the
indexes' expression is ``PersonDocument()``, whatever arguments it passes."""

from django.db import migrations

DOCUMENT_4 = "organizations_person_document(given_name, family_name, native_name, native_name_reading)"
DOCUMENT_3 = "organizations_person_document(given_name, family_name, native_name)"


def indexes(document: str) -> list[str]:
    return [
        "CREATE INDEX CONCURRENTLY organizations_person_doc_trgm ON organizations_person "
        f"USING gin ({document} gin_trgm_ops)",
        "CREATE INDEX CONCURRENTLY organizations_person_terms_gin ON organizations_person "
        f"USING gin (organizations_search_terms({document}))",
    ]


DROP_INDEXES = [
    "DROP INDEX CONCURRENTLY IF EXISTS organizations_person_terms_gin",
    "DROP INDEX CONCURRENTLY IF EXISTS organizations_person_doc_trgm",
]


class Migration(migrations.Migration):
    atomic = False  # CREATE/DROP INDEX CONCURRENTLY: one statement per operation

    dependencies = [
        ("organizations", "0023_person_name_reading"),
    ]

    operations = [
        migrations.RunSQL(
            """
            CREATE FUNCTION organizations_person_document(
                given_name text, family_name text, native_name text, native_name_reading text
            ) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN organizations_search_clean(
                    concat_ws(' ', given_name, family_name, native_name, native_name_reading));
            """,
            "DROP FUNCTION organizations_person_document(text, text, text, text)",
        ),
        *(
            migrations.RunSQL(drop, create)
            for drop, create in zip(DROP_INDEXES, reversed(indexes(DOCUMENT_3)), strict=True)
        ),
        *(
            migrations.RunSQL(create, drop)
            for create, drop in zip(indexes(DOCUMENT_4), reversed(DROP_INDEXES), strict=True)
        ),
    ]
