//===- ByteSize.h - bytes of elements and static buffers --------*- C++ -*-===//
//
// How many bytes an element and a statically shaped buffer take: one
// definition for the transforms, the analyses and the conversions.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SUPPORT_BYTESIZE_H
#define PULPTRAIN_SUPPORT_BYTESIZE_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MathExtras.h"

#include <optional>

namespace mlir::pulptrain {

/// Bytes of one element of an int or float type (at least one).
inline int64_t getElementByteSize(Type type) {
  return llvm::divideCeil(type.getIntOrFloatBitWidth(), 8);
}

/// Bytes of a statically shaped memref of int or float elements, or
/// nullopt.
inline std::optional<int64_t> getStaticByteSize(MemRefType type) {
  if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return std::nullopt;
  return type.getNumElements() * getElementByteSize(type.getElementType());
}

} // namespace mlir::pulptrain

#endif // PULPTRAIN_SUPPORT_BYTESIZE_H
