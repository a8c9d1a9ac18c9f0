//===- Bufferize.cpp - One-Shot Bufferize with the cluster's hooks --------===//
//
// Upstream's One-Shot Module Bufferization, drop-equivalent-buffer-results
// and buffer-results-to-out-params, run with the C++ hooks their
// registered passes do not expose: copies are linalg.copy (memCpyFn of the
// bufferization options and of the out-parameter promotion), so that no
// memref.copy reaches the LLVM lowering, where a strided one would call
// MLIR's C runner library (absent on the cluster). The rest is upstream.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_BUFFERIZE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// A buffer copy as a linalg.copy, which becomes loops.
LogicalResult createLinalgCopy(OpBuilder &builder, Location loc, Value from,
                               Value to) {
  linalg::CopyOp::create(builder, loc, from, to);
  return success();
}

struct BufferizePass : pulptrain::impl::BufferizeBase<BufferizePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();

    bufferization::OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        bufferization::LayoutMapOption::IdentityLayoutMap);
    // Values of no known buffer type (none in a pulptrain program) get the
    // most general layout, as upstream's pass does by default.
    options.unknownTypeConverterFn =
        [](TensorType tensorType, Attribute memorySpace,
           const bufferization::BufferizationOptions &) {
          return bufferization::getMemRefTypeWithFullyDynamicLayout(
              tensorType, memorySpace);
        };
    options.memCpyFn = createLinalgCopy;
    bufferization::BufferizationState state;
    if (failed(bufferization::runOneShotModuleBufferize(module, options,
                                                        state)) ||
        failed(bufferization::dropEquivalentBufferResults(module)))
      return signalPassFailure();

    bufferization::BufferResultsToOutParamsOpts outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    outParams.memCpyFn = createLinalgCopy;
    if (failed(bufferization::promoteBufferResultsToOutParams(module,
                                                              outParams)))
      signalPassFailure();
  }
};

} // namespace
