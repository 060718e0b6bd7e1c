"""Facts about nominees: yearly ratings (xếp loại), discipline and investigations, initiatives."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import File, Path, Query, Request, Response, UploadFile, status

from app.api.deps import Allowed, IfMatch, Listed, PageDep, SessionDep
from app.api.fields import Fields
from app.api.responses import CONFLICT, NOT_FOUND, VERSIONED, envelope, set_etag
from app.api.routing import feature_router
from app.core.errors import PayloadTooLarge
from app.schemas.common import Id, ListEnvelope, sent_fields
from app.schemas.nominees import (
    DisciplineCreate,
    DisciplineRead,
    DisciplineUpdate,
    InitiativeCreate,
    InitiativeRead,
    InitiativeUpdate,
    NomineeRecord,
    Rating,
    RatingCreate,
    RatingImportResult,
    RatingRead,
    RatingUpdate,
    Scope,
)
from app.services.nominees import importing, record, records
from app.services.nominees.records import DISCIPLINE_SORTING, INITIATIVE_SORTING, RATING_SORTING

router = feature_router(tags=["nominees"])
Q = Annotated[str | None, Query(max_length=200, description="Tên, không cần dấu")]
YearQ = Annotated[int | None, Query(ge=1945, le=2100)]


@router.get("/ratings", summary="List the yearly ratings", response_model=ListEnvelope[RatingRead])
async def list_ratings(
    session: SessionDep,
    principal: Allowed("rating.list"),
    fields: Fields(RatingRead),
    page: PageDep,
    listing: Listed(RATING_SORTING),
    q: Q = None,
    year: YearQ = None,
    unit_id: Id | None = None,
    collective_id: Id | None = None,
    rating: Rating | None = None,
):
    """A unit sees its own unit's ratings; Sở Nội vụ, council members and readers all."""
    filters = {"q": q, "year": year, "unit_id": unit_id, "collective_id": collective_id,
               "rating": rating}  # fmt: skip
    result = await records.list_ratings(
        session, principal, filters, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result))


@router.post(
    "/ratings",
    summary="Record a yearly rating",
    response_model=RatingRead,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
)
async def record_rating(
    session: SessionDep, principal: Allowed("rating.record"), body: RatingCreate, response: Response
):
    """A unit records the yearly rating of its own people and collectives (Sở Nội vụ for any
    unit); another unit's: 403 `not_own_unit`; a second rating of one year: 409
    `duplicate_rating`."""
    row = await records.record_rating(session, principal, body.model_dump())
    set_etag(response, row.version)
    return row


@router.post(
    "/ratings/{rating_id}/confirm",
    summary="Confirm a yearly rating",
    response_model=RatingRead,
    responses=NOT_FOUND,
)
async def confirm_rating(
    session: SessionDep, principal: Allowed("rating.confirm"), rating_id: Id, response: Response
):
    """Sở Nội vụ confirms a rating against the unit's decision."""
    row = await records.confirm_rating(session, principal, rating_id)
    set_etag(response, row.version)
    return row


@router.post(
    "/ratings/import",
    summary="Import yearly ratings from a spreadsheet",
    response_model=RatingImportResult,
)
async def import_ratings(
    request: Request,
    session: SessionDep,
    principal: Allowed("rating.import"),
    file: Annotated[UploadFile, File(description="Bảng CSV (UTF-8) hoặc .xlsx có dòng tiêu đề")],
    dry_run: bool = False,
    skip_invalid: bool = False,
):
    """Columns: Họ và tên, Đơn vị, Năm, Xếp loại (HTXS, HTTT, HTNV, KHTNV or in words), Số
    quyết định/văn bản, optional Loại (cá nhân/tập thể; a household has no rating: its row is an
    error). A row in error refuses the whole file
    (422 `import_rows_invalid` with `errors: [{row, message}]`) unless `skip_invalid=true`;
    ratings already recorded are skipped; `dry_run=true` saves nothing. A unit imports only
    its own unit's rows."""
    limit = request.app.state.settings.attachment_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(
            f"Tệp vượt quá {limit // (1024 * 1024)} MiB; hãy tách thành nhiều tệp."
        )
    return await importing.import_ratings(
        session, principal, data, file.filename, dry_run=dry_run, skip_invalid=skip_invalid
    )


@router.get(
    "/discipline-records",
    summary="List the discipline records",
    response_model=ListEnvelope[DisciplineRead],
)
async def list_discipline_records(
    session: SessionDep,
    principal: Allowed("discipline.list"),
    fields: Fields(DisciplineRead),
    page: PageDep,
    listing: Listed(DISCIPLINE_SORTING),
    q: Q = None,
    unit_id: Id | None = None,
):
    """A unit sees its own people's records; Sở Nội vụ all."""
    filters = {"q": q, "unit_id": unit_id}
    result = await records.list_discipline(
        session, principal, filters, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result))


@router.post(
    "/discipline-records",
    summary="Record a discipline or investigation",
    response_model=DisciplineRead,
    status_code=status.HTTP_201_CREATED,
)
async def record_discipline(
    session: SessionDep,
    principal: Allowed("discipline.record"),
    body: DisciplineCreate,
    response: Response,
):
    """Kỷ luật, đang xem xét kỷ luật, điều tra or thanh tra of a person, with its dates. While
    it runs the person's checks fail `no_discipline`; after a discipline ends, consecutive years
    count again from the year after."""
    row = await records.record_discipline(session, principal, body.model_dump())
    set_etag(response, row.version)
    return row


@router.get(
    "/initiatives",
    summary="Search the initiatives and research",
    response_model=ListEnvelope[InitiativeRead],
)
async def list_initiatives(
    session: SessionDep,
    principal: Allowed("initiative.list"),
    fields: Fields(InitiativeRead),
    page: PageDep,
    listing: Listed(INITIATIVE_SORTING),
    q: Q = None,
    year: YearQ = None,
    unit_id: Id | None = None,
    scope: Scope | None = None,
):
    """Search by title or author without diacritics."""
    filters = {"q": q, "year": year, "unit_id": unit_id, "scope": scope}
    result = await records.list_initiatives(
        session, principal, filters, page.limit, page.offset, listing=listing
    )
    return fields.apply(envelope(result))


@router.post(
    "/initiatives",
    summary="Record an initiative or research project",
    response_model=InitiativeRead,
    status_code=status.HTTP_201_CREATED,
)
async def record_initiative(
    session: SessionDep,
    principal: Allowed("initiative.record"),
    body: InitiativeCreate,
    response: Response,
):
    """Sáng kiến or đề tài khoa học: title, authors, recognising body, decision, scope, year."""
    row = await records.record_initiative(session, principal, body.model_dump())
    set_etag(response, row.version)
    return row


@router.get(
    "/nominees/people",
    summary="Read everything known about a person",
    response_model=NomineeRecord,
    responses=NOT_FOUND,
)
async def read_person_record(
    session: SessionDep,
    principal: Allowed("nominee.read_person"),
    name: Annotated[
        str, Query(min_length=1, max_length=300, description="Họ và tên, không cần dấu")
    ],
    unit_id: Id | None = None,
):
    """Everything known about one person of a unit: awards, ratings, initiatives, discipline
    (unit and Sở Nội vụ only) and nominations. A unit reads its own people only (404 else)."""
    return await record.person_record(session, principal, name, unit_id)


@router.get(
    "/nominees/collectives/{collective_id}",
    summary="Read everything known about a collective",
    response_model=NomineeRecord,
    responses=NOT_FOUND,
)
async def read_collective_record(
    session: SessionDep, principal: Allowed("nominee.read_collective"), collective_id: Id
):
    """Everything known about one collective of the register (`collective_id` of its
    nominations and history): awards, ratings and nominations."""
    return await record.collective_record(session, principal, collective_id)


@router.get(
    "/nominees/households",
    summary="Read everything known about a household",
    response_model=NomineeRecord,
    responses=NOT_FOUND,
)
async def read_household_record(
    session: SessionDep,
    principal: Allowed("nominee.read_household"),
    name: Annotated[
        str,
        Query(
            min_length=1,
            max_length=300,
            description="Tên hộ như trên giấy tờ (“Hộ ông Lò Văn Pọm”), không cần dấu",
        ),
    ],
    unit_id: Annotated[Id | None, Query(description="Đơn vị (xã) nơi hộ cư trú")] = None,
):
    """Everything known about one household (hộ gia đình) of a xã: its awards, its nominations
    and its address (thôn/bản, xã; null for readers). A household has no ratings, initiatives or
    discipline records. A unit reads the households of its own xã and those it nominated (404
    else)."""
    return await record.household_record(session, principal, name, unit_id)


# ---- corrections: PATCH and DELETE with If-Match (the row's `version`) ----------------------
# The three kinds of fact are corrected alike: the same route shape, each with its own path,
# permission, body, service and words, made by `_corrections`.
EDITED = {**NOT_FOUND, **CONFLICT, **VERSIONED}


@dataclass(frozen=True)
class _Routes:
    """What differs between the correction routes of one kind of fact."""

    path: str  # "/ratings/{rating_id}"
    action: str  # "rating": permissions `rating.update` and `rating.delete`
    read: type
    body: type
    update: Callable[..., Awaitable[Any]]
    delete: Callable[..., Awaitable[None]]
    names: tuple[str, str]  # operation names of the PATCH and the DELETE
    summaries: tuple[str, str]
    docs: tuple[str, str]


def _corrections(r: _Routes) -> None:
    row_id = r.path.rsplit("{", 1)[1].rstrip("}")
    RowId = Annotated[Id, Path(alias=row_id)]

    async def patch(
        session: SessionDep,
        principal: Allowed(f"{r.action}.update"),
        id_: RowId,
        body: r.body,  # type: ignore[valid-type]
        expected: IfMatch,
        response: Response,
    ):
        row = await r.update(session, principal, id_, sent_fields(body), expected)
        set_etag(response, row.version)
        return row

    async def delete(
        session: SessionDep, principal: Allowed(f"{r.action}.delete"), id_: RowId, expected: IfMatch
    ) -> Response:
        await r.delete(session, principal, id_, expected)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    (patch.__name__, delete.__name__), (patch.__doc__, delete.__doc__) = r.names, r.docs
    router.patch(r.path, summary=r.summaries[0], response_model=r.read, responses=EDITED)(patch)
    router.delete(
        r.path, summary=r.summaries[1], status_code=status.HTTP_204_NO_CONTENT, responses=EDITED
    )(delete)


_corrections(_Routes(
    "/ratings/{rating_id}", "rating", RatingRead, RatingUpdate,
    records.update_rating, records.delete_rating,
    ("update_rating", "delete_rating"),
    ("Correct a yearly rating", "Delete a yearly rating"),
    ("""Correct a rating's year, rating or decision. A unit corrects its own unit's rows (403
    `not_own_unit` for another's), Sở Nội vụ any; a unit's correction of a confirmed rating
    needs confirming again; another rating of the new year: 409 `duplicate_rating`. Audited; the
    checks the rating fed are judged again.""",
     """Delete a rating entered in error (the unit's own, or any for Sở Nội vụ); audited."""),
))  # fmt: skip
_corrections(_Routes(
    "/discipline-records/{record_id}", "discipline", DisciplineRead, DisciplineUpdate,
    records.update_discipline, records.delete_discipline,
    ("update_discipline_record", "delete_discipline_record"),
    ("Correct a discipline record", "Delete a discipline record"),
    ("""Correct a discipline record, e.g. the day it ended (422 `invalid_period` before it
    started); the unit's own or any for Sở Nội vụ; audited; the checks are judged again.""",
     """Delete a discipline record entered in error; audited."""),
))  # fmt: skip
_corrections(_Routes(
    "/initiatives/{initiative_id}", "initiative", InitiativeRead, InitiativeUpdate,
    records.update_initiative, records.delete_initiative,
    ("update_initiative", "delete_initiative"),
    ("Correct an initiative", "Delete an initiative"),
    ("""Correct an initiative: title, authors, scope, year, recognising body or decision; the
    unit's own or any for Sở Nội vụ; audited; the checks of old and new authors are judged
    again.""",
     """An initiative that justified a nomination on its way to an award (or awarded) cannot be
    deleted (409 `initiative_in_use`)."""),
))  # fmt: skip
