from fastapi.testclient import TestClient

from tests.factories import Caller, make_athlete, make_workout, workout_body


def test_create_get_list_delete(client: TestClient, alice: Caller) -> None:
    body = {
        "name": "Sled Push!",
        "primary_muscles": ["quads", "glutes"],
        "secondary_muscles": ["calves"],
        "equipment": ["machine"],
        "unilateral": False,
    }
    r = client.post("/v1/exercises/custom", json=body, headers=alice.headers)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["slug"] == "sled-push"
    assert r.headers["location"] == "/v1/exercises/custom/sled-push"
    for field, value in body.items():
        assert created[field] == value

    assert client.get("/v1/exercises/custom/sled-push", headers=alice.headers).json() == created
    listed = client.get("/v1/exercises/custom", headers=alice.headers).json()
    assert listed == {"items": [created], "next_cursor": None}

    assert client.delete("/v1/exercises/custom/sled-push", headers=alice.headers).status_code == 204
    assert client.get("/v1/exercises/custom/sled-push", headers=alice.headers).status_code == 404


def test_needs_a_token(client: TestClient) -> None:
    assert client.get("/v1/exercises/custom").status_code == 401


def test_slug_rules(client: TestClient, alice: Caller) -> None:
    def create(**body: object) -> tuple[int, dict[str, object]]:
        r = client.post(
            "/v1/exercises/custom",
            json={"primary_muscles": ["glutes"], **body},
            headers=alice.headers,
        )
        return r.status_code, r.json()

    status, problem = create(name="Glute bridge", slug="glute-bridge")
    assert status == 422
    assert problem["errors"][0]["field"] == "slug"  # type: ignore[index]
    status, problem = create(name="X", slug="Bad Slug")
    assert status == 422
    assert problem["errors"][0]["field"] == "slug"  # type: ignore[index]
    assert create(name="Frog pump")[0] == 201
    assert create(name="Frog pump")[0] == 409
    status, problem = create(name="Odd", primary_muscles=["glutes"], secondary_muscles=["glutes"])
    assert status == 422
    status, problem = create(name="Odd", primary_muscles=[])
    assert problem["errors"][0]["field"] == "primary_muscles"  # type: ignore[index]
    status, problem = create(name="Odd", primary_muscles=["biceps"])
    assert problem["errors"][0]["field"] == "primary_muscles[0]"  # type: ignore[index]


def test_accounts_do_not_see_each_others(client: TestClient, alice: Caller, bob: Caller) -> None:
    r = client.post(
        "/v1/exercises/custom",
        json={"name": "Frog pump", "primary_muscles": ["glutes"]},
        headers=alice.headers,
    )
    assert r.status_code == 201
    assert client.get("/v1/exercises/custom/frog-pump", headers=bob.headers).status_code == 404
    assert client.get("/v1/exercises/custom", headers=bob.headers).json()["items"] == []
    assert client.delete("/v1/exercises/custom/frog-pump", headers=bob.headers).status_code == 404
    # Bob may use the same slug for his own.
    r = client.post(
        "/v1/exercises/custom",
        json={"name": "Frog pump", "primary_muscles": ["glutes"]},
        headers=bob.headers,
    )
    assert r.status_code == 201, r.text


def test_one_in_use_cannot_be_deleted(client: TestClient, alice: Caller) -> None:
    r = client.post(
        "/v1/exercises/custom",
        json={"name": "Frog pump", "primary_muscles": ["glutes"]},
        headers=alice.headers,
    )
    assert r.status_code == 201
    athlete = make_athlete(client, alice)
    body = workout_body()
    body["exercises"][0]["exercise"] = "frog-pump"
    r = client.post(f"/v1/athletes/{athlete['id']}/workouts", json=body, headers=alice.headers)
    assert r.status_code == 201, r.text
    r = client.delete("/v1/exercises/custom/frog-pump", headers=alice.headers)
    assert r.status_code == 409, r.text
    make_workout(client, alice, athlete)
