//===- ClusterOps.td - The cluster dialect -----------------*- tablegen -*-===//
//
// What a PULP cluster does, as ops: forks over the cores, core ids,
// barriers, DMA between L2 and L1 and between L3 and L2 with tokens, and
// profiling regions.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTEROPS_TD
#define PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTEROPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Cluster_Dialect : Dialect {
  let name = "cluster";
  let cppNamespace = "::mlir::pulptrain::cluster";
  let summary = "The cores, DMA and profiling counters of a PULP cluster";
  let description = [{
    The `cluster` dialect makes the cluster visible in the IR, so that the
    passes of the schedule and codegen stages can see and rewrite it: which
    code runs on all cores (`cluster.fork` of a kernel function), which core
    is running (`cluster.core_id`, `cluster.num_cores`), where the cores
    wait for each other (`cluster.barrier`), which bytes the DMA moves
    between L2 and L1 and when (`cluster.dma_start` returning a
    `!cluster.dma_token`, `cluster.dma_wait`), which bytes the L3 channel
    moves between the external L3 and L2 (`cluster.l3_start`,
    `cluster.l3_wait`), and which code a profiling
    region brackets (`cluster.profile_enter`, `cluster.profile_exit`).

    The ops are lowered in one place, `convert-cluster-to-llvm`
    (`lib/Conversion/ClusterToLLVM/`), to calls of the C runtime
    (`runtime/include/pulptrain_rt.h`): no other part of the compiler names
    a runtime function.
  }];
  let useDefaultTypePrinterParser = 1;
  // The memory spaces of DMA operands.
  let dependentDialects = ["::mlir::pulptrain::PulpTrainDialect"];
}

//===----------------------------------------------------------------------===//
// Types and attributes
//===----------------------------------------------------------------------===//

def Cluster_DmaToken : TypeDef<Cluster_Dialect, "DmaToken"> {
  let mnemonic = "dma_token";
  let summary = "an enqueued DMA transfer";
  let description = [{
    Names one transfer started by `cluster.dma_start`; `cluster.dma_wait`
    on it returns once the transfer is complete.
  }];
}

// The direction of a transfer follows from the memories of its sides; the
// values are those of the runtime's pulptrain_dma_dir_t.
def Cluster_L2ToL1 : I32EnumCase<"L2ToL1", 0, "l2_to_l1">;
def Cluster_L1ToL2 : I32EnumCase<"L1ToL2", 1, "l1_to_l2">;
def Cluster_DmaDirection : I32Enum<"DmaDirection",
    "direction of a DMA transfer", [Cluster_L2ToL1, Cluster_L1ToL2]> {
  let cppNamespace = "::mlir::pulptrain::cluster";
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

class Cluster_Op<string mnemonic, list<Trait> traits = []>
    : Op<Cluster_Dialect, mnemonic, traits>;

def Cluster_CoreIdOp : Cluster_Op<"core_id", [Pure]> {
  let summary = "the id of the core that runs this code";
  let description = [{
    In a kernel run by `cluster.fork`: the id of the calling core, from 0 to
    `cluster.num_cores` - 1. Outside a fork: 0 (the master core).

    ```mlir
    %id = cluster.core_id
    ```
  }];
  let results = (outs Index:$id);
  let assemblyFormat = "attr-dict";
}

def Cluster_NumCoresOp : Cluster_Op<"num_cores", [Pure]> {
  let summary = "the number of cores that run this code";
  let description = [{
    In a kernel run by `cluster.fork`: the number of cores of the team that
    runs it. Outside a fork: 1.

    ```mlir
    %n = cluster.num_cores
    ```
  }];
  let results = (outs Index:$count);
  let assemblyFormat = "attr-dict";
}

// Barriers, forks, waits and profiling brackets order every access to
// memory around them: they read and write all of it.
def Cluster_OrdersMemory : MemoryEffects<[MemRead, MemWrite]>;

def Cluster_BarrierOp : Cluster_Op<"barrier", [Cluster_OrdersMemory]> {
  let summary = "wait until every core of the team gets here";
  let description = [{
    In a kernel run by `cluster.fork`: returns once every core of the team
    has reached it; memory written before it by any core is visible after
    it to all.

    ```mlir
    cluster.barrier
    ```
  }];
  let assemblyFormat = "attr-dict";
}

def Cluster_ForkOp : Cluster_Op<"fork",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>, Cluster_OrdersMemory]> {
  let summary = "run a kernel function on every core of the cluster";
  let description = [{
    Runs the function `kernel` on every core of the cluster with the same
    arguments, and returns once all cores have returned from it (the fork
    joins with a barrier). The kernel tells the cores apart with
    `cluster.core_id` and `cluster.num_cores`. Arguments are statically
    shaped memrefs with the identity layout (passed as one pointer each) or
    indices; at most 16 of them (the runtime's argument vector).

    ```mlir
    func.func private @step_kernel0(%x: memref<64xf32>, %n: index) {
      %id = cluster.core_id
      ...
      return
    }
    ...
    cluster.fork @step_kernel0(%buffer, %tile) : memref<64xf32>, index
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$kernel,
                       Variadic<AnyTypeOf<[Index, AnyStaticShapeMemRef]>>:$args);
  let assemblyFormat = [{
    $kernel `(` $args `)` attr-dict (`:` type($args)^)?
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Arguments the runtime can pass to a kernel.
    static constexpr int64_t kMaxArgs = 16;
  }];
}

def Cluster_DmaStartOp : Cluster_Op<"dma_start"> {
  let summary = "start an asynchronous DMA copy between L2 and L1";
  let description = [{
    Enqueues a copy of every element of `src` into `dst` (same shape and
    element type) and returns at once with a token; `dst` may be read, and
    `src` overwritten, only after `cluster.dma_wait` on the token.
    Transfers complete in the order they were started.

    One side is in L1 (`#pulptrain.memory<l1>`), the other in L2
    (`#pulptrain.memory<l2>`, or no memory space: L2 is the default
    memory); their memory spaces give the direction, L2 to L1 or L1 to L2,
    and the verifier rejects a copy within one memory. The L1 side is
    contiguous. The L2 side is contiguous (a 1-D transfer) or rows of
    contiguous elements at a constant distance (a strided 2-D transfer,
    e.g. one tile of a larger array); memrefs with other layouts are
    rejected.

    ```mlir
    %t = cluster.dma_start %tile, %buffer
        : memref<4x16xf32, strided<[64, 1], offset: ?>>
          to memref<4x16xf32, #pulptrain.memory<l1>>
    ```
  }];
  let arguments = (ins Arg<AnyStaticShapeMemRef, "", [MemRead]>:$src,
                       Arg<AnyStaticShapeMemRef, "", [MemWrite]>:$dst);
  let results = (outs Cluster_DmaToken:$token);
  let assemblyFormat = [{
    $src `,` $dst attr-dict `:` type($src) `to` type($dst)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$src, "::mlir::Value":$dst), [{
      build($_builder, $_state, DmaTokenType::get($_builder.getContext()),
            src, dst);
    }]>
  ];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// L2 to L1 when the destination is in L1, else L1 to L2 (the verifier
    /// checks that the other side is in the other memory).
    DmaDirection getDirection();
    /// The side in L2 and the side in L1.
    ::mlir::TypedValue<::mlir::MemRefType> getL2Side() {
      return getDirection() == DmaDirection::L2ToL1 ? getSrc() : getDst();
    }
    ::mlir::TypedValue<::mlir::MemRefType> getL1Side() {
      return getDirection() == DmaDirection::L2ToL1 ? getDst() : getSrc();
    }
  }];
}

def Cluster_DmaWaitOp : Cluster_Op<"dma_wait", [Cluster_OrdersMemory]> {
  let summary = "wait for DMA transfers to complete";
  let description = [{
    Returns once the transfers of the given tokens are complete; without
    tokens, once every transfer started so far is complete. The tokens
    follow the keyword `on`, so that a wait on all transfers is not read
    as a wait on the value defined next.

    ```mlir
    cluster.dma_wait on %t0, %t1
    cluster.dma_wait
    ```
  }];
  let arguments = (ins Variadic<Cluster_DmaToken>:$tokens);
  let assemblyFormat = "(`on` $tokens^)? attr-dict";
}

def Cluster_L3Token : TypeDef<Cluster_Dialect, "L3Token"> {
  let mnemonic = "l3_token";
  let summary = "an enqueued L3 DMA transfer";
  let description = [{
    Names one transfer started by `cluster.l3_start`; `cluster.l3_wait` on
    it returns once the transfer is complete. The L3 channel is not the
    cluster DMA: its tokens are of their own type, and `cluster.dma_wait`
    does not wait for them.
  }];
}

def Cluster_L3StartOp : Cluster_Op<"l3_start"> {
  let summary = "start an asynchronous copy between L3 and L2";
  let description = [{
    Enqueues a copy of every element of `src` into `dst` (same shape and
    element type) on the L3 DMA channel (the SoC's micro-DMA of PULP MCUs,
    which reaches the external HyperRAM) and returns at once with a token;
    `dst` may be read, and `src` overwritten, only after `cluster.l3_wait`
    on the token. Transfers complete in the order they were started.

    One side is in L3 (`#pulptrain.memory<l3>`), the other in L2
    (`#pulptrain.memory<l2>` or no memory space); their memory spaces give
    the direction. The cores cannot access L3 and the channel does not
    reach L1: a buffer in L3 goes to L1 through L2, by this op and then
    `cluster.dma_start`. Both sides are contiguous (the channel moves one
    run of bytes).

    ```mlir
    %t = cluster.l3_start %state, %staged
        : memref<64x128xf32, #pulptrain.memory<l3>> to memref<64x128xf32>
    cluster.l3_wait on %t
    ```
  }];
  let arguments = (ins Arg<AnyStaticShapeMemRef, "", [MemRead]>:$src,
                       Arg<AnyStaticShapeMemRef, "", [MemWrite]>:$dst);
  let results = (outs Cluster_L3Token:$token);
  let assemblyFormat = [{
    $src `,` $dst attr-dict `:` type($src) `to` type($dst)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$src, "::mlir::Value":$dst), [{
      build($_builder, $_state, L3TokenType::get($_builder.getContext()),
            src, dst);
    }]>
  ];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Whether the copy goes from L2 into L3 (else from L3 into L2).
    bool isToL3();
  }];
}

def Cluster_L3WaitOp : Cluster_Op<"l3_wait", [Cluster_OrdersMemory]> {
  let summary = "wait for L3 transfers to complete";
  let description = [{
    Returns once the L3 transfers of the given tokens are complete; without
    tokens, once every L3 transfer started so far is complete.

    ```mlir
    cluster.l3_wait on %t0, %t1
    cluster.l3_wait
    ```
  }];
  let arguments = (ins Variadic<Cluster_L3Token>:$tokens);
  let assemblyFormat = "(`on` $tokens^)? attr-dict";
}

def Cluster_ProfileEnterOp : Cluster_Op<"profile_enter",
                                         [Cluster_OrdersMemory]> {
  let summary = "enter a profiling region";
  let description = [{
    Starts attributing the cluster's performance counters to region
    `region` (an index into the module's `pulptrain.profile_regions`
    table, written by `pulptrain-instrument-layers`), until the matching
    `cluster.profile_exit`.

    ```mlir
    cluster.profile_enter 3
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$region);
  let assemblyFormat = "$region attr-dict";
}

def Cluster_ProfileExitOp : Cluster_Op<"profile_exit",
                                        [Cluster_OrdersMemory]> {
  let summary = "leave a profiling region";
  let description = [{
    Ends the profiling region `region` that `cluster.profile_enter` began.

    ```mlir
    cluster.profile_exit 3
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$region);
  let assemblyFormat = "$region attr-dict";
}

//===----------------------------------------------------------------------===//
// Packed-pair arithmetic of the cores' FP16 SIMD unit
//===----------------------------------------------------------------------===//

// Two 16-bit floats in one 32-bit register: lane 0 in bits 15:0.
def Cluster_FloatPair : VectorOfLengthAndType<[2], [F16, BF16]>;

def Cluster_DotpexOp : Cluster_Op<"dotpex",
    [Pure, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "widening dot product of two 16-bit float pairs, rounded once";
  let description = [{
    `acc + lhs[0] * rhs[0] + lhs[1] * rhs[1]` computed exactly and rounded
    once to f32 (round to nearest even): the cores' `vfdotpex.s.h` (f16
    pairs) and `vfdotpex.s.ah` (bf16 pairs). No upstream op states this
    rounding: `vector.contract` and `vector.reduction` leave the order and
    the rounding of a mixed-precision sum open. It is also the reference
    semantics of the f16 and bf16 reductions (f32 accumulation; see
    `lib/Conversion/PulpTrainToLinalg/LoweringUtils.h`), so vectorized and
    scalar code agree within the golden tolerances.

    `pulptrain-vectorize-pairs` creates it from reduction loops;
    `convert-pairs-to-xfvec` lowers it to the instruction.

    ```mlir
    %a = vector.load %x[%i] : memref<64xf16>, vector<2xf16>
    %b = vector.load %w[%i] : memref<64xf16>, vector<2xf16>
    %sum = cluster.dotpex %a, %b, %acc : vector<2xf16>
    ```
  }];
  let arguments = (ins Cluster_FloatPair:$lhs, Cluster_FloatPair:$rhs,
                       F32:$acc);
  let results = (outs F32:$result);
  let assemblyFormat = "$lhs `,` $rhs `,` $acc attr-dict `:` type($lhs)";
}

def Cluster_PackOp : Cluster_Op<"pack", [Pure]> {
  let summary = "two f32 values rounded into one 16-bit float pair";
  let description = [{
    `lo` and `hi` each rounded to the pair's element type (round to nearest
    even, as `arith.truncf`), `lo` in lane 0 (bits 15:0): the cores'
    `vfcpka.h.s` (f16 pairs) and `vfcpka.ah.s` (bf16 pairs).
    `arith.truncf` of a `vector<2xf32>` says the same, but
    `convert-pairs-to-xfvec` rounds only scalars (`vfcvt.ah.s`), and
    `arith-expand{include-bf16}` rewrites the vector's bf16 `truncf` into
    integer code (about eight instructions per value); this op keeps the
    pack whole until `convert-pairs-to-xfvec`.

    `pulptrain-vectorize-pairs` creates it for the paired stores of
    element-wise loops; `convert-pairs-to-xfvec` lowers it to the
    instruction.

    ```mlir
    %p = cluster.pack %y0, %y1 : vector<2xbf16>
    vector.store %p, %out[%i] : memref<64xbf16>, vector<2xbf16>
    ```
  }];
  let arguments = (ins F32:$lo, F32:$hi);
  let results = (outs Cluster_FloatPair:$result);
  let assemblyFormat = "$lo `,` $hi attr-dict `:` type($result)";
}

#endif // PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTEROPS_TD
