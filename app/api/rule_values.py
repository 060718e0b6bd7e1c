"""Số liệu của quy định: the legal clocks and quorum shares, amended by Sở Nội vụ."""

from datetime import date
from typing import Annotated

from fastapi import Path, Query, Response, status

from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import ListEnvelope
from app.schemas.rule_values import (
    DatedRuleValueCreate,
    DatedRuleValueRead,
    DatedRuleValueUpdate,
    RuleValueRead,
    RuleValueUpdate,
)
from app.services import rule_values
from app.services.rule_values import RULE_VALUE_SORTING, dated

router = feature_router(tags=["rule-values"])

RuleKey = Annotated[str, Path(max_length=60)]


@router.get(
    "/rule-values",
    summary="List the legal clocks and quorum shares",
    response_model=ListEnvelope[RuleValueRead],
)
async def list_rule_values(
    session: SessionDep,
    principal: Allowed("rule_value.list"),
    page: PageDep,
    listing: Listed(RULE_VALUE_SORTING),
    fields: Fields(RuleValueRead, key="key"),
):
    """The working-day clocks and quorum shares in force, each with its legal basis, by key.
    A value never amended is its default, with `updated_at` null: `updated_since` gives the
    values amended since."""
    result = await rule_values.list_rule_values(session, page.limit, page.offset, listing)
    return fields.apply(envelope(result, [rule_values.read(row) for row in result.items]))


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
    row = await rule_values.update(
        session, principal, key, body.value, body.legal_basis, expected, body.effective_from
    )
    set_etag(response, row.version)
    return rule_values.read(row)


DatedKey = Annotated[str, Path(max_length=120)]


@router.get(
    "/dated-rule-values",
    summary="List the dated rule values (base salary, prize multiples)",
    response_model=list[DatedRuleValueRead],
)
async def list_dated_rule_values(
    session: SessionDep,
    principal: Allowed("dated_rule_value.list"),
    prefix: Annotated[
        str | None, Query(max_length=120, description="e.g. `prize_multiple.`")
    ] = None,
):
    """The values that change on a date: the mức lương cơ sở (`base_salary`, đồng) and the
    multiples of it paid with each award (`prize_multiple.<award type>.<individual|
    collective>`), each from its `effective_from`, with its legal basis. `verified: false`
    marks a shipped value not yet checked against the text it cites."""
    return await dated.all_values(session, prefix)


@router.post(
    "/dated-rule-values",
    summary="Set a rule value from a date",
    response_model=DatedRuleValueRead,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
)
async def create_dated_rule_value(
    session: SessionDep,
    principal: Allowed("dated_rule_value.create"),
    body: DatedRuleValueCreate,
    response: Response,
):
    """A value from a date (a new mức lương cơ sở, a new multiple), with its legal basis.
    The same key and date again: 409 `duplicate_rule_value`; a key tdkt does not read: 422
    `unknown_rule_value`."""
    row = await dated.create(session, principal, body)
    set_etag(response, row.version)
    return row


@router.patch(
    "/dated-rule-values/{key}/{effective_from}",
    summary="Confirm or correct a dated rule value",
    response_model=DatedRuleValueRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_dated_rule_value(
    session: SessionDep,
    principal: Allowed("dated_rule_value.update"),
    key: DatedKey,
    effective_from: date,
    body: DatedRuleValueUpdate,
    expected: IfMatch,
    response: Response,
):
    """Confirm or correct a value (its amount, its legal basis); the value is then
    `verified`. Papers printed afterwards use it."""
    row = await dated.update(session, principal, key, effective_from, body, expected)
    set_etag(response, row.version)
    return row
