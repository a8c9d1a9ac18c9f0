//===- OutlineParallel.cpp - parallel loops as forked cluster kernels -----===//
//
// Outlines each top-level scf.parallel loop of a function into a kernel
// that every core of the cluster runs on its share of one loop dimension,
// started by a cluster.fork (which joins with a barrier).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_OUTLINEPARALLEL
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Arguments a kernel can take (the runtime's PULPTRAIN_KERNEL_MAX_ARGS).
constexpr int64_t kMaxKernelArgs = cluster::ForkOp::kMaxArgs;

/// Whether `type` passes as one bare pointer.
bool isBarePointerMemRef(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getLayout().isIdentity();
}

/// What a kernel needs from its parent: ops to recompute inside (constants,
/// views, globals; in order) and buffers to pass as arguments.
struct Captures {
  llvm::SetVector<Operation *> clones;
  llvm::SetVector<Value> args;
};

/// Adds what it takes to have `value` inside the kernel; fails for values
/// that can be neither recomputed nor passed as a pointer.
LogicalResult capture(Value value, Captures &captures) {
  Operation *def = value.getDefiningOp();
  if (def && isPure(def) && def->getNumRegions() == 0) {
    if (captures.clones.contains(def))
      return success();
    for (Value operand : def->getOperands())
      if (failed(capture(operand, captures)))
        return failure();
    captures.clones.insert(def);
    return success();
  }
  // Buffers pass as pointers, indices (e.g. a tile number) as integers of
  // the same width.
  if (!isBarePointerMemRef(value.getType()) && !value.getType().isIndex())
    return failure();
  captures.args.insert(value);
  return success();
}

/// The loop dimension to split over the cores: the outermost one with at
/// least one iteration per core, else the one with the most iterations.
unsigned chooseSplitDim(ArrayRef<int64_t> trips, int64_t cores) {
  for (auto [dim, trip] : llvm::enumerate(trips))
    if (trip >= cores)
      return dim;
  return std::max_element(trips.begin(), trips.end()) - trips.begin();
}

/// Core cycles of one run of `block`, roughly: an L2 access costs
/// `l2Latency`, an L1 one 1, a division 11 (fdiv) or 35 (integer), a
/// transcendental 40 (pulptrain-approximate-math's polynomials), a nested
/// loop its trip count times its body plus 3 per iteration, anything else
/// 1 (constants nothing). Nullopt when a nested loop has dynamic bounds.
std::optional<int64_t> estimateCycles(Block &block, int64_t l2Latency) {
  int64_t cycles = 0;
  auto access = [&](Value memref) {
    auto type = dyn_cast<BaseMemRefType>(memref.getType());
    std::optional<Memory> memory =
        type ? getMemory(type) : std::optional<Memory>();
    return memory == Memory::L1 ? int64_t(1) : l2Latency;
  };
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::ConstantLike>() ||
        op.hasTrait<OpTrait::IsTerminator>())
      continue;
    if (auto load = dyn_cast<memref::LoadOp>(op))
      cycles += access(load.getMemRef());
    else if (auto store = dyn_cast<memref::StoreOp>(op))
      cycles += access(store.getMemRef());
    else if (auto load = dyn_cast<vector::LoadOp>(op))
      cycles += access(load.getBase());
    else if (auto store = dyn_cast<vector::StoreOp>(op))
      cycles += access(store.getBase());
    else if (isa<arith::DivFOp, arith::RemFOp, math::SqrtOp>(op))
      cycles += 11;
    else if (isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp,
                 arith::RemUIOp>(op))
      cycles += 35;
    else if (isa<math::ExpOp, math::LogOp, math::TanhOp, math::PowFOp>(op))
      cycles += 40;
    else if (auto loop = dyn_cast<scf::ForOp>(op)) {
      std::optional<int64_t> trips =
          loop.getStaticTripCount()
              ? std::optional<int64_t>(
                    loop.getStaticTripCount()->getSExtValue())
              : std::nullopt;
      std::optional<int64_t> body = estimateCycles(*loop.getBody(), l2Latency);
      if (!trips || !body)
        return std::nullopt;
      cycles += *trips * (*body + 3);
    } else if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
      std::optional<StaticLoopBounds> bounds = getStaticLoopBounds(loop);
      std::optional<int64_t> body = estimateCycles(*loop.getBody(), l2Latency);
      if (!bounds || !body)
        return std::nullopt;
      int64_t trips = 1;
      for (int64_t trip : bounds->trips)
        trips *= trip;
      cycles += trips * (*body + 3);
    } else {
      // Regions (scf.if, reductions): all of them, an upper bound.
      cycles += 1;
      for (Region &region : op.getRegions())
        for (Block &inner : region) {
          std::optional<int64_t> nested = estimateCycles(inner, l2Latency);
          if (!nested)
            return std::nullopt;
          cycles += *nested;
        }
    }
  }
  return cycles;
}

struct OutlineParallelPass
    : pulptrain::impl::OutlineParallelBase<OutlineParallelPass> {
  using OutlineParallelBase::OutlineParallelBase;

  void runOnOperation() override;

private:
  /// Outlines `loop` of `parent` into a kernel inserted after `after`;
  /// returns the kernel, or null when the loop stays sequential.
  func::FuncOp outline(scf::ParallelOp loop, func::FuncOp parent,
                       Operation *after, unsigned index);
  /// The module's symbols, built once per run.
  std::optional<SymbolTable> symbols;
};

func::FuncOp OutlineParallelPass::outline(scf::ParallelOp loop,
                                          func::FuncOp parent,
                                          Operation *after, unsigned index) {
  // Static bounds and no reductions.
  if (loop.getNumResults() != 0)
    return {};
  std::optional<StaticLoopBounds> bounds = getStaticLoopBounds(loop);
  if (!bounds)
    return {};
  ArrayRef<int64_t> lbs = bounds->lowerBounds, steps = bounds->steps,
                    trips = bounds->trips;
  int64_t total = 1;
  for (int64_t trip : trips)
    total *= trip;
  if (total < minIterations)
    return {};
  // A loop whose work is less than a fork saves stays on the calling core:
  // forked, the busiest core runs ceil(trip / cores) of the split
  // dimension's iterations, after the fork and join.
  if (forkCycles > 0) {
    if (std::optional<int64_t> body =
            estimateCycles(*loop.getBody(), l2Latency)) {
      int64_t perIteration = *body + 3;
      unsigned split = chooseSplitDim(trips, cores);
      int64_t perCore = llvm::divideCeil(trips[split], cores) *
                        (total / trips[split]) * perIteration;
      if (forkCycles + perCore >= total * perIteration) {
        ++numSequential;
        return {};
      }
    }
  }

  // What the body uses from above.
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop->getRegions(), used);
  Captures captures;
  for (Value value : used)
    if (failed(capture(value, captures)))
      return {};
  for (Value operand : loop->getOperands())
    if (failed(capture(operand, captures)))
      return {};
  if (static_cast<int64_t>(captures.args.size()) > kMaxKernelArgs)
    return {};

  // The kernel: recompute the views, take this core's share of the split
  // dimension, run the loop on it.
  MLIRContext *ctx = &getContext();
  Location loc = loop.getLoc();
  OpBuilder builder(ctx);
  builder.setInsertionPointAfter(after);
  SmallVector<Type> argTypes;
  for (Value arg : captures.args)
    argTypes.push_back(arg.getType());
  std::string name = (parent.getSymName() + "_kernel" + Twine(index)).str();
  auto kernel = func::FuncOp::create(builder, loc, name,
                                     builder.getFunctionType(argTypes, {}));
  kernel.setPrivate();
  symbols->insert(kernel); // Uniques the name.
  // The arguments are distinct buffers (roots of the captured views), so
  // the kernel's accesses through them never alias: LLVM may keep
  // accumulators in registers.
  for (unsigned i = 0, e = kernel.getNumArguments(); i < e; ++i)
    if (isa<MemRefType>(argTypes[i]))
      kernel.setArgAttr(i, LLVM::LLVMDialect::getNoAliasAttrName(),
                        builder.getUnitAttr());
  Block *body = kernel.addEntryBlock();
  builder.setInsertionPointToStart(body);
  IRMapping mapping;
  for (auto [arg, blockArg] : llvm::zip(captures.args, body->getArguments()))
    mapping.map(arg, blockArg);
  for (Operation *op : captures.clones)
    builder.clone(*op, mapping);

  unsigned dim = chooseSplitDim(trips, cores);
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(builder, loc, v);
  };
  Value id = cluster::CoreIdOp::create(builder, loc, builder.getIndexType());
  Value team = cluster::NumCoresOp::create(builder, loc, builder.getIndexType());
  // chunk = ceil(trip / team); [id * chunk, min((id + 1) * chunk, trip)).
  Value trip = cst(trips[dim]);
  Value chunk = arith::CeilDivUIOp::create(builder, loc, trip, team);
  Value first = arith::MinUIOp::create(
      builder, loc, arith::MulIOp::create(builder, loc, id, chunk), trip);
  Value last = arith::MinUIOp::create(
      builder, loc, arith::AddIOp::create(builder, loc, first, chunk), trip);
  auto toBound = [&](Value iteration) -> Value {
    Value scaled = arith::MulIOp::create(builder, loc, iteration,
                                         cst(steps[dim]));
    return arith::AddIOp::create(builder, loc, scaled, cst(lbs[dim]));
  };
  Value lo = toBound(first), hi = toBound(last);
  auto share = cast<scf::ParallelOp>(builder.clone(*loop, mapping));
  unsigned rank = trips.size();
  share->setOperand(dim, lo);
  share->setOperand(rank + dim, hi);
  func::ReturnOp::create(builder, loc);

  // The call site: the fork returns after the team's join barrier.
  builder.setInsertionPoint(loop);
  cluster::ForkOp::create(builder, loc, kernel.getSymName(),
                          captures.args.getArrayRef());
  loop.erase();
  return kernel;
}

void OutlineParallelPass::runOnOperation() {
  ModuleOp module = getOperation();
  symbols.emplace(module);
  if (cores < 1) {
    module.emitError("the number of cores must be positive, got ")
        << static_cast<int64_t>(cores);
    return signalPassFailure();
  }
  SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
  for (func::FuncOp fn : functions) {
    if (fn.isExternal())
      continue;
    // Outermost parallel loops, also inside sequential loops (tiles).
    SmallVector<scf::ParallelOp> loops;
    fn.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        loops.push_back(loop);
    });
    unsigned index = 0;
    Operation *after = fn;
    for (scf::ParallelOp loop : loops)
      if (func::FuncOp kernel = outline(loop, fn, after, index)) {
        after = kernel;
        ++index;
      }
  }
}

} // namespace
