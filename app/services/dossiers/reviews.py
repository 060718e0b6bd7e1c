"""Sở Nội vụ finishes a check by hand (thẩm định): marks it "đã đối chiếu" (verified against
the original decision) or overrides its result (pass/fail) with a reason.

A review is kept on the nomination by the check's rule, with who, when, why and the check as it
was seen (result and message, which name the decisions, ratings and initiatives it used). It
survives the checks being computed again as long as they come out the same; when the facts the
check used change (its result or evidence differs), the review is shown `stale` and no longer
counts: the override stops driving the result, and the appraiser reviews the check again. An
effective result — the override's while it is current, else the computed one — drives the
nomination's eligibility summary and check counts.

Reviews are taken while the dossier is under appraisal; a concluded nomination keeps them with
its frozen checks.
"""

from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import InvalidTransition, NotFound, Unprocessable
from app.core.orm import check_version, flush_or_conflict, touch
from app.core.principal import Principal
from app.core.statuses import DossierStatus
from app.core.text import nfc
from app.models import Dossier, Nomination
from app.schemas.dossiers import CheckReviewBody
from app.services import audit, permissions
from app.services.dossiers import queries
from app.services.dossiers.checks import stored_checks
from app.services.nominees.criteria_inputs import CONCLUDED

Eligibility = Literal["eligible", "ineligible", "undetermined"]
SHOWN = ("action", "result", "reason", "reviewed_by_name", "reviewed_at")


def _seen(check: dict[str, Any]) -> dict[str, Any]:
    return {"result": check["result"], "message": check["message"]}


def merged(checks: list[dict[str, Any]], reviews: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The checks with their review (`stale` when the check changed since) and the result that
    counts."""
    out = []
    for check in checks:
        review, effective = (reviews or {}).get(check["rule"]), check["result"]
        shown = None
        if review is not None:
            stale = review.get("seen") != _seen(check)
            shown = {**{k: review.get(k) for k in SHOWN}, "stale": stale}
            if review["action"] == "overridden" and not stale:
                effective = review["result"]
        out.append({**check, "review": shown, "effective_result": effective})
    return out


def eligibility(checks: list[dict[str, Any]]) -> Eligibility:
    """`ineligible` when a check fails, `undetermined` while one is unknown, else `eligible`
    (on the effective results of `merged` checks)."""
    results = {c.get("effective_result", c["result"]) for c in checks}
    if "fail" in results:
        return "ineligible"
    if "unknown" in results:
        return "undetermined"
    return "eligible"


async def _reviewable(
    session: AsyncSession, actor: Principal, nomination_id: int, expected: int | None
) -> tuple[Nomination, Dossier]:
    nomination = await queries.get_nomination(session, actor, nomination_id)
    dossier = await queries.get_dossier(session, actor, nomination.dossier_id)
    check_version(nomination, expected)
    if dossier.status != DossierStatus.UNDER_APPRAISAL or nomination.status in CONCLUDED:
        raise InvalidTransition(
            "Chỉ đối chiếu hoặc điều chỉnh kết quả kiểm tra tiêu chuẩn khi hồ sơ đang thẩm định.",
            current_status=dossier.status,
        )
    return nomination, dossier


async def review_check(
    session: AsyncSession,
    actor: Principal,
    nomination_id: int,
    rule: str,
    body: CheckReviewBody,
    expected: int | None,
) -> tuple[Nomination, Dossier]:
    """Mark the check `rule` verified, or override its result with a reason (422
    `override_reason_required` without one); 404 `check_not_found` for a rule the
    nomination's checks do not have."""
    permissions.require(actor, "nomination.review_check")
    nomination, dossier = await _reviewable(session, actor, nomination_id, expected)
    reason = nfc(body.reason or "").strip() or None
    if body.action == "overridden" and body.result is None:
        raise Unprocessable(
            "Điều chỉnh kết quả cần ghi kết quả mới (result: pass hoặc fail).",
            code="invalid_check_review",
        )
    if body.action == "verified" and body.result is not None:
        raise Unprocessable(
            "Đối chiếu không đổi kết quả; để đổi kết quả hãy chọn action “overridden” và ghi "
            "lý do.",
            code="invalid_check_review",
        )
    if body.action == "overridden" and not reason:
        raise Unprocessable(
            "Điều chỉnh kết quả kiểm tra phải ghi lý do (căn cứ đã đối chiếu).",
            code="override_reason_required",
        )
    current = await stored_checks(session, [nomination], {dossier.id: dossier.year})
    check = next((c for c in current[nomination.id] if c["rule"] == rule), None)
    if check is None:
        raise NotFound(
            f"Đề nghị này không có tiêu chí kiểm tra “{rule}”; xem danh sách `checks` của đề nghị.",
            code="check_not_found",
        )
    review = {
        "action": body.action,
        "result": body.result,
        "reason": reason,
        "reviewed_by_id": actor.user_id,
        "reviewed_by_name": actor.full_name or actor.username,
        "reviewed_at": utcnow().isoformat(),
        "seen": _seen(check),
    }
    await _store(session, actor, nomination, dossier, rule, review, "nomination.check_reviewed")
    return nomination, dossier


async def withdraw_review(
    session: AsyncSession, actor: Principal, nomination_id: int, rule: str, expected: int | None
) -> tuple[Nomination, Dossier]:
    """Take back the review of `rule` (404 `check_not_found` when it has none)."""
    permissions.require(actor, "nomination.withdraw_check_review")
    nomination, dossier = await _reviewable(session, actor, nomination_id, expected)
    if rule not in (nomination.check_reviews or {}):
        raise NotFound(
            f"Tiêu chí “{rule}” của đề nghị này chưa được đối chiếu hay điều chỉnh.",
            code="check_not_found",
        )
    await _store(
        session, actor, nomination, dossier, rule, None, "nomination.check_review_withdrawn"
    )
    return nomination, dossier


async def _store(
    session: AsyncSession,
    actor: Principal,
    nomination: Nomination,
    dossier: Dossier,
    rule: str,
    review: dict[str, Any] | None,
    action: str,
) -> None:
    reviews = dict(nomination.check_reviews or {})
    before = reviews.pop(rule, None)
    if review is not None:
        reviews[rule] = review
    nomination.check_reviews = reviews
    touch(dossier)
    await flush_or_conflict(session)
    await audit.record(
        session, actor, action, "dossier", dossier.id,
        before={"nomination_id": nomination.id, "rule": rule, "review": before},
        after={"nomination_id": nomination.id, "rule": rule, "review": review},
        comment=(review or {}).get("reason"),
    )  # fmt: skip
