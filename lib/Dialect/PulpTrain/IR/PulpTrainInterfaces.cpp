//===- PulpTrainInterfaces.cpp - gradient rules and costs -----------------===//
//
// The generated op interfaces of the pulptrain dialect and the helpers they
// share.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"

#include "mlir/IR/BuiltinTypes.h"
#include "pulptrain/Support/ByteSize.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;
using namespace mlir::pulptrain;

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.cpp.inc"

StringRef mlir::pulptrain::getPhaseName(Phase phase) {
  switch (phase) {
  case Phase::Forward:
    return "fwd";
  case Phase::Loss:
    return "loss";
  case Phase::WgtGrad:
    return "wgt_grad";
  case Phase::InGrad:
    return "in_grad";
  case Phase::Update:
    return "update";
  }
  llvm_unreachable("unknown phase");
}

GradientBuilder::~GradientBuilder() = default;

int64_t mlir::pulptrain::getNumElements(Value value) {
  auto type = dyn_cast<ShapedType>(value.getType());
  if (!type || !type.hasStaticShape())
    return 0;
  return type.getNumElements();
}

int64_t mlir::pulptrain::getTensorBytes(Value value) {
  auto type = dyn_cast<ShapedType>(value.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return 0;
  return type.getNumElements() * getElementByteSize(type.getElementType());
}
