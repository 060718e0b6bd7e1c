"""Số liệu của quy định: the clocks, quorums, vote thresholds, base salary and prize multiples,
each from a date with its legal basis; Sở Nội vụ adds and amends them."""

from datetime import date
from typing import Annotated

from fastapi import Path, Query, Response, status

from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.schemas.common import ListEnvelope
from app.schemas.rule_values import RuleValueCreate, RuleValueRead, RuleValueUpdate
from app.services import rule_values
from app.services.rule_values import RULE_VALUE_SORTING

router = feature_router(tags=["rule-values"])

RuleKey = Annotated[str, Path(max_length=120)]


@router.get(
    "/rule-values",
    summary="List the rule values, each from its date",
    response_model=ListEnvelope[RuleValueRead],
)
async def list_rule_values(
    session: SessionDep,
    principal: Allowed("rule_value.list"),
    page: PageDep,
    listing: Listed(RULE_VALUE_SORTING),
    fields: Fields(RuleValueRead),
    prefix: Annotated[
        str | None,
        Query(max_length=120, description="Keys starting with this, e.g. `prize_multiple.`"),
    ] = None,
    in_force: Annotated[
        bool | None,
        Query(description="true: only the value of each key that holds today; false: the others"),
    ] = None,
):
    """Every dated value of every rule, by key then `effective_from`: the working-day clocks,
    the council's quorums and vote thresholds per award type, the mức lương cơ sở and the
    prize multiples. Each row says until when it holds (`effective_until`) and whether it is
    the one in force today (`in_force`); `verified: false` marks a value not yet checked
    against its text. A shipped value never stored has `updated_at` null: `updated_since`
    gives the values stored or amended since."""
    result = await rule_values.list_rule_values(
        session, page.limit, page.offset, listing, prefix=prefix, in_force_only=in_force
    )
    items = [RuleValueRead.model_validate(row) for row in result.items]
    return fields.apply(envelope(result, items))


@router.post(
    "/rule-values",
    summary="Set a rule value from a date",
    response_model=RuleValueRead,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
)
async def create_rule_value(
    session: SessionDep,
    principal: Allowed("rule_value.create"),
    body: RuleValueCreate,
    response: Response,
):
    """A value from the day a decision sets (a quorum or threshold from the council's Quy chế,
    a new mức lương cơ sở, a new multiple), with that decision as its legal basis; the value
    before it holds until then. The same key and date again: 409 `duplicate_rule_value`; a key
    tdkt does not read: 422 `unknown_rule_value`; out of bounds: 422 `rule_value_out_of_range`
    or `rule_value_not_integer`."""
    row = await rule_values.create(session, principal, body)
    read = await rule_values.read_one(session, row)
    set_etag(response, row.version)
    return read


@router.patch(
    "/rule-values/{key}/{effective_from}",
    summary="Confirm or correct a rule value",
    response_model=RuleValueRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_rule_value(
    session: SessionDep,
    principal: Allowed("rule_value.update"),
    key: RuleKey,
    effective_from: date,
    body: RuleValueUpdate,
    expected: IfMatch,
    response: Response,
):
    """Confirm or correct the value of a key from a date (its amount, its legal basis); it is
    then `verified`. Clocks started before keep their due dates; meetings, papers and clocks
    from then on use it. No value of that key from that date: 404."""
    row = await rule_values.update(session, principal, key, effective_from, body, expected)
    read = await rule_values.read_one(session, row)
    set_etag(response, row.version)
    return read
