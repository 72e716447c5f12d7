#!/usr/bin/env python3
"""Compares COMMAND INFO of every command respite has with a Redis server's.

Usage: tests/diff/command_info.py RESPITE_PORT REDIS_PORT [2|3] [-v]

Both servers must be running on 127.0.0.1. Each command COMMAND LIST of
respite names (subcommands included) is asked for on both, in RESP2 or
RESP3; replies are parsed, sets compared as unordered, and a container's
subcommand list left out (respite has fewer subcommands than Redis). Prints
the commands whose replies differ and exits 1 if any do. Run against a
Redis 7.4 build (the version respite follows); Debian's 7.0 differs on
commands whose specs changed after 7.0.
"""
import socket
import sys


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def _fill(self, need):
        while need(self.buf):
            data = self.sock.recv(1 << 20)
            if not data:
                raise EOFError("server closed the connection")
            self.buf += data

    def _line(self):
        self._fill(lambda b: b"\r\n" not in b)
        i = self.buf.index(b"\r\n")
        line, self.buf = self.buf[:i], self.buf[i + 2:]
        return line

    def _bytes(self, n):
        self._fill(lambda b: len(b) < n + 2)
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def parse(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in b"$=":
            n = int(rest)
            return None if n < 0 else ("bulk", self._bytes(n))
        if kind in b"*~>":
            n = int(rest)
            if n < 0:
                return None
            items = [self.parse() for _ in range(n)]
            if kind == b"~":
                return ("set", tuple(sorted(items, key=repr)))
            return ("array", tuple(items))
        if kind == b"%":
            n = int(rest)
            return ("map", tuple((self.parse(), self.parse()) for _ in range(n)))
        return (kind.decode(), rest)

    def call(self, *args):
        args = [a.encode() if isinstance(a, str) else a for a in args]
        self.sock.sendall(b"*%d\r\n" % len(args) +
                          b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
        return self.parse()


def info(conn, name):
    """COMMAND INFO name's ten fields without the subcommands, or None."""
    reply = conn.call("COMMAND", "INFO", name)[1][0]
    return None if reply is None else reply[1][:9]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    proto = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] in ("2", "3") else "3"
    verbose = "-v" in sys.argv
    respite, redis = Conn(int(sys.argv[1])), Conn(int(sys.argv[2]))
    for conn in (respite, redis):
        conn.call("HELLO", proto)
    names = [item[1].decode() for item in respite.call("COMMAND", "LIST")[1]]
    differ = 0
    for name in names:
        mine, theirs = info(respite, name), info(redis, name)
        if mine == theirs:
            continue
        differ += 1
        print(name)
        if verbose:
            for i in range(9):
                if theirs is None or mine[i] != theirs[i]:
                    print("  [%d] respite: %r" % (i, mine[i]))
                    print("  [%d] redis:   %r" % (i, theirs[i] if theirs else None))
    print("%d of %d commands differ (RESP%s)" % (differ, len(names), proto))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
