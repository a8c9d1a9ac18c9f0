"""Seeded text mutations of MLIR inputs for the fuzzing campaign.

A mutant is a seed chunk with one to three mutations applied. Most of them
are semantic (a literal, a dimension, an element type or an attribute value
changes, so the mutant still parses and reaches the verifiers and passes);
the rest are structural (lines dropped, duplicated or swapped, operands
swapped, the file truncated, bytes flipped). Every mutation is drawn from a
`random.Random`, so a mutant is reproduced from its seed alone.
"""

import re

# Literal values that sit on the edges of what the verifiers and passes
# must handle: zero, one, negative, the int32/int64 limits and beyond.
INT_EDGES = ["0", "1", "-1", "2", "3", "-2147483648", "2147483647",
             "4294967296", "9223372036854775807", "99999999999999999999"]
# NaN, infinities, zero and huge magnitudes in the forms MLIR parses.
FLOAT_EDGES = ["0.0", "-0.0", "1.0", "-1.0", "1.0e+300", "-1.0e+300",
               "0x7FC00000", "0x7F800000", "0xFF800000", "1.0e-45"]
ELEMENT_TYPES = ["f32", "f16", "bf16", "i32", "f64", "i8", "index", "i1"]
DIM_EDGES = ["0", "1", "2", "3", "7", "?", "65536", "2147483647"]

_INT = re.compile(r"(?<![\w%#@.^])-?\d+(?![\w.])")
_FLOAT = re.compile(r"(?<![\w%#@])-?\d+\.\d*(?:[eE][+-]?\d+)?")
_ETYPE = re.compile(r"\b(?:f32|f16|bf16|i32|f64|i8|i1|index)\b")
_SHAPED = re.compile(r"\b(tensor|memref|vector)<((?:(?:\d+|\?)x)*)")
_SSA = re.compile(r"%[\w.$-]+(?:#\d+)?")
# Attributes the pulptrain ops and passes take: stride, padding, dilation,
# groups, kernel, slope, learning rate, momentum, and so on.
_ATTR = re.compile(
    r"\b(stride|padding|dilation|groups|kernel|kernel_size|slope|lr|"
    r"momentum|weight_decay|eps|dim|output_shape|axis|scale|alpha)"
    r"(\s*=?\s*)(\[[^\]]*\]|[-\w.+]+)")


def _choose_match(rng, regex, text):
    matches = list(regex.finditer(text))
    return rng.choice(matches) if matches else None


def _replace_span(text, m, new, group=0):
    return text[:m.start(group)] + new + text[m.end(group):]


def int_literal(rng, text):
    m = _choose_match(rng, _INT, text)
    if not m:
        return None, None
    old = int(m.group(0))
    new = rng.choice(INT_EDGES + [str(old + 1), str(old - 1), str(old * 2),
                                  str(-old)])
    return _replace_span(text, m, new), f"int {m.group(0)}->{new}"


def float_literal(rng, text):
    m = _choose_match(rng, _FLOAT, text)
    if not m:
        return None, None
    new = rng.choice(FLOAT_EDGES)
    return _replace_span(text, m, new), f"float {m.group(0)}->{new}"


def element_type(rng, text):
    """Swaps one element type, or every occurrence of it (which keeps the
    function consistent, so the mutant reaches the passes)."""
    m = _choose_match(rng, _ETYPE, text)
    if not m:
        return None, None
    new = rng.choice([t for t in ELEMENT_TYPES if t != m.group(0)][:4]
                     if rng.random() < 0.7 else ELEMENT_TYPES)
    if rng.random() < 0.75:
        return (re.sub(rf"\b{m.group(0)}\b", new, text),
                f"type all {m.group(0)}->{new}")
    return _replace_span(text, m, new), f"type {m.group(0)}->{new}"


def shape_dim(rng, text):
    """Changes, drops or adds one dimension of a shaped type, in that type
    or in every occurrence of the same type, or renames a dimension size
    everywhere. The consistent forms keep the SSA values' types in
    agreement, so the mutant reaches the verifiers' shape rules."""
    m = _choose_match(rng, _SHAPED, text)
    if not m or not m.group(2):
        return None, None
    dims = m.group(2)[:-1].split("x")
    i = rng.randrange(len(dims))
    r = rng.random()
    if r < 0.25 and dims[i].isdigit():
        new = rng.choice(DIM_EDGES + [str(int(dims[i]) + 1)])
        pattern = rf"(?<=[<x]){dims[i]}(?=x)"
        return re.sub(pattern, new, text), f"dim all {dims[i]}->{new}"
    if r < 0.7:
        dims[i] = rng.choice(DIM_EDGES)
        what = f"dim {i}->{dims[i]}"
    elif r < 0.85 or len(dims) == 1:
        dims.insert(i, rng.choice(["1", "2", "8"]))
        what = f"dim insert {i}"
    else:
        del dims[i]
        what = f"dim drop {i}"
    new = "".join(d + "x" for d in dims)
    end = text.find(">", m.end())
    if end >= 0 and rng.random() < 0.6:
        # The same type everywhere: `tensor<16x6x6xf32>` and its uses.
        old = text[m.start():end + 1]
        typ = old.replace(m.group(0), m.group(1) + "<" + new, 1)
        return text.replace(old, typ), what + " (every use)"
    return _replace_span(text, m, new, 2), what


def attribute(rng, text):
    m = _choose_match(rng, _ATTR, text)
    if not m:
        return None, None
    old = m.group(3)
    if old.startswith("["):
        n = len([x for x in old[1:-1].split(",") if x.strip()])
        n = max(0, n + rng.choice([0, 0, 0, -1, 1]))
        new = "[" + ", ".join(rng.choice(INT_EDGES[:5] + ["4"])
                              for _ in range(n)) + "]"
    elif re.fullmatch(r"-?\d+", old):
        new = rng.choice(INT_EDGES)
    else:
        new = rng.choice(FLOAT_EDGES + INT_EDGES[:3])
    return _replace_span(text, m, new, 3), f"attr {m.group(1)}={new}"


def _lines(text):
    return text.split("\n")


def drop_line(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    return "\n".join(lines[:i] + lines[i + 1:]), f"drop line {i + 1}"


def duplicate_line(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    return "\n".join(lines[:i + 1] + lines[i:]), f"dup line {i + 1}"


def swap_lines(rng, text):
    lines = _lines(text)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines), f"swap lines {i + 1},{j + 1}"


def swap_operands(rng, text):
    """Swaps two SSA uses on one line, or replaces one use by another value
    of the function (type mismatches and use-before-def)."""
    lines = _lines(text)
    candidates = [i for i, l in enumerate(lines)
                  if len(_SSA.findall(l.split("=", 1)[-1])) >= 2]
    if not candidates:
        return None, None
    i = rng.choice(candidates)
    line = lines[i]
    head, sep, tail = line.partition("=") if " = " in line else ("", "", line)
    uses = list(_SSA.finditer(tail))
    a = rng.choice(uses)
    if rng.random() < 0.5:
        b = rng.choice(uses)
        if a.start() > b.start():
            a, b = b, a
        tail = (tail[:a.start()] + b.group(0) + tail[a.end():b.start()] +
                a.group(0) + tail[b.end():])
        what = f"swap operands line {i + 1}"
    else:
        other = rng.choice(_SSA.findall(text))
        tail = tail[:a.start()] + other + tail[a.end():]
        what = f"operand {a.group(0)}->{other} line {i + 1}"
    lines[i] = head + sep + tail
    return "\n".join(lines), what


def truncate(rng, text):
    n = rng.randrange(len(text) + 1)
    return text[:n], f"truncate at {n}"


def flip_bytes(rng, text):
    data = bytearray(text.encode())
    if not data:
        return None, None
    k = rng.randint(1, 4)
    for _ in range(k):
        i = rng.randrange(len(data))
        # Printable ASCII keeps the mutant a text file the lexer reads.
        data[i] = rng.randrange(32, 127)
    return data.decode(errors="replace"), f"flip {k} bytes"


# (mutation, weight): semantic mutations dominate so that many mutants parse.
MUTATIONS = [
    (int_literal, 14), (float_literal, 5), (element_type, 10),
    (shape_dim, 14), (attribute, 12), (drop_line, 8), (duplicate_line, 4),
    (swap_lines, 4), (swap_operands, 8), (truncate, 3), (flip_bytes, 4),
]


def mutate(rng, text):
    """Applies one to three mutations to `text`; returns (mutant, list of
    what was done). Falls back to a line drop when nothing applies."""
    fns, weights = zip(*MUTATIONS)
    done = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        for _attempt in range(4):
            fn = rng.choices(fns, weights)[0]
            new, what = fn(rng, text)
            if new is not None and new != text:
                text = new
                done.append(what)
                break
    if not done:
        text, what = drop_line(rng, text)
        done.append(what)
    return text, done
