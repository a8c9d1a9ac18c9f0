//===- PromoteAccumulators.cpp - reductions in registers ------------------===//
//
// Keeps loop-carried accumulators in registers: a load and a store of the
// same loop-invariant element in an scf.for body become an iter_arg, with
// the load before and the store after the loop. Aliasing is decided from
// what pulptrain knows of its buffers: distinct function arguments, and
// disjoint views of the planned arena.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_PROMOTEACCUMULATORS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Where a memref points: its root buffer (a function argument, a global,
/// an allocation) and, for a constant-offset view of a global, the byte
/// range of the view.
struct MemRefOrigin {
  Value root;
  FlatSymbolRefAttr global;
  std::optional<std::pair<int64_t, int64_t>> range;
};

MemRefOrigin getOrigin(Value memref) {
  MemRefOrigin origin;
  while (true) {
    Operation *def = memref.getDefiningOp();
    if (auto view = dyn_cast_or_null<memref::ViewOp>(def)) {
      std::optional<int64_t> offset =
          getConstantIntValue(view.getByteShift());
      std::optional<int64_t> size = getStaticByteSize(view.getType());
      if (offset && size && !origin.range)
        origin.range = {*offset, *offset + *size};
      memref = view.getSource();
      continue;
    }
    if (auto viewLike = dyn_cast_or_null<ViewLikeOpInterface>(def)) {
      memref = viewLike.getViewSource();
      continue;
    }
    break;
  }
  origin.root = memref;
  if (auto global = memref.getDefiningOp<memref::GetGlobalOp>())
    origin.global = global.getNameAttr();
  if (!origin.global)
    origin.range.reset();
  return origin;
}

/// Whether `root` is a buffer of its own: an argument of a function
/// (distinct arguments are distinct buffers, docs/TrainStep.md) or an
/// allocation.
bool isDistinctBuffer(Value root) {
  if (auto arg = dyn_cast<BlockArgument>(root))
    return isa<func::FuncOp>(arg.getOwner()->getParentOp());
  return root.getDefiningOp<memref::AllocOp>() ||
         root.getDefiningOp<memref::AllocaOp>();
}

/// Whether two memrefs may share memory: distinct buffers never do, nor
/// different globals, nor disjoint constant-offset views of one global.
bool mayAlias(Value a, Value b) {
  MemRefOrigin x = getOrigin(a), y = getOrigin(b);
  if (x.global && y.global) {
    if (x.global != y.global)
      return false;
    if (x.range && y.range)
      return x.range->first < y.range->second &&
             y.range->first < x.range->second;
    return true;
  }
  if (x.global || y.global)
    return !isDistinctBuffer(x.global ? y.root : x.root);
  if (x.root == y.root)
    return true;
  return !(isDistinctBuffer(x.root) && isDistinctBuffer(y.root));
}

/// Tries to promote one load/store pair of `loop`; returns the new loop.
FailureOr<scf::ForOp> promoteOne(scf::ForOp loop, RewriterBase &rewriter) {
  Block *body = loop.getBody();
  // Every memref the loop touches, and whether it calls anything.
  SmallVector<Operation *> accesses;
  bool opaque = false;
  loop.getBody()->walk([&](Operation *op) {
    if (isa<memref::LoadOp, memref::StoreOp>(op))
      accesses.push_back(op);
    else if (isa<CallOpInterface>(op))
      opaque = true;
  });
  if (opaque)
    return failure();

  auto isInvariant = [&](Value v) {
    return !loop.getBodyRegion().isAncestor(v.getParentRegion());
  };
  for (auto load : body->getOps<memref::LoadOp>()) {
    Value memref = load.getMemRef();
    if (!isInvariant(memref) || !llvm::all_of(load.getIndices(), isInvariant))
      continue;
    // Exactly one store to the same element, later in the body.
    memref::StoreOp store;
    bool ok = true;
    for (Operation *op : accesses) {
      if (op == load)
        continue;
      auto otherLoad = dyn_cast<memref::LoadOp>(op);
      auto otherStore = dyn_cast<memref::StoreOp>(op);
      Value other = otherLoad ? otherLoad.getMemRef() : otherStore.getMemRef();
      if (!mayAlias(memref, other))
        continue;
      if (otherStore && otherStore->getBlock() == body && !store &&
          other == memref &&
          llvm::equal(otherStore.getIndices(), load.getIndices()) &&
          load->isBeforeInBlock(otherStore)) {
        store = otherStore;
        continue;
      }
      ok = false;
      break;
    }
    if (!ok || !store)
      continue;

    // load before the loop, iter_arg through it, store after it.
    rewriter.setInsertionPoint(loop);
    auto init = memref::LoadOp::create(rewriter, load.getLoc(), memref,
                                       load.getIndices());
    Value stored = store.getValueToStore();
    auto newLoop = cast<scf::ForOp>(*loop.replaceWithAdditionalYields(
        rewriter, ValueRange{init.getResult()},
        /*replaceInitOperandUsesInLoop=*/false,
        [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
          return SmallVector<Value>{stored};
        }));
    Value carried = newLoop.getRegionIterArgs().back();
    rewriter.replaceAllUsesWith(load.getResult(), carried);
    rewriter.eraseOp(load);
    rewriter.eraseOp(store);
    rewriter.setInsertionPointAfter(newLoop);
    memref::StoreOp::create(rewriter, newLoop.getLoc(),
                            newLoop.getResults().back(), memref,
                            init.getIndices());
    return newLoop;
  }
  return failure();
}

struct PromoteAccumulatorsPass
    : pulptrain::impl::PromoteAccumulatorsBase<PromoteAccumulatorsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Innermost loops first: a promoted pair moves to the enclosing loop's
    // body, where the next round can promote it again.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<scf::ForOp> loops;
      getOperation()->walk([&](scf::ForOp loop) { loops.push_back(loop); });
      for (scf::ForOp loop : loops) {
        while (true) {
          FailureOr<scf::ForOp> promoted = promoteOne(loop, rewriter);
          if (failed(promoted))
            break;
          loop = *promoted;
          changed = true;
        }
      }
    }
  }
};

} // namespace
