//===- Passes.td - pulptrain conversion passes -------------*- tablegen -*-===//
//
// Conversions from the pulptrain dialect to upstream dialects.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_CONVERSION_PASSES_TD
#define PULPTRAIN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPulpTrainToLinalg : Pass<"convert-pulptrain-to-linalg"> {
  let summary = "Lower pulptrain ops to linalg, tensor, scf, arith and math";
  let description = [{
    The reference lowering that fixes the semantics of every pulptrain op:
    each op becomes `linalg.generic` ops on tensors (plus `tensor.pad`-like
    `insert_slice` padding and dilation, layout transposes, and `scf.for`
    for the max-pooling gradient's scatter). Every op computes in f32 and
    rounds its results once to its element type.

    Before:
    ```mlir
    %y = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2xf32>
    ```
    After:
    ```mlir
    %zero = linalg.fill ins(%cst : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
    %y = linalg.generic {indexing_maps = [(o, i) -> (o, i), (o, i) -> (i),
                                          (o, i) -> (o)],
                         iterator_types = ["parallel", "reduction"]}
        ins(%w, %x : tensor<2x4xf32>, tensor<4xf32>) outs(%zero : tensor<2xf32>) {
      ^bb0(%a: f32, %b: f32, %acc: f32):
        %p = arith.mulf %a, %b : f32
        %s = arith.addf %acc, %p : f32
        linalg.yield %s : f32
    } -> tensor<2xf32>
    ```
    An op without a lowering is reported at its location and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // PULPTRAIN_CONVERSION_PASSES_TD
