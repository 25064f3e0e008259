#!/usr/bin/env python3
"""Run the trustoken tool on a pseudo-terminal and answer its PIN prompts.

usage: prompt.py ANSWER [ANSWER...] -- COMMAND [ARGS...]

Each ANSWER is typed after the next "PIN" or "confirm" prompt. Prints
everything the terminal showed and exits with the command's exit status,
or 99 when a prompt did not appear within the timeout. The caller checks
that no answer was echoed.
"""
import os
import pty
import select
import sys

TIMEOUT = 20.0


def read_until(fd, needles, seen):
    """Read from fd until one of needles appears after position seen[0]."""
    buf = b""
    while True:
        ready, _, _ = select.select([fd], [], [], TIMEOUT)
        if not ready:
            return None
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return buf
        if not chunk:
            return buf
        buf += chunk
        if any(n in buf for n in needles):
            return buf


def main():
    sep = sys.argv.index("--")
    answers = sys.argv[1:sep]
    command = sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    shown = b""
    for answer in answers:
        out = read_until(fd, [b"PIN: ", b"confirm: "], None)
        if out is None:
            sys.stdout.write(shown.decode(errors="replace"))
            print("prompt.py: no prompt seen")
            return 99
        shown += out
        os.write(fd, answer.encode() + b"\n")
    while True:
        out = read_until(fd, [], None)
        if not out:
            break
        shown += out
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(shown.decode(errors="replace"))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
