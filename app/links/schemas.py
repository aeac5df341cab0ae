"""Share links: what may be shared, with which query, and the answers."""

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import Field

from app.progress.schemas import ChartMetric, Period
from app.schemas import IsoDate, IsoDateTime, RequestModel, ResponseModel


class SharedResource(StrEnum):
    plan_ics = "plan.ics"
    chart_svg = "progress/chart.svg"


class ChartQuery(RequestModel):
    """The chart's query parameters, fixed in the link."""

    metric: ChartMetric = Field(default=ChartMetric.volume_load, description="What to plot.")
    exercise: str | None = Field(
        default=None, max_length=64, description="Exercise slug; required for metric=e1rm."
    )
    from_: IsoDate | None = Field(
        default=None, alias="from", description="First day (default: 12 weeks before `to`)."
    )
    to: IsoDate | None = Field(
        default=None, description="Last day (default: today in the athlete's time zone)."
    )
    period: Period = Field(default=Period.week, description="Bar per week or per month.")


class LinkCreate(RequestModel):
    resource: SharedResource = Field(description="What the link serves.", examples=["plan.ics"])
    query: ChartQuery = Field(
        default_factory=ChartQuery,
        description="For progress/chart.svg: the chart's parameters; must be empty for plan.ics.",
    )
    expires_at: IsoDateTime | None = Field(
        default=None,
        description="When the link stops working (with a time zone); null: until revoked.",
        examples=["2027-06-01T00:00:00Z"],
    )


class LinkPublic(ResponseModel):
    id: uuid.UUID = Field(description="The link's id, to revoke it.")
    resource: SharedResource = Field(description="What the link serves.")
    query: dict[str, object] = Field(description="The parameters fixed in the link.")
    expires_at: datetime | None = Field(description="When it stops working; null: never.")
    created_at: datetime = Field(description="When it was made, in UTC.")


class LinkCreated(LinkPublic):
    url: str = Field(
        description="The read-only URL (`/v1/shared/{secret}`). The secret is shown only now: "
        "it is stored hashed and cannot be shown again.",
        examples=["/v1/shared/Jc9vQ2..."],
    )
