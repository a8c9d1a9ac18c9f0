//===- ModelAttributes.h - names of the model contract ----------*- C++ -*-===//
//
// The discardable attributes and symbols through which the importer, the
// autodiff pass, the memory planning and tiling passes, the C header and
// the driver talk about a model (docs/TrainStep.md).
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_MODELATTRIBUTES_H
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_MODELATTRIBUTES_H

#include "llvm/ADT/StringRef.h"

namespace mlir::pulptrain::attrs {

// Arguments and results of forward models and training steps.
inline constexpr llvm::StringLiteral kInput = "pulptrain.input";
inline constexpr llvm::StringLiteral kParam = "pulptrain.param";
inline constexpr llvm::StringLiteral kTrainable = "pulptrain.trainable";
inline constexpr llvm::StringLiteral kLabel = "pulptrain.label";
inline constexpr llvm::StringLiteral kLoss = "pulptrain.loss";
inline constexpr llvm::StringLiteral kMomentum = "pulptrain.momentum";
/// Training state that is not trained: the running statistics of a batch
/// normalization ("bn.running_mean"), updated by the forward pass.
inline constexpr llvm::StringLiteral kBuffer = "pulptrain.buffer";
/// Adam's state (torch.optim.Adam): the first and second moment of a
/// trainable parameter ("fc.weight"), and the step counter of the optimizer
/// (a rank-0 f32 tensor, the number of updates done, named "adam").
inline constexpr llvm::StringLiteral kExpAvg = "pulptrain.exp_avg";
inline constexpr llvm::StringLiteral kExpAvgSq = "pulptrain.exp_avg_sq";
inline constexpr llvm::StringLiteral kStep = "pulptrain.step";
/// On a forward function: the samples of one training step (a mini-batch),
/// whose gradients the step accumulates before one update.
inline constexpr llvm::StringLiteral kBatch = "pulptrain.batch";

// Ops of a training step.
inline constexpr llvm::StringLiteral kLayer = "pulptrain.layer";
inline constexpr llvm::StringLiteral kPhase = "pulptrain.phase";
/// The linalg.generic an optimizer update lowers to (a unit attribute from
/// convert-pulptrain-to-linalg, removed by pulptrain-fuse-weight-update).
inline constexpr llvm::StringLiteral kOptimizerUpdate =
    "pulptrain.optimizer_update";
/// Ops that pulptrain-recompute computes again for the backward pass: the
/// metadata of their fused location, and the unit attribute that
/// convert-pulptrain-to-linalg gives what it lowers them to, so that CSE
/// keeps them apart from the forward ops they repeat.
inline constexpr llvm::StringLiteral kRecomputedLoc = "pulptrain.recomputed";
inline constexpr llvm::StringLiteral kRecomputed = "pulptrain.recomputed";
/// A reduction whose f16/bf16 result is rounded in its epilogue (a unit
/// attribute from pulptrain-fuse-rounding, on the linalg.generic and on the
/// `arith.extf` of its output value and the `arith.truncf` of its result in
/// the body): the output element is carried in f32 across all reduction
/// iterations and rounded once, not once per iteration as the generic's
/// plain semantics would. Passes that split the reduction keep it whole;
/// pulptrain-promote-accumulators carries the f32 value in a register.
inline constexpr llvm::StringLiteral kF32Accumulator =
    "pulptrain.f32_accumulator";
/// The profiling regions of pulptrain-instrument-layers (a module
/// attribute).
inline constexpr llvm::StringLiteral kProfileRegions =
    "pulptrain.profile_regions";

// Memory: the plan of pulptrain-plan-memory (sizes, for reports), the
// static buffers of the arena and of the L1 tiles. Where a buffer lives is
// the memory space of its type (#pulptrain.memory); the sections of the
// globals in L1 are handed from pulptrain-erase-memory-spaces to
// pulptrain-place-globals across finalize-memref-to-llvm in kSections.
inline constexpr llvm::StringLiteral kMemoryPlan = "pulptrain.memory_plan";
inline constexpr llvm::StringLiteral kSections = "pulptrain.sections";
inline constexpr llvm::StringLiteral kArenaSymbol = "__pulptrain_arena";
inline constexpr llvm::StringLiteral kTilesSymbol = "__pulptrain_l1_tiles";
inline constexpr llvm::StringLiteral kL1BssSection = ".l1_bss";
/// The sections of the external L3 (runtime/riscv32/link.ld): the state
/// a program defines there with its initial values (loaded from the ELF),
/// and zero-initialized buffers.
inline constexpr llvm::StringLiteral kL3Section = ".l3";
inline constexpr llvm::StringLiteral kL3BssSection = ".l3_bss";
// Set by pulptrain-tile-l1 on a module it rejects: the L1 tile budget that
// the largest of the rejected ops' smallest tiles needs (bytes), so that a
// driver sharing L1 between tiles and other buffers can give the tiles
// enough and try again.
inline constexpr llvm::StringLiteral kTileBudgetNeeded =
    "pulptrain.l1_tile_budget_needed";
// Set by pulptrain-tile-l1 on a module where an op whose reduction loops
// it does not tile (not f32) fits the budget only as a nest of small tiles:
// the largest smallest tile of such ops along one loop (bytes), which a
// driver may give the tiles if it can take the L1 from elsewhere.
inline constexpr llvm::StringLiteral kTileBudgetPreferred =
    "pulptrain.l1_tile_budget_preferred";

// The training state (parameters and optimizer buffers) of a training step
// @f, placed by pulptrain-place-state in static buffers of its own, and the
// three functions of its state API: @f_init copies the state in, @f_run
// runs one step on it, @f_read copies the updated state out
// (docs/TrainStep.md, "The state API"). The plan is a module attribute.
inline constexpr llvm::StringLiteral kStateSymbol = "__pulptrain_state_";
inline constexpr llvm::StringLiteral kStatePlan = "pulptrain.state_plan";
inline constexpr llvm::StringLiteral kStateInitSuffix = "_init";
inline constexpr llvm::StringLiteral kStateRunSuffix = "_run";
inline constexpr llvm::StringLiteral kStateReadSuffix = "_read";

} // namespace mlir::pulptrain::attrs

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_MODELATTRIBUTES_H
