"""Imports (Strong, Hevy, Legwork's own export) and exports of an athlete's logs."""

import io
import tempfile
from collections.abc import AsyncIterator
from typing import IO, Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from starlette.requests import ClientDisconnect

from app.athletes.dependencies import AthleteAccess, OwnedAthlete
from app.auth.dependencies import AUTH_ERRORS
from app.db import SessionDep
from app.errors import ProblemError, problem_responses
from app.imports import export, flows
from app.imports.schemas import ExportFormat, ImportResult, ImportSource, WeightUnit

router = APIRouter(prefix="/v1/athletes/{athlete_id}", tags=["imports"])

# Bodies of this path have their own size limit (LEGWORK_IMPORT_MAX_BYTES), see app.main.
IMPORTS_PATH = r"^/v1/athletes/[^/]+/imports$"
SPOOL_BYTES = 1 << 20  # a body larger than this waits on disk, not in memory

CSV_EXAMPLE = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE\n2025-03-04 18:05:12,Leg day,1h 3m,Squat (Barbell),1,80,5,0,0,,,8\n"
)
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "The export file: a Strong or Hevy CSV (`text/csv`), or for "
        "`source=legwork` the JSON of `GET .../export?format=json`.",
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
            "application/json": {"schema": {"type": "object", "title": "LegworkExport"}},
        },
    }
}


async def spooled_body(request: Request) -> AsyncIterator[IO[bytes]]:
    """The request body, read as it arrives into a file that spills to disk past 1 MiB."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        try:
            async for chunk in request.stream():
                if chunk:
                    await anyio.to_thread.run_sync(spool.write, chunk)
        except ClientDisconnect:
            # The client went away, or BodySizeLimit cut the body off (and answers 413).
            raise ProblemError("The request body did not arrive whole") from None
        spool.seek(0)
        yield spool


Body = Annotated[IO[bytes], Depends(spooled_body)]


@router.post(
    "/imports",
    name="create",
    responses=problem_responses(*AUTH_ERRORS, 404, 409, 413, 422),
    openapi_extra=IMPORT_BODY,
)
def create_import(
    # OwnedAthlete, not AthleteAccess: the caller is checked before `body` reads the upload
    # (up to LEGWORK_IMPORT_MAX_BYTES, spooled to disk), not after.
    athlete: OwnedAthlete,
    session: SessionDep,
    body: Body,
    source: Annotated[
        ImportSource,
        Query(
            description="Who wrote the file: `strong`, `hevy`, `auto` (by its header, the "
            "default) or `legwork` (Legwork's JSON export)."
        ),
    ] = ImportSource.auto,
    unit: Annotated[
        WeightUnit | None,
        Query(
            description="The unit of a `Weight` column whose header and rows do not say it "
            "(Strong's 12-column export): the Strong account's unit; default `kg`."
        ),
    ] = None,
) -> ImportResult:
    """Import a Strong or Hevy export (or Legwork's own): workouts already imported are
    skipped, so the same file twice creates nothing the second time. A malformed file is a
    422 naming its line and column, and nothing of it is stored."""
    if source is ImportSource.legwork:
        return flows.import_legwork(session, athlete, body.read())
    text = io.TextIOWrapper(body, encoding="utf-8-sig", newline="")
    return flows.import_csv(
        session, athlete, text, source=source.value, unit=unit.value if unit else None
    )


@router.get(
    "/export",
    name="export",
    responses={
        200: {
            "description": "Everything stored for the athlete: JSON (`legwork-export/1`, which "
            "`POST .../imports?source=legwork` takes back) or CSV in Strong's comma layout "
            "(kg), which Strong-reading apps and `?source=strong` take in. Streamed.",
            "content": {
                "application/json": {"schema": {"type": "object", "title": "LegworkExport"}},
                "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
            },
        },
        **problem_responses(*AUTH_ERRORS, 404, 422),
    },
    response_class=StreamingResponse,
)
def export_athlete(
    access: AthleteAccess,
    session: SessionDep,
    format: Annotated[
        ExportFormat, Query(description="`json` (default, everything) or `csv` (the sets).")
    ] = ExportFormat.json,
) -> StreamingResponse:
    """Download the athlete's logs, custom exercises, plan and goals."""
    athlete = access.athlete(session)
    filename = f"legwork-{athlete.id}.{format.value}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format is ExportFormat.csv:
        return StreamingResponse(
            export.csv_chunks(session, athlete), media_type=export.CSV_TYPE, headers=headers
        )
    return StreamingResponse(
        export.json_chunks(session, athlete), media_type="application/json", headers=headers
    )
