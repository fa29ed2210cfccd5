"""The levers: a scenario picker, TOML download and upload, and one slider per lever by plan.

Every slider's bounds, default and unit come from `lever_rows()` (the lever definitions).
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
from sim.web.i18n import Language, lever_help, lever_label, plan_title, text
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


@solara.component
def LeverSlider(
    row: dict[str, Any], settings: Settings, on_settings: Callable[[Settings], None], lang: Language
):
    """One lever's slider, labelled with its value and unit, with its help text and default."""
    value = lever_value(settings, row["lever"], row["default"])

    def set_value(new: float) -> None:
        # Rounded, so the slider's float steps do not put 0.30000000000000004 in a scenario file.
        on_settings(with_lever(settings, row["lever"], int(new) if row["integer"] else round(float(new), 6)))

    with solara.Column(gap="0px", classes=["lever", "lever-" + row["lever"].replace(".", "-")]):
        label = lever_label(row, value, lang)
        if row["integer"]:
            # A count: the scenario schema accepts only whole numbers here, so int() changes the
            # static type (and at most a file's 6.0 into 6).
            solara.SliderInt(
                label,
                value=int(value),
                min=row["low"],
                max=row["high"],
                step=1,  # slider_step's step for counts
                on_value=set_value,
                tick_labels="end_points",
            )
        else:
            solara.SliderFloat(
                label,
                value=value,
                min=row["low"],
                max=row["high"],
                step=slider_step(row),
                on_value=set_value,
                tick_labels="end_points",
            )
        default = f"{text('default', lang)} {row['default']:g}"
        solara.Text(f"{lever_help(row, lang)} ({default})", style={"font-size": "0.8em", "color": "#666"})


@solara.component
def LeversPanel(settings: Settings, on_settings: Callable[[Settings], None], lang: Language):
    """Pick, download or upload a scenario, and move its levers plan by plan."""
    # (ok, message) of the last upload
    upload_message: solara.Reactive[tuple[bool, str] | None] = solara.use_reactive(None)

    def pick(name: str | None) -> None:
        if name is None:  # the picker cleared: nothing to load
            return
        upload_message.set(None)
        on_settings(load_named(name))

    def upload(file: dict[str, str]) -> None:
        try:
            on_settings(from_upload(file["name"], base64.b64decode(file["data"])))
            upload_message.set((True, f"{text('uploaded', lang)}: {file['name']}"))
        except InputError as error:
            upload_message.set((False, f"{text('upload_rejected', lang)}:\n{error}"))

    with solara.Card(text("levers", lang)):
        names = scenario_names()
        solara.Select(
            text("load_scenario", lang),
            values=names,
            value=settings.name if settings.name in names and not settings.edited else None,
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
                alert(message, classes=["upload-message"])
        edited = text("edited", lang) if settings.edited else ""
        solara.Text(f"{text('scenario', lang)}: {settings.name}{edited}", classes=["scenario-name"])
        for _, plan_rows in groupby(lever_rows(), key=lambda row: row["plan_key"]):
            rows = list(plan_rows)
            with solara.Details(summary=plan_title(rows[0], lang)):
                for row in rows:
                    LeverSlider(row, settings, on_settings, lang)
