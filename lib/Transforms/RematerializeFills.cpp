//===- RematerializeFills.cpp - one filled tensor per use -----------------===//
//
// CSE merges the identical `linalg.fill`s that the lowering creates for
// every accumulator, padded copy and zero-initialized gradient of the same
// shape, so one filled tensor feeds the ops of many layers. One-Shot
// Bufferize must then keep that buffer alive from its first to its last
// use and copy it into a fresh buffer before every op that writes it: the
// step holds a zero buffer per shape for its whole length and pays a copy
// where a fill would do. Merged `tensor.empty`s likewise make the ops of
// many layers write into one buffer that lives across all of them. Filling
// (or creating) again at each use, the opposite of CSE, which upstream
// does not offer as a pass, removes both: each use gets a buffer of its
// own that lives only as long as it is needed. Padded copies of a value
// (an insert_slice into a fill) read again in the backward pass while the
// value itself is still live are built again there instead of being kept:
// memory of the whole forward-to-backward span against one fill and copy.
// The f32 extensions of a saved activation kept in f16 or bf16, which CSE
// merges across the backward ops that read them, are built again per
// reader in the same way.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_REMATERIALIZEFILLS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The tensor `at` keeps writing into when it reads what an earlier user of
/// a shared tensor produced (`users`: each user and the tensor it got),
/// directly or through the op that accumulated into a user's result (the
/// fill of a reduction's init); null otherwise.
Value getChainedTensor(Operation *at,
                       const DenseMap<Operation *, Value> &users) {
  auto tensorOf = [&](Operation *def) {
    return def ? users.lookup(def) : Value();
  };
  for (Value v : at->getOperands()) {
    Operation *def = v.getDefiningOp();
    if (Value tensor = tensorOf(def))
      return tensor;
    if (auto dps = dyn_cast_or_null<DestinationStyleOpInterface>(def))
      for (Value init : dps.getDpsInits())
        if (Value tensor = tensorOf(init.getDefiningOp()))
          return tensor;
  }
  return {};
}

/// Gives every use of `op`'s result but the first one its own clone of
/// `op` (and of `empty`, the tensor `op` fills, if any), built before the
/// op of `op`'s block that holds the use: uses are taken in the order those
/// ops run. With `keepChains`, a use by an op that consumes what an earlier
/// user produced (a loss computed in place on its sum) takes the tensor
/// that user writes into (the shared one, or the user's own clone).
void rematerializePerUse(OpBuilder &builder, Operation *op,
                         tensor::EmptyOp empty, bool keepChains) {
  Block *block = op->getBlock();
  Value result = op->getResult(0);
  bool first = true;
  // The users so far and the tensor each one got.
  DenseMap<Operation *, Value> users;
  // The uses by the op of `block` that holds them.
  DenseMap<Operation *, SmallVector<OpOperand *>> usesAt;
  for (OpOperand &use : result.getUses())
    if (Operation *at = block->findAncestorOpInBlock(*use.getOwner()))
      usesAt[at].push_back(&use);
  for (Operation *at = op->getNextNode(); at && !usesAt.empty();
       at = at->getNextNode()) {
    SmallVector<OpOperand *> uses = usesAt.lookup(at);
    usesAt.erase(at);
    // An op that reads what an earlier user wrote into the shared tensor
    // (directly, or through the op that accumulated into it: the fill of a
    // reduction's init) writes into the tensor that user got: it can then
    // write where it reads.
    Value chained = keepChains ? getChainedTensor(at, users) : Value();
    for (OpOperand *use : uses) {
      if (std::exchange(first, false)) {
        users[at] = use->get();
        continue;
      }
      if (chained) {
        use->set(chained);
        users[at] = chained;
        continue;
      }
      builder.setInsertionPoint(at);
      IRMapping mapping;
      if (empty)
        mapping.map(empty.getResult(), builder.clone(*empty)->getResult(0));
      use->set(builder.clone(*op, mapping)->getResult(0));
      users[at] = use->get();
    }
  }
}

/// Whether `value` is live at `at` (an op of `block`) without help: a block
/// argument of an enclosing region, or a value with a use in `at` or after
/// it.
bool isLiveAt(Value value, Operation *at) {
  if (isa<BlockArgument>(value))
    return true;
  Block *block = at->getBlock();
  return llvm::any_of(value.getUsers(), [&](Operation *user) {
    Operation *ancestor = block->findAncestorOpInBlock(*user);
    return ancestor && (ancestor == at || at->isBeforeInBlock(ancestor));
  });
}

/// A padded copy: `tensor.insert_slice %v into %f`, where `%f` fills a
/// `tensor.empty`, and the reshapes of it (the convolutions read it
/// expanded). When a later op reads it while `%v` is live there anyway
/// (a weight gradient reading the padded input of the forward pass), the
/// chain is built again before that op: the padded buffer then lives only
/// around each reader instead of from the forward to the backward pass, at
/// the cost of one fill and one copy.
void rematerializePaddedCopy(OpBuilder &builder, tensor::InsertSliceOp insert) {
  auto fill = insert.getDest().getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.hasPureTensorSemantics())
    return;
  auto empty = fill.getOutputs().front().getDefiningOp<tensor::EmptyOp>();
  if (!empty || fill->getBlock() != insert->getBlock())
    return;
  // The readers: uses of the copy, through reshapes.
  SmallVector<std::pair<OpOperand *, SmallVector<Operation *>>> readers;
  SmallVector<std::pair<Value, SmallVector<Operation *>>> worklist = {
      {insert.getResult(), {}}};
  while (!worklist.empty()) {
    auto [value, chain] = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user) &&
          user->getBlock() == insert->getBlock()) {
        SmallVector<Operation *> longer = chain;
        longer.push_back(user);
        worklist.push_back({user->getResult(0), longer});
      } else {
        readers.push_back({&use, chain});
      }
    }
  }
  Block *block = insert->getBlock();
  auto position = [&](OpOperand *use) {
    return block->findAncestorOpInBlock(*use->getOwner());
  };
  if (readers.size() < 2 ||
      llvm::any_of(readers, [&](auto &r) { return !position(r.first); }))
    return;
  llvm::sort(readers, [&](auto &a, auto &b) {
    Operation *x = position(a.first), *y = position(b.first);
    return x != y && x->isBeforeInBlock(y);
  });
  Value source = insert.getSource();
  for (auto &[use, chain] : llvm::drop_begin(readers)) {
    Operation *at = position(use);
    if (at == position(readers.front().first) || !isLiveAt(source, at))
      continue;
    builder.setInsertionPoint(at);
    IRMapping mapping;
    for (Operation *op : {empty.getOperation(), fill.getOperation(),
                          insert.getOperation()})
      builder.clone(*op, mapping);
    for (Operation *op : chain)
      builder.clone(*op, mapping);
    use->set(mapping.lookup(use->get()));
  }
}

/// Whether `op` only extends its one input to a wider float type, element
/// by element (the f32 copy of a saved activation kept in f16 or bf16,
/// pulptrain-round-saved-activations).
bool isExtension(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return false;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 2)
    return false;
  auto ext = dyn_cast<arith::ExtFOp>(body.front());
  return ext && ext.getIn() == body.getArgument(0) &&
         body.getTerminator()->getOperand(0) == ext.getResult();
}

/// Gives every reader of an extension but the first its own copy, built
/// right before it: CSE merges the extensions of a saved activation that
/// the backward ops read one by one, and the f32 copy would then live from
/// the first reader to the last.
void rematerializeExtension(OpBuilder &builder, linalg::GenericOp op) {
  Block *block = op->getBlock();
  SmallVector<Operation *> readers;
  for (Operation *user : op->getUsers())
    if (Operation *at = block->findAncestorOpInBlock(*user))
      if (!llvm::is_contained(readers, at))
        readers.push_back(at);
  llvm::sort(readers,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  for (Operation *at : llvm::drop_begin(readers)) {
    builder.setInsertionPoint(at);
    Value copy = builder.clone(*op)->getResult(0);
    op->getResult(0).replaceUsesWithIf(copy, [&](OpOperand &use) {
      return block->findAncestorOpInBlock(*use.getOwner()) == at;
    });
  }
}

struct RematerializeFillsPass
    : pulptrain::impl::RematerializeFillsBase<RematerializeFillsPass> {
  void runOnOperation() override {
    OpBuilder builder(&getContext());
    // Padded copies first: each one built again takes a fill of its own.
    SmallVector<tensor::InsertSliceOp> inserts;
    getOperation().walk(
        [&](tensor::InsertSliceOp insert) { inserts.push_back(insert); });
    for (tensor::InsertSliceOp insert : inserts)
      rematerializePaddedCopy(builder, insert);
    // Extensions next: their copies share the empty tensor, which the
    // empties below split.
    SmallVector<linalg::GenericOp> extensions;
    getOperation().walk([&](linalg::GenericOp op) {
      if (isExtension(op) && !op->getResult(0).hasOneUse())
        extensions.push_back(op);
    });
    for (linalg::GenericOp op : extensions)
      rematerializeExtension(builder, op);

    SmallVector<linalg::FillOp> fills;
    SmallVector<tensor::EmptyOp> empties;
    getOperation().walk([&](Operation *op) {
      if (op->getNumResults() != 1 || op->getResult(0).hasOneUse() ||
          op->getResult(0).use_empty())
        return;
      if (auto fill = dyn_cast<linalg::FillOp>(op)) {
        if (fill.hasPureTensorSemantics() &&
            fill.getOutputs().front().getDefiningOp<tensor::EmptyOp>())
          fills.push_back(fill);
      } else if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
        empties.push_back(empty);
      }
    });
    for (linalg::FillOp fill : fills)
      rematerializePerUse(
          builder, fill,
          fill.getOutputs().front().getDefiningOp<tensor::EmptyOp>(),
          /*keepChains=*/false);
    // Then the empty tensors that still have several uses (the fills' own
    // empties have one use each by now, but may feed other ops too).
    for (tensor::EmptyOp empty : empties)
      if (!empty->getResult(0).hasOneUse())
        rematerializePerUse(builder, empty, {}, /*keepChains=*/true);
  }
};

} // namespace
