"""What the page says when input is bad, in the user's language.

A `PageError` carries its message in Chinese and English, so the page shows the one the
user reads (and is an InputError, whose text is the English one, for everyone else).
Schema errors name the field by its Chinese label where it has one, with the allowed
range and unit, as the lever definitions give them.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from sim.analysis.chart_font import undrawable
from sim.inputs.errors import InputError, describe_validation_error
from sim.inputs.scenario import ScenarioData, with_calibrated_defaults
from sim.reference.lever_docs import lever_rows
from sim.web.i18n import LEVERS_ZH, Language, shown_value, unit_label


class PageError(InputError):
    """Bad input, said in both languages; str() is the English message."""

    def __init__(self, *, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def in_language(self, lang: Language) -> str:
        return self.zh if lang == "zh" else self.en


def message_in(error: Exception, lang: Language) -> str:
    """An error's message in the language when it has one, else its own text."""
    return error.in_language(lang) if isinstance(error, PageError) else str(error)


RULES_ZH = {
    "less_than_equal": "不能大于 {le}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "greater_than": "必须大于 {gt}",
    "int_parsing": "必须是整数",
    "int_type": "必须是整数",
    "int_from_float": "必须是整数",
    "float_parsing": "必须是数字",
    "float_type": "必须是数字",
    "bool_parsing": "必须是 true 或 false",
    "bool_type": "必须是 true 或 false",
    "string_type": "必须是文字",
    "string_too_short": "不能为空",
    "string_too_long": "最多 {max_length} 个字符",
    "list_type": "必须是列表",
    "dict_type": "必须是一个表（[...]）",
}


def _path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _line_zh(source: str, item: Any, levers: dict[str, dict[str, Any]]) -> str:
    field = _path(item["loc"])
    if item["type"] == "extra_forbidden":
        return f"{source}：未知字段 '{field}'（模板中没有，请检查拼写）"
    if item["type"] == "missing":
        return f"{source}：缺少必填字段 '{field}'"
    row = levers.get(field)
    label = f"{LEVERS_ZH[field][0]}（{field}）" if row else f"'{field}'" if field else ""
    rule = RULES_ZH.get(item["type"])
    context = item.get("ctx", {})
    if row:  # bounds as the page shows the lever: shares as percentages
        context = {key: shown_value(row, value, "zh") for key, value in context.items()}
    said = rule.format(**context) if rule else "不符合要求：" + item["msg"].removeprefix("Value error, ")
    if row:
        low, high = (shown_value(row, bound, "zh") for bound in (row["low"], row["high"]))
        said += f"；允许范围 {low} – {high} {unit_label(row, 'zh')}"
    if not field:
        return f"{source}：{said}"
    value = item.get("input")
    shown = repr(value) if not isinstance(value, dict) else "{...}"
    return f"{source}：字段 {label} = {shown}：{said}"


def check_settings(source: str, raw: dict[str, Any]) -> None:
    """Validate raw scenario data as the loader does; a PageError lists every problem in both languages."""
    try:
        ScenarioData.model_validate(with_calibrated_defaults(raw, "model"))
    except ValidationError as exc:
        levers = {row["lever"]: row for row in lever_rows()}
        zh = "\n".join(_line_zh(source, item, levers) for item in exc.errors(include_url=False))
        raise PageError(zh=zh, en=describe_validation_error(source, exc)) from None


def check_drawable(source: str, field: str, value: str) -> None:
    """Refuse text the page's font cannot draw, rather than show it as empty boxes."""
    missing = undrawable(value)
    if missing:
        raise PageError(
            zh=f"{source}：字段 '{field}' = {value!r} 含有本系统字体无法显示的字符 {missing!r}"
            "（支持 GB 2312 汉字、拉丁字母和常用符号）",
            en=f"{source}: field '{field}' = {value!r} has characters the page's font cannot draw: "
            f"{missing!r} "
            "(GB 2312 hanzi, Latin letters and common symbols are drawn)",
        )
