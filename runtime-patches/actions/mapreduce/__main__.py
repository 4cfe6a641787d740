"""MapReduce (Medes appl 4): word count over seeded synthetic text, mapped over worker processes.

Params: lines (default 20000), words_per_line (default 40), chunks (default 8), seed (default 1),
mode ("auto" (default): multiprocessing Pool of 2 fork workers, falling back to in-process map when a
pool cannot start or fails inside the sandbox; "pool": pool only, an error if it fails;
"inprocess": never fork).
The result says which mode ran and, after a fallback, why.
"""
import collections
import hashlib
import multiprocessing
import random
import re

_WORD = re.compile(r"[a-z']+")
_POOL_TIMEOUT_S = 60
_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "qua", "bri", "dol", "fen", "gor"]


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


def _generate_text(lines, words_per_line, seed):
    rng = random.Random(seed)
    vocabulary = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(600)})
    # Zipf-like weights make a few words frequent, as in natural text.
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    rng.shuffle(vocabulary)
    text_lines = []
    for _ in range(lines):
        words = rng.choices(vocabulary, weights=weights, k=words_per_line)
        if rng.random() < 0.3:
            words[0] = words[0].capitalize()
        text_lines.append(" ".join(words) + rng.choice([".", ",", "!", "?", ""]))
    return text_lines


def map_count(chunk):
    """Map step: one chunk of lines to a Counter of lower-cased words (module-level so a pool can pickle it)."""
    counts = collections.Counter()
    for line in chunk:
        counts.update(_WORD.findall(line.lower()))
    return counts


def _reduce(partials):
    total = collections.Counter()
    for partial in partials:
        total.update(partial)
    return total


def _map_with_pool(chunks):
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=2) as pool:
        partials = pool.map_async(map_count, chunks).get(timeout=_POOL_TIMEOUT_S)
        pool.close()
        pool.join()
    return partials


def main(params):
    try:
        lines = _int_param(params, "lines", 20000, 1, 2000000)
        words_per_line = _int_param(params, "words_per_line", 40, 1, 1000)
        chunk_count = _int_param(params, "chunks", 8, 1, 256)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
        mode = params.get("mode", "auto")
        if mode not in ("auto", "pool", "inprocess"):
            raise BadParam("param 'mode' must be 'auto', 'pool' or 'inprocess', got %r" % (mode,))
    except BadParam as err:
        return {"error": str(err)}

    text = _generate_text(lines, words_per_line, seed)
    size = -(-len(text) // chunk_count)
    chunks = [text[i:i + size] for i in range(0, len(text), size)]

    ran = "inprocess"
    fallback_reason = None
    partials = None
    if mode in ("auto", "pool"):
        try:
            partials = _map_with_pool(chunks)
            ran = "pool"
        except Exception as err:  # the sandbox may forbid fork, lack /dev/shm semaphores, or kill workers
            if mode == "pool":
                return {"error": "multiprocessing pool failed: %s: %s" % (type(err).__name__, err)}
            fallback_reason = "%s: %s" % (type(err).__name__, err)
    if partials is None:
        partials = [map_count(chunk) for chunk in chunks]
    counts = _reduce(partials)

    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    digest = hashlib.sha256("\n".join("%s %d" % item for item in ordered).encode()).hexdigest()
    return {
        "seed": seed,
        "mode": ran,
        "pool_processes": 2 if ran == "pool" else 0,
        "fallback_reason": fallback_reason,
        "lines": lines,
        "chunks": len(chunks),
        "total_words": sum(counts.values()),
        "distinct_words": len(counts),
        "top_words": [[word, count] for word, count in ordered[:10]],
        "checksum": digest,
    }
