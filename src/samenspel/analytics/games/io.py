"""Reading a game from its documented JSON form.

::

    {"players": ["A", "B", "C"],
     "coalitions": [{"members": ["A"], "value": 0}, {"members": ["A", "B"], "value": 4}, ...],
     "investments": {"A": 10, "B": 5, "C": 0},    # optional, for proportional_investment
     "savings": {"A": 0, "B": 12, "C": 3}}        # optional, for proportional_savings

Every non-empty coalition must be listed once; the empty coalition is worth 0.
"""

from __future__ import annotations

from typing import Any

from .game import Game, GameError


def parse_game(data: Any) -> tuple[Game, dict[str, float] | None, dict[str, float] | None]:
    if not isinstance(data, dict):
        raise GameError("the game must be a JSON object")
    players = data.get("players")
    if not isinstance(players, list) or not players or not all(isinstance(p, str) for p in players):
        raise GameError("players: give a non-empty list of names")
    coalitions = data.get("coalitions")
    if not isinstance(coalitions, list):
        raise GameError("coalitions: give a list of {members, value} objects")
    values: dict[frozenset[str], float] = {}
    for k, item in enumerate(coalitions):
        where = f"coalitions[{k}]"
        if not isinstance(item, dict) or not isinstance(item.get("members"), list):
            raise GameError(f"{where}: needs 'members' (a list) and 'value'")
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise GameError(f"{where}.value: must be a number")
        key = frozenset(str(m) for m in item["members"])
        if not key:
            if value != 0:
                raise GameError(f"{where}: the empty coalition is worth 0")
            continue
        if key in values:
            raise GameError(f"{where}: coalition {sorted(key)} is listed twice")
        values[key] = float(value)
    game = Game.from_coalitions(players, values)
    weights = []
    for name in ("investments", "savings"):
        raw = data.get(name)
        if raw is not None and not (
            isinstance(raw, dict) and all(isinstance(v, int | float) for v in raw.values())
        ):
            raise GameError(f"{name}: map each party to a number")
        weights.append({str(k): float(v) for k, v in raw.items()} if raw else None)
    return game, weights[0], weights[1]
