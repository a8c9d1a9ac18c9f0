//===- Costs.cpp - the costs of the pulptrain ops -------------------------===//
//
// CostOpInterface: the multiply-accumulates of the ops that have any. The
// bytes read and written are the interface's defaults (whole operands and
// results) for every op.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

using namespace mlir;
using namespace mlir::pulptrain;

/// Multiply-accumulates of a convolution producing `output` with a weight of
/// type `weight`: every output element sums Cin/groups * Kh * Kw products,
/// which is the weight's element count per output channel (CHW and HWC).
static int64_t getConvMacs(Value output, Value weight) {
  auto weightType = cast<ShapedType>(weight.getType());
  if (!weightType.hasStaticShape() || weightType.getDimSize(0) == 0)
    return 0;
  return getNumElements(output) *
         (weightType.getNumElements() / weightType.getDimSize(0));
}

/// One product per weight element.
int64_t LinearOp::getMacCount() { return getNumElements(getWeight()); }

/// One product per weight element (the outer product).
int64_t LinearWgtGradOp::getMacCount() {
  return getNumElements(getGradWeight());
}

/// One product per weight element (the transposed matrix-vector product).
int64_t LinearInGradOp::getMacCount() { return getNumElements(getWeight()); }

int64_t Conv2dOp::getMacCount() {
  return getConvMacs(getOutput(), getWeight());
}

/// As many products as the forward convolution.
int64_t Conv2dWgtGradOp::getMacCount() {
  return getConvMacs(getGradOutput(), getGradWeight());
}

/// As many products as the forward convolution.
int64_t Conv2dInGradOp::getMacCount() {
  return getConvMacs(getGradOutput(), getWeight());
}

/// The sum of squares: one per element.
int64_t MseLossOp::getMacCount() { return getNumElements(getPrediction()); }

/// `param - lr * g`, plus `momentum * buf + g` and `g + wd * param` when
/// they are not zero: one each per parameter element.
int64_t SgdUpdateOp::getMacCount() {
  int64_t terms = 1 + (getMomentum().isZero() ? 0 : 1) +
                  (getWeightDecay().isZero() ? 0 : 1);
  return terms * getNumElements(getParam());
}
