"""Accounts: users, service tokens, refresh tokens and the login throttle."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin

ROLES = ("noi_vu", "cluster_head", "council_member", "unit", "reader")


class User(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"), index=True)
    council_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_members.id"), unique=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Bumped on logout, deactivation and password change: every older token stops working.
    token_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ServiceToken(TimestampMixin, Base):
    """A long-lived read-only token for reporting scripts; revocable, shown once."""

    __tablename__ = "service_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="reader")
    expires_on: Mapped[date] = mapped_column(Date)
    jti: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class RoleGrant(TimestampMixin, VersionedMixin, Base):
    """One more role an account holds beside its own (a unit officer who is also Trưởng khối,
    a council member who leads a unit): the role and its scope, like an account's own. A token
    acts under one grant at a time; granting or revoking bumps the account's token version."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"))
    council_member_id: Mapped[int | None] = mapped_column(ForeignKey("council_members.id"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def active(self) -> bool:
        return self.revoked_at is None
