import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from app.changes.service import Kind, Op


class ChangeItem(BaseModel):
    cursor: str = Field(description="Pass as `cursor` to get the changes after this one.")
    at: datetime = Field(description="When the change was made (UTC).")
    kind: Kind = Field(
        description="What changed: an athlete, workout, plan, goal or custom exercise."
    )
    id: str = Field(description="The changed resource's id (a custom exercise's slug).")
    athlete_id: uuid.UUID | None = Field(
        description="The athlete it belongs to (an athlete: itself); null for custom "
        "exercises, which belong to the account. Deleting an athlete deletes its workouts, plan "
        "and goals with it: one `delete` of the athlete says so."
    )
    op: Op = Field(description="`upsert`: fetch it again; `delete`: it is gone.")
    etag: str | None = Field(
        description="The resource's ETag after the change (null for deletes and for custom "
        "exercises): if the copy you hold has it, there is nothing to fetch."
    )


class ChangesPage(BaseModel):
    items: list[ChangeItem] = Field(description="Changes, oldest first, in commit order.")
    next_cursor: str = Field(
        description="Where to continue: never null. Poll with it; an empty page means you are "
        "up to date."
    )
