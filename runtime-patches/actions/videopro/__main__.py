"""VideoPro (Medes appl 3): OpenCV processing of a seeded synthetic video.

Params: frames (default 48), width (default 320), height (default 240), seed (default 1),
encode ("auto" (default): cv2.VideoWriter with MJPG into a temp .avi, falling back to per-frame
cv2.imencode JPEG when no writer opens; "imencode": always per-frame).
Work: draw each frame (noisy background + a moving disc and a moving square, positions from the seed),
convert to greyscale, Gaussian blur, Canny edges, count edge pixels; encode the frames and, for a
written video, read it back with cv2.VideoCapture and count the frames.
"""
import hashlib
import os
import tempfile

import cv2
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


def _frames(count, width, height, seed):
    rng = np.random.default_rng(seed)
    background = rng.integers(0, 40, size=(height, width, 3), dtype=np.uint8)
    radius = max(4, min(width, height) // 8)
    side = max(4, min(width, height) // 6)
    cx, cy = (int(v) for v in rng.integers(radius, max(radius + 1, width - radius), 2) % width)
    vx, vy = (int(v) for v in rng.integers(2, 7, 2))
    sx, sy = int(rng.integers(0, max(1, width - side))), int(rng.integers(0, max(1, height - side)))
    colour = tuple(int(v) for v in rng.integers(120, 256, 3))
    for index in range(count):
        frame = background.copy()
        x = radius + (cx + vx * index) % max(1, width - 2 * radius)
        y = radius + (cy + vy * index) % max(1, height - 2 * radius)
        cv2.circle(frame, (x, y), radius, colour, thickness=-1)
        top_left = ((sx + 3 * index) % max(1, width - side), (sy + 2 * index) % max(1, height - side))
        cv2.rectangle(frame, top_left, (top_left[0] + side, top_left[1] + side), (255, 255, 255), 2)
        cv2.putText(frame, "%03d" % index, (4, height - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (200, 200, 200), 1)
        yield frame


def _write_video(frames, width, height):
    """Returns (bytes written, frames read back) or None when no MJPG writer can be opened."""
    with tempfile.TemporaryDirectory(prefix="videopro-") as scratch:
        path = os.path.join(scratch, "out.avi")
        writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"MJPG"), 24.0, (width, height))
        if not writer.isOpened():
            return None
        try:
            for frame in frames:
                writer.write(frame)
        finally:
            writer.release()
        size = os.path.getsize(path)
        capture = cv2.VideoCapture(path)
        read_back = 0
        try:
            while True:
                ok, _ = capture.read()
                if not ok:
                    break
                read_back += 1
        finally:
            capture.release()
        return size, read_back


def main(params):
    try:
        count = _int_param(params, "frames", 48, 1, 2000)
        width = _int_param(params, "width", 320, 32, 3840)
        height = _int_param(params, "height", 240, 32, 2160)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
        encode = params.get("encode", "auto")
        if encode not in ("auto", "imencode"):
            raise BadParam("param 'encode' must be 'auto' or 'imencode', got %r" % (encode,))
    except BadParam as err:
        return {"error": str(err)}

    frames = list(_frames(count, width, height, seed))
    edge_digest = hashlib.sha256()
    edge_counts = []
    for frame in frames:
        grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        blurred = cv2.GaussianBlur(grey, (5, 5), 1.2)
        edges = cv2.Canny(blurred, 60, 150)
        edge_counts.append(int(np.count_nonzero(edges)))
        edge_digest.update(edges.tobytes())

    written = None
    writer_problem = None
    if encode == "auto":
        try:
            written = _write_video(frames, width, height)
            if written is None:
                writer_problem = "cv2.VideoWriter could not open an MJPG writer"
        except OSError as err:  # e.g. a read-only or full temp directory inside the sandbox
            writer_problem = "%s: %s" % (type(err).__name__, err)
    if written is not None:
        encoding = {"method": "cv2.VideoWriter MJPG/avi", "bytes": written[0], "frames_read_back": written[1]}
    else:
        total = 0
        decoded = 0
        for frame in frames:
            ok, buffer = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 85])
            if not ok:
                return {"error": "cv2.imencode failed to encode a JPEG frame"}
            total += len(buffer)
            decoded += cv2.imdecode(buffer, cv2.IMREAD_COLOR) is not None
        encoding = {"method": "cv2.imencode jpg per frame", "bytes": total, "frames_read_back": decoded,
                    "fallback_reason": writer_problem}

    return {
        "seed": seed,
        "frames": count,
        "frame_shape": list(frames[0].shape),
        "edge_pixels_per_frame": edge_counts,
        "edge_pixels_total": sum(edge_counts),
        "encoding": encoding,
        "opencv_version": cv2.__version__,
        "checksum": edge_digest.hexdigest(),
    }
