//===- Utils.cpp - helpers shared by the pulptrain transforms -------------===//

#include "Utils.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/GradientBuilder.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/MathExtras.h"
#include <functional>

using namespace mlir;
using namespace mlir::pulptrain;

LogicalResult mlir::pulptrain::applyOnlyPatterns(Operation *op,
                                                RewritePatternSet &&patterns) {
  GreedyRewriteConfig config;
  config.enableFolding(false).enableConstantCSE(false);
  return applyPatternsGreedily(op, std::move(patterns), config);
}

std::optional<pulptrain::StaticLoopBounds>
mlir::pulptrain::getStaticLoopBounds(scf::ParallelOp loop) {
  StaticLoopBounds bounds;
  for (auto [lb, ub, step] : llvm::zip(
           loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    bounds.lowerBounds.push_back(*l);
    bounds.steps.push_back(*s);
    bounds.trips.push_back(std::max<int64_t>(0, llvm::divideCeil(*u - *l, *s)));
  }
  return bounds;
}

bool mlir::pulptrain::isStaticallyStrided(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return type.hasStaticShape() &&
         succeeded(type.getStridesAndOffset(strides, offset)) &&
         !ShapedType::isDynamic(offset) &&
         llvm::none_of(strides, ShapedType::isDynamic);
}

int64_t mlir::pulptrain::getNumDmaTransfers(MemRefType type) {
  int64_t count = 1;
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t &size : shape) {
    MemRefType current = MemRefType::get(shape, type.getElementType(),
                                         type.getLayout(),
                                         type.getMemorySpace());
    if (cluster::getDmaShape(current))
      return count;
    count *= size;
    size = 1;
  }
  return count;
}

/// Whether `value` reaches an op that fixes its type from elsewhere: a call
/// (the callee's signature), a function's return (its result types) or a
/// branch to a block.
static bool fixesType(OpOperand &use) {
  Operation *user = use.getOwner();
  if (isa<CallOpInterface, BranchOpInterface>(user))
    return true;
  return user->hasTrait<OpTrait::ReturnLike>() &&
         isa<FunctionOpInterface>(user->getParentOp());
}

FailureOr<SmallVector<Value>>
mlir::pulptrain::getTypedViews(const BufferAliasAnalysis &aliases, Value root,
                               const DenseSet<Value> &placed) {
  SmallVector<Value> views;
  for (Value view : aliases.getViews(root)) {
    if (!isa<BaseMemRefType>(view.getType()))
      continue;
    for (OpOperand &use : view.getUses())
      if (fixesType(use))
        return failure();
    if (view == root)
      continue;
    Operation *owner = isa<BlockArgument>(view)
                           ? view.getParentRegion()->getParentOp()
                           : view.getDefiningOp();
    if (isa<ViewLikeOpInterface>(owner)) {
      // A view has the memory of its source, but for a cast to another.
      if (isa<memref::MemorySpaceCastOp>(owner))
        return failure();
    } else if (isa<RegionBranchOpInterface>(owner)) {
      // Loop-carried and yielded values: of placed buffers only.
      for (const BufferOrigin &origin : aliases.getOrigins(view))
        if (!placed.contains(origin.root))
          return failure();
    } else {
      return failure();
    }
    views.push_back(view);
  }
  return views;
}

bool mlir::pulptrain::writes(Operation *op, Value buffer,
                             const BufferAliasAnalysis &aliases) {
  bool found = false;
  op->walk([&](MemoryEffectOpInterface effects) {
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances)
      found |= isa<MemoryEffects::Write>(effect.getEffect()) &&
               effect.getValue() &&
               aliases.mayAlias(effect.getValue(), buffer);
  });
  return found;
}

bool mlir::pulptrain::mayWrite(Operation *op, Value buffer,
                               const BufferAliasAnalysis &aliases) {
  WalkResult unknown = op->walk([](Operation *nested) {
    if (!isa<MemoryEffectOpInterface>(nested) &&
        !nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return unknown.wasInterrupted() || writes(op, buffer, aliases);
}

void mlir::pulptrain::redirectToCopies(Operation *op, IRMapping &mapping,
                                       const DenseSet<Value> &views,
                                       OpBuilder &before) {
  std::function<Value(Value)> rebuild = [&](Value value) -> Value {
    if (Value mapped = mapping.lookupOrNull(value))
      return mapped;
    Operation *def = value.getDefiningOp();
    for (Value operand : def->getOperands())
      if (views.contains(operand) || mapping.contains(operand))
        rebuild(operand);
    before.clone(*def, mapping);
    return mapping.lookup(value);
  };
  op->walk([&](Operation *nested) {
    for (OpOperand &use : nested->getOpOperands()) {
      Value value = use.get();
      bool outside = !op->isAncestor(
          isa<BlockArgument>(value) ? value.getParentRegion()->getParentOp()
                                    : value.getDefiningOp());
      if (outside && (views.contains(value) || mapping.contains(value)))
        use.set(rebuild(value));
    }
  });
}

bool mlir::pulptrain::readsMaskOnly(Operation *op) {
  if (isa<ReluGradOp>(op))
    return true;
  if (auto pool = dyn_cast<MaxPool2dGradOp>(op))
    return pool.getKernel()[0] * pool.getKernel()[1] <= 256;
  return false;
}

/// The bytes the masks of `v` take for `users`.
static int64_t getMaskBytes(Value v, ArrayRef<Operation *> users) {
  int64_t bytes = 0;
  bool reluMask = false;
  for (Operation *user : users) {
    if (auto pool = dyn_cast<MaxPool2dGradOp>(user))
      bytes += getNumElements(pool.getGradOutput());
    else
      reluMask = true;
  }
  return bytes + (reluMask ? getNumElements(v) : 0);
}

SmallVector<Operation *> mlir::pulptrain::getMaskReaders(Value v) {
  SmallVector<Operation *> readers, others;
  for (Operation *user : v.getUsers())
    (readsMaskOnly(user) && user->getOperand(0) == v ? readers : others)
        .push_back(user);
  // A reshape (a flatten before a Linear layer) is a view of `v` once
  // bufferized: its readers read `v`.
  for (unsigned i = 0; i < others.size(); ++i)
    if (isReshape(others[i]))
      llvm::append_range(others, others[i]->getResult(0).getUsers());
  if (readers.empty() || isa<BlockArgument>(v))
    return {};
  Block *block = v.getDefiningOp()->getBlock();
  Operation *first = nullptr;
  for (Operation *reader : readers) {
    if (reader->getBlock() != block)
      return {};
    if (!first || reader->isBeforeInBlock(first))
      first = reader;
  }
  // Other readers must come before the backward pass (before the first
  // gradient reading `v` in a block without phases), and `v` must be made
  // in the forward pass (not, say, the f32 copy of a saved activation kept
  // in f16, pulptrain-round-saved-activations, which lives in the backward
  // pass only).
  Operation *limit = getBackwardPassStart(*block);
  if (limit && !v.getDefiningOp()->isBeforeInBlock(limit))
    return {};
  if (!limit || first->isBeforeInBlock(limit))
    limit = first;
  for (Operation *other : others) {
    Operation *ancestor = block->findAncestorOpInBlock(*other);
    if (!ancestor || !ancestor->isBeforeInBlock(limit))
      return {};
  }
  if (getMaskBytes(v, readers) >= getTensorBytes(v))
    return {};
  return readers;
}

bool mlir::pulptrain::isReshape(Operation *op) {
  return isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op);
}

Operation *mlir::pulptrain::getBackwardPassStart(Block &block) {
  StringRef forward = getPhaseName(Phase::Forward);
  for (Operation &op : block)
    if (auto phase = op.getAttrOfType<StringAttr>(attrs::kPhase);
        phase && phase.getValue() != forward)
      return &op;
  return nullptr;
}
