"""The payload builder: the only way personal data is put into a message to a partner.

Each field maps to one policy data category. A field goes into a payload only when the policy
declares its category for that recipient AND for the purpose of the message, and the recipient
is declared for that purpose (Art. 5(1)(b) and (c): purpose limitation, data minimisation).
Anything else raises ``PayloadRefused``: an undeclared disclosure cannot be coded by mistake,
it needs a change to the policy, which is reviewed and published.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pledge.policy.schema import Policy, UnknownPolicyId
from pledge.policy.selectors import current_policy

# The field vocabulary agreed with the shop (src/pledge/partners/README.md, "Field vocabulary").
FIELD_CATEGORIES: Mapping[str, str] = {
    "first_name": "user.name.first",
    "last_name": "user.name.last",
    "email": "user.contact.email",
    "phone": "user.contact.phone_number",
    "address": "user.contact.address",
    "lines": "user.behavior.purchase_history",
    "amount": "user.payment",
    "print_file": "user.content.private",
}
ADDRESS_KEYS = ("name", "street", "house_number", "postal_code", "city", "country")
LINE_KEYS = ("name", "quantity", "sku")
MAX_TEXT = 1000


class PayloadRefused(ValueError):
    """The payload would disclose what the policy does not declare. Names fields, never values."""


@dataclass(frozen=True)
class Payload:
    recipient_id: str
    purpose_id: str
    reference: str
    fields: dict = field(default_factory=dict)

    @property
    def categories(self) -> tuple[str, ...]:
        """The data categories this payload discloses, in the vocabulary's order."""
        return tuple(dict.fromkeys(FIELD_CATEGORIES[name] for name in self.fields))

    def only(self, names) -> "Payload":
        """The same payload without the fields an adapter does not send."""
        kept = {name: value for name, value in self.fields.items() if name in names}
        return Payload(self.recipient_id, self.purpose_id, self.reference, kept)

    def as_json(self) -> dict:
        return {"reference": self.reference, "purpose": self.purpose_id, "fields": self.fields}


def allowed_fields(*, recipient_id: str, purpose_id: str, policy: Policy | None = None) -> set:
    """The field names the policy lets this recipient receive for this purpose."""
    policy = policy or current_policy()
    recipient, purpose = _declared(recipient_id, purpose_id, policy)
    shared = set(recipient.data_categories) & set(purpose.data_categories)
    return {name for name, category in FIELD_CATEGORIES.items() if category in shared}


def payload_build(
    *,
    recipient_id: str,
    purpose_id: str,
    reference: str,
    fields: Mapping,
    policy: Policy | None = None,
) -> Payload:
    """Check every field against the policy and return the payload; ``PayloadRefused`` if not.

    Empty values (None, "") are left out, so they are not recorded as disclosed.
    """
    policy = policy or current_policy()
    reference = str(reference or "").strip()
    if not reference or len(reference) > 64:
        raise PayloadRefused("a message needs a reference (the order number) of 1-64 characters")
    unknown = sorted(set(fields) - set(FIELD_CATEGORIES))
    if unknown:
        raise PayloadRefused(f"unknown payload fields: {', '.join(unknown)}")
    allowed = allowed_fields(recipient_id=recipient_id, purpose_id=purpose_id, policy=policy)
    refused = sorted(set(fields) - allowed)
    if refused:
        raise PayloadRefused(
            f"the policy does not declare {', '.join(refused)} "
            f"({', '.join(FIELD_CATEGORIES[name] for name in refused)}) for recipient "
            f"{recipient_id!r} and purpose {purpose_id!r}"
        )
    cleaned = {}
    for name in FIELD_CATEGORIES:  # a stable order
        value = fields.get(name)
        if value is None or value == "" or value == [] or value == {}:
            continue
        cleaned[name] = _clean(name, value)
    return Payload(recipient_id, purpose_id, reference, cleaned)


def _declared(recipient_id: str, purpose_id: str, policy: Policy):
    try:
        recipient = policy.recipient(recipient_id)
        purpose = policy.purpose(purpose_id)
    except UnknownPolicyId as error:
        raise PayloadRefused(str(error)) from None
    if purpose_id not in recipient.purposes:
        raise PayloadRefused(f"recipient {recipient_id!r} is not declared for {purpose_id!r}")
    return recipient, purpose


def _text(name: str, value) -> str:
    if not isinstance(value, str | int):
        raise PayloadRefused(f"{name} must be text")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise PayloadRefused(f"{name} is too long")
    return text


def _clean(name: str, value):
    if name == "address":
        if not isinstance(value, Mapping) or set(value) - set(ADDRESS_KEYS):
            raise PayloadRefused(f"address takes only {', '.join(ADDRESS_KEYS)}")
        return {key: _text(f"address.{key}", value.get(key, "")) for key in ADDRESS_KEYS}
    if name == "lines":
        if not isinstance(value, list | tuple):
            raise PayloadRefused("lines must be a list")
        lines = []
        for line in value:
            if not isinstance(line, Mapping) or set(line) - set(LINE_KEYS):
                raise PayloadRefused(f"each line takes only {', '.join(LINE_KEYS)}")
            quantity = line.get("quantity", 1)
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
                raise PayloadRefused("a line's quantity must be a positive whole number")
            lines.append(
                {
                    "name": _text("lines.name", line.get("name", "")),
                    "quantity": quantity,
                    "sku": _text("lines.sku", line.get("sku", "")),
                }
            )
        return lines
    if name == "amount":
        try:
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise PayloadRefused("amount must be a decimal number") from None
        if amount < 0:
            raise PayloadRefused("amount must not be negative")
        return str(amount)  # JSON keeps it exact as text
    return _text(name, value)
