//===- Compile.cpp - pulptrain-run: the training step to an object --------===//
//
// Parses the model, derives and instruments the training step, lowers it
// with the reference pipeline and emits LLVM IR, assembly or an object.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Pipelines/Pipelines.h"
#include "pulptrain/Transforms/Passes.h"
#include "pulptrain/platform.h"
#include "pulptrain/prof.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::pulptrain;
using namespace mlir::pulptrain::run;

namespace {

constexpr llvm::StringLiteral kForward = "forward";
constexpr llvm::StringLiteral kInitParams = "init_params";
constexpr llvm::StringLiteral kRegionsAttr = attrs::kProfileRegions;

/// "f32", "f16", "bf16", or empty for other types.
std::string getDtypeName(Type type) {
  if (type.isF32())
    return "f32";
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  return "";
}

bool runPass(ModuleOp module, std::unique_ptr<Pass> pass) {
  PassManager pm(module.getContext());
  pm.addPass(std::move(pass));
  return succeeded(pm.run(module));
}

/// Reads the region table the instrumentation pass attached.
bool readRegions(ModuleOp module, std::vector<ProfileRegion> &regions) {
  auto table = module->getAttrOfType<ArrayAttr>(kRegionsAttr);
  if (!table)
    return fail("the instrumented module has no region table");
  regions.clear();
  for (Attribute entry : table) {
    auto dict = cast<DictionaryAttr>(entry);
    ProfileRegion region;
    region.id = dict.getAs<IntegerAttr>("id").getInt();
    region.layer = dict.getAs<StringAttr>("layer").str();
    region.phase = dict.getAs<StringAttr>("phase").str();
    region.macs = dict.getAs<IntegerAttr>("macs").getInt();
    if (auto into = dict.getAs<IntegerAttr>("fused_into"))
      region.fusedInto = into.getInt();
    regions.push_back(region);
  }
  return true;
}

/// Reads the constants @init_params returns, in the order of the step's
/// parameters, then its buffers.
bool readInitParams(ModuleOp module, CompiledStep &step) {
  auto init = module.lookupSymbol<func::FuncOp>(kInitParams);
  if (!init || init.isExternal())
    return true;
  auto ret = cast<func::ReturnOp>(init.getBody().front().getTerminator());
  SmallVector<const CParam *> params;
  for (const CParam &param : step.params)
    if (!param.isResult &&
        (param.role == CParamRole::Param || param.role == CParamRole::Buffer))
      params.push_back(&param);
  if (ret.getNumOperands() != params.size())
    return fail(llvm::Twine("@init_params returns ") +
                llvm::Twine(ret.getNumOperands()) + " values but @" +
                step.funcName + " has " + llvm::Twine(params.size()) +
                (llvm::any_of(params,
                              [](const CParam *p) {
                                return p->role == CParamRole::Buffer;
                              })
                     ? " parameters and buffers"
                     : " parameters"));
  for (auto [value, param] : llvm::zip(ret.getOperands(), params)) {
    DenseElementsAttr dense;
    if (auto constant = value.getDefiningOp<arith::ConstantOp>())
      dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (!dense || !isa<FloatType>(dense.getElementType()))
      return fail("@init_params must return arith.constant dense<...> "
                  "floating-point tensors (value for '" +
                  param->tensorName + "')");
    if (dense.getType() != param->type)
      return fail("@init_params returns " + llvm::Twine(param->tensorName) +
                  " as a different type than @" + step.funcName + " takes it");
    std::vector<double> values;
    values.reserve(dense.getNumElements());
    for (const APFloat &v : dense.getValues<APFloat>()) {
      bool lost;
      APFloat d = v;
      d.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(d.convertToDouble());
    }
    step.initParams.push_back(std::move(values));
  }
  return true;
}

/// Checks what the harness relies on (docs/TrainStep.md): every argument
/// has a role, one input at least, one label, one scalar loss result, and
/// every other result is the new value of a parameter or momentum argument.
bool checkContract(const CompiledStep &step) {
  auto where = [&](const CParam &p) {
    return (llvm::Twine(p.isResult ? "result #" : "argument #") +
            llvm::Twine(p.index) + " of @" + step.funcName)
        .str();
  };
  const char *contract = " (see docs/TrainStep.md)";
  unsigned inputs = 0, labels = 0, losses = 0;
  for (const CParam &p : step.params) {
    if (p.role == CParamRole::Other)
      return fail(where(p) + " has no pulptrain." +
                  (p.isResult ? "loss, .param, .momentum or .buffer"
                              : "input, .label, .param, .momentum or .buffer") +
                  " attribute" + contract);
    inputs += p.role == CParamRole::Input;
    labels += p.role == CParamRole::Label;
    if (p.role == CParamRole::Loss) {
      ++losses;
      if (p.numElements != 1)
        return fail(where(p) + " is the loss but not a scalar" + contract);
    }
    if (p.isResult && isStateRole(p.role) &&
        llvm::none_of(step.params, [&](const CParam &arg) {
          return !arg.isResult && arg.role == p.role &&
                 arg.tensorName == p.tensorName && arg.type == p.type;
        }))
      return fail(where(p) + " updates '" + p.tensorName +
                  "', which is no argument of the same type" + contract);
  }
  if (inputs == 0 || labels != 1 || losses != 1)
    return fail("@" + step.funcName +
                " needs at least one pulptrain.input "
                "argument, one pulptrain.label argument and one "
                "pulptrain.loss result" +
                contract);
  return true;
}

/// Drops the pulptrain.* argument and result attributes: they have served
/// the C interface; LLVM IR has no use for them.
void stripInterfaceAttributes(ModuleOp module) {
  auto strip = [](ArrayAttr all) -> ArrayAttr {
    if (!all)
      return all;
    SmallVector<Attribute> kept;
    for (auto dict : all.getAsRange<DictionaryAttr>()) {
      SmallVector<NamedAttribute> attrs;
      for (NamedAttribute attr : dict)
        if (!attr.getName().strref().starts_with("pulptrain."))
          attrs.push_back(attr);
      kept.push_back(DictionaryAttr::get(all.getContext(), attrs));
    }
    return ArrayAttr::get(all.getContext(), kept);
  };
  for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
    func.setArgAttrsAttr(strip(func.getArgAttrsAttr()));
    func.setResAttrsAttr(strip(func.getResAttrsAttr()));
  }
}

/// Records the bytes of the static buffers of the memory plan (the step's
/// temporaries) and of L1 tiling in `step`.
void recordStaticBuffers(ModuleOp module, CompiledStep &step) {
  step.arenaL1 = step.arenaL2 = step.arenaL3 = step.l1Tiles =
      step.l3Staging = 0;
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    auto array = dyn_cast<LLVM::LLVMArrayType>(global.getType());
    if (!array || !array.getElementType().isInteger(8))
      continue;
    int64_t bytes = array.getNumElements();
    std::optional<StringRef> section = global.getSection();
    bool inL1 = section && section->starts_with(".l1");
    bool inL3 = section && section->starts_with(".l3");
    if (global.getSymName().starts_with(attrs::kArenaSymbol))
      (inL1 ? step.arenaL1 : inL3 ? step.arenaL3 : step.arenaL2) += bytes;
    else if (global.getSymName().starts_with(attrs::kTilesSymbol))
      step.l1Tiles += bytes;
    else if (global.getSymName().starts_with(attrs::kStateSymbol) &&
             global.getSymName().ends_with("__l3_staging"))
      step.l3Staging += bytes;
  }
}

/// Records the memory plan of the step's temporaries
/// (pulptrain-plan-memory) in `step`: the arena's lower bound, the L1
/// arena's budget and each temporary's memory.
void recordMemoryPlan(ModuleOp module, CompiledStep &step) {
  step.arenaLiveBound = step.arenaL1Budget = 0;
  step.temporaries.clear();
  auto plan = module->getAttrOfType<DictionaryAttr>(attrs::kMemoryPlan);
  if (!plan)
    return;
  if (auto budget = plan.getAs<IntegerAttr>("l1_arena_budget"))
    step.arenaL1Budget = budget.getInt();
  for (NamedAttribute entry : plan)
    if (auto function = dyn_cast<DictionaryAttr>(entry.getValue()))
      if (auto live = function.getAs<IntegerAttr>("live_bytes"))
        step.arenaLiveBound = std::max(step.arenaLiveBound, live.getInt());
  auto function = plan.getAs<DictionaryAttr>(step.funcName);
  if (!function)
    function = plan.getAs<DictionaryAttr>(
        (step.funcName + attrs::kStateRunSuffix).str());
  auto table = function ? function.getAs<ArrayAttr>("temporaries") : nullptr;
  if (!table)
    return;
  auto getInt = [](DictionaryAttr dict, StringRef key) -> int64_t {
    auto value = dict.getAs<IntegerAttr>(key);
    return value ? value.getInt() : 0;
  };
  for (auto entry : table.getAsRange<DictionaryAttr>()) {
    CompiledStep::Temporary temporary;
    if (auto name = entry.getAs<StringAttr>("name"))
      temporary.name = name.str();
    temporary.bytes = getInt(entry, "bytes");
    temporary.offset = getInt(entry, "offset");
    temporary.first = getInt(entry, "first");
    temporary.last = getInt(entry, "last");
    temporary.savedCycles = getInt(entry, "saved_cycles");
    if (auto memory = entry.getAs<StringAttr>("memory")) {
      temporary.inL1 = memory.getValue() == "L1";
      temporary.inL3 = memory.getValue() == "L3";
    }
    step.temporaries.push_back(std::move(temporary));
  }
}

/// The L1 budgets of the tiles and of the training state within the `data`
/// bytes of L1 the stacks leave. Unless given, the state comes first: the
/// tiles get half of what it leaves, at least 16 KiB and at most half of
/// L1 (without state, half of L1 as before), and the state what the tiles
/// leave; the arena then gets what the state does not use. `tilesNeeded`
/// (from a compilation whose tiles did not fit) raises the tiles' default
/// to that need, taken from the state.
void resolveL1Budgets(const Options &options, CompiledStep &step, int64_t data,
                      int64_t tilesNeeded = 0) {
  std::optional<CStateInterface> state = getStateInterface(step.params);
  int64_t stateBytes = 0;
  if (state)
    for (const CParam &param : state->init)
      stateBytes += llvm::alignTo(param.numElements * param.elementBytes, 16);
  int64_t tiles = options.l1TileBytes;
  if (options.l1Tiles.empty() && stateBytes > 0) {
    int64_t half = data / 2 / 1024 * 1024;
    tiles = std::clamp<int64_t>((data - stateBytes) / 2 / 1024 * 1024,
                                std::min<int64_t>(16 * 1024, half), half);
    tiles = std::min(std::max<int64_t>(tiles, llvm::alignTo(tilesNeeded, 1024)),
                     data);
  }
  step.l1TileBudget = tiles;
  step.l1StateBudget =
      !options.l1State.empty()
          ? options.l1StateBytes
          : std::max<int64_t>(0, std::min(data - tiles, stateBytes));
}

/// Whether the tile budget is the driver's to choose: not given, and taken
/// from the state (`tilesNeeded` can then raise it).
bool canRaiseTileBudget(const Options &options, const CompiledStep &step,
                        int64_t tilesNeeded) {
  return options.l1Tiles.empty() && options.l1State.empty() &&
         step.l1StateBudget > 0 && tilesNeeded > step.l1TileBudget;
}

/// Records the placement of the training state (`pulptrain.state_plan`).
void recordStatePlan(ModuleOp module, CompiledStep &step) {
  step.state.clear();
  auto plan = module->getAttrOfType<DictionaryAttr>(attrs::kStatePlan);
  auto entries = plan ? plan.getAs<ArrayAttr>(step.funcName) : ArrayAttr();
  if (!entries)
    return;
  for (auto entry : entries.getAsRange<DictionaryAttr>()) {
    CompiledStep::StateBuffer buffer;
    if (auto name = entry.getAs<StringAttr>("name"))
      buffer.name = name.str();
    if (auto symbol = entry.getAs<StringAttr>("symbol"))
      buffer.symbol = symbol.str();
    if (auto argument = entry.getAs<IntegerAttr>("argument"))
      buffer.argument = argument.getInt();
    if (auto bytes = entry.getAs<IntegerAttr>("bytes"))
      buffer.bytes = bytes.getInt();
    if (auto uses = entry.getAs<IntegerAttr>("uses"))
      buffer.uses = uses.getInt();
    if (auto memory = entry.getAs<StringAttr>("memory")) {
      buffer.inL1 = memory.getValue() == "L1";
      buffer.inL3 = memory.getValue() == "L3";
    }
    if (auto inPlace = entry.getAs<BoolAttr>("in_place"))
      buffer.inPlace = inPlace.getValue();
    step.state.push_back(std::move(buffer));
  }
}

} // namespace

bool mlir::pulptrain::run::buildTrainStep(
    MLIRContext &context, llvm::SourceMgr &sourceMgr, const Options &options,
    const TrainingSetup &setup, OwningOpRef<ModuleOp> &module,
    CompiledStep &step) {
  StringRef source = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                         ->getBufferIdentifier();
  ParserConfig config(&context);
  module = parseSourceFile<ModuleOp>(sourceMgr, config);
  if (!module)
    return fail("cannot parse '" + source + "'");

  auto stepFunc = module->lookupSymbol<func::FuncOp>(step.funcName);
  if (stepFunc) {
    if (options.setupGiven.any())
      return fail("'" + source + "' already holds a training step (@" +
                  step.funcName +
                  "); --loss, --lr, --momentum, --weight-decay, "
                  "--nesterov, --optimizer, --betas, --eps, --trainable "
                  "and --saved-activations apply to forward models only");
  } else {
    if (!module->lookupSymbol<func::FuncOp>(kForward))
      return fail("'" + source + "' holds neither a forward model (@" +
                  kForward + ") nor a training step (@" + step.funcName + ")");
    AutodiffOptions autodiff;
    autodiff.loss = setup.loss;
    autodiff.lr = setup.lr;
    autodiff.momentum = setup.momentum;
    autodiff.weightDecay = setup.weightDecay;
    autodiff.nesterov = setup.nesterov;
    autodiff.optimizer = setup.optimizer;
    autodiff.beta1 = setup.beta1;
    autodiff.beta2 = setup.beta2;
    autodiff.eps = setup.eps;
    autodiff.trainable.assign(setup.trainable.begin(), setup.trainable.end());
    autodiff.stepName = step.funcName;
    if (!runPass(*module, createAutodiff(autodiff)))
      return fail("deriving the training step of '" + source + "' failed");
    stepFunc = module->lookupSymbol<func::FuncOp>(step.funcName);
    step.derived = true;
  }

  if (step.derived && setup.savedActivations != "model") {
    step.savedActivations = setup.savedActivations;
    RoundSavedActivationsOptions round;
    round.funcName = step.funcName;
    round.type = setup.savedActivations == "f16" ? SavedActivationType::F16
                                                 : SavedActivationType::BF16;
    if (!runPass(*module, createRoundSavedActivations(round)))
      return false;
  }

  InstrumentLayersOptions instrument;
  instrument.funcName = step.funcName;
  if (!runPass(*module, createInstrumentLayers(instrument)) ||
      !readRegions(*module, step.regions))
    return false;

  FailureOr<SmallVector<CParam>> params = getCInterface(stepFunc);
  if (failed(params))
    return false;
  step.params = std::move(*params);

  // One floating-point element type for all buffers but Adam's state, f32
  // in every model (it starts at zero: the harness writes no values).
  for (const CParam &param : step.params) {
    std::string dtype = getDtypeName(param.elementType);
    if (!param.isBuffer || dtype.empty())
      return fail("@" + step.funcName + " parameter '" + param.name +
                  "' is not an f32, f16 or bf16 buffer");
    if (isOptimizerStateRole(param.role) && param.role != CParamRole::Momentum &&
        dtype == "f32")
      continue;
    if (step.dtype.empty())
      step.dtype = dtype;
    else if (step.dtype != dtype)
      return fail("@" + step.funcName + " mixes element types (" + step.dtype +
                  " and " + dtype + " for '" + param.name + "')");
  }
  if (options.dtypeGiven && step.dtype != options.dtype)
    return fail("'" + source + "' is a " + step.dtype +
                " model but --dtype=" + options.dtype +
                " was requested (re-import it with that element type)");
  if (step.derived && setup.savedActivations != "model" && step.dtype != "f32")
    return fail("--saved-activations=" + setup.savedActivations +
                " applies to f32 models; the element type of '" + source +
                "' is " + step.dtype);
  if (!checkContract(step))
    return false;
  return readInitParams(*module, step);
}

void mlir::pulptrain::run::stripToStep(ModuleOp module, StringRef funcName) {
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (func.getSymName() != funcName && !func.isExternal())
      func.erase();
}

bool mlir::pulptrain::run::lowerAndEmit(ModuleOp module, const Options &options,
                                        Emit emit, CompiledStep &step,
                                        std::string &out) {
  LowerToLLVMOptions lowering;
  lowering.target = LoweringTarget::Riscv32;
  // Parallel kernels for the cluster; the memory plan within its budget.
  lowering.cores = options.cores;
  // L1 for data: what the core stacks, the runtime's own data and the
  // harness's profiling regions leave (at least 1: 0 would mean unlimited).
  lowering.l1Size = std::max<int64_t>(
      1,
      options.l1Bytes - int64_t(options.cores) * PULPTRAIN_STACK_SIZE -
          int64_t(PULPTRAIN_RUNTIME_L1_SIZE) -
          int64_t(step.regions.size() + 1) * sizeof(pulptrain_prof_region_t));
  lowering.l2Size = options.l2Bytes;
  // The state and the temporaries that their L2 budgets do not hold go to
  // L3. A part with an L3 defers the L2 check to the linked program, whose
  // overflow gives the budgets of the next compilation (runDriver); an L2
  // arena that cannot reach its budget is kept for the state to make up.
  if (options.l3Bytes && !options.qemu) {
    lowering.l2Size = 0;
    if (step.l2StateBudget || step.l2ArenaBudget) {
      lowering.stateL2Size = step.l2StateBudget;
      lowering.arenaL2Size = step.l2ArenaBudget;
      lowering.arenaL2Strict = false;
      // The linked program's memory model checks the L3 size (one table
      // for every memory).
      lowering.l3Size = PULPTRAIN_L3_MAX_SIZE;
    }
  }
  lowering.arena = options.arena == "l1"   ? ArenaMemory::L1
                   : options.arena == "l2" ? ArenaMemory::L2
                                           : ArenaMemory::Auto;
  resolveL1Budgets(options, step, lowering.l1Size);
  // A program the driver links defines the state buffers with their
  // initial values (one copy of the parameters); an object for another
  // program keeps the state API's copies in and out.
  lowering.externalState = step.externalState =
      options.emit == Emit::Elf || options.emit == Emit::Run;
  // The FP16 SIMD instructions are those of the PULP cores (CORE-V build).
  lowering.simd = options.target == TargetKind::Riscv32;
  lowering.compactMasks = !options.noCompactMasks;
  lowering.recompute = !options.noRecompute;
  lowering.elementwiseInPlace = !options.noElementwiseInPlace;
  lowering.narrowUpdates = !options.noNarrowUpdates;
  auto lower = [&](ModuleOp target) -> LogicalResult {
    PassManager pm(module.getContext());
    // The IR is verified once, after the lowering, not after each of its
    // passes: that took a third of the lowering's CPU time (about 1.2 s of
    // MobileNetV1-0.25's, docs/Benchmarks.md, "Compile time (issue 17)").
    // The tests run every pass verified (pulptrain-opt's --verify-each).
    pm.enableVerifier(false);
    lowering.l1TileBudget = step.l1TileBudget;
    lowering.stateL1Size = step.l1StateBudget;
    // The reserve comes out of the L1 the arena gets (the state and the
    // tiles have their budgets).
    int64_t data = lowering.l1Size;
    lowering.l1Size = std::max<int64_t>(1, data - step.l1Reserve);
    buildLowerToLLVMPipeline(pm, lowering);
    lowering.l1Size = data;
    if (failed(pm.run(target)))
      return failure();
    return verify(target);
  };
  // The default budgets give the state the L1 the tiles leave; when an op's
  // smallest tile then does not fit, the tiles get what they need from the
  // state and the step is compiled again (the first attempt's diagnostics
  // are shown only if there is no second one).
  OwningOpRef<ModuleOp> backup = module.clone();
  SmallVector<Diagnostic> diagnostics;
  LogicalResult loweredOk = failure();
  {
    ScopedDiagnosticHandler collect(module.getContext(), [&](Diagnostic &d) {
      diagnostics.push_back(std::move(d));
      return success();
    });
    loweredOk = lower(module);
  }
  bool firstOk = succeeded(loweredOk);
  if (failed(loweredOk)) {
    auto needed = module->getAttrOfType<IntegerAttr>(attrs::kTileBudgetNeeded);
    int64_t tilesNeeded = needed ? needed.getInt() : 0;
    if (canRaiseTileBudget(options, step, tilesNeeded) &&
        tilesNeeded <= lowering.l1Size) {
      module.getBodyRegion().takeBody(backup->getBodyRegion());
      module->setAttrs(backup.get()->getAttrDictionary());
      resolveL1Budgets(options, step, lowering.l1Size, tilesNeeded);
      loweredOk = lower(module);
    } else {
      for (Diagnostic &d : diagnostics)
        module.getContext()->getDiagEngine().emit(std::move(d));
    }
  }
  // Tiles that fit, but some only as nests that tile no reduction (small
  // tiles, pulptrain.l1_tile_budget_preferred): the tiles get what one
  // loop needs from the state when they can (else, or if that does not
  // compile, the first result stands).
  if (firstOk) {
    auto preferred =
        module->getAttrOfType<IntegerAttr>(attrs::kTileBudgetPreferred);
    int64_t tilesPreferred = preferred ? preferred.getInt() : 0;
    if (canRaiseTileBudget(options, step, tilesPreferred) &&
        tilesPreferred <= lowering.l1Size) {
      OwningOpRef<ModuleOp> first = module.clone();
      CompiledStep saved = step;
      module.getBodyRegion().takeBody(backup->getBodyRegion());
      module->setAttrs(backup.get()->getAttrDictionary());
      resolveL1Budgets(options, step, lowering.l1Size, tilesPreferred);
      ScopedDiagnosticHandler quiet(module.getContext(),
                                    [](Diagnostic &) { return success(); });
      if (failed(lower(module))) {
        module.getBodyRegion().takeBody(first->getBodyRegion());
        module->setAttrs(first.get()->getAttrDictionary());
        step = std::move(saved);
      }
    }
  }
  if (failed(loweredOk))
    return fail("lowering the training step to the LLVM dialect failed");

  // The C interface (and so the harness) must be what the lowering made:
  // @f, or only @f_run when the program defines the state.
  std::string loweredName = step.funcName;
  size_t interfaceArgs = step.params.size();
  if (std::optional<CStateInterface> state = getStateInterface(step.params);
      state && step.externalState &&
      !module.lookupSymbol<LLVM::LLVMFuncOp>(step.funcName)) {
    loweredName += attrs::kStateRunSuffix.str();
    interfaceArgs = state->run.size();
  }
  auto lowered = module.lookupSymbol<LLVM::LLVMFuncOp>(loweredName);
  if (!lowered || lowered.getNumArguments() != interfaceArgs)
    return fail("internal: the lowered @" + loweredName + " takes " +
                llvm::Twine(lowered ? lowered.getNumArguments() : 0) +
                " arguments, its C interface " + llvm::Twine(interfaceArgs));

  stripInterfaceAttributes(module);
  recordStaticBuffers(module, step);
  recordMemoryPlan(module, step);
  recordStatePlan(module, step);
  // Fusions move the MACs of a region into another (the table of
  // pulptrain-instrument-layers, updated by the lowering).
  if (module->hasAttr(kRegionsAttr) && !readRegions(module, step.regions))
    return false;

  llvm::LLVMContext llvmContext;
  // emitObject verifies the LLVM module; LLVM IR text is verified here.
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(
      module, llvmContext, "LLVMDialectModule",
      /*disableVerification=*/emit != Emit::Llvm);
  if (!llvmModule)
    return fail("translating the training step to LLVM IR failed");
  llvm::raw_string_ostream os(out);
  if (emit == Emit::Llvm) {
    llvmModule->print(os, nullptr);
    return true;
  }
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream bufferStream(buffer);
  std::string error;
  if (failed(emitObject(*llvmModule, options.target, options.optLevel,
                        emit == Emit::Asm, bufferStream, error)))
    return fail("code generation failed: " + error);
  os << buffer;
  return true;
}
