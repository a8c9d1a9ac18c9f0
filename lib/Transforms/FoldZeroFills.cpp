//===- FoldZeroFills.cpp - reductions that start from zero, without a fill ===//
//
// A reduction whose result starts at zero (a convolution, a Linear layer's
// gradients) is a `linalg.fill` of its output and a reduction that reads
// the output as its initial value. Once promoted to registers
// (pulptrain-promote-accumulators), the reduction's parallel loop loads each
// output element once, accumulates in a register and stores it once; the
// fill before it is a parallel loop of its own that writes the zeros the
// load reads back. On the cluster that loop is a kernel: a fork, a pass
// over the buffer and a barrier, for values known at compile time.
//
// This pass folds such a fill into the reduction: when a parallel loop
// stores +0.0 to every element of a buffer at its induction variables, and
// the next op touching that buffer is a parallel loop over the same
// iteration space that loads each element at its induction variables once,
// stores it there once, and touches the buffer nowhere else, the load
// becomes the constant zero and the fill is erased. The reduction writes
// every element the fill wrote, so no zero is lost; the values are those
// of the loads they replace, so results are bit-identical.
//
// Between the two loops, an op that may read or write the buffer (through
// any alias: BufferAliasAnalysis) stops the search. `cluster.dma_wait` and
// the profiling brackets only order memory: a transfer into the buffer
// still in flight across the fill would race with the fill itself, so the
// lowering never leaves one. Upstream's scf-parallel-loop-fusion merges
// adjacent loops of equal bounds, but the fill and the reduction are rarely
// adjacent (the DMA of the reduction's operands comes between), and fusing
// would keep the stores of the zeros.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_FOLDZEROFILLS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Whether `indices` are `loop`'s induction variables, in order.
bool isAtInductionVars(ValueRange indices, scf::ParallelOp loop) {
  return llvm::equal(indices, loop.getInductionVars());
}

/// The buffer `loop` fills with +0.0 at its induction variables (its body
/// that one store), or null.
Value getZeroFilled(scf::ParallelOp loop) {
  Block *body = loop.getBody();
  if (loop.getNumResults() != 0 || !llvm::hasSingleElement(
                                       body->without_terminator()))
    return Value();
  auto store = dyn_cast<memref::StoreOp>(body->front());
  if (!store || !isAtInductionVars(store.getIndices(), loop) ||
      !matchPattern(store.getValueToStore(), m_PosZeroFloat()))
    return Value();
  // A buffer of the loop's own (defined in its body) is no output.
  if (Operation *def = store.getMemRef().getDefiningOp();
      def && loop->isAncestor(def))
    return Value();
  return store.getMemRef();
}

/// Whether `a` and `b` run over the same constant iteration space.
bool haveSameSpace(scf::ParallelOp a, scf::ParallelOp b) {
  auto equal = [](ValueRange x, ValueRange y) {
    return x.size() == y.size() &&
           llvm::all_of(llvm::zip(x, y), [](auto pair) {
             std::optional<int64_t> l = getConstantIntValue(std::get<0>(pair));
             std::optional<int64_t> r = getConstantIntValue(std::get<1>(pair));
             return l && r && *l == *r;
           });
  };
  return equal(a.getLowerBound(), b.getLowerBound()) &&
         equal(a.getUpperBound(), b.getUpperBound()) &&
         equal(a.getStep(), b.getStep());
}

/// Whether `op` (with what it holds) may read or write memory of
/// `buffer`, leaving out `except`.
bool touches(const BufferAliasAnalysis &aliases, Operation *op, Value buffer,
             ArrayRef<Operation *> except = {}) {
  if (llvm::is_contained(except, op))
    return false;
  // Ordering only (see the file comment).
  if (isa<cluster::DmaWaitOp, cluster::ProfileEnterOp,
          cluster::ProfileExitOp>(op))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects && !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    return true;
  if (effects) {
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      if (!isa<MemoryEffects::Read, MemoryEffects::Write>(effect.getEffect()))
        continue;
      Value value = effect.getValue();
      if (!value || !isa<BaseMemRefType>(value.getType()) ||
          aliases.mayAlias(value, buffer))
        return true;
    }
  }
  if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (Operation &nested : block)
          if (touches(aliases, &nested, buffer, except))
            return true;
  return false;
}

/// The load of `buffer` that `reduction` starts each element from, when
/// the reduction runs over `fill`'s iteration space and reads and writes
/// `buffer` only there: one load and one store at its induction variables
/// in its body; otherwise null.
memref::LoadOp getInitialLoad(const BufferAliasAnalysis &aliases,
                              scf::ParallelOp fill, scf::ParallelOp reduction,
                              Value buffer) {
  if (reduction.getNumResults() != 0 || !haveSameSpace(fill, reduction))
    return nullptr;
  memref::LoadOp load;
  memref::StoreOp store;
  for (Operation &op : reduction.getBody()->without_terminator()) {
    if (auto l = dyn_cast<memref::LoadOp>(op);
        l && l.getMemRef() == buffer &&
        isAtInductionVars(l.getIndices(), reduction)) {
      if (load || store)
        return nullptr;
      load = l;
    } else if (auto s = dyn_cast<memref::StoreOp>(op);
               s && s.getMemRef() == buffer &&
               isAtInductionVars(s.getIndices(), reduction)) {
      if (!load || store)
        return nullptr;
      store = s;
    }
  }
  if (!load || !store ||
      touches(aliases, reduction, buffer, {load.getOperation(),
                                           store.getOperation()}))
    return nullptr;
  return load;
}

struct FoldZeroFillsPass
    : pulptrain::impl::FoldZeroFillsBase<FoldZeroFillsPass> {
  void runOnOperation() override {
    getOperation()->walk([&](FunctionOpInterface fn) {
      BufferAliasAnalysis aliases(fn);
      SmallVector<std::pair<scf::ParallelOp, memref::LoadOp>> folds;
      fn->walk([&](scf::ParallelOp fill) {
        Value buffer = getZeroFilled(fill);
        if (!buffer)
          return;
        for (Operation *op = fill->getNextNode(); op; op = op->getNextNode()) {
          if (!touches(aliases, op, buffer))
            continue;
          if (auto reduction = dyn_cast<scf::ParallelOp>(op))
            if (memref::LoadOp load =
                    getInitialLoad(aliases, fill, reduction, buffer))
              folds.push_back({fill, load});
          return;
        }
      });
      for (auto [fill, load] : folds) {
        OpBuilder b(load);
        Type type = load.getType();
        Value zero = arith::ConstantOp::create(
            b, load.getLoc(), type, b.getFloatAttr(type, 0.0));
        load.replaceAllUsesWith(zero);
        load.erase();
        fill.erase();
      }
      numFolded += folds.size();
    });
  }
};

} // namespace
