"""Escalation rules on hand-built daily series: each rule can be made to fire and to stay quiet."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from flashpoint.analysis.escalation import (
    DyadSeries,
    EscalationRules,
    change_points,
    detect,
    label_period,
    label_periods,
)
from flashpoint.errors import DataFileError

START = np.datetime64("2021-03-01")


@pytest.fixture(scope="module")
def rules() -> EscalationRules:
    return EscalationRules.load()


def steady(level: float, n: int, wobble: float = 0.05) -> np.ndarray:
    """A quiet series around ``level`` (±wobble, deterministic) so the baseline is ``level``."""
    return level * (1 + wobble * np.tile([-1.0, 1.0, 0.0, 0.5, -0.5], n // 5 + 1)[:n])


def daily(conflict, cooperation=None, items=None, key: str = "AAA-BBB") -> DyadSeries:
    channels = {"conflict": np.asarray(conflict, dtype=float)}
    if cooperation is not None:
        channels["cooperation"] = np.asarray(cooperation, dtype=float)
    return DyadSeries(key, START + np.arange(len(conflict)), channels, items)


def with_spike(base: np.ndarray, at: int, value: float) -> np.ndarray:
    out = base.copy()
    out[at] = value
    return out


# -- rules file ---------------------------------------------------------------------------


def test_shipped_rules_load(rules):
    assert rules.baseline_periods == 28 and rules.ratio == 3.0 and rules.tail_fit == "robust"
    assert {"conflict", "cooperation", "count"} <= set(rules.channels)


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.replace("[alert]", "[alert"),  # not TOML
        lambda s: s.replace("ratio = 3.0", ""),  # a missing key
        lambda s: s.replace("ratio = 3.0", "ratio = 0.5"),  # a meaningless value
        lambda s: s.replace('tail_fit = "robust"', 'tail_fit = "magic"'),
    ],
)
def test_bad_rules_file_raises(tmp_path, edit):
    from importlib import resources

    text = (resources.files("flashpoint") / "data" / "analysis" / "escalation.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(edit(text), encoding="utf-8")
    with pytest.raises(DataFileError):
        EscalationRules.load(bad)


def test_missing_rules_file_raises(tmp_path):
    with pytest.raises(DataFileError):
        EscalationRules.load(tmp_path / "nope.toml")


# -- surge ratio --------------------------------------------------------------------------


def test_surge_fires_and_states_its_numbers(rules):
    alerts = detect(daily(with_spike(steady(20, 60), 40, 300)), rules)
    assert [a.period for a in alerts] == [str(START + 40)]
    a = alerts[0]
    assert a.measure.baseline == pytest.approx(20, rel=0.06)
    assert a.measure.ratio == pytest.approx(300 / a.measure.baseline)
    assert "conflict 300 vs baseline 20" in a.rule
    assert "ratio 15" in a.rule and "≥ 3" in a.rule
    assert "tail p=" in a.rule and "≤ 0.0001" in a.rule
    assert len(a.baseline_periods) == 28 and a.baseline_periods[-1] == str(START + 39)


def test_surge_below_the_ratio_is_quiet_until_the_ratio_is_lowered(rules):
    # 300 against a baseline of 110: ratio 2.7, under 3 — yet a clear rise.
    series = daily(with_spike(steady(110, 60, wobble=0.01), 40, 300))
    assert detect(series, rules) == []
    assert [a.index for a in detect(series, replace(rules, ratio=2.5))] == [40]


# -- low-baseline guard -------------------------------------------------------------------


def test_low_baseline_guard_suppresses_a_small_surge(rules):
    # baseline 1 (0 and 2 alternate), then 60: ratio 60, above the floor of 50, tail tiny —
    # but a baseline of 1 is not a baseline, and 60 is not a high level.
    base = np.tile([0.0, 2.0], 30)
    series = daily(with_spike(base, 40, 60))
    assert detect(series, rules) == []
    no_guard = replace(
        rules, channels={**rules.channels, "conflict": replace(rules.channels["conflict"], baseline_floor=0.0)}
    )
    assert [a.index for a in detect(series, no_guard)] == [40]


def test_low_baseline_guard_lets_a_high_level_through(rules):
    alerts = detect(daily(with_spike(np.tile([0.0, 2.0], 30), 40, 300)), rules)
    assert [a.index for a in alerts] == [40]
    assert "value 300 ≥ high level 250" in alerts[0].rule


def test_floor_applies_whatever_the_ratio(rules):
    # baseline 12 (≥ the baseline floor 10), value 45: ratio 3.75 but under the floor of 50
    assert detect(daily(with_spike(steady(12, 60, wobble=0.0), 40, 45)), rules) == []


# -- missing days are missing -------------------------------------------------------------


def test_missing_days_are_skipped_not_zero(rules):
    # 200 a day, then 20 missing days, then 500: against the present days, ratio 2.5 — quiet.
    values = steady(200, 60, wobble=0.02)
    values[30:50] = np.nan
    values[50] = 500
    assert detect(daily(values), rules) == []
    # Read as zeros, the same days would drag the baseline to 0 and fake an alert.
    assert [a.index for a in detect(daily(np.nan_to_num(values)), rules)] == [50]


def test_baseline_rests_on_present_days_only(rules):
    values = with_spike(steady(20, 60), 55, 300)
    values[40:50] = np.nan
    (alert,) = detect(daily(values), rules)
    assert alert.measure.baseline_count == 28
    missing = {str(START + k) for k in range(40, 50)}
    assert not missing & set(alert.baseline_periods)
    assert alert.baseline_periods[0] == str(START + 17)  # 28 present days back, over the gap


def test_a_missing_period_is_no_data(rules):
    values = steady(20, 40)
    values[35] = np.nan
    assert label_period(daily(values), 35, rules).label == "no data"
    assert label_period(daily(values), 5, rules).label == "no data"  # too little history


def test_observations_fill_gaps_with_missing():
    days = [START, START + 1, START + 3]
    s = DyadSeries.from_observations("A-B", days, {"conflict": [1.0, 0.0, 2.0]}, items=[["e1"], [], ["e2", "e3"]])
    assert len(s) == 4 and np.isnan(s.channels["conflict"][2]) and s.channels["conflict"][1] == 0.0
    assert s.items == (("e1",), (), (), ("e2", "e3"))


# -- tail test ----------------------------------------------------------------------------


def test_tail_test_quiets_a_surge_on_a_wild_dyad(rules):
    # median 100 but the dyad swings between 20 and 180 daily: 350 (ratio 3.5) is ordinary.
    wild = with_spike(np.tile([20.0, 180.0, 100.0], 20), 40, 350)
    assert detect(daily(wild), rules) == []
    (m,) = [x for x in label_period(daily(wild), 40, rules).measures if x.channel == "conflict"]
    assert m.ratio >= 3 and m.p_tail > rules.tail_p
    # the same 350 on a steady dyad with the same median is a tail event
    calm = daily(with_spike(steady(100, 60, wobble=0.02), 40, 350))
    (alert,) = detect(calm, rules)
    assert alert.measure.p_tail < 1e-8


def test_moments_fit_is_widened_by_an_earlier_spike(rules):
    # one earlier spike in the window: the robust fit ignores it, the moment fit does not
    values = steady(40, 60, wobble=0.05)
    values[25] = 2000
    values[45] = 400
    assert [a.index for a in detect(daily(values), rules) if a.index == 45] == [45]
    assert [a.index for a in detect(daily(values), replace(rules, tail_fit="moments")) if a.index == 45] == []


# -- cooldown -----------------------------------------------------------------------------


def test_cooldown_makes_one_crisis_one_alert(rules):
    values = steady(20, 100)
    values[40:46] = [300, 280, 320, 310, 290, 330]  # a week-long crisis
    values[75] = 300  # a new one, after four quiet weeks
    assert [a.index for a in detect(daily(values), rules)] == [40, 75]
    no_cooldown = replace(rules, cooldown=0)
    assert len(detect(daily(values), no_cooldown)) > 2


def test_a_further_surge_inside_an_episode_is_a_new_alert(rules):
    values = steady(20, 60)
    values[40:44] = [300, 280, 320, 2000]  # 2000 ≥ 3 × 320, the episode's highest so far
    alerts = detect(daily(values), rules)
    assert [a.index for a in alerts] == [40, 43]
    assert "escalation within an episode" in alerts[1].rule and "3 × 320" in alerts[1].rule


def test_alert_carries_the_items_of_its_period(rules):
    values = with_spike(steady(20, 60), 40, 300)
    items = [(f"ev{k}",) for k in range(60)]
    (alert,) = detect(daily(values, items=items), rules)
    assert alert.item_ids == ("ev40",)
    json.dumps(alert.to_dict())  # plain JSON, with the numbers


# -- labels -------------------------------------------------------------------------------


def test_labels(rules):
    conflict = steady(100, 60, wobble=0.02)
    conflict[40] = 180  # ×1.8: worse, but no surge
    conflict[42] = 800  # a surge
    conflict[44] = 105  # as usual
    conflict[46] = 40  # well under: improved
    conflict[48] = 250  # ×2.5, a big rise — but under the surge ratio of 3
    series = daily(conflict)
    labels = {t: label_period(series, t, rules) for t in (40, 42, 44, 46, 48)}
    assert labels[40].label == "deteriorated" and "conflict 180 vs baseline 100" in labels[40].rule
    assert "ratio 1.8 ≥ 1.5" in labels[40].rule
    assert labels[42].label == "risk alert" and "ratio 8 ≥ 3" in labels[42].rule
    assert labels[44].label == "unchanged" and "conflict 105 vs baseline 100.5 (ratio 1.04)" in labels[44].rule
    assert labels[46].label == "improved" and "conflict 40 vs baseline 100.5, ratio 0.398 ≤ 1/1.5" in labels[46].rule
    assert labels[48].label == "deteriorated"


def test_a_drop_from_a_small_baseline_is_not_an_improvement(rules):
    # 40 → 15 is "less than half", but 40 is under the floor of 50: noise, not peace
    conflict = steady(40, 60, wobble=0.02)
    conflict[46] = 15
    assert label_period(daily(conflict), 46, rules).label == "unchanged"


def test_cooperation_moves_the_label(rules):
    conflict = steady(40, 60, wobble=0.02)
    cooperation = steady(100, 60, wobble=0.02)
    cooperation[40] = 250  # cooperation up, conflict as usual
    cooperation[42] = 30  # cooperation collapses
    series = daily(conflict, cooperation)
    up, down = label_period(series, 40, rules), label_period(series, 42, rules)
    assert up.label == "improved" and "cooperation 250 vs baseline 100" in up.rule
    assert down.label == "deteriorated" and "cooperation 30" in down.rule
    assert [lab.label for lab in label_periods(series, rules)][40] == "improved"


def test_labels_use_only_the_four_verdicts_and_no_data(rules):
    values = steady(100, 80)
    values[[30, 50, 60]] = [np.nan, 800, 10]
    got = {lab.label for lab in label_periods(daily(values), rules)}
    assert got <= {"risk alert", "deteriorated", "improved", "unchanged", "no data"}
    assert {"risk alert", "improved", "unchanged", "no data"} <= got


# -- change points ------------------------------------------------------------------------


def test_change_point_on_a_step(rules):
    values = np.r_[steady(10, 140, wobble=0.3), steady(200, 140, wobble=0.3)]
    (cp,) = change_points(daily(values), rules)
    assert cp.period == str(START + 140) and cp.direction == "up"
    assert cp.before == pytest.approx(70, rel=0.1) and cp.after == pytest.approx(1400, rel=0.1)
    assert cp.phase_before == (str(START), str(START + 133))
    assert "69.95 → 1399 per 7-day period" in cp.rule
    json.dumps(cp.to_dict())


def test_no_change_point_on_a_flat_series(rules):
    assert change_points(daily(steady(50, 280, wobble=0.3)), rules) == []


def test_change_points_skip_missing_weeks(rules):
    values = np.r_[steady(10, 140, wobble=0.3), steady(200, 140, wobble=0.3)]
    values[150:170] = np.nan  # the new phase starts, then the feed fails for three weeks
    (cp,) = change_points(daily(values), rules)
    assert cp.period == str(START + 140)


def test_tails_are_computed_once_per_channel_of_a_series(rules, monkeypatch):
    """Alerts, the changed-period screen and the labels each refitted the tail model of every
    channel (five fits for two channels); the baseline now keeps what was derived from it."""
    from flashpoint.analysis import escalation as esc

    fits: list[int] = []
    real = esc._tail
    monkeypatch.setattr(esc, "_tail", lambda *a, **k: fits.append(1) or real(*a, **k))
    series = daily(with_spike(steady(10.0, 120), 100, 60.0), steady(4.0, 120))
    bases = esc.baselines(series, rules)
    alerts = esc.detect(series, rules, bases)
    changed = esc.changed_periods(series, rules, bases)
    assert alerts and changed  # the spike is found …
    assert len(fits) == len(bases) == 2  # … with one tail fit per channel
    assert [lab.to_dict() for lab in changed] == [
        lab.to_dict() for lab in esc.changed_periods(series, rules, esc.baselines(series, rules))]
