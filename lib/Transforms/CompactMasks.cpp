//===- CompactMasks.cpp - byte masks instead of saved activations ---------===//
//
// Replaces the activations that the backward pass keeps only to read a
// mask of (relu: where positive; max pooling: where each window's maximum
// is) by byte masks computed in the forward pass, so that the activation
// dies at its last forward reader. Upstream has no counterpart: which
// values a training step keeps is a property of our gradient rules.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SetVector.h"
#include "pulptrain/Dialect/PulpTrain/IR/GradientBuilder.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_COMPACTMASKS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The gradients that read only a mask of their first operand.
bool readsMaskOnly(Operation *op) {
  if (isa<ReluGradOp>(op))
    return true;
  if (auto pool = dyn_cast<MaxPool2dGradOp>(op))
    return pool.getKernel()[0] * pool.getKernel()[1] <= 256;
  return false;
}

/// The bytes the masks of `v` take for `users`.
int64_t getMaskBytes(Value v, ArrayRef<Operation *> users) {
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

/// The gradients of `v` that can read masks instead, or none if `v` would
/// not die earlier (another reader in the backward pass keeps it) or the
/// masks would not be smaller.
SmallVector<Operation *> getMaskReaders(Value v) {
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

/// Gives a new op the layer of the gradient it serves, in `phase`.
void copyLayer(Operation *from, Operation *to, Phase phase) {
  if (Attribute layer = from->getAttr(attrs::kLayer))
    to->setAttr(attrs::kLayer, layer);
  if (from->hasAttr(attrs::kPhase))
    to->setAttr(attrs::kPhase,
                StringAttr::get(to->getContext(), getPhaseName(phase)));
}

void compact(Value v, ArrayRef<Operation *> readers) {
  OpBuilder builder(v.getContext());
  builder.setInsertionPointAfterValue(v);
  auto type = cast<RankedTensorType>(v.getType());
  Type i8 = builder.getI8Type();
  Value reluMask;
  for (Operation *reader : readers) {
    OpBuilder before(reader);
    if (auto grad = dyn_cast<ReluGradOp>(reader)) {
      if (!reluMask) {
        auto mask = ReluMaskOp::create(builder, grad.getLoc(),
                                       type.clone(i8), v);
        copyLayer(grad, mask, Phase::Forward);
        reluMask = mask;
      }
      auto replacement = ReluMaskGradOp::create(
          before, grad.getLoc(), grad.getType(), reluMask,
          grad.getGradOutput());
      replacement->setDiscardableAttrs(grad->getDiscardableAttrDictionary());
      grad.replaceAllUsesWith(replacement.getResult());
      grad.erase();
      continue;
    }
    auto grad = cast<MaxPool2dGradOp>(reader);
    auto outputType = cast<RankedTensorType>(grad.getGradOutput().getType());
    // The forward pooling computes the positions too; without one (the
    // gradient of a pooling that is not in this block), a new op does.
    MaxPool2dOp pool;
    for (Operation *user : v.getUsers())
      if (auto candidate = dyn_cast<MaxPool2dOp>(user);
          candidate && candidate->getBlock() == grad->getBlock() &&
          candidate.getKernel() == grad.getKernel() &&
          candidate.getStride() == grad.getStride() &&
          candidate.getPadding() == grad.getPadding() &&
          candidate.getLayout() == grad.getLayout() &&
          candidate.getCeilMode() == grad.getCeilMode())
        pool = candidate;
    OpBuilder atPool = builder;
    if (pool)
      atPool.setInsertionPoint(pool);
    auto positions = MaxPool2dArgmaxOp::create(
        atPool, grad.getLoc(), TypeRange{outputType, outputType.clone(i8)}, v,
        grad.getKernelAttr(), grad.getStrideAttr(), grad.getPaddingAttr(),
        grad.getLayoutAttr(), grad.getCeilModeAttr());
    if (pool) {
      positions->setDiscardableAttrs(pool->getDiscardableAttrDictionary());
      pool.replaceAllUsesWith(positions.getOutput());
      pool.erase();
    } else {
      copyLayer(grad, positions, Phase::Forward);
    }
    auto replacement = MaxPool2dScatterOp::create(
        before, grad.getLoc(), grad.getType(), positions.getPositions(),
        grad.getGradOutput(),
        grad.getKernelAttr(), grad.getStrideAttr(), grad.getPaddingAttr(),
        grad.getLayoutAttr(), grad.getCeilModeAttr());
    replacement->setDiscardableAttrs(grad->getDiscardableAttrDictionary());
    grad.replaceAllUsesWith(replacement.getResult());
    grad.erase();
  }
}

struct CompactMasksPass
    : pulptrain::impl::CompactMasksBase<CompactMasksPass> {
  void runOnOperation() override {
    SetVector<Value> values;
    getOperation()->walk([&](Operation *op) {
      if (readsMaskOnly(op))
        values.insert(op->getOperand(0));
    });
    for (Value v : values) {
      SmallVector<Operation *> readers = getMaskReaders(v);
      if (!readers.empty())
        compact(v, readers);
    }
  }
};

} // namespace
