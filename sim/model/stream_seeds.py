"""The seeds of a run's quarter streams, computed for every (mechanism, quarter) at once.

A run seeds some 300 generators, each `PCG64(SeedSequence(entropy, spawn_key=(k, step)))`.
Made one by one, a `SeedSequence` and its state cost about 9 us, a twentieth of a default
run. `SeedSequence` is a published hash (O'Neill's `seed_seq_fe`, numpy's `bit_generator`):
the part that mixes the run's entropy into the pool is the same for every key, and the rest
does the same arithmetic for every key, so it runs here once per run on arrays of keys.
`PCG64` takes any `ISeedSequence`, so it is seeded from these words exactly as from the
`SeedSequence` they reproduce (`tests/model/test_stream_seeds.py` compares the two).
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from numpy.random.bit_generator import ISeedSequence

# numpy's SeedSequence constants (a pool of four 32-bit words).
_POOL = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_SHIFT = 16
_MASK = 0xFFFFFFFF
_STATE_WORDS = 8  # PCG64 asks for four 64-bit words


def _words(value: int) -> list[int]:
    """An integer as SeedSequence reads it: 32-bit words, least significant first ([0] for 0)."""
    if value < 0:
        raise ValueError(f"a seed must be a non-negative integer, not {value}")
    words = []
    while True:
        words.append(value & _MASK)
        value >>= 32
        if not value:
            return words


class _Hash:
    """SeedSequence's multiplicative hash, whose constant moves on with every word it hashes
    whatever the word, so one hash serves arrays of keys."""

    def __init__(self, constant: int) -> None:
        self.constant = constant

    def __call__(self, value, multiplier: int):  # int or uint32 array -> the same
        value = value ^ self.constant
        self.constant = (self.constant * multiplier) & _MASK
        value = (value * self.constant) & _MASK
        return value ^ (value >> _SHIFT)


def _mix(x, y):
    result = (_MIX_L * x - _MIX_R * y) & _MASK
    return result ^ (result >> _SHIFT)


class PresetSeed(ISeedSequence):
    """A seed sequence whose PCG64 state words are already known."""

    __slots__ = ("_state",)

    def __init__(self, state: np.ndarray) -> None:
        self._state = state

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        # PCG64 asks with the type itself: `is` first spares the dtype comparison (2 us).
        if (dtype is not np.uint64 and np.dtype(dtype) != np.uint64) or n_words != len(self._state):
            raise ValueError("a preset seed holds PCG64's four 64-bit words only")
        return self._state


class StreamSeeds:
    """A run's stream seeds by (mechanism, step), computed a block of steps at a time as the
    run reaches them (a block covers a default run's horizon)."""

    BLOCK = 32

    def __init__(self, entropy: int, mechanisms: int) -> None:
        self.entropy, self._mechanisms = entropy, mechanisms
        self._states = np.zeros((mechanisms, 0, 4), np.uint64)

    def seed(self, mechanism: int, step: int) -> np.random.SeedSequence:
        """What `SeedSequence(entropy, spawn_key=(mechanism, step))` would seed a PCG64 with.

        A `PresetSeed`: numpy's stubs name `SeedSequence` where its bit generators take any
        `ISeedSequence`.
        """
        if step >= self._states.shape[1]:
            steps = (step // self.BLOCK + 1) * self.BLOCK
            self._states = stream_states(self.entropy, self._mechanisms, steps)
        return cast(np.random.SeedSequence, PresetSeed(self._states[mechanism, step]))


def stream_states(entropy: int, mechanisms: int, steps: int) -> np.ndarray:
    """`SeedSequence(entropy, spawn_key=(k, step)).generate_state(4, np.uint64)` for every
    mechanism k < `mechanisms` and step < `steps`; shape (mechanisms, steps, 4)."""
    if mechanisms >= 2**32 or steps >= 2**32:
        raise ValueError("spawn keys above 2**32 take more than one word")
    run = _words(entropy)
    run += [0] * (_POOL - len(run))  # a spawn key pads the run's entropy to the pool size
    hashed = _Hash(_INIT_A)
    pool: list = [hashed(word, _MULT_A) for word in run[:_POOL]]
    for source in range(_POOL):
        for target in range(_POOL):
            if source != target:
                pool[target] = _mix(pool[target], hashed(pool[source], _MULT_A))
    keys = np.meshgrid(
        np.arange(mechanisms, dtype=np.uint64), np.arange(steps, dtype=np.uint64), indexing="ij"
    )
    for word in [*run[_POOL:], *keys]:
        for target in range(_POOL):
            pool[target] = _mix(pool[target], hashed(word, _MULT_A))
    pool = [np.broadcast_to(np.asarray(word, np.uint64), keys[0].shape) for word in pool]
    hashed = _Hash(_INIT_B)
    state = np.stack([hashed(pool[i % _POOL], _MULT_B) for i in range(_STATE_WORDS)], axis=-1)
    return (state[..., 0::2] | (state[..., 1::2] << np.uint64(32))).astype(np.uint64)
