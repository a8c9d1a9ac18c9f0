"""Runs mutants through a tool, many per process, and classifies outcomes.

A batch of mutants is one `--split-input-file` run: every chunk is parsed,
verified and compiled in a fresh MLIRContext, the output chunks are
separated by the same marker (empty for a chunk that failed), and
diagnostics keep the line numbers of the whole file. When a batch crashes
or hangs, it is bisected down to the single mutants responsible; the others
keep their batch result.
"""

import bisect
import hashlib
import os
import re
import subprocess
import tempfile

SPLIT = "// -----"

ACCEPTED, REJECTED, UNCLEAN, CRASH, HANG = (
    "accepted", "rejected", "unclean", "crash", "hang")
OUTCOMES = (ACCEPTED, REJECTED, UNCLEAN, CRASH, HANG)

_CRASH_MARKERS = ("PLEASE submit a bug report", "Stack dump:",
                  "Assertion `", "LLVM ERROR:", "UNREACHABLE executed")


class Result:
    """The outcome of one mutant in one stage: `output` is the tool's
    output for it (accepted only), `log` its diagnostics or crash dump."""

    def __init__(self, outcome, output="", log="", signature=None):
        self.outcome = outcome
        self.output = output
        self.log = log
        self.signature = signature


def signature(tool, log):
    """A stable crash signature: the assertion or fatal message and the top
    frames of the stack that are neither the signal handler nor libc."""
    msg = ""
    for pattern in (r"Assertion `(.*)' failed", r"LLVM ERROR: (.*)",
                    r"UNREACHABLE executed at (.*)"):
        m = re.search(pattern, log)
        if m:
            msg = re.sub(r"\d+", "N", m.group(1))[:160]
            break
    frames = []
    for line in log.splitlines():
        m = re.match(r"\s*#\d+ 0x[0-9a-f]+ (.*)$", line)
        if not m:
            continue
        frame = m.group(1)
        if re.search(r"llvm::sys::|SignalHandler|PrintStackTrace|"
                     r"libc\.so|__assert|abort|raise|CrashRecovery|"
                     r"llvm_unreachable_internal|report_fatal_error|"
                     r"^\(/|libpthread", frame):
            continue
        # The function name without arguments, or module+offset when the
        # binary is not symbolized.
        frame = frame.split(" /")[0]
        frame = re.sub(r"\((?!anonymous namespace\)).*", "", frame).strip()
        frames.append(frame)
        if len(frames) == 3:
            break
    if not msg:
        m = re.search(r"^exit code (-\d+)$", log, re.M)
        msg = f"signal {-int(m.group(1))}" if m else ""
    return f"{tool}: {msg} @ " + " <- ".join(frames)


def short_id(sig):
    return hashlib.sha1(sig.encode()).hexdigest()[:10]


def _is_crash(rc, log):
    return rc not in (0, 1) or any(m in log for m in _CRASH_MARKERS)


def _run(cmd, path, timeout):
    """(returncode or None on timeout, stdout, stderr)."""
    env = dict(os.environ)
    env.setdefault("LLVM_SYMBOLIZER_PATH",
                   "/usr/lib/llvm-22/bin/llvm-symbolizer")
    try:
        proc = subprocess.run(cmd + [path], capture_output=True, timeout=timeout,
                              env=env)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return (proc.returncode, proc.stdout.decode(errors="replace"),
            proc.stderr.decode(errors="replace"))


def run_one(tool, cmd, text, timeout, workdir):
    """Runs `cmd FILE` on one mutant; its Result."""
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", dir=workdir,
                                     delete=False) as f:
        f.write(text)
    try:
        rc, out, err = _run(cmd, f.name, timeout)
    finally:
        os.unlink(f.name)
    if rc is None:
        return Result(HANG, log=f"timeout after {timeout} s",
                      signature=f"{tool}: hang")
    if _is_crash(rc, err):
        log = err + f"\nexit code {rc}"
        return Result(CRASH, log=log, signature=signature(tool, log))
    if rc == 0:
        return Result(ACCEPTED, output=out, log=err)
    return Result(REJECTED if _has_diagnostic(err) else UNCLEAN, log=err)


# LLVM's diagnostic for a bad command-line or pass-pipeline option value
# ("pulptrain-opt: for the --cores option: 'x' value invalid ..."): a
# rejection of the flags, though it does not say "error:".
_OPTION_DIAGNOSTIC = re.compile(r": for the -{1,2}[\w.-]+ option: ")


def _has_diagnostic(err):
    """Whether `err` holds an error diagnostic of the tool."""
    return "error:" in err or _OPTION_DIAGNOSTIC.search(err) is not None


def run_batch(tool, cmd, texts, timeout, workdir, stats):
    """Runs `cmd --split-input-file FILE` on `texts`; one Result each.
    `stats` counts the processes started (for the throughput report)."""
    if len(texts) == 1:
        stats["processes"] += 1
        return [run_one(tool, cmd, texts[0], timeout, workdir)]
    texts = [t.replace(SPLIT, "//") for t in texts]
    # 1-based line of each chunk's first line: chunks end with a newline.
    chunks = [t if t.endswith("\n") else t + "\n" for t in texts]
    starts, line = [], 1
    for c in chunks:
        starts.append(line)
        line += c.count("\n") + 1
    content = (SPLIT + "\n").join(chunks)
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", dir=workdir,
                                     delete=False) as f:
        f.write(content)
    stats["processes"] += 1
    try:
        rc, out, err = _run(cmd + ["--split-input-file"], f.name,
                            timeout * 2 + len(texts))
    finally:
        os.unlink(f.name)
    if rc is None or _is_crash(rc, err):
        half = len(texts) // 2
        return (run_batch(tool, cmd, texts[:half], timeout, workdir, stats) +
                run_batch(tool, cmd, texts[half:], timeout, workdir, stats))
    logs = [""] * len(texts)
    # Diagnostics carry the line of the whole file; each starts a block
    # that runs until the next one (source line and caret included). An
    # error located elsewhere (a `loc(...)` of the input, or none) cannot
    # be attributed to a chunk.
    heads = list(re.finditer(r"^(\S[^\n]*?): (error|warning|note|remark): ",
                             err, re.M))
    # pulptrain-opt: FILE:LINE:COL; pulptrain-translate: "within split at
    # FILE:START offset :LINE:COL" (LINE counted from the chunk's START).
    ours = re.compile(rf"(?:within split at )?{re.escape(f.name)}:(\d+)"
                      rf"(?::\d+| offset :(\d+):\d+)$")
    unplaced = "error:" in err[:heads[0].start() if heads else len(err)]
    i = None
    for k, h in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(err)
        m = ours.match(h.group(1))
        if m:
            line = int(m.group(1)) + int(m.group(2) or 1) - 1
            i = bisect.bisect_right(starts, line) - 1
        elif h.group(2) == "error" or i is None:
            unplaced = True
            continue
        logs[i] += err[h.start():end]
    # Tools that write to -o FILE print nothing per chunk.
    outs = ([""] * len(texts) if "-o" in cmd else
            re.split(r"^// -----$\n?", out, flags=re.M))
    failed = [("error:" in l) for l in logs]
    if unplaced or (rc == 1 and not any(failed)) or \
            (rc == 0 and any(failed)) or len(outs) != len(texts):
        # Diagnostics not attributed to a chunk: the halves are run again
        # until the chunk that made them runs alone.
        stats["fallbacks"] += 1
        half = len(texts) // 2
        return (run_batch(tool, cmd, texts[:half], timeout, workdir, stats) +
                run_batch(tool, cmd, texts[half:], timeout, workdir, stats))
    return [Result(REJECTED, log=l) if bad else Result(ACCEPTED, output=o)
            for l, o, bad in zip(logs, outs, failed)]


def ddmin(lines, still_fails, max_tests=400):
    """Line-level delta debugging: a small sublist of `lines` for which
    `still_fails` holds (it holds for `lines`)."""
    n, tests = 2, 0
    while len(lines) >= 2 and tests < max_tests:
        size = max(1, len(lines) // n)
        chunks = [lines[i:i + size] for i in range(0, len(lines), size)]
        reduced = False
        for i in range(len(chunks)):
            complement = [l for k, c in enumerate(chunks) if k != i
                          for l in c]
            tests += 1
            if complement and still_fails(complement):
                lines, n, reduced = complement, max(n - 1, 2), True
                break
        if not reduced:
            if n >= len(lines):
                break
            n = min(len(lines), n * 2)
    return lines
