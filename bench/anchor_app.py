"""The anchor of `make bench`: what the same stack does with one query and no domain work.
Run from the project's venv: `TDKT_ANCHOR_DB=path/to/tdkt.db uvicorn bench.anchor_app:app`
(or TDKT_ANCHOR_URL=postgresql+asyncpg://... for PostgreSQL).
/core: FastAPI + SQLAlchemy async Core, one SELECT of a user row by id (SQLite, aiosqlite).
/orm: the same through an AsyncSession and session.get on a mapped class."""

import os

from fastapi import FastAPI
from sqlalchemy import Integer, String, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

URL = os.environ.get("TDKT_ANCHOR_URL") or "sqlite+aiosqlite:///" + os.environ["TDKT_ANCHOR_DB"]
engine = create_async_engine(URL, pool_size=10)
Session = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String)
    full_name: Mapped[str] = mapped_column(String)
    role: Mapped[str] = mapped_column(String)


app = FastAPI()


@app.get("/core")
async def core() -> dict:
    async with engine.connect() as conn:
        users = User.__table__
        row = (await conn.execute(select(users).where(users.c.id == 1))).mappings().one()
    return {"id": row["id"], "username": row["username"], "full_name": row["full_name"],
            "role": row["role"]}  # fmt: skip


@app.get("/orm")
async def orm() -> dict:
    async with Session() as s:
        u = await s.get(User, 1)
        return {"id": u.id, "username": u.username, "full_name": u.full_name, "role": u.role}
