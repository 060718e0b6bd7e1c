"""After a crash, the next start removes `.part` files and stored files that no row names."""

import os
import time

from app.services.dossiers.attachments import INCOMING, storage_path
from tests.factories import make_unit
from tests.factories_dossiers import load_catalogue, make_dossier, make_round


def _age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


async def test_start_up_removes_stale_parts_and_unreferenced_files(app, session):
    directory = app.state.settings.attachments_dir
    (directory / INCOMING).mkdir(parents=True)
    stale, fresh = directory / INCOMING / "a.part", directory / INCOMING / "b.part"
    for path in (stale, fresh):
        path.write_bytes(b"half an upload")
    _age(stale, 120)
    await load_catalogue(session)
    dossier = await make_dossier(session, await make_unit(session), await make_round(session))
    await session.commit()
    kept = storage_path(directory, dossier.attachments[0].storage_name)
    orphan = storage_path(directory, "ff" + "0" * 30)
    for path in (kept, orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4")
        _age(path, 120)

    async with app.router.lifespan_context(app):
        pass

    assert not stale.exists() and fresh.exists()  # a live upload of another process stays
    assert kept.exists() and not orphan.exists()


async def test_start_up_with_no_attachment_folder_is_fine(app):
    async with app.router.lifespan_context(app):
        pass
    assert not (app.state.settings.attachments_dir / INCOMING).exists()
