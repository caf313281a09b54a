"""The shop's data for a disclosure to an authority (partners' back-office screen).

partners asks each category's registered source for ONE person's data when the privacy officer
ticks it; the shop answers for the two categories only it holds, from its selectors, as plain
data (no model instances leave the app). The values are those of exactly that subject: there is
no function over several people (the authority screen's "no bulk export" rule).
"""

import uuid

from pledge.partners.sources import category_source

from .selectors import payments_for_subject, purchase_history_for_subject


@category_source("user.behavior.purchase_history")
def purchase_history_of(subject_id: uuid.UUID) -> list[dict]:
    return purchase_history_for_subject(subject_id=subject_id)


@category_source("user.payment")
def payments_of(subject_id: uuid.UUID) -> list[dict]:
    return payments_for_subject(subject_id=subject_id)
