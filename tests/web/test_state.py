"""The page's session logic without a browser: settings, scenario files in and out, the odds."""

from __future__ import annotations

import gc
import re
import threading

import pandas as pd
import pytest

from sim.analysis.odds import Cancelled, Odds, TargetOdds
from sim.inputs.errors import InputError
from sim.inputs.scenario import load_scenario
from sim.paths import SCENARIOS_DIR
from sim.reference.lever_docs import lever_rows
from sim.web import state
from sim.web.levers_panel import slider_step
from sim.web.problems import PageError
from sim.web.state import (
    Settings,
    estimate_comparison,
    from_upload,
    lever_value,
    load_named,
    scenario_names,
    scenario_of,
    to_toml,
    with_lever,
)


def test_every_scenario_file_loads_as_settings():
    names = scenario_names()
    assert names[0] == "baseline" and "all_plans" in names
    for name in names:
        settings = load_named(name)
        assert scenario_of(settings).data.name == settings.name and not settings.edited


def test_a_lever_edit_changes_a_copy_and_validates():
    baseline = load_named("baseline")
    edited = with_lever(baseline, "levers.land.reclaim_rate", 0.2)
    assert scenario_of(edited).data.levers.land.reclaim_rate == 0.2
    assert lever_value(edited, "levers.land.reclaim_rate", 0.03) == 0.2
    assert lever_value(baseline, "levers.land.reclaim_rate", 0.03) == 0.03  # unset: the default
    assert "levers" not in baseline.raw


def test_edited_settings_do_not_claim_to_be_the_named_file():
    edited = with_lever(load_named("plan_09_land"), "levers.land.reclaim_rate", 0.2)
    assert edited.edited and edited.name == "plan_09_land"
    assert edited.file_name == "plan_09_land_edited.toml"
    assert scenario_of(edited).data.name == "plan_09_land (edited)"
    assert 'name = "plan_09_land (edited)"' in to_toml(edited)
    assert load_named("plan_09_land").file_name == "plan_09_land.toml"


def test_every_default_and_shipped_value_lies_on_its_sliders_grid():
    rows = lever_rows()
    values = {row["lever"]: [row["default"]] for row in rows}
    for name in scenario_names():
        for lever in values:
            value = lever_value(load_named(name), lever, None)
            if value is not None:
                values[lever].append(value)
    for row in rows:
        step = slider_step(row)
        for value in values[row["lever"]]:
            steps = (value - row["low"]) / step
            assert steps == pytest.approx(round(steps), abs=1e-6), (row["lever"], value, step)


def test_downloaded_toml_loads_back_unchanged(tmp_path):
    settings = with_lever(load_named("all_plans"), "levers.ai.industry_brain_clusters", 7)
    path = tmp_path / "mine.toml"
    path.write_text(to_toml(settings), encoding="utf-8")
    assert load_scenario(path).data == scenario_of(settings).data


def test_an_upload_may_extend_a_scenario_file():
    settings = from_upload(
        "mine.toml", b'extends = "baseline.toml"\n[levers.green]\nretrofit_subsidy_rate = 0.3\n'
    )
    assert settings.name == "mine"
    assert scenario_of(settings).data.levers.green.retrofit_subsidy_rate == 0.3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name = 'x'\n[levers.land\n", "mine.toml: not valid TOML"),
        (b"\xff\xfe", "mine.toml: sets no targets"),  # UTF-16 with nothing after its byte-order mark
        (b"name = '\x80'", "mine.toml: cannot be read as text"),
        (b"name = 'x'\n[levers.land]\nreclaim_rate = 7\n", "mine.toml: field 'levers.land.reclaim_rate' = 7"),
        (b"name = 'x'\n[levers.land]\nreclame_rate = 0.1\n", "unknown field 'levers.land.reclame_rate'"),
        (b"extends = 'nowhere.toml'\n", "field 'extends' = 'nowhere.toml'"),
        (b"extends = '../scenarios/baseline.toml'\n", "must name a file of scenarios/"),
        (b"extends = '/etc/passwd'\n", "must name a file of scenarios/"),
        (b"extends = ['baseline.toml']\n", "must name a file of scenarios/"),
        (
            b"extends = 'baseline.toml'\n[world]\nbase_year_file = 'nope.toml'\n",
            "field 'world.base_year_file' = 'nope.toml': must name a file of sim/data or scenarios/",
        ),
        (
            b"extends = 'baseline.toml'\n[world]\nbase_year_file = '/etc/hosts'\n",
            "field 'world.base_year_file' = '/etc/hosts'",
        ),
        (  # a base-year file that exists but does not fit: the loader's own check
            b"extends = 'baseline.toml'\n[world]\nbase_year_file = 'base_year_2020.toml'\n",
            "field 'run.first_year' = 2025: must be the year after the base year 2020",
        ),
    ],
)
def test_a_bad_upload_is_rejected_with_the_schemas_message(content, message):
    with pytest.raises(InputError, match=re.escape(message)):
        from_upload("mine.toml", content)


def fake_estimate_odds(scenario, replications=200, root_seed=1, *, on_progress=None, cancel=None):
    """estimate_odds's contract, quickly: progress from the calling thread, Cancelled when told."""
    for done in range(1, replications + 1):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        on_progress(done, replications)
    p = 0.9 if scenario.data.levers.attraction.extra_leads_per_year else 0.4
    targets = tuple(TargetOdds(t.year, t.threshold_yi, 0, 0, p, p, p) for t in scenario.data.targets)
    return Odds(scenario.name, targets, pd.DataFrame())


@pytest.fixture
def fake_odds(monkeypatch):
    monkeypatch.setattr(state, "estimate_odds", fake_estimate_odds)


def test_the_odds_of_the_settings_and_the_baseline_with_joint_progress(fake_odds):
    settings = with_lever(load_named("baseline"), "levers.attraction.extra_leads_per_year", 50.0)
    progress = []
    result = estimate_comparison(
        scenario_of(settings), 5, True, lambda *p: progress.append(p), threading.Event()
    )
    assert progress == [(k, 10) for k in range(1, 11)]
    assert result.settings.scenario == "baseline (edited)" and result.baseline.scenario == "baseline"
    assert [(year, ours.probability, theirs.probability) for year, _, ours, theirs in result.rows()] == [
        (2027, 0.9, 0.4),
        (2030, 0.9, 0.4),
    ]


def test_the_odds_without_the_baseline_and_cancelled(fake_odds):
    scenario = scenario_of(load_named("all_plans"))
    result = estimate_comparison(scenario, 3, False, lambda *_: None, threading.Event())
    assert result.baseline is None and all(theirs is None for *_, theirs in result.rows())
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        estimate_comparison(scenario, 3, True, lambda *_: None, cancel)


def test_every_lever_has_chinese_words():
    from sim.web.i18n import LEVERS_ZH, UNITS_ZH, lever_help, lever_label

    rows = lever_rows()
    assert {row["lever"] for row in rows} == set(LEVERS_ZH)
    for row in rows:
        assert row["unit"] in UNITS_ZH
        for lang in ("zh", "en"):
            assert lever_label(row, row["default"], lang) and lever_help(row, lang)


def test_the_baseline_is_not_run_again_for_the_baselines_settings(fake_odds):
    progress = []
    renamed = with_lever(load_named("baseline"), "levers.land.reclaim_rate", 0.03)  # its default
    result = estimate_comparison(
        scenario_of(renamed), 4, True, lambda *p: progress.append(p), threading.Event()
    )
    assert progress[-1] == (4, 4)  # the settings' runs only
    assert result.baseline.scenario == "baseline" and result.baseline.targets == result.settings.targets


def test_the_baseline_is_not_compared_on_other_targets(fake_odds):
    raw = {**load_named("baseline").raw, "targets": [{"year": 2027, "threshold_yi": 800.0}]}
    result = estimate_comparison(
        scenario_of(Settings("mine", raw)), 3, True, lambda *_: None, threading.Event()
    )
    assert result.baseline is None and result.other_targets


BASELINE_FILE = SCENARIOS_DIR / "baseline.toml"


def test_an_upload_with_a_byte_order_mark_or_in_gbk_loads():
    text = (
        "# 大足区：只加招商线索\n"
        + 'extends = "baseline.toml"\nname = "招商加码"\n[levers.attraction]\nextra_leads_per_year = 50\n'
    )
    for data in (
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("gbk"),
        text.encode("gb18030"),
        text.encode("utf-16"),
    ):
        settings = from_upload("mine.toml", data)
        assert (
            settings.name == "招商加码"
            and scenario_of(settings).data.levers.attraction.extra_leads_per_year == 50
        )


@pytest.mark.parametrize(
    ("content", "zh"),
    [
        (b"", "mine.toml：文件是空的"),
        (b"\xef\xbb\xbf\n  \n", "mine.toml：文件是空的"),
        (b"name = 'x'\n", "没有设定目标"),
        (
            b"extends = 'baseline.toml'\n[levers.attraction]\nextra_leads_per_year = 500\n",
            "字段 新增招商线索（levers.attraction.extra_leads_per_year） = 500："
            "不能大于 100；允许范围 0 – 100 条/年",
        ),
        (
            b"extends = 'baseline.toml'\n[levers.attraction]\nincentive_share = 0.9\n",
            "不能大于 20%；允许范围 0% – 20% 占投资",
        ),
        (
            b"extends = 'baseline.toml'\n[levers.land]\nreclame_rate = 0.1\n",
            "未知字段 'levers.land.reclame_rate'",
        ),
        (b"extends = 'baseline.toml'\nname = '\xf0\xa0\x80\x80'\n", "无法显示的字符"),
    ],
)
def test_a_refused_upload_says_why_in_chinese(content, zh):
    with pytest.raises(PageError) as refused:
        from_upload("mine.toml", content)
    assert zh in refused.value.in_language("zh"), refused.value.zh
    assert refused.value.in_language("en") == str(refused.value)


def test_a_downloaded_edit_uploaded_again_is_marked_edited_once():
    edited = with_lever(load_named("baseline"), "levers.attraction.extra_leads_per_year", 50)
    again = from_upload("baseline_edited.toml", to_toml(edited).encode("utf-8"))
    assert again.name == "baseline" and again.edited
    assert with_lever(again, "levers.attraction.extra_leads_per_year", 60).label == "baseline (edited)"


def test_the_hindcast_is_not_offered():
    assert "hindcast_2020" not in scenario_names()


def test_the_baseline_odds_are_computed_once_per_server(fake_odds):
    shared = state.SharedOdds()
    scenario = scenario_of(with_lever(load_named("baseline"), "levers.attraction.extra_leads_per_year", 50.0))
    first, second = [], []
    one = estimate_comparison(scenario, 5, True, lambda *p: first.append(p), threading.Event(), shared=shared)
    two = estimate_comparison(
        scenario, 5, True, lambda *p: second.append(p), threading.Event(), shared=shared
    )
    assert first[-1] == (10, 10) and second[-1] == (5, 5)  # the second session runs its settings only
    assert one.baseline is two.baseline
    other_seed = estimate_comparison(
        scenario, 5, True, lambda *_: None, threading.Event(), root_seed=2, shared=shared
    )
    assert other_seed.baseline is not one.baseline


def test_the_shared_baseline_odds_are_the_ones_a_session_computes():
    """Same replications, root seed and sample: the cache changes nothing but who computes."""
    baseline = load_scenario(BASELINE_FILE)
    shared = state.SharedOdds().get(baseline, 4, 1, lambda *_: None, threading.Event())
    own = state.estimate_odds(baseline, 4, 1)
    pd.testing.assert_frame_equal(shared.annual, own.annual)


def test_the_servers_warm_up_computes_the_first_pages_baseline_run_in_the_background():
    state.baseline_run.cache_clear()
    thread = state.warm_up()
    assert thread.daemon
    thread.join(timeout=120)
    assert state.baseline_run.cache_info().currsize == 1
    before = state.baseline_run.cache_info().hits
    warmed = state.baseline_run(state.FIRST_SEED)  # what the first visitor's page asks for
    assert state.baseline_run.cache_info().hits == before + 1
    assert warmed["year"].iloc[-1] == 2030


def test_the_server_freezes_its_objects_for_the_collector_only_once_warmed_up():
    """What the warm-up loads is the server's for life: frozen after it, not before."""
    from sim.web.server import freeze_after

    release = threading.Event()
    warm_up = threading.Thread(target=release.wait)
    warm_up.start()
    frozen_before = gc.get_freeze_count()
    try:
        freezing = freeze_after(warm_up)
        freezing.join(timeout=0.2)
        assert freezing.is_alive() and gc.get_freeze_count() == frozen_before  # waits for the warm-up
        release.set()
        freezing.join(timeout=30)
        assert not freezing.is_alive() and gc.get_freeze_count() > frozen_before
    finally:
        release.set()
        gc.unfreeze()  # the rest of the test session collects as before
