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

def PulpTrain_MemoryL1 : I32EnumAttrCase<"L1", 1, "l1">;
def PulpTrain_MemoryL2 : I32EnumAttrCase<"L2", 2, "l2">;
def PulpTrain_MemoryL3 : I32EnumAttrCase<"L3", 3, "l3">;
def PulpTrain_Memory : I32EnumAttr<"Memory", "a memory of the PULP cluster",
    [PulpTrain_MemoryL1, PulpTrain_MemoryL2, PulpTrain_MemoryL3]> {
  let cppNamespace = "::mlir::pulptrain";
  let genSpecializedAttr = 0;
}
def PulpTrain_MemoryAttr : EnumAttr<PulpTrain_Dialect, PulpTrain_Memory,
                                    "memory"> {
  let summary = "the memory a buffer is placed in: L1, L2 or L3";
  let description = [{
    A memref memory space: `#pulptrain.memory<l1>` is the cluster's L1
    scratchpad (TCDM, shared by the cores, one or two cycles an access),
    `#pulptrain.memory<l2>` the L2 memory (larger, about ten cycles an
    access; the DMA copies between the two), `#pulptrain.memory<l3>` the
    external memory of PULP MCUs (HyperRAM, megabytes): the cores cannot
    access it, only the L3 DMA channel copies between it and L2
    (`cluster.l3_start`), so no op but that one reads or writes a buffer
    in L3.

    **A memref without a memory space is in L2.** L2 is the default memory
    of a compiled program: the function's arguments (buffers the caller
    owns, docs/TrainStep.md), heap allocations and globals that nothing
    placed elsewhere. `#pulptrain.memory<l2>` says the same explicitly; the
    memory planner writes it on the buffers it placed into L2, and
    `#pulptrain.memory<l1>` on the buffers it placed into L1. Every
    consumer treats a memref without a memory space and one in
    `#pulptrain.memory<l2>` alike:

    * `pulptrain-plan-memory` types the arena and its views with the memory
      it chose; `pulptrain-tile-l1` copies the L2 operands of an op into L1
      tile buffers (typed `#pulptrain.memory<l1>`) and uses L1 operands in
      place;
    * `cluster.dma_start` copies between one side in L1 and one in L2,
      `cluster.l3_start` between one side in L3 and one in L2;
    * `pulptrain-place-state` puts the training state that the L2 budget
      cannot hold in L3 (`l3-size`), and stages it through L2 around each
      op that uses it;
    * `pulptrain-erase-memory-spaces` puts the globals in L1 into the L1
      section of the link script (`.l1_bss`), those in L3 into `.l3` (or
      `.l3_bss` when uninitialised), and removes the memory spaces
      before the conversion to LLVM (all memories share one address space:
      generated code does not depend on them);
    * the C header notes the memory of each buffer argument.

    The attribute implements none of upstream's memory-space interfaces:
    the memref type accepts any attribute of a dialect as memory space (so
    do `bufferization.alloc_tensor` and one-shot bufferization), and the
    interfaces that exist serve other types (`ptr::MemorySpaceAttrInterface`
    for `!ptr.ptr`) or are not consulted by the conversion to LLVM
    (`LLVM::LLVMAddrSpaceAttrInterface`).

    Example:
    ```mlir
    memref.global "private" @__pulptrain_l1_tiles
        : memref<32768xi8, #pulptrain.memory<l1>> = uninitialized
    %tile = memref.view %tiles[%c0][]
        : memref<32768xi8, #pulptrain.memory<l1>>
          to memref<16x64xf32, #pulptrain.memory<l1>>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Base classes and type constraints
//===----------------------------------------------------------------------===//

/// The floating-point element types of the dialect.
def PulpTrain_Float : AnyTypeOf<[F32, F16, BF16]>;

/// A statically shaped tensor of f32, f16 or bf16.
def PulpTrain_Tensor : StaticShapeTensorOf<[F32, F16, BF16]>;

/// A compact mask of the backward pass: one byte (i8) per element
/// (pulptrain-compact-masks).
def PulpTrain_MaskTensor : StaticShapeTensorOf<[I8]>;

/// A counter of the training step: a rank-0 f32 tensor holding a
/// non-negative integer (exact up to 2^24), like PyTorch's Adam
/// `state['step']`. Its type is implied where it appears in assembly.
def PulpTrain_Counter
    : 0DTensorOf<[F32]>,
      BuildableType<"::mlir::RankedTensorType::get({}, $_builder.getF32Type())">;

class PulpTrain_Op<string mnemonic, list<Trait> traits = []>
    : Op<PulpTrain_Dialect, mnemonic, traits>;

/// Compute ops: side-effect free, one element type for every tensor.
class PulpTrain_ComputeOp<string mnemonic, list<Trait> traits = []>
    : PulpTrain_Op<mnemonic,
                   !listconcat([Pure, SameOperandsAndResultElementType],
                               traits)>;

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_TD
