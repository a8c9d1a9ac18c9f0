//===- BufferAliasAnalysis.cpp - aliases and lives of buffers -------------===//
//
// Built on upstream's BufferViewFlowAnalysis (value flow through views,
// region branches, branches and calls); adds pulptrain's knowledge of
// distinct arguments and of constant-offset views of globals, and answers
// the lifetime questions of the memory planner. Wherever the upstream
// analysis stops (an op it does not know that turns a memref into another
// memref), this one assumes the worst: the result views the operand.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Analysis/BufferAliasAnalysis.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "pulptrain/Support/ByteSize.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

bool isMemRef(Value value) { return isa<BaseMemRefType>(value.getType()); }

/// How a root buffer may overlap others.
enum class RootKind { Distinct, Global, Opaque };

RootKind classify(const BufferOrigin &origin) {
  if (origin.global)
    return RootKind::Global;
  return BufferAliasAnalysis::isDistinctBuffer(origin.root) ? RootKind::Distinct
                                                            : RootKind::Opaque;
}

bool mayOverlap(const BufferOrigin &x, const BufferOrigin &y) {
  RootKind a = classify(x), b = classify(y);
  if (a == RootKind::Opaque || b == RootKind::Opaque)
    return true;
  if (a == RootKind::Global && b == RootKind::Global) {
    if (x.global != y.global)
      return false;
    if (x.range && y.range)
      return x.range->first < y.range->second &&
             y.range->first < x.range->second;
    return true;
  }
  if (a != b) // A global never overlaps an argument or an allocation.
    return false;
  return x.root == y.root;
}

BufferOrigin makeOrigin(Value root) {
  BufferOrigin origin{root, {}, std::nullopt};
  if (auto global = root.getDefiningOp<memref::GetGlobalOp>())
    origin.global = global.getNameAttr();
  return origin;
}

} // namespace

BufferAliasAnalysis::BufferAliasAnalysis(Operation *root) : flow(root) {}

bool BufferAliasAnalysis::isDistinctBuffer(Value root) {
  if (auto arg = dyn_cast<BlockArgument>(root))
    return isa<FunctionOpInterface>(arg.getOwner()->getParentOp()) &&
           arg.getOwner()->isEntryBlock();
  return root.getDefiningOp<memref::AllocOp>() ||
         root.getDefiningOp<memref::AllocaOp>();
}

SmallVector<BufferOrigin>
BufferAliasAnalysis::getOrigins(Value value) const {
  // A chain of views back to its buffer: the byte range is known when the
  // chain holds constant-offset `memref.view`s of a global.
  Value current = value;
  std::optional<int64_t> begin = 0, size;
  bool nearest = true;
  while (auto view = current.getDefiningOp<ViewLikeOpInterface>()) {
    if (auto byteView = dyn_cast<memref::ViewOp>(view.getOperation())) {
      // The nearest byte view bounds the bytes; outer ones shift them.
      std::optional<int64_t> shift =
          getConstantIntValue(byteView.getByteShift());
      if (nearest)
        size = getStaticByteSize(byteView.getType());
      nearest = false;
      begin = begin && shift ? std::optional<int64_t>(*begin + *shift)
                             : std::nullopt;
    }
    current = view.getViewSource();
  }
  bool chainEndsAtBuffer =
      isDistinctBuffer(current) || current.getDefiningOp<memref::GetGlobalOp>();
  if (chainEndsAtBuffer) {
    BufferOrigin origin = makeOrigin(current);
    if (origin.global && begin && size)
      origin.range = {*begin, *begin + *size};
    return {origin};
  }

  // Otherwise every buffer that may flow into the value: the values the
  // flow analysis cannot trace further back.
  SmallVector<BufferOrigin> origins;
  for (Value source : flow.resolveReverse(value)) {
    if (!isMemRef(source))
      continue;
    bool root;
    if (isDistinctBuffer(source) ||
        source.getDefiningOp<memref::GetGlobalOp>())
      root = true;
    else if (source.getDefiningOp<ViewLikeOpInterface>())
      root = false; // Its source is in the set.
    else
      root = flow.mayBeTerminalBuffer(source) ||
             flow.resolveReverse(source).size() == 1;
    if (root)
      origins.push_back(makeOrigin(source));
  }
  if (origins.empty()) // Nothing known: the value itself, opaque.
    origins.push_back(makeOrigin(value));
  return origins;
}

bool BufferAliasAnalysis::mayAlias(Value a, Value b) const {
  SmallVector<BufferOrigin> x = getOrigins(a), y = getOrigins(b);
  for (const BufferOrigin &p : x)
    for (const BufferOrigin &q : y)
      if (mayOverlap(p, q))
        return true;
  return false;
}

BufferAliasAnalysis::ValueSet
BufferAliasAnalysis::getViews(Value buffer) const {
  ValueSet views;
  SmallVector<Value> worklist = {buffer};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Value view : flow.resolve(value))
      if (views.insert(view).second)
        worklist.push_back(view);
    // An op the flow analysis does not see through: its memref results
    // may be views of the operand.
    for (Operation *user : value.getUsers())
      for (Value result : user->getResults())
        if (isMemRef(result) && !views.contains(result))
          worklist.push_back(result);
  }
  return views;
}

BufferLifetime BufferAliasAnalysis::getLifetime(Value buffer,
                                                Block &block) const {
  BufferLifetime life;
  for (Value view : getViews(buffer)) {
    for (Operation *user : view.getUsers()) {
      Operation *at = block.findAncestorOpInBlock(*user);
      if (!at || (at == user && user->hasTrait<OpTrait::IsTerminator>())) {
        life.escapes = true; // Used outside the block, or passed on by it.
        if (!at)
          continue;
      }
      if (!life.first || at->isBeforeInBlock(life.first))
        life.first = at;
      if (!life.last || life.last->isBeforeInBlock(at))
        life.last = at;
    }
  }
  return life;
}

bool BufferAliasAnalysis::isUsedAfter(Value buffer, Operation *end) const {
  Block *block = end->getBlock();
  for (Value view : getViews(buffer))
    for (Operation *user : view.getUsers()) {
      Operation *at = block->findAncestorOpInBlock(*user);
      if (!at || (at != end && !at->isBeforeInBlock(end)))
        return true;
    }
  return false;
}
