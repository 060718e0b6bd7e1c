"""The directory: units (cơ quan, đơn vị, địa phương), clusters (cụm/khối) and the council."""

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, JSONType, TimestampMixin, VersionedMixin, trigram_index

if TYPE_CHECKING:
    from app.models.accounts import User

UNIT_KINDS = ("department", "agency", "commune", "ward", "enterprise", "mass_organization", "other")


CLUSTER_KINDS = ("cum", "khoi")


CLUSTER_ROLES = ("head", "deputy", "member")


COUNCIL_ROLES = ("chu_tich", "pho_chu_tich", "uy_vien_thuong_truc", "uy_vien")


class Unit(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "units"
    __table_args__ = (trigram_index("units"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30), default="other")
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Folded name, short name and aliases: accent-insensitive search on any database.
    search_text: Mapped[str] = mapped_column(Text, default="")


class Cluster(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "clusters"
    __table_args__ = (
        UniqueConstraint("year", "name"),
        CheckConstraint("kind IN ('cum', 'khoi')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Settings Sở Nội vụ grants the cluster: its deputies (phó khối) verify and adjust the
    # members' score sheets beside the head; the head defines its own scoring table.
    deputies_verify: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    head_defines_table: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    memberships: Mapped[list["ClusterMembership"]] = relationship(
        back_populates="cluster",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="ClusterMembership.unit_id",
    )

    # The contract's shape: head, deputies and every member unit (head and deputies included).
    @property
    def head_unit_id(self) -> int | None:
        return next((m.unit_id for m in self.memberships if m.role == "head"), None)

    @property
    def deputy_head_unit_ids(self) -> list[int]:
        return sorted(m.unit_id for m in self.memberships if m.role == "deputy")

    @property
    def member_unit_ids(self) -> list[int]:
        return sorted(m.unit_id for m in self.memberships)


class ClusterMembership(Base):
    """A unit's place in a cluster for one year; the unique key keeps it in one cluster a year."""

    __tablename__ = "cluster_memberships"
    __table_args__ = (
        UniqueConstraint("year", "unit_id"),
        CheckConstraint("role IN ('head', 'deputy', 'member')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(10), default="member")

    cluster: Mapped[Cluster] = relationship(back_populates="memberships", lazy="raise")


class Council(TimestampMixin, VersionedMixin, Base):
    """Hội đồng Thi đua - Khen thưởng tỉnh, as constituted by one decision."""

    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    decision_no: Mapped[str | None] = mapped_column(String(100))
    effective_from: Mapped[date | None] = mapped_column(Date)

    members: Mapped[list["CouncilMember"]] = relationship(
        back_populates="council", lazy="raise", order_by="CouncilMember.id"
    )

    @property
    def active_members(self) -> list["CouncilMember"]:
        """The members sitting now; those who left stay on record for past meetings."""
        return [m for m in self.members if m.active]


class CouncilMember(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "council_members"
    __table_args__ = (
        CheckConstraint(
            "council_role IN ('chu_tich', 'pho_chu_tich', 'uy_vien_thuong_truc', 'uy_vien')",
            name="council_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(300))
    council_role: Mapped[str] = mapped_column(String(30), default="uy_vien")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    council: Mapped[Council] = relationship(back_populates="members", lazy="raise")
    monitored: Mapped[list["CouncilMemberCluster"]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="CouncilMemberCluster.cluster_id"
    )
    # The council_member account linked to this member (the link is kept on the account).
    account: Mapped["User | None"] = relationship(
        "User",
        primaryjoin="User.council_member_id == CouncilMember.id",
        foreign_keys="User.council_member_id",
        viewonly=True,
        lazy="raise",
        uselist=False,
    )

    @property
    def user_id(self) -> int | None:
        return self.account.id if self.account is not None else None

    @property
    def monitored_cluster_ids(self) -> list[int]:
        return [m.cluster_id for m in self.monitored]


class CouncilMemberCluster(Base):
    """The clusters a council member is assigned to monitor (được phân công theo dõi)."""

    __tablename__ = "council_member_clusters"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("council_members.id", ondelete="CASCADE"), primary_key=True
    )
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), primary_key=True)
