# VideoPro: OpenCV frame processing on generated frames.
import cv2
import numpy as np

# Inputs are fixed like FunctionBench's input files: every sandbox of the function sees the same data.
rng = np.random.default_rng(20220405)
FRAMES = [(rng.random((240, 320, 3)) * 255).astype(np.uint8) for _ in range(8)]


def main(args):
    edges = 0
    for frame in FRAMES:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        edges += int(cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 50, 150).sum() // 255)
    return {"edges": edges}
