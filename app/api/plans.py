"""Plans (kế hoạch công tác thi đua, khen thưởng): entry, import, their tasks and calendar."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, File, Query, Request, Response, UploadFile, status

from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, CREATED, NOT_FOUND, TOO_LARGE, VERSIONED, envelope, set_etag
from app.api.routing import TransactionalRoute, feature_router, read_body_capped
from app.api.tasks import CommonTaskFilters
from app.core.errors import PayloadTooLarge
from app.schemas.common import Id, ListEnvelope
from app.schemas.plans import PlanCreate, PlanImportResult, PlanRead, PlanUpdate
from app.schemas.tasks import TaskRead
from app.services.plans import importing
from app.services.plans import records as plan_records
from app.services.plans.records import PLAN_SORTING
from app.services.tasks import calendar
from app.services.tasks import records as task_records

router = feature_router(tags=["plans"])

# Room for the multipart envelope around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Tệp tải lên vượt quá {limit / (1024 * 1024):g} MiB; hãy tải lên riêng văn bản kế "
        "hoạch hoặc bảng phụ lục."
    )


class CappedUploadRoute(TransactionalRoute):
    """Refuses an oversized upload (413) while it streams in, before the form parser spools
    it whole to disk."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        inner = super().get_route_handler()

        async def handler(request: Request) -> Response:
            limit = request.app.state.settings.attachment_max_bytes
            try:
                await read_body_capped(request, limit + MULTIPART_OVERHEAD)
            except PayloadTooLarge:
                raise _too_large(limit) from None
            return await inner(request)

        return handler


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str | None


async def plan_upload(
    request: Request,
    file: Annotated[
        UploadFile,
        File(description="Văn bản kế hoạch (.md, .txt) có phụ lục, hoặc phụ lục .tsv/.csv/.xlsx"),
    ],
) -> Upload:
    limit = request.app.state.settings.attachment_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return Upload(data, file.filename)


@router.get("/plans", summary="List the yearly plans", response_model=ListEnvelope[PlanRead])
async def list_plans(
    session: SessionDep,
    principal: Allowed("plan.list"),
    page: PageDep,
    listing: Listed(PLAN_SORTING),
    fields: Fields(PlanRead),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
):
    """The plans (kế hoạch thi đua, khen thưởng), newest year first."""
    result = await plan_records.list_plans(
        session, year=year, limit=page.limit, offset=page.offset, listing=listing
    )
    return fields.apply(envelope(result))


@router.post(
    "/plans",
    summary="Create a plan by hand",
    response_model=PlanRead,
    status_code=status.HTTP_201_CREATED,
    responses=CREATED,
)
async def create_plan(
    session: SessionDep, principal: Allowed("plan.create"), body: PlanCreate, response: Response
):
    """Enter a plan by hand; `POST /plans/import` reads one from its document instead."""
    plan = await plan_records.create_plan(session, principal, body)
    response.headers["Location"] = f"/api/v1/plans/{plan.id}"
    set_etag(response, plan.version)
    return plan


async def import_plan(
    session: SessionDep,
    principal: Allowed("plan.import"),
    upload: Annotated[Upload, Depends(plan_upload)],
    response: Response,
    dry_run: Annotated[bool, Query(description="true: đọc và báo kết quả, không lưu gì")] = False,
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Năm của kế hoạch, nếu tệp không nêu")
    ] = None,
):
    """Import a plan: the markdown document with its tab-separated appendix (phụ lục), or the
    appendix alone as TSV, CSV or XLSX (columns TT, NỘI DUNG, DỰ KIẾN THỜI GIAN, ĐƠN VỊ CHỦ TRÌ,
    ĐƠN VỊ PHỐI HỢP). 201 with the new plan; 200 for a dry run or a file imported before (the
    existing plan, `tasks_created` 0). A file that is not a plan is 422 with the reader's code
    (`unsupported_format`, `bad_header`, `no_tasks`, ...) and nothing is saved. `warnings`
    lists the plan's own (document, skipped rows) and every task's; `GET /plans/{id}` keeps
    the plan's, each task its own until that field is corrected."""
    outcome = await importing.import_plan(
        session, principal, upload.data, upload.filename, year=year, dry_run=dry_run
    )
    if outcome.created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"/api/v1/plans/{outcome.plan.id}"
    else:
        response.status_code = status.HTTP_200_OK
    return outcome


router.add_api_route(
    "/plans/import",
    import_plan,
    methods=["POST"],
    summary="Import a plan from its document",
    response_model=PlanImportResult,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": PlanImportResult, "description": "Chạy thử, hoặc tệp đã được nhập"},
        **TOO_LARGE,
        **CONFLICT,
        **CREATED,
    },
    route_class_override=CappedUploadRoute,
)


@router.get("/plans/{plan_id}", summary="Read a plan", response_model=PlanRead, responses=NOT_FOUND)
async def get_plan(
    session: SessionDep, principal: Allowed("plan.read"), plan_id: Id, response: Response
):
    """One plan (kế hoạch) with the warnings its import left."""
    plan = await plan_records.get_plan(session, plan_id)
    set_etag(response, plan.version)
    return plan


@router.patch(
    "/plans/{plan_id}",
    summary="Change a plan",
    response_model=PlanRead,
    responses={**NOT_FOUND, **VERSIONED},
)
async def update_plan(
    session: SessionDep,
    principal: Allowed("plan.update"),
    plan_id: Id,
    body: PlanUpdate,
    expected: IfMatch,
    response: Response,
):
    """Change a plan's year, number, title, issuer or text (kế hoạch); only the fields sent
    change."""
    plan = await plan_records.update_plan(session, principal, plan_id, body, expected)
    set_etag(response, plan.version)
    return plan


@router.get(
    "/plans/{plan_id}/tasks",
    summary="List a plan's tasks",
    response_model=ListEnvelope[TaskRead],
    responses=NOT_FOUND,
)
async def list_plan_tasks(
    session: SessionDep,
    principal: Allowed("plan.list_tasks"),
    fields: Fields(TaskRead),
    page: PageDep,
    plan_id: Id,
    filters: CommonTaskFilters,
):
    """The plan's tasks, with the filters of `GET /tasks`."""
    result = await task_records.list_plan_tasks(session, plan_id, filters, page.limit, page.offset)
    return fields.apply(
        envelope(
            result,
            [TaskRead.model_validate(t, context={"as_of": filters.as_of}) for t in result.items],
        )
    )


@router.get(
    "/plans/{plan_id}/calendar.ics",
    summary="Download a plan's deadlines as iCalendar",
    response_class=Response,
    responses={
        200: {
            "description": "iCalendar (RFC 5545): one all-day event per dated task",
            "content": {"text/calendar": {}},
        },
        **NOT_FOUND,
    },
)
async def get_plan_calendar(session: SessionDep, principal: Allowed("plan.calendar"), plan_id: Id):
    """The plan's deadlines as an iCalendar feed, with the same Bearer token as the rest of
    the API: a calendar program that cannot send one needs a proxy or a downloaded file.
    An event's UID is its task's (`task-<id>@tdkt.sonla.gov.vn`), so editing a task updates
    its event; a plan imported anew brings new tasks and so new events."""
    content = await calendar.plan_calendar(session, plan_id)
    return Response(
        content,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="ke-hoach-{plan_id}.ics"'},
    )
