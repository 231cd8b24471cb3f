"""Decompression bombs and the biggest photos allowed: refused or shrunk, and four at once stay cheap.

The memory is measured in a process of its own, as a server process would spend it: its peak resident size
(VmHWM) above its size once warmed up, while four threads clean four worst-case uploads at the same time.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BUDGET_MB = 150

MAKE = textwrap.dedent("""
    import sys
    from PIL import Image, ImageDraw
    out = sys.argv[1]
    Image.new("1", (8900, 8900)).save(f"{out}/bomb.png")  # a few KB, 79 megapixels
    png = Image.new("RGBA", (3162, 3162), (40, 120, 90, 200))  # 10 MP, see-through: the costliest PNG allowed
    ImageDraw.Draw(png).ellipse((100, 100, 3062, 3062), fill=(200, 30, 30, 255))
    png.save(f"{out}/big.png")
    del png
    jpeg = Image.new("RGB", (16320, 12240), (90, 140, 200))  # 199.8 MP: the largest JPEG allowed
    ImageDraw.Draw(jpeg).rectangle((2000, 2000, 9000, 9000), fill=(250, 250, 250))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: the photo must be turned back
    jpeg.save(f"{out}/big.jpg", quality=80, exif=exif)
""")

MEASURE = textwrap.dedent("""
    import json, os, sys, threading
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files import File
    from core.photos import clean_photo

    def status(key):
        for line in open("/proc/self/status"):
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024  # MB
    def clean(path, results):
        with open(path, "rb") as raw:
            try:
                made, _token, extension = clean_photo(File(raw, name=os.path.basename(path)))
                results.append([os.path.basename(path), "kept", extension, len(made.read())])
            except ValidationError as refused:
                results.append([os.path.basename(path), "refused", refused.messages[0]])

    folder, names = sys.argv[1], sys.argv[2:]
    warm = []
    for name in ("big.png", "big.jpg", "bomb.png"):  # every codec loaded once, then let go
        clean(f"{folder}/{name}", warm)
    idle = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as reset:  # the peak counted from here
        reset.write("5")
    results = []
    threads = [threading.Thread(target=clean, args=(f"{folder}/{name}", results)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"idle": idle, "peak": status("VmHWM"), "results": results, "warm": warm}))
""")


@pytest.fixture(scope="module")
def worst(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("worst")
    subprocess.run([sys.executable, "-c", MAKE, str(folder)], check=True, timeout=300)
    return folder


def measure(folder: Path, names: list[str]) -> dict:
    run = subprocess.run([sys.executable, "-c", MEASURE, str(folder), *names], capture_output=True, text=True,
                         timeout=300, cwd=Path(__file__).resolve().parents[2], env={
                             **__import__("os").environ, "DJANGO_DEBUG": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", ["bomb.png", "big.png", "big.jpg"])
def test_four_worst_case_uploads_at_once_stay_under_150_mb_above_idle(worst, name):
    found = measure(worst, [name] * 4)
    assert found["peak"] - found["idle"] < BUDGET_MB, found
    assert len(found["results"]) == 4
    for result in found["results"]:
        if name == "bomb.png":
            assert result[1] == "refused" and "more than 10 million pixels" in result[2]
        else:
            assert result[1] == "kept"


def test_the_largest_photos_allowed_come_out_shrunk_and_turned(worst):
    from django.core.files import File
    from PIL import Image

    from core.photos import clean_photo

    with open(worst / "big.jpg", "rb") as raw:
        made, _token, extension = clean_photo(File(raw, name="big.jpg"))
    with Image.open(made) as kept:
        assert extension == "jpg" and kept.size == (1920, 2560)  # portrait: the phone was turned
        assert not kept.getexif()
    with open(worst / "big.png", "rb") as raw:
        made, _token, extension = clean_photo(File(raw, name="big.png"))
    with Image.open(made) as kept:
        assert extension == "png" and kept.size == (2560, 2560) and kept.mode == "RGBA"
        red, green, blue, alpha = kept.getpixel((5, 5))
        assert alpha == 200 and abs(red - 40) + abs(green - 120) + abs(blue - 90) <= 3  # the transparency kept
