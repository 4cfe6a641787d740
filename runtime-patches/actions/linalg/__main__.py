"""LinAlg (Medes appl 1): numpy dense linear algebra on a seeded random n x n system.

Params: n (matrix order, default 600), seed (default 1).
Work: C = A @ B, solve A x = b, symmetric eigenvalues of A A^T, singular values of A, determinant sign
and log-determinant. The result carries self-checks that an independent caller can re-verify:
the solve residual, sum(s^2) against ||A||_F^2, and max eig(A A^T) against max(s)^2.
"""
import hashlib

import numpy as np


class BadParam(ValueError):
    pass


def _int_param(params, name, default, low, high):
    value = params.get(name, default)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadParam("param %r must be an integer, got %r" % (name, value))
    if not low <= value <= high:
        raise BadParam("param %r must be in [%d, %d], got %d" % (name, low, high, value))
    return value


def _digest(*arrays):
    h = hashlib.sha256()
    for array in arrays:
        h.update(np.ascontiguousarray(array).tobytes())
    return h.hexdigest()


def main(params):
    try:
        n = _int_param(params, "n", 600, 2, 3000)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
    except BadParam as err:
        return {"error": str(err)}

    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    b_matrix = rng.standard_normal((n, n))
    b = rng.standard_normal(n)

    c = a @ b_matrix
    x = np.linalg.solve(a, b)
    residual = float(np.linalg.norm(a @ x - b) / np.linalg.norm(b))
    gram_eigenvalues = np.linalg.eigvalsh(a @ a.T)
    singular_values = np.linalg.svd(a, compute_uv=False)
    sign, logdet = np.linalg.slogdet(a)
    frobenius_sq = float(np.sum(a * a))

    input_digest = _digest(a, b_matrix, b)
    # Rounded so that the digest names the numbers, not the last bits of a BLAS summation order.
    result_digest = _digest(np.round(singular_values, 8), np.round(x, 8))
    return {
        "n": n,
        "seed": seed,
        "input_digest": input_digest,
        "result_digest": result_digest,
        "checksum": hashlib.sha256((input_digest + result_digest).encode()).hexdigest(),
        "solve_relative_residual": residual,
        "frobenius_sq": frobenius_sq,
        "sum_singular_values_sq": float(np.sum(singular_values ** 2)),
        "max_gram_eigenvalue": float(gram_eigenvalues[-1]),
        "max_singular_value": float(singular_values[0]),
        "min_singular_value": float(singular_values[-1]),
        "condition_number": float(singular_values[0] / singular_values[-1]),
        "slogdet_sign": float(sign),
        "log_abs_det": float(logdet),
        "sum_log_singular_values": float(np.sum(np.log(singular_values))),
        "product_trace": float(np.trace(c)),
        "product_trace_check": float(np.sum(a * b_matrix.T)),
        "x_head": [float(v) for v in x[:5]],
    }
