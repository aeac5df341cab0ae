# syntax=docker/dockerfile:1
# Build stage: install Legwork and its dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install .

# Runtime stage: the venv, the migrations, a non-root user.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    LEGWORK_HOST=0.0.0.0 \
    LEGWORK_PORT=8000 \
    LEGWORK_DATABASE_URL=sqlite:////var/lib/legwork/legwork.db
RUN useradd --system --uid 10001 --home-dir /srv/legwork legwork \
 && mkdir -p /srv/legwork /var/lib/legwork \
 && chown legwork:legwork /var/lib/legwork
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/legwork
COPY alembic.ini ./
COPY migrations ./migrations
USER legwork
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
# Bring the schema to head, then serve.
CMD ["sh", "-c", "legwork migrate && exec legwork serve"]
