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

#endif // PULPTRAIN_TRANSFORMS_PASSES_TD
