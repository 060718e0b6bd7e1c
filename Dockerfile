# syntax=docker/dockerfile:1
# Build stage: install the pinned dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
RUN pip install -c constraints.txt .

# Runtime stage: no compilers, a non-root user, migrations then uvicorn.
FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TDKT_ENV=production \
    TDKT_HOST=0.0.0.0 \
    TDKT_PORT=8000 \
    TDKT_VAR_DIR=/var/lib/tdkt
RUN useradd --system --create-home --uid 10001 tdkt \
    && mkdir -p /var/lib/tdkt && chown tdkt /var/lib/tdkt
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/tdkt
COPY alembic.ini ./
COPY migrations ./migrations
COPY app ./app
USER tdkt
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
# TDKT_DATABASE_URL=postgresql+asyncpg://user:pass@host/db, TDKT_JWT_SECRET and TDKT_BALLOT_SECRET
# are required.
CMD ["tdkt", "serve"]
