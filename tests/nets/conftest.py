"""Where the network tests run: ``device`` and ``dtype`` fixtures (kornia style).

The options ``--device`` (cpu, cuda, cuda:1 …; default cpu) and ``--dtype`` (float32, bfloat16,
float16; default float32) are declared in ``tests/conftest.py`` (pytest reads options only from
the root conftest), e.g. ``pytest tests/nets --device cuda --dtype bfloat16``. Asking for CUDA on
a machine without it skips the tests that use ``device``.
"""

from __future__ import annotations

import pytest
import torch

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
#: Absolute tolerance for results that differ only by floating-point rounding, per dtype.
ROUNDING_ATOL = {torch.float32: 1e-4, torch.bfloat16: 2e-2, torch.float16: 5e-3}


@pytest.fixture
def device(request: pytest.FixtureRequest) -> torch.device:
    """The torch device the network tests build nets and tensors on."""
    name = str(request.config.getoption("--device", default="cpu"))
    dev = torch.device(name)
    if dev.type == "cuda" and not torch.cuda.is_available():
        pytest.skip(f"--device {name}: torch sees no CUDA device")
    if dev.type == "cuda" and dev.index is not None and dev.index >= torch.cuda.device_count():
        pytest.skip(f"--device {name}: only {torch.cuda.device_count()} CUDA device(s)")
    return dev


@pytest.fixture
def dtype(request: pytest.FixtureRequest) -> torch.dtype:
    """The floating-point dtype of the nets' parameters and inputs in the network tests."""
    name = str(request.config.getoption("--dtype", default="float32"))
    if name not in DTYPES:
        raise pytest.UsageError(f"--dtype {name}: choose from {', '.join(DTYPES)}")
    return DTYPES[name]


@pytest.fixture
def atol(dtype: torch.dtype) -> float:
    """Tolerance for 'equal up to rounding' at ``dtype`` (1e-4 at float32)."""
    return ROUNDING_ATOL[dtype]
