//===- PulpTrainDialect.td - The pulptrain dialect ---------*- tablegen -*-===//
//
// Tensor-level operations of DNN training steps on PULP clusters.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_TD
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def PulpTrain_Dialect : Dialect {
  let name = "pulptrain";
  let cppNamespace = "::mlir::pulptrain";
  let summary = "Training-step operations for PULP clusters";
  let description = [{
    The `pulptrain` dialect expresses every layer of a DNN training step on
    tensors: the forward op of each layer, its weight-gradient (`*_wgt_grad`)
    and input-gradient (`*_in_grad`) ops, activations with their gradients,
    pooling, normalization, residual additions, losses with their gradients
    and the SGD optimizer update.

    Conventions:
    - Batch size 1: feature maps have no batch dimension. The default layout
      is CHW (`[C, H, W]`); ops with a `layout` attribute also accept HWC
      (`[H, W, C]`). Convolution weights are `[Cout, Cin/groups, Kh, Kw]` in
      CHW and `[Cout, Kh, Kw, Cin/groups]` in HWC (as PULP-TrainLib).
    - Element types are `f32`, `f16` and `bf16`; all tensors of one op share
      the element type (only `pulptrain.cast` changes it).
    - Shapes are static. Result types are written out in the IR and checked by
      the verifiers against the op's shape rule, which is also available as a
      C++ function (`ShapeInference.h`) for builders and passes.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 0;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def PulpTrain_LayoutCHW : I32EnumAttrCase<"CHW", 0, "chw">;
def PulpTrain_LayoutHWC : I32EnumAttrCase<"HWC", 1, "hwc">;
def PulpTrain_Layout : I32EnumAttr<"Layout",
    "memory layout of a feature map (batch 1)",
    [PulpTrain_LayoutCHW, PulpTrain_LayoutHWC]> {
  let cppNamespace = "::mlir::pulptrain";
  let genSpecializedAttr = 0;
}
def PulpTrain_LayoutAttr : EnumAttr<PulpTrain_Dialect, PulpTrain_Layout,
                                    "layout"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Base classes and type constraints
//===----------------------------------------------------------------------===//

/// The floating-point element types of the dialect.
def PulpTrain_Float : AnyTypeOf<[F32, F16, BF16]>;

/// A statically shaped tensor of f32, f16 or bf16.
def PulpTrain_Tensor : StaticShapeTensorOf<[F32, F16, BF16]>;

class PulpTrain_Op<string mnemonic, list<Trait> traits = []>
    : Op<PulpTrain_Dialect, mnemonic, traits>;

/// Compute ops: side-effect free, one element type for every tensor.
class PulpTrain_ComputeOp<string mnemonic, list<Trait> traits = []>
    : PulpTrain_Op<mnemonic,
                   !listconcat([Pure, SameOperandsAndResultElementType],
                               traits)>;

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_TD
