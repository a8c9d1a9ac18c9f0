//===- Utils.h - helpers shared by the pulptrain transforms -----*- C++ -*-===//
//
// Static sizes of buffers, static bounds of parallel loops and the values
// that take a buffer's memory space, as the memory planning, state
// placement, tiling, outlining and blocking passes need them; where a
// training step's backward pass starts and which tensor ops are reshapes
// (views once bufferized), for the passes that choose what it keeps.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_LIB_TRANSFORMS_UTILS_H
#define PULPTRAIN_LIB_TRANSFORMS_UTILS_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Support/ByteSize.h"

#include <optional>

namespace mlir::pulptrain {

/// Applies `patterns` greedily to `op` and nothing else: no folding and no
/// constant CSE, the other ops left as they are (for canonicalize). For the
/// passes that rewrite only what their patterns choose.
LogicalResult applyOnlyPatterns(Operation *op, RewritePatternSet &&patterns);

/// Constant lower bounds, steps and trip counts of a parallel loop.
struct StaticLoopBounds {
  SmallVector<int64_t> lowerBounds, steps, trips;
};

/// The bounds of `loop`, or nullopt when one is not a constant or a step is
/// not positive.
std::optional<StaticLoopBounds> getStaticLoopBounds(scf::ParallelOp loop);

/// Whether `type` has a static shape and static strides and offset: a
/// window the DMA moves as one transfer or as rows of such transfers (an
/// operand that is a subview of a larger buffer, e.g. the interior of a
/// padded feature map).
bool isStaticallyStrided(MemRefType type);

/// The DMA transfers that move all of the statically strided `type` (as
/// pulptrain-tile-l1 copies a window): one when it is contiguous or rows at
/// one stride, else one set per index of its outermost dimension of several
/// elements.
int64_t getNumDmaTransfers(MemRefType type);

/// The values derived from the buffer `root` (an allocation or a function
/// argument) that take its memory space when it is placed with the buffers
/// `placed`: its views and the values carried through loops and yielded by
/// region ops. Fails when one cannot change
/// type with it: a value that may also hold a buffer not placed with it (a
/// loop carrying it or a function argument), one made by an op that sets
/// its own type (a call, a memory space cast), or one that a call, a return
/// or a branch takes.
FailureOr<SmallVector<Value>> getTypedViews(const BufferAliasAnalysis &aliases,
                                            Value root,
                                            const DenseSet<Value> &placed);

/// Whether `op` writes `buffer` (or memory it shares) with an effect on a
/// known value.
bool writes(Operation *op, Value buffer, const BufferAliasAnalysis &aliases);

/// Whether `op` may write `buffer`: a known write, or an op whose effects
/// are unknown (it may write anything it can reach).
bool mayWrite(Operation *op, Value buffer, const BufferAliasAnalysis &aliases);

/// Makes `op` (and the ops nested in it) use staged copies: each value of
/// `mapping` (a buffer mapped to its copy, of the same type) and each of
/// `views` (views of those buffers) that `op` takes from outside is
/// replaced, the views rebuilt on the copies with `before` (whose insertion
/// point is before `op`), as pulptrain-place-state and
/// pulptrain-plan-memory stage buffers in L3 around the ops that use them.
void redirectToCopies(Operation *op, IRMapping &mapping,
                      const DenseSet<Value> &views, OpBuilder &before);

/// Whether `op` is a gradient that reads only a mask of its first operand
/// (relu; max pooling with windows of at most 256 elements).
bool readsMaskOnly(Operation *op);

/// The gradients of `v` that can read masks instead (pulptrain-compact-masks),
/// or none if `v` would not die earlier (another reader in the backward pass
/// keeps it) or the masks would not be smaller.
SmallVector<Operation *> getMaskReaders(Value v);

/// Whether `op` reshapes a tensor (collapse or expand), which bufferizes to
/// a view of its operand's buffer.
bool isReshape(Operation *op);

/// The first op of `block` in the backward pass of a training step: the
/// first whose `pulptrain.phase` (pulptrain-autodiff) is not the forward
/// phase; null when no op of `block` has a phase.
Operation *getBackwardPassStart(Block &block);

} // namespace mlir::pulptrain

#endif // PULPTRAIN_LIB_TRANSFORMS_UTILS_H
