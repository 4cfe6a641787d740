# AuthEnc: AES (pyaes, pure Python) in CTR mode.
import os

import pyaes

KEY = os.urandom(32)  # a per-sandbox secret
MESSAGE = bytes(range(256)) * 64


def main(args):
    message = MESSAGE
    ciphertext = pyaes.AESModeOfOperationCTR(KEY).encrypt(message)
    plaintext = pyaes.AESModeOfOperationCTR(KEY).decrypt(ciphertext)
    return {"ok": plaintext == message, "bytes": len(ciphertext)}
