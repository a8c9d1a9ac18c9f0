//===- ClusterOps.cpp - Ops of the cluster dialect ------------------------===//
//
// Verifiers of the cluster ops, the shape and direction of a DMA transfer.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"

using namespace mlir;
using namespace mlir::pulptrain;
using namespace mlir::pulptrain::cluster;

std::optional<DmaShape> mlir::pulptrain::cluster::getDmaShape(MemRefType type) {
  if (!type.hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  if (type.getNumElements() == 0)
    return DmaShape{1, 0, 0};
  // Dimensions of size 1 do not move the walk.
  SmallVector<std::pair<int64_t, int64_t>> dims; // (size, stride)
  for (auto [size, stride] : llvm::zip(type.getShape(), strides))
    if (size != 1)
      dims.push_back({size, stride});
  // The innermost dimensions that are contiguous form a row.
  int64_t rowElements = 1;
  size_t k = dims.size();
  while (k > 0 && dims[k - 1].second == rowElements) {
    rowElements *= dims[k - 1].first;
    --k;
  }
  if (k == 0)
    return DmaShape{1, rowElements, rowElements};
  // The outer ones must collapse into one dimension of rows.
  int64_t rows = dims[k - 1].first, rowStride = dims[k - 1].second;
  for (size_t i = k - 1; i-- > 0;) {
    if (dims[i].second != dims[i + 1].second * dims[i + 1].first)
      return std::nullopt;
    rows *= dims[i].first;
  }
  if (rowStride < rowElements) // Overlapping rows.
    return std::nullopt;
  return DmaShape{rows, rowElements, rowStride};
}

//===----------------------------------------------------------------------===//
// ForkOp
//===----------------------------------------------------------------------===//

LogicalResult ForkOp::verify() {
  if (static_cast<int64_t>(getArgs().size()) > kMaxArgs)
    return emitOpError("passes ")
           << getArgs().size() << " arguments, more than the " << kMaxArgs
           << " a kernel can take";
  for (auto [index, arg] : llvm::enumerate(getArgs()))
    if (auto type = dyn_cast<MemRefType>(arg.getType());
        type && !type.getLayout().isIdentity())
      return emitOpError("argument #")
             << index << " of type " << type
             << " is not one contiguous buffer (the identity layout)";
  return success();
}

LogicalResult ForkOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto kernel = symbols.lookupNearestSymbolFrom<FunctionOpInterface>(
      *this, getKernelAttr());
  if (!kernel)
    return emitOpError("kernel ")
           << getKernelAttr() << " is not a function of this module";
  auto type = dyn_cast<FunctionType>(kernel.getFunctionType());
  if (!type || type.getNumResults() != 0 ||
      !llvm::equal(type.getInputs(), getArgs().getTypes()))
    return emitOpError("arguments ")
           << getArgs().getTypes() << " do not match kernel "
           << getKernelAttr() << " of type " << kernel.getFunctionType()
           << " (a kernel returns nothing)";
  return success();
}

//===----------------------------------------------------------------------===//
// DmaStartOp
//===----------------------------------------------------------------------===//

DmaDirection DmaStartOp::getDirection() {
  return getMemory(getDst().getType()) == Memory::L1 ? DmaDirection::L2ToL1
                                                     : DmaDirection::L1ToL2;
}

/// Checks that a copy's two sides have one shape and one integer or float
/// element type (the DMA and the L3 channel move bytes, not values).
static LogicalResult verifyCopyTypes(Operation *op, MemRefType src,
                                     MemRefType dst) {
  if (src.getElementType() != dst.getElementType() ||
      src.getShape() != dst.getShape())
    return op->emitOpError("copies ")
           << src << " into " << dst
           << ": source and destination differ in shape or element type";
  if (!src.getElementType().isIntOrFloat())
    return op->emitOpError("moves elements of type ")
           << src.getElementType() << ", not integers or floats";
  return success();
}

LogicalResult DmaStartOp::verify() {
  MemRefType src = getSrc().getType(), dst = getDst().getType();
  if (failed(verifyCopyTypes(*this, src, dst)))
    return failure();
  // The memories of the two sides (L2 without a memory space).
  std::optional<Memory> srcMemory = getMemory(src), dstMemory = getMemory(dst);
  for (auto [name, type, memory] :
       {std::make_tuple("source", src, srcMemory),
        std::make_tuple("destination", dst, dstMemory)})
    if (!memory)
      return emitOpError("the ")
             << name << " (" << type << ") is in memory space "
             << type.getMemorySpace()
             << ", neither #pulptrain.memory<l1> nor #pulptrain.memory<l2>";
  for (auto [name, type, memory] :
       {std::make_tuple("source", src, srcMemory),
        std::make_tuple("destination", dst, dstMemory)})
    if (*memory == Memory::L3)
      return emitOpError("the ")
             << name << " (" << type
             << ") is in L3, which the cluster DMA does not reach: "
                "cluster.l3_start copies between L3 and L2";
  if (*srcMemory == *dstMemory)
    return emitOpError("copies within ")
           << (*srcMemory == Memory::L1 ? "L1" : "L2") << " (" << src
           << " into " << dst
           << "): one side must be in L1 (#pulptrain.memory<l1>), the other "
              "in L2 (#pulptrain.memory<l2> or no memory space)";
  bool toL1 = getDirection() == DmaDirection::L2ToL1;
  StringRef l1Name = toL1 ? "destination" : "source";
  StringRef l2Name = toL1 ? "source" : "destination";
  std::optional<DmaShape> l1 = getDmaShape(getL1Side().getType());
  if (!l1 || !l1->isContiguous())
    return emitOpError("the L1 side (the ")
           << l1Name << ", " << getL1Side().getType()
           << ") must be contiguous";
  if (!getDmaShape(getL2Side().getType()))
    return emitOpError("the L2 side (the ")
           << l2Name << ", " << getL2Side().getType()
           << ") is neither contiguous nor rows at a constant stride";
  return success();
}

//===----------------------------------------------------------------------===//
// L3StartOp
//===----------------------------------------------------------------------===//

bool L3StartOp::isToL3() {
  return getMemory(getDst().getType()) == Memory::L3;
}

LogicalResult L3StartOp::verify() {
  MemRefType src = getSrc().getType(), dst = getDst().getType();
  if (failed(verifyCopyTypes(*this, src, dst)))
    return failure();
  std::optional<Memory> srcMemory = getMemory(src), dstMemory = getMemory(dst);
  auto isL3 = [](std::optional<Memory> m) { return m && *m == Memory::L3; };
  auto isL2 = [](std::optional<Memory> m) { return m && *m == Memory::L2; };
  if (!((isL3(srcMemory) && isL2(dstMemory)) ||
        (isL2(srcMemory) && isL3(dstMemory))))
    return emitOpError("copies ")
           << src << " into " << dst
           << ": one side must be in L3 (#pulptrain.memory<l3>), the other "
              "in L2 (#pulptrain.memory<l2> or no memory space)";
  for (auto [name, type] : {std::make_pair("source", src),
                            std::make_pair("destination", dst)}) {
    std::optional<DmaShape> shape = getDmaShape(type);
    if (!shape || !shape->isContiguous())
      return emitOpError("the ")
             << name << " (" << type << ") must be contiguous";
  }
  return success();
}

#define GET_OP_CLASSES
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.cpp.inc"
