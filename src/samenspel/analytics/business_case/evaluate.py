"""Business case per party, the coalition game it implies, and the side-payment settlement.

Coalition value rule (documented for users, with a worked example, in docs/money.md): a
coalition S can carry out an intervention when all of the intervention's partners are in S.
Each party's lines on the intervention are first netted (gains minus losses). S then gains the
net gains of its own members and bears *every* net loss of the intervention, its members' and
those it lays on parties outside S: outsiders are held harmless for their net loss, so shifting
a cost onto them never pays, and booking a loss beside an equal gain buys nothing. S takes up
the interventions with a positive gain, and v(S) is the sum of those gains. Net gains of
outsiders do not count for S: that is the wrong-pocket problem, the hospital alone will not
invest when the insurer saves, but hospital and insurer together will.

Per intervention the gain is a sum of non-negative net gains over S's members minus a constant,
so ``max(0, gain)`` on the coalitions that hold every partner is supermodular; the sum over
interventions is a convex game. A convex game is superadditive, its core is never empty, and
both the Shapley value and the nucleolus lie in it, so no party ends below its stand-alone value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from samenspel.analytics.games import (
    MAX_EXACT_PLAYERS,
    Allocation,
    Game,
    GameError,
    Transfer,
    allocate,
    settle,
    shapley,
    shapley_monte_carlo,
)
from samenspel.analytics.games.game import MAX_SHAPLEY_PLAYERS, coalition_sums

from .model import ROLES, STREAMS, Agreement, Intervention, Line


def discount_factors(agreement: Agreement) -> np.ndarray:
    """1 / (1 + r)^t for t = 0 .. horizon - 1: the first year is not discounted."""
    return 1.0 / (1.0 + agreement.discount_rate) ** np.arange(agreement.horizon)


def annuity_factor(agreement: Agreement) -> float:
    """Present value of 1 paid every year of the horizon."""
    return float(discount_factors(agreement).sum())


def _yearly(line: Line, horizon: int, amount: float) -> np.ndarray:
    flows = np.zeros(horizon)
    flows[[y - 1 for y in line.years]] = amount
    return flows


def present_values(
    agreement: Agreement, intervention: Intervention
) -> tuple[np.ndarray, np.ndarray]:
    """(gains, losses) of one intervention in present value (likely amounts), per party: gains
    are savings and new revenue, losses are costs and lost revenue."""
    factors = discount_factors(agreement)
    index = {p: i for i, p in enumerate(agreement.parties)}
    gains, losses = np.zeros(len(agreement.parties)), np.zeros(len(agreement.parties))
    for line, sign, _role in intervention.signed_lines():
        amount = line.likely * float(factors[[y - 1 for y in line.years]].sum())
        (gains if sign > 0 else losses)[index[line.party]] += amount
    return gains, losses


def party_npv(agreement: Agreement, intervention: Intervention) -> np.ndarray:
    """Net present value (likely amounts) of one intervention for every party."""
    savings, costs = present_values(agreement, intervention)
    return cast("np.ndarray", savings - costs)


def _terms(agreement: Agreement) -> list[tuple[int, np.ndarray, float]]:
    """Per intervention: (bitmask of its partners, net gain per party, total net loss).

    Each party counts with its *net* result on the intervention: a member brings its net gain,
    an outsider is held harmless for its net loss (its losses minus its own gains there, never
    below zero). The gain of S is then sum over members of max(0, net) minus the net losses of
    everyone, members included, so a pair of lines that cancels for a party changes nothing.
    """
    index = {p: i for i, p in enumerate(agreement.parties)}
    terms = []
    for intervention in agreement.interventions:
        gains, losses = present_values(agreement, intervention)
        net = gains - losses
        required = sum(1 << index[p] for p in intervention.partners)
        terms.append((required, np.maximum(net, 0.0), float(np.maximum(-net, 0.0).sum())))
    return terms


def coalition_game(agreement: Agreement) -> Game:
    """The game v(S) defined in the module docstring, from the likely amounts."""
    n = len(agreement.parties)
    masks = np.arange(1 << n)
    values = np.zeros(1 << n)
    for required, savings, cost in _terms(agreement):
        gain = coalition_sums(savings) - cost
        feasible = (masks & required) == required
        values += np.where(feasible, np.maximum(gain, 0.0), 0.0)
    values[0] = 0.0
    return Game(agreement.parties, values)


def coalition_value(agreement: Agreement) -> Callable[[int], float]:
    """v(S) for one coalition bitmask, computed on demand (for partnerships too large to
    tabulate every coalition); the same rule as ``coalition_game``."""
    n = len(agreement.parties)
    terms = _terms(agreement)

    def value(mask: int) -> float:
        members = [i for i in range(n) if mask >> i & 1]
        total = 0.0
        for required, savings, cost in terms:
            if mask & required == required:
                total += max(0.0, float(savings[members].sum()) - cost)
        return total

    return value


def exact_shapley(agreement: Agreement) -> np.ndarray | None:
    """The exact Shapley value for any number of parties, one intervention at a time.

    v is the sum of one game per intervention, and the Shapley value is linear. In an
    intervention's game a party that is neither a partner nor saves anything is a null player
    (its costs are borne by every coalition alike), so each game needs only its partners and
    savers. None when some intervention has more than MAX_SHAPLEY_PLAYERS of those.
    """
    n = len(agreement.parties)
    phi = np.zeros(n)
    for required, savings, cost in _terms(agreement):
        relevant = [i for i in range(n) if required >> i & 1 or savings[i] > 0]
        if len(relevant) > MAX_SHAPLEY_PLAYERS:
            return None
        local = sum(1 << k for k, i in enumerate(relevant) if required >> i & 1)
        masks = np.arange(1 << len(relevant))
        gain = np.maximum(coalition_sums(savings[relevant]) - cost, 0.0)
        values = np.where((masks & local) == local, gain, 0.0)
        values[0] = 0.0
        phi[relevant] += shapley(Game(tuple(str(i) for i in relevant), values))
    return phi


def marginal_ranges(agreement: Agreement) -> np.ndarray:
    """How widely each party's marginal contribution can vary: v(N) - v(N - i) - v({i}).

    The coalition game is convex, so a party adds least to the empty coalition and most to all
    the others together; the Monte-Carlo bound of ``simultaneous_half_widths`` needs this width.
    """
    value, n = coalition_value(agreement), len(agreement.parties)
    grand = (1 << n) - 1
    total = value(grand)
    return np.array(
        [max(0.0, total - value(grand & ~(1 << i)) - value(1 << i)) for i in range(n)]
    )


def _large_allocation(
    agreement: Agreement, rule: str, case: BusinessCase, samples: int
) -> Allocation:
    """Allocation without the full game: proportional and equal rules exactly, Shapley exactly
    term by term where it can be, else by Monte-Carlo with a bound that holds for every party at
    once; the nucleolus and the core need every coalition."""
    parties = agreement.parties
    value = coalition_value(agreement)
    grand = value((1 << len(parties)) - 1)
    if rule == "shapley":
        exact = exact_shapley(agreement)
        if exact is not None:
            return Allocation(rule, parties, exact, None)
        estimate = shapley_monte_carlo(parties, value, samples=samples, seed=0)
        # rescale the tiny floating drift so the shares add up to v(N) exactly
        shares = estimate.values + (grand - estimate.values.sum()) / len(parties)
        bound = estimate.simultaneous_half_widths(marginal_ranges(agreement))
        return Allocation(rule, parties, shares, None, float(bound.max()))
    if rule == "nucleolus":
        raise GameError(
            f"the nucleolus needs every coalition; {len(parties)} parties is more than "
            f"{MAX_EXACT_PLAYERS}"
        )
    weights = {
        "proportional_investment": {p.party: p.pv_costs for p in case.parties},
        "proportional_savings": {p.party: p.pv_savings for p in case.parties},
    }
    if rule == "equal":
        shares = np.full(len(parties), grand / len(parties))
    elif rule in weights:
        w = np.array([weights[rule][p] for p in parties])
        if w.sum() <= 0:
            raise GameError(f"the total for {rule} is zero, so no proportional split exists")
        shares = grand * w / w.sum()
    else:
        raise GameError(f"unknown rule {rule!r}")
    return Allocation(rule, parties, shares, None)


def grand_plan(agreement: Agreement) -> list[Intervention]:
    """The interventions the whole partnership takes up: those with a positive total NPV."""
    return [i for i in agreement.interventions if party_npv(agreement, i).sum() > 0]


@dataclass(frozen=True)
class PartyCase:
    party: str
    costs: list[float]
    savings: list[float]
    net: list[float]
    """Per year: savings - costs + revenue."""
    cumulative: list[float]
    npv: float
    pv_costs: float
    pv_savings: float
    savings_by_stream: dict[str, float]
    revenue: list[float] = field(default_factory=list)
    """Per year: new revenue minus lost revenue."""
    pv_revenue: float = 0.0
    by_stream: dict[str, dict[str, float]] = field(default_factory=dict)
    """Present value per financing stream: what the party pays, saves and earns (revenue gained
    minus lost) from it; streams it has nothing in are left out."""

    @property
    def pv_losses(self) -> float:
        """Costs and lost revenue, in present value."""
        return self.pv_costs + max(0.0, -self.pv_revenue)

    @property
    def pv_gains(self) -> float:
        """Savings and new revenue, in present value."""
        return self.pv_savings + max(0.0, self.pv_revenue)


@dataclass(frozen=True)
class BusinessCase:
    years: tuple[int, ...]
    discount_rate: float
    plan: list[str]
    parties: list[PartyCase]
    total_npv: float
    streams: dict[str, float] = field(default_factory=dict)
    """Present value of savings per financing stream, all parties together."""

    @property
    def wrong_pocket(self) -> list[tuple[str, float, float, float]]:
        """(party, invests or loses, saves or earns, net) in present value: who invests and who
        saves. Net revenue counts on the side its sign puts it."""
        return [(p.party, p.pv_losses, p.pv_gains, p.npv) for p in self.parties]

    def stream_matrix(self) -> list[tuple[str, str, float, float, float]]:
        """(party, stream, pays, saves, earns) for every party and stream with any amount."""
        return [
            (p.party, s, cells["pays"], cells["saves"], cells["earns"])
            for p in self.parties
            for s, cells in p.by_stream.items()
        ]


def business_case(
    agreement: Agreement, interventions: Sequence[Intervention] | None = None
) -> BusinessCase:
    """Yearly cash flows, cumulative and NPV per party for a set of interventions (default: the
    grand plan), at likely amounts."""
    chosen = list(interventions) if interventions is not None else grand_plan(agreement)
    horizon = agreement.horizon
    factors = discount_factors(agreement)
    flows = {role: {p: np.zeros(horizon) for p in agreement.parties} for role in ROLES}
    matrix = {p: {s: dict.fromkeys(ROLES, 0.0) for s in STREAMS} for p in agreement.parties}
    for intervention in chosen:
        for line, sign, role in intervention.signed_lines():
            signed = _yearly(line, horizon, line.likely) * (sign if role == "earns" else 1.0)
            flows[role][line.party] += signed
            matrix[line.party][line.stream][role] += float((signed * factors).sum())
    costs, savings, revenue = flows["pays"], flows["saves"], flows["earns"]
    cases = []
    for party in agreement.parties:
        net = savings[party] - costs[party] + revenue[party]
        cases.append(
            PartyCase(
                party=party,
                costs=costs[party].tolist(),
                savings=savings[party].tolist(),
                net=net.tolist(),
                cumulative=np.cumsum(net).tolist(),
                npv=float((net * factors).sum()),
                pv_costs=float((costs[party] * factors).sum()),
                pv_savings=float((savings[party] * factors).sum()),
                savings_by_stream={
                    s: cells["saves"] for s, cells in matrix[party].items() if cells["saves"]
                },
                revenue=revenue[party].tolist(),
                pv_revenue=float((revenue[party] * factors).sum()),
                by_stream={
                    s: cells for s, cells in matrix[party].items() if any(cells.values())
                },
            )
        )
    streams = {s: sum(matrix[p][s]["saves"] for p in agreement.parties) for s in STREAMS}
    return BusinessCase(
        years=agreement.years,
        discount_rate=agreement.discount_rate,
        plan=[i.name for i in chosen],
        parties=cases,
        total_npv=sum(c.npv for c in cases),
        streams={s: v for s, v in streams.items() if v},
    )


@dataclass(frozen=True)
class Settlement:
    """An allocation rule applied to the agreement: shares, side payments and transfers."""

    allocation: Allocation
    own_npv: dict[str, float]
    """What each party ends with from the grand plan before side payments (present value)."""
    side_payments: dict[str, float]
    """Share minus own NPV: positive, the party receives that much on balance; negative, it
    pays. The side payments add up to zero."""
    transfers: list[Transfer]
    """Present-value transfers; at most n - 1 of them."""
    yearly_transfers: list[Transfer]
    """The same transfers as equal yearly amounts over the horizon (an annuity)."""

    @property
    def within_margin(self) -> list[bool]:
        """Per transfer: smaller than the sampling bound on the shares, so neither its amount
        nor whether it is needed at all is known; it is shown as "within the margin"."""
        bound = self.allocation.error_bound
        return [bound is not None and t.amount < bound for t in self.transfers]

    @property
    def final_positions(self) -> dict[str, float]:
        """What each party ends with: its own NPV plus its side payment (= its share)."""
        return {p: self.own_npv[p] + self.side_payments[p] for p in self.own_npv}


def settlement(
    agreement: Agreement,
    rule: str,
    game: Game | None = None,
    case: BusinessCase | None = None,
    *,
    samples: int = 4000,
) -> Settlement:
    """Allocation, side payments and transfers under ``rule``. Above MAX_EXACT_PLAYERS parties
    the Shapley value is sampled (see ``Allocation.error_bound``) and the core is not checked."""
    case = case if case is not None else business_case(agreement)
    if game is None and len(agreement.parties) > MAX_EXACT_PLAYERS:
        allocation = _large_allocation(agreement, rule, case, samples)
        grand_value = float(allocation.shares.sum())
    else:
        game = game if game is not None else coalition_game(agreement)
        grand_value = game.grand_value
        allocation = allocate(
            game,
            rule,
            investments={p.party: p.pv_costs for p in case.parties},
            savings={p.party: p.pv_savings for p in case.parties},
        )
    own = {p.party: p.npv for p in case.parties}
    shares = allocation.as_dict()
    side = {p: shares[p] - own[p] for p in agreement.parties}
    drift = sum(side.values())
    if abs(drift) > 1e-6 * max(1.0, abs(grand_value)):
        raise AssertionError(f"allocation and plan disagree by {drift}")
    largest = max(side, key=lambda p: abs(side[p]))
    side[largest] -= drift  # remove floating-point residue so the side payments sum to zero
    transfers = settle(side)
    annuity = annuity_factor(agreement)
    yearly = [Transfer(t.payer, t.payee, t.amount / annuity) for t in transfers]
    return Settlement(allocation, own, side, transfers, yearly)
