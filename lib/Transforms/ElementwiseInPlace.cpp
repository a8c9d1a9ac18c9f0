//===- ElementwiseInPlace.cpp - element-wise results in their input -----===//
//
// An element-wise linalg.generic whose init is a fresh tensor (tensor.empty)
// and one of whose inputs has the result's type, the init's indexing map
// and no other use than this op (through reshapes too) takes that input as
// its init. One-Shot Bufferize then computes the result in the input's
// buffer: a ReLU writes over the convolution output it alone reads, an
// activation's gradient over the incoming gradient. Each element is read
// and written at the same position by the same iteration, so the result is
// the same; the step needs one buffer less where the input dies.
//
// Upstream has no such rewrite: bufferization's empty-tensor elimination
// anchors on insert_slice and on an unused init (linalg's
// linalgOpAnchoredEmptyTensorEliminationStep), not on an input that dies
// at the op.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_ELEMENTWISEINPLACE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Whether every use of `value` is by `op`, and so for the source of a
/// reshape that makes it (the reshape's result shares its buffer): `value`
/// dies at `op`. A function argument, a constant or a fresh tensor is not
/// a buffer to write over.
bool diesAt(Value value, Operation *op) {
  if (llvm::any_of(value.getUsers(),
                   [&](Operation *user) { return user != op; }))
    return false;
  Operation *def = value.getDefiningOp();
  if (!def || isa<tensor::EmptyOp>(def) ||
      def->hasTrait<OpTrait::ConstantLike>())
    return false;
  if (isReshape(def))
    return diesAt(def->getOperand(0), def);
  return true;
}

/// Whether `value` (or a reshape of it) is returned: bufferization computes
/// it in the caller's out-parameter (an updated parameter, the training
/// state), which an input's buffer would only add a copy to.
bool isReturned(Value value) {
  return llvm::any_of(value.getUsers(), [](Operation *user) {
    return isa<func::ReturnOp>(user) ||
           (isReshape(user) && isReturned(user->getResult(0)));
  });
}

/// The rewrite of the file comment.
struct ComputeInInput : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumLoops() != op.getNumParallelLoops())
      return failure();
    OpOperand *init = op.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
        op.payloadUsesValueFromOperand(init) || isReturned(op->getResult(0)))
      return failure();
    AffineMap map = op.getMatchingIndexingMap(init);
    for (OpOperand *input : op.getDpsInputOperands()) {
      Value value = input->get();
      if (value.getType() != init->get().getType() ||
          op.getMatchingIndexingMap(input) != map || !diesAt(value, op))
        continue;
      rewriter.modifyOpInPlace(op, [&] { init->set(value); });
      return success();
    }
    return failure();
  }
};

struct ElementwiseInPlacePass
    : pulptrain::impl::ElementwiseInPlaceBase<ElementwiseInPlacePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateElementwiseInPlacePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    getOperation()->walk([&](linalg::GenericOp op) {
      if (op.hasPureTensorSemantics() && op.getNumDpsInits() == 1 &&
          llvm::is_contained(op.getDpsInputs(), op.getDpsInits()[0]))
        ++numInPlace;
    });
  }
};

} // namespace

void mlir::pulptrain::populateElementwiseInPlacePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ComputeInInput>(patterns.getContext());
}
