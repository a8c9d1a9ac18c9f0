//===- Pipelines.cpp - The staged pass pipeline of pulptrain --------------===//
//
// Builds the stages of the compiler with OpPassManager::addPass (pass
// constructors with typed options, checked when this file compiles) and
// registers each stage and the whole lowering.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "pulptrain/Conversion/Passes.h"
#include "pulptrain/Support/MemorySize.h"
#include "pulptrain/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The index width of `target`'s LLVM code.
unsigned getIndexBitwidth(LoweringTarget target) {
  return target == LoweringTarget::Riscv32 ? 32 : 64;
}

/// The name pulptrain-plan-memory's `arena` option gives `memory`.
std::string getArenaName(ArenaMemory memory) {
  switch (memory) {
  case ArenaMemory::L2:
    return "l2";
  case ArenaMemory::L1:
    return "l1";
  case ArenaMemory::Auto:
    return "auto";
  }
  llvm_unreachable("unknown arena memory");
}

/// The steps option of pulptrain-im2col for `steps`, or nullopt when no
/// step is rewritten. No step given means the input gradient alone: it is
/// the step im2col speeds up on the cluster (docs/Benchmarks.md).
std::optional<SmallVector<std::string>>
getIm2ColSteps(ArrayRef<Im2ColStep> steps) {
  if (steps.empty())
    return SmallVector<std::string>{"in-grad"};
  SmallVector<std::string> names;
  for (Im2ColStep step : steps) {
    std::string name;
    llvm::raw_string_ostream(name) << step;
    if (step != Im2ColStep::None)
      names.push_back(name);
  }
  if (names.empty())
    return std::nullopt;
  return names;
}

} // namespace

bool llvm::cl::parser<MemoryBytes>::parse(Option &option, StringRef,
                                         StringRef arg, MemoryBytes &value) {
  std::optional<uint64_t> size = ::pulptrain::parseMemorySize(arg.str());
  if (!size)
    return option.error("bad memory size '" + arg + "' (" +
                        ::pulptrain::kMemorySizeSyntax + ")");
  value = MemoryBytes(int64_t(*size));
  return false;
}

void llvm::cl::parser<MemoryBytes>::printOptionDiff(
    const Option &option, MemoryBytes value,
    const OptionValue<MemoryBytes> &, size_t globalWidth) const {
  printOptionName(option, globalWidth);
  llvm::outs() << "= " << value << "\n";
}

llvm::raw_ostream &mlir::pulptrain::operator<<(llvm::raw_ostream &os,
                                               MemoryBytes size) {
  return os << size.bytes;
}

llvm::raw_ostream &mlir::pulptrain::operator<<(llvm::raw_ostream &os,
                                               Im2ColStep step) {
  switch (step) {
  case Im2ColStep::Forward:
    return os << "fwd";
  case Im2ColStep::WeightGradient:
    return os << "wgt-grad";
  case Im2ColStep::InputGradient:
    return os << "in-grad";
  case Im2ColStep::None:
    return os << "none";
  }
  llvm_unreachable("unknown im2col step");
}

void mlir::pulptrain::buildTrainStepStage(
    OpPassManager &pm, const TrainStepStageOptions &options) {
  AutodiffOptions autodiff;
  autodiff.forward = options.forward;
  autodiff.stepName = options.name;
  autodiff.loss = options.loss == LossKind::Mse ? "mse" : "cross_entropy";
  autodiff.lr = options.lr;
  autodiff.momentum = options.momentum;
  autodiff.weightDecay = options.weightDecay;
  autodiff.trainable.assign(options.trainable.begin(),
                            options.trainable.end());
  pm.addPass(createAutodiff(autodiff));
  if (options.savedActivations != SavedActivations::Model) {
    RoundSavedActivationsOptions round;
    round.funcName = options.name;
    round.type = options.savedActivations == SavedActivations::F16
                     ? SavedActivationType::F16
                     : SavedActivationType::BF16;
    pm.addPass(createRoundSavedActivations(round));
  }
  if (options.instrument) {
    InstrumentLayersOptions instrument;
    instrument.funcName = options.name;
    pm.addPass(createInstrumentLayers(instrument));
  }
}

void mlir::pulptrain::buildTensorStage(OpPassManager &pm,
                                       const TensorStageOptions &options) {
  // A 32-bit target cannot hold a buffer beyond its signed index range.
  if (options.target == LoweringTarget::Riscv32) {
    CheckBufferSizesOptions check;
    check.maxBytes = std::numeric_limits<int32_t>::max();
    pm.addPass(createCheckBufferSizes(check));
  }
  // Cheap forward values computed again for the backward pass where that
  // lowers the peak; then byte masks for the backward pass where an
  // activation is kept only for the mask of its relu or max-pooling
  // gradient.
  if (options.recompute)
    pm.addPass(createRecompute());
  if (options.compactMasks)
    pm.addPass(createCompactMasks());
  // 16-bit convolutions over channel pairs for the SIMD unit (before
  // im2col, which then takes what does not pair), convolutions as patches
  // and matmuls, then the reference semantics of every other op.
  if (options.simd)
    pm.addPass(createPairChannels());
  if (std::optional<SmallVector<std::string>> steps =
          getIm2ColSteps(options.im2col)) {
    Im2ColOptions im2col;
    im2col.patchBudget = options.patchBudget;
    im2col.steps.assign(steps->begin(), steps->end());
    pm.addPass(createIm2Col(im2col));
  }
  pm.addPass(createConvertPulpTrainToLinalg());
  // f16/bf16 SGD updates in the parameter's type, for the SIMD unit's
  // lane-wise multiply-adds (before the fusion, which needs the marks).
  if (options.simd && options.narrowUpdates)
    pm.addPass(createNarrowUpdates());
  // Weight gradients that only the optimizer reads, computed in its update.
  pm.addPass(createFuseWeightUpdate());
  // f16/bf16 results of element-wise ops rounded where they are computed,
  // without an f32 temporary.
  pm.addPass(createFuseRounding());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Element-wise results in an input that dies at them (after CSE, which
  // could give that input another reader).
  if (options.elementwiseInPlace)
    pm.addPass(createElementwiseInPlace());
}

void mlir::pulptrain::buildBufferizeStage(OpPassManager &pm,
                                          const BufferizeStageOptions &) {
  // One buffer per result: a value returned twice is copied.
  pm.addNestedPass<func::FuncOp>(createDistinctResults());
  // A fill per use, so that no zero buffer is shared (and copied) by the
  // ops of many layers.
  pm.addNestedPass<func::FuncOp>(createRematerializeFills());
  // Results become out-parameters so that callers own every buffer, and
  // arguments stay the caller's.
  pm.addPass(createReadOnlyArguments());
  pm.addPass(createBufferize());
  pm.addPass(createElideResultCopies());
}

void mlir::pulptrain::buildScheduleStage(OpPassManager &pm,
                                         const ScheduleStageOptions &options) {
  // The training state in buffers of its own (L1 within its budget) and
  // the state API; then the temporaries: one static arena, reused by
  // liveness, in the L1 the state leaves.
  PlaceStateOptions state;
  state.l1Size = options.stateL1Size;
  state.externalState = options.externalState;
  state.l2Size = options.stateL2Size;
  state.l3Size = options.l3Size;
  pm.addPass(createPlaceState(state));
  PlanMemoryOptions plan;
  plan.l1Size = options.arenaL1Size;
  plan.l2Size = options.l2Size;
  plan.l2ArenaSize = options.arenaL2Size;
  plan.l2ArenaStrict = options.arenaL2Strict;
  plan.l3Size = options.l3Size;
  plan.arena = getArenaName(options.arena);
  pm.addPass(createPlanMemory(plan));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  // L2-resident ops on L1 tiles, moved by double-buffered DMA.
  TileL1Options tile;
  tile.budget = options.l1TileBudget;
  tile.cores = options.cores;
  pm.addPass(createTileL1(tile));
}

void mlir::pulptrain::buildCodegenStage(OpPassManager &pm,
                                        const CodegenStageOptions &options) {
  // Element-wise ops on contiguous buffers as one loop (pairs where the
  // innermost dimension is odd, one loop's overhead).
  pm.addPass(createCollapseElementwise());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createPromoteAccumulators());
  // Reductions from zero without the fill kernel before them.
  pm.addPass(createFoldZeroFills());
  // f16/bf16 reductions on packed pairs, before blocking (which then
  // blocks and unrolls the pair loops as it does scalar ones).
  if (options.simd)
    pm.addPass(createVectorizePairs());
  // Register blocks of the parallel loops, before the outermost ones become
  // kernels (outlining consumes the scf.parallel form blocking works on).
  // With several cores, a loop too short to feed them all stays unblocked.
  RegisterBlockOptions block;
  block.unroll = options.unroll;
  block.minIterations = options.cores > 1 ? int64_t(options.cores) : 1;
  pm.addPass(createRegisterBlock(block));
  // The loads of the jammed copies first, equal ones merged by CSE.
  pm.addPass(createHoistLoads());
  pm.addPass(createCSEPass());
  if (options.cores > 1) {
    OutlineParallelOptions outline;
    outline.cores = options.cores;
    pm.addPass(createOutlineParallel(outline));
    // Equal kernels (repeated blocks, the forward function's and the
    // training step's forward pass) as one function.
    pm.addPass(createMergeKernels());
  }
  pm.addPass(createLowerAffinePass());
  // bf16 conversions stay for the to-LLVM stage, where the cores' Xfvec
  // rounds a scalar with one instruction.
  pm.addPass(arith::createArithExpandOpsPass());
  // exp, log and tanh inline: no libm call in the element-wise kernels.
  // What math is left (fma, sqrt, floor, absf) becomes LLVM intrinsics,
  // single instructions of the cores (not libm's fmaf, sqrtf, floorf).
  pm.addPass(createApproximateMath());
  pm.addPass(createFuseMultiplyAdd());
}

void mlir::pulptrain::buildLLVMStage(OpPassManager &pm,
                                     const LLVMStageOptions &options) {
  unsigned index = getIndexBitwidth(options.target);
  // The cluster ops as runtime calls (before their address arithmetic meets
  // expand-strided-metadata).
  pm.addPass(createConvertClusterToLLVM());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  // Subviews (of tiles) leave affine.apply behind.
  pm.addPass(createLowerAffinePass());
  // The memory of each global becomes its section; upstream's conversion
  // knows no memory spaces.
  pm.addPass(createEraseMemorySpaces());
  // Packed pairs and scalar bf16 roundings as Xfvec instructions, the
  // pairs' loads and stores as words.
  if (options.target == LoweringTarget::Riscv32 && options.simd) {
    ConvertPairsToXfvecOptions pairs;
    pairs.indexBitwidth = index;
    pm.addPass(createConvertPairsToXfvec(pairs));
  }
  // The bf16 conversions left as integer code (no __truncsfbf2 needed).
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // The LLVM dialect, one bare pointer per memref argument.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.indexBitwidth = index;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createPlaceGlobals());
  pm.addPass(createConvertMathToLLVMPass());
  ArithToLLVMConversionPassOptions arithToLLVM;
  arithToLLVM.indexBitwidth = index;
  pm.addPass(createArithToLLVMConversionPass(arithToLLVM));
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  funcToLLVM.indexBitwidth = index;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  ConvertControlFlowToLLVMPassOptions cfToLLVM;
  cfToLLVM.indexBitwidth = index;
  pm.addPass(createConvertControlFlowToLLVMPass(cfToLLVM));
  pm.addPass(createReconcileUnrealizedCastsPass());
  // What no training step runs (@init_params, @forward and their kernels)
  // is optimized for size: less of LLVM's unrolling to compile.
  pm.addPass(createSizeColdFunctions());
  // The conversions are partial: fail here rather than in the next tool.
  pm.addPass(createVerifyLowered());
}

void mlir::pulptrain::buildLowerToLLVMPipeline(
    OpPassManager &pm, const LowerToLLVMOptions &options) {
  // L1 holds the arena (when it fits) and the tile space.
  int64_t arenaL1 = options.l1Size;
  if (options.l1Size > 0)
    arenaL1 = std::max<int64_t>(1, options.l1Size - options.l1TileBudget);
  // A patch buffer leaves room in the arena for the other temporaries (and
  // the training state, which comes first).
  int64_t patchBudget = options.patchBudget;
  if (patchBudget < 0)
    patchBudget =
        options.l1Size > 0
            ? std::max<int64_t>(1, (arenaL1 - std::min<int64_t>(
                                                  options.stateL1Size,
                                                  arenaL1)) /
                                       2)
            : 0;

  TensorStageOptions tensor;
  tensor.target = options.target;
  tensor.im2col = options.im2col;
  tensor.patchBudget = patchBudget;
  tensor.simd = options.simd && options.target == LoweringTarget::Riscv32;
  tensor.compactMasks = options.compactMasks;
  tensor.recompute = options.recompute;
  tensor.elementwiseInPlace = options.elementwiseInPlace;
  tensor.narrowUpdates = options.narrowUpdates;
  buildTensorStage(pm, tensor);

  buildBufferizeStage(pm, BufferizeStageOptions());

  ScheduleStageOptions schedule;
  schedule.arenaL1Size = arenaL1;
  schedule.l2Size = options.l2Size;
  schedule.arena = options.arena;
  schedule.l1TileBudget = options.l1TileBudget;
  schedule.cores = options.cores;
  // The state's L1 is part of the L1 the tiles leave.
  int64_t stateL1 = options.stateL1Size;
  if (options.l1Size > 0)
    stateL1 = std::min<int64_t>(
        stateL1, std::max<int64_t>(0, options.l1Size - options.l1TileBudget));
  schedule.stateL1Size = stateL1;
  schedule.externalState = options.externalState;
  schedule.stateL2Size = options.stateL2Size;
  schedule.l3Size = options.l3Size;
  schedule.arenaL2Size = options.arenaL2Size;
  schedule.arenaL2Strict = options.arenaL2Strict;
  buildScheduleStage(pm, schedule);

  CodegenStageOptions codegen;
  codegen.cores = options.cores;
  codegen.unroll = options.unroll;
  codegen.simd = options.simd && options.target == LoweringTarget::Riscv32;
  buildCodegenStage(pm, codegen);

  LLVMStageOptions llvm;
  llvm.target = options.target;
  llvm.simd = codegen.simd;
  buildLLVMStage(pm, llvm);
}

void mlir::pulptrain::registerPulpTrainPipelines() {
  PassPipelineRegistration<TrainStepStageOptions>(
      "pulptrain-stage-train-step",
      "Stage 0: derive the training step of the forward model "
      "(pulptrain-autodiff, optionally with profiling regions)",
      buildTrainStepStage);
  PassPipelineRegistration<TensorStageOptions>(
      "pulptrain-stage-tensor",
      "Stage 1: pulptrain ops on tensors to linalg, tensor and scf",
      buildTensorStage);
  PassPipelineRegistration<BufferizeStageOptions>(
      "pulptrain-stage-bufferize",
      "Stage 2: tensors to buffers, every result an out-parameter, "
      "arguments read-only",
      buildBufferizeStage);
  PassPipelineRegistration<ScheduleStageOptions>(
      "pulptrain-stage-schedule",
      "Stage 3: temporaries in one static arena, L2-resident ops on L1 "
      "tiles moved by DMA",
      buildScheduleStage);
  PassPipelineRegistration<CodegenStageOptions>(
      "pulptrain-stage-codegen",
      "Stage 4: parallel loops, register blocks, kernels forked on the "
      "cores, scalar math",
      buildCodegenStage);
  PassPipelineRegistration<LLVMStageOptions>(
      "pulptrain-stage-llvm",
      "Stage 5: the cluster ops as runtime calls, everything as the LLVM "
      "dialect with one bare pointer per buffer",
      buildLLVMStage);
  PassPipelineRegistration<LowerToLLVMOptions>(
      "pulptrain-lower-to-llvm",
      "Stages 1 to 5: pulptrain ops on tensors to the LLVM dialect "
      "(bufferized, out-parameters, bare pointers)",
      buildLowerToLLVMPipeline);
}
