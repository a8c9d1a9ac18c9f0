//===- PulpTrainInterfaces.td - gradient rules and costs ---*- tablegen -*-===//
//
// The op interfaces through which each op carries its own gradient rule and
// its cost, instead of central switches in the passes.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAININTERFACES_TD
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAININTERFACES_TD

include "mlir/IR/OpBase.td"

def PulpTrain_DifferentiableOpInterface
    : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlir::pulptrain";
  let description = [{
    An op that `pulptrain-autodiff` can differentiate: it carries its own
    reverse-mode gradient rule. Given the gradients of its results, the rule
    creates the gradient ops of the backward pass (`*_wgt_grad`,
    `*_in_grad`, ...) and adds their results to the gradients of the
    operands, through a `GradientBuilder` (`GradientBuilder.h`) that the
    autodiff pass implements: it says which operands need a gradient,
    creates ops at the end of the backward pass with the layer of the op
    being differentiated and the given phase (`pulptrain.layer`,
    `pulptrain.phase`), and sums the gradients of values with several uses.

    The pulptrain forward ops implement it next to their definitions
    (`lib/Dialect/PulpTrain/IR/Gradients.cpp`); `tensor.collapse_shape` and
    `tensor.expand_shape` (flatten and unflatten) get it as external models
    (`registerDifferentiableOpInterfaceExternalModels`). An op on the path
    from a trainable parameter to the loss without this interface is
    rejected by the autodiff pass.

    A rule creates the gradients of the weights first, then the gradient of
    the input, as PULP-TrainLib orders a layer's backward kernels.

    Example: the rule of `pulptrain.relu`,
    ```c++
    LogicalResult ReluOp::buildGradient(GradientBuilder &builder,
                                        ArrayRef<Value> resultGrads) {
      Value dy = resultGrads.front();
      Value dx = builder.create<ReluGradOp>(Phase::InGrad, dy.getType(),
                                            getOutput(), dy);
      builder.accumulateGradient(getInput(), dx);
      return success();
    }
    ```
  }];
  let methods = [
    InterfaceMethod<[{
        Creates the ops that compute the gradients of the operands from the
        gradients of the results and accumulates them with
        `builder.accumulateGradient`. `resultGrads` holds one value per
        result, null for a result the loss does not depend on (at least one
        is set). Only operands for which `builder.needsGradient` holds need
        a gradient. Returns failure, after a diagnostic, if the op cannot be
        differentiated.
      }],
      "::llvm::LogicalResult", "buildGradient",
      (ins "::mlir::pulptrain::GradientBuilder &":$builder,
           "::llvm::ArrayRef<::mlir::Value>":$resultGrads)>
  ];
}

def PulpTrain_CostOpInterface : OpInterface<"CostOpInterface"> {
  let cppNamespace = "::mlir::pulptrain";
  let description = [{
    The work an op does by its definition, independent of how it is lowered:
    the multiply-accumulates (MACs) and the bytes it reads of each operand
    and writes to each result. `pulptrain-instrument-layers` records the
    MACs of each layer phase, and `pulptrain-run` divides them by the
    measured cycles (MAC/cycle).

    - MACs count the products that are added to a sum (a fused
      multiply-add each): the dot products of linear layers and
      convolutions and their gradients, the squares summed by the MSE loss,
      the `param - lr * g` of SGD (plus one per element for momentum and
      for weight decay). Ops that only add, compare, copy or apply an
      element-wise function count 0.
    - Bytes read of an operand: the bytes of its elements that the op's
      result depends on, each counted once (the compulsory traffic, not the
      re-reads of a lowering). By default the whole operand; convolutions
      and poolings count the rows and columns of their input under some
      window (a stride above the kernel, or windows ending before the
      input does, skip some).
    - Bytes written of a result: by default the whole result.

    Every pulptrain op implements it; ops whose MACs are not 0 override
    `getMacCount`, windowed ops `getOperandBytesRead`. Ops of other
    dialects have no cost (0 MACs).

    Example (the MACs of `pulptrain.linear`, one per weight element):
    ```c++
    int64_t LinearOp::getMacCount() { return getNumElements(getWeight()); }
    ```
  }];
  let methods = [
    InterfaceMethod<[{
        The multiply-accumulates the op performs by definition. Default: 0,
        for ops that only add, compare, copy or apply element-wise
        functions.
      }],
      "int64_t", "getMacCount", (ins), "", [{ return 0; }]>,
    InterfaceMethod<[{
        The bytes of operand `index` the op reads, each byte counted once.
        Default: the whole operand.
      }],
      "int64_t", "getOperandBytesRead", (ins "unsigned":$index), "",
      [{ return ::mlir::pulptrain::getTensorBytes($_op->getOperand(index)); }]>,
    InterfaceMethod<[{
        The bytes of result `index` the op writes. Default: the whole
        result.
      }],
      "int64_t", "getResultBytesWritten", (ins "unsigned":$index), "",
      [{ return ::mlir::pulptrain::getTensorBytes($_op->getResult(index)); }]>
  ];
  let extraSharedClassDeclaration = [{
    /// The bytes the op reads, over all operands.
    int64_t getBytesRead() {
      int64_t bytes = 0;
      for (unsigned i = 0, e = $_op->getNumOperands(); i < e; ++i)
        bytes += $_op.getOperandBytesRead(i);
      return bytes;
    }
    /// The bytes the op writes, over all results.
    int64_t getBytesWritten() {
      int64_t bytes = 0;
      for (unsigned i = 0, e = $_op->getNumResults(); i < e; ++i)
        bytes += $_op.getResultBytesWritten(i);
      return bytes;
    }
  }];
}

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAININTERFACES_TD
