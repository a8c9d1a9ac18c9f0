"""Checks a pulptrain-run with --saved-activations against two PyTorch
references of the same training (pulptrain.sim_golden, same model, data and
seed): the one whose saved tensors are rounded the same way
(--saved-activations), which the run must match within the golden data's
tolerances, and the plain one, which it need not.

  check_saved_activations.py RUN.json HOOKED.json PLAIN.json

The run needs --dump-params. Prints, for FileCheck:

  hooked: loss <max rel. error> param <max rel. error> tolerance <t> <t>
  within tolerance: True|False
  plain: loss <max rel. error> param <max rel. error>
  closer to hooked: True|False

Loss errors are relative to the larger of the reference loss and its
scale (loss_scales), as pulptrain-run measures them; parameter errors are
max-norm relative errors per tensor, the worst over the parameters.
"""

import json
import sys


def loss_error(run, ref):
    worst = 0.0
    for s, want, scale in zip(run["steps"], ref["losses"],
                              ref["loss_scales"]):
        worst = max(worst, abs(s["loss"] - want) / max(abs(want), scale))
    return worst


def param_error(run, ref):
    got, want = run["final_params"], ref["final_params"]
    worst = 0.0
    for name, values in want.items():
        scale = max(abs(v) for v in values)
        err = max(abs(a - b) for a, b in zip(got[name], values))
        worst = max(worst, err / scale)
    return worst


def main(argv):
    run, hooked, plain = (json.load(open(p)) for p in argv[1:4])
    if len(run["steps"]) != len(hooked["losses"]) or not run.get(
            "final_params"):
        raise SystemExit("the run needs the references' steps and "
                         "--dump-params")
    hl, hp = loss_error(run, hooked), param_error(run, hooked)
    pl, pp = loss_error(run, plain), param_error(run, plain)
    print(f"hooked: loss {hl:.1e} param {hp:.1e} tolerance "
          f"{hooked['loss_tolerance']:g} {hooked['param_tolerance']:g}")
    print("within tolerance:", hl <= hooked["loss_tolerance"] and
          hp <= hooked["param_tolerance"])
    print(f"plain: loss {pl:.1e} param {pp:.1e}")
    print("closer to hooked:", hp < pp)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
