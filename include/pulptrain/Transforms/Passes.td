//===- Passes.td - pulptrain transformation passes ---------*- tablegen -*-===//
//
// Transformations of pulptrain programs.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_TRANSFORMS_PASSES_TD
#define PULPTRAIN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ExpandMemrefCopy : Pass<"pulptrain-expand-memref-copy"> {
  let summary = "Rewrite memref.copy as linalg.copy so that it becomes loops";
  let description = [{
    The LLVM lowering of a `memref.copy` between strided buffers calls
    `memrefCopy` of MLIR's C runner library, which a bare-metal cluster
    program does not have. This pass rewrites every `memref.copy` into a
    `linalg.copy`, which `convert-linalg-to-loops` turns into plain loops.

    Before:
    ```mlir
    memref.copy %src, %dst : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
    ```
    After:
    ```mlir
    linalg.copy ins(%src : memref<4x4xf32>)
                outs(%dst : memref<4x4xf32, strided<[6, 1], offset: 7>>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
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
    ListOption<"trainable", "trainable", "std::string",
               "Layers to train (overrides pulptrain.trainable)">,
  ];
  let dependentDialects = ["::mlir::pulptrain::PulpTrainDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // PULPTRAIN_TRANSFORMS_PASSES_TD
