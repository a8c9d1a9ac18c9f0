//===- ClusterOps.h - Ops of the cluster dialect ------------------*- C++ -*-===//
//
// Declares the cluster ops and the shape of a DMA transfer.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTEROPS_H
#define PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTEROPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterDialect.h"

#include <optional>

namespace mlir::pulptrain::cluster {

/// How the DMA walks one side of a transfer: `rows` rows of `rowElements`
/// contiguous elements, consecutive rows `rowStride` elements apart (one
/// row, or rows back to back, is a contiguous 1-D transfer).
struct DmaShape {
  int64_t rows = 1, rowElements = 0, rowStride = 0;
  bool isContiguous() const { return rows == 1 || rowStride == rowElements; }
};

/// The DMA shape of a statically shaped memref with static strides (the
/// offset may be dynamic), or nullopt when its elements are not rows at a
/// constant distance.
std::optional<DmaShape> getDmaShape(MemRefType type);

} // namespace mlir::pulptrain::cluster

#define GET_OP_CLASSES
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h.inc"

#endif // PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTEROPS_H
