//===- PulpTrainDialect.h - The pulptrain dialect -----------------*- C++ -*-===//
//
// Declares the pulptrain dialect and its attributes, and reads and writes
// the memory (L1 or L2) of memref types.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_H
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include <optional>

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h.inc"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainAttrs.h.inc"

namespace mlir::pulptrain {

/// The memory of a memref: its `#pulptrain.memory`, L2 when it has no
/// memory space (the default memory, see MemoryAttr), or nullopt when it has
/// a memory space of another kind.
std::optional<Memory> getMemory(BaseMemRefType type);

/// `type` with the memory space `#pulptrain.memory<memory>`.
BaseMemRefType getTypeInMemory(BaseMemRefType type, Memory memory);

/// `type` without a memory space.
BaseMemRefType getTypeWithoutMemorySpace(BaseMemRefType type);

} // namespace mlir::pulptrain

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_H
