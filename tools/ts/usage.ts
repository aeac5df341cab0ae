// A TypeScript client's view of the API, type-checked in CI (make typecheck-ts): the types
// openapi-typescript generates from openapi/openapi.json must carry what a client relies on.
import type { components, operations, paths } from "../../build/ts/legwork";

type Schemas = components["schemas"];

// A request body built as a client would; a typo or a wrong type fails the check.
const athlete: Schemas["AthleteCreate"] = {
  name: "Ada",
  timezone: "Europe/Paris",
  event: "half_marathon",
  equipment: ["band", "dumbbell"],
};

const workout: Schemas["WorkoutIn"] = {
  performed_at: "2026-11-20T18:30:00+01:00",
  exercises: [{ exercise: "romanian-deadlift", sets: [{ reps: 8, load_kg: 50, rir: 2 }] }],
};

const events: Schemas["Event"][] = ["5k", "10k", "half_marathon"];

// Answers: a 201 is the created resource, an error is a Problem, the CSV is text.
type Created = operations["workouts-create"]["responses"][201]["content"]["application/json"];
type Refused = operations["workouts-create"]["responses"][422]["content"]["application/problem+json"];
type Csv = operations["progress-csv"]["responses"][200]["content"]["text/csv"];
type Chart = operations["progress-chart"]["responses"][200]["content"]["image/svg+xml"];

function describe(created: Created, refused: Refused, csv: Csv, chart: Chart): string {
  const fields = (refused.errors ?? []).map((e) => `${e.field}: ${e.message}`).join("; ");
  return `${created.id} at ${created.local_date}; ${fields}; ${csv.length + chart.length}`;
}

// Query parameters and headers are typed too.
type ProgressQuery = NonNullable<paths["/v1/athletes/{athlete_id}/progress"]["get"]["parameters"]["query"]>;
const november: ProgressQuery = { from: "2026-11-01", to: "2026-11-30", period: "week" };
type Replayed = operations["workouts-create"]["responses"][201]["headers"]["Idempotent-Replayed"];
const replayed: Replayed = "true";

export { athlete, workout, events, describe, november, replayed };
