# LinAlg: numpy matrix algebra.
import numpy as np

# Inputs are fixed like FunctionBench's input files: every sandbox of the function sees the same data.
STATE = np.random.default_rng(20220405).random((512, 512))


def main(args):
    a = STATE @ STATE.T + np.eye(STATE.shape[0])
    inv = np.linalg.inv(a)
    return {"trace": float(np.trace(inv @ a))}
