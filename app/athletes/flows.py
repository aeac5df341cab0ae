"""Changes to an athlete that reach into other domains (docs/architecture.md "Flows")."""

from sqlmodel import Session

from app.athletes import service
from app.athletes.models import Athlete
from app.athletes.schemas import AthleteUpdate
from app.workouts import service as workouts


def update_athlete(
    session: Session, athlete: Athlete, body: AthleteUpdate, if_match: str | None
) -> Athlete:
    """Change some fields; a new time zone moves the logged workouts to their new local dates."""
    zone_before = athlete.timezone
    service.update(session, athlete, body, if_match)
    if athlete.timezone != zone_before:
        workouts.relocate_dates(session, athlete)
    return athlete
