"""The VAT contained in consumer prices, per rate: one computation for cart, checkout, mails
and invoices, so they never differ by a cent.

Prices include VAT (BW 7:5). The VAT is summed per rate and rounded once per rate, half up,
over the rate's total including VAT (art. 35a Wet OB asks for the VAT per rate), not per line.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import VAT_PERCENTAGES, VatRate

CENT = Decimal("0.01")


def vat_percentage(vat_rate: str) -> Decimal:
    return VAT_PERCENTAGES[VatRate(vat_rate)]


def vat_included(amount: Decimal, vat_rate: str) -> Decimal:
    """The VAT contained in an amount that includes VAT at ``vat_rate``, to the cent."""
    percentage = vat_percentage(vat_rate)
    return (Decimal(amount) * percentage / (100 + percentage)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class VatLine:
    """The VAT contained in the amounts charged at one rate."""

    rate: str
    gross: Decimal
    vat: Decimal

    @property
    def percentage(self) -> Decimal:
        return vat_percentage(self.rate)

    @property
    def label(self) -> str:
        return VatRate(self.rate).label


def vat_breakdown(amounts: Iterable[tuple[str, Decimal]]) -> tuple[VatLine, ...]:
    """VAT per rate for (rate, amount incl. VAT) pairs, the highest rate first."""
    gross: dict[str, Decimal] = {}
    for rate, amount in amounts:
        gross[rate] = gross.get(rate, Decimal("0.00")) + amount
    return tuple(
        VatLine(rate=rate, gross=gross[rate], vat=vat_included(gross[rate], rate))
        for rate in sorted(gross, key=lambda rate: -vat_percentage(rate))
    )
