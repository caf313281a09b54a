"""`policy diff` tells which changes are material: the basis for re-asking consent."""

import copy

from pledge.policy.diff import policy_diff
from pledge.policy.loader import validate_policy


def changed(raw, edit):
    new = copy.deepcopy(raw)
    edit(new)
    return policy_diff(validate_policy(raw), validate_policy(new))


def purpose(raw, purpose_id):
    return next(p for p in raw["purposes"] if p["id"] == purpose_id)


def test_same_policy_has_no_changes(raw_policy):
    assert changed(raw_policy, lambda new: None) == []


def test_longer_retention_is_material(raw_policy):
    def longer(new):
        purpose(new, "communication")["retention"]["duration"] = 12

    (change,) = changed(raw_policy, longer)
    assert change.material
    assert (change.kind, change.item) == ("retention", "communication")
    assert "longer" in change.description


def test_shorter_retention_is_not_material(raw_policy):
    def shorter(new):
        purpose(new, "communication")["retention"]["duration"] = 3

    (change,) = changed(raw_policy, shorter)
    assert not change.material
    assert "shorter" in change.description


def test_same_period_in_another_unit_is_no_change_in_length(raw_policy):
    def in_days(new):
        purpose(new, "reviews")["retention"] = {
            "after": "order_delivered",
            "duration": 30,
            "unit": "days",
            "note": {"nl": "x", "en": "x"},
        }

    (change,) = changed(raw_policy, in_days)
    assert not change.material


def test_new_recipient_is_material(raw_policy):
    def add_carrier(new):
        carrier = dict(new["recipients"][0], id="dhl", name="DHL Parcel")
        new["recipients"].append(carrier)

    (change,) = changed(raw_policy, add_carrier)
    assert (change.kind, change.item, change.material) == ("recipient", "dhl", True)


def test_changed_legal_basis_is_material(raw_policy):
    def to_legitimate_interest(new):
        p = purpose(new, "newsletter")
        p["legal_basis"] = "legitimate_interests"
        p["legitimate_interest"] = {"nl": "Klanten", "en": "Customers"}

    changes = changed(raw_policy, to_legitimate_interest)
    assert any(
        c.material and "legal basis consent -> legitimate_interests" in c.description
        for c in changes
    )


def test_new_vendor_and_wording_change_are_told_apart(raw_policy):
    def edit(new):
        new["vendors"].append(dict(new["vendors"][0], id="hotjar", name="Hotjar"))
        purpose(new, "account")["description"]["en"] = "Clearer words."

    changes = {(c.kind, c.item): c.material for c in changed(raw_policy, edit)}
    assert changes == {("vendor", "hotjar"): True, ("purpose", "account"): False}


def test_longer_cookie_lifetime_is_material(raw_policy):
    def edit(new):
        next(c for c in new["cookies"] if c["name"] == "_fbp")["lifetime"]["duration"] = 6

    (change,) = changed(raw_policy, edit)
    assert (change.item, change.material) == ("_fbp", True)


def test_removing_a_purpose_is_not_material(raw_policy):
    def drop_reviews(new):
        new["purposes"] = [p for p in new["purposes"] if p["id"] != "reviews"]
        new["recipients"] = [r for r in new["recipients"] if r["id"] != "kiyoh"]
        for role in new["roles"]:
            role["purposes"] = [p for p in role["purposes"] if p != "reviews"]

    changes = changed(raw_policy, drop_reviews)
    assert {(c.kind, c.item) for c in changes} == {("purpose", "reviews"), ("recipient", "kiyoh")}
    assert not any(c.material for c in changes)
