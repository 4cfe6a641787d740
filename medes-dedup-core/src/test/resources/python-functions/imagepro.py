# ImagePro: Pillow image processing on a generated image, numpy for statistics.
import numpy as np
from PIL import Image, ImageFilter

# Inputs are fixed like FunctionBench's input files: every sandbox of the function sees the same data.
rng = np.random.default_rng(20220405)
PIXELS = (rng.random((480, 640, 3)) * 255).astype(np.uint8)


def main(args):
    img = Image.fromarray(PIXELS, "RGB")
    out = img.rotate(30).resize((320, 240)).filter(ImageFilter.GaussianBlur(2)).convert("L")
    return {"mean": float(np.asarray(out).mean())}
