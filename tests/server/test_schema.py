"""The ORM tables (``server/models``) and the migrated database say the same: every table, column, type
and nullability; so SQL checked against one holds for the other."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, MetaData, text

import server.models  # noqa: F401 - registers every table on the metadata
from server.db.base import Base

#: Tables that are not part of the application's model.
_NOT_MODELLED = frozenset({"alembic_version"})


def column_problems(conn: Connection, metadata: MetaData) -> list[str]:
    """Each difference between ``metadata`` and the tables of the database's ``public`` schema."""
    rows = conn.execute(text(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
    ))
    database: dict[str, dict[str, tuple[str, bool]]] = {}
    for table, column, type_, not_null in rows:
        database.setdefault(table, {})[column] = (type_, not_null)
    problems = [f"table {t} has no model" for t in sorted(set(database) - set(metadata.tables) - _NOT_MODELLED)]
    for name, table in sorted(metadata.tables.items()):
        found = database.get(name)
        if found is None:
            problems.append(f"model {name} has no table")
            continue
        for column in table.columns:
            if column.name not in found:
                problems.append(f"{name}.{column.name} is not in the database")
                continue
            type_, not_null = found[column.name]
            orm_type = conn.execute(text(f"SELECT format_type('{column.type.compile(conn.dialect)}'::regtype, NULL)"))
            modelled = column.type.compile(conn.dialect).lower()
            if not _same_type(type_, modelled, orm_type.scalar_one()):
                problems.append(f"{name}.{column.name}: {modelled} in the model, {type_} in the database")
            if not_null == column.nullable:
                problems.append(f"{name}.{column.name}: nullable {column.nullable} in the model, "
                                f"{not not_null} in the database")
        problems += [f"{name}.{c} is not in the model" for c in sorted(set(found) - {c.name for c in table.columns})]
    return problems


def _same_type(database: str, modelled: str, modelled_base: str) -> bool:
    """Whether the database's ``format_type`` names the model's compiled type (``VARCHAR(24)`` is
    ``character varying(24)``, ``TIMESTAMP WITH TIME ZONE`` is ``timestamp with time zone``)."""
    if "(" in modelled:  # a length or precision: the base type's canonical name plus the modifier
        return database == modelled_base + modelled[modelled.index("("):].replace(" ", "")
    return database == modelled_base


class TestSchema:
    def test_models_match_the_migrated_database(self, engine: Engine) -> None:
        """Every table has a model and every model column its column, with the same type and nullability."""
        with engine.connect() as conn:
            assert column_problems(conn, Base.metadata) == []

    def test_a_renamed_model_column_is_found(self, engine: Engine) -> None:
        """The check names a column the model calls differently from the database."""
        metadata = MetaData()
        for table in Base.metadata.sorted_tables:
            table.to_metadata(metadata)
        metadata.tables["payments"].c.receipt_no.name = "receipt_number"
        with engine.connect() as conn:
            problems = column_problems(conn, metadata)
        assert "payments.receipt_number is not in the database" in problems
        assert "payments.receipt_no is not in the model" in problems
