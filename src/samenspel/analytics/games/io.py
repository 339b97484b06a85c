"""Reading a game from its documented JSON form.

::

    {"players": ["A", "B", "C"],
     "coalitions": [{"members": ["A"], "value": 0}, {"members": ["A", "B"], "value": 4}, ...],
     "investments": {"A": 10, "B": 5, "C": 0},    # optional, for proportional_investment
     "savings": {"A": 0, "B": 12, "C": 3}}        # optional, for proportional_savings

Every non-empty coalition must be listed once; the empty coalition is worth 0.

``"kind": "cost"`` makes it a cost game: each value is what the coalition would pay on its own,
c(S), and the rules divide the cost c(N) of all players together (see ``cost_shares``).
``"kind": "value"`` (the default) is a game of gains.
"""

from __future__ import annotations

import math
from typing import Any

from ..inputs import MAX_AMOUNT, is_finite_number, unique_names, within_amount_range
from .game import Game, GameError

GAME_KINDS = ("value", "cost")


def game_kind(data: Any) -> str:
    """"value" or "cost", from the game document's optional ``kind`` field."""
    kind = data.get("kind", "value") if isinstance(data, dict) else "value"
    if kind not in GAME_KINDS:
        raise GameError(f"kind: {kind!r} is not one of {', '.join(GAME_KINDS)}")
    return str(kind)


def parse_game(data: Any) -> tuple[Game, dict[str, float] | None, dict[str, float] | None]:
    if not isinstance(data, dict):
        raise GameError("the game must be a JSON object")
    game_kind(data)
    players = unique_names(data.get("players"), "players", "player", GameError)
    coalitions = data.get("coalitions")
    if not isinstance(coalitions, list):
        raise GameError("coalitions: give a list of {members, value} objects")
    values: dict[frozenset[str], float] = {}
    for k, item in enumerate(coalitions):
        key, value = _coalition(item, f"coalitions[{k}]")
        if not key:
            continue
        if key in values:
            raise GameError(f"coalitions[{k}]: coalition {sorted(key)} is listed twice")
        values[key] = value
    game = Game.from_coalitions(players, values)
    return game, _weights(data, "investments"), _weights(data, "savings")


def _coalition(item: Any, where: str) -> tuple[frozenset[str], float]:
    if not isinstance(item, dict) or not isinstance(item.get("members"), list):
        raise GameError(f"{where}: needs 'members' (a list) and 'value'")
    value = item.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GameError(f"{where}.value: must be a number")
    if not math.isfinite(value):
        raise GameError(f"{where}.value: must be a finite number")
    if not within_amount_range(value):
        raise GameError(f"{where}.value: must lie within ±{MAX_AMOUNT:,.0f}, got {value:,.0f}")
    key = frozenset(str(m) for m in item["members"])
    if not key and value != 0:
        raise GameError(f"{where}: the empty coalition is worth 0")
    return key, float(value)


def _weights(data: dict[str, Any], name: str) -> dict[str, float] | None:
    raw = data.get(name)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise GameError(f"{name}: map each party to a number")
    for party, v in raw.items():
        if not is_finite_number(v):
            raise GameError(f"{name}.{party}: must be a finite number")
        if not within_amount_range(v):
            raise GameError(f"{name}.{party}: must lie within ±{MAX_AMOUNT:,.0f}, got {v:,.0f}")
    return {str(k): float(v) for k, v in raw.items()} or None
