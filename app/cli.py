"""The `legwork` command: serve, worker, migrate, account create, import, demo, openapi."""

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

if TYPE_CHECKING:
    from alembic.config import Config

app = typer.Typer(help="Legwork: leg-strength coaching for runners.", no_args_is_help=True)
account_app = typer.Typer(help="Accounts and their first token.", no_args_is_help=True)
app.add_typer(account_app, name="account")

ROOT = Path(__file__).resolve().parent.parent
OPENAPI_PATH = ROOT / "openapi" / "openapi.json"


def _settings_or_exit() -> None:
    """Fail at start-up, with the reason, when a LEGWORK_ setting is nonsense."""
    from app.config import get_settings

    try:
        get_settings()
    except ValidationError as exc:
        for err in exc.errors():
            field = "LEGWORK_" + ".".join(str(p) for p in err["loc"]).upper()
            typer.echo(f"error: {field}: {err['msg']}", err=True)
        raise typer.Exit(code=2) from None


def alembic_config(database_url: str | None = None) -> "Config":
    """The project's alembic config: ./alembic.ini (as in the Docker image), else the checkout's."""
    from alembic.config import Config

    ini = Path("alembic.ini")
    config = Config(str(ini if ini.is_file() else ROOT / "alembic.ini"))
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def migrate_to_head(database_url: str | None = None) -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")


@app.command()
def migrate() -> None:
    """Bring the database schema to the newest revision."""
    _settings_or_exit()
    migrate_to_head()
    typer.echo("database schema is at head")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: LEGWORK_HOST.")] = None,
    port: Annotated[int | None, typer.Option(help="Default: LEGWORK_PORT.")] = None,
    workers: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Run the HTTP API with uvicorn."""
    import uvicorn

    from app.config import get_settings

    _settings_or_exit()
    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    typer.echo(f"Legwork is starting on http://{host}:{port} (API docs at /docs)")
    typer.echo("Get a token, in another terminal:  legwork account create YOUR-NAME")
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
        access_log=False,  # the app writes its own (app.access: request id, route, duration)
        proxy_headers=True,
    )


@account_app.command("create")
def account_create(name: Annotated[str, typer.Argument(help="Who the account is for.")]) -> None:
    """Create an account; its read+write token is printed alone on the last line."""
    from sqlmodel import Session

    from app.auth.service import create_account
    from app.db import get_engine

    _settings_or_exit()
    if not 1 <= len(name.strip()) <= 100:
        typer.echo("error: NAME must be 1 to 100 characters", err=True)
        raise typer.Exit(code=2)
    with Session(get_engine(), expire_on_commit=False) as session:
        account, secret = create_account(session, name.strip())
        session.commit()
    typer.echo(f"Created account {account.name!r} ({account.id}).")
    typer.echo("Its token (scopes: read, write) is shown this once:")
    typer.echo(secret)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A Strong or Hevy CSV, or a Legwork JSON export.")],
    athlete: Annotated[str, typer.Option("--athlete", help="The athlete's id.")],
    source: Annotated[
        str, typer.Option(help="strong, hevy, auto (by the header) or legwork.")
    ] = "auto",
    unit: Annotated[
        str | None, typer.Option(help="kg or lb: Strong's unit when the file does not say.")
    ] = None,
) -> None:
    """Import an export file into an athlete, with a progress bar; all of it or nothing."""
    import uuid

    from rich.progress import open as open_with_progress
    from sqlmodel import Session

    from app.athletes.models import Athlete
    from app.db import get_engine
    from app.errors import ProblemError
    from app.imports import flows

    _settings_or_exit()
    if source not in ("strong", "hevy", "auto", "legwork") or unit not in (None, "kg", "lb"):
        typer.echo("error: --source is strong, hevy, auto or legwork; --unit is kg or lb", err=True)
        raise typer.Exit(code=2)
    if not file.is_file():
        typer.echo(f"error: {file} is not a file", err=True)
        raise typer.Exit(code=2)
    try:
        athlete_id = uuid.UUID(athlete)
    except ValueError:
        typer.echo("error: --athlete must be an athlete id (a UUID)", err=True)
        raise typer.Exit(code=2) from None
    with Session(get_engine(), expire_on_commit=False) as session:
        found = session.get(Athlete, athlete_id)
        if found is None:
            typer.echo(f"error: no athlete {athlete_id}", err=True)
            raise typer.Exit(code=2)
        try:
            if source == "legwork":
                with open_with_progress(file, "rb", description="reading") as binary:
                    result = flows.import_legwork(session, found, binary.read())
            else:
                with open_with_progress(
                    file, "rt", encoding="utf-8-sig", newline="", description="importing"
                ) as text:
                    result = flows.import_csv(session, found, text, source=source, unit=unit)
            session.commit()
        except ProblemError as exc:
            session.rollback()
            typer.echo(f"error: nothing imported: {exc.detail}", err=True)
            raise typer.Exit(code=1) from None
    typer.echo(
        f"{result.workouts_created} workouts created ({result.sets_created} sets), "
        f"{result.workouts_skipped} skipped as already imported"
    )
    if result.custom_exercises_created:
        typer.echo("custom exercises created: " + ", ".join(result.custom_exercises_created))
    for warning in result.warnings:
        typer.echo(f"warning: {warning}")


@app.command()
def demo() -> None:
    """Create (once) a demo account and athlete with 16 weeks of logs; print a token and URLs."""
    from sqlmodel import Session

    from app.config import get_settings
    from app.db import get_engine
    from app.demo import seed_demo

    _settings_or_exit()
    settings = get_settings()
    with Session(get_engine(), expire_on_commit=False) as session:
        made = seed_demo(session)
        session.commit()
    base = f"http://{settings.host}:{settings.port}"
    athlete = f"{base}/v1/athletes/{made.athlete.id}"
    verb = "Created" if made.created else "Found"
    typer.echo(f"{verb} the demo athlete {made.athlete.name!r}: {made.workouts} workouts logged.")
    typer.echo(f"  API docs:  {base}/docs  (Authorize with the token below)")
    typer.echo(f"  chart:     {base}/v1/shared/{made.chart_secret}  (opens in a browser)")
    auth = '-H "Authorization: Bearer $TOKEN"'
    typer.echo(f"  progress:  curl {auth} {athlete}/progress")
    typer.echo(f"  plan:      curl {auth} {athlete}/plan/next")
    typer.echo("A new read+write token of the demo account (TOKEN), shown this once:")
    typer.echo(made.token)


@app.command()
def worker(
    threads: Annotated[int, typer.Option(min=1, max=64, help="Deliveries at once.")] = 8,
) -> None:
    """Deliver webhooks until stopped (Ctrl+C or SIGTERM). Any number may run, on any machine
    reaching the database; `legwork serve` runs one inside each server process unless
    LEGWORK_WORKERS_EMBEDDED=false."""
    import signal

    from app.config import get_settings
    from app.db import database_sessions
    from app.webhooks.delivery import Worker

    _settings_or_exit()
    settings = get_settings()
    delivering = Worker(
        database_sessions(settings.database_url),
        allow_private=settings.webhook_allow_private,
        threads=threads,
        first_backoff_s=settings.webhook_retry_first_s,
    )
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: delivering.stop.set())
    typer.echo(f"Delivering webhooks with {threads} threads; Ctrl+C stops.")
    delivering.run()
    typer.echo("Stopped.")


@app.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write it.")] = OPENAPI_PATH,
) -> None:
    """Write the OpenAPI document the app serves."""
    from app.main import create_app

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_openapi(create_app().openapi()))
    typer.echo(f"wrote {output}")


def render_openapi(document: dict[str, object]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    app()
