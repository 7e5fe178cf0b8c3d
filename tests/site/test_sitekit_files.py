"""A build's own files (plugins/sitekit/files.py): replaced in one rename,
readable by the web server whatever the umask, nothing left on failure."""

from __future__ import annotations

import os
import stat

import pytest

from sitekit.files import write_atomically


def test_a_file_is_written_replaced_and_made_readable(tmp_path):
    target = tmp_path / "feeds" / "commentaires" / "un.atom.xml"  # folders made as needed
    old = os.umask(0o077)
    try:
        write_atomically(str(target), b"premier")
        inode = target.stat().st_ino
        write_atomically(str(target), b"second" * 20000)
    finally:
        os.umask(old)
    assert target.read_bytes() == b"second" * 20000
    assert target.stat().st_ino != inode  # a new file renamed over the old one
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["un.atom.xml"]


def test_the_same_bytes_leave_the_file_alone_and_other_bytes_replace_it(tmp_path):
    """A rebuild into the same folder rewrites only what changed."""
    target = tmp_path / "un.atom.xml"
    write_atomically(str(target), b"<feed/>")
    before = target.stat()
    write_atomically(str(target), b"<feed/>")
    assert (target.stat().st_ino, target.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    target.chmod(0o600)  # a file the web server could not read is written again
    write_atomically(str(target), b"<feed/>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 and target.stat().st_ino != before.st_ino
    write_atomically(str(target), b"<feed >")  # same size, other bytes
    assert target.read_bytes() == b"<feed >"


def test_a_failed_write_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "un.json"
    write_atomically(str(target), b"{}")
    with pytest.raises(TypeError):
        write_atomically(str(target), "pas des octets")  # type: ignore[arg-type]
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["un.json"]
