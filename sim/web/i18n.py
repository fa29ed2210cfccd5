"""The page's words in Chinese (the default: most users read Chinese first) and English.

Bounds, defaults and units come from the lever definitions (sim/reference/lever_docs.py); only
their Chinese names, help texts and unit names are written here. English lever help is
the lever's own description.
"""

from __future__ import annotations

from typing import Any

from sim.analysis.language import LANGUAGES, Language, pick
from sim.run.results import FISCAL_COLUMNS

__all__ = ["LANGUAGES", "Language", "text"]

# key -> (中文, English)
LABELS: dict[str, tuple[str, str]] = {
    "title": ("大足区工业“2+10”行动方案模拟", "Dazu District industry under the “2+10” plan"),
    "subtitle": (
        "移动各行动计划的政策杠杆，看 2027 年 700 亿元、2030 年 1000 亿元目标的实现概率如何变化",
        "Move the plan's levers and see the odds of 700 亿元 in 2027 and 1000 亿元 in 2030 change",
    ),
    "levers": ("政策杠杆", "Levers"),
    "scenario": ("情景", "Scenario"),
    "load_scenario": ("载入情景文件", "Load a scenario file"),
    "download": ("下载当前设置（TOML）", "Download the settings (TOML)"),
    "upload": ("上传情景文件（TOML）", "Upload a scenario file (TOML)"),
    "uploaded": ("已载入上传的情景", "Loaded the uploaded scenario"),
    "upload_rejected": ("上传的情景未载入", "The uploaded scenario was not loaded"),
    "invalid_settings": ("当前设置无效", "The settings are not valid"),
    "default": ("默认", "default"),
    "range": ("范围", "range"),
    "out_of_range": ("超出允许范围，未采用", "Out of range, not applied"),
    "one_run": ("单次模拟", "One run"),
    "seed": ("随机种子", "Seed"),
    "run": ("运行", "Run"),
    "step": ("单步（一个季度）", "Step (one quarter)"),
    "reset": ("重置", "Reset"),
    "quarter": ("季度", "quarter"),
    "not_started": ("尚未运行：点击“运行”或“单步”", "Not run yet: press Run or Step"),
    "stale": (
        "设置或随机种子已更改：点击“重置”或“运行”以应用",
        "Settings or seed changed: press Reset or Run to apply them",
    ),
    "output": ("工业总产值", "Industrial output"),
    "output_axis": ("亿元", "亿元"),
    "target": ("目标", "target"),
    "annualised": ("季度产值×4（年化，看季度走势）", "quarterly output ×4 (annualised: the quarter's pace)"),
    "annual": (
        "全年产值（实际合计，与目标比较）",
        "annual output (the year's total, compared with the targets)",
    ),
    "baseline_run": ("基准情景（同一随机种子）", "baseline (same seed)"),
    "previous_run": ("上一次运行", "previous run"),
    "by_cluster": ("分产业集群产值（季度×4）", "Output by cluster (quarterly ×4)"),
    "indicators": ("各行动计划推动的指标", "The indicators each plan moves"),
    "tech_enterprises": ("科技型企业（家）", "S&T enterprises"),
    "digital_tiers": ("数字化梯次（企业占比）", "Digital tiers (share of firms)"),
    "tier": ("梯次", "tier"),
    "energy_intensity": ("能耗强度（吨标煤/万元）", "Energy intensity (tce per 万元)"),
    "output_per_mu": ("亩均产值（万元/亩）", "Output per mu (万元)"),
    "credit": ("工业贷款余额（亿元）", "Industrial credit (亿元)"),
    "defaults": ("违约（家/季度）", "defaults per quarter"),
    "credit_defaults": (
        "贷款余额（亿元，线）与违约（家/季度，柱）",
        "Credit (亿元, line), defaults a quarter (bars)",
    ),
    "entries_exits": ("企业进入与退出（家/季度）", "Entries and exits per quarter"),
    "entries": ("进入", "entries"),
    "exits": ("退出", "exits"),
    "land": ("工业用地", "Industrial land"),
    "land_over_time": (
        "工业用地（亩）：在用、闲置、空闲、整理中",
        "Industrial land (mu): in use, idle, vacant, being prepared",
    ),
    "land_in_use": ("在用", "in use"),
    "land_idle": ("闲置待收回", "idle"),
    "land_vacant": ("空闲可供", "vacant"),
    "land_preparing": ("整理中", "being prepared"),
    "land_by_cluster": ("各集群在用土地（亩）及亩均产值", "Land in use by cluster (mu) and output per mu"),
    "mu": ("亩", "mu"),
    "wan_per_mu": ("万元/亩", "万元/mu"),
    "quarter_of": ("{year} 年第 {quarter} 季度", "{year} Q{quarter}"),
    "tip_quarter": ("{when}：季度产值×4 = {value} 亿元", "{when}: quarterly output ×4 = {value} 亿元"),
    "tip_year": ("{name}，{year} 年全年：{value} 亿元", "{name}, {year}: {value} 亿元"),
    "tip_latest": ("{name}，{when}：{value}", "{name}, {when}: {value}"),
    "tip_land": ("{name}：{mu} 亩，亩均产值 {per_mu} 万元/亩", "{name}: {mu} mu, {per_mu} 万元 per mu"),
    "this_run": ("本次运行", "this run"),
    "download_svg": ("下载图（SVG）", "Chart (SVG)"),
    "download_csv": ("下载数据（CSV）", "Data (CSV)"),
    "one_future": (
        "这是一种可能的未来（随机种子 {seed}），不是概率：同样的设置换一个种子，结果会不同。概率见“目标实现概率”。",
        "This is one possible future (seed {seed}), not a probability: another seed gives another future. "
        "For the odds see “The odds”.",
    ),
    "running_at": (
        "已模拟到 {when}：季度产值×4 = {pace} 亿元",
        "Simulated to {when}: quarterly output ×4 = {pace} 亿元",
    ),
    "year_result": (
        "{year} 年全年工业总产值 {output} 亿元，{verdict} {threshold} 亿元目标",
        "{year}: annual output {output} 亿元, {verdict} the {threshold} 亿元 target",
    ),
    "met": ("达到", "meets"),
    "not_met": ("未达到", "misses"),
    "comparison": (
        "与基准情景、上一次运行对比（全年，亿元）",
        "Against the baseline and the previous run (annual, 亿元)",
    ),
    "output_col": ("工业总产值", "output"),
    "fiscal_col": ("财政净支出", "net fiscal cost"),
    "vs_baseline": ("比基准", "vs baseline"),
    "vs_previous": ("比上次", "vs previous"),
    "fiscal": ("区财政：支出、收入与净支出（亿元）", "District budget: cost, revenue and net cost (亿元)"),
    "year": ("年份", "year"),
    "total": ("合计", "total"),
    "odds": ("目标实现概率", "The odds"),
    "replications": ("重复次数", "Replications"),
    "compare_baseline": ("同时计算基准情景（对比）", "Also estimate the baseline (compare)"),
    "estimate": ("估计概率", "Estimate probability"),
    "cancel": ("取消", "Cancel"),
    "cancelled": ("已取消", "Cancelled"),
    "running_batch": ("正在运行", "Running"),
    "runs": ("次", "runs"),
    "odds_note": (
        "每次模拟都抽样不确定参数（2024 年产值基数、需求增长、波动、各杠杆效果）；“区间”为 95% 置信区间，差值的区间来自成对模拟（同样的抽样和种子）",
        "Each run samples the uncertain inputs (2024 base, demand growth, volatilities, every lever's effect); "
        "“interval”: 95% confidence interval; the difference's comes from paired runs (same samples and seeds)",
    ),
    "stale_odds": (
        "设置已更改：下面的概率属于之前的设置（{name}），请重新估计",
        "The settings changed: these odds are for the earlier settings ({name}); estimate again",
    ),
    "earlier_settings": ("之前的设置", "Earlier settings"),
    "answer": (
        "在 {runs} 次模拟中，约 {p}（95% 区间 {low}–{high}）在 {year} 年达到 {threshold} 亿元",
        "In {runs} runs, about {p} (95% interval {low}–{high}) reach {threshold} 亿元 in {year}",
    ),
    "answer_difference": (
        "，比现状{direction} {points} 个百分点（区间 {low} 至 {high}）",
        ", {points} points {direction} the status quo (interval {low} to {high})",
    ),
    "higher": ("高", "above"),
    "lower": ("低", "below"),
    "answer_same": (
        "，与现状相同（区间 {low} 至 {high} 个百分点）",
        ", the same as the status quo (interval {low} to {high} points)",
    ),
    "answer_pending": (
        "尚未估计实现概率：在下方“目标实现概率”中点击“估计概率”，答案将显示在这里",
        "The odds are not estimated yet: press “Estimate probability” under “The odds”; the answer shows here",
    ),
    "answer_running": (
        "正在估计：{done} / {total} 次，约还需 {seconds} 秒",
        "Estimating: {done} / {total} runs, about {seconds} s left",
    ),
    "answer_stale": (
        "（设置已更改，以上为之前设置的结果）",
        " (the settings changed since: these are the earlier settings' odds)",
    ),
    "interval_col": ("95% 区间", "95% interval"),
    "probability_of": ("实现概率", "P(target met)"),
    "settings_col": ("当前设置", "These settings"),
    "baseline_col": ("基准情景", "Baseline"),
    "difference": ("差值", "Difference"),
    "points": ("个百分点", "points"),
    "scenario_baseline": ("现状（基准情景）", "Status quo (baseline)"),
    "scenario_all_plans": ("“2+10”全部行动计划", "All ten plans of the 2+10 plan"),
    "scenario_no_task_forces": ("现状，但不设专班", "Status quo without the task forces"),
    "scenario_plan": ("只实施计划 {number}：{title}", "Plan {number} alone: {title}"),
    "fan": ("产值分布（扇形图：5%–95%、25%–75%、中位数）", "Output fan chart (5–95%, 25–75%, median)"),
    "median": ("中位数", "median"),
    "tip_fan": (
        "{name}，{year} 年：中位数 {p50} 亿元，50% 区间 {p25}–{p75}，90% 区间 {p5}–{p95}",
        "{name}, {year}: median {p50} 亿元, 50% band {p25}–{p75}, 90% band {p5}–{p95}",
    ),
    "odds_failed": ("概率估计失败", "The estimate failed"),
    "run_failed": ("模拟失败", "The run failed"),
    "edited": ("（已修改）", " (edited)"),
    "other_targets": (
        "基准情景的目标与当前设置不同，未作对比",
        "The baseline has other targets than these settings: not compared",
    ),
    "too_many_replications": ("重复次数过多，上限为", "Too many replications; at most"),
}


# fiscal column -> 中文 (the English names are sim.run.results.FISCAL_COLUMNS)
FISCAL_ZH: dict[str, str] = {
    "fiscal_subsidies_yi": "补贴",
    "fiscal_interest_support_yi": "贴息",
    "fiscal_risk_compensation_yi": "风险补偿",
    "fiscal_land_yi": "土地",
    "fiscal_talent_training_yi": "人才培训",
    "fiscal_task_forces_yi": "专班",
    "fiscal_gross_cost_yi": "总支出",
    "revenue_vat_yi": "增值税",
    "revenue_income_tax_yi": "企业所得税",
    "revenue_land_transfer_yi": "土地出让",
    "revenue_tariffs_yi": "差别电价",
    "fiscal_revenue_yi": "总收入",
    "fiscal_net_cost_yi": "净支出",
}


def text(key: str, lang: Language) -> str:
    """The page's word for `key` in the language."""
    return pick(LABELS[key], lang)


def fiscal_label(column: str, lang: Language) -> str:
    """A budget column's name: 中文 here, English as the command line's tables say it."""
    return FISCAL_ZH[column] if lang == "zh" else dict(FISCAL_COLUMNS)[column]


# lever path -> (中文名称, 中文说明)
LEVERS_ZH: dict[str, tuple[str, str]] = {
    "levers.four_chain.matchmaking_rounds_per_year": ("产业链供需对接", "区内采购方与供应商的对接活动次数"),
    "levers.innovation.rd_subsidy_rate": (
        "研发费用补助比例",
        "区财政按企业研发投入给予的后补助比例（国家税收优惠之外）",
    ),
    "levers.innovation.platforms": ("新建科技平台", "区财政支持的科技平台和新型研发机构数量"),
    "levers.innovation.certification_award_wan": (
        "科技型企业认定奖励",
        "企业首次认定为科技型企业的一次性奖励",
    ),
    "levers.talent.recruited_talent_per_year": ("引进人才", "给予安家补贴引进的技术人才"),
    "levers.talent.training_places_per_year": ("职业技能培训", "财政补贴的职业技能提升培训名额"),
    "levers.quality.quality_subsidy_rate": (
        "质量品牌投入补助比例",
        "企业质量、标准和品牌投入中由区财政承担的比例",
    ),
    "levers.ai.upgrade_subsidy_rate": ("数字化转型补助比例", "企业梯次数字化升级成本中由区财政承担的比例"),
    "levers.ai.industry_brain_clusters": ("产业大脑覆盖集群数", "由“产业大脑”平台服务的产业集群数量"),
    "levers.attraction.extra_leads_per_year": ("新增招商线索", "重塑招商体系带来的新增项目线索"),
    "levers.attraction.large_firm_focus": (
        "大项目招商侧重",
        "招商向大项目集中的程度（0 = 现状，1 = 完全集中）",
    ),
    "levers.attraction.incentive_share": (
        "招商优惠占投资比例",
        "设备补贴、地价和租金支持等优惠占项目投资的比例",
    ),
    "levers.attraction.approval_quarters_cut": ("审批提速", "营商环境改革缩短的签约到投产时间"),
    "levers.commerce.ecommerce_support_yi_per_year": (
        "电商基地支持",
        "国家电子商务示范基地的运营、直播电商和物流支持",
    ),
    "levers.commerce.procurement_trade_scale": (
        "市场采购贸易试点规模",
        "市场采购贸易试点的运行规模（1 = 全面运行）",
    ),
    "levers.finance.interest_subsidy": ("贷款贴息", "区财政对新增工业贷款支付的利息"),
    "levers.finance.risk_compensation": ("风险补偿比例", "区风险补偿资金池承担银行工业贷款损失的比例"),
    "levers.finance.st_credit_guarantee": (
        "科技信贷风险补偿比例",
        "科技信贷资金池承担科技型企业贷款损失的比例",
    ),
    "levers.finance.credit_growth_guidance": (
        "信贷增长引导",
        "窗口指导、再贷款带来的银行工业贷款能力额外年增长",
    ),
    "levers.land.extra_supply_mu_per_year": (
        "新增工业用地",
        "在现状供地（约每年 1000 亩，为假设）之外每年新整理供应的工业用地",
    ),
    "levers.land.reclaim_rate": ("闲置地块收回率", "每季度收回的闲置地块比例（现状为假设）"),
    "levers.land.low_yield_threshold_wan": (
        "亩均效益评价门槛",
        "亩均产值低于此值的企业须退还未用土地；0 = 不评价",
    ),
    "levers.land.plot_ratio_gain": ("容积率提升", "新供土地每亩允许增加的产能比例"),
    "levers.land.min_output_per_mu_wan": (
        "项目亩均产值准入门槛",
        "新项目计划亩均产值不得低于此值；0 = 不设门槛",
    ),
    "levers.green.retrofit_subsidy_rate": ("节能改造补助比例", "企业节能改造成本中由区财政承担的比例"),
    "levers.green.intensity_cap": (
        "单位增加值能耗限额",
        "2027年企业每万元增加值最多可用能耗（吨标准煤；重庆2027年目标平均为0.446）；高耗能行业为其倍数；0 = 不设限额",
    ),
    "levers.green.cap_tightening": (
        "能耗限额年收紧幅度",
        "2027年起每吨标准煤须创造的增加值每年提高的比例（须先设限额）",
    ),
    "levers.green.tariff_surcharge": ("差别电价加价比例", "超出能耗限额部分用能的加价比例（须先设限额）"),
    "levers.green.green_credit_bonus": ("绿色信贷加分", "银行对节能改造贷款的评分加分"),
    "levers.task_forces.capacity_per_quarter": ("专班服务能力", "每个专班每季度可处理的招商线索或企业诉求"),
    "levers.task_forces.evaluation_intensity": ("晒比拼评价力度", "年度评价给排名靠后专班增加的工作力度"),
}

# unit as the lever definitions spell it -> 中文
UNITS_ZH: dict[str, str] = {
    "rounds/yr": "场/年",
    "share of R&D": "占研发投入",
    "platforms": "个",
    "万元/firm": "万元/家",
    "persons/yr": "人/年",
    "places/yr": "人次/年",
    "share of spend": "占投入",
    "share of cost": "占成本",
    "clusters": "个集群",
    "leads/yr": "条/年",
    "0-1": "0–1",
    "share of capex": "占投资",
    "quarters": "季度",
    "亿元/yr": "亿元/年",
    "rate points": "利率点",
    "share of loss": "占损失",
    "per year": "每年",
    "mu/yr": "亩/年",
    "share/quarter": "每季度比例",
    "万元/mu": "万元/亩",
    "share": "比例",
    "tce / 万元 VA": "吨标准煤/万元增加值",
    "share/yr": "每年比例",
    "share of price": "占价格",
    "score points": "评分点",
    "cases/quarter": "件/季度",
    "effort": "力度",
}


def plan_title(row: dict[str, Any], lang: Language) -> str:
    """'计划 1 …' / 'Plan 1 …' for a lever row (task forces have plan 'TF')."""
    number = row["plan"]
    if lang == "zh":
        prefix = "专班" if number == "TF" else f"计划 {number}"
        return f"{prefix}：{row['plan_title_zh']}"
    prefix = "Task forces" if number == "TF" else f"Plan {number}"
    return f"{prefix}: {row['plan_title_en']}"


def lever_label(row: dict[str, Any], value: float, lang: Language) -> str:
    """'name: value unit', e.g. '新增招商线索：40 条/年', '招商优惠占投资比例：10% 占投资'."""
    separator = "：" if lang == "zh" else ": "
    return (
        f"{lever_name(row, lang)}{separator}{shown_value(row, value, lang)} {unit_label(row, lang)}".rstrip()
    )


def lever_help(row: dict[str, Any], lang: Language) -> str:
    """What a lever does: the Chinese help text, or the lever's own English description."""
    return LEVERS_ZH[row["lever"]][1] if lang == "zh" else row["description"]


# lever path -> English name in words (the help text is the lever's own description)
LEVERS_EN: dict[str, str] = {
    "levers.four_chain.matchmaking_rounds_per_year": "Supply-chain matchmaking",
    "levers.innovation.rd_subsidy_rate": "R&D subsidy rate",
    "levers.innovation.platforms": "New S&T platforms",
    "levers.innovation.certification_award_wan": "S&T enterprise certification award",
    "levers.talent.recruited_talent_per_year": "Recruited talent",
    "levers.talent.training_places_per_year": "Vocational training places",
    "levers.quality.quality_subsidy_rate": "Quality and brand subsidy rate",
    "levers.ai.upgrade_subsidy_rate": "Digital upgrade subsidy rate",
    "levers.ai.industry_brain_clusters": "Clusters served by the industry brain",
    "levers.attraction.extra_leads_per_year": "Extra investment leads",
    "levers.attraction.large_firm_focus": "Focus on large projects",
    "levers.attraction.incentive_share": "Incentives as a share of investment",
    "levers.attraction.approval_quarters_cut": "Faster approvals",
    "levers.commerce.ecommerce_support_yi_per_year": "E-commerce base support",
    "levers.commerce.procurement_trade_scale": "Market-procurement trade pilot scale",
    "levers.finance.interest_subsidy": "Loan interest subsidy",
    "levers.finance.risk_compensation": "Risk compensation share",
    "levers.finance.st_credit_guarantee": "S&T credit risk compensation share",
    "levers.finance.credit_growth_guidance": "Credit growth guidance",
    "levers.land.extra_supply_mu_per_year": "Extra industrial land",
    "levers.land.reclaim_rate": "Idle land reclaimed",
    "levers.land.low_yield_threshold_wan": "Output-per-mu review threshold",
    "levers.land.plot_ratio_gain": "Plot-ratio gain",
    "levers.land.min_output_per_mu_wan": "Minimum planned output per mu",
    "levers.green.retrofit_subsidy_rate": "Energy retrofit subsidy rate",
    "levers.green.intensity_cap": "Energy quota (per value added)",
    "levers.green.cap_tightening": "Quota tightening",
    "levers.green.tariff_surcharge": "Tariff surcharge",
    "levers.green.green_credit_bonus": "Green credit bonus",
    "levers.task_forces.capacity_per_quarter": "Task force capacity",
    "levers.task_forces.evaluation_intensity": "Evaluation intensity",
}

# Units that are shares of something: shown as percentages (0.1 -> 10%)
SHARE_UNITS = {
    "share of R&D",
    "share of spend",
    "share of cost",
    "share of capex",
    "share of loss",
    "share/quarter",
    "share/yr",
    "share",
    "share of price",
}


def is_share(row: dict[str, Any]) -> bool:
    return row["unit"] in SHARE_UNITS


def shown_value(row: dict[str, Any], value: float, lang: Language) -> str:
    """A lever's value as the page shows it: shares as percentages (0.1 -> '10%'), the rest as numbers."""
    if is_share(row):
        return f"{100 * value:g}%"
    return f"{value:g}"


def unit_label(row: dict[str, Any], lang: Language) -> str:
    """A lever's unit in the language; for a share, what it is a share of ('占投资', 'of capex')."""
    unit = UNITS_ZH[row["unit"]] if lang == "zh" else row["unit"]
    if not is_share(row):
        return unit
    if lang == "zh":
        return unit.removesuffix("比例")
    return unit.replace("share/quarter", "per quarter").replace("share of ", "of ").removeprefix("share")


def lever_name(row: dict[str, Any], lang: Language) -> str:
    return LEVERS_ZH[row["lever"]][0] if lang == "zh" else LEVERS_EN[row["lever"]]


def cluster_name(spec: Any, lang: Language) -> str:
    """A cluster's name in the language (a base-year file's `name_zh` / `name_en`)."""
    return spec.name_zh if lang == "zh" else spec.name_en


def scenario_title(name: str, lang: Language) -> str:
    """A shipped scenario's title in the language, from its file name; other names as they are."""
    from sim.reference.lever_docs import lever_rows

    if name in ("baseline", "all_plans", "no_task_forces"):
        return text(f"scenario_{name}", lang)
    if name.startswith("plan_") and name[5:7].isdigit():
        number = str(int(name[5:7]))
        row = next((r for r in lever_rows() if str(r["plan"]) == number), None)
        if row is not None:
            title = row["plan_title_zh"] if lang == "zh" else row["plan_title_en"]
            return text("scenario_plan", lang).format(number=number, title=title)
    return name
