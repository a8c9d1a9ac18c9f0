//===- Passes.td - pulptrain transformation passes ---------*- tablegen -*-===//
//
// Transformations of pulptrain programs.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_TRANSFORMS_PASSES_TD
#define PULPTRAIN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CheckBufferSizes : Pass<"pulptrain-check-buffer-sizes",
                            "::mlir::ModuleOp"> {
  let summary = "Reject tensors and buffers larger than the target can "
                "address";
  let description = [{
    A 32-bit target computes addresses and sizes in 32-bit index arithmetic;
    a buffer of more bytes than `max-bytes` cannot exist in its memory, and
    lowering it would wrap the index arithmetic into a wrong program rather
    than fail. This pass, first in the riscv32 pipeline, checks the byte
    size of every statically shaped tensor, memref and vector (a vector
    that large would stall LLVM's code generation; function arguments,
    block arguments and op results) and reports each one that is too large,
    at its location, with its type and size. It changes nothing.

    Example: with `max-bytes=2147483647`,
    ```mlir
    func.func @f(%x: tensor<2147483647xf32>) -> tensor<2147483647xf32>
    ```
    is an error at `%x`: `argument #0 of 'func.func' has the type
    'tensor<2147483647xf32>', which needs 8589934588 bytes, more than the
    target's 2147483647 ...`.
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", "2147483647",
           "Largest buffer in bytes (default: the signed 32-bit range)">,
  ];
}

def Bufferize : Pass<"pulptrain-bufferize", "::mlir::ModuleOp"> {
  let summary = "One-Shot Bufferize the module with the cluster's choices: "
                "identity layouts, copies as linalg.copy, results as "
                "out-parameters";
  let description = [{
    Runs upstream's One-Shot Module Bufferization, then drops results
    equivalent to an argument and turns the remaining memref results into
    out-parameters, with three choices the upstream passes only expose as
    C++ hooks:

    - function boundaries are bufferized with identity layouts (the C
      interface passes one bare pointer per buffer);
    - every copy bufferization or out-parameter promotion needs is a
      `linalg.copy` (through `memCpyFn`): a `memref.copy` between strided
      buffers would lower to a call of MLIR's C runner library
      (`memrefCopy`), which a bare-metal cluster program does not have,
      while a `linalg.copy` becomes loops that L1 tiling, parallelization
      and register blocking treat like every other op;
    - a result allocated in the function with a static shape is computed
      directly in its out-parameter (no copy), and public functions change
      signature too, since the training step is the public entry point.

    Arguments marked `bufferization.writable = false`
    (`pulptrain-read-only-arguments`) are copied before they are written.

    Before:
    ```mlir
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = tensor.empty() : tensor<4xf32>
      %1 = linalg.add ins(%x, %x : tensor<4xf32>, tensor<4xf32>)
                      outs(%0 : tensor<4xf32>) -> tensor<4xf32>
      return %1 : tensor<4xf32>
    }
    ```
    After:
    ```mlir
    func.func @f(%x: memref<4xf32>, %out: memref<4xf32>) {
      linalg.add ins(%x, %x : memref<4xf32>, memref<4xf32>)
                 outs(%out : memref<4xf32>)
      return
    }
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect"];
}

def ElideResultCopies : Pass<"pulptrain-elide-result-copies"> {
  let summary = "Compute reshaped results in their out-parameters";
  let description = [{
    Runs after `pulptrain-bufferize`, whose out-parameter promotion
    only handles a result that is a buffer itself. A result that is a
    reshape (`memref.collapse_shape` / `memref.expand_shape`) of a
    `memref.alloc`, such as a convolution's `[G, K/G, H, W]` accumulator
    returned as `[K, H, W]`, is otherwise computed in a temporary and copied
    into its out-parameter (a `linalg.copy`). When the out-parameter is
    used only by that
    copy and the temporary only before it, this pass replaces the
    allocation by a view of the out-parameter (collapsed to one dimension
    and expanded to the allocation's shape) and erases the copy: the result
    is computed in place and the temporary needs no arena space.

    Before:
    ```mlir
    func.func @f(%x: memref<8xf32>, %out: memref<8xf32>) {
      %acc = memref.alloc() : memref<2x4xf32>
      "some.writer"(%x, %acc) : (memref<8xf32>, memref<2x4xf32>) -> ()
      %r = memref.collapse_shape %acc [[0, 1]] : memref<2x4xf32> into memref<8xf32>
      linalg.copy ins(%r : memref<8xf32>) outs(%out : memref<8xf32>)
      return
    }
    ```
    After:
    ```mlir
    %acc = memref.expand_shape %out [[0, 1]] output_shape [2, 4]
        : memref<8xf32> into memref<2x4xf32>
    "some.writer"(%x, %acc) : (memref<8xf32>, memref<2x4xf32>) -> ()
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def Autodiff : Pass<"pulptrain-autodiff", "::mlir::ModuleOp"> {
  let summary = "Derive the training step of a forward model";
  let description = [{
    Adds a function `train_step` (option `name`) computing one SGD training
    step of the forward function `forward` (option `forward`): the forward
    pass, the loss and its gradient, then for every layer in reverse order
    its weight gradient (`*_wgt_grad`) and input gradient (`*_in_grad`), and
    finally one `pulptrain.sgd_update` per trainable parameter. It returns
    the loss, the updated parameters and, with momentum, the updated
    momentum buffers. The forward function is kept.

    With `optimizer=adam` the updates are `pulptrain.adam_update`
    (`torch.optim.Adam` with `beta1`, `beta2`, `eps`, `weight-decay`): the
    step takes and returns the first and second moment of every trainable
    parameter (`pulptrain.exp_avg`, `pulptrain.exp_avg_sq`, f32 in every
    element type) and a step counter (`pulptrain.step`, `tensor<f32>`),
    which a `pulptrain.add_scalar` increments before the updates. Adam
    with a momentum or `nesterov` is rejected, and so is `nesterov`
    without a momentum.

    The arguments of the forward function are marked by argument attributes
    (see `docs/TrainStep.md`): `pulptrain.input = "name"` for samples,
    `pulptrain.param = "layer.weight"` for parameters with an optional
    `pulptrain.trainable = false`, and optionally one `pulptrain.label`
    argument used as the loss target (otherwise the step gets a new label
    argument of the output's type). The option `trainable` (layer names,
    that is parameter names up to the last dot) overrides the
    `pulptrain.trainable` attributes.

    Sparse update follows PULP-TrainLib: only values that depend on a
    trainable parameter get a gradient, so layers before the first trainable
    layer compute no input gradient, and frozen parameters get no weight
    gradient. A value used several times (a residual connection) sums its
    gradients with `pulptrain.add`. Every op of the step carries
    `pulptrain.layer` and `pulptrain.phase` (`fwd`, `loss`, `wgt_grad`,
    `in_grad`, `update`) for profiling.

    Training state that is not trained, the running statistics of a batch
    normalization (`pulptrain.buffer = "bn.running_mean"` arguments), is
    updated by the forward pass (`pulptrain.batch_norm_running_stats`); the
    step takes the buffers after the momentum buffers and returns their new
    values last. A forward function with `pulptrain.batch = B` trains on a
    mini-batch: the step's inputs and label get a leading dimension `B`, and
    it runs the forward and backward pass per sample (`tensor.extract_slice`),
    adds up the losses and weight gradients, divides them by `B` (the mean
    loss) and updates once. Batch normalization in training mode cannot take
    a mini-batch this way and is rejected.

    The gradient rules sit with the ops: each differentiable op implements
    `DifferentiableOpInterface` (`docs/Dialects/PulpTrainInterfaces.md`)
    and builds its gradient ops through the pass's `GradientBuilder`; the
    pass walks the forward function backwards and calls the interface. An
    op without the interface is reported as having no gradient rule.

    Example: `--pulptrain-autodiff="loss=mse lr=0.01"` turns
    ```mlir
    func.func @forward(%x: tensor<64xf32> {pulptrain.input = "x"},
                       %w: tensor<10x64xf32> {pulptrain.param = "fc.weight"})
        -> tensor<10xf32> {
      %y = pulptrain.linear %x, %w {pulptrain.layer = "fc"}
          : (tensor<64xf32>, tensor<10x64xf32>) -> tensor<10xf32>
      return %y : tensor<10xf32>
    }
    ```
    into a `@train_step(%x, %label, %w) -> (tensor<f32>, tensor<10x64xf32>)`
    holding `linear`, `mse_loss`, `mse_loss_grad`, `linear_wgt_grad` and
    `sgd_update` (no `linear_in_grad`: nothing before `fc` trains).
  }];
  let options = [
    Option<"forward", "forward", "std::string", "\"forward\"",
           "Name of the forward function">,
    Option<"stepName", "name", "std::string", "\"train_step\"",
           "Name of the training-step function to create">,
    Option<"loss", "loss", "std::string", "\"mse\"",
           "Loss function: mse or cross_entropy">,
    Option<"lr", "lr", "double", "0.01", "SGD learning rate">,
    Option<"momentum", "momentum", "double", "0.0", "SGD momentum">,
    Option<"weightDecay", "weight-decay", "double", "0.0",
           "SGD weight decay (L2 penalty)">,
    Option<"nesterov", "nesterov", "bool", "false",
           "SGD with Nesterov momentum (needs a non-zero momentum)">,
    Option<"optimizer", "optimizer", "std::string", "\"sgd\"",
           "Optimizer: sgd (torch.optim.SGD) or adam (torch.optim.Adam)">,
    Option<"beta1", "beta1", "double", "0.9", "Adam's first beta">,
    Option<"beta2", "beta2", "double", "0.999", "Adam's second beta">,
    Option<"eps", "eps", "double", "1e-8", "Adam's eps">,
    ListOption<"trainable", "trainable", "std::string",
               "Layers to train (overrides pulptrain.trainable)">,
  ];
  let dependentDialects = ["::mlir::pulptrain::PulpTrainDialect",
                           "::mlir::tensor::TensorDialect"];
}

def CompactMasks : Pass<"pulptrain-compact-masks"> {
  let summary = "Keep byte masks for the backward pass instead of "
                "activations that only a mask is read of";
  let description = [{
    The backward pass of relu reads only where the forward value is
    positive, and that of max pooling only where each window's maximum is.
    When a value `v` is read by `pulptrain.relu_grad` or
    `pulptrain.maxpool2d_grad` and by nothing else of the backward pass
    (every other reader comes before the first op whose `pulptrain.phase`
    is not `fwd`, or, in a block without phases, before the first of these
    gradients), the
    forward pass computes byte masks of `v` and the gradients read those
    instead:
    - relu: `pulptrain.relu_mask` right after `v` is defined, read by
      `pulptrain.relu_mask_grad`;
    - max pooling: the forward `pulptrain.maxpool2d` of `v` becomes a
      `pulptrain.maxpool2d_argmax`, which also gives the position of each
      window's maximum (a new one when there is no forward pooling in the
      block), read by `pulptrain.maxpool2d_scatter`.

    `v` then dies at its last forward reader, and the backward pass keeps
    one byte per element (per window for the positions) instead of four
    (f32) or two (f16, bf16). The results are the same, bit for bit.

    It is done when it saves bytes: the masks are smaller than `v`
    (always, unless a pooling's windows do not fit a byte: more than 256
    elements, which stay as they are), and `v` is not a function
    argument, which lives for the whole call anyway. A new relu mask takes
    the layer of the gradient it serves (`pulptrain.layer`) and the forward
    phase; the pooling keeps its own.

    Before:
    ```mlir
    %y = pulptrain.relu %x : tensor<8x4x4xf32>
    %p = pulptrain.maxpool2d %y kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0]
        : (tensor<8x4x4xf32>) -> tensor<8x2x2xf32>
    ...
    %dy = pulptrain.maxpool2d_grad %y, %dp kernel [2, 2] stride [2, 2]
        padding [0, 0, 0, 0]
        : (tensor<8x4x4xf32>, tensor<8x2x2xf32>) -> tensor<8x4x4xf32>
    %dx = pulptrain.relu_grad %y, %dy : tensor<8x4x4xf32>
    ```
    After:
    ```mlir
    %y = pulptrain.relu %x : tensor<8x4x4xf32>
    %m = pulptrain.relu_mask %y : tensor<8x4x4xf32> -> tensor<8x4x4xi8>
    %p, %i = pulptrain.maxpool2d_argmax %y kernel [2, 2] stride [2, 2]
        padding [0, 0, 0, 0]
        : (tensor<8x4x4xf32>) -> (tensor<8x2x2xf32>, tensor<8x2x2xi8>)
    ...
    %dy = pulptrain.maxpool2d_scatter %i, %dp kernel [2, 2] stride [2, 2]
        padding [0, 0, 0, 0]
        : (tensor<8x2x2xi8>, tensor<8x2x2xf32>) -> tensor<8x4x4xf32>
    %dx = pulptrain.relu_mask_grad %m, %dy
        : tensor<8x4x4xi8>, tensor<8x4x4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::pulptrain::PulpTrainDialect"];
}

def Recompute : Pass<"pulptrain-recompute"> {
  let summary = "Compute cheap forward values again for the backward pass "
                "instead of keeping them";
  let description = [{
    A training step keeps the forward values its backward pass reads from
    their forward producer to their last backward reader. Some of them are
    cheap to compute again from values the step keeps anyway: the output
    of a `pulptrain.batch_norm` (and of the relu, relu6 or hardswish after
    it) from the convolution output that the batch norm's gradients read,
    with the parameters. This pass computes such a value `v` again right
    before its first backward reader (the first reader whose
    `pulptrain.phase` is not `fwd`), and the backward readers read the new
    value, so `v` dies at its last forward reader.

    What may be computed again: pulptrain ops without multiply-accumulates
    (`CostOpInterface::getMacCount() == 0`), side effects or regions, with
    one tensor result, except sigmoid and tanh (their approximations cost
    tens of cycles per element); a chain of at most 4 such ops, each of
    whose operands is an argument, computed again too, or read at or after
    the first backward reader anyway, other than through masks: a value
    that the backward pass reads only in relu or max-pooling gradients is
    kept as masks by `pulptrain-compact-masks`, which runs next, and a
    recomputation from it would keep it (a max pooling's input, four times
    its output). A value read through a reshape is left alone.

    The cost model works on tensor bytes (the arena's liveness is computed
    later, after bufferization, but follows these lives):
    - the step's peak is the most tensor bytes live at one op;
    - a value is a candidate only when it is live at every position of the
      peak between its last forward reader and its first backward reader,
      so that computing it again lowers the peak, and the chain's other
      values, live while it is computed again, do not make a new one;
    - its cost is the bytes the chain's ops read and write
      (`CostOpInterface`); ops that nothing else reads afterwards only
      move and cost nothing;
    - a candidate whose cost is above `max-cost-per-byte` times its bytes
      is dropped; among the others, the one with the least cost per byte
      freed is computed again, and the peak is computed anew, until no
      candidate is left.

    The ops computed again are copies with the same attributes (layer,
    phase); their locations are fused locations with the metadata
    `"pulptrain.recomputed"`, which `convert-pulptrain-to-linalg` turns
    into a `pulptrain.recomputed` attribute on what it lowers them to, so
    that the tensor stage's CSE does not merge them back. The results are
    the same, bit for bit. Their cycles appear in the profiling region of
    the backward op before which they run.

    Before (the batch norm's gradients read `%c`, the next convolution's
    weight gradient reads `%y`):
    ```mlir
    %b = pulptrain.batch_norm %c, %g, %beta : ...
    %y = pulptrain.relu %b : tensor<8x4x4xf32>
    %z = pulptrain.conv2d %y, %w ...
    ...
    %dw = pulptrain.conv2d_wgt_grad %y, %dz ... {pulptrain.phase = "wgt_grad"}
    ```
    After:
    ```mlir
    %b = pulptrain.batch_norm %c, %g, %beta : ...
    %y = pulptrain.relu %b : tensor<8x4x4xf32>
    %z = pulptrain.conv2d %y, %w ...
    ...
    %b2 = pulptrain.batch_norm %c, %g, %beta : ...
    %y2 = pulptrain.relu %b2 : tensor<8x4x4xf32>
    %dw = pulptrain.conv2d_wgt_grad %y2, %dz ... {pulptrain.phase = "wgt_grad"}
    ```
  }];
  let options = [
    Option<"maxCostPerByte", "max-cost-per-byte", "int64_t", "6",
           "Most bytes read and written to compute a value again, per byte "
           "of it freed">,
  ];
  let statistics = [
    Statistic<"numRecomputed", "num-recomputed",
              "Values computed again for the backward pass">,
  ];
  let dependentDialects = ["::mlir::pulptrain::PulpTrainDialect"];
}

def ReadOnlyArguments : Pass<"pulptrain-read-only-arguments",
                              "::mlir::ModuleOp"> {
  let summary = "Mark the tensor arguments of every function read-only for "
                "bufferization";
  let description = [{
    Runs before `pulptrain-bufferize` (One-Shot Bufferize across function
    boundaries). The caller owns the buffers of a function's arguments and reuses them
    (docs/TrainStep.md): the harness passes the same buffer of a frozen
    parameter to every step, and the sample and label buffers to the
    forward function and the step. One-Shot Bufferize takes function
    arguments as writable, so a result it may compute in place (a linear
    layer's output accumulates into its bias) would overwrite the
    caller's data. This pass sets `bufferization.writable = false` on every
    tensor argument of every function with a body that does not set it
    already; bufferization then copies before writing.

    Before:
    ```mlir
    func.func @train_step(%x: tensor<4xf32>, %b: tensor<2xf32>) -> ...
    ```
    After:
    ```mlir
    func.func @train_step(%x: tensor<4xf32> {bufferization.writable = false},
                          %b: tensor<2xf32> {bufferization.writable = false}) -> ...
    ```
  }];
  let statistics = [
    Statistic<"numMarked", "marked", "Arguments marked read-only">,
  ];
}

def PlaceState : Pass<"pulptrain-place-state", "::mlir::ModuleOp"> {
  let summary = "Give a training step's parameters and optimizer buffers "
                "buffers of their own, in L1 where it pays, and split the "
                "step into the state API (init, run, read)";
  let description = [{
    Runs on bufferized code, before `pulptrain-plan-memory`. The state of a
    training step `@f` is its parameters and optimizer (momentum) buffers:
    the arguments with `pulptrain.param` or `pulptrain.momentum`
    (docs/TrainStep.md), each paired with the out-parameter of its updated
    value. A function with at least one updated state buffer gets:

    * one static buffer per state buffer, `memref.global
      @__pulptrain_state_<f>_<name>`, resident in L1
      (`#pulptrain.memory<l1>`) or in L2;
    * `@f_init(state...)`: copies the caller's state in (by DMA into L1);
    * `@f_run(other arguments...)`: the step's body on the state buffers,
      which it updates in place;
    * `@f_read(updated state...)`: copies the state out to the caller;
    * `@f` itself keeps its signature and meaning: it calls the three.

    A firmware calls `@f_init` once, `@f_run` once per training step and
    `@f_read` when it wants the parameters: what is resident in L1 never
    crosses the DMA between steps, and the ops of a step use it in place
    (`pulptrain-tile-l1` tiles only L2 operands).

    **In place.** An update writes the state buffer its old value is read
    from when no op reads the old value after the first write of the new
    one, or when the one op doing both is an element-wise `linalg` op with
    the same indexing of both (an SGD update, fused or not). Otherwise the
    new value goes to a buffer of its own in L2,
    `@__pulptrain_state_<f>_<name>_next` (where the caller's out-parameter
    was), copied over the state at the end of the step.

    **Placement.** The budget `l1-size` (bytes; 0: everything in L2) is
    filled greedily by a cost model: a buffer in L2 crosses the DMA once
    per op of the step that reads or writes it, plus once in and once out
    between steps, so the DMA cycles L1 residency saves per byte of L1 are
    proportional to that count; the densest saving goes first, then the
    smaller buffer. A buffer whose values cannot take the L1 memory space
    (passed to a call, carried by a loop with other buffers) stays in L2.

    **L3** (`l3-size` above 0). When the buffers left in L2 (with the
    staging buffer below) take more than `l2-size` bytes, the pass moves
    buffers into L3 (`#pulptrain.memory<l3>`,
    the external memory that only the L3 DMA channel reaches) until the
    rest fits: the fewest ops per byte first (each op that uses a buffer in
    L3 moves it over the slow channel, so the L3 traffic per byte of L2
    freed is that count), then the larger. They must fit `l3-size` (an
    error otherwise). In `@f_run` each op that uses such a buffer gets it
    staged: before the op, `cluster.l3_start` copies it into a view of one
    L2 staging buffer (`@__pulptrain_state_<f>__l3_staging`, as large as
    the largest sum of the L3 buffers one op uses), which the op uses
    instead (`pulptrain-tile-l1` then tiles it from L2 as any L2 operand);
    after the op, when it writes the buffer, a second copy puts it back.
    `@f_init` and `@f_read` copy it with `cluster.l3_start`. With `l3-size`
    0 (the default) nothing changes.

    **The loss.** An out-parameter of `@f_run` with `pulptrain.loss` that
    several ops write (its initial value, its sum, its mean) is computed in
    a temporary, which `pulptrain-plan-memory` places with the arena (in
    L1 when the arena is), and stored to the caller's buffer once at the
    end, instead of each op moving it between L2 and L1.

    The plan is the module attribute `pulptrain.state_plan`: per function
    and buffer its name, the symbol of its static buffer, the argument it
    replaces, bytes, memory, the ops that use it and whether it is updated
    in place (`pulptrain-run` reports it).

    **Initialised in place** (`external-state`). The static buffers are
    external declarations (public `memref.global`s without initial value)
    that the program linking the step defines, with the initial values of
    the state, in the memory the plan gives them (a section of L1 the
    loader fills, `.l1_data` of runtime/riscv32/link.ld, or L2) and calls
    `@f_run`, the only function the pass then leaves (no `@f_init`,
    `@f_read` or `@f`, which copy a caller's state): one copy of the
    parameters in the whole program, where an initial copy in the caller's
    memory stays in L2 for the program's life otherwise, and no caller's
    state buffers for `pulptrain-plan-memory` to count (`pulptrain-run`
    links its programs so).

    Before (`l1-size=8192`):
    ```mlir
    func.func @step(%x: memref<4xf32> {pulptrain.input = "x"},
                    %w: memref<4xf32> {pulptrain.param = "w"},
                    %loss: memref<f32> {pulptrain.loss},
                    %new_w: memref<4xf32> {pulptrain.param = "w"}) {
      ... linalg.generic ins(%w, %g : ...) outs(%new_w : ...) ...
    }
    ```
    After:
    ```mlir
    memref.global "private" @__pulptrain_state_step_w : memref<4xf32, #pulptrain.memory<l1>> = uninitialized {alignment = 16 : i64}
    func.func @step(%x: ..., %w: ..., %loss: ..., %new_w: ...) {
      call @step_init(%w) : (memref<4xf32>) -> ()
      call @step_run(%x, %loss) : (memref<4xf32>, memref<f32>) -> ()
      call @step_read(%new_w) : (memref<4xf32>) -> ()
      return
    }
    func.func @step_run(%x: memref<4xf32> {pulptrain.input = "x"},
                        %loss: memref<f32> {pulptrain.loss}) {
      %w = memref.get_global @__pulptrain_state_step_w : memref<4xf32, #pulptrain.memory<l1>>
      ... linalg.generic ins(%w, %g : ...) outs(%w : ...) ...
    }
    func.func @step_read(%new_w: memref<4xf32> {pulptrain.param = "w"}) {
      %w = memref.get_global @__pulptrain_state_step_w : memref<4xf32, #pulptrain.memory<l1>>
      %t = cluster.dma_start %w, %new_w : memref<4xf32, #pulptrain.memory<l1>> to memref<4xf32>
      cluster.dma_wait
      return
    }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::pulptrain::cluster::ClusterDialect"];
  let options = [
    Option<"l1Size", "l1-size", "int64_t", "0",
           "L1 bytes the state may take (0: all of it in L2)">,
    Option<"externalState", "external-state", "bool", "false",
           "The state buffers are external declarations, defined with "
           "their initial values by the program linking the step">,
    Option<"l2Size", "l2-size", "int64_t", "0",
           "L2 bytes the state may take; what does not fit goes to L3 "
           "(0: no limit)">,
    Option<"l3Size", "l3-size", "int64_t", "0",
           "L3 bytes for the state that does not fit l2-size (0: no L3)">,
  ];
  let statistics = [
    Statistic<"numFunctions", "functions", "Training steps split into the "
              "state API">,
    Statistic<"numL1", "l1-buffers", "State buffers resident in L1">,
    Statistic<"numL2", "l2-buffers", "State buffers in L2">,
    Statistic<"numL3", "l3-buffers", "State buffers in L3">,
  ];
}

def PlanMemory : Pass<"pulptrain-plan-memory", "::mlir::ModuleOp"> {
  let summary = "Place the temporary buffers of each function in static "
                "arenas in L1 and L2, reusing memory by liveness, and check "
                "the budgets";
  let description = [{
    Runs on bufferized code (after `pulptrain-bufferize`, before
    deallocations are inserted). Every statically shaped `memref.alloc` in
    the entry block of a function becomes a `memref.view` into one static
    arena, `memref.global @__pulptrain_arena`, shared by the functions of
    the module (they never run at the same time; a function that calls
    another function defined in the module keeps its allocations). A
    buffer lives from its first to its last use, uses through every alias
    included: views, values carried through `scf.for` iter_args and loop
    results, values yielded by `scf.if` and other region ops, and results
    of ops the analysis does not know (lib/Analysis/BufferAliasAnalysis,
    the one alias analysis of the pipeline, built on upstream's
    BufferViewFlowAnalysis). A buffer that an alias carries out of the
    function lives for the whole call. Buffers whose lives do not overlap
    share memory. Offsets are
    assigned by first fit, each buffer at the lowest offset (aligned to
    `alignment` bytes) that overlaps no buffer placed before it with an
    overlapping life, in the order largest buffer first. Where that misses
    the liveness lower bound, four more orders place the buffers live at
    the liveness peak first (which then fill the arena up to the bound
    without a gap), by longest life, latest end, earliest start or size,
    and the others largest first; the smallest arena is kept, and where it
    still misses the bound, a local search over the order (swaps of
    buffers whose lives overlap, kept unless the arena grows) stops at the
    bound or after a fixed amount of work. Its pseudo-random choices have
    a fixed seed, so the plan is deterministic.

    Every buffer goes to L2 (`arena=l2`), to L1 (`arena=l1`), or, with
    `arena=auto`, all to L1 when the whole arena fits the L1 budget
    (`l1-size` minus the training state's L1 bytes) and else buffer by
    buffer: the buffers that save the most DMA cycles per byte of L1 over
    their life go to an L1 arena as long as it packs within the budget, the
    others to an L2 arena. A buffer in L2 costs, at each use by an op,
    what `pulptrain-tile-l1` pays to copy it to L1 tiles and back (a start
    of 32 cycles per DMA transfer, 8 bytes a cycle, in when the op reads
    it, out when it writes it; 10 cycles per load or store it leaves in
    L2); its cost in L1 is its bytes times the ops of its life that do
    work. Buffers by that ratio, densest first, each kept when the liveness
    bound and then the packing of the L1 arena with it stay within the
    budget (a greedy for the knapsack over intervals; buffers a loop
    carries together are chosen together). Each arena is packed as above;
    with both, `@__pulptrain_arena` is the L1 one and `@__pulptrain_arena_l2`
    the L2 one. The memory chosen is the memory space of the arena's type,
    `#pulptrain.memory<l1>` or `#pulptrain.memory<l2>`, and of every value
    derived from a buffer in it: its views and the values loops carry. A
    buffer one of whose values cannot take that type (a call, a return or a
    branch takes it, or a loop carries it or another buffer) keeps its
    allocation, in L2. The plan is checked against the budgets: the L2
    budget must hold every argument buffer of a function (weights, inputs,
    labels, out-parameters) plus the L2 arena, the L1 budget the L1 arena
    (only `arena=l1` can exceed it). A function that does not fit is
    rejected with a note per buffer (size, arena offset and lifetime) and
    the total against the limit. A budget of 0 is unlimited.

    With an L3 (`l3-size` above 0) and a budget for the L2 arena
    (`l2-arena-size`), the temporaries that the L2 arena cannot hold go to
    an L3 arena, `@__pulptrain_arena_l3` (`#pulptrain.memory<l3>`, the
    external memory that only the L3 channel reaches). At the position of
    the L2 arena's liveness peak, the buffer live there and not used there
    with the fewest uses (the L3 traffic per byte of L2 freed), then the
    largest, goes to L3, until the liveness bound and the packing fit the
    budget (a saved activation, live from the forward to the backward
    pass, is the typical choice). Around each op that uses such a buffer,
    a copy of it in L2 (an allocation the L2 arena packs, live at that op
    only) is filled by `cluster.l3_start`/`cluster.l3_wait` before the op
    and written back after it when the op writes it, the op's views
    rebuilt on the copy; the first op that uses the buffer finds nothing
    to fetch, and after the last one nothing is written back. The function
    is then planned again with the copies. A buffer that a loop carries,
    or an op yields, stays in L2. When the L2 arena still exceeds its
    budget (unless `l2-arena-strict=false`), or the L3 arena `l3-size`,
    the function is rejected.

    The module gets the attribute `pulptrain.memory_plan`: per function the
    argument bytes, the arena bytes (all arenas, and each; the L3 one
    where there is an L3), the number of
    buffers, the liveness lower bound of any arena (`live_bytes`: the most
    bytes live at one op) and the table of its temporaries (`temporaries`:
    per buffer its bytes, life in op positions, memory, arena offset, the
    cycles L1 saves it and the layer and phase of its first user); over
    all, the bytes of the arenas and the L1 arena's budget, so that
    drivers can report the peak L1/L2 use, the placement and how close the
    packing comes to the bound.

    Before:
    ```mlir
    %a = memref.alloc() {alignment = 64 : i64} : memref<16x6x6xf32>
    ```
    After (`arena=l1`):
    ```mlir
    memref.global "private" @__pulptrain_arena : memref<4608xi8, #pulptrain.memory<l1>> = uninitialized {alignment = 16 : i64}
    ...
    %arena = memref.get_global @__pulptrain_arena : memref<4608xi8, #pulptrain.memory<l1>>
    %c2304 = arith.constant 2304 : index
    %a = memref.view %arena[%c2304][] : memref<4608xi8, #pulptrain.memory<l1>> to memref<16x6x6xf32, #pulptrain.memory<l1>>
    ```
  }];
  let options = [
    Option<"l1Size", "l1-size", "int64_t", "0",
           "L1 bytes available to the arena (0: unlimited)">,
    Option<"l2Size", "l2-size", "int64_t", "0",
           "L2 bytes available to buffers and arena (0: unlimited)">,
    Option<"arena", "arena", "std::string", "\"l2\"",
           "Memory of the temporaries: l2, l1, or auto (all in L1 when they "
           "fit, else per buffer by DMA cycles saved)">,
    Option<"alignment", "alignment", "int64_t", "16",
           "Alignment of every buffer in the arena, in bytes">,
    Option<"l2ArenaSize", "l2-arena-size", "int64_t", "0",
           "L2 bytes the L2 arena may take when there is an L3: the buffers "
           "it cannot hold go to L3 (0: no limit)">,
    Option<"l3Size", "l3-size", "int64_t", "0",
           "L3 bytes for the temporaries that l2-arena-size does not hold "
           "(0: no L3)">,
    Option<"l2ArenaStrict", "l2-arena-strict", "bool", "true",
           "Reject a function whose L2 arena exceeds l2-arena-size with "
           "what can go to L3 in L3 (false: keep the plan, for a driver "
           "that checks the linked program and moves other buffers)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::pulptrain::PulpTrainDialect",
                           "::mlir::pulptrain::cluster::ClusterDialect"];
}

def EraseMemorySpaces : Pass<"pulptrain-erase-memory-spaces",
                              "::mlir::ModuleOp"> {
  let summary = "Record the sections of globals in L1, then erase the "
                "memory spaces";
  let description = [{
    Runs right before `finalize-memref-to-llvm`, which maps a memory space
    to an LLVM address space and knows no `#pulptrain.memory`. L1 and L2
    are one address space on the cluster: what tells them apart in the
    object is the section of a global, which the link script places in
    L1 (`.l1_bss`, runtime/riscv32/link.ld) or in L2 (the default
    sections). This pass records the section of every `memref.global` in
    `#pulptrain.memory<l1>` in the module attribute `pulptrain.sections`
    (symbol name to section name), for `pulptrain-place-globals` after the
    conversion (which drops the discardable attributes of a
    `memref.global`), and removes `#pulptrain.memory` from every type of
    the module: values, block arguments, function types, globals.
    Memory spaces of other kinds are left alone.

    Before:
    ```mlir
    memref.global "private" @__pulptrain_l1_tiles : memref<4096xi8, #pulptrain.memory<l1>> = uninitialized
    func.func @step(%x: memref<64xf32>) {
      %tiles = memref.get_global @__pulptrain_l1_tiles : memref<4096xi8, #pulptrain.memory<l1>>
      ...
    ```
    After:
    ```mlir
    module attributes {pulptrain.sections = {__pulptrain_l1_tiles = ".l1_bss"}} {
    memref.global "private" @__pulptrain_l1_tiles : memref<4096xi8> = uninitialized
    func.func @step(%x: memref<64xf32>) {
      %tiles = memref.get_global @__pulptrain_l1_tiles : memref<4096xi8>
      ...
    ```
  }];
}

def PlaceGlobals : Pass<"pulptrain-place-globals", "::mlir::ModuleOp"> {
  let summary = "Put LLVM globals into the memory sections of their memory";
  let description = [{
    `llvm.mlir.global` has a section, `memref.global` has none:
    `pulptrain-erase-memory-spaces` records the section of every global in
    L1 in the module attribute `pulptrain.sections` (symbol name to section
    name) before `finalize-memref-to-llvm`. After the conversion, this pass
    sets the `section` of those `llvm.mlir.global` ops, so that the linker
    script places them in the cluster's TCDM (`.l1_bss`), and removes the
    attribute.

    Example: with `pulptrain.sections = {__pulptrain_arena = ".l1_bss"}`,
    ```mlir
    llvm.mlir.global private @__pulptrain_arena() : !llvm.array<4608 x i8>
    ```
    gets `{section = ".l1_bss"}`.
  }];
}

def DistinctResults : Pass<"pulptrain-distinct-results",
                            "::mlir::func::FuncOp"> {
  let summary = "Give every function result its own value before "
                "bufferization";
  let description = [{
    The lowering turns every result of a function into an out-parameter
    (`pulptrain-bufferize`, with upstream's out-parameter promotion), which
    cannot handle a value returned
    twice: each out-parameter needs its own buffer. This pass copies every
    repeated `func.return` operand of static shape, so that the returned
    values are distinct; the copy becomes a write into the second
    out-parameter.

    Before:
    ```mlir
    return %h, %h : tensor<4xf32>, tensor<4xf32>
    ```
    After:
    ```mlir
    %copy = bufferization.alloc_tensor() copy(%h) : tensor<4xf32>
    return %h, %copy : tensor<4xf32>, tensor<4xf32>
    ```
    A repeated operand of dynamic shape is reported at the `func.return`.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect"];
}

def RematerializeFills : Pass<"pulptrain-rematerialize-fills",
                               "::mlir::func::FuncOp"> {
  let summary = "Give every use of a filled tensor a fill of its own before "
                "bufferization";
  let description = [{
    CSE merges identical `linalg.fill`s of `tensor.empty`: the zero
    accumulators, padded copies and zero-initialized gradients of every
    layer with the same shape then share one filled tensor. One-Shot
    Bufferize keeps its buffer alive for the whole span of its uses and
    copies it into a new buffer before each op that writes into it, so the
    training step holds a zero buffer per shape from the forward pass to
    the end of the backward pass. This pass clones the `tensor.empty` and
    the `linalg.fill` before every use but the first (in program order;
    before the op of the fill's block that holds a nested use), so that
    each fill bufferizes in place into a buffer that lives only as long as
    its own use. A `tensor.empty` with several uses (merged by CSE, it
    makes the ops of many layers write into one long-lived buffer) is
    cloned the same way, except for an op that reads what an earlier user
    of it produced (directly, or through the op that accumulated into its
    fill: a loss scaled in place), which takes the tensor that user got
    and can write where it reads. An element-wise extension to a wider
    float type (the f32 copy of a saved activation kept in f16 or bf16,
    `pulptrain-round-saved-activations`) read by several ops, as CSE
    leaves the extensions made for each backward reader, is built again
    before each reader but the first: the f32 copy then lives around one
    reader, not from the first to the last. A padded copy (`tensor.insert_slice` into such a fill, and its
    reshapes) read again later while its source is still live there is
    built again before that reader. Values are unchanged.

    Before:
    ```mlir
    %e = tensor.empty() : tensor<64xf32>
    %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
    %a = linalg.generic ... outs(%z : tensor<64xf32>)
    %b = linalg.generic ... outs(%z : tensor<64xf32>)
    ```
    After:
    ```mlir
    %e = tensor.empty() : tensor<64xf32>
    %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
    %a = linalg.generic ... outs(%z : tensor<64xf32>)
    %e1 = tensor.empty() : tensor<64xf32>
    %z1 = linalg.fill ins(%c0 : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
    %b = linalg.generic ... outs(%z1 : tensor<64xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def SizeColdFunctions : Pass<"pulptrain-size-cold-functions",
                              "::mlir::ModuleOp"> {
  let summary = "Optimize for size the functions no training step reaches";
  let description = [{
    A module compiled as a whole (`pulptrain-run --emit obj`) holds, besides
    the training step and its kernels, functions that run once or outside
    training: `@init_params`, the inference function `@forward` and the
    kernels only they use. LLVM's -O3 unrolls and optimizes them as it does
    the step's kernels: a third of MobileNetV1-0.25's LLVM IR, about 0.7 s
    of `pulptrain-translate` (docs/Benchmarks.md, "Compile time (issue
    17)"). This pass gives every defined `llvm.func` that no training step
    reaches the LLVM attribute `optsize` (less unrolling, smaller code).

    The training steps are the functions with a `pulptrain.label` argument
    (`@f`, its state API's `@f_run`); they reach the functions they call and
    the kernels whose address they take (`cluster.fork`), through any
    symbol use, transitively. Those keep LLVM's full -O3, so the step's code
    is what it was. A module without a training step (a forward model) is
    left as it is. Use this pass after the conversion to the LLVM dialect.

    Before:
    ```mlir
    llvm.func @forward_kernel0(%arg0: !llvm.ptr) { ... }
    llvm.func @forward(%arg0: !llvm.ptr) { ... @forward_kernel0 ... }
    llvm.func @step_kernel0(%arg0: !llvm.ptr) { ... }
    llvm.func @step(%x: !llvm.ptr, %y: !llvm.ptr {pulptrain.label}) {
      ... @step_kernel0 ...
    }
    ```
    After: `@forward` and `@forward_kernel0` get
    `passthrough = ["optsize"]`; `@step` and `@step_kernel0` are unchanged.
  }];
  let statistics = [
    Statistic<"numSized", "sized", "Functions optimized for size">,
  ];
}

def VerifyLowered : Pass<"pulptrain-verify-lowered", "::mlir::ModuleOp"> {
  let summary = "Check that a module is entirely in the LLVM dialect";
  let description = [{
    The conversions to the LLVM dialect are partial: an op they cannot
    convert (say a `func.func` whose memref arguments have no bare-pointer
    form) is left as it is and the pipeline would succeed, handing IR that
    `pulptrain-translate` cannot read to the next tool. This pass ends
    `--pulptrain-lower-to-llvm`: it reports the first op that is not in the
    LLVM dialect at its location, and fails.

    ```mlir
    // error: 'func.func' op was not lowered to the LLVM dialect
    func.func @f(%arg0: memref<0xf32>) {
      llvm.return
    }
    ```
  }];
}

def OutlineParallel : Pass<"pulptrain-outline-parallel", "::mlir::ModuleOp"> {
  let summary = "Run parallel loops on all cores of the cluster as forked "
                "kernels";
  let description = [{
    Outlines every outermost `scf.parallel` loop (static bounds, no
    reductions) of a function, also one inside a sequential loop (a loop
    over L1 tiles), into a private kernel function that takes the buffers
    and indices the loop uses as arguments; constants and views of those
    buffers or of globals are recomputed inside the kernel. Every core of
    the team runs the kernel on its share of one loop dimension: the
    outermost one with at least `cores` iterations, else the one with the
    most iterations (so that all cores get work, e.g. columns when rows are
    fewer than cores), in contiguous chunks of `ceil(trip / team)`
    iterations; the last cores get the remainder or nothing.

    The loop is replaced by a `cluster.fork` of the kernel, which runs it
    on all cores and returns after the join barrier (lowered to the
    runtime by `convert-cluster-to-llvm`). Each output element is computed by one core in the same order
    as the sequential loop, so results do not depend on the core count.
    Loops with fewer than `min-iterations` iterations stay sequential, and
    so does a loop whose work is less than a fork saves: its body's
    cycles are estimated (an L2 access `l2-latency`, an L1 access 1, a
    division 11 or 35, an exp, log or tanh 40, nested static loops their
    trip count times their body, anything else 1, plus 3 per iteration),
    and the loop is forked only when `fork-cycles` (the fork and join,
    measured by `bench/fork/run.sh`) plus the busiest core's share cost
    less than the whole loop on one core. A 4-element map in L1 stays
    sequential, a 64-element one is forked
    (`test/Transforms/pulptrain-outline-parallel-small.mlir`).

    Before:
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%c16, %c36) step (%c1, %c1) {
      ... %in[%i, %j] ... %out[%i, %j] ...
    }
    ```
    After:
    ```mlir
    cluster.fork @f_kernel0(%in, %out) : memref<16x36xf32>, memref<16x36xf32>
    ...
    func.func private @f_kernel0(%in: memref<16x36xf32>, %out: memref<16x36xf32>) {
      %id = cluster.core_id
      %team = cluster.num_cores
      ... %lo, %hi: this core's rows ...
      scf.parallel (%i, %j) = (%lo, %c0) to (%hi, %c36) step (%c1, %c1) { ... }
    }
    ```
  }];
  let options = [
    Option<"cores", "cores", "int64_t", "8",
           "Cores of the cluster (chooses the split dimension)">,
    Option<"minIterations", "min-iterations", "int64_t", "2",
           "Loops with fewer iterations stay sequential">,
    Option<"forkCycles", "fork-cycles", "int64_t", "115",
           "Cycles of a kernel's fork and join (bench/fork, 8 cores; 0: "
           "fork every loop of min-iterations)">,
    Option<"l2Latency", "l2-latency", "int64_t", "10",
           "Cycles of a core's L2 access, for the cost of a loop's body">,
  ];
  let statistics = [
    Statistic<"numSequential", "num-sequential",
              "Loops left on the calling core (cheaper than a fork)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::pulptrain::cluster::ClusterDialect"];
}

def MergeKernels : Pass<"pulptrain-merge-kernels", "::mlir::ModuleOp"> {
  let summary = "Keep one function of each class of structurally equal "
                "private functions";
  let description = [{
    Repeated blocks of a model (MobileNetV1's five 128-channel blocks,
    DS-CNN's identical blocks) and a model's forward function next to the
    training step's forward pass give `pulptrain-outline-parallel` kernels
    that are the same function under different names. This pass merges
    private functions with a body whose attributes (function type,
    argument attributes) and operations are equal up to SSA names and
    locations (`OperationEquivalence`, with a structural hash to find the
    candidates): the first of each class in module order stays, every
    reference to the others (the `cluster.fork` of a kernel, a call)
    names it, and the others are erased. Functions that differ in a
    constant or a global stay apart: a kernel's constants are its loop
    bounds and offsets, which LLVM folds. Public functions are never
    merged. Nothing the functions compute changes; the compiler's later
    stages, LLVM and the object see fewer functions.

    Before:
    ```mlir
    cluster.fork @step_kernel0(%a) : memref<64xf32>
    cluster.fork @step_kernel1(%b) : memref<64xf32>
    func.func private @step_kernel0(%x: memref<64xf32>) { ...body... }
    func.func private @step_kernel1(%y: memref<64xf32>) { ...same body... }
    ```
    After:
    ```mlir
    cluster.fork @step_kernel0(%a) : memref<64xf32>
    cluster.fork @step_kernel0(%b) : memref<64xf32>
    func.func private @step_kernel0(%x: memref<64xf32>) { ...body... }
    ```
  }];
  let statistics = [
    Statistic<"numMerged", "merged", "Functions merged into an equal one">,
  ];
}

def PromoteAccumulators : Pass<"pulptrain-promote-accumulators"> {
  let summary = "Keep loop-carried accumulators in registers";
  let description = [{
    The loops of a reduction (a matmul's or a convolution's inner loops)
    load and store the same output element in every iteration. When an
    `scf.for` body loads and later stores one element at loop-invariant
    indices, and no other access in the loop may alias it, this pass loads
    the element once before the loop, carries it as an `iter_arg` and
    stores it once after the loop. Innermost loops go first, so an
    accumulator moves out of a whole loop nest.

    LLVM cannot do this itself: the buffers are bare pointers and views of
    one arena. pulptrain knows better (lib/Analysis/BufferAliasAnalysis):
    distinct function arguments are distinct buffers (docs/TrainStep.md), a
    private global is never one of them, constant-offset views of the
    planned arena with disjoint byte ranges do not overlap, and buffers
    carried through loops or yielded by region ops are traced to their
    allocations. A loop that calls a function is left alone.

    A reduction rounded in its epilogue (`pulptrain-fuse-rounding`) loads
    an f16/bf16 element, extends it (`arith.extf`) and stores the rounding
    (`arith.truncf`) of its f32 result; both are marked
    `pulptrain.f32_accumulator`. Such a pair carries the f32 value: one
    extension before the loop, one rounding after it, so the element is
    rounded once per reduction, not once per iteration, and the loop body
    is the one of an f32 accumulator (which `pulptrain-vectorize-pairs`
    turns into `cluster.dotpex`). A marked rounding left inside a
    reduction loop (an accumulator that could not be promoted) would round
    every iteration: the pass reports it as an error.

    Before:
    ```mlir
    scf.for %k = %c0 to %c8 step %c1 {
      %acc = memref.load %out[%i] : memref<16xf32>
      %a = memref.load %in[%i, %k] : memref<16x8xf32>
      %sum = arith.addf %acc, %a : f32
      memref.store %sum, %out[%i] : memref<16xf32>
    }
    ```
    After:
    ```mlir
    %init = memref.load %out[%i] : memref<16xf32>
    %r = scf.for %k = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (f32) {
      %a = memref.load %in[%i, %k] : memref<16x8xf32>
      %sum = arith.addf %acc, %a : f32
      scf.yield %sum : f32
    }
    memref.store %r, %out[%i] : memref<16xf32>
    ```
    A marked f16 accumulator, after:
    ```mlir
    %init = memref.load %out[%i] : memref<16xf16>
    %e = arith.extf %init {pulptrain.f32_accumulator} : f16 to f32
    %r = scf.for %k = %c0 to %c8 step %c1 iter_args(%acc = %e) -> (f32) {
      ...
      scf.yield %sum : f32
    }
    %t = arith.truncf %r {pulptrain.f32_accumulator} : f32 to f16
    memref.store %t, %out[%i] : memref<16xf16>
    ```
  }];
}

def FuseWeightUpdate : Pass<"pulptrain-fuse-weight-update"> {
  let summary = "Compute a weight gradient inside the optimizer update that "
                "alone uses it";
  let description = [{
    On a batch of one, a Linear layer's weight gradient is an outer product
    `dw[o, i] = dy[o] * x[i]`: element-wise, like the SGD update
    `w' = w - lr * (dw + wd * w)` (and the momentum buffer) that reads it.
    Computed apart, the gradient (as large as the weight) is written out by
    one op and read back by the next. This pass fuses the gradient's
    producers into the update when the update is their only user, so each
    gradient element is computed in a register where the update needs it,
    and the gradient is never stored (the Tiny Training Engine's in-place
    update).

    It fuses into each `linalg.generic` that `convert-pulptrain-to-linalg`
    marks `pulptrain.optimizer_update` (one per `pulptrain.sgd_update` and
    per `pulptrain.adam_update`), with upstream's `linalg::fuseElementwiseOps`, every producer of a
    gradient input (not the parameter, the first input, nor the optimizer
    state, the last inputs) that is an all-parallel `linalg.generic` with no
    other user and no result that reads its init; then again for the fused
    op's new inputs (an f16 gradient is a rounding of an f32 product: both
    are fused). It removes the marks. The fused op stays an element-wise
    `linalg.generic` in which the parameter's input and result have the
    same indexing map, so the parameter can be updated in place.

    A reduction is no element-wise producer: a convolution's weight
    gradient, and a Linear one over a batch, stay apart (docs/Pipeline.md).
    The arithmetic of every element is unchanged, so results are
    bit-identical to the unfused step's.

    Before:
    ```mlir
    %dw = linalg.generic {indexing_maps = [#o, #i, #oi],
                          iterator_types = ["parallel", "parallel"]}
        ins(%dy, %x : tensor<32xf32>, tensor<576xf32>)
        outs(%e0 : tensor<32x576xf32>) {
    ^bb0(%a: f32, %b: f32, %out: f32):
      %p = arith.mulf %a, %b : f32
      %g = arith.addf %zero, %p : f32
      linalg.yield %g : f32
    } -> tensor<32x576xf32>
    %w1 = linalg.generic {indexing_maps = [#oi, #oi, #oi],
                          iterator_types = ["parallel", "parallel"]}
        ins(%w, %dw : tensor<32x576xf32>, tensor<32x576xf32>)
        outs(%e1 : tensor<32x576xf32>) attrs = {pulptrain.optimizer_update} {
    ^bb0(%wi: f32, %gi: f32, %out: f32):
      %s = arith.mulf %lr, %gi : f32
      %n = arith.subf %wi, %s : f32
      linalg.yield %n : f32
    } -> tensor<32x576xf32>
    ```
    After:
    ```mlir
    %w1 = linalg.generic {indexing_maps = [#oi, #o, #i, #oi],
                          iterator_types = ["parallel", "parallel"]}
        ins(%w, %dy, %x : tensor<32x576xf32>, tensor<32xf32>, tensor<576xf32>)
        outs(%e1 : tensor<32x576xf32>) {
    ^bb0(%wi: f32, %a: f32, %b: f32, %out: f32):
      %p = arith.mulf %a, %b : f32
      %g = arith.addf %zero, %p : f32
      %s = arith.mulf %lr, %g : f32
      %n = arith.subf %wi, %s : f32
      linalg.yield %n : f32
    } -> tensor<32x576xf32>
    ```
  }];
  let statistics = [
    Statistic<"numFused", "fused-producers",
              "Producers fused into optimizer updates">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def CollapseElementwise : Pass<"pulptrain-collapse-elementwise"> {
  let summary = "Run element-wise ops on contiguous buffers as one loop";
  let description = [{
    An element-wise `linalg.generic` on buffers (rank 2 or more, all loops
    parallel, every indexing map the identity) whose operands are all
    memrefs of static shape, contiguous and row-major, one of them of f16
    or bf16, is collapsed to one loop over all its elements by upstream's
    `linalg::populateCollapseDimensions` (a `memref.collapse_shape` of each
    operand). A 3x3 kernel's SGD update, whose innermost loop of 3 neither
    pairs (`pulptrain-vectorize-pairs` needs an even trip count) nor
    amortizes its overhead, becomes one loop of all the weights. A strided
    window of a larger buffer is not contiguous and keeps its loops; an op
    on f32 alone keeps them too (one loop was measured slower than the
    nest: the tutorial CNN's f32 ReLU and 3x3 update took 106 cycles more).
    The arithmetic of every element is unchanged: results are bit-identical
    (`populateCollapseElementwisePatterns`). Runs first in the codegen
    stage, before the loops are made.

    Before:
    ```mlir
    linalg.generic {indexing_maps = [#id4, #id4, #id4],
                    iterator_types = ["parallel", "parallel", "parallel",
                                      "parallel"]}
        ins(%w, %g : memref<16x8x3x3xf16>, memref<16x8x3x3xf16>)
        outs(%w1 : memref<16x8x3x3xf16>) { ... }
    ```
    After:
    ```mlir
    %cw = memref.collapse_shape %w [[0, 1, 2, 3]]
        : memref<16x8x3x3xf16> into memref<1152xf16>
    ...
    linalg.generic {indexing_maps = [#id1, #id1, #id1],
                    iterator_types = ["parallel"]}
        ins(%cw, %cg : memref<1152xf16>, memref<1152xf16>)
        outs(%cw1 : memref<1152xf16>) { ... }
    ```
  }];
  let statistics = [
    Statistic<"numCollapsed", "collapsed-ops",
              "Element-wise ops collapsed to one loop">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def FoldZeroFills : Pass<"pulptrain-fold-zero-fills"> {
  let summary = "Start reductions from zero instead of a filled buffer";
  let description = [{
    A reduction whose result starts at zero is a fill of its output and a
    reduction that reads the output back as its initial value. After
    `pulptrain-promote-accumulators` the reduction's `scf.parallel` loads
    each output element once (its accumulator's initial value), and the
    fill is an `scf.parallel` of its own: on the cluster a kernel, a fork
    and a barrier for values known at compile time.

    When an `scf.parallel` whose body only stores +0.0 into a buffer at its
    induction variables is followed, in the same block, by the next op
    that touches the buffer being an `scf.parallel` over the same constant
    iteration space whose body loads the buffer once and stores it once,
    both at its induction variables, and touches it nowhere else, the load
    becomes the constant zero and the fill is erased. The reduction writes
    every element the fill wrote and each value is the one the load would
    have read: results are bit-identical. Aliasing comes from
    `BufferAliasAnalysis`; an op between the two loops that may read or
    write the buffer stops the fold (`cluster.dma_wait` and the profiling
    brackets only order memory). Runs in the codegen stage after
    `pulptrain-promote-accumulators`.

    Before:
    ```mlir
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      memref.store %zero, %y[%i] : memref<64xf32>
      scf.reduce
    }
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      %init = memref.load %y[%i] : memref<64xf32>
      %sum = scf.for %k = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (f32) {
        ...
      }
      memref.store %sum, %y[%i] : memref<64xf32>
      scf.reduce
    }
    ```
    After:
    ```mlir
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      %init = arith.constant 0.000000e+00 : f32
      %sum = scf.for %k = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (f32) {
        ...
      }
      memref.store %sum, %y[%i] : memref<64xf32>
      scf.reduce
    }
    ```
  }];
  let statistics = [
    Statistic<"numFolded", "folded-fills",
              "Zero fills folded into the reductions that read them">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def NarrowUpdates : Pass<"pulptrain-narrow-updates"> {
  let summary = "Compute f16/bf16 SGD updates in the parameter's type";
  let description = [{
    Rewrites the body of each SGD update on f16 or bf16 parameters (a
    `linalg.generic` marked `pulptrain.optimizer_update` by
    `convert-pulptrain-to-linalg`, before `pulptrain-fuse-weight-update`)
    from f32 arithmetic rounded once into arithmetic in the parameter's
    type: each multiply-add (`w - lr * g`, `momentum * buf + g`,
    `g + wd * w`) is one 16-bit `math.fma`, rounded once, with its constant
    rounded to the 16-bit type. `pulptrain-vectorize-pairs` then updates two
    elements with one `vfmac.h` / `vfmac.ah` instead of converting each
    operand to f32 and back (docs/Vectorization.md, "Updates in the
    parameter's type").

    The results are not bit-identical to the f32 arithmetic: lr, momentum
    and weight decay keep 11 (f16) or 8 (bf16) significant bits, and the
    momentum buffer is rounded before the step reads it, as PyTorch's
    separate `mul_` and `add_` on 16-bit tensors round it. An update keeps
    its f32 arithmetic when a constant would be zero or subnormal in the
    16-bit type (an f16 lr below 2^-14), or when its body holds other ops
    (Adam's square root and division). A gradient input in f32 keeps its
    rounding (`populateNarrowUpdatesPatterns`). Runs in the tensor stage
    with `simd` (riscv32) and `narrow-updates` (default on;
    `pulptrain-run --no-narrow-updates`).

    Before:
    ```mlir
    %w1 = linalg.generic {indexing_maps = [#id, #id, #id],
                          iterator_types = ["parallel"]}
        ins(%w, %g : tensor<64xf16>, tensor<64xf16>)
        outs(%e : tensor<64xf16>) attrs = {pulptrain.optimizer_update} {
    ^bb0(%wi: f16, %gi: f16, %out: f16):
      %a = arith.extf %wi : f16 to f32
      %b = arith.extf %gi : f16 to f32
      %lr = arith.constant 5.000000e-02 : f32
      %s = arith.mulf %lr, %b : f32
      %n = arith.subf %a, %s : f32
      %r = arith.truncf %n : f32 to f16
      linalg.yield %r : f16
    } -> tensor<64xf16>
    ```
    After:
    ```mlir
    ^bb0(%wi: f16, %gi: f16, %out: f16):
      %nlr = arith.constant -4.998780e-02 : f16
      %r = math.fma %gi, %nlr, %wi : f16
      linalg.yield %r : f16
    ```
  }];
  let statistics = [
    Statistic<"numNarrowed", "narrowed-updates",
              "Updates computed in their parameter's type">,
  ];
  let dependentDialects = ["::mlir::math::MathDialect"];
}

def ElementwiseInPlace : Pass<"pulptrain-elementwise-in-place"> {
  let summary = "Compute element-wise results in an input that dies there";
  let description = [{
    An element-wise `linalg.generic` on tensors (all loops parallel, one
    result) whose init is a `tensor.empty` it does not read, and one of
    whose inputs has the result's type, the init's indexing map and no
    other use than this op, takes that input as its init. An input made by
    a reshape (`tensor.collapse_shape`, `tensor.expand_shape`) qualifies
    when the reshape's source has no other use either; a function
    argument, a constant or an empty tensor does not. One-Shot Bufferize
    then computes the result in the input's buffer: a ReLU over the
    convolution output that only it reads, an activation's gradient over
    the incoming gradient, one buffer less where the input dies. Each
    element is read and written at the same position by the same
    iteration: results are bit-identical. A result that is returned (an
    updated parameter, computed in the caller's out-parameter) is left
    alone (`populateElementwiseInPlacePatterns`).

    With `at-peak-only` (the default) it rewrites only the ops at each
    function's peak of live buffer bytes, as the tensor stage sees the
    buffers (a destination-passing result in its init's buffer, a reshape a
    view), and only while every op at the peak can be rewritten: a rewrite
    frees a buffer at its own op only. Elsewhere it would merge a
    short-lived buffer into a long-lived one for nothing: measured in
    docs/Benchmarks.md, rewriting every candidate kept each arena peak of
    the example models, cost DS-CNN f16 0.4 % of its cycles (a convolution
    output in L1 joined its ReLU output, saved for the backward pass, in
    L2), and grew the tutorial CNN's code by 674 B. Runs at the end of the
    tensor stage (stage option `elementwise-in-place`, default on;
    `pulptrain-run --no-elementwise-in-place`).

    Before:
    ```mlir
    %e = tensor.empty() : tensor<64xf32>
    %y = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel"]}
        ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) { ... }
    ```
    After (`%x` used by this op only):
    ```mlir
    %y = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel"]}
        ins(%x : tensor<64xf32>) outs(%x : tensor<64xf32>) { ... }
    ```
  }];
  let options = [
    Option<"atPeakOnly", "at-peak-only", "bool", "true",
           "Only the ops at each function's peak of live buffer bytes, and "
           "only while every op at the peak can be rewritten">,
  ];
  let statistics = [
    Statistic<"numInPlace", "in-place",
              "Element-wise ops computing their result in an input">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def FuseRounding : Pass<"pulptrain-fuse-rounding"> {
  let summary = "Round f16/bf16 results in the op that computes them";
  let description = [{
    An op on f16 or bf16 tensors lowers to an f32 computation and one
    rounding of its result (`convert-pulptrain-to-linalg`): an f32
    `linalg.generic`, then an element-wise `linalg.generic` whose body is
    `arith.truncf` of its input. The f32 result is a temporary twice the
    size of the f16 result, stored by one op and loaded by the next. This
    pass fuses the rounding into its producer, a `linalg.generic` with one
    result that the rounding alone uses, when no profiling bracket lies
    between them:

    * an all-parallel producer that does not read its init (a batch-1
      Linear weight gradient, an activation and its gradient, a scalar op)
      with upstream's `linalg::fuseElementwiseOps`;
    * a reduction (matmul, convolution and their gradients, the sums of
      norms and losses) whose loops are its parallel ones, then its
      reduction ones, and whose init is a fill with a value the element type
      holds exactly (zero) or an all-parallel op of the f16/bf16 values
      extended to f32 (a bias): the fused op writes the f16/bf16 result, its
      init is that fill or copy in the element type, and its body extends the
      output value to f32 and rounds the f32 result (the rounding in the
      epilogue). Plain linalg semantics would round in every iteration;
      the op, its `arith.extf` and its `arith.truncf` are marked
      `pulptrain.f32_accumulator`, the contract that the value is carried in
      f32 across the reduction and rounded once. `pulptrain-tile-l1` keeps
      the reductions of such ops whole, and `pulptrain-promote-accumulators`
      carries the f32 value in a register. A reduction into an f32 value
      that something else made (the other parity of a weight gradient, a
      previous chunk) keeps its f32 result.

    A rounding of a reshape (`tensor.collapse_shape`, `tensor.expand_shape`)
    or of an insertion (`tensor.insert_slice`) that it alone uses moves
    before it (rounded pieces are inserted or reshaped), and the rounding
    of a `tensor.empty` is an empty f16/bf16 tensor, so that the roundings
    reach the ops that compute the values. An element-wise op that reads a
    reduction's f32 result only through `arith.truncf` (an SGD update into
    which `pulptrain-fuse-weight-update` fused a weight gradient's
    rounding) reads the rounded values instead, and the rounding goes back
    next to the reduction, into its epilogue. f32 code is not touched.

    Every element is computed as before and rounded once: results are
    bit-identical.

    Before:
    ```mlir
    %p = linalg.generic {indexing_maps = [#o, #i, #oi],
                         iterator_types = ["parallel", "parallel"]}
        ins(%dy, %x : tensor<128xf16>, tensor<256xf16>)
        outs(%e0 : tensor<128x256xf32>) {
    ^bb0(%a: f16, %b: f16, %out: f32):
      %ea = arith.extf %a : f16 to f32
      %eb = arith.extf %b : f16 to f32
      %m = arith.mulf %ea, %eb : f32
      linalg.yield %m : f32
    } -> tensor<128x256xf32>
    %dw = linalg.generic {indexing_maps = [#oi, #oi],
                          iterator_types = ["parallel", "parallel"]}
        ins(%p : tensor<128x256xf32>) outs(%e1 : tensor<128x256xf16>) {
    ^bb0(%in: f32, %out: f16):
      %t = arith.truncf %in : f32 to f16
      linalg.yield %t : f16
    } -> tensor<128x256xf16>
    ```
    After:
    ```mlir
    %dw = linalg.generic {indexing_maps = [#o, #i, #oi],
                          iterator_types = ["parallel", "parallel"]}
        ins(%dy, %x : tensor<128xf16>, tensor<256xf16>)
        outs(%e1 : tensor<128x256xf16>) {
    ^bb0(%a: f16, %b: f16, %out: f16):
      %ea = arith.extf %a : f16 to f32
      %eb = arith.extf %b : f16 to f32
      %m = arith.mulf %ea, %eb : f32
      %t = arith.truncf %m : f32 to f16
      linalg.yield %t : f16
    } -> tensor<128x256xf16>
    ```

    A reduction, before (`#r` the output map, the channels `c` reduced):
    ```mlir
    %z = linalg.fill ins(%zero : f32) outs(%e0 : tensor<32xf32>)
    %acc = linalg.generic {..., iterator_types = ["parallel", "reduction"]}
        ins(%w, %x : tensor<32x64xf16>, tensor<64xf16>)
        outs(%z : tensor<32xf32>) {
    ^bb0(%a: f16, %b: f16, %out: f32):
      ...
      %s = arith.addf %out, %m : f32
      linalg.yield %s : f32
    } -> tensor<32xf32>
    %y = linalg.generic {...} ins(%acc : tensor<32xf32>)
        outs(%e1 : tensor<32xf16>) { ... arith.truncf ... }
    ```
    After:
    ```mlir
    %z = linalg.fill ins(%zero16 : f16) outs(%e1 : tensor<32xf16>)
    %y = linalg.generic {..., iterator_types = ["parallel", "reduction"]}
        ins(%w, %x : tensor<32x64xf16>, tensor<64xf16>)
        outs(%z : tensor<32xf16>) attrs = {pulptrain.f32_accumulator} {
    ^bb0(%a: f16, %b: f16, %out: f16):
      %o = arith.extf %out {pulptrain.f32_accumulator} : f16 to f32
      ...
      %s = arith.addf %o, %m : f32
      %t = arith.truncf %s {pulptrain.f32_accumulator} : f32 to f16
      linalg.yield %t : f16
    } -> tensor<32xf16>
    ```
  }];
  let statistics = [
    Statistic<"numFused", "fused-roundings",
              "Roundings fused into their producers">,
    Statistic<"numEpilogues", "rounded-reductions",
              "Roundings fused into reductions (their epilogues)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def FuseMultiplyAdd : Pass<"pulptrain-fuse-multiply-add"> {
  let summary = "Fuse floating-point multiply-adds into math.fma";
  let description = [{
    Rewrites `arith.addf(arith.mulf(a, b), c)` (either operand order) and
    `arith.subf(c, arith.mulf(a, b))` into `math.fma`, when the product has
    no other use. The cluster cores execute it as one `fmadd.s`/`fmadd.h`
    (one cycle instead of two, and one rounding instead of two, so the
    results are at least as accurate). The host executes the same fused
    operation, so host and cluster results stay bit-identical.

    Before:
    ```mlir
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    ```
    After:
    ```mlir
    %s = math.fma %a, %b, %acc : f32
    ```
  }];
  let dependentDialects = ["::mlir::math::MathDialect"];
}

def TileL1 : Pass<"pulptrain-tile-l1", "::mlir::ModuleOp"> {
  let summary = "Compute L2-resident linalg ops on L1 tiles with "
                "double-buffered DMA";
  let description = [{
    Runs on bufferized linalg ops (after `pulptrain-plan-memory`). The
    memory of an operand is the memory space of its type: L2 for
    `#pulptrain.memory<l2>` and for no memory space (function arguments,
    an arena planned into L2, heap allocations), L1 for
    `#pulptrain.memory<l1>`. An op with operands in L2 is computed on
    copies in a static L1 buffer space (`@__pulptrain_l1_tiles`, typed
    `#pulptrain.memory<l1>` like every view of it):

    * a small op whose L2 operands cost less to access in place than to
      copy is left as it is, its cores reading and writing L2 directly. The
      cost model counts the cycles of core 0: a copy pays a DMA start per
      operand and direction (`dma-copy-cycles`), a wait for all transfers
      before the op and one after it (`dma-wait-cycles`; both measured by
      `bench/fork/run.sh`) and 8 bytes per cycle; access in place pays
      `l2-latency` cycles per load and store (each L2 input once per
      iteration, each L2 output once per iteration or, when reductions
      accumulate into it in a register, once per element), divided among
      `cores` when the op has parallel iterations to fork. The 10-element
      reductions of a cross-entropy loss (`test/Transforms/
      pulptrain-tile-l1-small.mlir`) stay in L2; a 64-element map of two
      operands does not (`l2-latency=0` turns the rule off);
    * when all its L2 operands fit the `budget`, they are copied in whole
      by DMA, the op runs on the copies, and its outputs are copied back;
    * else the op is split along its outermost parallel loop that every
      operand indexes directly (or not at all) into tiles of the largest
      size dividing the loop whose working set fits (tiled operands count
      twice: double buffering). Operands independent of that loop are
      copied once; in iteration `t`, after one `cluster.dma_wait` for all
      transfers, the DMA writes tile `t - 1` back and brings tile `t + 1`
      into the other buffers while the cores compute tile `t` (each a
      `cluster.dma_start` of the tile, a strided 2-D transfer of the L2
      array); the last tile goes back after the loop. When a tiled output
      is read too, or an output is not indexed by the tiled loop (one
      buffer every tile writes), tile `t` is written back at the end of
      iteration `t` instead;
    * else the op is tiled as a nest of up to three loops: parallel ones
      and, when every element type is f32 and every output accumulates
      (its payload reads it), the outermost reduction loop. Each operand is
      copied as the window of it that a tile touches: an index
      `c0 + sum(k_i * d_i)` (non-negative `k_i`, `c0`) spans
      `1 + sum(k_i * (t_i - 1))` elements for tiles of `t_i` iterations
      (a convolution input gets its halo rows, a constant index one
      element; the copy's map indexes the window from 0, so a named op
      becomes its generic form); an index of another form keeps its
      dimension whole and its loops untiled, and a written operand is
      tiled only along loops that index it directly. Tiles are visited in
      one loop, innermost tiled loop fastest; an operand's window is
      double-buffered when a tiled loop moves it and fetched (and written
      back) only when it changes, so an output tile stays in L1 while the
      reduction chunks accumulate into it. As in the one-loop case, a
      window written by the previous tile goes back while the next is
      computed, unless a moving written window is read too. The nest and its tile sizes are
      the cheapest that fit by a cost model: per tile, 400 cycles plus the
      longer of its DMA (8 bytes per cycle) and its computation (2 cycles
      per iteration on the busiest of `cores` cores, which split the
      outermost parallel loop with at least `cores` iterations in the
      tile, else the longest). Tiling only the outermost reduction loop keeps the order in
      which each output element sums its terms (the order of the untiled
      loop nest), so results stay bit-identical for any tile budget and
      core count; f16/bf16 reductions are not tiled, since their
      packed-pair kernels may pair a chunk's terms differently, and a
      reduction rounded in its epilogue (`pulptrain.f32_accumulator`) would
      round each chunk's partial sum;
    * when not even one iteration fits, the op is rejected with its layer,
      its step and the smallest tile's need; the pass then fails and sets
      the module attribute `pulptrain.l1_tile_budget_needed` to the
      largest such need, so that a driver that shares L1 between the tiles
      and the training state (`pulptrain-run`) can give the tiles enough
      and compile again.

    Operands in L1 stay in place (indexed per tile by a subview), and so
    do constants (views of constant globals, read-only data in L2 that the
    cores read where it is: copying it would only grow the working set of
    the ops that initialize parameters from it); an op with an operand in
    a memory space of another kind is left alone. The
    copies are exact, so results are bit-identical.

    Example of a nest (`budget=2048`): a stride-2 3x3 convolution of a
    `1x8x17x17` input into `1x16x8x8` (`test/Transforms/
    pulptrain-tile-l1-nest.mlir`) runs as 128 tiles of 8 output channels x
    1 output row x 1 input channel: input windows of 3 rows (the output
    row's halo), and the output window fetched and written back every 8
    tiles.

    Example (`budget=4096`): a `linalg.matmul` of `memref<64x64xf32>`
    arguments becomes an `scf.for` over 8 tiles of 8 rows: the second
    operand is copied once (16 KiB would not fit, so it is the first
    operand's rows and the result's rows that are tiled, and the loop
    chosen is the one they index).
  }];
  let options = [
    Option<"budget", "budget", "int64_t", "65536",
           "L1 bytes for tiles (0: no tiling)">,
    Option<"cores", "cores", "int64_t", "1",
           "Cores that compute each tile (the cost model of nests)">,
    Option<"l2Latency", "l2-latency", "int64_t", "10",
           "Cycles of a core's L2 access, for the cost model of small ops "
           "(0: always copy L2 operands to L1)">,
    Option<"dmaCopyCycles", "dma-copy-cycles", "int64_t", "32",
           "Cycles of starting one DMA transfer (bench/fork)">,
    Option<"dmaWaitCycles", "dma-wait-cycles", "int64_t", "73",
           "Cycles of one wait for all DMA transfers (bench/fork)">,
  ];
  let statistics = [
    Statistic<"numInPlace", "num-in-place",
              "Small ops left to access their L2 operands in place">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::pulptrain::PulpTrainDialect",
                           "::mlir::pulptrain::cluster::ClusterDialect"];
}

def HoistLoads : Pass<"pulptrain-hoist-loads"> {
  let summary = "Move loads up past the stores that cannot alias them";
  let description = [{
    In the body of every outermost `scf.parallel` loop (and the blocks
    nested in it), moves each `memref.load` and `vector.load` up to just
    after the last op of its block that defines one of its operands or may
    write memory it reads. Whether a write may reach a load comes from
    `BufferAliasAnalysis` (distinct function arguments, distinct globals
    and disjoint constant-offset views of one global never overlap), and a
    scalar store to the same memref as a scalar load misses it when one of
    their indices is the same value plus different constants, in a
    dimension of known non-zero stride. After
    `pulptrain-register-block`, the jammed copies of an element-wise op or
    an outer product then load all their operands first, so the in-order
    cores do not stall on each load and each floating-point result in turn,
    and equal loads end up with no write between them, where CSE merges
    them. LLVM cannot do this itself where a tile's slot (or an argument)
    gives an address it does not see as a global plus a constant. Where
    the store and the load both are static-offset views of a global, LLVM
    tells them apart and schedules them itself, and the load stays where
    it is (moving it anyway only changed the register allocation, and made
    a Conv2D SGD update 1 % slower). Values are unchanged.

    Before:
    ```mlir
    scf.parallel (%i) = (%c0) to (%c64) step (%c2) {
      %i1 = arith.addi %i, %c1 : index
      %a = memref.load %x[%i] : memref<64xf32>
      %b = arith.mulf %a, %a : f32
      memref.store %b, %y[%i] : memref<64xf32>
      %c = memref.load %x[%i1] : memref<64xf32>
      %d = arith.mulf %c, %c : f32
      memref.store %d, %y[%i1] : memref<64xf32>
    }
    ```
    After (`%x` and `%y` distinct arguments):
    ```mlir
    scf.parallel (%i) = (%c0) to (%c64) step (%c2) {
      %i1 = arith.addi %i, %c1 : index
      %c = memref.load %x[%i1] : memref<64xf32>
      %a = memref.load %x[%i] : memref<64xf32>
      %b = arith.mulf %a, %a : f32
      memref.store %b, %y[%i] : memref<64xf32>
      %d = arith.mulf %c, %c : f32
      memref.store %d, %y[%i1] : memref<64xf32>
    }
    ```
  }];
}

def RegisterBlock : Pass<"pulptrain-register-block"> {
  let summary = "Register-blocked micro-kernels for reduction loop nests";
  let description = [{
    For every outermost `scf.parallel` loop whose body is a loop nest
    (straight-line ops and at most one `scf.for` per level, constant
    bounds; after `pulptrain-promote-accumulators` the accumulators are loop
    arguments), unrolls the innermost parallel dimension that can be
    unrolled by `cols` and the next one outwards by `rows` (each reduced to
    the largest factor dividing its trip count, and further while the loop
    would keep fewer than `min-iterations` parallel iterations, so that all
    cores still get work) and jams the copies: the reduction loops of a block of
    `rows x cols` output elements are fused into one loop nest carrying all
    the accumulators. Iterations of a parallel loop are independent, so the
    copies may interleave freely. A following `cse` merges the loads the
    copies share: in a matmul, each loaded element of one operand feeds
    `cols` FMAs and each of the other `rows` FMAs. With `unroll` above 1,
    the innermost reduction loop of each block is then unrolled by the
    largest factor up to `unroll` that divides its trip count, so that the
    loop's index and branch overhead is paid once per several blocks of
    FMAs. An element-wise loop on packed f16/bf16 pairs (`cluster.pack`,
    `pulptrain-vectorize-pairs`) is blocked in rows only when no load
    depends on both the row and the column index (an outer product: a
    pair loaded once serves both rows); otherwise its two lanes per pair
    would spill, and it takes one row of columns.

    Before (`rows=1 cols=2`):
    ```mlir
    scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
      %init = memref.load %y[%j] : memref<8xf32>
      %r = scf.for %k = %c0 to %c16 step %c1 iter_args(%acc = %init) -> (f32) {
        %x = memref.load %in[%k] : memref<16xf32>
        %w = memref.load %wt[%j, %k] : memref<8x16xf32>
        %s = math.fma %x, %w, %acc : f32
        scf.yield %s : f32
      }
      memref.store %r, %y[%j] : memref<8xf32>
    }
    ```
    After (and `cse`): one loop over `%k` with two accumulators, loading
    `%in[%k]` once for both.
  }];
  let options = [
    Option<"rows", "rows", "int64_t", "2",
           "Unroll factor of the second innermost parallel dimension">,
    Option<"cols", "cols", "int64_t", "4",
           "Unroll factor of the innermost parallel dimension">,
    Option<"minIterations", "min-iterations", "int64_t", "8",
           "Parallel iterations to keep (one per core): smaller factors "
           "when blocking would leave fewer">,
    Option<"unroll", "unroll", "int64_t", "1",
           "Unroll factor of the innermost reduction loop of a block "
           "(the largest factor dividing its trip count)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
}

def VectorizePairs : Pass<"pulptrain-vectorize-pairs"> {
  let summary = "FP16/BF16 reduction loops as packed-pair dot products "
                "(vfdotpex)";
  let description = [{
    The cluster cores' FP16 SIMD unit (Xfvec, `shared/ISA.md`) holds two
    16-bit floats in one 32-bit register and `vfdotpex.s.h` (bf16:
    `vfdotpex.s.ah`) adds both products of two pairs to an f32 accumulator
    with one rounding: two multiply-accumulates per instruction, and one
    32-bit load per pair instead of two halfword loads.

    This pass rewrites every `scf.for` reduction (constant bounds, even
    lower bound, step 1) whose iteration arguments each accumulate
    `extf(a[.., k]) * extf(b[.., k])` in f32, with `a` and `b` f16 (or both
    bf16) and contiguous in the loop index `k`, into a loop of step 2 that
    loads the pairs `a[.., k:k+2]` and `b[.., k:k+2]` with `vector.load`
    (alignment 4: one `lw`) and accumulates them with `cluster.dotpex`. An
    odd trip count leaves one scalar iteration after the loop.

    A pair is loaded as one word only where the pass proves its address
    4-byte aligned: the buffer is a view of an aligned global (the arena,
    the L1 tiles) at a multiple of 4 bytes, and the element offset of the
    pair is even (even strides, or even indices: constants, induction
    variables with even bounds and steps, and sums and products of those).
    The cores trap on a misaligned word access. Loops that fail a condition
    stay scalar, such as windows at odd offsets (direct convolutions along
    the kernel width); `docs/Vectorization.md` describes the choice.

    A reduction over a strided dimension inside a parallel loop, where the
    strided operand is contiguous along the parallel loop's innermost index
    `j` instead (a linear layer's input gradient `dx[j] += W[k, j] * dy[k]`
    reads the weights by columns), is paired across two outputs: the
    parallel loop takes `j` and `j + 1` at a time, its reduction steps by 2
    over `k`, the words `W[k, j:j+2]` and `W[k+1, j:j+2]` are regrouped by
    `vector.shuffle` into the pair of column `j` (lanes 0, `cv.pack`) and
    that of column `j + 1` (lanes 1, `cv.pack.h`), and each is accumulated
    with the pair `dy[k:k+2]` by one `cluster.dotpex`. This needs even trip
    counts of both loops, even row strides and the same alignment proofs.

    Element-wise loops that round f32 results to f16 or bf16 (every f16
    op's final cast, `arith.truncf` stored to memory): an `scf.parallel`
    loop of straight-line ops whose stores all write `truncf(x : f32)` at
    pair positions along the innermost dimension (step 1, even trip count)
    takes two iterations at a time; each pair of stores becomes one
    `vector.store` (one `sw`) of `cluster.pack` of the two f32 values
    (`vfcpka.h.s` / `.ah.s`), and each aligned 16-bit load at a pair
    position one `vector.load` whose lanes are extracted (a load that does
    not depend on the paired index is read once). The values are computed
    in f32 as before and each rounded once: the results are bit-identical.
    One exception, bit-identical too: in f16, a pair of values that are
    each the product of two f16 values (an outer product: a Linear weight
    gradient) is one lane-wise `arith.mulf` of two `vector<2xf16>`
    (`vfmul.h`), of the word the factors were loaded as or of the factors
    packed exactly; so is a pair of such rounded products that is not
    stored but used (the weight gradient inside a fused SGD update, whose
    lanes are then extracted). Such a product is exact in f32, so rounding it once
    is what the f16 multiply does. Not in bf16, whose exponent range is
    f32's: a product below f32's normal range would round twice.

    The same loops may store values of 16-bit arithmetic (an SGD update in
    its parameter's type, `pulptrain-narrow-updates`): an f16/bf16
    `math.fma`, `arith.addf`, `subf`, `mulf` or `negf` is computed on the
    pairs of its operands, one lane-wise op (`vfmac`, `vfadd`, `vfsub`,
    `vfmul`; a negation flips both sign bits) with one rounding per lane as
    the scalar op; a constant, or a value both lanes share, is splat into a
    word by integer arithmetic (LLVM hoists it out of the loop). The
    rounded product of two 16-bit values such arithmetic reads is one
    lane-wise multiply in bf16 too (the update is not bit-identical to the
    f32 arithmetic anyway).

    The result of a reduction differs from the scalar loop only by rounding: one rounding
    per pair of products instead of one per product (f32 accumulation in
    both, the reference semantics of f16 and bf16 reductions).

    Runs in the codegen stage after `pulptrain-promote-accumulators` (the
    accumulators are iteration arguments) and before
    `pulptrain-register-block`, which then blocks and unrolls the pair
    loops like scalar ones.

    Before:
    ```mlir
    %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %init) -> (f32) {
      %a = memref.load %x[%k] : memref<64xf16>
      %b = memref.load %w[%j, %k] : memref<8x64xf16>
      %ea = arith.extf %a : f16 to f32
      %eb = arith.extf %b : f16 to f32
      %p = arith.mulf %ea, %eb : f32
      %s = arith.addf %acc, %p : f32
      scf.yield %s : f32
    }
    ```
    After:
    ```mlir
    %r = scf.for %k = %c0 to %c64 step %c2 iter_args(%acc = %init) -> (f32) {
      %a = vector.load %x[%k] {alignment = 4 : i64} : memref<64xf16>, vector<2xf16>
      %b = vector.load %w[%j, %k] {alignment = 4 : i64} : memref<8x64xf16>, vector<2xf16>
      %s = cluster.dotpex %a, %b, %acc : vector<2xf16>
      scf.yield %s : f32
    }
    ```
  }];
  let statistics = [
    Statistic<"numReductions", "reductions",
              "Reduction loops rewritten to packed pairs">,
    Statistic<"numPackedLoops", "packed-loops",
              "Element-wise loops storing packed pairs">,
    Statistic<"numColumnPairs", "column-pairs",
              "Reductions paired across two outputs (columns)">,
  ];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::pulptrain::cluster::ClusterDialect"];
}

def PrintOpCosts : Pass<"pulptrain-print-op-costs"> {
  let summary = "Report the cost of every pulptrain op: MACs and bytes "
                "read and written";
  let description = [{
    Emits one remark per op that implements `CostOpInterface`
    (`docs/Dialects/PulpTrainInterfaces.md`), at the op: its
    multiply-accumulates, the bytes it reads per operand and the bytes it
    writes per result, and the totals. It changes nothing. The same numbers
    label the per-layer MAC/cycle of `pulptrain-run` and are what kernel
    selection weighs against each other.

    Example:
    ```mlir
    %y = pulptrain.linear %x, %w : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
    ```
    gets the remark `cost of 'pulptrain.linear': 18432 MACs, reads [2304,
    73728] bytes (76032), writes [128] bytes (128)`.
  }];
}

def RoundSavedActivations
    : Pass<"pulptrain-round-saved-activations", "::mlir::ModuleOp"> {
  let summary = "Keep the activations the backward pass reads in f16 or bf16";
  let description = [{
    Mixed precision for the memory of a training step (issue 18): in an f32
    step derived by `pulptrain-autodiff`, every f32 tensor that a forward op
    (`pulptrain.phase = "fwd"`) produces and a backward op (`wgt_grad` or
    `in_grad`) reads, a *saved activation*, is rounded once to `type`
    (`pulptrain.cast`, round to nearest even) right after the op that
    produces it, and each backward op reads it through its own
    `pulptrain.cast` back to f32. The f32 value dies at its last forward
    use, so across the gap between the forward and the backward pass only
    the half-size copy lives: the arena's peak, which the saved activations
    dominate, shrinks. The arithmetic stays f32.

    What is not rounded: the step's arguments (parameters, inputs, label,
    optimizer state) and views of them (a sample of a mini-batch), values
    no backward op reads (they stay f32 and die in the forward pass), the
    loss's reads of the model output (the loss follows the forward pass at
    once; a backward reader of the output, such as a final sigmoid's
    gradient, reads it rounded), a dropout gradient's sample number (an
    exact counter), a max-pooling gradient's input (it finds each window's
    maximum again, and rounding makes ties the forward pass did not see),
    and tensors of another element type. A ReLU gradient's
    mask is computed from the extended copy: rounding keeps signs and
    zeros, but a positive output at or below 2^-25 (half the smallest f16
    subnormal) rounds to zero and drops its gradient, as PyTorch does with
    the same rounding (`torch.autograd.graph.saved_tensors_hooks`; bf16
    keeps f32's exponent range). The rounding cast takes the producer's layer and phase, each
    extension the layer and phase of the op that reads it, so profiling
    charges them to those regions. Steps over a mini-batch are rounded per
    sample, the same way.

    Before (`type=f16`):
    ```mlir
    %y = pulptrain.relu %x {pulptrain.layer = "relu", pulptrain.phase = "fwd"}
        : tensor<16x8x8xf32>
    ...
    %dx = pulptrain.relu_grad %y, %dy
        {pulptrain.layer = "relu", pulptrain.phase = "in_grad"} : tensor<16x8x8xf32>
    ```
    After:
    ```mlir
    %y = pulptrain.relu %x {pulptrain.layer = "relu", pulptrain.phase = "fwd"}
        : tensor<16x8x8xf32>
    %h = pulptrain.cast %y {pulptrain.layer = "relu", pulptrain.phase = "fwd"}
        : tensor<16x8x8xf32> to tensor<16x8x8xf16>
    ...
    %e = pulptrain.cast %h {pulptrain.layer = "relu", pulptrain.phase = "in_grad"}
        : tensor<16x8x8xf16> to tensor<16x8x8xf32>
    %dx = pulptrain.relu_grad %e, %dy
        {pulptrain.layer = "relu", pulptrain.phase = "in_grad"} : tensor<16x8x8xf32>
    ```
  }];
  let options = [
    Option<"funcName", "func", "std::string", "\"train_step\"",
           "Name of the training step">,
    Option<"type", "type", "::mlir::pulptrain::SavedActivationType",
           "::mlir::pulptrain::SavedActivationType::F16",
           "Element type of the saved activations: f16 or bf16",
           [{::mlir::pulptrain::getSavedActivationTypeValues()}]>,
  ];
  let statistics = [
    Statistic<"numRounded", "rounded", "Saved activations rounded">,
    Statistic<"numExtended", "extended", "Backward uses given an extension">,
    Statistic<"bytesSaved", "bytes-saved",
              "Bytes the rounded activations no longer hold">,
  ];
}

def InstrumentLayers : Pass<"pulptrain-instrument-layers", "::mlir::ModuleOp"> {
  let summary = "Bracket every layer phase of a training step with profiling "
                "regions";
  let description = [{
    Groups consecutive top-level ops of the function `train_step` (option
    `func`) by their `pulptrain.layer` and `pulptrain.phase` attributes (see
    `docs/TrainStep.md`) and brackets each group with
    `cluster.profile_enter id` and `cluster.profile_exit id` (the runtime
    accumulates the cluster's performance counters per region). A region is one
    (layer, phase) pair: groups of the same pair share its id. Ops without the
    attributes stay where they are and do not end a group; groups of ops
    without run-time work (reshapes, constants) get no brackets.

    The module gets the region table as the attribute
    `pulptrain.profile_regions`: per id the layer, the phase and the
    multiply-accumulates of the region, the sum of its ops'
    `CostOpInterface::getMacCount` (linear and convolution layers and their
    gradients, the MSE loss's sum of squares, one per parameter element and
    SGD term), so that a driver can label the counters and compute
    MAC/cycle.

    Before:
    ```mlir
    %y = pulptrain.linear %x, %w {pulptrain.layer = "fc", pulptrain.phase = "fwd"}
        : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
    ```
    After:
    ```mlir
    module attributes {pulptrain.profile_regions = [
        {id = 0 : i32, layer = "fc", macs = 18432 : i64, phase = "fwd"}
      ]} {
      ...
      cluster.profile_enter 0
      %y = pulptrain.linear %x, %w {pulptrain.layer = "fc", pulptrain.phase = "fwd"}
          : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
      cluster.profile_exit 0
    ```
  }];
  let options = [
    Option<"funcName", "func", "std::string", "\"train_step\"",
           "Name of the function to instrument">,
  ];
  let statistics = [
    Statistic<"numRegions", "regions", "Profiling regions (layer, phase)">,
    Statistic<"numBrackets", "brackets", "Enter/exit pairs inserted">,
  ];
  let dependentDialects = ["::mlir::pulptrain::cluster::ClusterDialect"];
}

def ApproximateMath : Pass<"pulptrain-approximate-math"> {
  let summary = "Exp, log and tanh as inline polynomial approximations";
  let description = [{
    Rewrites `math.exp`, `math.log` and `math.tanh` (and so the sigmoid,
    `1 / (1 + exp(-x))`, and the softmax and log-softmax of the
    cross-entropy loss) into range reduction and polynomials of
    arithmetic, fused multiply-adds and integer bit operations, with
    upstream MLIR's `populateMathPolynomialApproximationPatterns`. No
    libm call is left: each element costs a few tens of cycles instead of
    picolibc's thousands, has no branch, and runs where the element-wise
    loop runs (on every core of a parallel loop). f16 and bf16 operands
    are extended to f32, approximated there and truncated
    (`populateMathF32ExpansionPatterns`), so one f32 kernel serves the
    three types. An f32 log input below 2^-126 is scaled by 2^24 first
    (upstream's log reads the exponent field, which a subnormal lacks).
    Maximum errors against a float64 reference are in
    `docs/ReferenceLowering.md` (checked by `test/Golden/math-accuracy.test`).

    Before:
    ```mlir
    %e = math.exp %x : f32
    ```
    After (abridged; %xc is %x clamped to [-87.8, 88.8]):
    ```mlir
    %t = math.fma %xc, %log2e, %half : f32
    %n = math.floor %t : f32           // x = n ln2 + r, n clamped to 127
    %r = math.fma %ln2hi, %n, %xc : f32
    %p = math.fma %r, %p0, %p1 : f32   // Horner polynomial in r
    ...
    %k = arith.fptosi %n : f32 to i32
    %b = arith.shli %kb, %c23 : i32    // 2^n from its exponent bits
    %e = arith.mulf %q, %pow2 : f32
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
  ];
}

#endif // PULPTRAIN_TRANSFORMS_PASSES_TD
