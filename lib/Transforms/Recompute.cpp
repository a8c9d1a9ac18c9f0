//===- Recompute.cpp - cheap forward values computed again when needed ----===//
//
// Chooses forward values of a training step that the backward pass reads
// and that are cheap to compute again from values it keeps anyway (the
// output of a batch norm and its relu, from the convolution output the
// batch norm's gradient reads), and computes them again before their first
// backward reader instead of keeping them from the forward pass. A value is
// chosen only when that lowers the step's peak of live tensor bytes, and
// only when the bytes its recomputation reads and writes stay within
// `max-cost-per-byte` times the bytes it frees.
//
// Upstream MLIR has no counterpart: which values a training step keeps
// follows from our gradient rules, and the choice needs the phases that
// pulptrain-autodiff records. The recomputed ops carry a location marked
// `pulptrain.recomputed` (kRecomputedLoc); convert-pulptrain-to-linalg
// turns the mark into an attribute on what it lowers them to, so that the
// tensor stage's CSE does not merge them back into the forward ops.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_RECOMPUTE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// How deep a chain of recomputed ops may go (the value's producer, its
/// producers' producers, ...).
constexpr unsigned kMaxChainDepth = 4;

/// Whether the backward pass may compute `op` again: a pulptrain op without
/// multiply-accumulates (element-wise ops, normalizations, poolings), side
/// effects or regions, with one tensor result. Sigmoid and tanh are left
/// out: their approximations cost tens of cycles per element, which the
/// byte count of the cost model does not see.
bool isRecomputable(Operation *op) {
  auto cost = dyn_cast<CostOpInterface>(op);
  if (!cost || cost.getMacCount() != 0 || op->getNumRegions() != 0 ||
      op->getNumResults() != 1 || !isMemoryEffectFree(op))
    return false;
  if (isa<SigmoidOp, TanhOp>(op))
    return false;
  return isa<RankedTensorType>(op->getResult(0).getType());
}

/// Positions of the block's ops and the lives of its tensor values, in
/// those positions: a value lives from its definition to its last reader
/// (through views, which share its buffer).
class Lives {
public:
  explicit Lives(Block &block) : block(block) {
    for (auto [index, op] : llvm::enumerate(block))
      position[&op] = index;
  }

  int64_t of(Operation *op) const {
    return position.lookup(block.findAncestorOpInBlock(*op));
  }

  /// The last position that reads `v`, through views.
  int64_t lastUse(Value v) const {
    int64_t last = -1;
    for (Operation *user : v.getUsers()) {
      last = std::max(last, of(user));
      if (isReshape(user))
        last = std::max(last, lastUse(user->getResult(0)));
    }
    return last;
  }

  /// Live tensor bytes at each position: the values the block's ops define,
  /// views not counted again.
  SmallVector<int64_t> profile() const {
    int64_t size = position.size();
    SmallVector<int64_t> live(size + 1, 0);
    for (Operation &op : block) {
      if (isReshape(&op))
        continue;
      for (Value result : op.getResults()) {
        if (!isa<RankedTensorType>(result.getType()))
          continue;
        int64_t first = position.lookup(&op);
        int64_t last = std::max(first, lastUse(result));
        int64_t bytes = getTensorBytes(result);
        live[first] += bytes;
        live[last + 1] -= bytes;
      }
    }
    for (int64_t i = 1; i <= size; ++i)
      live[i] += live[i - 1];
    live.pop_back();
    return live;
  }

private:
  Block &block;
  DenseMap<Operation *, int64_t> position;
};

/// One value that the backward pass could compute again.
struct Candidate {
  Value value;
  /// The first backward op that reads it, where the recomputation goes.
  Operation *firstReader;
  /// The position of its last forward reader (or its definition).
  int64_t lastForward;
  /// The ops to compute again, producers first.
  SmallVector<Operation *> chain;
  /// Bytes the chain reads and writes, not counting the ops that only
  /// move (nothing else reads them).
  int64_t cost;
  /// Bytes of the chain's other values, live while it is computed again.
  int64_t transientBytes;
  /// Bytes of the value.
  int64_t bytes;
};

/// The ops that compute `v` again at `point` from values that live there
/// anyway (arguments, and values read at or after `point`), producers
/// first; fails when one is not recomputable or the chain is too deep. A
/// value that the backward pass reads only through masks
/// (pulptrain-compact-masks, which runs next, keeps the masks and not the
/// value) does not live there anyway: a recomputation from it would keep
/// it (on a model with a max pooling right after a convolution, the
/// convolution output would be kept to save the smaller pooled value).
LogicalResult collectChain(Value v, int64_t point, const Lives &lives,
                           Operation *backwardStart, unsigned depth,
                           SetVector<Operation *> &chain) {
  if (isa<BlockArgument>(v))
    return success();
  Operation *producer = v.getDefiningOp();
  if (chain.contains(producer))
    return success();
  if (depth > 0 && lives.lastUse(v) >= point && getMaskReaders(v).empty())
    return success();
  if (depth >= kMaxChainDepth || !isRecomputable(producer) ||
      !producer->isBeforeInBlock(backwardStart))
    return failure();
  for (Value operand : producer->getOperands())
    if (failed(collectChain(operand, point, lives, backwardStart, depth + 1,
                            chain)))
      return failure();
  chain.insert(producer);
  return success();
}

/// The candidate for `op`'s result, if it has backward readers and can be
/// computed again before the first.
std::optional<Candidate> getCandidate(Operation *op, const Lives &lives,
                                      Operation *backwardStart) {
  if (!isRecomputable(op))
    return std::nullopt;
  Value v = op->getResult(0);
  Operation *firstReader = nullptr;
  int64_t lastForward = lives.of(op);
  for (Operation *user : v.getUsers()) {
    // A view shares the buffer; its readers would need the view again.
    if (isReshape(user))
      return std::nullopt;
    Operation *ancestor = op->getBlock()->findAncestorOpInBlock(*user);
    if (!ancestor)
      return std::nullopt;
    if (ancestor->isBeforeInBlock(backwardStart)) {
      lastForward = std::max(lastForward, lives.of(ancestor));
      continue;
    }
    if (!firstReader || ancestor->isBeforeInBlock(firstReader))
      firstReader = ancestor;
  }
  if (!firstReader)
    return std::nullopt;
  SetVector<Operation *> chain;
  int64_t point = lives.of(firstReader);
  if (failed(collectChain(v, point, lives, backwardStart, 0, chain)))
    return std::nullopt;
  // The ops of the chain that nothing else reads once the backward readers
  // read the new value only move: they cost nothing.
  DenseSet<Operation *> moved;
  for (Operation *link : llvm::reverse(chain))
    if (llvm::all_of(link->getResult(0).getUses(), [&](OpOperand &use) {
          return moved.contains(use.getOwner()) ||
                 (link == op && lives.of(use.getOwner()) >= point);
        }))
      moved.insert(link);
  Candidate candidate{v, firstReader, lastForward, chain.takeVector(), 0, 0,
                      getTensorBytes(v)};
  for (Operation *link : candidate.chain) {
    if (link != op)
      candidate.transientBytes += getTensorBytes(link->getResult(0));
    if (moved.contains(link))
      continue;
    auto linkCost = cast<CostOpInterface>(link);
    candidate.cost += linkCost.getBytesRead() + linkCost.getBytesWritten();
  }
  return candidate;
}

/// Computes the candidate's chain again before its first backward reader;
/// the backward readers read the new value.
void recompute(const Candidate &candidate, const Lives &lives) {
  OpBuilder builder(candidate.firstReader);
  MLIRContext *ctx = builder.getContext();
  IRMapping mapping;
  for (Operation *op : candidate.chain) {
    Operation *clone = builder.clone(*op, mapping);
    clone->setLoc(FusedLoc::get(ctx, {op->getLoc()},
                                StringAttr::get(ctx, attrs::kRecomputedLoc)));
  }
  Value fresh = mapping.lookup(candidate.value);
  int64_t point = lives.of(candidate.firstReader);
  Value(candidate.value).replaceUsesWithIf(fresh, [&](OpOperand &use) {
    return lives.of(use.getOwner()) >= point;
  });
  for (Operation *op : llvm::reverse(candidate.chain))
    if (op->use_empty())
      op->erase();
}

struct RecomputePass : pulptrain::impl::RecomputeBase<RecomputePass> {
  using RecomputeBase::RecomputeBase;

  void runOnOperation() override {
    getOperation()->walk([&](func::FuncOp func) {
      if (!func.isExternal())
        for (Block &block : func.getBody())
          runOnBlock(block);
    });
  }

  void runOnBlock(Block &block) {
    Operation *backwardStart = getBackwardPassStart(block);
    if (!backwardStart)
      return;
    while (true) {
      Lives lives(block);
      SmallVector<int64_t> live = lives.profile();
      int64_t peak = *llvm::max_element(live);
      SmallVector<int64_t> peaks;
      for (auto [index, bytes] : llvm::enumerate(live))
        if (bytes == peak)
          peaks.push_back(index);
      // Among the candidates live at every peak position between their
      // last forward reader and their first backward reader, within the
      // cost limit and making no new peak, the one with the least cost per
      // byte freed.
      std::optional<Candidate> best;
      for (Operation &op : block) {
        if (!op.isBeforeInBlock(backwardStart))
          break;
        std::optional<Candidate> candidate =
            getCandidate(&op, lives, backwardStart);
        if (!candidate)
          continue;
        int64_t first = lives.of(candidate->firstReader);
        if (!llvm::all_of(peaks, [&](int64_t p) {
              return candidate->lastForward < p && p < first;
            }))
          continue;
        if (candidate->cost > maxCostPerByte * candidate->bytes ||
            live[first] + candidate->transientBytes >= peak)
          continue;
        // cost / bytes smaller than best's, without dividing.
        if (!best || candidate->cost * best->bytes <
                         best->cost * candidate->bytes)
          best = std::move(candidate);
      }
      if (!best)
        return;
      recompute(*best, lives);
      ++numRecomputed;
    }
  }
};

} // namespace
