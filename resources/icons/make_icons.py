"""Draw the LapTune icon with QPainter: PNGs at 16-256 px and a Windows .ico. Run: python resources/icons/make_icons.py"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen  # noqa: E402

HERE = Path(__file__).resolve().parent
SIZES = (16, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256.0
    # A rounded "laptop screen" with a falling loss curve and a small heat dot: what LapTune watches.
    grad = QLinearGradient(0, 0, 0, size)
    grad.setColorAt(0, QColor("#2b6cb0"))
    grad.setColorAt(1, QColor("#1a4480"))
    p.setBrush(grad)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(12 * s, 24 * s, 232 * s, 168 * s), 24 * s, 24 * s)
    p.setBrush(QColor("#cbd5e0"))
    p.drawRoundedRect(QRectF(0, 200 * s, 256 * s, 32 * s), 12 * s, 12 * s)
    curve = QPainterPath(QPointF(40 * s, 60 * s))
    curve.cubicTo(QPointF(80 * s, 150 * s), QPointF(130 * s, 150 * s), QPointF(216 * s, 160 * s))
    p.setPen(QPen(QColor("#ffffff"), max(1.5, 16 * s), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(curve)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#f6ad55"))
    p.drawEllipse(QPointF(200 * s, 64 * s), 22 * s, 22 * s)
    p.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    for size in SIZES:
        draw(size).save(str(HERE / f"laptune-{size}.png"), "PNG")
    draw(256).save(str(HERE / "laptune.png"), "PNG")
    _write_ico([draw(size) for size in (16, 32, 48, 256)], HERE / "laptune.ico")
    del app
    return 0


def _write_ico(images: list[QImage], path: Path) -> None:
    """A multi-size .ico holding PNG images (Windows Vista and later read these)."""
    import struct

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    blobs = []
    for image in images:
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        blobs.append((image.width(), bytes(data.data())))
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = 6 + 16 * len(blobs)
    entries, body = b"", b""
    for width, blob in blobs:
        w = 0 if width >= 256 else width
        entries += struct.pack("<BBBBHHII", w, w, 0, 0, 1, 32, len(blob), offset + len(body))
        body += blob
    path.write_bytes(header + entries + body)


if __name__ == "__main__":
    sys.exit(main())
