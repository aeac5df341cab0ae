from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response
from sqlmodel import Session

from app.athletes.dependencies import OwnedAthlete
from app.athletes.models import Athlete
from app.auth.dependencies import AUTH_ERRORS
from app.cpu import run_heavy
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import NOT_MODIFIED, IfNoneMatch, content_etag, etag_matches
from app.progress import service
from app.progress.chart import SVG_TYPE
from app.progress.schemas import (
    ChartMetric,
    ExerciseHistory,
    Format,
    LoadSeries,
    Period,
    Progress,
)
from app.responses import JSON, json_bytes
from app.schemas import IsoDate

router = APIRouter(prefix="/v1/athletes/{athlete_id}/progress", tags=["progress"])
series_router = APIRouter(prefix="/v1/athletes/{athlete_id}", tags=["progress"])

ERRORS = problem_responses(*AUTH_ERRORS, 404, 422)
CACHE_CONTROL = "private, max-age=60"
CSV_TYPE = "text/csv; charset=utf-8"

DateFrom = Annotated[
    IsoDate | None,
    Query(
        alias="from",
        description="First local date, inclusive. Default: the Monday 11 weeks before `to`'s "
        "week (12 weeks). `from` to `to` spans at most 3,660 days (else 422).",
    ),
]
DateTo = Annotated[
    IsoDate | None,
    Query(alias="to", description="Last local date, inclusive. Default: today (athlete's zone)."),
]
PeriodQuery = Annotated[
    Period, Query(description="Bucket by week (from Monday) or calendar month.")
]
CSV_DOC: dict[str, Any] = {
    "schema": {"type": "string"},
    "example": "start,end,workouts,sets,reps,volume_load_kg,session_load,sets_glutes,"
    "sets_hamstrings,sets_quads,sets_calves,sets_hip_abductors,sets_adductors,sets_core\r\n"
    "2026-11-16,2026-11-22,2,24,260,3120,630,6,4.5,4,3,3,0,1.5\r\n",
}


def _wants_csv(format: Format | None, accept: str | None) -> bool:
    """`format=csv`, or no `format` and an Accept naming text/csv."""
    return format is Format.csv or (
        format is None and accept is not None and "text/csv" in accept.lower()
    )


def _cached(
    body: bytes, media_type: str, if_none_match: str | None, filename: str | None = None
) -> Response:
    """The body with a content-hash ETag and Cache-Control; 304 when the client's copy is it.
    With a `filename`, a browser saves the body under it (Content-Disposition)."""
    etag = content_etag(body)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept, Authorization"}
    if filename is not None:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if if_none_match is not None and etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


@router.get(
    "",
    name="get",
    response_model=Progress,
    responses={
        200: {
            "description": "Progress as JSON, or the periods as CSV (`format=csv` or "
            "`Accept: text/csv`): one row a period, header first, CRLF line ends; columns "
            "start, end, workouts, sets, reps, volume_load_kg, session_load and one "
            "sets_<muscle> column a muscle.",
            "content": {"text/csv": CSV_DOC},
        },
        **NOT_MODIFIED,
        **ERRORS,
    },
)
async def get_progress(
    athlete: OwnedAthlete,
    session: SessionDep,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    period: PeriodQuery = Period.week,
    format: Annotated[
        Format | None,
        Query(
            description="`csv` for the periods as CSV; default: by `Accept`, else JSON. "
            "Generated clients: call `GET .../progress.csv` (`progress-csv`) instead."
        ),
    ] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Volume, muscles, e1RM and records, training load, balance and streak of an athlete.

    Everything but `training_load` and `streak_weeks` covers `from`..`to`; those two are as of
    `to` and look back past `from` (training load over the 252 days ending on `to`).
    Responses carry an ETag (a hash of the body) and `Cache-Control: private, max-age=60`.
    """
    wants_csv = _wants_csv(format, accept)
    return await _progress(athlete, session, date_from, date_to, period, if_none_match, wants_csv)


@router.get(
    ".csv",
    name="csv",
    response_class=Response,
    responses={
        200: {
            "description": "The periods as CSV: one row a period, header first, CRLF line "
            "ends; columns start, end, workouts, sets, reps, volume_load_kg, session_load and "
            "one sets_<muscle> column a muscle.",
            "content": {"text/csv": CSV_DOC},
        },
        **NOT_MODIFIED,
        **ERRORS,
    },
)
async def get_progress_csv(
    athlete: OwnedAthlete,
    session: SessionDep,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    period: PeriodQuery = Period.week,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The progress periods as CSV, for a spreadsheet — what `GET .../progress?format=csv`
    answers, as an operation of its own so that generated clients read it as text."""
    return await _progress(athlete, session, date_from, date_to, period, if_none_match, True)


async def _progress(
    athlete: Athlete,
    session: Session,
    date_from: date | None,
    date_to: date | None,
    period: Period,
    if_none_match: str | None,
    wants_csv: bool,
) -> Response:
    def render() -> Response:
        if wants_csv:  # the periods alone
            report = service.periods(
                session, athlete, date_from=date_from, date_to=date_to, period=period
            )
            filename = f"legwork-progress-{report['from']}-{report['to']}.csv"
            csv = service.periods_csv(report).encode()
            return _cached(csv, CSV_TYPE, if_none_match, filename)
        report = service.progress(
            session, athlete, date_from=date_from, date_to=date_to, period=period
        )
        return _cached(json_bytes(report), JSON, if_none_match)

    return await run_heavy(render)  # years of logs take a while: heavy work (app.cpu)


@router.get(
    "/exercises/{slug}",
    name="exercise",
    response_model=ExerciseHistory,
    responses={**NOT_MODIFIED, **ERRORS},
)
async def get_exercise_progress(
    athlete: OwnedAthlete,
    slug: Annotated[str, Path(max_length=64, description="Catalog or custom exercise slug.")],
    session: SessionDep,
    date_from: Annotated[
        IsoDate | None,
        Query(
            alias="from",
            description="First local date, inclusive. Default: the first day. `from` to `to` "
            "spans at most 3,660 days (else 422).",
        ),
    ] = None,
    date_to: Annotated[
        IsoDate | None,
        Query(alias="to", description="Last local date, inclusive. Default: the last day."),
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """One exercise's history, day by day: e1RM and volume per day, and its records — the whole
    history, or `from`..`to`."""

    def render() -> Response:
        history = service.exercise_history(
            session, athlete, slug, date_from=date_from, date_to=date_to
        )
        return _cached(json_bytes(history), JSON, if_none_match)

    return await run_heavy(render)


@router.get(
    "/chart.svg",
    name="chart",
    response_class=Response,
    responses={
        200: {
            "description": "An SVG chart (800×400) with title and labelled axes: bars per "
            "period for volume_load and session_load, a line of daily best e1RM for e1rm.",
            "content": {SVG_TYPE: {"schema": {"type": "string"}}},
        },
        **NOT_MODIFIED,
        **ERRORS,
    },
)
async def get_progress_chart(
    athlete: OwnedAthlete,
    session: SessionDep,
    metric: Annotated[ChartMetric, Query(description="What to plot.")] = ChartMetric.volume_load,
    exercise: Annotated[
        str | None,
        Query(max_length=64, description="Exercise slug; required for metric=e1rm."),
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    period: PeriodQuery = Period.week,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """A chart of one progress metric over the range, to embed in an app or web page."""

    def render() -> Response:
        svg = service.progress_chart(
            session,
            athlete,
            metric=metric,
            exercise=exercise,
            date_from=date_from,
            date_to=date_to,
            period=period,
        )
        return _cached(svg.encode(), SVG_TYPE, if_none_match)

    return await run_heavy(render)


SERIES_CSV_DOC: dict[str, Any] = {
    "schema": {"type": "string"},
    "example": "date,session_load,workouts,working_sets,volume_load_kg,posterior_share\r\n"
    "2026-11-17,0,0,0,0,\r\n2026-11-18,315,1,12,2760,0.583\r\n",
}


@series_router.get(
    "/load-series",
    name="load-series",
    response_model=LoadSeries,
    responses={
        200: {
            "description": "The series as JSON, or as CSV (`format=csv` or `Accept: text/csv`): "
            "one row a day, header first, CRLF line ends; an empty posterior_share when none.",
            "content": {"text/csv": SERIES_CSV_DOC},
        },
        **NOT_MODIFIED,
        **ERRORS,
    },
)
async def get_load_series(
    athlete: OwnedAthlete,
    session: SessionDep,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    format: Annotated[
        Format | None,
        Query(
            description="`csv` for CSV; default: by `Accept`, else JSON. Generated clients: "
            "call `GET .../load-series.csv` (`progress-load-series-csv`) instead."
        ),
    ] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The strength work of every day, for a running platform's training-load model.

    Each local day of `from`..`to` (rest days included): session load (session RPE × minutes,
    AU — the same numbers progress sums into `session_load` and its fitness/fatigue), workouts,
    working sets, volume load and that day's posterior share. docs/api.md has a worked example.
    """
    return await _load_series(
        athlete, session, date_from, date_to, if_none_match, _wants_csv(format, accept)
    )


@series_router.get(
    "/load-series.csv",
    name="load-series-csv",
    response_class=Response,
    responses={
        200: {
            "description": "The series as CSV: one row a day, header first, CRLF line ends; an "
            "empty posterior_share when none.",
            "content": {"text/csv": SERIES_CSV_DOC},
        },
        **NOT_MODIFIED,
        **ERRORS,
    },
)
async def get_load_series_csv(
    athlete: OwnedAthlete,
    session: SessionDep,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The daily strength load as CSV — what `GET .../load-series?format=csv` answers, as an
    operation of its own so that generated clients read it as text."""
    return await _load_series(athlete, session, date_from, date_to, if_none_match, True)


async def _load_series(
    athlete: Athlete,
    session: Session,
    date_from: date | None,
    date_to: date | None,
    if_none_match: str | None,
    wants_csv: bool,
) -> Response:
    def render() -> Response:
        series = service.load_series(session, athlete, date_from=date_from, date_to=date_to)
        if wants_csv:
            filename = f"legwork-load-{series['from']}-{series['to']}.csv"
            csv = service.load_series_csv(series).encode()
            return _cached(csv, CSV_TYPE, if_none_match, filename)
        return _cached(json_bytes(series), JSON, if_none_match)

    return await run_heavy(render)
