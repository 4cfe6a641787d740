# Vanilla: plain Python, no libraries beyond the standard ones.
import math
import time


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def main(args):
    start = time.time()
    values = [math.sqrt(fib(i % 90)) for i in range(20000)]
    return {"sum": round(sum(values), 3), "ms": round((time.time() - start) * 1000, 1)}
