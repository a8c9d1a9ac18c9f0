//===- PlanMemory.cpp - static arena with liveness-based reuse ------------===//
//
// Replaces the temporary buffers of bufferized functions by views into one
// static arena, sharing memory between buffers whose lives do not overlap,
// checks the plan against the L1/L2 budgets of the cluster, and types the
// arena and every view of it with the memory chosen (#pulptrain.memory).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include <functional>

namespace mlir::pulptrain {
#define GEN_PASS_DEF_PLANMEMORY
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

constexpr StringLiteral kArenaName = attrs::kArenaSymbol;
constexpr StringLiteral kPlanAttr = attrs::kMemoryPlan;

/// A temporary buffer of a function and its life in op positions of the
/// entry block (inclusive).
struct Buffer {
  memref::AllocOp alloc;
  int64_t size;
  int64_t first, last;
  /// The values derived from the buffer, which get its memory space.
  SmallVector<Value> views;
  int64_t offset = -1;

  bool overlaps(const Buffer &other) const {
    return first <= other.last && other.first <= last;
  }
};

/// Bytes of a statically shaped memref with the identity layout, or
/// nullopt.
std::optional<int64_t> getByteSize(MemRefType type) {
  if (!type.getLayout().isIdentity())
    return std::nullopt;
  return getStaticByteSize(type);
}

/// The life of `buffer` in the positions of `block`'s ops (inclusive): from
/// the first to the last op using it or any alias (views, values carried
/// through loops or yielded by region ops); the whole block when an alias
/// escapes it.
std::pair<int64_t, int64_t>
getLifetime(const BufferAliasAnalysis &aliases, Value buffer, Block &block,
            const DenseMap<Operation *, int64_t> &position) {
  BufferLifetime life = aliases.getLifetime(buffer, block);
  if (life.escapes)
    return {0, static_cast<int64_t>(position.size())};
  if (life.isUnused()) { // A one-op life at the allocation.
    int64_t at = position.lookup(buffer.getDefiningOp());
    return {at, at};
  }
  return {position.lookup(life.first), position.lookup(life.last)};
}

/// The liveness lower bound of any arena for `buffers`: the largest sum of
/// the (aligned) sizes of the buffers live at one op.
int64_t getLiveBytesBound(ArrayRef<Buffer> buffers, int64_t alignment) {
  // Sweep over the lifetimes' end points: +size at `first`, -size after
  // `last`.
  SmallVector<std::pair<int64_t, int64_t>> events;
  for (const Buffer &buffer : buffers) {
    int64_t size = llvm::alignTo(buffer.size, alignment);
    events.push_back({buffer.first, size});
    events.push_back({buffer.last + 1, -size});
  }
  llvm::sort(events); // At one position, ends (negative) come first.
  int64_t live = 0, peak = 0;
  for (auto [position, delta] : events)
    peak = std::max(peak, live += delta);
  return peak;
}

/// Offset assignment for the arena. Finding the smallest arena is the
/// dynamic storage allocation problem, which is NP-hard, so the planner
/// starts from the classic greedy and improves on it where it misses the
/// liveness lower bound:
///  - first fit in an order: each buffer at the lowest aligned offset that
///    overlaps no buffer placed before it whose life overlaps its own;
///  - the greedy order, largest buffer first (ties in program order), and,
///    when it misses the bound, four orders that place the buffers live at
///    the liveness peak first (which then fill [0, bound) without a gap),
///    by longest life, latest end, earliest start or size, the others
///    largest first; the order with the smallest arena is kept;
///  - while the arena is above the bound, a local search over the order:
///    swap a buffer with one whose life overlaps its own, place again from
///    the first position the swap changed, and keep the swap unless the
///    arena grows. On the MLPerf Tiny steps the greedy misses the bound by
///    up to 2.9 % (DS-CNN f32: 368,656 against 358,160 bytes) and the
///    search reaches it (docs/Benchmarks.md).
/// The search stops at the bound or after a fixed amount of work, and its
/// pseudo-random choices have a fixed seed: the plan is the same on every
/// run and host.
class ArenaPacker {
public:
  ArenaPacker(MutableArrayRef<Buffer> buffers, int64_t alignment)
      : buffers(buffers), alignment(alignment), overlapping(buffers.size()),
        order(llvm::to_vector(llvm::seq<unsigned>(0, buffers.size()))),
        top(buffers.size() + 1, 0) {
    for (unsigned i = 0, e = buffers.size(); i < e; ++i)
      for (unsigned j = i + 1; j < e; ++j)
        if (buffers[i].overlaps(buffers[j])) {
          overlapping[i].push_back(j);
          overlapping[j].push_back(i);
        }
    llvm::sort(order, [&](unsigned a, unsigned b) {
      return largerFirst(a, b);
    });
  }

  /// Assigns the offsets, with an arena of at most `bound` bytes if the
  /// search finds one, and returns the arena size.
  int64_t pack(int64_t bound) {
    unsigned count = order.size();
    for (Buffer &buffer : buffers)
      buffer.offset = -1;
    int64_t best = placeFrom(0);
    // The other starting orders: the buffers live at the liveness peak
    // first (first fit stacks them without a gap), in one of four orders,
    // then the others largest first. The smallest arena is kept.
    SmallVector<unsigned> bestOrder;
    for (SmallVector<unsigned> &start : getPeakFirstOrders()) {
      if (best <= bound)
        break;
      std::swap(order, start);
      int64_t size = placeFrom(0);
      if (size < best) {
        best = size;
        bestOrder = order;
      }
      std::swap(order, start);
    }
    // Each order tried placed every buffer: place the kept one again.
    if (!bestOrder.empty()) {
      order = std::move(bestOrder);
      peakFirst = true;
    }
    placeFrom(0);
    int64_t start = best;
    SmallVector<unsigned> position(count);
    for (auto [index, buffer] : llvm::enumerate(order))
      position[buffer] = index;
    SmallVector<int64_t> offsets, tops;
    uint64_t state = 0x9E3779B97F4A7C15ull; // xorshift64, fixed seed.
    auto next = [&](size_t bound) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return static_cast<unsigned>(state % bound);
    };
    while (best > bound && work < kSearchWork) {
      unsigned a = next(count);
      ArrayRef<unsigned> others = overlapping[order[a]];
      if (others.empty()) {
        ++work;
        continue;
      }
      unsigned b = position[others[next(others.size())]];
      if (a > b)
        std::swap(a, b);
      // The first `a` buffers keep their offsets.
      offsets.clear();
      for (unsigned index : ArrayRef(order).drop_front(a))
        offsets.push_back(buffers[index].offset);
      tops.assign(top.begin() + a, top.end());
      std::swap(order[a], order[b]);
      int64_t size = placeFrom(a);
      if (size <= best) {
        best = size;
        position[order[a]] = a;
        position[order[b]] = b;
        continue;
      }
      std::swap(order[a], order[b]);
      for (auto [index, offset] :
           llvm::zip_equal(ArrayRef(order).drop_front(a), offsets))
        buffers[index].offset = offset;
      llvm::copy(tops, top.begin() + a);
    }
    searched = best < start;
    return best;
  }

  /// Whether every buffer lies within `arenaSize` bytes, aligned, and
  /// apart from every buffer whose life overlaps its own. Checked on every
  /// plan: a wrong packing would silently corrupt the step's values.
  bool isConsistent(int64_t arenaSize) const {
    for (auto [index, buffer] : llvm::enumerate(buffers)) {
      if (buffer.offset < 0 || buffer.offset % alignment != 0 ||
          buffer.offset + buffer.size > arenaSize)
        return false;
      for (unsigned other : overlapping[index])
        if (buffer.size > 0 && buffers[other].size > 0 &&
            buffer.offset < buffers[other].offset + buffers[other].size &&
            buffers[other].offset < buffer.offset + buffer.size)
          return false;
    }
    return true;
  }

  /// How the arena was packed: by a peak-first order, made smaller by the
  /// search (the pass's statistics).
  bool peakFirst = false, searched = false;

private:
  bool largerFirst(unsigned a, unsigned b) const {
    return buffers[a].size != buffers[b].size
               ? buffers[a].size > buffers[b].size
               : a < b;
  }

  /// Orders that place the buffers live at the (first) position of the
  /// liveness peak first, by longest life, latest end, earliest start or
  /// size, and then the others largest first. Where the greedy order
  /// misses the bound, one of them often reaches it: the peak's buffers
  /// fill [0, bound) exactly, and their order decides which gaps the
  /// others find (on DS-CNN f16, 200,960 bytes against 218,112).
  SmallVector<SmallVector<unsigned>> getPeakFirstOrders() const {
    SmallVector<std::pair<int64_t, int64_t>> events;
    for (const Buffer &buffer : buffers) {
      int64_t size = llvm::alignTo(buffer.size, alignment);
      events.push_back({buffer.first, size});
      events.push_back({buffer.last + 1, -size});
    }
    llvm::sort(events); // At one position, ends (negative) come first.
    int64_t live = 0, peak = -1, at = 0;
    for (auto [position, delta] : events)
      if ((live += delta) > peak) {
        peak = live;
        at = position;
      }
    SmallVector<unsigned> atPeak, others;
    for (unsigned index : order) // Largest first.
      (buffers[index].first <= at && at <= buffers[index].last ? atPeak
                                                               : others)
          .push_back(index);
    auto life = [&](unsigned i) {
      return buffers[i].last - buffers[i].first;
    };
    using Less = std::function<bool(unsigned, unsigned)>;
    Less keys[] = {
        [&](unsigned a, unsigned b) {
          return life(a) != life(b) ? life(a) > life(b) : largerFirst(a, b);
        },
        [&](unsigned a, unsigned b) {
          return buffers[a].last != buffers[b].last
                     ? buffers[a].last > buffers[b].last
                     : largerFirst(a, b);
        },
        [&](unsigned a, unsigned b) {
          return buffers[a].first != buffers[b].first
                     ? buffers[a].first < buffers[b].first
                     : largerFirst(a, b);
        },
        [&](unsigned a, unsigned b) { return largerFirst(a, b); },
    };
    SmallVector<SmallVector<unsigned>> orders;
    for (const Less &less : keys) {
      SmallVector<unsigned> start(atPeak);
      llvm::sort(start, less);
      llvm::append_range(start, others);
      orders.push_back(std::move(start));
    }
    return orders;
  }

  /// Search work at most, in buffer pairs visited: about 50 ms on this
  /// machine class. The MLPerf Tiny steps reach their bound within a tenth
  /// of it.
  static constexpr int64_t kSearchWork = 5'000'000;

  /// First fit of the buffers at positions `from` and after in the order,
  /// those before keeping their offsets; returns the arena size.
  int64_t placeFrom(unsigned from) {
    for (unsigned index : ArrayRef(order).drop_front(from))
      buffers[index].offset = -1;
    SmallVector<std::pair<int64_t, int64_t>> live; // [offset, end)
    for (unsigned position = from; position < order.size(); ++position) {
      Buffer &buffer = buffers[order[position]];
      live.clear();
      for (unsigned other : overlapping[order[position]])
        if (buffers[other].offset >= 0)
          live.push_back({buffers[other].offset,
                          buffers[other].offset + buffers[other].size});
      work += live.size() + 1;
      llvm::sort(live);
      int64_t offset = 0;
      for (auto [start, end] : live) {
        if (offset + buffer.size <= start)
          break;
        offset = std::max(offset, static_cast<int64_t>(
                                      llvm::alignTo(end, alignment)));
      }
      buffer.offset = offset;
      top[position + 1] = std::max(top[position], offset + buffer.size);
    }
    return llvm::alignTo(top.back(), alignment);
  }

  MutableArrayRef<Buffer> buffers;
  int64_t alignment;
  /// Per buffer, the buffers whose lives overlap its own.
  SmallVector<SmallVector<unsigned>> overlapping;
  /// The order of placement, and the arena's end after each position
  /// (`top[k]`: the end of the first k buffers placed).
  SmallVector<unsigned> order;
  SmallVector<int64_t> top;
  int64_t work = 0;
};

/// How the budget report names an argument: by its role in the model
/// contract (docs/TrainStep.md) and tensor name where it has one. The
/// out-parameters that buffer-results-to-out-params appends carry the
/// attributes of the results: a second argument with the same role and name
/// is the updated value.
std::string describeArgument(func::FuncOp func, unsigned index) {
  auto describe = [&](unsigned i) -> std::string {
    DictionaryAttr attrs = func.getArgAttrDict(i);
    if (!attrs)
      return "";
    if (auto name = attrs.getAs<StringAttr>(attrs::kInput))
      return ("input '" + name.getValue() + "'").str();
    if (attrs.contains(attrs::kLabel))
      return "label";
    if (attrs.contains(attrs::kLoss))
      return "loss";
    if (auto name = attrs.getAs<StringAttr>(attrs::kParam))
      return ("parameter '" + name.getValue() + "'").str();
    if (auto name = attrs.getAs<StringAttr>(attrs::kMomentum))
      return ("momentum of '" + name.getValue() + "'").str();
    if (auto name = attrs.getAs<StringAttr>(attrs::kExpAvg))
      return ("Adam first moment of '" + name.getValue() + "'").str();
    if (auto name = attrs.getAs<StringAttr>(attrs::kExpAvgSq))
      return ("Adam second moment of '" + name.getValue() + "'").str();
    if (attrs.getAs<StringAttr>(attrs::kStep))
      return std::string("optimizer step counter");
    if (auto name = attrs.getAs<StringAttr>(attrs::kBuffer))
      return ("buffer '" + name.getValue() + "'").str();
    return "";
  };
  std::string role = describe(index);
  if (role.empty())
    return "";
  for (unsigned i = 0; i < index; ++i)
    if (describe(i) == role)
      return "updated " + role;
  return role;
}

/// The plan of one function.
struct FunctionPlan {
  func::FuncOp func;
  SmallVector<Buffer> buffers;
  int64_t argumentBytes = 0;
  int64_t arenaSize = 0;
  /// The liveness lower bound of the arena (getLiveBytesBound).
  int64_t liveBytes = 0;
};

struct PlanMemoryPass : pulptrain::impl::PlanMemoryBase<PlanMemoryPass> {
  using PlanMemoryBase::PlanMemoryBase;

  void runOnOperation() override;

private:
  FailureOr<FunctionPlan> planFunction(func::FuncOp func);
  LogicalResult checkBudget(FunctionPlan &plan, bool inL1);
  void rewrite(FunctionPlan &plan, memref::GlobalOp arena, Memory memory);

  /// Bytes of the training state's buffers in L1 and in L2.
  int64_t stateL1Bytes = 0, stateL2Bytes = 0;
};

FailureOr<FunctionPlan> PlanMemoryPass::planFunction(func::FuncOp func) {
  FunctionPlan plan{func, {}, 0, 0};
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type)
      continue;
    std::optional<int64_t> size = getByteSize(type);
    if (!size)
      return func.emitOpError("argument #")
             << arg.getArgNumber() << " of type " << type
             << " has no static size to plan";
    plan.argumentBytes += llvm::alignTo(*size, alignment);
  }

  Block &block = func.getBody().front();
  BufferAliasAnalysis aliases(func);
  DenseMap<Operation *, int64_t> position;
  for (auto [index, op] : llvm::enumerate(block))
    position[&op] = index;
  // Dynamic buffers stay on the heap; so does a buffer one of whose values
  // cannot be typed with the arena's memory (in L2, like every buffer
  // without a memory space), and then the buffers that share a value with
  // it, until none is left out.
  SmallVector<memref::AllocOp> candidates;
  DenseSet<Value> placed;
  for (auto alloc : block.getOps<memref::AllocOp>())
    if (getByteSize(alloc.getType())) {
      candidates.push_back(alloc);
      placed.insert(alloc);
    }
  DenseMap<Operation *, SmallVector<Value>> views;
  for (bool changed = true; changed;) {
    changed = false;
    for (memref::AllocOp alloc : candidates) {
      if (!placed.contains(alloc))
        continue;
      FailureOr<SmallVector<Value>> typed =
          getTypedViews(aliases, alloc.getResult(), placed);
      if (succeeded(typed)) {
        views[alloc] = std::move(*typed);
        continue;
      }
      placed.erase(alloc);
      changed = true;
    }
  }
  for (memref::AllocOp alloc : candidates) {
    if (!placed.contains(alloc))
      continue;
    auto [first, last] = getLifetime(aliases, alloc, block, position);
    plan.buffers.push_back({alloc, *getByteSize(alloc.getType()), first, last,
                            std::move(views[alloc])});
  }
  plan.liveBytes = getLiveBytesBound(plan.buffers, alignment);
  return plan;
}

LogicalResult PlanMemoryPass::checkBudget(FunctionPlan &plan,
                                          bool inL1) {
  int64_t l2Size = this->l2Size;
  int64_t l1Size = this->l1Size > 0 ? this->l1Size - stateL1Bytes : 0;
  int64_t l2Bytes =
      plan.argumentBytes + stateL2Bytes + (inL1 ? 0 : plan.arenaSize);
  int64_t l1Bytes = inL1 ? plan.arenaSize : 0;
  bool l2Over = l2Size > 0 && l2Bytes > l2Size;
  bool l1Over = inL1 && this->l1Size > 0 && l1Bytes > l1Size;
  if (!l2Over && !l1Over)
    return success();

  InFlightDiagnostic diag = plan.func.emitError("function @")
                            << plan.func.getSymName() << " does not fit: ";
  if (l2Over)
    diag << "its buffers need " << l2Bytes << " bytes of L2 ("
         << plan.argumentBytes << " in arguments, "
         << (stateL2Bytes ? std::to_string(stateL2Bytes) + " in the state, "
                          : "")
         << (inL1 ? 0 : plan.arenaSize) << " in the arena), more than the "
         << l2Size << " bytes available";
  if (l1Over)
    diag << (l2Over ? "; " : "") << "its arena needs " << l1Bytes
         << " bytes of L1, more than the " << l1Size << " bytes available"
         << (stateL1Bytes ? " next to the " + std::to_string(stateL1Bytes) +
                                " bytes of the training state"
                          : "");
  for (BlockArgument arg : plan.func.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type)
      continue;
    std::string role = describeArgument(plan.func, arg.getArgNumber());
    Location loc = isa<UnknownLoc>(arg.getLoc()) ? plan.func.getLoc()
                                                 : arg.getLoc();
    diag.attachNote(loc)
        << "argument #" << arg.getArgNumber() << " ("
        << (role.empty() ? "" : role + ", ") << type
        << "): " << *getByteSize(type)
        << " bytes in L2, live for the whole call";
  }
  if (auto module = plan.func->getParentOfType<ModuleOp>())
    for (auto global : module.getOps<memref::GlobalOp>())
      if (global.getSymName().starts_with(attrs::kStateSymbol) &&
          getMemory(global.getType()) == Memory::L2)
        diag.attachNote(global.getLoc())
            << "training state @" << global.getSymName() << " ("
            << global.getType() << "): "
            << getStaticByteSize(global.getType()).value_or(0)
            << " bytes in L2, live across steps";
  for (Buffer &buffer : plan.buffers)
    diag.attachNote(buffer.alloc.getLoc())
        << "temporary " << buffer.alloc.getType() << ": " << buffer.size
        << " bytes at arena offset " << buffer.offset << ", live from op #"
        << buffer.first << " to op #" << buffer.last << " of the body";
  return failure();
}

void PlanMemoryPass::rewrite(FunctionPlan &plan, memref::GlobalOp arena,
                             Memory memory) {
  if (plan.buffers.empty())
    return;
  Block &block = plan.func.getBody().front();
  OpBuilder builder = OpBuilder::atBlockBegin(&block);
  Location loc = plan.func.getLoc();
  Value base =
      memref::GetGlobalOp::create(builder, loc, arena.getType(), arena.getSymName());
  for (Buffer &buffer : plan.buffers) {
    builder.setInsertionPoint(buffer.alloc);
    Value offset = arith::ConstantIndexOp::create(
        builder, buffer.alloc.getLoc(), buffer.offset);
    Value view =
        memref::ViewOp::create(builder, buffer.alloc.getLoc(),
                               getTypeInMemory(buffer.alloc.getType(), memory),
                               base, offset, ValueRange());
    buffer.alloc.replaceAllUsesWith(view);
    buffer.alloc.erase();
    // Its views, and the values loops carry, are in the same memory.
    for (Value derived : buffer.views)
      derived.setType(
          getTypeInMemory(cast<BaseMemRefType>(derived.getType()), memory));
  }
}

void PlanMemoryPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  if (arena != "l1" && arena != "l2" && arena != "auto") {
    module.emitError("unknown arena memory '")
        << arena << "' (expected l1, l2 or auto)";
    return signalPassFailure();
  }
  if (alignment <= 0 || !llvm::isPowerOf2_64(alignment)) {
    module.emitError("the arena alignment must be a power of two, got ")
        << static_cast<int64_t>(alignment);
    return signalPassFailure();
  }
  if (SymbolTable::lookupSymbolIn(module, kArenaName)) {
    module.emitError("the memory of this module is planned already (@")
        << kArenaName << " exists)";
    return signalPassFailure();
  }

  // Functions that call a function defined here keep their allocations:
  // sharing the arena with a callee would overlap live buffers.
  SmallVector<FunctionPlan> plans;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    bool callsLocal = false;
    func.walk([&](func::CallOp call) {
      auto callee =
          SymbolTable::lookupSymbolIn(module, call.getCalleeAttr());
      if (auto fn = dyn_cast_or_null<func::FuncOp>(callee))
        callsLocal |= !fn.isExternal();
    });
    if (callsLocal)
      continue;
    FailureOr<FunctionPlan> plan = planFunction(func);
    if (failed(plan))
      return signalPassFailure();
    plans.push_back(std::move(*plan));
  }

  // The training state's buffers (pulptrain-place-state) come first: the
  // arena gets the L1 they leave, and the L2 ones count with the arguments.
  stateL1Bytes = stateL2Bytes = 0;
  for (auto global : module.getOps<memref::GlobalOp>()) {
    if (!global.getSymName().starts_with(attrs::kStateSymbol))
      continue;
    int64_t bytes = llvm::alignTo(
        getStaticByteSize(global.getType()).value_or(0), alignment);
    std::optional<Memory> memory = getMemory(global.getType());
    // State in L3 takes no L2 (its staging buffer, in L2, is a state
    // global of its own).
    if (memory == Memory::L3)
      continue;
    (memory == Memory::L1 ? stateL1Bytes : stateL2Bytes) += bytes;
  }
  // One arena serves every function, so none needs to pack below the
  // largest bound.
  int64_t bound = 0;
  for (const FunctionPlan &plan : plans)
    bound = std::max(bound, plan.liveBytes);
  int64_t arenaSize = 0;
  for (FunctionPlan &plan : plans) {
    ArenaPacker packer(plan.buffers, alignment);
    plan.arenaSize = packer.pack(bound);
    if (!packer.isConsistent(plan.arenaSize)) {
      plan.func.emitError("internal error: the arena packing placed two "
                          "buffers with overlapping lives in overlapping "
                          "bytes, or one beyond the arena");
      return signalPassFailure();
    }
    numPeakFirst += packer.peakFirst;
    numSearched += packer.searched;
    arenaSize = std::max(arenaSize, plan.arenaSize);
  }
  bool inL1 = arena == "l1" ||
              (arena == "auto" &&
               (l1Size == 0 || arenaSize <= l1Size - stateL1Bytes));
  bool ok = true;
  for (FunctionPlan &plan : plans)
    ok &= succeeded(checkBudget(plan, inL1));
  if (!ok)
    return signalPassFailure();

  // The plan, for drivers and reports.
  Builder builder(ctx);
  SmallVector<NamedAttribute> entries;
  for (FunctionPlan &plan : plans)
    entries.push_back(builder.getNamedAttr(
        plan.func.getSymName(),
        builder.getDictionaryAttr(
            {builder.getNamedAttr(
                 "argument_bytes", builder.getI64IntegerAttr(plan.argumentBytes)),
             builder.getNamedAttr("arena_bytes",
                                  builder.getI64IntegerAttr(plan.arenaSize)),
             builder.getNamedAttr("buffers", builder.getI64IntegerAttr(
                                                 plan.buffers.size())),
             builder.getNamedAttr("live_bytes",
                                  builder.getI64IntegerAttr(plan.liveBytes))})));
  entries.push_back(builder.getNamedAttr("arena_bytes",
                                         builder.getI64IntegerAttr(arenaSize)));
  module->setAttr(kPlanAttr, builder.getDictionaryAttr(entries));
  if (arenaSize == 0)
    return;

  // The arena and its views are typed with their memory.
  Memory memory = inL1 ? Memory::L1 : Memory::L2;
  OpBuilder moduleBuilder = OpBuilder::atBlockBegin(module.getBody());
  auto arenaType = MemRefType::get({arenaSize}, builder.getI8Type(),
                                   MemRefLayoutAttrInterface(),
                                   MemoryAttr::get(ctx, memory));
  auto arenaOp = memref::GlobalOp::create(
      moduleBuilder, module.getLoc(), kArenaName,
      builder.getStringAttr("private"), arenaType, builder.getUnitAttr(),
      /*constant=*/false, builder.getI64IntegerAttr(alignment));
  for (FunctionPlan &plan : plans)
    rewrite(plan, arenaOp, memory);
}

} // namespace
