"""Dossiers (hồ sơ đề nghị khen thưởng): the dossier and its workflow (`dossiers`), its
nominations (`nominations`), its papers (`attachments`) and what is printed from it (`outputs`).
"""

from app.api.dossiers import attachments, dossiers, nominations, outputs
from app.api.routing import QuickRouter

router = QuickRouter()
router.include_router(outputs.router)  # before dossiers: /dossiers/export is not /dossiers/{id}
for module in (dossiers, nominations, attachments):
    router.include_router(module.router)
