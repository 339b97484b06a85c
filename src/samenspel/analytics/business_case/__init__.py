"""Multi-year business case per party, wrong-pocket view, coalition values and Monte-Carlo."""

from .evaluate import (
    BusinessCase,
    PartyCase,
    Settlement,
    business_case,
    coalition_game,
    settlement,
)
from .model import (
    STREAMS,
    Agreement,
    AgreementError,
    Intervention,
    Line,
    parse_agreement,
)
from .uncertainty import RuleRisk, simulate

__all__ = [
    "STREAMS",
    "Agreement",
    "AgreementError",
    "BusinessCase",
    "Intervention",
    "Line",
    "PartyCase",
    "RuleRisk",
    "Settlement",
    "business_case",
    "coalition_game",
    "parse_agreement",
    "settlement",
    "simulate",
]
