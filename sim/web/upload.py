"""A file picker that sends a scenario file's text to the server.

Solara's FileDrop takes dropped files only; a plain file input is what users expect (and
what a browser test can fill). Scenario files are a few kilobytes, so the file's bytes go
in one message, base64-encoded, and the server decodes them (strictly, as UTF-8).
"""

from __future__ import annotations

from collections.abc import Callable

import solara


@solara.component_vue("upload.vue")
def TomlUpload(label: str, event_upload: Callable[[dict[str, str]], None]) -> None:
    """`event_upload` gets {"name": file name, "data": the file's bytes in base64}."""
