"""Declarative base with a naming convention, so constraint names are stable in migrations."""

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Index, Integer, MetaData, func, literal_column
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from app.core.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON everywhere, JSONB on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class UpdatedAtMixin:
    """When the row last changed (`updated_at`), for the rows that predate TimestampMixin's
    pair: what `updated_since=` of a list compares with."""

    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class VersionedMixin:
    """An optimistic-lock counter: ETag of the resource, checked against If-Match.

    SQLAlchemy adds `AND version = :old` to every UPDATE and bumps the counter, so two writers
    that both read version 3 can never both succeed.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint that keeps a column within a fixed list of codes."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def words_index(table: str) -> Index:
    """The words of the folded `search_text` (`to_tsvector('simple', …)`), GIN-indexed on
    PostgreSQL only: a needle of common words ("to trinh de nghi … so 1234") is found from its
    rarest word's entries, where the trigram index intersects posting lists of the whole
    table. See `app.core.orm.like_folded_words`; SQLite has no such index."""
    return Index(
        f"ix_{table}_search_words",
        func.to_tsvector(literal_column("'simple'::regconfig"), literal_column("search_text")),
        postgresql_using="gin",
    ).ddl_if(dialect="postgresql")


def trigram_index(table: str) -> Index:
    """The index behind `q=` (a `LIKE '%…%'` on the folded `search_text`): a pg_trgm GIN index
    on PostgreSQL, which finds a needle anywhere in millions of rows; a plain one on SQLite."""
    return Index(
        f"ix_{table}_search_text_trgm",
        "search_text",
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
