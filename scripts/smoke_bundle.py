"""Smoke test of the PyInstaller bundle: run it as a user would, offscreen, with no Python around it.

Runs ``dist/drug-viewer/drug-viewer`` (or the folder given) with a scrubbed environment (no PYTHONPATH,
no PYTHONHOME, no virtualenv, a PATH without the venv), from an empty directory: prints its version,
lists the shipped drugs, exports the dose-response chart as PNG, SVG and CSV and the forest plot as PDF,
and parses every file (PNG chunks and size, SVG as XML with drawn paths, PDF header, trailer and fonts, CSV rows);
then opens and closes the window offscreen. Checks too that every shared library the executable loads
is either inside the bundle or a system library, never a Python installation's.
Standard library only, so it runs with any Python and proves nothing about the venv.

Usage: python scripts/smoke_bundle.py [dist/drug-viewer]
"""

from __future__ import annotations

import csv
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


def run(exe: Path, *args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    started = time.perf_counter()
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False)
    took = time.perf_counter() - started
    print(f"$ drug-viewer {' '.join(args)}  -> exit {done.returncode} in {took:.1f} s", flush=True)
    if done.returncode != 0:
        raise SystemExit(f"FAILED: drug-viewer {' '.join(args)}\n{done.stdout}\n{done.stderr}")
    return done


def check_png(path: Path, width: int, height: int) -> str:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    offset, chunks, pixels = 8, [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks.append(kind)
        if kind == b"IDAT":
            pixels += body
        offset += 12 + length
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == (width, height), f"PNG is {w}x{h}, asked for {width}x{height}"
    assert chunks[-1] == b"IEND"
    raw = zlib.decompress(pixels)
    assert len(set(raw)) > 16, "the image is (nearly) blank"
    return f"PNG {w}x{h}, {len(chunks)} chunks, {len(set(raw))} distinct byte values"


def check_svg(path: Path) -> str:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg", root.tag
    paths = root.iter(f"{SVG}path")
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    n_paths = sum(1 for _ in paths)
    assert n_paths > 20, f"only {n_paths} paths"
    assert any("ACR20" in t for t in texts), "no ACR20 text"
    return f"SVG well-formed, {n_paths} paths, {len(texts)} text elements"


def check_pdf(path: Path) -> str:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), "not a PDF header"
    assert data.rstrip().endswith(b"%%EOF"), "no %%EOF"
    assert b"/Font" in data, "no font"
    return f"PDF {data[:8].decode().strip()}, {len(data)} bytes, fonts present"


def check_csv(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    trials = {r["trial"] for r in rows}
    assert {"BALANCE-II", "RA-BEAM", "SELECT-COMPARE"} <= trials, trials  # the MTX-IR trials of the three drugs
    return f"CSV {len(rows)} rows, trials: {', '.join(sorted(trials))}"


def shared_libraries(exe: Path) -> str:
    ldd = shutil.which("ldd")
    if ldd is None:
        return "ldd not found: library check skipped"
    listed = subprocess.run([ldd, str(exe)], capture_output=True, text=True, check=True).stdout
    resolved = [line.split("=>")[1].split("(")[0].strip() for line in listed.splitlines() if "=>" in line]
    python_libs = [lib for lib in resolved if "python" in lib.lower() and not lib.startswith(str(exe.parent))]
    assert not python_libs, f"the executable loads a Python from outside the bundle: {python_libs}"
    return f"{len(resolved)} shared libraries, none from a Python installation"


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "drug-viewer"
    exe = folder.resolve() / "drug-viewer"
    if not exe.is_file():
        raise SystemExit(f"no bundle at {exe}: run `make bundle` first")
    size = sum(f.lstat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"bundle: {folder} ({size / 2**20:.0f} MiB, {sum(1 for _ in folder.rglob('*'))} files)")
    print(shared_libraries(exe))
    with tempfile.TemporaryDirectory(prefix="drug-viewer-smoke-") as tmp:
        work, home = Path(tmp) / "work", Path(tmp) / "home"
        work.mkdir()
        home.mkdir()
        version = run(exe, "--version", cwd=work, home=home).stdout.strip()
        assert version.startswith("drug-viewer "), version
        print(f"  {version}")
        drugs = run(exe, "list", "drugs", cwd=work, home=home).stdout.splitlines()
        names = {line.split("\t")[0] for line in drugs}
        assert {"upadacitinib", "tofacitinib", "baricitinib"} <= names, names
        print(f"  {len(drugs)} shipped drugs: {', '.join(sorted(names))}")
        chart = ("export", "--drug", "upadacitinib", "--drug", "tofacitinib", "--drug", "baricitinib")
        chart += ("--outcome", "ACR20", "--population", "MTX-IR", "--chart", "dose-response")
        run(exe, *chart, "-o", "acr20.png", "--width", "1200", "--height", "800", cwd=work, home=home)
        print("  " + check_png(work / "acr20.png", 1200, 800))
        run(exe, *chart, "-o", "acr20.svg", cwd=work, home=home)
        print("  " + check_svg(work / "acr20.svg"))
        run(exe, *chart, "-o", "acr20.csv", cwd=work, home=home)
        print("  " + check_csv(work / "acr20.csv"))
        run(exe, "export", "--chart", "forest", "--effect", "rr", "-o", "forest.pdf", cwd=work, home=home)
        print("  " + check_pdf(work / "forest.pdf"))
        window = run(exe, "--smoke", cwd=work, home=home)
        assert "Traceback" not in window.stderr, window.stderr
        print("  window opened and closed offscreen")
    print("bundle smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
