//===- Utils.h - helpers shared by the pulptrain transforms -----*- C++ -*-===//
//
// Static sizes of buffers and static bounds of parallel loops, as the
// memory planning, tiling, outlining and blocking passes need them.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_LIB_TRANSFORMS_UTILS_H
#define PULPTRAIN_LIB_TRANSFORMS_UTILS_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"
#include "pulptrain/Support/ByteSize.h"

#include <optional>

namespace mlir::pulptrain {

/// Constant lower bounds, steps and trip counts of a parallel loop.
struct StaticLoopBounds {
  SmallVector<int64_t> lowerBounds, steps, trips;
};

/// The bounds of `loop`, or nullopt when one is not a constant or a step is
/// not positive.
std::optional<StaticLoopBounds> getStaticLoopBounds(scf::ParallelOp loop);

} // namespace mlir::pulptrain

#endif // PULPTRAIN_LIB_TRANSFORMS_UTILS_H
