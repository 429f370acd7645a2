"""How the matrix fills each path parameter: (route prefix, parameter) → kind.

A kind is one of the objects ``world.Side`` builds (``case``, ``unit`` …; "ours" and "theirs"
differ), ``ABSENT`` (no object of that model is built yet: a value that names nothing, so the
route must answer 404 for everyone) or a literal ``=value`` (a format or a step name, the same on
both sides). The first rule whose prefix starts the route and whose parameter matches wins.
There is deliberately no catch-all: a new route with a parameter no rule names fails
``test_every_route_parameter_has_a_rule`` until a rule is added here.
"""

from __future__ import annotations

ABSENT = "absent"
OBJECT_KINDS = (
    "region",
    "unit",
    "point",
    "user",
    "case",
    "case_number",
    "site",
    "team",
    "volunteer",
    "household",
    "framework",
    "node",
    "order",
    "wish",
    "round",
    "survey",
)
# Published to every grant holder (ADR 0002): the same object is asked for on both sides.
SHARED = ("framework", "node")

RULES: list[tuple[str, str, str]] = [
    # accounts
    ("/accounts/users/", "pk", "user"),
    ("/accounts/users/", "grant_id", ABSENT),
    ("/accounts/me/tokens/", "token_id", ABSENT),
    ("/api/v1/users/", "user_id", "user"),
    # orgs
    ("/regions/", "code", "region"),
    ("/api/v1/regions/", "code", "region"),
    ("/units/", "code", "unit"),
    ("/units/", "which", "=contact"),
    ("/api/v1/units/", "code", "unit"),
    ("/api/v1/case-figures/units/", "unit_id", "unit"),
    ("/cases/figures/unit/", "pk", "unit"),
    ("/appraisal/units/", "pk", "unit"),
    # points
    ("/points/", "code", "point"),
    ("/api/v1/points/", "code", "point"),
    ("/api/v1/map/points/", "code", "point"),
    # cases
    ("/cases/", "pk", "case"),
    ("/cases/", "step", "=register"),
    ("/api/v1/cases/", "pk", "case"),
    ("/api/v1/map/cases/", "pk", "case"),
    ("/report/", "number", "case_number"),
    ("/moderation/cases/", "number", "case_number"),
    ("/open311/v2/^requests/", "request_id", "case_number"),
    ("/open311/v2/", "fmt", "=json"),
    ("/open311/v2/^services/", "code", "=S0101"),
    ("/open311/v2/keys/", "pk", ABSENT),
    ("/photos/", "pk", ABSENT),
    ("/moderation/photos/", "pk", ABSENT),
    # practice
    ("/practice/sites/", "pk", "site"),
    ("/api/v1/practice/sites/", "site_id", "site"),
    ("/practice/bank/shop/", "site", "site"),
    ("/practice/bank/redeem/", "site", "site"),
    ("/practice/teams/", "pk", "team"),
    ("/api/v1/practice/teams/", "team_id", "team"),
    ("/practice/volunteers/", "pk", "volunteer"),
    ("/api/v1/practice/volunteers/", "volunteer_id", "volunteer"),
    ("/practice/bank/award/", "pk", "volunteer"),
    ("/practice/bank/award/", "kind", "=volunteer"),
    ("/practice/bank/redeem/", "pk", "volunteer"),
    ("/practice/bank/redeem/", "kind", "=volunteer"),
    ("/practice/households/", "pk", "household"),
    ("/practice/orders/qr/", "kind", "=site"),
    ("/practice/orders/qr/", "pk", "site"),
    ("/practice/orders/qr/", "fmt", "=svg"),
    ("/practice/orders/", "pk", "order"),
    ("/practice/orders/", "photo_pk", ABSENT),
    ("/practice/orders/", "size", "=thumb"),
    ("/api/v1/practice/orders/", "pk", "order"),
    ("/practice/wishes/", "pk", "wish"),
    ("/practice/wishes/", "photo_id", ABSENT),
    ("/practice/wishes/", "kind", "=thumb"),
    ("/api/v1/practice/wishes/", "pk", "wish"),
    ("/practice/bank/", "pk", ABSENT),
    ("/practice/bank/accounts/", "fmt", "=csv"),
    ("/api/v1/practice/bank/", "account_id", ABSENT),
    ("/api/v1/practice/bank/", "redemption_id", ABSENT),
    ("/p/", "token", ABSENT),
    ("/p/w/", "photo_id", ABSENT),
    # command, core
    ("/board/", "board", "=office"),
    ("/api/v1/dashboard/", "board", "=office"),
    ("/command/screen/s/", "token", ABSENT),
    ("/command/map/key-areas/", "pk", ABSENT),
    ("/inbox/", "pk", ABSENT),
    # frameworks are shared; inspection rounds are built per side (points, photos are not)
    ("/frameworks/", "pk", "framework"),
    ("/frameworks/", "node_pk", "node"),
    ("/api/v1/frameworks/", "framework_id", "framework"),
    ("/scoring/", "node_id", "node"),
    ("/api/v1/scores/nodes/", "node_id", "node"),
    ("/inspections/rounds/", "pk", "round"),
    ("/inspections/field/rounds/", "pk", "round"),
    ("/inspections/", "pk", ABSENT),
    ("/api/v1/inspections/rounds/", "pk", "round"),
    # awards, alerts, agenda
    ("/awards/rate/", "code", "=street"),
    ("/awards/rate/", "key", ABSENT),
    ("/awards/schemes/", "pk", ABSENT),
    ("/api/v1/awards/ratings/", "rating_id", ABSENT),
    ("/alerts/", "pk", ABSENT),
    ("/api/v1/alerts/", "warning_id", ABSENT),
    ("/agenda/", "pk", ABSENT),
    ("/agenda/ics/", "token", ABSENT),
    ("/api/v1/agenda/", "event_id", ABSENT),
    ("/api/v1/agenda/", "occurrence_id", ABSENT),
    # surveys
    ("/surveys/", "pk", "survey"),
    ("/surveys/", "qid", ABSENT),
    ("/surveys/", "rid", ABSENT),
    ("/surveys/", "fmt", "=xlsx"),
    ("/api/v1/surveys/", "survey_id", "survey"),
    ("/api/v1/surveys/", "code", "survey"),
    ("/s/", "token", ABSENT),
    ("/s/", "kind", "=done"),
    # archives
    ("/archives/", "pk", ABSENT),
    ("/api/v1/archives/", "requirement_id", ABSENT),
    ("/api/v1/archives/", "attachment_id", ABSENT),
]


def kind_of(route: str, param: str) -> str | None:
    for prefix, name, kind in RULES:
        if name == param and route.startswith(prefix):
            return kind
    return None
