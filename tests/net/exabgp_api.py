"""ExaBGP API process for the namespace tests (netlab.ExaBgp): writes every line ExaBGP sends
(JSON messages: updates, state changes, notifications; and command acknowledgements) to
EVENTS, flushed at once, and passes every line written to the FIFO CMDS to ExaBGP as an API
command. Usage (from ExaBGP's `process` block): exabgp_api.py EVENTS CMDS"""

import os
import select
import sys


def main():
    events = open(sys.argv[1], "a", buffering=1)
    # read and write: the FIFO never reports EOF when a writer closes, and opening never blocks
    cmds = os.open(sys.argv[2], os.O_RDWR | os.O_NONBLOCK)
    pending = b""
    stdin = sys.stdin.buffer.raw
    while True:
        ready, _, _ = select.select([stdin, cmds], [], [])
        if stdin in ready:
            data = os.read(stdin.fileno(), 65536)
            if not data:
                return          # ExaBGP is gone
            events.write(data.decode(errors="replace"))
        if cmds in ready:
            pending += os.read(cmds, 65536)
            *lines, pending = pending.split(b"\n")
            for ln in lines:
                if ln.strip():
                    sys.stdout.write(ln.decode() + "\n")
                    sys.stdout.flush()


if __name__ == "__main__":
    main()
