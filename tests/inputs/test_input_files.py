"""Whatever file a user names, a bad one is one line and exit 2: no traceback, hang or memory exhaustion."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.inputs.errors import MAX_LINE_CHARACTERS
from tests.conftest import BASELINE, run_cli


def one_line_error(path: Path, *extra: str) -> str:
    result = run_cli("run", str(path), *extra)
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1, result.err[:2000]
    return result.err


@pytest.mark.parametrize(
    ("encoding", "fragment"),
    [("utf-16", "the file is UTF-16 text"), ("latin-1", "not UTF-8 text (byte 0xe9 at position")],
)
def test_a_file_in_another_encoding_is_named_as_such(tmp_path, encoding, fragment):
    path = tmp_path / "s.toml"
    path.write_text('name = "café"\n', encoding=encoding)
    error = one_line_error(path)
    assert str(path) in error and fragment in error and "save it as UTF-8" in error


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASELINE.read_bytes())
    assert run_cli("run", str(path)).code == 0


def test_a_device_is_not_read_without_end(tmp_path):
    path = tmp_path / "s.toml"
    path.symlink_to("/dev/zero")
    assert "is not a regular file" in one_line_error(path)


def test_a_named_pipe_does_not_hang(tmp_path):
    path = tmp_path / "s.toml"
    os.mkfifo(path)
    assert "is not a regular file" in one_line_error(path)


def test_a_folder_is_not_a_file(tmp_path):
    path = tmp_path / "s.toml"
    path.mkdir()
    assert "is a folder" in one_line_error(path)


@pytest.mark.parametrize("depth", [40, 5_000])
def test_deep_nesting_is_refused(tmp_path, depth):
    path = tmp_path / "s.toml"
    path.write_text(f'name = "x"\nv = {"[" * depth}{"]" * depth}\n', encoding="utf-8")
    assert "nested deeper than" in one_line_error(path)


def test_a_huge_value_is_not_echoed(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(f'name = "{"x" * 5_000_000}"\n', encoding="utf-8")
    error = one_line_error(path)
    assert len(error) < MAX_LINE_CHARACTERS + 200 and "characters)" in error


def test_a_huge_override_is_not_echoed():
    result = run_cli("run", "baseline", "--set", f"name='{'y' * 1_000_000}'")
    assert result.code == 2 and result.err.count("\n") == 1 and len(result.err) < MAX_LINE_CHARACTERS + 200
