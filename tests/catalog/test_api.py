"""/v1/exercises through HTTP, on the real app (the catalog needs no database or token)."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.catalog.service import get_catalog
from app.errors import PROBLEM_JSON
from app.main import create_app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def list_slugs(client: TestClient, query: str) -> list[str]:
    r = client.get(f"/v1/exercises?{query}&limit=200")
    assert r.status_code == 200, r.text
    assert r.json()["next_cursor"] is None, r.text
    return [item["slug"] for item in r.json()["items"]]


def items(client: TestClient, query: str) -> list[dict[str, Any]]:
    r = client.get(f"/v1/exercises?{query}&limit=200")
    assert r.status_code == 200, r.text
    result: list[dict[str, Any]] = r.json()["items"]
    return result


def assert_problem(r: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM_JSON), r.text
    body: dict[str, Any] = r.json()
    assert body["status"] == status, r.text
    if field is not None:
        assert body["errors"][0]["field"] == field, r.text
    return body


def test_list_defaults(client: TestClient) -> None:
    r = client.get("/v1/exercises")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"items", "next_cursor"}
    expected = [e.slug for e in get_catalog().exercises]
    assert [item["slug"] for item in body["items"]] == expected[:50]
    assert body["next_cursor"] is not None  # more than 50 exercises
    first = body["items"][0]
    assert first == get_catalog().require(first["slug"]).model_dump(mode="json")


def test_pagination_collects_every_exercise_once(client: TestClient) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 5}
        if cursor is not None:
            params["cursor"] = cursor
        r = client.get("/v1/exercises", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        assert 1 <= len(body["items"]) <= 5, r.text
        seen.extend(item["slug"] for item in body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [e.slug for e in get_catalog().exercises]
    assert pages == -(-len(seen) // 5)


def test_pagination_with_filters(client: TestClient) -> None:
    everything = list_slugs(client, "muscle=glutes")
    r = client.get("/v1/exercises", params={"muscle": "glutes", "limit": 3})
    assert r.status_code == 200, r.text
    r2 = client.get(
        "/v1/exercises",
        params={"muscle": "glutes", "limit": 200, "cursor": r.json()["next_cursor"]},
    )
    assert r2.status_code == 200, r2.text
    assert [i["slug"] for i in r.json()["items"] + r2.json()["items"]] == everything


def test_an_exact_last_page_has_no_cursor(client: TestClient) -> None:
    total = len(get_catalog().exercises)
    r = client.get("/v1/exercises", params={"limit": total})
    assert r.status_code == 200, r.text
    assert len(r.json()["items"]) == total
    assert r.json()["next_cursor"] is None


def test_filter_muscle_matches_primary_or_secondary(client: TestClient) -> None:
    found = items(client, "muscle=hamstrings")
    assert found
    assert all(
        "hamstrings" in item["primary_muscles"] + item["secondary_muscles"] for item in found
    )
    slugs = {item["slug"] for item in found}
    assert {"nordic-curl", "glute-bridge"} <= slugs  # primary and secondary


def test_filter_equipment_is_what_you_have(client: TestClient) -> None:
    found = items(client, "equipment=band&equipment=dumbbell")
    needs = {eq for item in found for eq in item["equipment"]}
    assert needs == {"bodyweight", "band", "dumbbell"}
    slugs = {item["slug"] for item in found}
    assert {"lateral-band-walk", "goblet-squat", "squat"} <= slugs
    assert "dumbbell-hip-thrust" not in slugs  # also needs a bench
    only_bodyweight = items(client, "equipment=bodyweight")
    assert only_bodyweight
    assert all(item["equipment"] == ["bodyweight"] for item in only_bodyweight)


@pytest.mark.parametrize(
    ("setting", "allowed"),
    [
        ("home", {"bodyweight", "band", "step", "bench", "dumbbell"}),
        ("gym", None),
    ],
)
def test_filter_setting(client: TestClient, setting: str, allowed: set[str] | None) -> None:
    found = items(client, f"setting={setting}")
    if allowed is None:
        assert len(found) == len(get_catalog().exercises)
    else:
        assert {eq for item in found for eq in item["equipment"]} == allowed
        assert "hip-thrust" not in {item["slug"] for item in found}


def test_filter_setting_and_equipment_both_apply(client: TestClient) -> None:
    assert list_slugs(client, "setting=home&equipment=barbell") == list_slugs(
        client, "equipment=bodyweight"
    )


@pytest.mark.parametrize(
    ("level", "allowed"),
    [
        ("beginner", {"beginner"}),
        ("intermediate", {"beginner", "intermediate"}),
        ("advanced", {"beginner", "intermediate", "advanced"}),
    ],
)
def test_filter_level(client: TestClient, level: str, allowed: set[str]) -> None:
    found = items(client, f"level={level}")
    assert {item["level"] for item in found} == allowed


def test_filter_pattern(client: TestClient) -> None:
    found = items(client, "pattern=plyometric")
    assert {item["pattern"] for item in found} == {"plyometric"}
    assert {"pogo-hops", "drop-jumps"} <= {item["slug"] for item in found}


def test_q_matches_slug_name_and_alias(client: TestClient) -> None:
    assert "nordic-curl" in list_slugs(client, "q=NORDIC HAMSTRINGS CURLS")  # Hevy's alias
    assert list_slugs(client, "q=rdl") == [
        "dumbbell-romanian-deadlift",
        "romanian-deadlift",
        "single-leg-deadlift",
    ]
    assert list_slugs(client, "q=glute-bridge-hold") == ["single-leg-glute-bridge-hold"]
    assert list_slugs(client, "q=no such exercise") == []


def test_filters_combine(client: TestClient) -> None:
    found = items(client, "muscle=calves&level=beginner&setting=home&pattern=calf_raise")
    assert {item["slug"] for item in found} == {
        "calf-raise",
        "single-leg-calf-raise",
        "bent-knee-calf-raise",
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("muscle=biceps", "muscle"),
        ("setting=beach", "setting"),
        ("level=expert", "level"),
        ("pattern=curl", "pattern"),
        ("equipment=band&equipment=trx", "equipment[1]"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_bad_query_is_a_422_problem(client: TestClient, query: str, field: str) -> None:
    body = assert_problem(client.get(f"/v1/exercises?{query}"), 422, field)
    assert field in body["detail"], body


def test_cursor_of_an_unknown_slug_is_a_422(client: TestClient) -> None:
    from app.pagination import encode_cursor

    r = client.get("/v1/exercises", params={"cursor": encode_cursor(["no-such-slug"])})
    assert_problem(r, 422, "cursor")


def test_get_one(client: TestClient) -> None:
    r = client.get("/v1/exercises/nordic-curl")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == get_catalog().require("nordic-curl").model_dump(mode="json")
    assert body["heavy_eccentric"] is True
    assert body["regression"] == "sliding-leg-curl"
    assert r.headers["etag"].startswith('"'), r.headers


def test_get_honours_if_none_match(client: TestClient) -> None:
    etag = client.get("/v1/exercises/squat").headers["etag"]
    r = client.get("/v1/exercises/squat", headers={"If-None-Match": f'"other", W/{etag}'})
    assert r.status_code == 304, r.text
    assert r.headers["etag"] == etag
    assert r.content == b""
    r = client.get("/v1/exercises/squat", headers={"If-None-Match": '"stale"'})
    assert r.status_code == 200, r.text
    other = client.get("/v1/exercises/glute-bridge").headers["etag"]
    assert other != etag


def test_unknown_slug_is_a_404_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/exercises/no-such-exercise"), 404)
    assert "no-such-exercise" in body["detail"]


def test_openapi_documents_the_routes(client: TestClient) -> None:
    r = client.get("/openapi.json")
    assert r.status_code == 200, r.text
    paths = r.json()["paths"]
    listing = paths["/v1/exercises"]["get"]
    assert listing["operationId"] == "exercises-list"
    assert {p["name"] for p in listing["parameters"]} == {
        "muscle",
        "equipment",
        "setting",
        "level",
        "pattern",
        "q",
        "limit",
        "cursor",
    }
    assert all(p.get("description") for p in listing["parameters"])
    assert PROBLEM_JSON in listing["responses"]["422"]["content"]
    one = paths["/v1/exercises/{slug}"]["get"]
    assert one["operationId"] == "exercises-get"
    assert PROBLEM_JSON in one["responses"]["404"]["content"]
    schema = r.json()["components"]["schemas"]["Exercise"]
    assert all(field.get("description") for field in schema["properties"].values())
