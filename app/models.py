"""Every table model, imported in one place so alembic sees the whole metadata."""

from app.athletes.models import Athlete
from app.auth.models import Account, ApiToken
from app.changes.models import Change
from app.custom_exercises.models import CustomExercise
from app.goals.models import Goal
from app.idempotency.models import IdempotencyRecord
from app.imports.models import ImportedWorkout
from app.links.models import ShareLink
from app.plans.models import PlanSession, StoredPlan
from app.webhooks.models import Webhook, WebhookDelivery
from app.workouts.models import Workout, WorkoutExercise, WorkoutSet

__all__ = [
    "Account",
    "ApiToken",
    "Athlete",
    "Change",
    "CustomExercise",
    "Goal",
    "IdempotencyRecord",
    "ImportedWorkout",
    "PlanSession",
    "ShareLink",
    "StoredPlan",
    "Webhook",
    "WebhookDelivery",
    "Workout",
    "WorkoutExercise",
    "WorkoutSet",
]
