"""Today, in an athlete's time zone: the one place the service reads the clock for a date."""

from datetime import date, datetime
from zoneinfo import ZoneInfo


def local_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()
