"""Side payments that move each party from what it has to what it is allotted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Transfer:
    payer: str
    payee: str
    amount: float


def settle(balances: Mapping[str, float], *, tolerance: float = 0.005) -> list[Transfer]:
    """Transfers that settle ``balances`` (positive: the party is owed money; negative: owes).

    Balances must sum to zero. Greedy largest-debtor-to-largest-creditor matching: every transfer
    settles at least one party, so there are at most n - 1 transfers, and their amounts sum to the
    total owed. Amounts below ``tolerance`` are treated as settled.
    """
    total = sum(balances.values())
    scale = max([1.0, *[abs(b) for b in balances.values()]])
    if abs(total) > 1e-6 * scale:
        raise ValueError(f"balances must sum to zero, they sum to {total:.6g}")
    owed = {p: b for p, b in balances.items() if b > tolerance}
    owing = {p: -b for p, b in balances.items() if b < -tolerance}
    transfers: list[Transfer] = []
    while owed and owing:
        payee = max(owed, key=lambda p: (owed[p], p))
        payer = max(owing, key=lambda p: (owing[p], p))
        amount = min(owed[payee], owing[payer])
        transfers.append(Transfer(payer, payee, amount))
        owed[payee] -= amount
        owing[payer] -= amount
        if owed[payee] <= tolerance:
            del owed[payee]
        if owing[payer] <= tolerance:
            del owing[payer]
    return transfers
