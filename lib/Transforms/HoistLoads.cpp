//===- HoistLoads.cpp - loads before the stores they cannot alias ---------===//
//
// In the body of a parallel loop after register blocking, each jammed copy
// loads its operands after the previous copy's store: a 2x4 block of an
// element-wise op or an outer product is a chain of load, compute, store,
// and LLVM keeps that order because it cannot tell that the stores miss
// the loads (every L1 tile is a view of one global, `@__pulptrain_l1_tiles`,
// at an offset LLVM does not see as constant; the arena likewise). The
// in-order cores then stall on every load-use and every floating-point
// result. pulptrain knows more (BufferAliasAnalysis): distinct arguments,
// distinct globals and disjoint constant-offset views never overlap, and
// two accesses of one memref at indices that differ by a constant in some
// dimension touch different elements. This pass moves each load up to just
// after the last op of its block that may write what it reads (or that
// defines an operand of it), so that the loads of a block come first and
// equal loads meet with no write between them (CSE, which runs next,
// merges them). Upstream's loop-invariant code motion and CSE stop at any
// store, which is why this is our own. Values are unchanged: a load moves
// only past ops that cannot write its element.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_HOISTLOADS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// A load the pass moves: its memref and indices.
struct Access {
  Value memref;
  ValueRange indices;
};

std::optional<Access> getLoad(Operation *op) {
  if (auto load = dyn_cast<memref::LoadOp>(op))
    return Access{load.getMemRef(), load.getIndices()};
  if (auto load = dyn_cast<vector::LoadOp>(op))
    return Access{load.getBase(), load.getIndices()};
  return std::nullopt;
}

/// `index` as a base value plus a constant (a null base for a constant).
std::pair<Value, int64_t> splitOffset(Value index) {
  if (std::optional<int64_t> c = getConstantIntValue(index))
    return {Value(), *c};
  if (auto add = index.getDefiningOp<arith::AddIOp>()) {
    if (std::optional<int64_t> c = getConstantIntValue(add.getRhs()))
      return {add.getLhs(), *c};
    if (std::optional<int64_t> c = getConstantIntValue(add.getLhs()))
      return {add.getRhs(), *c};
  }
  return {index, 0};
}

/// Whether scalar accesses of `memref` at `a` and at `b` provably touch
/// different elements: some index is the same base plus different
/// constants, in a dimension whose stride is a known non-zero constant (a
/// stride of 0 maps every index to one element). Vector accesses span
/// several elements and do not qualify.
bool differentElements(Value memref, ValueRange a, ValueRange b) {
  auto type = dyn_cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type || failed(type.getStridesAndOffset(strides, offset)))
    return false;
  for (auto [x, y, stride] : llvm::zip(a, b, strides)) {
    auto [xBase, xOffset] = splitOffset(x);
    auto [yBase, yOffset] = splitOffset(y);
    if (xBase == yBase && xOffset != yOffset && stride != 0 &&
        !ShapedType::isDynamic(stride))
      return true;
  }
  return false;
}

/// Whether `op` (with what it holds) may write memory that `load` reads.
bool mayClobber(const BufferAliasAnalysis &aliases, Operation *op,
                Operation *load, const Access &access) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects && !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    return true;
  SmallVector<MemoryEffects::EffectInstance> instances;
  if (effects)
    effects.getEffects(instances);
  for (const MemoryEffects::EffectInstance &effect : instances) {
    if (!isa<MemoryEffects::Write>(effect.getEffect()))
      continue;
    Value written = effect.getValue();
    if (!written || !isa<BaseMemRefType>(written.getType()))
      return true;
    if (!aliases.mayAlias(written, access.memref))
      continue;
    // One memref, another element of it.
    auto store = dyn_cast<memref::StoreOp>(op);
    if (store && isa<memref::LoadOp>(load) &&
        store.getMemRef() == access.memref &&
        differentElements(access.memref, store.getIndices(), access.indices))
      continue;
    return true;
  }
  if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    for (Region &region : op->getRegions())
      for (Operation &nested : region.getOps())
        if (mayClobber(aliases, &nested, load, access))
          return true;
  return false;
}

/// Whether `memref` is a view at a static offset from the start of one
/// global: LLVM sees its address as the global plus a constant and the
/// indices.
bool isStaticViewOfGlobal(const BufferAliasAnalysis &aliases, Value memref) {
  auto type = dyn_cast<MemRefType>(memref.getType());
  int64_t offset;
  SmallVector<int64_t> strides;
  if (!type || failed(type.getStridesAndOffset(strides, offset)) ||
      ShapedType::isDynamic(offset))
    return false;
  SmallVector<BufferOrigin> origins = aliases.getOrigins(memref);
  return origins.size() == 1 && origins.front().global &&
         origins.front().range;
}

/// Whether `op` only stores to a memref that LLVM itself can tell apart
/// from `loaded` (both static views of globals): LLVM schedules such a
/// load across the store already, and moving it here only changes the
/// register allocation.
bool llvmSeesApart(const BufferAliasAnalysis &aliases, Operation *op,
                   Value loaded) {
  auto store = dyn_cast<memref::StoreOp>(op);
  return store && isStaticViewOfGlobal(aliases, store.getMemRef()) &&
         isStaticViewOfGlobal(aliases, loaded);
}

/// Moves the loads of `block` up past the ops that cannot write what they
/// read, then does the same in the blocks of its nested loops.
void hoistInBlock(const BufferAliasAnalysis &aliases, Block &block) {
  for (Operation &op : llvm::make_early_inc_range(block)) {
    std::optional<Access> access = getLoad(&op);
    if (!access) {
      for (Region &region : op.getRegions())
        for (Block &nested : region)
          hoistInBlock(aliases, nested);
      continue;
    }
    // The earliest point: after the last op that defines an operand or may
    // write what it reads. A load that would cross no write stays (the
    // order of loads alone is LLVM's to schedule).
    Operation *after = nullptr;
    bool crossesWrite = false;
    for (Operation *prev = op.getPrevNode(); prev;
         prev = prev->getPrevNode()) {
      bool defines = llvm::any_of(op.getOperands(), [&](Value v) {
        return v.getDefiningOp() == prev;
      });
      if (defines || mayClobber(aliases, prev, &op, *access)) {
        after = prev;
        break;
      }
      crossesWrite |= !isMemoryEffectFree(prev) && !getLoad(prev) &&
                      !llvmSeesApart(aliases, prev, access->memref);
    }
    if (!crossesWrite)
      continue;
    // After the loads already moved there, to keep their order.
    Operation *before = after ? after->getNextNode() : &block.front();
    while (before != &op && getLoad(before))
      before = before->getNextNode();
    if (before != &op)
      op.moveBefore(before);
  }
}

struct HoistLoadsPass
    : public pulptrain::impl::HoistLoadsBase<HoistLoadsPass> {
  void runOnOperation() override {
    getOperation()->walk([&](FunctionOpInterface fn) {
      if (fn.isExternal())
        return;
      BufferAliasAnalysis aliases(fn);
      fn->walk([&](scf::ParallelOp loop) {
        // The outermost ones (hoistInBlock visits nested blocks).
        if (!loop->getParentOfType<scf::ParallelOp>())
          hoistInBlock(aliases, *loop.getBody());
      });
    });
  }
};

} // namespace
