"""Matrix products for GiNZA through numpy's BLAS instead of thinc's bundled blis.

thinc multiplies matrices with blis by default; on this project's machines
numpy's OpenBLAS does the same float32 products about three times as fast,
and GiNZA spends most of its time there.  The results are the same products,
so the entities do not change (``tests/test_pull_entities.py`` holds the
scores).  The ops must be current while the model is loaded, because each
layer keeps the ops it was built with, and while it runs, for the code that
asks for the current ops; :func:`openblas_ops` makes them current for one
block only, so other thinc users in the process keep theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy
from thinc.api import NumpyOps, get_current_ops, set_current_ops


class OpenBlasOps(NumpyOps):
    """thinc's NumpyOps with ``gemm`` done by ``numpy.matmul``."""

    name = "numpy-openblas"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        left = x.T if trans1 else x
        right = y.T if trans2 else y
        if out is None:
            return numpy.matmul(left, right)
        numpy.matmul(left, right, out=out)
        return out


@contextmanager
def openblas_ops() -> Iterator[None]:
    """numpy's BLAS as thinc's current ops inside the block (CPU only; a GPU setup is left alone).

    thinc keeps the current ops per thread (a context variable), and the
    previous ops come back on exit, as with thinc's ``use_ops``.
    """
    current = get_current_ops()
    if not isinstance(current, NumpyOps) or isinstance(current, OpenBlasOps):
        yield
        return
    set_current_ops(OpenBlasOps())
    try:
        yield
    finally:
        set_current_ops(current)


def use_openblas_gemm() -> None:
    """Make numpy's BLAS the current thinc ops from here on, for scripts that time thinc itself.

    The pipeline uses :func:`openblas_ops`, which leaves the caller's ops alone.
    """
    if isinstance(get_current_ops(), NumpyOps) and not isinstance(get_current_ops(), OpenBlasOps):
        set_current_ops(OpenBlasOps())
