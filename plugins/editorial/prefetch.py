"""Read articles in a second process while Pelican reads the others.

Reading the articles (Markdown and the editorial checks) is a fifth of a cold
build, on one core. When a build has many articles to read (none of them in
Pelican's content cache), the articles generator's process is forked once
(``article_generator_init``): the copy reads the articles from the last one
backwards with the same reader and settings and sends each result back, while
Pelican reads from the first one forwards; they stop where they meet. The
reader (``reader.py``) takes a file's result from the copy if it has it.

What the copy sends is exactly what the reader returns (content and metadata,
Pelican's category, tag and author objects made again with this build's
settings). Any file the copy could not read cleanly (a problem recorded, an
exception, a log line of warning level or above) is read again by Pelican in
this process, so that its problems, messages and failures are the build's own.
No copy is made for a few files. The copy holds only the thread that forked
it (Pelican's progress display runs another): it takes no lock that thread
may have held (no output at all, logging replaced), and should it ever hang,
it only costs the time saved (Pelican reads what it does not receive; the
copy is killed when reading ends, or by an alarm if this process dies first).
"""

from __future__ import annotations

import logging
import mmap
import os
import pickle
import select
import signal
import struct

from pelican.readers import _DISCARD
from pelican.urlwrappers import URLWrapper

from .problems import problems_of

# Fewer files to read than this: one process reads them all.
MIN_FILES = 64
# The copy ends itself after this long, whatever happens to this process.
ALARM_SECONDS = 600
_SLOT = struct.Struct("q")  # the index Pelican reads next (shared memory)
_HEADER = struct.Struct("qI")  # a result: file index, payload length


class Prefetch:
    """The copy of one articles generator, and what it has sent so far."""

    def __init__(self, reader, settings, paths: list[str]):
        self.paths = paths
        self.index = {path: i for i, path in enumerate(paths)}
        self.settings = settings
        self.results: dict[int, tuple | None] = {}
        self.shared = mmap.mmap(-1, _SLOT.size)
        _SLOT.pack_into(self.shared, 0, 0)
        read_end, write_end = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if self.pid == 0:  # the copy: no descriptor of this process but its pipe
            os.closerange(0, write_end)
            os.closerange(write_end + 1, os.sysconf("SC_OPEN_MAX"))
            _serve(reader, settings, paths, self.shared, write_end)
        os.close(write_end)
        self.pipe: int | None = read_end  # unbuffered: select() sees all there is

    def take(self, path: str):
        """The reader's (content, metadata) for ``path`` if the copy read it, else None."""
        i = self.index.get(path)
        if i is None or self.pipe is None:
            return None
        _SLOT.pack_into(self.shared, 0, max(i + 1, _SLOT.unpack_from(self.shared, 0)[0]))
        while i not in self.results and select.select([self.pipe], [], [], 0)[0]:
            if not self._receive():
                break
        found = self.results.pop(i, None)
        return None if found is None else _rebuild(found, self.settings)

    def _receive(self) -> bool:
        header = self._read_exactly(_HEADER.size)
        payload = self._read_exactly(_HEADER.unpack(header)[1]) if header else None
        if not header or payload is None:
            self.close()  # the copy is gone: Pelican reads the rest
            return False
        self.results[_HEADER.unpack(header)[0]] = pickle.loads(payload) if payload else None
        return True

    def _read_exactly(self, size: int) -> bytes | None:
        data = b""
        while len(data) < size:
            chunk = os.read(self.pipe, size - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def close(self) -> None:
        """Stop the copy (done or not) and reap it."""
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.results.clear()


def _serve(reader, settings, paths, shared, fd) -> None:
    """The copy: read from the last file backwards until Pelican's position."""
    code = 0
    try:
        signal.alarm(ALARM_SECONDS)
        warned = _capture_logs()
        with os.fdopen(fd, "wb") as out:
            for i in range(len(paths) - 1, -1, -1):
                if i < _SLOT.unpack_from(shared, 0)[0]:
                    break
                payload = _read(reader, settings, paths[i], warned)
                out.write(_HEADER.pack(i, len(payload)) + payload)
                out.flush()
    except BaseException:  # noqa: BLE001 - the copy never reports: Pelican reads
        code = 1
    finally:
        os._exit(code)


def _read(reader, settings, path, warned) -> bytes:
    """The pickled result of one file, or b"" when Pelican must read it itself."""
    before = len(problems_of(settings).get(path, []))
    warned.clear()
    try:
        content, metadata = reader.read(path)
    except Exception:  # noqa: BLE001 - read again by Pelican, which reports it
        return b""
    if warned or len(problems_of(settings).get(path, [])) != before:
        return b""
    metadata = {k: _flat(v) for k, v in metadata.items() if v is not _DISCARD}
    try:
        return pickle.dumps((content, metadata), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an unusual value: Pelican reads the file
        return b""


def _flat(value):
    """URLWrappers travel as (class, name): made again with the build's settings."""
    if isinstance(value, URLWrapper):
        return _Wrapped(type(value), value.name)
    if isinstance(value, list) and any(isinstance(v, URLWrapper) for v in value):
        return [_flat(v) for v in value]
    return value


class _Wrapped:
    __slots__ = ("cls", "name")

    def __init__(self, cls, name):
        self.cls, self.name = cls, name

    def __getstate__(self):
        return (self.cls, self.name)

    def __setstate__(self, state):
        self.cls, self.name = state


def _rebuild(found, settings):
    content, metadata = found

    def unflat(value):
        if isinstance(value, _Wrapped):
            return value.cls(value.name, settings)
        if isinstance(value, list):
            return [unflat(v) for v in value]
        return value

    return content, {k: unflat(v) for k, v in metadata.items()}


def _capture_logs() -> list:
    """In the copy: no output; remember any record of warning level or above."""
    warned: list = []

    class Flag(logging.Handler):
        def emit(self, record):
            warned.append(record)

    root = logging.getLogger()
    root.handlers = [Flag(logging.WARNING)]
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and logger.handlers:
            logger.handlers = [Flag(logging.WARNING)]
    return warned


def start(generator) -> None:
    """``article_generator_init``: fork a copy if there is enough to read."""
    settings = generator.settings
    if not hasattr(os, "fork"):
        return
    reader = generator.readers.readers.get("md")
    if reader is None or not hasattr(reader, "use_prefetch"):
        return
    paths = []
    # The files, in the order generate_context reads them; those it will read
    # (not in Pelican's content cache) with this reader.
    for name in generator.get_files(settings["ARTICLE_PATHS"],
                                    exclude=settings["ARTICLE_EXCLUDES"]):
        path = os.path.abspath(os.path.join(generator.path, name))
        if (generator.readers.readers.get(path.rsplit(".", 1)[-1]) is reader
                and generator.get_cached_data(name, None) is None
                and generator.readers.get_cached_data(path, None) is None):
            paths.append(path)
    if len(paths) >= MIN_FILES:
        try:
            reader.use_prefetch(Prefetch(reader, settings, paths))
        except OSError:  # no fork now (memory, process limit): Pelican reads alone
            pass


def stop(generator) -> None:
    """``article_generator_pretaxonomy``: every article is read."""
    reader = generator.readers.readers.get("md")
    if reader is not None and hasattr(reader, "use_prefetch"):
        reader.use_prefetch(None)
