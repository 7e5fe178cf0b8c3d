"""Record the French audio clips of the captcha once, with espeak-ng and sox.

Run from the repository root (needs Debian's ``espeak-ng`` and ``sox``):

    .venv/bin/python comment_service/captcha/data/make_audio.py

It writes ``comment_service/captcha/data/audio/<CHAR>.wav`` for every character of
``comment_service.captcha.challenge.ALPHABET`` plus ``intro.wav`` and ``repeat.wav``:
mono, 16-bit, 11025 Hz, silence trimmed, so that the service can mix
them with the standard ``array`` and ``wave`` modules. The clips are committed; the service
never runs espeak-ng itself.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from comment_service.captcha.challenge import ALPHABET  # noqa: E402

# Letters are spelt with the French telephone alphabet ("B comme Berthe") so
# that B, D, P and T, which all end in "é", cannot be confused.
SPOKEN = {
    "A": "A, comme Anatole",
    "B": "B, comme Berthe",
    "C": "C, comme Célestin",
    "D": "D, comme Désiré",
    "E": "E, comme Eugène",
    "F": "F, comme François",
    "G": "G, comme Gaston",
    "H": "H, comme Henri",
    "L": "L, comme Louis",
    "P": "P, comme Pierre",
    "R": "R, comme Raoul",
    "T": "T, comme Thérèse",
    "W": "W, comme William",
    "Y": "Y, comme Yvonne",
    "3": "le chiffre 3",
    "4": "le chiffre 4",
    "7": "le chiffre 7",
    "9": "le chiffre 9",
    "intro": "Code de sécurité. Recopiez les cinq caractères suivants.",
    "repeat": "Je répète.",
}

RATE = 11025


def record(text: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", "fr", "-s", "130", "-w", str(raw), text], check=True)
        # Trim leading and trailing silence, then mono 16-bit at RATE Hz.
        subprocess.run(
            [
                "sox", str(raw), "-c", "1", "-b", "16", "-r", str(RATE), str(target),
                "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse",
            ],
            check=True,
        )


def main() -> int:
    missing = set(ALPHABET) - SPOKEN.keys()
    if missing:
        print(f"no spoken form for {sorted(missing)}", file=sys.stderr)
        return 1
    out = HERE / "audio"
    out.mkdir(exist_ok=True)
    for name in list(ALPHABET) + ["intro", "repeat"]:
        record(SPOKEN[name], out / f"{name}.wav")
        print(f"wrote {out / (name + '.wav')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
