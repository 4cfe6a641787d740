"""ImagePro (Medes appl 2): Pillow image transforms on a seeded synthetic picture.

Params: width (default 1024), height (default 768), seed (default 1), jpeg_quality (default 85).
Work: draw an RGB picture (numpy noise + gradient + seeded shapes), then resize to half size, rotate by
90 (expanding) and by 30 degrees, Gaussian blur, edge-enhance and find-edges filters, convert to
greyscale, thumbnail, and encode the results as PNG and JPEG. The result reports every output size, the
encoded byte counts, and digests of the pixels and of the PNG decoded back.
"""
import hashlib
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps


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


def _synthesise(width, height, seed):
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 48, size=(height, width, 3), dtype=np.uint8)
    ramp_x = np.linspace(0, 160, width, dtype=np.float32)[None, :, None]
    ramp_y = np.linspace(0, 160, height, dtype=np.float32)[:, None, None]
    base = np.clip(noise + ramp_x * np.array([1.0, 0.3, 0.0]) + ramp_y * np.array([0.0, 0.4, 1.0]), 0, 255)
    image = Image.fromarray(base.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(24):
        x0, x1 = sorted(int(v) for v in rng.integers(0, width, 2))
        y0, y1 = sorted(int(v) for v in rng.integers(0, height, 2))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.rectangle([x0, y0, x1, y1], outline=colour, width=3)
        else:
            draw.ellipse([x0, y0, x1, y1], fill=colour)
    return image


def _pixel_digest(image):
    return hashlib.sha256(image.mode.encode() + repr(image.size).encode() + image.tobytes()).hexdigest()


def _encode(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def main(params):
    try:
        width = _int_param(params, "width", 1024, 8, 8192)
        height = _int_param(params, "height", 768, 8, 8192)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
        quality = _int_param(params, "jpeg_quality", 85, 1, 95)
    except BadParam as err:
        return {"error": str(err)}

    original = _synthesise(width, height, seed)
    resized = original.resize((width // 2, height // 2), Image.Resampling.LANCZOS)
    rotated_90 = resized.rotate(90, expand=True)
    rotated_30 = resized.rotate(30, resample=Image.Resampling.BICUBIC, expand=True)
    blurred = resized.filter(ImageFilter.GaussianBlur(radius=3))
    sharpened = blurred.filter(ImageFilter.EDGE_ENHANCE_MORE)
    edges = ImageOps.grayscale(resized).filter(ImageFilter.FIND_EDGES)
    grey = ImageOps.grayscale(sharpened)
    thumbnail = original.copy()
    thumbnail.thumbnail((128, 128))

    png = _encode(grey, "PNG", optimize=False)
    jpeg = _encode(sharpened, "JPEG", quality=quality)
    with Image.open(io.BytesIO(png)) as decoded_png:
        png_roundtrip_digest = _pixel_digest(decoded_png.convert(grey.mode))
    with Image.open(io.BytesIO(jpeg)) as decoded_jpeg:
        jpeg_decoded_size = list(decoded_jpeg.size)

    edge_histogram = edges.histogram()
    return {
        "seed": seed,
        "original_size": list(original.size),
        "resized_size": list(resized.size),
        "rotated_90_size": list(rotated_90.size),
        "rotated_30_size": list(rotated_30.size),
        "thumbnail_size": list(thumbnail.size),
        "grey_mode": grey.mode,
        "png_bytes": len(png),
        "png_signature_hex": png[:8].hex(),
        "jpeg_bytes": len(jpeg),
        "jpeg_decoded_size": jpeg_decoded_size,
        "grey_pixel_digest": _pixel_digest(grey),
        "png_roundtrip_digest": png_roundtrip_digest,
        "original_pixel_digest": _pixel_digest(original),
        "edge_pixels_over_64": sum(edge_histogram[64:]),
        "mean_grey": round(sum(i * c for i, c in enumerate(grey.histogram())) / (grey.size[0] * grey.size[1]), 6),
        "checksum": hashlib.sha256(png + _pixel_digest(rotated_30).encode() + _pixel_digest(edges).encode()).hexdigest(),
    }
