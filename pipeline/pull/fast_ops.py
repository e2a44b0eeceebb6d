"""Matrix products for GiNZA through numpy's BLAS instead of thinc's bundled blis.

thinc multiplies matrices with blis by default; on this project's machines
numpy's OpenBLAS does the same float32 products about three times as fast,
and GiNZA spends most of its time there.  The results are the same products,
so the entities do not change (``tests/test_pull_entities.py`` holds the
scores).  The ops must be installed before the model is loaded, because each
layer keeps the ops it was built with.
"""

from __future__ import annotations

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


def use_openblas_gemm() -> None:
    """Make numpy's BLAS the current thinc ops (CPU only; a GPU setup is left alone)."""
    if isinstance(get_current_ops(), NumpyOps) and not isinstance(get_current_ops(), OpenBlasOps):
        set_current_ops(OpenBlasOps())
