"""Mutation fuzzing of pulptrain-opt and pulptrain-translate (issue 12).

Mutates the project's own MLIR inputs (corpus.py, mutate.py) and runs each
mutant through the stages that apply to it:

  opt riscv32      pulptrain-opt --pulptrain-lower-to-llvm=target=riscv32
                   with one of RV32_VARIANTS' options (cores, L1, tiles)
  translate rv32   pulptrain-translate --mlir-to-object --target=riscv32 on
                   what `opt riscv32` accepted
  opt seed-pass    the pass options of the seed file's RUN lines (one,
                   drawn per mutant), e.g. --pulptrain-autodiff
  translate header pulptrain-translate --mlir-to-c-header (what
                   pulptrain-run does with a training step)
  translate seed   for LLVM dialect seeds: the pulptrain-translate options
                   of their RUN lines (the riscv32 object is `translate
                   rv32`)

Each outcome is accepted (exit 0), rejected (exit 1 with an `error:` or
LLVM's diagnostic of a bad option value), unclean (exit 1 without one), crash (signal, assertion, stack dump, any
other exit code) or hang (timeout). Crashes and hangs are deduplicated by
signature and minimized by line-level delta debugging into OUT/crashes/.

  /usr/bin/python3 bench/fuzz/fuzz.py [--mutants 10000] [--seed 1] [-j 2]
      [--models] [--out DIR] [--bin build/bin]
  /usr/bin/python3 bench/fuzz/fuzz.py --show N     # print mutant N
  /usr/bin/python3 bench/fuzz/fuzz.py --only 257,5589   # replay these

The summary ends with `crashes: N` and `hangs: N`; the exit code is 1 when
either is non-zero. The same seed and options give the same mutants.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import random
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import corpus  # noqa: E402
import mutate  # noqa: E402
import runner  # noqa: E402

# Options of the riscv32 pipeline, one drawn per mutant: the defaults (one
# core, arena in L2), the cluster configuration of pulptrain-run and
# bench/layers (8 cores, L1 arena when it fits, DMA tiles), every
# convolution step through im2col with an L1 arena, and small budgets
# that force tiling, chunked patches and the L1/L2 choices at their edges.
RV32_VARIANTS = [
    "target=riscv32",
    "target=riscv32 cores=8 arena=auto l1-size=110592 l1-tile-budget=65536 "
    "l2-size=1048576",
    "target=riscv32 cores=8 im2col=fwd,wgt-grad,in-grad arena=l1 "
    "l1-size=65536 l1-tile-budget=16384",
    "target=riscv32 cores=3 arena=auto l1-size=2048 l1-tile-budget=1024 "
    "patch-budget=64",
    "target=riscv32 cores=16 im2col=none l1-size=256 l1-tile-budget=64 "
    "l2-size=65536",
]
RV32_OBJECT = ["--mlir-to-object", "--target=riscv32"]


class Mutant:
    def __init__(self, index, seed, text, mutations, seed_pass, pipeline):
        self.index = index
        self.pipeline = pipeline
        self.seed = seed
        self.text = text
        self.mutations = mutations
        self.seed_pass = seed_pass
        self.results = {}  # stage -> runner.Result


def make_mutant(seeds, weights, campaign_seed, index, forced=None):
    """Mutant `index` of the campaign: depends only on the seed, the index
    and the corpus. `forced` overrides the drawn riscv32 options."""
    rng = random.Random(f"{campaign_seed}:{index}")
    seed = rng.choices(seeds, weights)[0]
    text, done = mutate.mutate(rng, seed.text)
    args = seed.opt_args if seed.kind == "step" else seed.translate_args
    passes = [a for a in args if not any(
        w.startswith("--pulptrain-lower-to-llvm") for w in a) and
        list(a) != RV32_OBJECT]
    seed_pass = list(rng.choice(passes)) if passes else None
    pipeline = rng.choice(RV32_VARIANTS)
    return Mutant(index, seed, text, done, seed_pass, forced or pipeline)


def stage_commands(m, opt, translate):
    """(stage, tool, cmd, input) of the first round for mutant `m`."""
    quiet = ["--mlir-disable-threading"]
    if m.seed.kind == "llvm":
        cmds = [("translate rv32", "pulptrain-translate",
                 [translate] + RV32_OBJECT + ["-o", os.devnull])]
        if m.seed_pass:
            cmds.append(("translate seed", "pulptrain-translate",
                         [translate] + m.seed_pass + ["-o", os.devnull]))
        return cmds
    cmds = [("opt riscv32", "pulptrain-opt",
             [opt] + quiet + [f"--pulptrain-lower-to-llvm={m.pipeline}"]),
            ("translate header", "pulptrain-translate",
             [translate, "--mlir-to-c-header", "-o", os.devnull])]
    if m.seed_pass:
        cmds.append(("opt seed-pass", "pulptrain-opt",
                     [opt] + quiet + m.seed_pass))
    return cmds


def run_stage_groups(groups, args, workdir, stats, label):
    """Runs every (stage, tool, cmd) group of (mutant, input) pairs in
    batches on `args.jobs` processes; stores the results in the mutants."""
    jobs = []
    for (stage, tool, cmd), items in groups.items():
        for i in range(0, len(items), args.batch):
            jobs.append((stage, tool, list(cmd), items[i:i + args.batch]))
    done = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(runner.run_batch, tool, cmd,
                               [t for _, t in items], args.timeout, workdir,
                               stats): (stage, items)
                   for stage, tool, cmd, items in jobs}
        for fut in concurrent.futures.as_completed(futures):
            stage, items = futures[fut]
            for (m, _), res in zip(items, fut.result()):
                m.results[stage] = res
            done += 1
            if not args.quiet and done % 20 == 0:
                print(f"  {label}: {done}/{len(jobs)} batches",
                      file=sys.stderr, flush=True)


def campaign(mutants, args, opt, translate, workdir, stats):
    first = collections.defaultdict(list)
    for m in mutants:
        for stage, tool, cmd in stage_commands(m, opt, translate):
            first[(stage, tool, tuple(cmd))].append((m, m.text))
    run_stage_groups(first, args, workdir, stats, "round 1")
    # What the riscv32 pipeline accepted goes on to the object emitter.
    second = collections.defaultdict(list)
    key = ("translate rv32", "pulptrain-translate",
           tuple([translate] + RV32_OBJECT + ["-o", os.devnull]))
    for m in mutants:
        res = m.results.get("opt riscv32")
        if res and res.outcome == runner.ACCEPTED:
            second[key].append((m, res.output))
    run_stage_groups(second, args, workdir, stats, "round 2")


def reproduce(m, stage, opt, translate, timeout, workdir):
    """A predicate on mutant texts: the stage still fails with the same
    signature (for translate rv32 after opt: opt accepts, translate fails)."""
    want = m.results[stage].signature
    cmds = dict((s, (tool, cmd)) for s, tool, cmd in
                stage_commands(m, opt, translate))

    def still_fails(lines):
        text = "\n".join(lines) + "\n"
        if stage == "translate rv32" and m.seed.kind == "step":
            tool, cmd = cmds["opt riscv32"]
            res = runner.run_one(tool, cmd, text, timeout, workdir)
            if res.outcome != runner.ACCEPTED:
                return False
            text = res.output
            tool, cmd = "pulptrain-translate", [translate] + RV32_OBJECT + [
                "-o", os.devnull]
        else:
            tool, cmd = cmds[stage]
        res = runner.run_one(tool, cmd, text, timeout, workdir)
        return res.signature == want
    return still_fails


def report_failures(mutants, args, opt, translate, workdir):
    """Deduplicates crashes and hangs by signature, minimizes one mutant of
    each and writes them to OUT/crashes/<id>/; returns the list."""
    by_sig = collections.OrderedDict()
    for m in mutants:
        for stage, res in sorted(m.results.items()):
            if res.outcome in (runner.CRASH, runner.HANG):
                by_sig.setdefault(res.signature, []).append((m, stage))
    found = []
    for sig, hits in by_sig.items():
        m, stage = min(hits, key=lambda h: len(h[0].text))
        sid = runner.short_id(sig)
        d = os.path.join(args.out, "crashes", sid)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "mutant.mlir"), "w") as f:
            f.write(m.text)
        minimized = m.text
        if args.minimize:
            timeout = min(args.timeout, 5) \
                if m.results[stage].outcome == runner.HANG else args.timeout
            lines = runner.ddmin(m.text.split("\n"),
                                 reproduce(m, stage, opt, translate, timeout,
                                           workdir))
            minimized = "\n".join(lines) + "\n"
        with open(os.path.join(d, "min.mlir"), "w") as f:
            f.write(minimized)
        with open(os.path.join(d, "log.txt"), "w") as f:
            f.write(f"signature: {sig}\nstage: {stage}\n"
                    f"mutant: {m.index} of seed {m.seed.name}: "
                    f"{'; '.join(m.mutations)}\n"
                    f"pipeline: {m.pipeline}\nseed pass: {m.seed_pass}\n\n"
                    f"{m.results[stage].log}")
        found.append({"id": sid, "signature": sig, "stage": stage,
                      "count": len(hits), "mutant": m.index,
                      "seed": m.seed.name, "dir": d})
    return found


def summarize(mutants, found, stats, elapsed, args, nseeds):
    stages = collections.OrderedDict()
    for name in ("opt riscv32", "translate rv32", "opt seed-pass",
                 "translate header", "translate seed"):
        stages[name] = collections.Counter()
    for m in mutants:
        for stage, res in m.results.items():
            stages[stage][res.outcome] += 1
    handed = collections.Counter()
    for m in mutants:
        if m.results.get("opt riscv32", runner.Result("")).outcome == \
                runner.ACCEPTED and m.seed.kind == "step":
            handed[m.results["translate rv32"].outcome] += 1
    crashes = sum(1 for m in mutants for r in m.results.values()
                  if r.outcome == runner.CRASH)
    hangs = sum(1 for m in mutants for r in m.results.values()
                if r.outcome == runner.HANG)
    lines = [f"pulptrain fuzz: seed {args.seed}, {nseeds} seed inputs, "
             f"{len(mutants)} mutants",
             f"{'stage':<16}" + "".join(f"{o:>10}" for o in runner.OUTCOMES)]
    for name, c in stages.items():
        lines.append(f"{name:<16}" + "".join(f"{c[o]:>10}"
                                               for o in runner.OUTCOMES))
    lines.append(f"reached the riscv32 object: {handed[runner.ACCEPTED]}")
    lines.append(f"accepted by opt, rejected by translate: "
                 f"{handed[runner.REJECTED] + handed[runner.UNCLEAN]}")
    lines.append(f"accepted by opt, crash or hang in translate: "
                 f"{handed[runner.CRASH] + handed[runner.HANG]}")
    lines.append(f"processes: {stats['processes']} "
                 f"({stats['fallbacks']} unbatched fallbacks), "
                 f"{elapsed:.0f} s")
    for f in found:
        lines.append(f"{f['id']} x{f['count']} [{f['stage']}] "
                     f"{f['signature']}")
    lines.append(f"mutants: {len(mutants)}")
    lines.append(f"crash signatures: {len(found)}")
    lines.append(f"crashes: {crashes}")
    lines.append(f"hangs: {hangs}")
    return "\n".join(lines), crashes, hangs


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mutants", type=int, default=10000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--batch", type=int, default=32,
                   help="mutants per --split-input-file process")
    p.add_argument("--timeout", type=float, default=20.0,
                   help="seconds per mutant before it counts as a hang")
    p.add_argument("--root", default=ROOT, help="source tree (seeds)")
    p.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    p.add_argument("--out", default=os.path.join(
        tempfile.gettempdir(), "pulptrain-fuzz"))
    p.add_argument("--models", action="store_true",
                   help="add the training steps of python/pulptrain/"
                        "models.py to the seeds (needs torch)")
    p.add_argument("--no-minimize", dest="minimize", action="store_false")
    p.add_argument("--show", type=int, metavar="N",
                   help="print mutant N and its commands, and exit")
    p.add_argument("--pipeline", metavar="OPTIONS",
                   help="riscv32 pipeline options for every mutant "
                        "(default: drawn from RV32_VARIANTS)")
    p.add_argument("--only", metavar="N,M,...",
                   help="run only these mutants of the campaign (replay "
                        "of earlier findings)")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)

    seeds = corpus.file_seeds(args.root)
    if args.models:
        sys.path.insert(0, os.path.join(args.root, "python"))
        os.environ.setdefault("PULPTRAIN_BIN_DIR", args.bin)
        seeds += corpus.model_seeds(os.path.join(args.out, "models"))
    # Whole training steps are the inputs users write; they weigh more.
    # Chunks that are invalid by design mostly mutate into other invalid
    # inputs and stop at the verifiers; they weigh less.
    weights = [6 if s.name.startswith(("model:", "examples/")) else
               1 if s.invalid else 3 for s in seeds]
    opt = os.path.join(args.bin, "pulptrain-opt")
    translate = os.path.join(args.bin, "pulptrain-translate")
    indices = (sorted({int(n) for n in args.only.split(",") if n})
               if args.only else range(args.mutants))
    mutants = [make_mutant(seeds, weights, args.seed, i, args.pipeline)
               for i in indices]
    if args.show is not None:
        m = make_mutant(seeds, weights, args.seed, args.show, args.pipeline)
        print(f"// seed {m.seed.name}: {'; '.join(m.mutations)}")
        for stage, _, cmd in stage_commands(m, opt, translate):
            print(f"// {stage}: {' '.join(cmd)}")
        sys.stdout.write(m.text)
        return 0

    os.makedirs(args.out, exist_ok=True)
    stats = collections.Counter()
    start = time.time()
    with tempfile.TemporaryDirectory(dir=args.out) as workdir:
        campaign(mutants, args, opt, translate, workdir, stats)
        found = report_failures(mutants, args, opt, translate, workdir)
    text, crashes, hangs = summarize(mutants, found, stats,
                                     time.time() - start, args, len(seeds))
    with open(os.path.join(args.out, "results.jsonl"), "w") as f:
        for m in mutants:
            f.write(json.dumps({
                "index": m.index, "seed": m.seed.name,
                "mutations": m.mutations, "pipeline": m.pipeline,
                "outcomes": {s: r.outcome for s, r in m.results.items()}})
                + "\n")
    with open(os.path.join(args.out, "summary.txt"), "w") as f:
        f.write(text + "\n")
    print(text)
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
