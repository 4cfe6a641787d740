"""AuthEnc (Medes appl 6): pyaes AES encryption with HMAC-SHA256 authentication (encrypt-then-MAC).

Params: size (message bytes, default 65536), seed (default 1), mode ("ctr" (default) or "cbc"),
passphrase (default "medes"), key_hex / iv_hex (optional: explicit AES key of 16, 24 or 32 bytes and
16-byte IV / initial counter block), return_ciphertext (default false).
Keys: without key_hex the AES-256 key is PBKDF2-HMAC-SHA256(passphrase, salt="medes-authenc-<seed>",
10000 iterations, 32 bytes); without iv_hex the IV is the first 16 bytes of SHA-256("iv-<seed>").
The MAC key is SHA-256("mac" || aes key); the MAC is HMAC-SHA256(mac key, iv || ciphertext).
CTR: the 16-byte IV is the initial counter block, incremented as one 128-bit big-endian integer
(as javax.crypto's AES/CTR/NoPadding). CBC: PKCS#7 padding (as AES/CBC/PKCS5Padding).
The message is seeded pseudo-random bytes; the result checks decrypt(encrypt(m)) == m, verifies the
MAC and checks that a one-bit change in the ciphertext is detected.
"""
import base64
import hashlib
import hmac
import random

import pyaes


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


def _hex_param(params, name, allowed_lengths):
    value = params.get(name)
    if value is None:
        return None
    try:
        raw = bytes.fromhex(value)
    except (TypeError, ValueError):
        raise BadParam("param %r must be a hex string, got %r" % (name, value))
    if len(raw) not in allowed_lengths:
        raise BadParam("param %r must decode to %s bytes, got %d" % (name, " or ".join(map(str, allowed_lengths)), len(raw)))
    return raw


def _encrypt(mode, key, iv, plaintext):
    if mode == "ctr":
        return pyaes.AESModeOfOperationCTR(key, counter=pyaes.Counter(int.from_bytes(iv, "big"))).encrypt(plaintext)
    encrypter = pyaes.Encrypter(pyaes.AESModeOfOperationCBC(key, iv=iv))
    return encrypter.feed(plaintext) + encrypter.feed()


def _decrypt(mode, key, iv, ciphertext):
    if mode == "ctr":
        return pyaes.AESModeOfOperationCTR(key, counter=pyaes.Counter(int.from_bytes(iv, "big"))).decrypt(ciphertext)
    decrypter = pyaes.Decrypter(pyaes.AESModeOfOperationCBC(key, iv=iv))
    return decrypter.feed(ciphertext) + decrypter.feed()


def main(params):
    try:
        size = _int_param(params, "size", 65536, 0, 16 * 1024 * 1024)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
        mode = params.get("mode", "ctr")
        if mode not in ("ctr", "cbc"):
            raise BadParam("param 'mode' must be 'ctr' or 'cbc', got %r" % (mode,))
        passphrase = params.get("passphrase", "medes")
        if not isinstance(passphrase, str) or not passphrase:
            raise BadParam("param 'passphrase' must be a non-empty string")
        key = _hex_param(params, "key_hex", (16, 24, 32))
        iv = _hex_param(params, "iv_hex", (16,))
        return_ciphertext = params.get("return_ciphertext", False)
        if not isinstance(return_ciphertext, bool):
            raise BadParam("param 'return_ciphertext' must be true or false, got %r" % (return_ciphertext,))
    except BadParam as err:
        return {"error": str(err)}

    if key is None:
        key = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), b"medes-authenc-%d" % seed, 10000, 32)
    if iv is None:
        iv = hashlib.sha256(b"iv-%d" % seed).digest()[:16]
    mac_key = hashlib.sha256(b"mac" + key).digest()
    message = random.Random(seed).randbytes(size)

    ciphertext = _encrypt(mode, key, iv, message)
    tag = hmac.new(mac_key, iv + ciphertext, hashlib.sha256).digest()

    # Receiver side: authenticate first, then decrypt.
    authentic = hmac.compare_digest(tag, hmac.new(mac_key, iv + ciphertext, hashlib.sha256).digest())
    decrypted = _decrypt(mode, key, iv, ciphertext) if authentic else b""
    tampered = bytearray(ciphertext or b"\x00")
    tampered[len(tampered) // 2] ^= 0x01
    tamper_detected = not hmac.compare_digest(tag, hmac.new(mac_key, iv + bytes(tampered), hashlib.sha256).digest())

    result = {
        "seed": seed,
        "mode": mode,
        "key_bits": len(key) * 8,
        "message_bytes": size,
        "ciphertext_bytes": len(ciphertext),
        "message_sha256": hashlib.sha256(message).hexdigest(),
        "decrypted_sha256": hashlib.sha256(decrypted).hexdigest(),
        "roundtrip_ok": decrypted == message,
        "mac_verified": authentic,
        "tamper_detected": tamper_detected,
        "hmac_sha256": tag.hex(),
        "checksum": hashlib.sha256(ciphertext).hexdigest(),
    }
    if return_ciphertext:
        result["ciphertext_b64"] = base64.b64encode(ciphertext).decode("ascii")
    return result
