//===- CollapseElementwise.cpp - element-wise ops on buffers as one loop --===//
//
// An element-wise linalg.generic whose operands are all read and written at
// the same position (identity indexing maps) of contiguous row-major buffers
// touches each buffer as one run of elements: its loop nest can be one loop.
// A 3x3 kernel's SGD update (16x8x3x3) is four loops whose innermost has
// three iterations; pulptrain-vectorize-pairs only pairs an even innermost
// trip count, so it stays scalar, and each of its short inner loops costs a
// loop's overhead. As one loop of 1152 elements it pairs (one `vfmac.h` for
// two weights) and pays the overhead once.
//
// The collapse itself is upstream's (linalg::populateCollapseDimensions,
// memref.collapse_shape of each operand); this file only chooses the ops:
// rank 2 or more, all loops parallel, all maps identities, every operand a
// memref of static shape, contiguous and row-major (the views of an arena,
// of the L1 tiles, the state), one of them of f16 or bf16, whose loops
// pair. (In f32 one loop was measured slower than the nest: the tutorial
// CNN's ReLU and 3x3 update took 106 cycles more in all.) A strided window of a larger buffer is not
// contiguous and keeps its loops. Each element is computed by the same
// arithmetic as before: results are bit-identical.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "Utils.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_COLLAPSEELEMENTWISE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// All loops of `op` as one, when it is element-wise on contiguous buffers
/// (see the file comment); otherwise nothing.
SmallVector<ReassociationIndices> getCollapsedLoops(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  unsigned rank = op.getNumLoops();
  if (!generic || rank < 2 || op.getNumReductionLoops() != 0 ||
      !generic.hasPureBufferSemantics() ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return {};
  bool halves = false;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type || !memref::isStaticShapeAndContiguousRowMajor(type))
      return {};
    halves |= type.getElementType().isF16() || type.getElementType().isBF16();
  }
  // Only where the pairs gain: in f32 the nest was no slower (the tutorial
  // CNN's relu and 3x3 update took 106 cycles more as one loop).
  if (!halves)
    return {};
  ReassociationIndices all;
  for (unsigned d = 0; d < rank; ++d)
    all.push_back(d);
  return {all};
}

struct CollapseElementwisePass
    : pulptrain::impl::CollapseElementwiseBase<CollapseElementwisePass> {
  void runOnOperation() override {
    int64_t before = 0;
    getOperation()->walk([&](linalg::GenericOp op) {
      before += !getCollapsedLoops(op).empty();
    });
    RewritePatternSet patterns(&getContext());
    populateCollapseElementwisePatterns(patterns);
    if (failed(applyOnlyPatterns(getOperation(), std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    int64_t after = 0;
    getOperation()->walk([&](linalg::GenericOp op) {
      after += !getCollapsedLoops(op).empty();
    });
    numCollapsed += before - after;
  }
};

} // namespace

void mlir::pulptrain::populateCollapseElementwisePatterns(
    RewritePatternSet &patterns) {
  linalg::populateCollapseDimensions(patterns, getCollapsedLoops);
}
