#!/usr/bin/env python3
"""check_layers.py - keeps src/ layered: includes run downward, no cycles.

Reads the layer order from src/LAYERS (one folder per layer, top to bottom,
and a `private` line naming modules only their own layer may include) and
the `#include "..."` lines of every .c and .h under those folders. A module
is a .c file with its .h, named layer/name. The check fails, printing every
offence, when:

  - a file includes a header of a layer above its own (upward);
  - a file includes a private module of another layer;
  - modules include each other in a cycle (directly or through others),
    found as the strongly connected components of the module graph;
  - an include names a header that does not exist, or a source file lies
    outside the layer folders.

Usage:
  tests/check_layers.py [SRC]            check SRC (default: src next to tests/)
  tests/check_layers.py --graph [SRC]    also print every module edge
  tests/check_layers.py --flat DIR       no layers: the module graph of a flat
                                         folder (modules, edges, cycles), for
                                         comparing with the old layout
  tests/check_layers.py --selftest       runs the check on small trees that
                                         break each rule and fails unless it
                                         catches every one

Exit status 0 when the tree is clean, 1 when it is not, 2 on bad usage.
"""

import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def read_layers(src):
    """Returns (layers top to bottom, set of private module names)."""
    layers, private = [], set()
    with open(os.path.join(src, "LAYERS")) as f:
        for line in f:
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if words[0] == "private":
                private.update(words[1:])
            else:
                layers.append(words[0])
    return layers, private


def module_of(path, src):
    """src/storage/db.h -> storage/db"""
    rel = os.path.relpath(path, src)
    return os.path.splitext(rel)[0].replace(os.sep, "/")


def scan(src, folders):
    """Every .c/.h under the folders: {module: [(file, line, target path)]}.
    Target paths are relative to src, resolved as the compiler would: a
    bare name against the including file's folder, else against src."""
    includes = {}
    for folder in folders:
        base = os.path.join(src, folder)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(base, name)
            mod = module_of(path, src)
            includes.setdefault(mod, [])
            with open(path, errors="replace") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                target = m.group(1)
                local = os.path.join(base, target)
                if "/" not in target and os.path.exists(local):
                    resolved = os.path.relpath(local, src)
                else:
                    resolved = target
                includes[mod].append((os.path.relpath(path, src), line, resolved))
    return includes


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan,
    iterative so deep graphs cannot hit Python's recursion limit)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def build_graph(includes, known):
    graph = {m: set() for m in includes}
    for mod, incs in includes.items():
        for _, _, target in incs:
            dep = os.path.splitext(target)[0]
            if dep in known and dep != mod:
                graph[mod].add(dep)
    return graph


def summary(graph, comps):
    edges = sum(len(v) for v in graph.values())
    in_cycles = sum(len(c) for c in comps)
    return (f"{len(graph)} modules, {edges} edges, {len(comps)} cycle(s)"
            f" covering {in_cycles} module(s)")


def check(src, show_graph=False, out=sys.stdout):
    """Returns the list of offences (empty: clean) and prints a summary."""
    layers, private = read_layers(src)
    rank = {name: i for i, name in enumerate(layers)}
    errors = []
    for entry in sorted(os.listdir(src)):
        path = os.path.join(src, entry)
        if entry.endswith((".c", ".h")):
            errors.append(f"{entry}: source file outside the layer folders")
        elif os.path.isdir(path) and entry not in rank:
            errors.append(f"{entry}/: folder is not a layer in LAYERS")
    includes = scan(src, layers)
    known = set(includes)
    for p in private:
        if p not in known:
            errors.append(f"LAYERS: private module {p} does not exist")
    for mod, incs in sorted(includes.items()):
        layer = mod.split("/")[0]
        for file, line, target in incs:
            dep = os.path.splitext(target)[0]
            where = f"{file}:{line}: #include \"{target}\""
            if dep not in known:
                errors.append(f"{where}: no such header in src/")
                continue
            dep_layer = dep.split("/")[0]
            if rank[dep_layer] < rank[layer]:
                errors.append(f"{where}: upward, from layer {layer} to layer {dep_layer}")
            if dep in private and dep_layer != layer:
                errors.append(f"{where}: {dep} is private to layer {dep_layer}")
    graph = build_graph(includes, known)
    comps = cycles(graph)
    for comp in comps:
        errors.append("cycle between modules: " + " ".join(comp))
    if show_graph:
        for mod in sorted(graph):
            for dep in sorted(graph[mod]):
                print(f"{mod} -> {dep}", file=out)
    print(f"layers: {' > '.join(layers)}; " + summary(graph, comps), file=out)
    return errors


def flat(folder):
    """The module graph of a folder without layers (the layout before them)."""
    includes = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".c", ".h")):
            continue
        mod = os.path.splitext(name)[0]
        includes.setdefault(mod, [])
        with open(os.path.join(folder, name), errors="replace") as f:
            for m in INCLUDE.finditer(f.read()):
                includes[mod].append((name, 0, m.group(1)))
    graph = build_graph(includes, set(includes))
    comps = cycles(graph)
    print(summary(graph, comps))
    for comp in comps:
        print(f"cycle of {len(comp)}: " + " ".join(comp))
    return 0


def selftest():
    """Each broken tree must be caught; the clean one must pass."""
    cases = {
        "clean": ({"top/a.c": '#include "top/a.h"\n#include "low/b.h"\n',
                   "top/a.h": "", "low/b.c": '#include "b.h"\n', "low/b.h": ""}, 0),
        "upward": ({"top/a.c": "", "top/a.h": "",
                    "low/b.c": '#include "top/a.h"\n', "low/b.h": ""}, 1),
        "cycle": ({"top/a.c": '#include "top/c.h"\n', "top/a.h": "",
                   "top/c.c": '#include "top/a.h"\n', "top/c.h": "",
                   "low/b.c": "", "low/b.h": ""}, 1),
        "cycle-through-headers": ({"top/a.h": '#include "c.h"\n', "top/c.h": '#include "d.h"\n',
                                   "top/d.h": '#include "a.h"\n', "low/b.h": ""}, 1),
        "private": ({"top/a.c": '#include "low/p.h"\n', "top/a.h": "",
                     "low/p.c": "", "low/p.h": ""}, 1),
        "missing": ({"top/a.c": '#include "low/nothere.h"\n', "low/b.h": ""}, 1),
        "stray": ({"top/a.c": "", "x.c": "", "low/b.h": ""}, 1),
    }
    failed = 0
    for name, (files, want) in cases.items():
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "LAYERS"), "w") as f:
                f.write("# test\ntop  upper\nlow  lower\n")
                if name == "private":
                    f.write("private low/p\n")
            for path, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, path)) or d, exist_ok=True)
                with open(os.path.join(d, path), "w") as f:
                    f.write(text)
            with open(os.devnull, "w") as null:
                errors = check(d, out=null)
            got = 1 if errors else 0
            status = "ok" if got == want else "FAIL"
            failed += got != want
            print(f"selftest {status}: {name} ({len(errors)} offence(s))")
    return 1 if failed else 0


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.join(here, "..", "src")
    args = argv[1:]
    if args[:1] == ["--selftest"]:
        return selftest()
    if args[:1] == ["--flat"] and len(args) == 2:
        return flat(args[1])
    show_graph = False
    if args[:1] == ["--graph"]:
        show_graph = True
        args = args[1:]
    if len(args) > 1 or (args and args[0].startswith("-")):
        print(__doc__, file=sys.stderr)
        return 2
    if args:
        src = args[0]
    errors = check(os.path.normpath(src), show_graph)
    for e in errors:
        print("layers: " + e)
    if errors:
        print(f"layers: {len(errors)} offence(s); see src/LAYERS for the rules")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
