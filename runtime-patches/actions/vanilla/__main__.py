"""Vanilla (Medes appl 0): plain-Python CPU work — a prime sieve and Fibonacci numbers.

Params: n (sieve limit, default 2000000), fib (Fibonacci index, default 20000), seed (default 1).
The seed draws 1000 numbers in [0, n] whose primality is looked up in the sieve.
"""
import hashlib
import math
import random
import time

_LOADED_AT = time.time()


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


def _primes_up_to(n):
    if n < 2:
        return []
    sieve = bytearray([1]) * (n + 1)
    sieve[0] = sieve[1] = 0
    for p in range(2, math.isqrt(n) + 1):
        if sieve[p]:
            sieve[p * p::p] = bytes(len(range(p * p, n + 1, p)))
    return [i for i, flag in enumerate(sieve) if flag]


def _fibonacci(k):
    a, b = 0, 1
    for _ in range(k):
        a, b = b, a + b
    return a


def main(params):
    try:
        n = _int_param(params, "n", 2000000, 0, 20000000)
        fib_index = _int_param(params, "fib", 20000, 0, 100000)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
    except BadParam as err:
        return {"error": str(err)}

    primes = _primes_up_to(n)
    prime_set = set(primes)
    rng = random.Random(seed)
    drawn = [rng.randint(0, n) for _ in range(1000)]
    drawn_primes = [x for x in drawn if x in prime_set]
    fib = _fibonacci(fib_index)
    # A little floating-point work as well, as FunctionBench's float_operation does.
    float_sum = math.fsum(math.sin(p) * math.sqrt(p) for p in primes[:20000])

    digest = hashlib.sha256()
    digest.update(",".join(map(str, primes)).encode())
    digest.update(str(fib).encode())
    digest.update(",".join(map(str, drawn)).encode())
    return {
        "n": n,
        "prime_count": len(primes),
        "prime_sum": sum(primes),
        "largest_prime": primes[-1] if primes else None,
        "seed": seed,
        "drawn_numbers": drawn[:20],
        "drawn_prime_flags": [x in prime_set for x in drawn[:20]],
        "drawn_prime_count": len(drawn_primes),
        "fib_index": fib_index,
        "fib_mod_1e9_7": fib % 1000000007,
        "fib_digits": len(str(fib)),
        "fib_last_20_digits": str(fib)[-20:],
        "float_sum": round(float_sum, 6),
        "checksum": digest.hexdigest(),
    }
