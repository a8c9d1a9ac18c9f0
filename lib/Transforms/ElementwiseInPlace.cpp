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
// The pass rewrites only the ops at a function's peak of live buffer bytes
// (at-peak-only, the default): elsewhere the rewrite saves nothing and
// merges a short-lived buffer into a long-lived one, which the arena's
// L1/L2 placement then keeps in L2 (docs/Benchmarks.md).
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
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Transforms/Passes.h"

#include "llvm/ADT/MapVector.h"

#include "Utils.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_ELEMENTWISEINPLACE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Whether `value` is a temporary of the step: not a function argument, a
/// constant or a fresh tensor (tensor.empty), which have no buffer of the
/// step's own.
bool isTemporary(Value value) {
  Operation *def = value.getDefiningOp();
  return def && !isa<tensor::EmptyOp>(def) &&
         !def->hasTrait<OpTrait::ConstantLike>();
}

/// Whether every use of `value` is by `op`, and so for the source of a
/// reshape that makes it (the reshape's result shares its buffer): `value`
/// dies at `op`. Only a temporary's buffer can be written over.
bool diesAt(Value value, Operation *op) {
  if (llvm::any_of(value.getUsers(),
                   [&](Operation *user) { return user != op; }))
    return false;
  if (!isTemporary(value))
    return false;
  Operation *def = value.getDefiningOp();
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

/// The input of `op` that can hold its result, if any: `op` is element-wise
/// (all loops parallel, one result) on tensors, its init a fresh tensor
/// that it does not read, its result not returned, and the input has the
/// result's type and indexing map and dies at `op`.
OpOperand *getInputToWrite(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != op.getNumParallelLoops())
    return nullptr;
  OpOperand *init = op.getDpsInitOperand(0);
  if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
      op.payloadUsesValueFromOperand(init) || isReturned(op->getResult(0)))
    return nullptr;
  AffineMap map = op.getMatchingIndexingMap(init);
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value value = input->get();
    if (value.getType() == init->get().getType() &&
        op.getMatchingIndexingMap(input) == map && diesAt(value, op))
      return input;
  }
  return nullptr;
}

/// The rewrite of the file comment.
struct ComputeInInput : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    OpOperand *input = getInputToWrite(op);
    if (!input)
      return failure();
    rewriter.modifyOpInPlace(
        op, [&] { op.getDpsInitOperand(0)->set(input->get()); });
    return success();
  }
};

/// The buffers that bufferization will give a block's tensors, and the
/// bytes live at each op. A destination-passing op writes its result into
/// its init's buffer (a fresh one when the init is a tensor.empty), a
/// reshape is a view, any other op that makes a tensor makes a buffer;
/// arguments and constants are not the step's temporaries. This is the
/// arena's liveness as far as the tensor stage can see it (bufferization
/// adds copies of its own); pulptrain-recompute's tensor liveness does not
/// apply here, since it counts every linalg result as a buffer.
class BufferLives {
public:
  explicit BufferLives(Block &block) : block(block) {
    for (auto [index, op] : llvm::enumerate(block))
      position[&op] = index;
  }

  /// Live bytes at each op of the block.
  SmallVector<int64_t> profile() const {
    llvm::MapVector<Value, int64_t> last;
    for (Operation &op : block) {
      for (Value result : op.getResults()) {
        if (!isa<RankedTensorType>(result.getType()))
          continue;
        Value root = getBuffer(result);
        if (!root)
          continue;
        int64_t &end =
            last.try_emplace(root, position.lookup(root.getDefiningOp()))
                .first->second;
        end = std::max(end, getLastUse(result));
      }
    }
    SmallVector<int64_t> live(position.size() + 1, 0);
    for (auto [root, end] : last) {
      int64_t bytes = getTensorBytes(root);
      live[position.lookup(root.getDefiningOp())] += bytes;
      live[end + 1] -= bytes;
    }
    for (size_t i = 1; i < live.size(); ++i)
      live[i] += live[i - 1];
    live.pop_back();
    return live;
  }

private:
  /// The value whose buffer `v` is in; null for an argument, a constant or
  /// an empty tensor.
  Value getBuffer(Value v) const {
    if (!isTemporary(v))
      return {};
    Operation *def = v.getDefiningOp();
    if (isReshape(def))
      return getBuffer(def->getOperand(0));
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(def))
      if (OpOperand *init = dps.getTiedOpOperand(cast<OpResult>(v)))
        if (Value buffer = getBuffer(init->get()))
          return buffer;
    return v;
  }

  /// The position of the last op of the block that reads `v`.
  int64_t getLastUse(Value v) const {
    int64_t last = -1;
    for (Operation *user : v.getUsers())
      if (Operation *ancestor = block.findAncestorOpInBlock(*user))
        last = std::max<int64_t>(last, position.lookup(ancestor));
    return last;
  }

  Block &block;
  DenseMap<Operation *, int64_t> position;
};

struct ElementwiseInPlacePass
    : pulptrain::impl::ElementwiseInPlaceBase<ElementwiseInPlacePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateElementwiseInPlacePatterns(patterns);
    FrozenRewritePatternSet frozen(std::move(patterns));
    if (!atPeakOnly) {
      if (failed(applyPatternsGreedily(getOperation(), frozen)))
        return signalPassFailure();
    } else {
      getOperation()->walk([&](func::FuncOp func) {
        if (!func.isExternal())
          for (Block &block : func.getBody())
            lowerPeak(block, frozen);
      });
    }
    getOperation()->walk([&](linalg::GenericOp op) {
      if (op.hasPureTensorSemantics() && op.getNumDpsInits() == 1 &&
          llvm::is_contained(op.getDpsInputs(), op.getDpsInits()[0]))
        ++numInPlace;
    });
  }

  /// Rewrites the ops at the block's peak of live bytes while every op
  /// there can be rewritten: each rewrite frees one buffer at its own op
  /// only, so the peak falls only when all its positions do.
  void lowerPeak(Block &block, const FrozenRewritePatternSet &patterns) {
    while (true) {
      SmallVector<int64_t> live = BufferLives(block).profile();
      if (live.empty())
        return;
      int64_t peak = *llvm::max_element(live);
      SmallVector<Operation *> ops;
      for (auto [bytes, op] : llvm::zip(live, block)) {
        if (bytes != peak)
          continue;
        auto generic = dyn_cast<linalg::GenericOp>(&op);
        if (!generic || !getInputToWrite(generic))
          return;
        ops.push_back(generic);
      }
      bool changed = false;
      if (failed(applyOpPatternsGreedily(ops, patterns, GreedyRewriteConfig(),
                                         &changed)) ||
          !changed)
        return;
    }
  }
};

} // namespace

void mlir::pulptrain::populateElementwiseInPlacePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ComputeInInput>(patterns.getContext());
}
