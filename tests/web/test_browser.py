"""The web page in a real browser (headless Chromium, no CJK font of its own), against `python -m sim web`."""

from __future__ import annotations

import re

import pytest

from sim.analysis.chart_font import FAMILY
from sim.inputs.scenario import load_scenario
from sim.web.state import load_named, scenario_of
from tests.web.conftest import Traffic

pytestmark = pytest.mark.browser

EXPECT_SECONDS = 60
ICON_FONTS = {"Material Design Icons", "Material Icons"}


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
    expect(summary).to_contain_text("2030 年全年工业总产值")
    expect(page.locator("button.run")).to_be_enabled()
    return summary.inner_text()


def output_2030(summary: str) -> float:
    return float(re.search(r"2030 年全年工业总产值 ([\d,.]+)", summary)[1].replace(",", ""))


def pick_scenario(page, title: str) -> None:
    page.locator(".v-select").first.click()
    page.locator(".v-menu__content .v-list-item", has_text=re.compile(f"^{re.escape(title)}$")).click()
    expect(page.locator(".scenario-name")).to_have_text(f"情景: {title}")


def fonts_drawing_the_text(page) -> dict[str, int]:
    """Every font Chromium drew the page's text with, and how many glyphs each (DevTools' platform fonts)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    used: dict[str, int] = {}

    def visit(node) -> None:
        children = node.get("children", [])
        if any(child["nodeType"] == 3 and child["nodeValue"].strip() for child in children):
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]:
                used[font["familyName"]] = used.get(font["familyName"], 0) + font["glyphCount"]
        for child in children:
            if child["nodeType"] == 1 and child["nodeName"] not in ("SCRIPT", "STYLE", "title"):
                visit(child)

    visit(cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"])
    return used


def test_the_page_loads_offline_and_draws_every_word_in_the_shipped_font(page, traffic):
    expect(page.locator(".page-title")).to_have_text("大足区工业“2+10”行动方案模拟")
    expect(page.locator(".v-expansion-panel")).to_have_count(11)  # ten plans and the task forces
    assert any("/_solara/cdn/" in url and url.endswith(".css") for url in traffic.local_assets)
    assert all(url.startswith("http://127.0.0.1") for url in traffic.local_assets)
    run_to_the_end(page)
    assert any(url.endswith("DazuSansSC-Regular.otf") for url in traffic.local_assets)
    used = fonts_drawing_the_text(page)
    assert used.get(FAMILY, 0) > 1000 and set(used) - ICON_FONTS == {FAMILY}, used
    assert page.locator(".chart svg").count() >= 4
    assert page.locator(".chart-output svg text").count() > 10  # the charts' words: text, in the same font


def hover_title(page, shape) -> str | None:
    """The tooltip (`<title>`) of whatever the mouse is over at the centre of `shape`.

    Asked again for a few seconds while the page may still be moving (a progress bar going
    away shifts what is below it), measuring the shape afresh each time.
    """
    said = None
    for _ in range(20):
        box = shape.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        said = page.evaluate(
            """([x, y]) => {
                const element = document.elementFromPoint(x, y);
                const title = element && element.querySelector(':scope > title');
                return title ? title.textContent : null;
            }""",
            [x, y],
        )
        if said is not None:
            break
        page.wait_for_timeout(250)
    return said


def test_a_chart_says_its_values_on_hover_and_downloads_as_svg_and_csv(page, tmp_path):
    run_to_the_end(page)
    chart = page.locator(".chart-output svg")
    point = chart.locator("title", has_text="本次运行，2030 年全年").locator("..")
    said = hover_title(page, point)
    annual = output_2030(page.locator(".run-summary").inner_text())
    assert said == f"本次运行，2030 年全年：{annual:,.1f} 亿元", said  # what the point under the mouse says
    with page.expect_download() as download:
        page.locator(".downloads-output").get_by_text("下载数据（CSV）").click()
    download.value.save_as(tmp_path / "output.csv")
    lines = (tmp_path / "output.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "year,quarter,output_yi" and len(lines) == 1 + 25  # 2024 Q4 and 24 quarters
    with page.expect_download() as download:
        page.locator(".downloads-land").get_by_text("下载图（SVG）").click()
    download.value.save_as(tmp_path / "land.svg")
    svg = (tmp_path / "land.svg").read_text()
    assert svg.startswith("<?xml") and "<svg" in svg and "<text" not in svg  # words as outlines
    page.locator("button.step").click()  # a new run: the links give its numbers, not the last run's
    page.locator(".run-summary", has_text="2025 年第 1 季度").wait_for()
    with page.expect_download() as download:
        page.locator(".downloads-output").get_by_text("下载数据（CSV）").click()
    download.value.save_as(tmp_path / "step.csv")
    assert len((tmp_path / "step.csv").read_text(encoding="utf-8-sig").splitlines()) == 1 + 2


def move_the_leads_lever(page) -> str:
    """Type 80 into the extra-leads box; returns its new value as the label shows it."""
    page.get_by_text("计划 6：招商引资促进高质量行动计划").click()
    lever = page.locator(".lever-levers-attraction-extra_leads_per_year")
    lever.locator(".v-slider").wait_for(state="visible")
    box = lever.locator(".lever-number input")
    box.click()  # waits until the opening panel holds still
    box.fill("80")
    box.press("Enter")
    expect(page.locator(".scenario-name")).to_contain_text("已修改")
    expect(lever).to_contain_text("新增招商线索：80 条/年")
    return "80"


def test_moving_a_lever_compares_with_the_baseline_and_the_previous_run(page):
    before = run_to_the_end(page)
    expect(page.locator(".comparison-table")).to_contain_text("比基准")
    move_the_leads_lever(page)
    expect(page.locator(".v-alert", has_text="已更改：点击")).to_be_visible()
    after = run_to_the_end(page, before)
    assert output_2030(after) > output_2030(before), "more investment leads should raise output here"
    table = page.locator(".comparison-table")
    expect(table).to_contain_text("比上次")
    row_2030 = table.locator("tr", has_text="2030").inner_text().split("\t")
    assert float(row_2030[3].replace(",", "")) > 0, row_2030  # output above the previous run's
    expect(page.locator(".one-future")).to_contain_text("一种可能的未来")


def test_the_answer_in_words_marked_stale_when_a_lever_moves_in_both_languages(page):
    replications = page.locator(".replications input")
    replications.fill("10")
    replications.press("Enter")
    page.locator("button.estimate").click()
    answer = page.locator(".answer-sentence").first
    expect(answer).to_contain_text(
        re.compile(r"在 10 次模拟中，约 [\d.]+%（95% 区间 [\d.]+%–[\d.]+%）在 2027 年达到 700 亿元")
    )
    assert answer.bounding_box()["y"] < 768 - 40, "the answer should show without scrolling at 1366x768"
    move_the_leads_lever(page)
    expect(page.locator(".stale-odds")).to_contain_text("设置已更改")
    expect(page.locator(".odds-table")).to_contain_text("之前的设置")
    expect(answer).to_contain_text("设置已更改")
    page.get_by_role("button", name="English").click()
    expect(answer).to_contain_text(re.compile(r"In 10 runs, about [\d.]+% \(95% interval"))


def test_the_fan_chart_says_its_values_on_hover_and_downloads_as_svg_and_csv(page, tmp_path):
    replications = page.locator(".replications input")
    replications.fill("10")
    replications.press("Enter")
    page.locator("button.estimate").click()
    # The settings are the baseline's here: the baseline's point, drawn after, is the one on top
    point = page.locator(".chart-fan svg title", has_text="当前设置，2030 年：中位数").locator("..")
    point.wait_for(state="attached", timeout=120_000)
    # Measured once the estimate is done (nothing moves the chart after) and in view, since
    # elementFromPoint only sees the viewport.
    expect(page.locator("button.estimate")).to_be_enabled(timeout=120_000)
    point.scroll_into_view_if_needed()
    said = hover_title(page, point)
    pattern = r"(当前设置|基准情景)，2030 年：中位数 [\d,.]+ 亿元，50% 区间 .+"
    assert said is not None and re.fullmatch(pattern, said), said
    with page.expect_download() as download:
        page.locator(".downloads-fan").get_by_text("下载数据（CSV）").click()
    download.value.save_as(tmp_path / "fan.csv")
    lines = (tmp_path / "fan.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "series,scenario,year,p5,p25,p50,p75,p95"
    series = [line.split(",")[0] for line in lines[1:]]
    assert series.count("baseline") == series.count("settings") >= 6  # each year of both
    with page.expect_download() as download:
        page.locator(".downloads-fan").get_by_text("下载图（SVG）").click()
    download.value.save_as(tmp_path / "fan.svg")
    svg = (tmp_path / "fan.svg").read_text()
    assert svg.startswith("<?xml") and "<text" not in svg


def upload(page, name: str, data: bytes) -> None:
    page.locator(".toml-upload input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": data}]
    )


def test_uploads_in_notepad_and_gbk_load_and_bad_ones_are_refused_in_chinese(page):
    text = (
        '# 只加招商线索\nextends = "baseline.toml"\nname = "招商加码"\n'
        "[levers.attraction]\nextra_leads_per_year = 50\n"
    )
    upload(page, "bom.toml", b"\xef\xbb\xbf" + text.encode("utf-8"))
    expect(page.locator(".upload-message")).to_contain_text("已载入上传的情景: bom.toml")
    expect(page.locator(".scenario-name")).to_have_text("情景: 招商加码")
    upload(page, "gbk.toml", text.replace("招商加码", "国标编码").encode("gbk"))
    expect(page.locator(".scenario-name")).to_have_text("情景: 国标编码")
    upload(page, "empty.toml", b"")
    expect(page.locator(".upload-message")).to_contain_text("empty.toml：文件是空的")
    upload(page, "big.toml", b'extends = "baseline.toml"\n[levers.attraction]\nextra_leads_per_year = 500\n')
    expect(page.locator(".upload-message")).to_contain_text(
        "新增招商线索（levers.attraction.extra_leads_per_year） = 500"
    )
    expect(page.locator(".upload-message")).to_contain_text("允许范围 0 – 100 条/年")
    expect(page.locator(".scenario-name")).to_have_text("情景: 国标编码")
    page.locator("button.step").click()
    expect(page.locator(".run-summary")).to_contain_text("2025 年第 1 季度")


def test_settings_are_kept_across_a_reload(page):
    move_the_leads_lever(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("Levers", exact=True)).to_be_visible()
    # Both changes must be in the address: the lever's (with lang=zh) may land before the language's.
    page.wait_for_url(re.compile(r"lang=en.*extra_leads_per_year=80"))
    page.reload()
    expect(page.get_by_text("Levers", exact=True)).to_be_visible()
    expect(page.locator(".scenario-name")).to_have_text("Scenario: Status quo (baseline) (edited)")
    page.get_by_text("Plan 6: Investment attraction").click()
    expect(page.locator(".lever-levers-attraction-extra_leads_per_year")).to_contain_text(
        "Extra investment leads: 80"
    )


def test_a_phone_wide_page_is_one_column_without_clipped_controls(browser, web_url, traffic):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    tab = traffic.watch(context)
    try:
        tab.goto(web_url)
        tab.locator(".run-summary").wait_for()
        levers, odds = tab.locator(".levers-card").bounding_box(), tab.locator(".odds-card").bounding_box()
        assert odds["y"] >= levers["y"] + levers["height"] - 1, "one column: the odds below the levers"
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        for selector in ("button.run", "button.step", "button.reset", "button.estimate", ".language"):
            box = tab.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
        tab.screenshot(path="test-artifacts/screenshots/phone.png", full_page=True)
    finally:
        context.close()
    traffic.check()


def test_all_plans_odds_with_progress_and_cancel(page):
    pick_scenario(page, "“2+10”全部行动计划")
    page.locator("button.estimate").click()  # the default 200 runs: cancelled below
    expect(page.locator(".progress")).to_contain_text("/ 400")
    page.locator("button.step").click()  # the page answers while the batch runs
    expect(page.locator(".run-summary")).to_contain_text("2025 年第 1 季度")
    page.locator("button.cancel").click()
    expect(page.get_by_text("已取消")).to_be_visible()
    replications = page.locator(".replications input")
    replications.fill("20")
    replications.press("Enter")
    page.locator("button.estimate").click()
    result = page.locator(".odds-result")
    expect(result).to_be_visible(timeout=120_000)
    text = result.inner_text()
    assert "all_plans, 20 次" in text
    rows = [line for line in text.splitlines() if line.startswith(("2027", "2030"))]
    assert len(rows) == 2 and all(len(re.findall(r"[\d.]+% – [\d.]+%", row)) == 2 for row in rows), text


def test_the_downloaded_settings_load_back(page, tmp_path):
    pick_scenario(page, "只实施计划 9：产业用地节约集约利用行动计划")
    with page.expect_download() as download:
        page.get_by_text("下载当前设置（TOML）").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "plan_09_land.toml"
    assert load_scenario(path).data == scenario_of(load_named("plan_09_land")).data


def test_sessions_do_not_see_each_others_settings_or_runs(page, browser, web_url):
    pick_scenario(page, "“2+10”全部行动计划")
    page.locator("button.step").click()
    expect(page.locator(".run-summary")).to_contain_text("2025 年第 1 季度")
    traffic = Traffic()
    other = traffic.watch(browser.new_context(viewport={"width": 1500, "height": 1100}))
    try:
        other.goto(web_url)
        expect(other.locator(".scenario-name")).to_have_text("情景: 现状（基准情景）")
        expect(other.locator(".run-summary")).to_contain_text("尚未运行")
    finally:
        other.context.close()
    traffic.check()


def test_a_new_seed_marks_the_run_stale(page):
    page.locator("button.step").click()
    expect(page.locator(".run-summary")).to_contain_text("2025 年第 1 季度")
    seed = page.locator(".seed input")
    seed.fill("2")
    seed.press("Enter")
    expect(page.locator(".v-alert", has_text="已更改：点击")).to_be_visible()
    page.locator("button.step").click()  # a fresh model of the new seed
    expect(page.locator(".run-summary")).to_contain_text("2025 年第 1 季度")
