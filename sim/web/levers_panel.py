"""The levers: a scenario picker, TOML download and upload, a slider and a number box per lever by plan.

Every slider's bounds, default and unit come from `lever_rows()` (the lever definitions).
Shares are shown and typed as percentages; the settings keep them as the scenario files
do (0.1 for 10%).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from itertools import groupby
from typing import Any

import solara

from sim.inputs.errors import InputError
from sim.reference.lever_docs import lever_rows
from sim.web.i18n import (
    LANGUAGES,
    Language,
    is_share,
    lever_help,
    lever_label,
    lever_name,
    plan_title,
    scenario_title,
    shown_value,
    text,
    unit_label,
)
from sim.web.problems import message_in
from sim.web.state import Settings, from_upload, lever_value, load_named, scenario_names, to_toml, with_lever
from sim.web.upload import TomlUpload


def slider_step(row: dict[str, Any]) -> float:
    """A lever slider's step: 1 for counts, else the power of ten at or below 1/100 of the range.

    A power of ten puts round values (the defaults, the shipped scenarios' settings) on
    the slider's grid, which a hundredth of an odd range (say 60 of 0-6000) would miss.
    """
    if row["integer"]:
        return 1
    return 10.0 ** math.floor(math.log10((row["high"] - row["low"]) / 100))


def typed_value(row: dict[str, Any], typed: float) -> float:
    """A number typed in a lever's box as the settings keep it: a percentage back to a share, rounded."""
    value = typed / 100 if is_share(row) else typed
    return int(round(value)) if row["integer"] else round(float(value), 6)


@solara.component
def LeverSlider(
    row: dict[str, Any], settings: Settings, on_settings: Callable[[Settings], None], lang: Language
):
    """One lever: name and value above an equal-width slider and a number box; its help, range, default."""
    value = lever_value(settings, row["lever"], row["default"])
    refused: solara.Reactive[str | None] = solara.use_reactive(None)
    scale = 100 if is_share(row) else 1

    def set_value(new: float) -> None:
        # Rounded, so the slider's float steps do not put 0.30000000000000004 in a scenario file.
        refused.set(None)
        rounded = int(new) if row["integer"] else round(float(new), 6)
        if math.isclose(rounded, value, rel_tol=1e-9, abs_tol=1e-12):
            return  # a control echoing the value it was given: nothing moved
        on_settings(with_lever(settings, row["lever"], rounded))

    def set_typed(typed: float | None) -> None:
        if typed is None:
            return
        new = typed_value(row, typed)
        if not row["low"] <= new <= row["high"]:
            low, high = (shown_value(row, bound, lang) for bound in (row["low"], row["high"]))
            refused.set(f"{lever_name(row, lang)}: {low} – {high} {unit_label(row, lang)}")
            return
        set_value(new)

    with solara.Column(gap="0px", classes=["lever", "lever-" + row["lever"].replace(".", "-")]):
        solara.Text(lever_label(row, value, lang), classes=["lever-label"])
        with solara.Div(classes=["lever-controls"]):
            if row["integer"]:
                solara.SliderInt(
                    "", value=int(value), min=row["low"], max=row["high"], step=1, on_value=set_value
                )
                solara.InputInt(
                    "",
                    value=int(value),
                    on_value=set_typed,
                    continuous_update=False,
                    classes=["lever-number"],
                )
            else:
                solara.SliderFloat(
                    "",
                    value=value,
                    min=row["low"],
                    max=row["high"],
                    step=slider_step(row),
                    on_value=set_value,
                )
                solara.InputFloat(
                    "",
                    value=round(value * scale, 6),
                    on_value=set_typed,
                    continuous_update=False,
                    classes=["lever-number"],
                )
        if refused.value is not None:
            solara.Error(f"{text('out_of_range', lang)}: {refused.value}", classes=["lever-refused"])
        low, high = (shown_value(row, bound, lang) for bound in (row["low"], row["high"]))
        default = shown_value(row, row["default"], lang)
        bounds = f"{text('range', lang)} {low} – {high}; {text('default', lang)} {default}"
        solara.Text(f"{lever_help(row, lang)} ({bounds})", classes=["lever-help"])


@solara.component
def LeversPanel(settings: Settings, on_settings: Callable[[Settings], None], lang: Language):
    """Pick, download or upload a scenario, and move its levers plan by plan."""
    # (ok, message in both languages) of the last upload
    upload_message: solara.Reactive[tuple[bool, Callable[[Language], str]] | None] = solara.use_reactive(None)

    def pick(title: str | None) -> None:
        if title is None:  # the picker cleared: nothing to load
            return
        upload_message.set(None)
        on_settings(load_named(next(name for name in names if scenario_title(name, lang) == title)))

    def upload(file: dict[str, str]) -> None:
        try:
            on_settings(from_upload(file["name"], base64.b64decode(file["data"])))
            upload_message.set((True, lambda lang: f"{text('uploaded', lang)}: {file['name']}"))
        except InputError as error:
            said = {lang: message_in(error, lang) for lang in LANGUAGES}
            upload_message.set((False, lambda lang: f"{text('upload_rejected', lang)}:\n{said[lang]}"))

    with solara.Card(text("levers", lang), classes=["levers-card"]):
        names = scenario_names()
        solara.Select(
            text("load_scenario", lang),
            values=[scenario_title(name, lang) for name in names],
            value=scenario_title(settings.name, lang)
            if settings.name in names and not settings.edited
            else None,
            on_value=pick,
        )
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.FileDownload(
                lambda: to_toml(settings).encode("utf-8"),
                filename=settings.file_name,
                label=text("download", lang),
                mime_type="application/toml",
            )
            TomlUpload(label=text("upload", lang), event_upload=upload)
        if upload_message.value is not None:
            ok, message = upload_message.value
            alert = solara.Success if ok else solara.Error
            with solara.Column(style={"white-space": "pre-wrap"}):
                alert(message(lang), classes=["upload-message"])
        edited = text("edited", lang) if settings.edited else ""
        solara.Text(
            f"{text('scenario', lang)}: {scenario_title(settings.name, lang)}{edited}",
            classes=["scenario-name"],
        )
        for _, plan_rows in groupby(lever_rows(), key=lambda row: row["plan_key"]):
            rows = list(plan_rows)
            with solara.Details(summary=plan_title(rows[0], lang)):
                for row in rows:
                    LeverSlider(row, settings, on_settings, lang)
