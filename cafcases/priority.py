"""The priority of a case: one documented function, recomputed on every move and by `refresh_cases`.

Score from 0 to 100, the sum of four parts:

- Benefits at risk, up to 45. Benefits that are not retroactive weigh most, since every week lost is money lost:
  RSA (due from the month of the claim), the birth grant (to be declared within 14 weeks), housing aid (due from the
  month after the conditions are met); then the activity bonus and the childcare supplement; the Christmas bonus and
  others least.
- The next deadline, up to 30: overdue 30, within 7 days 22, within 14 days 15, within 30 days 8.
- Days waiting since the case opened, up to 15: one point per 12 days.
- Vulnerability, up to 10: refugee or asylum seeker 5, a person who cannot be reached by phone 5.

Bands: high from 60, medium from 30 (``cafcases.models.cases.PRIORITY_BANDS``).
"""

from cafcases.models.cases import Benefit, Track

BENEFIT_WEIGHTS = {
    Benefit.RSA: 25,
    Benefit.BIRTH_GRANT: 25,
    Benefit.HOUSING_AID: 20,
    Benefit.ACTIVITY_BONUS: 10,
    Benefit.CHILDCARE_SUPPLEMENT: 10,
    Benefit.CHRISTMAS_BONUS: 3,
    Benefit.OTHER: 3,
}
BENEFITS_CAP = 45
DEADLINE_STEPS = [(0, 30), (7, 22), (14, 15), (30, 8)]  # (days left at most, points); below 0 is overdue
WAITING_DAYS_PER_POINT = 12
WAITING_CAP = 15


def compute_priority(*, benefits, track, unreachable, next_deadline, opened_on, today):
    """The case's priority score (0–100); pure, so that it is tested with plain dates."""
    score = min(BENEFITS_CAP, sum(BENEFIT_WEIGHTS.get(code, 0) for code in set(benefits)))
    if next_deadline is not None:
        days_left = (next_deadline - today).days
        for limit, points in DEADLINE_STEPS:
            if days_left < 0 or days_left <= limit:
                score += points
                break
    score += min(WAITING_CAP, max(0, (today - opened_on).days) // WAITING_DAYS_PER_POINT)
    if track in (Track.REFUGEE, Track.ASYLUM_SEEKER):
        score += 5
    if unreachable:
        score += 5
    return min(100, score)
