#!/usr/bin/env python3
"""Save-to-reload latency of `almanac serve`.

    python3 bench/serve-latency.py [--runs N] [--bin PATH] COLLECTION [FILE]

Starts the server on COLLECTION (edited in place: pass a copy), listens to its
live-reload event stream, then N times rewrites FILE (a resource under content/,
by default the first one outside a glossary) with a new title (or, with
`--edit body`, a new last line of its body) and measures the time from the
write to the `reload` event. With `--edit add` each run instead writes a new
resource beside FILE (a copy of it under another name, title and address) and
times that; with `--edit delete` it writes one, waits, then times its removal. Prints each time, the median and the 90th
percentile, and the server's peak memory (VmHWM). The original file is put back
at the end.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time


def first_resource(root):
    """The first resource file: not a plain page, not a glossary term (whose title is
    autolinked in every body, so an edit to it re-renders the site)."""
    content = os.path.join(root, "content")
    for folder, dirs, files in sorted(os.walk(content)):
        dirs.sort()
        if folder == content:
            continue
        index = os.path.join(folder, "_index.md")
        if os.path.exists(index) and re.search(r"^kind: *glossary", open(index).read(), re.M):
            continue
        for name in sorted(files):
            if name.endswith(".md") and name != "_index.md":
                return os.path.join(folder, name)
    sys.exit("no resource found under content/")


class EventStream:
    """The server-sent events, read on a thread; `wait` blocks for the next one named."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(
            b"GET /__almanac/events HTTP/1.1\r\nHost: localhost\r\n"
            b"Accept: text/event-stream\r\n\r\n"
        )
        self.cond = threading.Condition()
        self.events = []  # (name, monotonic time of arrival)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            now = time.monotonic()
            buffer += chunk
            for name in re.findall(rb"^event: (\w+)", buffer, re.M):
                with self.cond:
                    self.events.append((name.decode(), now))
                    self.cond.notify_all()
            # Keep only an unfinished last line.
            buffer = buffer[buffer.rfind(b"\n") + 1 :]

    def wait(self, name, after, timeout=30.0):
        """The arrival time of the first `name` event that came after index `after`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for event, at in self.events[after:]:
                    if event == name:
                        return at
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no `{name}` event within {timeout} s")
                self.cond.wait(left)

    def count(self):
        with self.cond:
            return len(self.events)


def memory_mb(pid, field):
    """A memory figure of the process in MB: VmHWM (peak) or VmRSS (now)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collection")
    parser.add_argument("file", nargs="?")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--edit", choices=["title", "body", "add", "delete"], default="title",
        help="what each edit changes: the title (front matter), a line of the body, "
        "or a new file beside it (its adding or its removal is timed)",
    )
    parser.add_argument("--bin", default="target/release/almanac")
    parser.add_argument("--log", action="store_true", help="print the server's log at the end")
    parser.add_argument("--timings", action="store_true", help="ask the server for step timings")
    parser.add_argument(
        "--pause", type=float, default=1.0, help="seconds between edits (lets background work finish)"
    )
    args = parser.parse_args()

    root = os.path.abspath(args.collection)
    path = os.path.abspath(args.file) if args.file else first_resource(root)
    original = open(path, encoding="utf-8").read()
    if not re.search(r"^title: .*$", original, re.M):
        sys.exit(f"{path} has no `title:` line")

    started = time.monotonic()
    server = subprocess.Popen(
        [args.bin, "serve", "--port", "0", "--root", root] + (["--timings"] if args.timings else []),
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    log = []
    port = None
    for line in server.stderr:
        log.append(line)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            port = int(found.group(1))
            break
    if port is None:
        sys.exit("the server did not start:\n" + "".join(log))
    print(f"started in {time.monotonic() - started:.2f} s: {''.join(log).strip()}")
    threading.Thread(target=lambda: [log.append(l) for l in server.stderr], daemon=True).start()

    times = []
    probes = []
    try:
        events = EventStream(port)
        events.wait("hello", 0)
        time.sleep(args.pause)
        for run in range(args.runs):
            if args.edit in ("add", "delete"):
                probe = os.path.join(os.path.dirname(path), f"latency-probe-{run}.md")
                text = re.sub(r"^title: .*$", f"title: Latency probe {run}", original, count=1, flags=re.M)
                text = re.sub(r"^url: .*$", f"url: https://probe.example.org/{run}", text, count=1, flags=re.M)
                seen = events.count()
                written = time.monotonic()
                with open(probe, "w", encoding="utf-8") as f:
                    f.write(text)
                arrived = events.wait("reload", seen)
                if args.edit == "delete":
                    time.sleep(args.pause)
                    seen = events.count()
                    written = time.monotonic()
                    os.remove(probe)
                    arrived = events.wait("reload", seen)
                else:
                    probes.append(probe)
                times.append((arrived - written) * 1000)
                print(f"run {run + 1:2}: {times[-1]:7.1f} ms")
                time.sleep(args.pause)
                continue
            if args.edit == "title":
                text = re.sub(r"^title: .*$", f"title: Latency probe {run}", original, count=1, flags=re.M)
            else:
                text = original.rstrip("\n") + f"\n\nLatency probe {run}.\n"
            seen = events.count()
            written = time.monotonic()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            arrived = events.wait("reload", seen)
            times.append((arrived - written) * 1000)
            print(f"run {run + 1:2}: {times[-1]:7.1f} ms")
            time.sleep(args.pause)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        for probe in probes:
            if os.path.exists(probe):
                os.remove(probe)
        peak = memory_mb(server.pid, "VmHWM")
        now = memory_mb(server.pid, "VmRSS")
        time.sleep(args.pause)
        server.terminate()
        server.wait(timeout=30)

    times.sort()
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    print(f"file: {os.path.relpath(path, root)}")
    print(f"save to reload: median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, "
          f"min {times[0]:.1f} ms, max {times[-1]:.1f} ms over {len(times)} edits")
    print(f"memory: peak RSS {peak:.0f} MB, RSS after the edits {now:.0f} MB")
    if args.log:
        print("".join(log))
    tail = [l.strip() for l in log if "re-rendered" in l or "index" in l][-3:]
    for line in tail:
        print(f"server: {line}")


if __name__ == "__main__":
    main()
