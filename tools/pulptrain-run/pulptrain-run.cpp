//===- pulptrain-run.cpp - Train a model end to end on the cluster --------===//
//
// PyTorch model or MLIR (forward model or training step) -> autodiff ->
// per-layer instrumentation -> reference lowering -> RISC-V object + C
// header -> linked with the runtime and a generated harness -> run on
// pulptrain-sim (or qemu-riscv32) -> losses next to PyTorch's and a
// per-layer, per-step table of cycles, MAC/cycle, stalls and contention.
//
// runDriver runs the stages in order; each stage is a function of its own
// here or in the files Driver.h lists.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "pulptrain/Conversion/Passes.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterDialect.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Transforms/Passes.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

extern char **environ;

using namespace mlir;
using namespace mlir::pulptrain::run;

#ifndef PULPTRAIN_SOURCE_DIR
#error "PULPTRAIN_SOURCE_DIR must be defined by the build"
#endif
#ifndef PULPTRAIN_PYTHON
#error "PULPTRAIN_PYTHON must be defined by the build"
#endif

bool mlir::pulptrain::run::fail(const llvm::Twine &message) {
  llvm::outs().flush();
  llvm::errs() << "pulptrain-run: error: " << message << "\n";
  return false;
}

namespace {

//===----------------------------------------------------------------------===//
// The model and its reference
//===----------------------------------------------------------------------===//

/// The model of a run as the compiler reads it.
struct ModelInput {
  /// The run's name: the model, the file, or for examples/<name>/model.py
  /// the example.
  std::string stem;
  /// The MLIR text and where it comes from, for diagnostics.
  std::string text, source;
  /// The reference of the run, if any.
  std::optional<Golden> golden;
};

std::string getRunName(const Options &options) {
  if (!options.model.empty())
    return options.model;
  std::string stem(llvm::sys::path::stem(options.input));
  llvm::StringRef dir =
      llvm::sys::path::filename(llvm::sys::path::parent_path(options.input));
  if (stem == "model" && !dir.empty() && dir != "." && dir != "..")
    return dir.str();
  return stem;
}

/// The arguments of pulptrain.sim_golden for the model of `options`.
std::vector<std::string> getReferenceCommand(const Options &options,
                                             const WorkDir &work) {
  std::vector<std::string> args = {PULPTRAIN_PYTHON, "-m",
                                   "pulptrain.sim_golden"};
  // Without a run there are no losses to compare: skip PyTorch's training.
  if (options.emit != Emit::Run)
    args.push_back("--no-reference");
  if (!options.model.empty())
    args.insert(args.end(), {"--model", options.model});
  else
    args.push_back(options.input);
  if (!options.className.empty())
    args.insert(args.end(), {"--class", options.className});
  if (!options.modelFn.empty())
    args.insert(args.end(), {"--model-fn", options.modelFn});
  args.insert(args.end(),
              {"--dtype", options.dtype, "--steps",
               std::to_string(options.steps), "--seed",
               std::to_string(options.seed), "-o", work.file("golden.json")});
  args.insert(args.end(), options.setupArgs.begin(), options.setupArgs.end());
  return args;
}

/// This environment with the frontend package of this source tree and this
/// build's tools.
std::vector<std::string> getReferenceEnvironment(const Tools &tools) {
  std::vector<std::string> env;
  std::string pythonPath = std::string(PULPTRAIN_SOURCE_DIR) + "/python";
  for (char **e = environ; *e; ++e) {
    llvm::StringRef entry(*e);
    if (entry.starts_with("PYTHONPATH="))
      pythonPath += ":" + entry.drop_front(11).str();
    else if (!entry.starts_with("PULPTRAIN_BIN_DIR="))
      env.push_back(entry.str());
  }
  env.push_back("PYTHONPATH=" + pythonPath);
  env.push_back("PULPTRAIN_BIN_DIR=" + tools.binDir);
  return env;
}

/// Reports a failed pulptrain.sim_golden with the error it printed.
bool failReference(llvm::StringRef errFile) {
  std::string text;
  readFile(errFile, text);
  llvm::StringRef message = llvm::StringRef(text).trim();
  // sim_golden reports user errors as "error: ..." (the importer's may
  // quote the model's source on the following lines).
  if (!message.consume_front("error: "))
    return fail("the PyTorch reference (python3 -m pulptrain.sim_golden) "
                "failed:" +
                tail(errFile));
  llvm::SmallVector<llvm::StringRef> lines;
  message.split(lines, '\n');
  std::string quoted = lines.front().str();
  for (llvm::StringRef line : llvm::drop_begin(lines))
    quoted += "\n  " + line.str();
  // A diagnostic with a source location stands on its own.
  if (llvm::StringRef(quoted).contains(": error: ")) {
    llvm::outs().flush();
    llvm::errs() << quoted << "\n";
    return false;
  }
  return fail(quoted);
}

/// Runs pulptrain.sim_golden for a PyTorch model; fills `golden`.
bool runPyTorchReference(const Options &options, const Tools &tools,
                         const WorkDir &work, Golden &golden) {
  std::vector<std::string> envStorage = getReferenceEnvironment(tools);
  llvm::SmallVector<llvm::StringRef> env(envStorage.begin(), envStorage.end());
  std::string err = work.file("golden.err");
  int status =
      runTool(getReferenceCommand(options, work), work.file("golden.out"), err,
              options.verbose, llvm::ArrayRef<llvm::StringRef>(env));
  if (status < 0)
    return false;
  if (status != 0)
    return failReference(err);
  std::string text;
  return readFile(work.file("golden.json"), text) &&
         parseGolden(text, "pulptrain.sim_golden", golden);
}

/// Reads the model: imports a PyTorch model (with its reference), or reads
/// an .mlir file (with the golden data of --golden).
bool loadModel(const Options &options, const Tools &tools, const WorkDir &work,
               ModelInput &input) {
  input.stem = getRunName(options);
  if (options.isPythonModel()) {
    input.golden.emplace();
    if (!runPyTorchReference(options, tools, work, *input.golden))
      return false;
    input.golden->origin =
        "pulptrain.golden_train (seed " + std::to_string(options.seed) + ")";
    input.text = input.golden->mlir;
    input.source = input.stem + " (imported from PyTorch)";
    return writeFile(work.file(input.stem + ".import.mlir"), input.text);
  }
  if (!readFile(options.input, input.text))
    return false;
  input.source = options.input;
  if (options.golden.empty())
    return true;
  std::string goldenText;
  input.golden.emplace();
  input.golden->origin = "'" + options.golden + "'";
  return readFile(options.golden, goldenText) &&
         parseGolden(goldenText, options.golden, *input.golden);
}

//===----------------------------------------------------------------------===//
// The training step
//===----------------------------------------------------------------------===//

/// The MLIR state of a run: the context, the model's source for
/// diagnostics, and the module of the training step.
struct StepModule {
  std::unique_ptr<MLIRContext> context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<SourceMgrDiagnosticHandler> diagnostics;
  OwningOpRef<ModuleOp> module;
};

std::unique_ptr<MLIRContext> createContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<mlir::pulptrain::PulpTrainDialect,
                  mlir::pulptrain::cluster::ClusterDialect>();
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  // Diagnostics name the model's source lines, not the IR of the moment.
  context->printOpOnDiagnostic(false);
  return context;
}

/// The training setup of a forward model: the reference's (a PyTorch
/// model's already has the command line's values), else the defaults, with
/// what the command line sets.
TrainingSetup getTrainingSetup(const Options &options, const Golden *golden) {
  TrainingSetup setup =
      golden && golden->setup ? *golden->setup : TrainingSetup();
  if (options.isPythonModel())
    return setup;
  const SetupGiven &given = options.setupGiven;
  if (given.loss)
    setup.loss = options.setup.loss;
  if (given.lr)
    setup.lr = options.setup.lr;
  if (given.momentum)
    setup.momentum = options.setup.momentum;
  if (given.weightDecay)
    setup.weightDecay = options.setup.weightDecay;
  if (given.nesterov)
    setup.nesterov = options.setup.nesterov;
  if (given.optimizer)
    setup.optimizer = options.setup.optimizer;
  if (given.betas) {
    setup.beta1 = options.setup.beta1;
    setup.beta2 = options.setup.beta2;
  }
  if (given.eps)
    setup.eps = options.setup.eps;
  if (given.trainable)
    setup.trainable = options.setup.trainable;
  if (given.savedActivations)
    setup.savedActivations = options.setup.savedActivations;
  return setup;
}

/// Parses the model, derives and instruments the training step; every
/// diagnostic of this and later stages quotes the model's source.
bool buildStep(const ModelInput &input, const Options &options,
               StepModule &state, CompiledStep &step) {
  state.context = createContext();
  state.sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(input.text, input.source),
      llvm::SMLoc());
  state.diagnostics = std::make_unique<SourceMgrDiagnosticHandler>(
      state.sourceMgr, state.context.get());
  const Golden *golden = input.golden ? &*input.golden : nullptr;
  if (!buildTrainStep(*state.context, state.sourceMgr, options,
                      getTrainingSetup(options, golden), state.module, step))
    return false;
  if (golden && !golden->dtype.empty() && golden->dtype != step.dtype)
    return fail("the golden data is " + golden->dtype + ", the model " +
                step.dtype);
  return true;
}

//===----------------------------------------------------------------------===//
// Code and what --emit writes
//===----------------------------------------------------------------------===//

/// Writes `contents` to -o, else to `defaultName`, else to stdout.
bool writeOutput(const Options &options, llvm::StringRef contents,
                 llvm::StringRef defaultName = "") {
  std::string path = options.output;
  if (path.empty())
    path = defaultName.empty() ? "-" : defaultName.str();
  if (path == "-") {
    llvm::outs() << contents;
    return true;
  }
  return writeFile(path, contents);
}

/// The C header and (unless --emit h) the code of the step: the whole
/// module for --emit llvm/asm/obj/h, only the step for a program.
bool compileStep(ModuleOp module, const Options &options, CompiledStep &step,
                 CompiledCode &out) {
  bool wholeModule = options.emit == Emit::Llvm || options.emit == Emit::Asm ||
                     options.emit == Emit::Obj || options.emit == Emit::Header;
  if (!wholeModule)
    stripToStep(module, step.funcName);
  llvm::raw_string_ostream os(out.header);
  if (failed(mlir::pulptrain::translateModuleToCHeader(module, os)))
    return false;
  if (options.emit == Emit::Header)
    return true;
  Emit codeKind = options.emit == Emit::Llvm  ? Emit::Llvm
                  : options.emit == Emit::Asm ? Emit::Asm
                                              : Emit::Obj;
  return lowerAndEmit(module, options, codeKind, step, out.code);
}

/// Writes what --emit llvm, asm, obj or h asks for.
bool writeEmitted(const Options &options, const CompiledCode &code,
                  llvm::StringRef stem) {
  switch (options.emit) {
  case Emit::Header:
    return writeOutput(options, code.header);
  case Emit::Llvm:
  case Emit::Asm:
    return writeOutput(options, code.code);
  default:
    break;
  }
  std::string objPath =
      options.output.empty() ? (stem + ".o").str() : options.output;
  llvm::SmallString<128> headerPath(objPath);
  llvm::sys::path::replace_extension(headerPath, ".h");
  return writeFile(objPath, code.code) && writeFile(headerPath, code.header);
}

//===----------------------------------------------------------------------===//
// The report
//===----------------------------------------------------------------------===//

std::string describeTarget(const Options &options) {
  if (options.qemu)
    return "riscv32-std on qemu-riscv32 (1 core)";
  return (options.target == mlir::pulptrain::TargetKind::Riscv32
              ? std::string("riscv32 (CORE-V)")
              : std::string("riscv32-std")) +
         " on pulptrain-sim, " + std::to_string(options.cores) + " core" +
         (options.cores == 1 ? "" : "s") + ", preset " + options.preset;
}

/// Prints the report of the run and writes its JSON and SVG forms; returns
/// the exit status (1 when the losses are off the reference).
int report(const ModelInput &input, const CompiledStep &step,
           const Program &program, const RunOutput &run,
           const Options &options) {
  const Golden *golden = input.golden ? &*input.golden : nullptr;
  std::string title =
      "pulptrain-run: " + input.stem + ", " + step.dtype +
      (step.savedActivations == "model"
           ? ""
           : " (saved activations " + step.savedActivations + ")") +
      ", " + std::to_string(options.steps) +
      (options.steps == 1 ? " step, " : " steps, ") +
      describeTarget(options);
  bool ok = printReport(llvm::outs(), step, run, golden, options, title);
  if (run.haveSimTotals)
    llvm::outs() << "Simulator (preset " << options.preset
                 << "), whole program, all cores: " << run.simCycles
                 << " cycles, " << run.simIcacheMisses
                 << " instruction-cache misses, " << run.simFpuContentions
                 << " FPU contention cycles, " << run.simTcdmContentions
                 << " TCDM contention cycles\n";
  llvm::outs() << "Data: " << program.dataOrigin << ".\n";
  if (!options.jsonFile.empty()) {
    std::string json;
    llvm::raw_string_ostream os(json);
    os << llvm::formatv("{0:2}", reportJson(step, run, golden, options))
       << "\n";
    if (!writeFile(options.jsonFile, json))
      return kFailure;
  }
  if (!options.svgFile.empty() && !options.qemu &&
      !writeFile(options.svgFile, reportSvg(step, run, title)))
    return kFailure;
  return ok ? 0 : kFailure;
}

//===----------------------------------------------------------------------===//
// The driver
//===----------------------------------------------------------------------===//

int runDriver(int argc, char **argv) {
  Options options;
  if (std::optional<int> status = parseCommandLine(argc, argv, options))
    return *status;
  Tools tools;
  WorkDir work;
  if (!tools.find(argv[0], options.qemu) || !work.create(options.keepTemps))
    return kFailure;
  ModelInput input;
  StepModule state;
  CompiledStep step;
  if (!loadModel(options, tools, work, input) ||
      !buildStep(input, options, state, step))
    return kFailure;
  if (options.emit == Emit::Mlir) {
    std::string text;
    llvm::raw_string_ostream os(text);
    state.module->print(os);
    return writeOutput(options, text) ? 0 : kFailure;
  }
  // With an L3 and no --l2-state, the state stays in L2 when the program
  // fits; else the linked program's L2 overflow is taken from the state's
  // L2 budget (at first, its L2 bytes) and the step compiled and linked
  // again, the rest of the state in L3 (the code and the staging buffer
  // change with the placement: a few rounds).
  bool placeL3 = options.l3Bytes && !options.qemu &&
                 (options.emit == Emit::Elf || options.emit == Emit::Run);
  step.l2StateBudget = options.l2State.empty() ? 0 : options.l2StateBytes;
  bool retry = placeL3 && options.l2State.empty();
  // An L1 arena of the temporaries fills the L1 the compiler gets, which
  // does not count the program's small L1 data (the runtime's variables,
  // section alignment): a program over L1 by no more than the L1 arena is
  // compiled again once with that much less L1 for the arena.
  bool retryL1 = options.arena == "auto" &&
                 (options.emit == Emit::Elf || options.emit == Emit::Run);
  mlir::OwningOpRef<mlir::ModuleOp> original;
  if (retry || retryL1)
    original = state.module->clone();
  CompiledCode code;
  if (!compileStep(*state.module, options, step, code))
    return kFailure;
  if (options.emit != Emit::Elf && options.emit != Emit::Run)
    return writeEmitted(options, code, input.stem) ? 0 : kFailure;

  const Golden *golden = input.golden ? &*input.golden : nullptr;
  Program program;
  constexpr int kPlacements = 6;
  for (int round = 0;; ++round) {
    bool last = !(retry || (retryL1 && step.l1Reserve == 0)) ||
                round == kPlacements;
    ProgramMemory overflow;
    if (linkProgram(step, code, golden, options, tools, work, input.stem,
                    program, last ? nullptr : &overflow))
      break;
    if (last)
      return kFailure;
    int64_t l1Over = int64_t(overflow.l1End + overflow.stacks) -
                     options.l1Bytes;
    if (retryL1 && step.l1Reserve == 0 && l1Over > 0 &&
        l1Over <= step.arenaL1 &&
        overflow.l2End <= uint64_t(options.l2Bytes) &&
        overflow.l3End <= uint64_t(options.l3Bytes)) {
      step.l1Reserve = llvm::alignTo(l1Over, 16);
      state.module = original->clone();
      code = CompiledCode();
      if (!compileStep(*state.module, options, step, code))
        return kFailure;
      continue;
    }
    // Over L1 or L3 only: reported as is.
    if (!retry || overflow.l2End <= uint64_t(options.l2Bytes)) {
      linkProgram(step, code, golden, options, tools, work, input.stem,
                  program);
      return kFailure;
    }
    // The budget counts the state left in L2 and the staging buffer. The
    // state cannot give all of it: with every buffer in L3, the staging
    // buffer still holds the largest (pulptrain-place-state).
    int64_t stateL2 = step.l3Staging, stagingFloor = 0;
    for (const CompiledStep::StateBuffer &buffer : step.state) {
      if (buffer.inL1)
        continue;
      int64_t bytes = llvm::alignTo(buffer.bytes, 16);
      stagingFloor = std::max(stagingFloor, bytes);
      if (!buffer.inL3)
        stateL2 += bytes;
    }
    if (step.l2StateBudget)
      stateL2 = std::min(stateL2, step.l2StateBudget);
    int64_t stateGives = std::max<int64_t>(0, stateL2 - stagingFloor);
    int64_t over = int64_t(overflow.l2End) - options.l2Bytes;
    // More than the state takes in L2: the temporaries' L2 arena gives it
    // (its buffers that it cannot hold then go to L3, staged through
    // copies in it), as far as it can: an arena above its last budget has
    // nothing more to give, and what it could not give comes from the
    // state in the next round. More than both: L3 cannot help (the code
    // and the harness stay in L2); the table says what needs how much.
    int64_t arenaL2 = step.l2ArenaBudget && step.arenaL2 > step.l2ArenaBudget
                          ? 0
                          : step.arenaL2;
    if (over > stateGives + arenaL2) {
      linkProgram(step, code, golden, options, tools, work, input.stem,
                  program);
      llvm::errs() << "pulptrain-run: note: L3 holds the training state and "
                      "the temporaries of the L2 arena, but the "
                   << stateGives << " B the state can give of its " << stateL2
                   << " B of L2";
      if (stagingFloor)
        llvm::errs() << " (its largest buffer, " << stagingFloor
                     << " B, is staged through L2)";
      llvm::errs() << " and the " << arenaL2
                   << " B the L2 arena can still give cannot make up for the "
                   << over << " B over L2\n";
      return kFailure;
    }
    if (over <= stateGives)
      step.l2StateBudget = stateL2 - over;
    else
      step.l2ArenaBudget = std::max<int64_t>(16, arenaL2 - over);
    state.module = original->clone();
    code = CompiledCode();
    if (!compileStep(*state.module, options, step, code))
      return kFailure;
  }
  if (options.emit == Emit::Elf) {
    std::string elf;
    return readFile(program.elfFile, elf) &&
                   writeOutput(options, elf, input.stem + ".elf")
               ? 0
               : kFailure;
  }
  RunOutput run;
  if (!runProgram(program, step, options, tools, work, run))
    return kFailure;
  return report(input, step, program, run, options);
}

} // namespace

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::pulptrain::registerPulpTrainConversionPasses();
  mlir::pulptrain::registerPulpTrainTransformsPasses();
  return runDriver(argc, argv);
}
