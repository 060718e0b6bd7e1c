"""Dossiers (hồ sơ đề nghị khen thưởng), their nominations, attachments and submissions."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.nominee_kinds import NomineeKind
from app.core.statuses import DossierStatus, NominationStatus
from app.models.base import (
    Base,
    JSONType,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    trigram_index,
    utcnow,
    words_index,
)

DOSSIER_KINDS = ("periodic", "thematic", "unscheduled", "dedication")
DOSSIER_STATUSES = DossierStatus.values()
OWNER_KINDS = ("unit", "cluster")
# The whole life of a nomination; meetings, ballots and decisions move it past `eligible`.
NOMINATION_STATUSES = NominationStatus.values()


# The equality filters of `GET /dossiers` (and the report's round).
_FILTERED = ("round_id", "status", "submitting_unit_id", "cluster_id")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Dossier(TimestampMixin, VersionedMixin, Base):
    """One submission: a tờ trình with its list of nominees and papers.

    `owner_kind` tells whose dossier it is: a unit's own, or its cluster's (submitted by the
    cluster head, e.g. the leading unit for Cờ thi đua), which only the cluster head may edit.
    """

    __tablename__ = "dossiers"
    __table_args__ = (
        CheckConstraint(_in("kind", DOSSIER_KINDS), name="kind"),
        CheckConstraint(_in("status", DOSSIER_STATUSES), name="status"),
        CheckConstraint(_in("owner_kind", OWNER_KINDS), name="owner_kind"),
        trigram_index("dossiers"),
        words_index("dossiers"),
        # A filtered page is `WHERE <column> = ? ORDER BY id LIMIT n`: with the id beside the
        # filter the index hands the page over in order instead of filtering the whole table.
        *(Index(f"ix_dossiers_{c}_id", c, "id") for c in _FILTERED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    kind: Mapped[str] = mapped_column(String(20))
    owner_kind: Mapped[str] = mapped_column(String(10), default="unit")
    submitting_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"))
    title: Mapped[str] = mapped_column(String(500))
    search_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=DossierStatus.DRAFT)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appraised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_due_on: Mapped[date | None] = mapped_column(Date)
    appraisal_due_on: Mapped[date | None] = mapped_column(Date)
    supplement_due_on: Mapped[date | None] = mapped_column(Date)
    submission_count: Mapped[int] = mapped_column(Integer, default=0)
    # How many nominations it holds, kept by the flush that adds or removes one (the events at
    # the end of this module): what a round's report sums per unit and per cluster without
    # visiting the round's nominations. Never written from a loaded entity.
    nomination_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The last return to the unit (trả hồ sơ, phiếu yêu cầu bổ sung): when, why, and the
    # papers to add per nominee ([{nomination_id, nominee_name, papers, note}]); kept after
    # the unit submits again, as what it was asked for.
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reason: Mapped[str | None] = mapped_column(Text)
    return_requests: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONType, default=list, server_default="[]"
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    nominations: Mapped[list["Nomination"]] = relationship(
        back_populates="dossier",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="Nomination.id",
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="Attachment.id"
    )


class Nomination(TimestampMixin, VersionedMixin, Base):
    """Đề nghị: one nominee × one award type inside a dossier."""

    __tablename__ = "nominations"
    __table_args__ = (
        CheckConstraint(_in("nominee_kind", NomineeKind.values()), name="nominee_kind"),
        CheckConstraint(_in("status", NOMINATION_STATUSES), name="status"),
        CheckConstraint(
            "appraisal_conclusion IS NULL OR appraisal_conclusion IN ('eligible', 'ineligible')",
            name="appraisal_conclusion",
        ),
        # A dossier's nominations, and everything the round report counts of them, from the
        # index alone (an index-only scan on PostgreSQL), not from the table's rows.
        Index(
            "ix_nominations_dossier_counts",
            "dossier_id", "status", "nominee_kind", "award_type_code", "appraisal_conclusion",
        ),
        # `award_type_code=` on the dossier list: the dossiers holding that award, in order.
        Index("ix_nominations_award_type_code_dossier_id", "award_type_code", "dossier_id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(300))
    # Folded name: the key that matches a person across dossiers and the award history.
    nominee_key: Mapped[str] = mapped_column(String(300), index=True)
    nominee_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # A household's address (thôn/bản, xã); null for individuals and collectives.
    nominee_address: Mapped[str | None] = mapped_column(String(300))
    # The collective nominated (register row), resolved from its unit and name.
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collectives.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(300))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    award_type_code: Mapped[str] = mapped_column(ForeignKey("award_types.code"))
    achievement_summary: Mapped[str] = mapped_column(Text, default="")
    prior_awards: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # Kiểm tra tiêu chuẩn as last computed, {"on": day, "checks": [...]}; NULL when an input
    # has changed since (services/nominees/criteria_inputs.py forgets, dossiers/checks.py fills).
    criteria_checks: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # How those checks came out, "<day> <pass> <fail> <unknown>", written and forgotten with
    # them (dossiers/checks.py `tally`): what a list shows, without reading the checks.
    checks_tally: Mapped[str | None] = mapped_column(String(40))
    # Moves on at every invalidation: a check computed from older inputs is never stored.
    checks_stamp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Sở Nội vụ's review of single checks, by rule: "đã đối chiếu" or an override (pass/fail)
    # with its reason, who and when, and the check as it was seen (services/dossiers/reviews.py).
    check_reviews: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default="{}"
    )
    status: Mapped[str] = mapped_column(String(20), default=NominationStatus.DRAFT, index=True)
    appraisal_conclusion: Mapped[str | None] = mapped_column(String(20))
    appraisal_note: Mapped[str | None] = mapped_column(Text)
    appraised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appraised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appraised_by_name: Mapped[str | None] = mapped_column(String(200))

    dossier: Mapped[Dossier] = relationship(back_populates="nominations", lazy="raise")


class Attachment(Base):
    """A paper of a dossier (or of one nomination). Stored under a generated name, outside any
    served folder; the uploader's file name is kept only as sanitised metadata."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL"), index=True
    )
    document_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DossierSubmission(Base):
    """Each time a dossier is submitted (first time, or again after a return).

    The unique (dossier, number) key is what lets only one of many concurrent submits win.
    """

    __tablename__ = "dossier_submissions"
    __table_args__ = (UniqueConstraint("dossier_id", "submission_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    submission_no: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Submitted after the round closed, on an extension granted to the unit.
    late: Mapped[bool] = mapped_column(Boolean, default=False)


class DossierCounter(Base):
    """The last dossier number handed out in a year.

    Codes come from an UPDATE ... RETURNING on this row, so concurrent creates queue on the
    row lock instead of racing for the same `count() + 1`.
    """

    __tablename__ = "dossier_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_no: Mapped[int] = mapped_column(Integer, default=0)


class RoundNominationCount(Base):
    """How many nominations of a round have this award type, status, kind and appraisal
    conclusion (`conclusion` '' for none): the round report's nomination figures, read without
    visiting the round's nominations.

    Kept by database triggers (migration `20261210_round_nomination_counts`) in the statement
    that changes a nomination (added, removed, its status, kind, award type, appraisal or
    dossier changed) or moves a dossier to another round, so in the same transaction, whatever
    wrote it: the ORM, a bulk UPDATE or a cascade. Rows that fall to 0 stay.
    """

    __tablename__ = "round_nomination_counts"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    award_type_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    nominee_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    conclusion: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class DossierTotal(Base):
    """How many dossiers there are of each year: the exact `total` of the unfiltered dossier
    list, read from a few rows instead of counting every dossier (666,666 at 2 million
    nominations).

    Kept by database triggers (migration `20261210_dossier_totals`) in the statement that adds
    or removes a dossier or changes its year, so in the same transaction, whatever wrote it.
    """

    __tablename__ = "dossier_totals"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)


# `Dossier.nomination_count` moves with every nomination the unit of work inserts, deletes or
# moves to another dossier, in the same flush (and so the same transaction). A loaded dossier's
# attribute is not refreshed: nothing reads it from an entity.
_COUNT = Dossier.__table__.c.nomination_count


def _count_by(connection: Any, dossier_id: int | None, step: int) -> None:
    if dossier_id is not None:
        connection.execute(
            Dossier.__table__.update()
            .where(Dossier.__table__.c.id == dossier_id)
            .values(nomination_count=_COUNT + step)
        )


@event.listens_for(Nomination, "after_insert")
def _nomination_added(mapper: Any, connection: Any, target: Nomination) -> None:
    _count_by(connection, target.dossier_id, 1)


@event.listens_for(Nomination, "after_delete")
def _nomination_removed(mapper: Any, connection: Any, target: Nomination) -> None:
    _count_by(connection, target.dossier_id, -1)


@event.listens_for(Nomination, "after_update")
def _nomination_moved(mapper: Any, connection: Any, target: Nomination) -> None:
    moved = inspect(target).attrs.dossier_id.history
    if moved.deleted and moved.added:
        _count_by(connection, moved.deleted[0], -1)
        _count_by(connection, moved.added[0], 1)
