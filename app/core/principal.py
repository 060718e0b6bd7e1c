"""Who is calling: the identity every service function and policy receives."""

from dataclasses import dataclass

NOI_VU = "noi_vu"
CLUSTER_HEAD = "cluster_head"
COUNCIL_MEMBER = "council_member"
UNIT = "unit"
READER = "reader"
ALL_ROLES = (NOI_VU, CLUSTER_HEAD, COUNCIL_MEMBER, UNIT, READER)


@dataclass(frozen=True)
class Principal:
    role: str
    user_id: int | None = None
    service_token_id: int | None = None
    username: str = ""
    full_name: str = ""
    unit_id: int | None = None
    cluster_id: int | None = None
    council_member_id: int | None = None
    # The role grant the token acts under; None: the account's own role.
    grant_id: int | None = None
    # Whether the account held role grants when the token was issued; granting or revoking
    # revokes its tokens, so for a valid token this is still true now.
    holds_grants: bool = False

    @property
    def key(self) -> str:
        """A stable string naming the caller, e.g. to scope idempotency keys."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"service:{self.service_token_id}"

    @property
    def is_noi_vu(self) -> bool:
        return self.role == NOI_VU


SYSTEM = Principal(role=NOI_VU, username="system", full_name="Hệ thống")
