from __future__ import annotations

from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of


def objects(fixture: Fixture) -> Objects:
    fixture("provider_user")
    fixture("other_provider_user")
    return {"provider_a": fixture("provider_a")}


ROWS = {
    "providers:provider-list": Row(no_kwargs, "get", STAFF_ONLY),
    "providers:provider-create": Row(no_kwargs, "get", MANAGER_ONLY),
    "providers:provider-detail": Row(
        public_id_of("provider_a"), "get", expect(404, provider_user=200, staff=200, manager=200)
    ),
    "providers:provider-update": Row(
        public_id_of("provider_a"), "get", expect(404, provider_user=403, staff=403, manager=200)
    ),
}
