"""Documents (văn bản): the papers officials sign, as Word (DOCX) or PDF, in the format of
Nghị định 30/2020/NĐ-CP — the tờ trình of a dossier, the biên bản of a council meeting and its
kiểm phiếu, the blank phiếu bầu — and the Word templates they are printed from, which Sở Nội
vụ may change and upload back."""

import inspect
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import File, Form, Query, Response, UploadFile

from app.api.deps import Allowed, SessionDep
from app.api.responses import CONFLICT, NOT_FOUND, PROBLEMS, content_disposition
from app.api.routing import feature_router
from app.core.errors import PayloadTooLarge
from app.schemas.common import Id
from app.schemas.documents import (
    DocumentTemplateRead,
    DocumentTemplateRevert,
    DocumentTemplateVersionRead,
    TemplateName,
)
from app.services import documents
from app.services.documents import decisions, disclosure_list, papers, templates
from app.services.documents.render import DOCX_TYPE, PDF_TYPE

router = feature_router()
Format = Annotated[
    Literal["docx", "pdf"],
    Query(alias="format", description="docx (mặc định) hoặc pdf (cần LibreOffice trên máy chủ)"),
]
OnDate = Annotated[
    date | None,
    Query(description="Ngày ghi ở dòng địa danh, ngày tháng; bỏ trống để người ký tự điền"),
]
SignerName = Annotated[
    str | None,
    Query(min_length=1, max_length=200,
          description="Họ tên người ký, in dưới chữ ký; bỏ trống để người ký tự ghi"),
]  # fmt: skip
OnBehalf = Annotated[
    bool,
    Query(description="Cấp phó ký thay (KT.) người đứng đầu: in \"KT. GIÁM ĐỐC\" và chức vụ "
          "\"PHÓ GIÁM ĐỐC\" ở khối chữ ký"),
]  # fmt: skip
_PDF_MISSING = {503: {"description": "Máy chủ chưa cài LibreOffice (pdf_unavailable)"}}


def _responses(description: str, more: dict | None = None) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": description, "content": {DOCX_TYPE: {}, PDF_TYPE: {}}},
        **NOT_FOUND,
        **_PDF_MISSING,
        **(more or {}),
    }


def _download(document: documents.DocumentFile) -> Response:
    return Response(
        document.content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": content_disposition(document.filename, document.ascii_filename),
            "Cache-Control": "private, no-store",
        },
    )


def _paper_route(
    path: str,
    name: str,
    summary: str,
    make: Callable[..., Awaitable[papers.Paper]],
    description: str,
    doc: str,
    *,
    dated: bool = False,
    signed: bool = False,
    more: dict | None = None,
) -> None:
    """`GET path` answering the paper `make` builds, as DOCX or PDF (`?format=`): `make` takes
    the session, the caller gated by `document.<...>`, the path's ids in order and, when
    `dated`, the date of the place-and-date line (`?on=`); when `signed`, the signer's name
    and whether a deputy signs for the head (`?signer=&on_behalf=`). The route is named `name` (its
    operationId), titled `summary` and described by `doc`."""
    ids = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    action = f"document.{PAPER_ACTIONS[name]}"
    params = [
        _param("session", SessionDep),
        _param("principal", Allowed(action)),
        *(_param(key, Id) for key in ids),
        _param("format_", Format, "docx"),
    ]
    if dated:
        params.append(_param("on", OnDate, None))
    if signed:
        params += [_param("signer", SignerName, None), _param("on_behalf", OnBehalf, False)]

    async def endpoint(**values: Any) -> Response:
        args = [values[key] for key in ids] + ([values["on"]] if dated else [])
        kwargs = {key: values[key] for key in ("signer", "on_behalf")} if signed else {}
        paper = await make(values["session"], values["principal"], *args, **kwargs)
        return _download(await documents.produce(values["session"], paper, values["format_"]))

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = doc
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    router.add_api_route(
        path, endpoint, methods=["GET"], summary=summary, response_class=Response,
        responses=_responses(description, more), tags=["documents"],
    )  # fmt: skip


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


# Route name → its action in the permissions table (`document.<action>`).
PAPER_ACTIONS = {
    "dossier_submission_paper": "dossier_submission",
    "return_letter_paper": "return_letter",
    "achievement_report_paper": "achievement_report",
    "meeting_minutes_paper": "meeting_minutes",
    "meeting_submission_paper": "meeting_submission",
    "decision_draft_paper": "decision_draft",
    "decision_paper": "decision",
    "tally_minutes_paper": "tally_minutes",
    "ballot_paper": "ballot_paper",
    "disclosure_list_paper": "disclosure_list",
}

_paper_route(
    "/dossiers/{dossier_id}/documents/to-trinh",
    "dossier_submission_paper",
    "Print a dossier's submission letter",
    papers.unit_submission,
    "Tờ trình đề nghị khen thưởng kèm danh sách (DOCX hoặc PDF)",
    """Tờ trình đề nghị khen thưởng of the unit that made the dossier, addressed to the Chủ
    tịch UBND tỉnh: the unit's heading and the Quốc hiệu, số/ký hiệu (the number left for the
    văn thư), place and date, the counts per award type, Nơi nhận and the signature block;
    then, on landscape pages, the danh sách kèm theo grouped by award type (STT, Họ và tên /
    Tên tập thể, Chức vụ, đơn vị công tác, Tóm tắt thành tích, Ghi chú). Whoever may read the
    dossier may print it; readers get names and units only.""",
    dated=True,
)
_paper_route(
    "/dossiers/{dossier_id}/documents/cong-van-tra-ho-so",
    "return_letter_paper",
    "Print the letter returning a dossier",
    papers.return_letter,
    "Công văn trả hồ sơ, yêu cầu bổ sung (DOCX hoặc PDF)",
    """Công văn trả hồ sơ (phiếu yêu cầu bổ sung) of Sở Nội vụ to the unit, from the dossier's
    last return: the reason, the papers to add per nominee as given in `requests` of `POST
    /dossiers/{id}/return`, and the supplementation deadline. Dated the day of the return
    unless `on` is given. A dossier never returned: 409 `dossier_not_returned`.""",
    dated=True,
    more=CONFLICT,
)
_paper_route(
    "/dossiers/{dossier_id}/nominations/{nomination_id}/documents/bao-cao-thanh-tich",
    "achievement_report_paper",
    "Print a nominee's achievement report, pre-filled",
    papers.achievement_report,
    "Báo cáo thành tích của cá nhân hoặc tập thể, điền sẵn (DOCX hoặc PDF)",
    """Báo cáo thành tích of one nominee (the form for a cá nhân or for a tập thể), pre-filled
    with what tdkt knows: the unit and position, the account of the work given in the
    nomination, the initiatives the person authored, and the yearly ratings and the titles and
    awards already decided. The unit completes it in Word and has it signed. A personal paper:
    reading scripts are refused.""",
)
_paper_route(
    "/meetings/{meeting_id}/documents/bien-ban",
    "meeting_minutes_paper",
    "Print a meeting's minutes",
    papers.council_minutes,
    "Biên bản họp Hội đồng (DOCX hoặc PDF)",
    """Biên bản họp Hội đồng Thi đua - Khen thưởng after the close: time, chủ trì, the members
    on the roll present or absent, the agenda by award type, and per nomination the approvals,
    rejections, abstentions and the share against the threshold, with the result. Before the
    close: 409 `meeting_not_closed`.""",
    more=CONFLICT,
)
_paper_route(
    "/meetings/{meeting_id}/documents/to-trinh",
    "meeting_submission_paper",
    "Print the submission letter after a meeting",
    papers.meeting_submission,
    "Tờ trình của Sở Nội vụ kèm danh sách (DOCX hoặc PDF)",
    """Sở Nội vụ's tờ trình to the Chủ tịch UBND tỉnh after the council's meeting: the
    nominations that reached their threshold, counted per award type (cá nhân, tập thể), and
    the danh sách kèm theo with each one's share. Signed by the Giám đốc, or for them by a
    deputy (`on_behalf`: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"), with the `signer`'s name if given.
    Before the close: 409 `meeting_not_closed`.""",
    dated=True,
    signed=True,
    more=CONFLICT,
)
_paper_route(
    "/meetings/{meeting_id}/documents/du-thao-quyet-dinh",
    "decision_draft_paper",
    "Print the draft award decision with its prizes",
    decisions.decision_draft,
    "Dự thảo Quyết định khen thưởng kèm danh sách và tiền thưởng (DOCX hoặc PDF)",
    """Dự thảo Quyết định of the Chủ tịch UBND tỉnh for the provincial awards the meeting
    passed: căn cứ, the articles (who is awarded what, the total prize in figures and in
    words), and the danh sách kèm theo by award type with each one's tiền thưởng — the award
    type's multiple (`prize_multiple.<award type>.<individual|collective>`) times the mức
    lương cơ sở (`base_salary`), both from `GET /rule-values` as in force on `on` (else
    today). A multiple not yet confirmed by Sở Nội vụ is flagged on the paper. Before the
    close: 409 `meeting_not_closed`.""",
    dated=True,
    more=CONFLICT,
)
_paper_route(
    "/decisions/{decision_id}/documents/quyet-dinh",
    "decision_paper",
    "Print a recorded award decision with its prizes",
    decisions.recorded_decision,
    "Quyết định khen thưởng đã ghi nhận, kèm danh sách và tiền thưởng (DOCX hoặc PDF)",
    """The Quyết định khen thưởng of a decision recorded with `POST /decisions`, as the
    archive copy or to publish: its số/ký hiệu, place and signing date and signer as recorded,
    the nominations it awarded by award type in the danh sách kèm theo, each one's tiền thưởng
    (multiple × mức lương cơ sở in force on the signing date) and the total in figures and in
    words. Printed from the `du-thao-quyet-dinh` template. A state submission: 409
    `decision_not_provincial`.""",
    more=CONFLICT,
)
_paper_route(
    "/meetings/{meeting_id}/documents/bien-ban-kiem-phieu",
    "tally_minutes_paper",
    "Print a meeting's vote-count minutes",
    papers.tally_minutes,
    "Biên bản kiểm phiếu (DOCX hoặc PDF)",
    """Biên bản kiểm phiếu after the close: members, ballots received (at the meeting and in
    writing), and the counts of each nomination against its threshold. Nothing in it links a
    member to a choice. Before the close: 409 `meeting_not_closed`.""",
    more=CONFLICT,
)
_paper_route(
    "/meetings/{meeting_id}/documents/phieu-bau",
    "ballot_paper",
    "Print a meeting's blank ballot paper",
    papers.ballot_paper,
    "Phiếu bầu để trống (DOCX hoặc PDF)",
    """The blank phiếu bầu of the meeting's agenda, grouped by award type, with a Tán thành and
    a Không tán thành box per nominee, for members who vote on paper. It carries no name.""",
)
_paper_route(
    "/disclosures/{disclosure_id}/documents/danh-sach-cong-khai",
    "disclosure_list_paper",
    "Print a published list with its notice",
    disclosure_list.disclosure_list,
    "Thông báo và danh sách công khai (DOCX hoặc PDF)",
    """Thông báo công khai of Sở Nội vụ for a published list: the period of disclosure, the
    channel, the comment deadline (hạn nhận ý kiến) and where to send opinions, signed by the
    Giám đốc; then the danh sách công khai grouped by award type (STT, Họ và tên / Tên tập
    thể, Chức vụ, đơn vị công tác, Ghi chú). Readers get names and units only.""",
    dated=True,
)


# ---- the templates ----------------------------------------------------------------------------


@router.get(
    "/document-templates",
    summary="List the document templates",
    response_model=list[DocumentTemplateRead],
    tags=["documents"],
)
async def list_document_templates(
    session: SessionDep, principal: Allowed("document_template.list")
):
    """Every template: its name, the paper it prints, the version in use (0: as shipped) and
    the placeholders it may use."""
    return await templates.list_templates(session, principal)


@router.get(
    "/document-templates/{name}",
    summary="Download a document template",
    response_class=Response,
    responses={200: {"description": "Mẫu Word (DOCX)", "content": {DOCX_TYPE: {}}}, **NOT_FOUND},
    tags=["documents"],
)
async def download_document_template(
    session: SessionDep,
    principal: Allowed("document_template.read"),
    name: TemplateName,
    version: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
):
    """The template as a Word document to edit: the version in use, or `version` (0: the
    one shipped). Placeholders are Jinja: `{{ number }}`, `{%p for text in body %}` repeats a
    paragraph, `{%tr for row in group.rows %}` a table row."""
    content, used = await templates.download(session, principal, name, version)
    return _download(
        documents.DocumentFile(content, DOCX_TYPE, *documents.names(f"{name}-v{used}", "docx"))
    )


@router.put(
    "/document-templates/{name}",
    summary="Replace a document template",
    response_model=DocumentTemplateRead,
    responses={**NOT_FOUND, **PROBLEMS, 413: {"description": "Tệp mẫu quá lớn"}},
    tags=["documents"],
)
async def upload_document_template(
    session: SessionDep,
    principal: Allowed("document_template.update"),
    name: TemplateName,
    file: Annotated[UploadFile, File(description="Mẫu Word (.docx), tối đa 5 MiB")],
    note: Annotated[str, Form(max_length=500, description="Ghi chú thay đổi")] = "",
):
    """Upload a changed template; it is used for the next paper printed. Refused (422) when
    it is not a Word document (`invalid_template`), uses a placeholder the paper does not give
    (`unknown_placeholders`, with `unknown` and `allowed`), or does not fill from the sample
    data (`invalid_template`). Each upload is a new version, audited."""
    data = await file.read(templates.MAX_TEMPLATE_BYTES + 1)
    if len(data) > templates.MAX_TEMPLATE_BYTES:
        raise PayloadTooLarge("Tệp mẫu vượt quá 5 MiB.")
    return await templates.upload(session, principal, name, data, note)


@router.get(
    "/document-templates/{name}/versions",
    summary="List a template's versions",
    response_model=list[DocumentTemplateVersionRead],
    responses=NOT_FOUND,
    tags=["documents"],
)
async def list_document_template_versions(
    session: SessionDep, principal: Allowed("document_template.versions"), name: TemplateName
):
    """The stored versions, newest first; version 0 (the shipped template) is always there."""
    return await templates.versions(session, principal, name)


@router.post(
    "/document-templates/{name}/revert",
    summary="Go back to an earlier template version",
    response_model=DocumentTemplateRead,
    responses=NOT_FOUND,
    tags=["documents"],
)
async def revert_document_template(
    session: SessionDep,
    principal: Allowed("document_template.revert"),
    name: TemplateName,
    body: DocumentTemplateRevert,
):
    """Use an earlier version again (0: the shipped template); stored as a new version."""
    return await templates.revert(session, principal, name, body.version)
