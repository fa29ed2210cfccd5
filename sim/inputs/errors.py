"""One error type for bad input files, so every loader reports file, field, value and rule.

Reading is guarded too: an input is a regular UTF-8 file of bounded size and nesting, so
a device (`/dev/zero`), a named pipe, a file in another encoding or a table nested
thousands deep is a one-line error instead of a hang, an exhausted memory or a traceback.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

# The largest shipped input file is about 30 KB, the manifest of the main experiment
# about 300 KB; nothing a user writes by hand comes near these.
MAX_INPUT_BYTES = 50_000_000
MAX_NESTING = 32
MAX_LINE_CHARACTERS = 2_000  # of an error line: a value of megabytes is cut, not echoed
MAX_SHOWN_CHARACTERS = 200  # of the value an error line shows


def cut(text: str, limit: int) -> str:
    """`text`, or its start and how long it was when it is longer than `limit` characters."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


class InputError(ValueError):
    """A user-supplied file or option is invalid; the message says where and what is allowed.

    Each line of the message is cut to MAX_LINE_CHARACTERS, so a huge value is not echoed.
    """

    def __init__(self, message: str) -> None:
        super().__init__("\n".join(cut(line, MAX_LINE_CHARACTERS) for line in message.split("\n")))


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def describe_validation_error(source: str, error: ValidationError) -> str:
    """Render pydantic errors as 'source: field 'a.b' = value: rule' lines."""
    lines = []
    for item in error.errors(include_url=False):
        field = _field_path(item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"{source}: unknown field '{field}' (not in the schema; check the spelling)")
            continue
        if item["type"] == "missing" and item["loc"] and isinstance(item["loc"][-1], int):
            parent = _field_path(item["loc"][:-1])
            lines.append(f"{source}: field '{parent}' has too few items (item {item['loc'][-1]} is missing)")
            continue
        if item["type"] == "missing":
            lines.append(f"{source}: field '{field}' is required but missing")
            continue
        message = _plain_rule(item["type"], item.get("input")) or item["msg"].removeprefix("Value error, ")
        if not item["loc"]:
            lines.append(f"{source}: {message}")
            continue
        value = item.get("input")
        shown = cut(repr(value), MAX_SHOWN_CHARACTERS) if not isinstance(value, dict) else "{...}"
        lines.append(f"{source}: field '{field}' = {shown}: {message}")
    return "\n".join(lines)


def _plain_rule(kind: str, value: object) -> str | None:
    """The rule of a wrong-kind value in the user's terms (TOML's), where pydantic's is vague."""
    if kind in ("float_type", "int_type") and isinstance(value, str):
        return "must be a number, not a string (remove the quotes)"
    if kind in ("float_type", "int_type") and isinstance(value, bool):
        return "must be a number, not true or false"
    if kind == "bool_type":
        return "must be true or false"
    return None


def read_input_bytes(path: Path) -> bytes:
    """A regular file's bytes, at most MAX_INPUT_BYTES; an InputError for anything else.

    The file is opened without blocking, so a named pipe with no writer does not hang, and
    checked to be a regular file before reading, so a device is not read without end.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read as a file ({exc.strerror})") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)"
        raise InputError(f"{path}: is {kind}; give a file")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot be read as a file ({exc.strerror})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{path}: larger than {MAX_INPUT_BYTES:,} bytes; not an input file of this program")
    return data


def decode_text(data: bytes, source: str, kind: str = "TOML") -> str:
    """UTF-8 text (a UTF-8 byte-order mark is dropped), as TOML and JSON must be; else an InputError."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{source}: not valid {kind}: the file is UTF-16 text; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid {kind}: not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
            f"{exc.start}); save it as UTF-8 (files in GBK or Latin-1 are not read)"
        ) from None


def check_nesting(data: Any, source: str) -> None:
    """Refuse tables or arrays nested deeper than MAX_NESTING (no input file needs more than 5)."""
    level = [data]
    for _ in range(MAX_NESTING + 1):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node if isinstance(node, list) else ())
        ]
        if not level:
            return
    raise InputError(f"{source}: tables or arrays nested deeper than {MAX_NESTING} levels")


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML text as data; syntax errors and absurd nesting become an InputError naming `source`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{source}: tables or arrays nested deeper than {MAX_NESTING} levels") from None
    check_nesting(data, source)
    return data


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning I/O, encoding and syntax problems into an InputError naming the file."""
    return parse_toml(decode_text(read_input_bytes(path), str(path)), str(path))


def read_json(path: Path, what: str) -> Any:
    """A JSON file the program wrote (`what` names it: manifest, checkpoint), read as guardedly as inputs."""
    text = decode_text(read_input_bytes(path), str(path), "JSON")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON, so not a {what} ({exc.msg} at line {exc.lineno})"
        ) from None
    except RecursionError:
        raise InputError(f"{path}: not a {what} (nested deeper than {MAX_NESTING} levels)") from None
    check_nesting(data, str(path))
    return data


def validate[M: BaseModel](model: type[M], data: dict[str, Any], source: str) -> M:
    """Validate data against a pydantic model, raising an InputError that names the source."""
    try:
        # As JSON, so that strict models take arrays for tuples; a TOML date becomes a string.
        return model.model_validate_json(json.dumps(data, default=str))
    except ValidationError as exc:
        raise InputError(describe_validation_error(source, exc)) from None
