"""A stored plan as an RFC 5545 calendar (icalendar): one all-day event a session."""

import json
from datetime import date, timedelta
from typing import Any

from icalendar import Calendar, Event

from app.plans.models import StoredPlan

ICS = "text/calendar"
PRODID = "-//Legwork//Leg strength plan//EN"


def plan_ics(stored: StoredPlan, athlete_name: str) -> bytes:
    """The same bytes for the same stored plan: DTSTAMP is when the plan was stored."""
    plan = json.loads(stored.plan_json)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Legwork: {athlete_name}")
    for week in plan["weeks"]:
        for session in week["sessions"]:
            day = date.fromisoformat(session["date"])
            event = Event()
            event.add("uid", f"{session['id']}@legwork")
            event.add("dtstamp", stored.updated_at)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", session["title"])
            event.add("description", _description(session))
            event.add("transp", "TRANSPARENT")  # strength fits around the day: not busy
            cal.add_component(event)
    return bytes(cal.to_ical())


def _description(session: dict[str, Any]) -> str:
    lines = []
    for p in session["exercises"]:
        reps = p["reps"]
        count = str(reps["min"]) if reps["min"] == reps["max"] else f"{reps['min']}–{reps['max']}"
        unit = {"reps": "reps", "steps": "steps each way", "seconds": "s"}[reps["unit"]]
        side = " each side" if p["per_side"] and reps["unit"] != "steps" else ""
        load = f" @ {p['load_kg']:g} kg" if p.get("load_kg") is not None else ""
        lines.append(
            f"{p['name']}: {p['sets']} × {count} {unit}{side}{load}, "
            f"{p['effort']['rir']} in reserve, rest {p['rest_s']} s"
        )
    return "\n".join(lines)
