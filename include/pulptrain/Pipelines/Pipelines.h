//===- Pipelines.h - The staged pass pipeline of pulptrain --------*- C++ -*-===//
//
// The compiler's pass pipeline in named stages, each built in C++ with
// `OpPassManager::addPass` from a typed option struct, each registered on
// its own (`--pulptrain-stage-*`) so that it can be run and tested alone,
// and composed into the whole lowering (`--pulptrain-lower-to-llvm`).
// docs/Pipeline.md shows what enters and leaves each stage.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_PIPELINES_PIPELINES_H
#define PULPTRAIN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::pulptrain {

/// A byte budget of a pipeline option, written in the memory-size syntax of
/// every tool (pulptrain/Support/MemorySize.h): bytes, or a number with the
/// suffix K, KiB, M or MiB. Converts to and from its bytes.
struct MemoryBytes {
  MemoryBytes(int64_t bytes = 0) : bytes(bytes) {}
  operator int64_t() const { return bytes; }

  int64_t bytes;
};

/// Prints `size` in bytes.
llvm::raw_ostream &operator<<(llvm::raw_ostream &os, MemoryBytes size);

} // namespace mlir::pulptrain

namespace llvm::cl {
/// Parses MemoryBytes options with the parser of every tool.
template <>
class parser<mlir::pulptrain::MemoryBytes>
    : public basic_parser<mlir::pulptrain::MemoryBytes> {
public:
  parser(Option &option) : basic_parser(option) {}

  /// Returns true (with a diagnostic) when `arg` is not a memory size.
  bool parse(Option &option, StringRef argName, StringRef arg,
             mlir::pulptrain::MemoryBytes &value);

  StringRef getValueName() const override { return "size"; }

  /// Prints the value for --help (the default of a class-typed option is
  /// not kept by cl::opt).
  void printOptionDiff(const Option &option, mlir::pulptrain::MemoryBytes value,
                       const OptionValue<mlir::pulptrain::MemoryBytes> &,
                       size_t globalWidth) const;
};
} // namespace llvm::cl

namespace mlir::pulptrain {

/// The machine a lowered program runs on.
enum class LoweringTarget { Host, Riscv32 };

/// The loss of a derived training step.
enum class LossKind { Mse, CrossEntropy };

/// The element type of a training step's saved activations: the model's,
/// or f16 or bf16 in an f32 model (pulptrain-round-saved-activations).
enum class SavedActivations { Model, F16, BF16 };

/// Where the memory plan puts the arena of temporaries.
enum class ArenaMemory { L2, L1, Auto };

/// The Conv2D steps pulptrain-im2col rewrites (`None` rewrites none).
enum class Im2ColStep { Forward, WeightGradient, InputGradient, None };

/// Prints `step` by its option name (fwd, wgt-grad, in-grad, none).
llvm::raw_ostream &operator<<(llvm::raw_ostream &os, Im2ColStep step);

/// Parses the names of Im2ColStep. A list option keeps a parser of its own
/// for the elements, which `llvm::cl::values` does not reach, so the names
/// are added here, when a parser initializes.
class Im2ColStepParser : public llvm::cl::parser<Im2ColStep> {
public:
  using llvm::cl::parser<Im2ColStep>::parser;

  void initialize() {
    llvm::cl::parser<Im2ColStep>::initialize();
    addLiteralOption("fwd", Im2ColStep::Forward, "the forward step");
    addLiteralOption("wgt-grad", Im2ColStep::WeightGradient,
                     "the weight gradient");
    addLiteralOption("in-grad", Im2ColStep::InputGradient,
                     "the input gradient");
    addLiteralOption("none", Im2ColStep::None, "no step");
  }
};

/// The values of the `target` options.
inline llvm::cl::ValuesClass getTargetValues() {
  return llvm::cl::values(
      clEnumValN(LoweringTarget::Host, "host", "the host, 64-bit index"),
      clEnumValN(LoweringTarget::Riscv32, "riscv32",
                 "the PULP cluster, 32-bit index"));
}

/// The values of the `arena` options.
inline llvm::cl::ValuesClass getArenaValues() {
  return llvm::cl::values(
      clEnumValN(ArenaMemory::L2, "l2", "L2"),
      clEnumValN(ArenaMemory::L1, "l1", "L1 (an error if it does not fit)"),
      clEnumValN(ArenaMemory::Auto, "auto",
                 "L1 if it fits, else per buffer in L1 and L2"));
}

/// Stage 0, the training step: the forward model's SGD step.
struct TrainStepStageOptions
    : public PassPipelineOptions<TrainStepStageOptions> {
  Option<std::string> forward{*this, "forward",
                              llvm::cl::desc("Forward function"),
                              llvm::cl::init("forward")};
  Option<std::string> name{*this, "name",
                           llvm::cl::desc("Name of the training step"),
                           llvm::cl::init("train_step")};
  Option<LossKind> loss{
      *this, "loss", llvm::cl::desc("Loss"), llvm::cl::init(LossKind::Mse),
      llvm::cl::values(
          clEnumValN(LossKind::Mse, "mse", "mean squared error"),
          clEnumValN(LossKind::CrossEntropy, "cross_entropy",
                     "softmax cross-entropy against a class score vector"))};
  Option<double> lr{*this, "lr", llvm::cl::desc("SGD learning rate"),
                    llvm::cl::init(0.01)};
  Option<double> momentum{*this, "momentum", llvm::cl::desc("SGD momentum"),
                          llvm::cl::init(0.0)};
  Option<double> weightDecay{*this, "weight-decay",
                             llvm::cl::desc("SGD weight decay"),
                             llvm::cl::init(0.0)};
  ListOption<std::string> trainable{
      *this, "trainable",
      llvm::cl::desc("Layers to train (default: the pulptrain.trainable "
                     "argument attributes)")};
  Option<SavedActivations> savedActivations{
      *this, "saved-activations",
      llvm::cl::desc("Element type of the activations the backward pass "
                     "reads (pulptrain-round-saved-activations)"),
      llvm::cl::init(SavedActivations::Model),
      llvm::cl::values(
          clEnumValN(SavedActivations::Model, "model",
                     "the model's element type"),
          clEnumValN(SavedActivations::F16, "f16",
                     "f32 models: rounded to f16, extended to f32 when read"),
          clEnumValN(SavedActivations::BF16, "bf16",
                     "f32 models: rounded to bf16, extended to f32 when "
                     "read"))};
  Option<bool> instrument{
      *this, "instrument",
      llvm::cl::desc("Bracket every layer phase of the step with profiling "
                     "regions (pulptrain-instrument-layers)"),
      llvm::cl::init(false)};
};

/// Stage 1, tensor level: pulptrain ops to linalg on tensors.
struct TensorStageOptions : public PassPipelineOptions<TensorStageOptions> {
  Option<LoweringTarget> target{
      *this, "target",
      llvm::cl::desc("Code generation target (riscv32 checks buffer sizes "
                     "against its 32-bit address space)"),
      llvm::cl::init(LoweringTarget::Host),
      getTargetValues()};
  ListOption<Im2ColStep, Im2ColStepParser> im2col{
      *this, "im2col",
      llvm::cl::desc("Conv2D steps (except depthwise) lowered to patch "
                     "buffers and matmuls (default: in-grad)")};
  Option<int64_t> patchBudget{
      *this, "patch-budget",
      llvm::cl::desc("Bytes of one im2col patch buffer (0: no limit)"),
      llvm::cl::init(0)};
  Option<bool> simd{
      *this, "simd",
      llvm::cl::desc("FP16/BF16 convolutions reduced over channel pairs "
                     "(pulptrain-pair-channels) for the cores' FP16 SIMD "
                     "unit"),
      llvm::cl::init(false)};
  Option<bool> compactMasks{
      *this, "compact-masks",
      llvm::cl::desc("Byte masks instead of activations kept only for a "
                     "relu or max-pooling gradient (pulptrain-compact-masks)"),
      llvm::cl::init(true)};
  Option<bool> narrowUpdates{
      *this, "narrow-updates",
      llvm::cl::desc("With simd: f16/bf16 SGD updates computed in the "
                     "parameter's type, one rounding per multiply-add "
                     "(pulptrain-narrow-updates; off: in f32, rounded once)"),
      llvm::cl::init(true)};
  Option<bool> elementwiseInPlace{
      *this, "elementwise-in-place",
      llvm::cl::desc("Element-wise results computed in an input that dies "
                     "at them, at the peak of live buffer bytes "
                     "(pulptrain-elementwise-in-place)"),
      llvm::cl::init(true)};
  Option<bool> recompute{
      *this, "recompute",
      llvm::cl::desc("Cheap forward values computed again for the backward "
                     "pass where that lowers the step's peak "
                     "(pulptrain-recompute)"),
      llvm::cl::init(true)};
};

/// Stage 2, bufferization: tensors to buffers, results to out-parameters.
struct BufferizeStageOptions
    : public PassPipelineOptions<BufferizeStageOptions> {};

/// Stage 3, schedule: the memory plan and the L1 tiles moved by DMA.
struct ScheduleStageOptions
    : public PassPipelineOptions<ScheduleStageOptions> {
  Option<MemoryBytes> stateL1Size{
      *this, "state-l1-size",
      llvm::cl::desc("L1 bytes for the training state (parameters, "
                     "optimizer buffers), resident across steps (0: in L2)"),
      llvm::cl::init(0)};
  Option<bool> externalState{
      *this, "external-state",
      llvm::cl::desc("The state buffers are external declarations that the "
                     "program linking the step defines with their initial "
                     "values (pulptrain-place-state)"),
      llvm::cl::init(false)};
  Option<MemoryBytes> stateL2Size{
      *this, "state-l2-size",
      llvm::cl::desc("L2 bytes the training state may take; what does not "
                     "fit goes to L3 within l3-size (0: no limit)"),
      llvm::cl::init(0)};
  Option<MemoryBytes> l3Size{
      *this, "l3-size",
      llvm::cl::desc("L3 bytes for the training state that does not fit "
                     "state-l2-size and the temporaries that do not fit "
                     "arena-l2-size (0: no L3)"),
      llvm::cl::init(0)};
  Option<MemoryBytes> arenaL2Size{
      *this, "arena-l2-size",
      llvm::cl::desc("L2 bytes the L2 arena of the temporaries may take; "
                     "with an L3, the temporaries it cannot hold go there "
                     "(0: no limit)"),
      llvm::cl::init(0)};
  Option<bool> arenaL2Strict{
      *this, "arena-l2-strict",
      llvm::cl::desc("Reject a step whose L2 arena exceeds arena-l2-size "
                     "with what can go to L3 in L3 (false: keep it)"),
      llvm::cl::init(true)};
  Option<MemoryBytes> arenaL1Size{
      *this, "arena-l1-size",
      llvm::cl::desc("L1 bytes the arena may take (0: unlimited)"),
      llvm::cl::init(0)};
  Option<MemoryBytes> l2Size{
      *this, "l2-size",
      llvm::cl::desc("L2 bytes for buffers and arena (0: unlimited)"),
      llvm::cl::init(0)};
  Option<ArenaMemory> arena{
      *this, "arena", llvm::cl::desc("Memory of the buffer arena"),
      llvm::cl::init(ArenaMemory::L2),
      getArenaValues()};
  Option<MemoryBytes> l1TileBudget{
      *this, "l1-tile-budget",
      llvm::cl::desc("L1 bytes for tiles of L2-resident ops, moved by DMA "
                     "(0: compute on L2 directly)"),
      llvm::cl::init(0)};
  Option<int64_t> cores{
      *this, "cores",
      llvm::cl::desc("Cluster cores that compute each tile (the cost model "
                     "of tile nests)"),
      llvm::cl::init(1)};
};

/// Stage 4, codegen: loops, register blocks, kernels on the cores.
struct CodegenStageOptions : public PassPipelineOptions<CodegenStageOptions> {
  Option<int64_t> cores{
      *this, "cores",
      llvm::cl::desc("Cluster cores: above 1, parallel loops become kernels "
                     "forked on all cores"),
      llvm::cl::init(1)};
  Option<int64_t> unroll{
      *this, "unroll",
      llvm::cl::desc("Unroll factor of the register-blocked reductions"),
      llvm::cl::init(4)};
  Option<bool> simd{
      *this, "simd",
      llvm::cl::desc("FP16/BF16 reductions as packed pairs for the cores' "
                     "FP16 SIMD unit (Xfvec; riscv32 only)"),
      llvm::cl::init(false)};
};

/// Stage 5, to LLVM: the LLVM dialect with bare-pointer buffers.
struct LLVMStageOptions : public PassPipelineOptions<LLVMStageOptions> {
  Option<LoweringTarget> target{
      *this, "target", llvm::cl::desc("Code generation target (index width)"),
      llvm::cl::init(LoweringTarget::Host),
      getTargetValues()};
  Option<bool> simd{
      *this, "simd",
      llvm::cl::desc("Packed pairs and scalar bf16 roundings as the cores' "
                     "FP16 SIMD instructions (Xfvec; riscv32 only)"),
      llvm::cl::init(false)};
};

/// Options of the whole lowering, stages 1 to 5 (`--pulptrain-lower-to-llvm`).
/// The sizes are budgets of the whole L1; the stages get their shares.
struct LowerToLLVMOptions : public PassPipelineOptions<LowerToLLVMOptions> {
  Option<LoweringTarget> target{
      *this, "target",
      llvm::cl::desc("Code generation target (sets the index width)"),
      llvm::cl::init(LoweringTarget::Host),
      getTargetValues()};
  Option<MemoryBytes> l1Size{
      *this, "l1-size",
      llvm::cl::desc("L1 bytes for data: the buffer arena (in L1 when it "
                     "fits next to the tiles) and the tiles (0: unlimited)"),
      llvm::cl::init(0)};
  Option<MemoryBytes> l2Size{
      *this, "l2-size",
      llvm::cl::desc("L2 bytes for buffers and arena (0: unlimited)"),
      llvm::cl::init(0)};
  Option<int64_t> cores{
      *this, "cores",
      llvm::cl::desc("Cluster cores: above 1, parallel loops become kernels "
                     "forked on all cores"),
      llvm::cl::init(1)};
  Option<MemoryBytes> l1TileBudget{
      *this, "l1-tile-budget",
      llvm::cl::desc("L1 bytes for tiles of L2-resident ops, moved by DMA "
                     "(0: compute on L2 directly)"),
      llvm::cl::init(0)};
  Option<MemoryBytes> stateL1Size{
      *this, "state-l1-size",
      llvm::cl::desc("L1 bytes for the training state (parameters, "
                     "optimizer buffers), resident across steps; the arena "
                     "gets what the tiles and the state leave (0: state in "
                     "L2)"),
      llvm::cl::init(0)};
  Option<bool> externalState{
      *this, "external-state",
      llvm::cl::desc("The state buffers are external declarations that the "
                     "program linking the step defines with their initial "
                     "values (pulptrain-place-state)"),
      llvm::cl::init(false)};
  Option<MemoryBytes> stateL2Size{
      *this, "state-l2-size",
      llvm::cl::desc("L2 bytes the training state may take; what does not "
                     "fit goes to L3 within l3-size (0: no limit)"),
      llvm::cl::init(0)};
  Option<MemoryBytes> l3Size{
      *this, "l3-size",
      llvm::cl::desc("L3 bytes for the training state that does not fit "
                     "state-l2-size and the temporaries that do not fit "
                     "arena-l2-size (0: no L3)"),
      llvm::cl::init(0)};
  Option<MemoryBytes> arenaL2Size{
      *this, "arena-l2-size",
      llvm::cl::desc("L2 bytes the L2 arena of the temporaries may take; "
                     "with an L3, the temporaries it cannot hold go there "
                     "(0: no limit)"),
      llvm::cl::init(0)};
  Option<bool> arenaL2Strict{
      *this, "arena-l2-strict",
      llvm::cl::desc("Reject a step whose L2 arena exceeds arena-l2-size "
                     "with what can go to L3 in L3 (false: keep it)"),
      llvm::cl::init(true)};
  ListOption<Im2ColStep, Im2ColStepParser> im2col{
      *this, "im2col",
      llvm::cl::desc("Conv2D steps (except depthwise) lowered to patch "
                     "buffers and matmuls by pulptrain-im2col (default: "
                     "in-grad)")};
  Option<int64_t> patchBudget{
      *this, "patch-budget",
      llvm::cl::desc("Bytes of one im2col patch buffer (-1: half the L1 "
                     "bytes the tiles leave to the arena, or no limit "
                     "without l1-size)"),
      llvm::cl::init(-1)};
  Option<ArenaMemory> arena{
      *this, "arena", llvm::cl::desc("Memory of the buffer arena"),
      llvm::cl::init(ArenaMemory::L2),
      getArenaValues()};
  Option<int64_t> unroll{
      *this, "unroll",
      llvm::cl::desc("Unroll factor of the register-blocked reductions "
                     "(scalar or packed pairs)"),
      llvm::cl::init(4)};
  Option<bool> simd{
      *this, "simd",
      llvm::cl::desc("On riscv32: FP16/BF16 reductions as packed pairs on "
                     "the cores' FP16 SIMD unit (Xfvec; off for a "
                     "standard-ISA build)"),
      llvm::cl::init(true)};
  Option<bool> compactMasks{
      *this, "compact-masks",
      llvm::cl::desc("Byte masks instead of activations kept only for a "
                     "relu or max-pooling gradient (pulptrain-compact-masks)"),
      llvm::cl::init(true)};
  Option<bool> narrowUpdates{
      *this, "narrow-updates",
      llvm::cl::desc("With simd: f16/bf16 SGD updates computed in the "
                     "parameter's type, one rounding per multiply-add "
                     "(pulptrain-narrow-updates; off: in f32, rounded once)"),
      llvm::cl::init(true)};
  Option<bool> elementwiseInPlace{
      *this, "elementwise-in-place",
      llvm::cl::desc("Element-wise results computed in an input that dies "
                     "at them, at the peak of live buffer bytes "
                     "(pulptrain-elementwise-in-place)"),
      llvm::cl::init(true)};
  Option<bool> recompute{
      *this, "recompute",
      llvm::cl::desc("Cheap forward values computed again for the backward "
                     "pass where that lowers the step's peak "
                     "(pulptrain-recompute)"),
      llvm::cl::init(true)};
};

/// Stage 0: derives the training step from the forward model
/// (pulptrain-autodiff), optionally with profiling regions.
void buildTrainStepStage(OpPassManager &pm,
                         const TrainStepStageOptions &options);

/// Stage 1: pulptrain ops on tensors to linalg, tensor and scf on tensors.
void buildTensorStage(OpPassManager &pm, const TensorStageOptions &options);

/// Stage 2: one buffer per result, read-only arguments, One-Shot Bufferize
/// with results as out-parameters.
void buildBufferizeStage(OpPassManager &pm,
                         const BufferizeStageOptions &options);

/// Stage 3: temporaries in one static arena, L2-resident ops on L1 tiles
/// moved by DMA.
void buildScheduleStage(OpPassManager &pm,
                        const ScheduleStageOptions &options);

/// Stage 4: parallel loops, accumulators in registers, register blocks,
/// kernels forked on the cores, scalar math.
void buildCodegenStage(OpPassManager &pm, const CodegenStageOptions &options);

/// Stage 5: the cluster ops as runtime calls and everything else as the
/// LLVM dialect, one bare pointer per memref argument.
void buildLLVMStage(OpPassManager &pm, const LLVMStageOptions &options);

/// Stages 1 to 5, their options derived from `options`.
void buildLowerToLLVMPipeline(OpPassManager &pm,
                              const LowerToLLVMOptions &options);

/// Registers the stages (`--pulptrain-stage-train-step`, `-tensor`,
/// `-bufferize`, `-schedule`, `-codegen`, `-llvm`) and the whole lowering
/// (`--pulptrain-lower-to-llvm`) with the pass registry.
void registerPulpTrainPipelines();

} // namespace mlir::pulptrain

#endif // PULPTRAIN_PIPELINES_PIPELINES_H
