"""The web page in a real browser (headless Chromium), against `python -m sim web`."""

from __future__ import annotations

import re

import pytest

from sim.inputs.scenario import load_scenario
from sim.web.state import load_named, scenario_of
from tests.web.conftest import Traffic

pytestmark = pytest.mark.browser

EXPECT_SECONDS = 60


def expect(locator):
    """Playwright's expect, patient: two cores are shared with the model runs behind the page."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=EXPECT_SECONDS * 1000)
    return playwright_expect(locator)


def run_to_the_end(page, previous: str = "") -> str:
    """Press Run and wait for the end of the horizon; returns the run's summary line."""
    summary = page.locator(".run-summary")
    page.locator("button.run").click()
    expect(summary).not_to_have_text(previous)
    expect(summary).to_contain_text("2030 季度 4")
    expect(page.locator("button.run")).to_be_enabled()
    return summary.inner_text()


def output_2030(summary: str) -> float:
    return float(re.search(r"2030: ([\d,.]+)", summary)[1].replace(",", ""))


def pick_scenario(page, name: str) -> None:
    page.locator(".v-select").first.click()
    page.locator(".v-menu__content .v-list-item", has_text=re.compile(f"^{name}$")).click()
    expect(page.locator(".scenario-name")).to_have_text(f"情景: {name}")


def test_the_page_loads_offline(page, traffic):
    expect(page.locator(".page-title")).to_have_text("大足区工业“2+10”行动方案模拟")
    expect(page.locator(".v-expansion-panel")).to_have_count(11)  # ten plans and the task forces
    assert any("/_solara/cdn/" in url and url.endswith(".css") for url in traffic.local_assets)
    assert all(url.startswith("http://127.0.0.1") for url in traffic.local_assets)


def test_moving_a_lever_and_running_changes_the_output_chart(page):
    before = run_to_the_end(page)
    chart_before = page.locator(".run-charts img").first.screenshot()
    move_the_leads_lever(page)
    expect(page.locator(".v-alert", has_text="已更改：点击")).to_be_visible()
    after = run_to_the_end(page, before)
    assert output_2030(after) > output_2030(before), "more investment leads should raise output here"
    assert page.locator(".run-charts img").first.screenshot() != chart_before


def test_all_plans_odds_show_two_probabilities_with_intervals(page):
    pick_scenario(page, "all_plans")
    page.locator("button.estimate").click()  # the default 200 runs: cancelled below
    expect(page.locator(".progress")).to_contain_text("/ 400")
    page.locator("button.step").click()  # the page answers while the batch runs
    expect(page.locator(".run-summary")).to_contain_text("2025 季度 1")
    page.locator("button.cancel").click()
    expect(page.get_by_text("已取消")).to_be_visible()
    replications = page.locator(".replications input")
    replications.fill("20")
    replications.press("Enter")
    page.locator("button.estimate").click()
    expect(page.locator(".progress")).to_be_visible()
    result = page.locator(".odds-result")
    expect(result).to_be_visible(timeout=120_000)
    text = result.inner_text()
    assert "all_plans, 20 次" in text
    rows = [line for line in text.splitlines() if line.startswith(("2027", "2030"))]
    interval = r"\d+% \[\d+%, \d+%\]"
    assert len(rows) == 2 and all(len(re.findall(interval, row)) == 2 for row in rows), text


def test_a_malformed_upload_shows_the_error_and_the_page_still_works(page):
    upload = page.locator(".toml-upload input[type=file]")
    upload.set_input_files(
        files=[{"name": "broken.toml", "mimeType": "text/plain", "buffer": b"[levers.land\n"}]
    )
    expect(page.locator(".upload-message")).to_contain_text("broken.toml: not valid TOML")
    invalid = b'name = "mine"\n[levers.land]\nreclaim_rate = 7\n'
    upload.set_input_files(files=[{"name": "mine.toml", "mimeType": "text/plain", "buffer": invalid}])
    expect(page.locator(".upload-message")).to_contain_text("field 'levers.land.reclaim_rate' = 7")
    other_base = b'extends = "baseline.toml"\n[world]\nbase_year_file = "base_year_2020.toml"\n'
    upload.set_input_files(files=[{"name": "old.toml", "mimeType": "text/plain", "buffer": other_base}])
    expect(page.locator(".upload-message")).to_contain_text("must be the year after the base year 2020")
    latin1 = b'name = "caf\xe9"\n'
    upload.set_input_files(files=[{"name": "latin1.toml", "mimeType": "text/plain", "buffer": latin1}])
    expect(page.locator(".upload-message")).to_contain_text("latin1.toml: not valid TOML")
    expect(page.locator(".scenario-name")).to_have_text("情景: baseline")
    page.locator("button.step").click()
    expect(page.locator(".run-summary")).to_contain_text("2025 季度 1")


def test_the_downloaded_settings_load_back(page, tmp_path):
    pick_scenario(page, "plan_09_land")
    with page.expect_download() as download:
        page.get_by_text("下载当前设置（TOML）").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "plan_09_land.toml"
    assert load_scenario(path).data == scenario_of(load_named("plan_09_land")).data


def move_the_leads_lever(page) -> str:
    """Move the extra-leads slider near its top; returns its new value as the label shows it."""
    page.get_by_text("计划 6：招商引资促进高质量行动计划").click()
    lever = page.locator(".lever-levers-attraction-extra_leads_per_year")
    slider = lever.locator(".v-slider")
    slider.wait_for(state="visible")
    box = slider.bounding_box()
    # Playwright's click waits until the panel has stopped opening; the position is within the slider.
    slider.click(position={"x": box["width"] * 0.95, "y": box["height"] / 2})
    expect(page.locator(".scenario-name")).to_contain_text("已修改")
    # The label redraws after the name on a loaded machine: wait until it leaves the default 0.
    expect(lever).to_contain_text(re.compile(r"新增招商线索：[1-9]"))
    return re.search(r"新增招商线索：([\d.]+)", lever.inner_text())[1]


def test_switching_language_changes_the_labels_and_keeps_the_settings_and_run(page):
    expect(page.get_by_text("政策杠杆", exact=True)).to_be_visible()
    leads = move_the_leads_lever(page)
    page.locator("button.step").click()
    expect(page.locator(".run-summary")).to_contain_text("2025 季度 1")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("Levers", exact=True)).to_be_visible()
    expect(page.get_by_text("Plan 6: Investment attraction")).to_be_visible()
    expect(page.get_by_text("政策杠杆", exact=True)).to_have_count(0)
    expect(page.locator(".lever-levers-attraction-extra_leads_per_year")).to_contain_text(
        f"extra leads per year: {leads} "
    )
    expect(page.locator(".scenario-name")).to_have_text("Scenario: baseline (edited)")
    expect(page.locator(".run-summary")).to_contain_text("2025 quarter 1: Industrial output")


def test_sessions_do_not_see_each_others_settings_or_runs(page, browser, web_url):
    pick_scenario(page, "all_plans")
    page.locator("button.step").click()
    expect(page.locator(".run-summary")).to_contain_text("2025 季度 1")
    traffic = Traffic()
    other = traffic.watch(browser.new_context(viewport={"width": 1500, "height": 1100}))
    try:
        other.goto(web_url)
        expect(other.locator(".scenario-name")).to_have_text("情景: baseline")
        expect(other.locator(".run-summary")).to_contain_text("尚未运行")
    finally:
        other.context.close()
    traffic.check()


def test_a_failing_estimate_shows_its_message_and_a_new_seed_marks_the_run_stale(page):
    pick_scenario(page, "hindcast_2020")  # no targets: refused before any run
    page.locator("button.estimate").click()
    expect(page.locator(".odds-error")).to_contain_text("set no [[targets]]")
    page.locator("button.step").click()
    expect(page.locator(".run-summary")).to_contain_text("2021 季度 1")
    seed = page.locator(".seed input")
    seed.fill("2")
    seed.press("Enter")
    expect(page.locator(".v-alert", has_text="已更改：点击")).to_be_visible()
    page.locator("button.step").click()  # a fresh model of the new seed
    expect(page.locator(".run-summary")).to_contain_text("2021 季度 1")
