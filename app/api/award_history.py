"""Award history (lịch sử khen thưởng): searched, and imported for past years."""

from typing import Annotated

from fastapi import File, Query, Request, Response, UploadFile, status

from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.core.errors import PayloadTooLarge
from app.schemas.award_history import (
    AwardHistoryImportResult,
    AwardHistoryRead,
    UnitTitleCreate,
    UnitTitleUpdate,
)
from app.schemas.common import Id, ListEnvelope, NomineeKind, sent_fields
from app.services.award_history import importing, records, unit_titles
from app.services.award_history.records import AWARD_HISTORY_SORTING

router = feature_router(tags=["award history"])


@router.get(
    "/award-history",
    summary="Search the award history",
    response_model=ListEnvelope[AwardHistoryRead],
)
async def list_award_history(
    session: SessionDep,
    principal: Allowed("award_history.list"),
    fields: Fields(AwardHistoryRead),
    page: PageDep,
    listing: Listed(AWARD_HISTORY_SORTING),
    q: Annotated[str | None, Query(max_length=200, description="Tên, không cần dấu")] = None,
    nominee_kind: NomineeKind | None = None,
    award_type_code: Annotated[str | None, Query(max_length=80)] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    unit_id: Id | None = None,
):
    """A unit sees its own unit's history, a cluster head its cluster's units'; the others all."""
    filters = records.HistoryFilters(
        q=q,
        nominee_kind=nominee_kind,
        award_type_code=award_type_code,
        year_from=year_from,
        year_to=year_to,
        unit_id=unit_id,
    )
    result = await records.list_history(
        session, principal, filters, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result))


@router.post(
    "/award-history/import",
    summary="Import past awards from a spreadsheet",
    response_model=AwardHistoryImportResult,
)
async def import_award_history(
    request: Request,
    session: SessionDep,
    principal: Allowed("award_history.import"),
    file: Annotated[UploadFile, File(description="Bảng CSV (UTF-8) hoặc .xlsx có dòng tiêu đề")],
    dry_run: bool = False,
    skip_invalid: bool = False,
):
    """Columns (Vietnamese or English headers): Họ và tên / nominee_name, Loại (cá nhân, tập
    thể, hộ gia đình) / nominee_kind, Đơn vị / unit (code, name or alias; a household's xã),
    optional Địa chỉ / nominee_address (a household's thôn/bản, xã), Danh hiệu /
    award_type_code (code or Vietnamese name), Năm / year, Số quyết định / decision_no, Ngày
    quyết định / decided_on, optional Hình thức / kind (thường xuyên, chuyên đề, đột xuất). Rows
    already in the history are skipped. A row in error refuses the whole import (422
    `import_rows_invalid` with `errors: [{row, message}]`) unless `skip_invalid=true`; a household
    row without its address or xã is imported with a warning (`warnings: [{row, code:
    household_incomplete, message}]`); `dry_run=true` saves nothing."""
    limit = request.app.state.settings.attachment_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(
            f"Tệp vượt quá {limit // (1024 * 1024)} MiB; hãy tách thành nhiều tệp."
        )
    outcome = await importing.import_history(
        session, principal, data, file.filename, dry_run=dry_run, skip_invalid=skip_invalid
    )
    return outcome


@router.post(
    "/award-history",
    summary="Enter a grassroots title decided by the unit",
    response_model=AwardHistoryRead,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
)
async def record_unit_title(
    session: SessionDep,
    principal: Allowed("award_history.record"),
    body: UnitTitleCreate,
    response: Response,
):
    """A unit enters the grassroots titles it decided (Lao động tiên tiến, Chiến sĩ thi đua cơ
    sở, Tập thể lao động tiên tiến, Giấy khen) for its own people and collectives, with the
    decision number and date; `year` is the achievement year. Another unit's: 403
    `not_own_unit`; a provincial or state award: 422 `not_a_grassroots_title`; the same title,
    nominee and year again: 409 `duplicate_award`. It counts for the criteria at once and shows
    `confirmed: false` until Sở Nội vụ confirms it (Sở Nội vụ's own entries are confirmed)."""
    row = await unit_titles.record_title(session, principal, body)
    set_etag(response, row.version)
    return row


EDITED = {**NOT_FOUND, **CONFLICT, **VERSIONED}


@router.patch(
    "/award-history/{history_id}",
    summary="Correct a grassroots title the unit entered",
    response_model=AwardHistoryRead,
    responses=EDITED,
)
async def update_unit_title(
    session: SessionDep,
    principal: Allowed("award_history.update"),
    history_id: Id,
    body: UnitTitleUpdate,
    expected: IfMatch,
    response: Response,
):
    """Correct a grassroots title the unit entered itself (name, title, year, decision), with
    If-Match on its `version`. Another unit's: 403 `not_own_unit`; one Sở Nội vụ has confirmed,
    or one from a decision or an import: 409 `award_history_locked` (Sở Nội vụ corrects any
    unit's entry); the same title, nominee and year as another row: 409 `duplicate_award`.
    Audited; the checks it fed are judged again."""
    row = await unit_titles.update_title(
        session, principal, history_id, sent_fields(body), expected
    )
    set_etag(response, row.version)
    return row


@router.delete(
    "/award-history/{history_id}",
    summary="Delete a grassroots title the unit entered",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=EDITED,
)
async def delete_unit_title(
    session: SessionDep,
    principal: Allowed("award_history.delete"),
    history_id: Id,
    expected: IfMatch,
) -> Response:
    """Delete a grassroots title entered in error, on the same terms as a correction; audited."""
    await unit_titles.delete_title(session, principal, history_id, expected)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/award-history/{history_id}/confirm",
    summary="Confirm a unit's grassroots title",
    response_model=AwardHistoryRead,
    responses=NOT_FOUND,
)
async def confirm_unit_title(
    session: SessionDep,
    principal: Allowed("award_history.confirm"),
    history_id: Id,
    response: Response,
):
    """Sở Nội vụ confirms a unit's entry against its decision (idempotent)."""
    row = await unit_titles.confirm_title(session, principal, history_id)
    set_etag(response, row.version)
    return row
