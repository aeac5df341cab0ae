"""The SQL week and month of a date (app.sql) agree with the calendar on both databases."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import literal, select
from sqlmodel import Session

from app.db import LocalDate
from app.sql import month_start, week_start


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_week_and_month_start_match_the_calendar(session: Session, day: date) -> None:
    week, month = session.execute(
        select(week_start(literal(day, LocalDate)), month_start(literal(day, LocalDate)))
    ).one()
    assert week == day - timedelta(days=day.weekday())
    assert week.weekday() == 0
    assert month == day.replace(day=1)
