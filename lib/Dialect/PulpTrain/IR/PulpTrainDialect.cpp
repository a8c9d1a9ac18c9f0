//===- PulpTrainDialect.cpp - The pulptrain dialect -----------------------===//
//
// Registers the dialect's operations and attributes; the memory of memref
// types.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::pulptrain;

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.cpp.inc"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainAttrs.cpp.inc"

void PulpTrainDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Memories of memrefs
//===----------------------------------------------------------------------===//

std::optional<Memory> mlir::pulptrain::getMemory(BaseMemRefType type) {
  Attribute space = type.getMemorySpace();
  if (!space)
    return Memory::L2;
  if (auto memory = dyn_cast<MemoryAttr>(space))
    return memory.getValue();
  return std::nullopt;
}

/// `type` with the memory space `space` (null: none).
static BaseMemRefType withMemorySpace(BaseMemRefType type, Attribute space) {
  if (auto ranked = dyn_cast<MemRefType>(type))
    return MemRefType::Builder(ranked).setMemorySpace(space);
  return UnrankedMemRefType::get(type.getElementType(), space);
}

BaseMemRefType mlir::pulptrain::getTypeInMemory(BaseMemRefType type,
                                                Memory memory) {
  return withMemorySpace(type, MemoryAttr::get(type.getContext(), memory));
}

BaseMemRefType mlir::pulptrain::getTypeWithoutMemorySpace(BaseMemRefType type) {
  return withMemorySpace(type, Attribute());
}
