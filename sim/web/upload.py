"""A file picker that sends a scenario file's text to the server.

Solara's FileDrop takes dropped files only; a plain file input is what users expect (and
what a browser test can fill). Scenario files are a few kilobytes, so the text goes in
one message.
"""

from __future__ import annotations

from collections.abc import Callable

import solara


@solara.component_vue("upload.vue")
def TomlUpload(label: str, event_upload: Callable[[dict[str, str]], None]) -> None:
    """`event_upload` gets {"name": file name, "text": file contents}."""
