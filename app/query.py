"""Unknown query parameters are a 422 naming them: a typo such as `?form=csv` never passes
silently, and an SDK built from the OpenAPI document sends nothing else."""

from fastapi import Request, params
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute

from app.errors import InvalidInput

# id(route) → (route, its query parameter names); routes live as long as their app.
_DECLARED: dict[int, tuple[APIRoute, frozenset[str]]] = {}


def _declared(route: APIRoute) -> frozenset[str]:
    found = _DECLARED.get(id(route))
    if found is None or found[0] is not route:
        names = frozenset(
            field.alias
            for field in get_flat_params(route.dependant)
            if isinstance(field.field_info, params.Query)
        )
        found = _DECLARED[id(route)] = (route, names)
    return found[1]


async def reject_unknown_query(request: Request) -> None:
    """App-wide dependency (async: no thread hop) for the documented operations."""
    if not request.query_params:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    declared = _declared(route)
    unknown = sorted(name for name in request.query_params if name not in declared)
    if unknown:
        takes = ", ".join(sorted(declared)) or "none"
        raise InvalidInput(unknown[0], f"Unknown query parameter; this operation takes: {takes}")
