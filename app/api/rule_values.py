"""Số liệu của quy định: the legal clocks and quorum shares, amended by Sở Nội vụ."""

from typing import Annotated

from fastapi import Path, Response

from app.api.deps import Allowed, IfMatch, PageDep, SessionDep
from app.api.responses import NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import ListEnvelope
from app.schemas.rule_values import RuleValueRead, RuleValueUpdate
from app.services import rule_values

router = feature_router(tags=["rule-values"])

RuleKey = Annotated[str, Path(max_length=60)]


@router.get(
    "/rule-values",
    summary="List the legal clocks and quorum shares",
    response_model=ListEnvelope[RuleValueRead],
)
async def list_rule_values(
    session: SessionDep, principal: Allowed("rule_value.list"), page: PageDep
):
    """The working-day clocks and quorum shares in force, each with its legal basis."""
    return envelope(await rule_values.list_rule_values(session, page.limit, page.offset))


@router.patch(
    "/rule-values/{key}",
    summary="Amend a legal clock or quorum share",
    response_model=RuleValueRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_rule_value(
    session: SessionDep,
    principal: Allowed("rule_value.update"),
    key: RuleKey,
    body: RuleValueUpdate,
    expected: IfMatch,
    response: Response,
):
    """Amend one value: working days 1–60 (integers), percent 50–100; else 422. Clocks started
    before keep their due dates; new ones count with the new value."""
    row = await rule_values.update(session, principal, key, body.value, body.legal_basis, expected)
    set_etag(response, row.version)
    return row
