"""`moderators add` on a real terminal (a pseudo-terminal, as an operator's
shell gives it): the rule before the first entry, French prompts, a password
that breaks the rule or differs asked again; on standard input, one line."""

from __future__ import annotations

import os
import pty
import select
import sys
import time

from comment_service.console.accounts import Accounts
from support import ROOT


def on_terminal(store, answers: list[str], name: str = "camille") -> tuple[int, str]:
    """Run `moderators add NAME` under a pty; type each answer when a prompt shows."""
    pid, master = pty.fork()
    if pid == 0:  # the child: a session with the pty as its controlling terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "comment_service", "--store", str(store),
                                  "moderators", "add", name])
    screen, pending = b"", list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            screen += chunk
            if pending and screen.endswith(b" : "):  # a prompt, waiting
                os.write(master, pending.pop(0).encode() + b"\n")
    else:
        os.kill(pid, 9)  # still asking: the test fails below, it does not hang
    _, status = os.waitpid(pid, 0)
    os.close(master)
    return os.waitstatus_to_exitcode(status), screen.decode("utf-8", "replace").replace("\r\n", "\n")


def test_the_rule_comes_first_and_a_short_password_is_asked_again(tmp_path):
    code, screen = on_terminal(tmp_path, ["court", "une phrase assez longue", "une phrase assez longue"])
    assert code == 0, screen
    rule = screen.index("au moins 12 caractères")
    assert rule < screen.index("Mot de passe :")
    assert "Mot de passe trop court (5 caractères)" in screen and "Recommencez." in screen
    assert screen.count("Mot de passe :") == 2 and "compte camille créé" in screen
    assert "Password" not in screen and "Traceback" not in screen
    assert Accounts(tmp_path).verify("camille", "une phrase assez longue")


def test_two_different_entries_are_asked_again_then_given_up(tmp_path):
    answers = ["une phrase assez longue", "une autre phrase longue"] * 3
    code, screen = on_terminal(tmp_path, answers)
    assert code == 1, screen
    assert screen.count("Les deux saisies diffèrent. Recommencez.") == 3
    assert "Abandon après 3 essais : aucun compte n'a été modifié." in screen
    assert Accounts(tmp_path).load() == {}


def test_a_taken_name_is_refused_before_any_password(tmp_path):
    Accounts(tmp_path).add("camille", "une phrase assez longue")
    code, screen = on_terminal(tmp_path, [])
    assert code == 1 and "Le compte 'camille' existe déjà" in screen
    assert "Mot de passe :" not in screen


def test_standard_input_gives_one_line_checked_in_french(tmp_path):
    import subprocess

    def add(name, line):
        return subprocess.run([sys.executable, "-m", "comment_service", "--store", str(tmp_path),
                               "moderators", "add", name], cwd=ROOT, input=line, capture_output=True,
                              text=True, timeout=60)

    short = add("dominique", "court\n")
    assert short.returncode == 1
    assert "Mot de passe trop court (5 caractères) : il en faut au moins 12." in short.stderr
    good = add("dominique", "une phrase assez longue\n")
    assert good.returncode == 0 and "compte dominique créé" in good.stdout
