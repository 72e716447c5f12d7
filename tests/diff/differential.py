#!/usr/bin/env python3
"""Differential runs: the same random commands against two servers, replies
compared byte for byte.

Used to hold respite to a Redis build newer than Debian's 7.0 where the
semantics changed or arrived later (bit operations' edge cases; hash field
TTLs, Redis 7.4). Not part of `make test`: it needs that second server, built
from Redis's sources (see `make test-diff`).

  tests/diff/differential.py --a PORT --b PORT --suite bitops|hfe
                             [--seed N] [--ops N] [--listpack-entries N]

Suites:
  bitops  SET/SETBIT/GETBIT/BITCOUNT (BYTE|BIT)/BITPOS/BITOP/BITFIELD
          (GET SET INCRBY OVERFLOW WRAP|SAT|FAIL, '#' offsets)/BITFIELD_RO/LCS
          on three keys, with random binary values and integers at the type
          limits; after each command the key's value is compared too.
  hfe     HSET/HDEL/HEXPIRE family (NX XX GT LT, times in the past and far
          future)/HPERSIST/HTTL/HEXPIRETIME/HGETALL/HINCRBY/HSETNX/OBJECT
          ENCODING on two hashes around a small hash-max-listpack-entries, so
          both encodings and the conversion are exercised; after each command
          the whole hash is compared (as a set of pairs for a hashtable,
          whose order is the server's own).

Exits 1 when a reply or a state differs (the first ones are printed), 0 when
the run is identical but for the one known difference (known_sat_overflow),
which is counted apart. Only loopback: the servers must be on 127.0.0.1.
"""
import argparse
import random
import socket
import sys


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.f = self.sock.makefile("rb")

    def send(self, args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    def read(self):
        """One reply, as the raw protocol bytes (RESP2)."""
        line = self.f.readline()
        t = line[:1]
        if t in (b"+", b"-", b":"):
            return line
        if t == b"$":
            n = int(line[1:])
            return line if n < 0 else line + self.f.read(n + 2)
        if t == b"*":
            n = int(line[1:])
            return line + b"".join(self.read() for _ in range(max(n, 0)))
        raise RuntimeError("unexpected reply line %r" % line)


class Pair:
    def __init__(self, a, b):
        self.a, self.b = Conn(a), Conn(b)
        self.bad = 0
        self.known = 0

    def both(self, args):
        self.a.send(args)
        self.b.send(args)
        return self.a.read(), self.b.read()

    def differ(self, what, args, ra, rb):
        self.bad += 1
        print("%s %r\n  a: %r\n  b: %r" % (what, args, ra, rb))


def unordered(reply):
    return sorted(reply.split(b"\r\n"))


# ---- bitops ----

def bit_int(rng):
    return rng.choice([
        rng.randint(-20, 20), rng.randint(-300, 300), rng.randint(-2**63, 2**63 - 1),
        rng.choice([2**63 - 1, -2**63 + 2**40, 2**31, -2**31, 255, 256, -1, 0])])


def bit_type(rng):
    return rng.choice("iu") + str(rng.choice([0, 1, 2, 3, 7, 8, 9, 15, 16, 31, 32, 33, 62, 63, 64, 65]))


def bit_offset(rng):
    return rng.choice([str(rng.randint(0, 100)), "#" + str(rng.randint(0, 10)), str(rng.randint(0, 40))])


def bitops_command(rng, keys):
    k = rng.choice(keys)
    c = rng.randint(0, 8)
    if c == 0:
        return k, ["set", k, bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 12)))]
    if c == 1:
        return k, ["setbit", k, rng.randint(0, 120), rng.choice([0, 1, 1, 2])]
    if c == 2:
        return k, ["getbit", k, rng.randint(0, 120)]
    if c == 3:
        args = ["bitcount", k]
        if rng.random() < 0.8:
            args += [rng.randint(-20, 20), rng.randint(-20, 20)]
            if rng.random() < 0.5:
                args.append(rng.choice(["BIT", "byte"]))
        return k, args
    if c == 4:
        args = ["bitpos", k, rng.choice([0, 1])]
        n = rng.randint(0, 3)
        if n >= 1:
            args.append(rng.randint(-120, 120))
        if n >= 2:
            args.append(rng.randint(-120, 120))
        if n >= 3:
            args.append(rng.choice(["BIT", "BYTE"]))
        return k, args
    if c == 5:
        return k, ["bitop", rng.choice(["and", "or", "xor", "not"]), k] + \
            rng.sample(keys + ["zz"], rng.randint(1, 3))
    if c in (6, 7):
        args = [rng.choice(["bitfield", "bitfield", "bitfield_ro"]), k]
        for _ in range(rng.randint(0, 4)):
            op = rng.choice(["get", "set", "incrby", "overflow"])
            if op == "overflow":
                args += ["overflow", rng.choice(["wrap", "sat", "fail"])]
            elif op == "get":
                args += ["get", bit_type(rng), bit_offset(rng)]
            else:
                args += [op, bit_type(rng), bit_offset(rng), bit_int(rng)]
        return k, args
    return "k1", ["lcs", "k1", "k2"] + rng.choice(
        [[], ["len"], ["idx"], ["idx", "minmatchlen", rng.randint(0, 3)], ["idx", "withmatchlen"]])


def known_sat_overflow(args):
    """The one difference we keep: BITFIELD OVERFLOW SAT writing a value far
    below a wide signed field's minimum. Redis computes the distance to the
    limits in 64-bit arithmetic that overflows there and saturates to the
    maximum; respite saturates to the minimum, as the documentation says."""
    if args[0] != "bitfield" or "sat" not in args:
        return False
    for i, a in enumerate(args[:-3]):
        if a in ("set", "incrby") and args[i + 1].startswith("i"):
            bits = int(args[i + 1][1:] or 0)
            if bits >= 60 and isinstance(args[i + 3], int) and abs(args[i + 3]) >= 2**59:
                return True
    return False


def run_bitops(p, rng, ops, _args):
    keys = ["k1", "k2", "k3"]
    p.both(["del"] + keys + ["zz"])
    for _ in range(ops):
        k, args = bitops_command(rng, keys)
        ra, rb = p.both(args)
        ga, gb = p.both(["get", k])
        if (ra != rb or ga != gb) and known_sat_overflow(args):
            p.known += 1
            p.both(["del", k])
            continue
        if ra != rb:
            p.differ("reply", args, ra, rb)
        if ga != gb:
            p.differ("value after", args, ga, gb)
            p.both(["del", k])
        if p.bad > 10:
            return


# ---- hfe ----

def hfe_command(rng, k, fields):
    fs = rng.sample(fields, rng.randint(1, 4))
    c = rng.randint(0, 12)
    if c <= 2:
        return ["hset", k] + sum([[f, "v%d" % rng.randint(0, 99)] for f in fs], [])
    if c == 3:
        return ["hdel", k] + fs
    if c in (4, 5, 6):
        cmd = rng.choice(["hexpire", "hpexpire", "hexpireat", "hpexpireat", "hexpireat", "hpexpireat"])
        when = {"hexpire": 0, "hpexpire": 0,
                "hexpireat": rng.choice([0, 1, 4000000000, 4000000100, 4000000200]),
                "hpexpireat": rng.choice([0, 5, 4000000000000, 4000000050000])}[cmd]
        return [cmd, k, when] + rng.choice([[], ["NX"], ["XX"], ["GT"], ["LT"]]) + \
            ["FIELDS", len(fs)] + fs
    if c == 7:
        return ["hpersist", k, "FIELDS", len(fs)] + fs
    if c == 8:
        return [rng.choice(["httl", "hexpiretime", "hpexpiretime"]), k, "FIELDS", len(fs)] + fs
    if c == 9:
        return ["hgetall", k]
    if c == 10:
        return ["hincrby", k, fs[0], 1]
    if c == 11:
        return ["hsetnx", k, fs[0], "x"]
    return ["object", "encoding", k]


def run_hfe(p, rng, ops, args):
    fields = ["f%d" % i for i in range(12)]
    p.both(["del", "h1", "h2"])
    p.both(["config", "set", "hash-max-listpack-entries", str(args.listpack_entries)])
    for _ in range(ops):
        k = rng.choice(["h1", "h2"])
        cmd = hfe_command(rng, k, fields)
        ra, rb = p.both(cmd)
        ea, eb = p.both(["object", "encoding", k])
        table = ea == eb and b"hashtable" in ea
        if cmd[0] == "hgetall" and table:
            ra, rb = unordered(ra), unordered(rb)
        if ra != rb:
            p.differ("reply", cmd, ra, rb)
        ga, gb = p.both(["hgetall", k])
        if table:
            ga, gb = unordered(ga), unordered(gb)
        if ga != gb:
            p.differ("hash after", cmd, ga, gb)
        if p.bad > 5:
            return


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", type=int, required=True, help="port of the first server")
    ap.add_argument("--b", type=int, required=True, help="port of the second server")
    ap.add_argument("--suite", choices=["bitops", "hfe"], required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ops", type=int, default=20000)
    ap.add_argument("--listpack-entries", type=int, default=8,
                    help="hash-max-listpack-entries for the hfe suite (default 8)")
    args = ap.parse_args()
    p = Pair(args.a, args.b)
    rng = random.Random(args.seed)
    {"bitops": run_bitops, "hfe": run_hfe}[args.suite](p, rng, args.ops, args)
    print("%s seed %d, %d operations: %d differences (%d known, BITFIELD SAT: see known_sat_overflow)"
          % (args.suite, args.seed, args.ops, p.bad, p.known))
    sys.exit(1 if p.bad else 0)


if __name__ == "__main__":
    main()
