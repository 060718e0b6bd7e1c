"""Dossiers (hồ sơ đề nghị khen thưởng): drafting, papers, the review workflow and its checks.

Modules: `create` (dossiers), `nominations`, `attachments` with `uploads` (streamed multipart,
type by content), `actions` (submit, return, receive, appraise through `app.services.workflow`),
`checks` (criteria on the data), `queries` (scoped reads) and `views` (response shapes).
"""
