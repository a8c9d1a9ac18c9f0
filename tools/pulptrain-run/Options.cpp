//===- Options.cpp - pulptrain-run: the command line ----------------------===//
//
// Declares the options, parses them with CLI11 and checks what CLI11 cannot:
// finite hyperparameters, consistent inputs, memory sizes within the memory
// map, outputs that go with --emit.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "pulptrain/Support/MemorySize.h"
#include "pulptrain/platform.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <CLI/CLI.hpp>

#include <cmath>

using namespace mlir::pulptrain::run;

#ifndef PULPTRAIN_SOURCE_DIR
#error "PULPTRAIN_SOURCE_DIR must be defined by the build"
#endif

namespace {

/// The model of a run without arguments: the PULP-TrainLib tutorial CNN.
const std::string kDefaultExample =
    std::string(PULPTRAIN_SOURCE_DIR) + "/examples/tutorial_cnn/model.py";

/// Seeds are unsigned 32-bit: every generator of the run (the harness's and
/// PyTorch's) takes them.
constexpr uint64_t kMaxSeed = UINT32_MAX;

/// The parser and what it fills besides `Options`: option texts that the
/// checks turn into `Options` fields, and the options whose presence
/// matters.
struct CommandLine {
  CLI::App app{
      "pulptrain-run: train a model on the simulated PULP cluster and "
      "profile every layer.\nWithout a model: the PULP-TrainLib tutorial CNN "
      "(examples/tutorial_cnn/model.py)."};
  std::string emit = "run", target = "riscv32", profile = "core0",
              table = "summary", trainable;
  CLI::Option *classOpt = nullptr, *fnOpt = nullptr, *coresOpt = nullptr,
              *dtypeOpt = nullptr, *lossOpt = nullptr, *lrOpt = nullptr,
              *momentumOpt = nullptr, *wdOpt = nullptr, *trainOpt = nullptr,
              *targetOpt = nullptr, *toleranceOpt = nullptr,
              *nesterovOpt = nullptr, *optimizerOpt = nullptr,
              *betasOpt = nullptr, *epsOpt = nullptr, *savedOpt = nullptr;
  std::vector<double> betas;
};

void addModelOptions(CommandLine &cl, Options &options) {
  CLI::App &app = cl.app;
  app.add_option("input", options.input,
                 "model: .mlir (forward model or training step) or .py "
                 "(PyTorch: defines model() and INPUT_SHAPE, as for "
                 "pulptrain-import)");
  app.add_option("--model", options.model,
                 "a model of python/pulptrain/models.py (tutorial_cnn, mlp, "
                 "dscnn, ...)");
  cl.classOpt = app.add_option("--class", options.className,
                               "model file: instantiate this nn.Module class "
                               "(default: call model())");
  cl.fnOpt = app.add_option("--model-fn", options.modelFn,
                            "model file: call this function for the model");
  cl.classOpt->excludes(cl.fnOpt);
  app.add_option("--golden", options.golden,
                 "golden data (JSON, see docs/Run.md) for an .mlir input: "
                 "samples and reference losses");
  cl.coresOpt = app.add_option("--cores", options.cores, "cluster cores")
                    ->capture_default_str()
                    ->check(CLI::Range(1, 16));
  app.add_option("--preset", options.preset,
                 "timing model of pulptrain-sim: ideal or pulp-open "
                 "(runtime/sim/README.md)")
      ->capture_default_str()
      ->check(CLI::IsMember({"ideal", "pulp-open"}));
  app.add_option("--steps", options.steps, "training steps")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cl.dtypeOpt =
      app.add_option("--dtype", options.dtype, "element type: f32, f16 or bf16")
          ->capture_default_str()
          ->check(CLI::IsMember({"f32", "f16", "bf16"}));
}

/// Memory configurations of real parts (--memory): L1, L2 and L3 bytes.
struct MemoryConfig {
  const char *name;
  int64_t l1, l2, l3;
  const char *what;
};
constexpr MemoryConfig kMemoryConfigs[] = {
    {"default", PULPTRAIN_L1_DEFAULT_SIZE, PULPTRAIN_L2_DEFAULT_SIZE,
     PULPTRAIN_L3_DEFAULT_SIZE, "the simulator's defaults, no L3"},
    {"gap9", 128 * 1024, 1536 * 1024, 8 * 1024 * 1024,
     "GAP9: 128 KiB cluster L1, 1.5 MiB L2, 8 MiB of HyperRAM as L3"},
    {"small", 64 * 1024, 512 * 1024, 0,
     "a small PULP part: 64 KiB cluster L1, 512 KiB L2, no L3"},
};

void addMemoryOptions(CommandLine &cl, Options &options) {
  CLI::App &app = cl.app;
  std::vector<std::string> names;
  std::string help = "memory configuration (--l1-size, --l2-size and "
                     "--l3-size override it):";
  for (const MemoryConfig &config : kMemoryConfigs) {
    names.push_back(config.name);
    help += std::string(" ") + config.name + " (" + config.what + ");";
  }
  help.pop_back();
  app.add_option("--memory", options.memory, help)
      ->capture_default_str()
      ->check(CLI::IsMember(names));
  app.add_option("--l1-size", options.l1Size,
                 std::string("L1 of the simulated cluster (") +
                     ::pulptrain::kMemorySizeSyntax + ")");
  app.add_option("--l2-size", options.l2Size,
                 std::string("L2 of the simulated cluster (") +
                     ::pulptrain::kMemorySizeSyntax + ")");
  app.add_option("--l3-size", options.l3Size,
                 std::string("external L3 of the simulated part, reached by "
                             "the L3 DMA; holds the training state that does "
                             "not fit L2 (") +
                     ::pulptrain::kMemorySizeSyntax + "; 0: no L3)");
  app.add_option("--l2-state", options.l2State,
                 "L2 for the training state, the rest in L3 (as --l1-size; "
                 "default: all of it if the program fits L2, else what the "
                 "rest of the program leaves)");
  app.add_option("--arena", options.arena,
                 "memory of the step's temporaries: l2, l1, or auto (L1 if it "
                 "fits next to the tiles, else per buffer: those that save "
                 "the most DMA per byte in L1, the others in L2)")
      ->capture_default_str()
      ->check(CLI::IsMember({"l1", "l2", "auto"}));
  app.add_flag("--no-compact-masks", options.noCompactMasks,
               "keep the activations that relu and max-pooling gradients "
               "read a mask of, instead of byte masks "
               "(pulptrain-compact-masks)");
  app.add_flag("--no-recompute", options.noRecompute,
               "keep every forward value the backward pass reads, instead "
               "of computing cheap ones again where that lowers the peak "
               "(pulptrain-recompute)");
  app.add_flag("--no-elementwise-in-place", options.noElementwiseInPlace,
               "compute every element-wise result in a buffer of its own, "
               "instead of in an input that dies at it where that lowers "
               "the peak (pulptrain-elementwise-in-place)");
  app.add_flag("--no-narrow-updates", options.noNarrowUpdates,
               "compute f16/bf16 SGD updates in f32 and round once, "
               "instead of in the parameter's type on the FP16 SIMD unit "
               "(pulptrain-narrow-updates)");
  app.add_option("--l1-state", options.l1State,
                 "L1 for the training state (parameters, momentum), "
                 "resident across steps (as --l1-size; 0: in L2; default: "
                 "what the tiles leave)");
  app.add_option("--l1-tiles", options.l1Tiles,
                 "L1 for double-buffered DMA tiles of L2 data (as --l1-size; "
                 "0: compute on L2; default: half of the L1 the core stacks "
                 "leave)");
}

void addTrainingOptions(CommandLine &cl, Options &options) {
  CLI::App &app = cl.app;
  cl.lossOpt = app.add_option("--loss", options.setup.loss,
                              "loss of a forward model: mse or cross_entropy")
                   ->check(CLI::IsMember({"mse", "cross_entropy"}));
  cl.lrOpt = app.add_option("--lr", options.setup.lr, "SGD learning rate");
  cl.momentumOpt =
      app.add_option("--momentum", options.setup.momentum, "SGD momentum");
  cl.wdOpt = app.add_option("--weight-decay", options.setup.weightDecay,
                            "SGD weight decay");
  cl.nesterovOpt = app.add_flag("--nesterov", options.setup.nesterov,
                                "SGD with Nesterov momentum (needs a "
                                "non-zero momentum)");
  cl.optimizerOpt =
      app.add_option("--optimizer", options.setup.optimizer,
                     "optimizer: sgd (torch.optim.SGD, default) or adam "
                     "(torch.optim.Adam)")
          ->check(CLI::IsMember({"sgd", "adam"}));
  cl.betasOpt = app.add_option("--betas", cl.betas,
                               "Adam's betas, two numbers in [0, 1) "
                               "(default 0.9 0.999)")
                    ->expected(2);
  cl.epsOpt = app.add_option("--eps", options.setup.eps,
                             "Adam's eps (default 1e-8)");
  cl.savedOpt =
      app.add_option("--saved-activations", options.setup.savedActivations,
                     "element type of the activations the backward pass "
                     "reads: model (default), or f16 or bf16 in an f32 "
                     "model (rounded once, extended to f32 when read)")
          ->check(CLI::IsMember({"model", "f16", "bf16"}));
  cl.trainOpt = app.add_option("--trainable", cl.trainable,
                               "layers to train, comma-separated (default: "
                               "the model's own choice)");
  app.add_option("--seed", options.seed,
                 "seed of the samples (and of parameters without "
                 "@init_params)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(0), kMaxSeed));
}

void addOutputOptions(CommandLine &cl, Options &options) {
  CLI::App &app = cl.app;
  app.add_option("--emit", cl.emit,
                 "stop after: mlir (instrumented training step), llvm, asm, "
                 "obj (with its .h), h, elf; or run")
      ->capture_default_str()
      ->check(CLI::IsMember({"mlir", "llvm", "asm", "obj", "h", "elf", "run"}));
  app.add_option("-o", options.output,
                 "output file of --emit (default: stdout for text, "
                 "<model>.o/.elf)");
  cl.targetOpt =
      app.add_option("--target", cl.target,
                     "riscv32 (CORE-V) or riscv32-std (standard ISA)")
          ->capture_default_str()
          ->check(CLI::IsMember({"riscv32", "riscv32-std"}));
  app.add_flag("--qemu", options.qemu,
               "run the riscv32-std build on qemu-riscv32 (one core, no "
               "counters) instead of pulptrain-sim");
  app.add_option("--profile", cl.profile,
                 "counters of core0 or the sum over all cores")
      ->capture_default_str()
      ->check(CLI::IsMember({"core0", "all"}));
  app.add_option("--table", cl.table,
                 "per-layer tables: summary (step 0 and all steps) or steps "
                 "(every step)")
      ->capture_default_str()
      ->check(CLI::IsMember({"summary", "steps"}));
  app.add_option("--json", options.jsonFile, "write the run as JSON");
  app.add_flag("--dump-params", options.dumpParams,
               "put the final value of every parameter into the JSON report "
               "(printed by the simulated program: slow for large models)");
  app.add_option("--svg", options.svgFile,
                 "write a bar chart of cycles per layer and step");
  cl.toleranceOpt = app.add_option(
      "--tolerance", options.tolerance,
      "max relative loss error against the reference (default per element "
      "type: " +
          describeDefaultTolerances() + ")");
  app.add_option("-O", options.optLevel, "LLVM optimization level")
      ->capture_default_str()
      ->check(CLI::Range(0, 3));
  app.add_flag("--keep-temps", options.keepTemps,
               "keep the intermediate files (printed at the end)");
  app.add_flag("-v,--verbose", options.verbose, "print the commands run");
}

/// Checks a floating-point option: finite, and above `min` (or at least it
/// when `inclusive`).
bool checkReal(const CLI::Option *option, double value, double min,
               bool inclusive) {
  if (!option->count())
    return true;
  if (!std::isfinite(value) || value < min || (!inclusive && value == min))
    return fail(option->get_name() + "=" + option->as<std::string>() +
                ": expected a finite number " + (inclusive ? ">= " : "> ") +
                formatReal(min));
  return true;
}

/// Turns the option texts into `options` fields; checks the real values.
bool interpretOptions(const CommandLine &cl, Options &options) {
  // Values CLI11 accepts but no training can use (nan, inf, negative).
  if (!checkReal(cl.lrOpt, options.setup.lr, 0, /*inclusive=*/false) ||
      !checkReal(cl.momentumOpt, options.setup.momentum, 0,
                 /*inclusive=*/true) ||
      !checkReal(cl.wdOpt, options.setup.weightDecay, 0, /*inclusive=*/true) ||
      !checkReal(cl.epsOpt, options.setup.eps, 0, /*inclusive=*/true) ||
      !checkReal(cl.toleranceOpt, options.tolerance.value_or(0), 0,
                 /*inclusive=*/true))
    return false;

  options.dtypeGiven = cl.dtypeOpt->count() > 0;
  options.setupGiven = {
      cl.lossOpt->count() > 0,      cl.lrOpt->count() > 0,
      cl.momentumOpt->count() > 0,  cl.wdOpt->count() > 0,
      cl.trainOpt->count() > 0,     cl.nesterovOpt->count() > 0,
      cl.optimizerOpt->count() > 0, cl.betasOpt->count() > 0,
      cl.epsOpt->count() > 0,       cl.savedOpt->count() > 0};
  if (cl.betasOpt->count()) {
    for (double beta : cl.betas)
      if (!(beta >= 0.0 && beta < 1.0))
        return fail("--betas: expected two numbers in [0, 1), got " +
                    formatReal(beta));
    options.setup.beta1 = cl.betas[0];
    options.setup.beta2 = cl.betas[1];
  }
  // The setup options as given, for the PyTorch reference.
  for (CLI::Option *opt :
       {cl.lossOpt, cl.lrOpt, cl.momentumOpt, cl.wdOpt, cl.trainOpt,
        cl.optimizerOpt, cl.epsOpt, cl.savedOpt})
    if (opt->count())
      options.setupArgs.insert(options.setupArgs.end(),
                               {opt->get_name(), opt->as<std::string>()});
  if (cl.nesterovOpt->count())
    options.setupArgs.push_back("--nesterov");
  if (cl.betasOpt->count())
    options.setupArgs.insert(options.setupArgs.end(),
                             {"--betas", formatReal(options.setup.beta1),
                              formatReal(options.setup.beta2)});
  llvm::SmallVector<llvm::StringRef> layers;
  llvm::StringRef(cl.trainable).split(layers, ',', -1, false);
  for (llvm::StringRef l : layers)
    options.setup.trainable.push_back(l.trim().str());
  options.profileAllCores = cl.profile == "all";
  options.tableAllSteps = cl.table == "steps";
  options.emit = llvm::StringSwitch<Emit>(cl.emit)
                     .Case("mlir", Emit::Mlir)
                     .Case("llvm", Emit::Llvm)
                     .Case("asm", Emit::Asm)
                     .Case("obj", Emit::Obj)
                     .Case("h", Emit::Header)
                     .Case("elf", Emit::Elf)
                     .Default(Emit::Run);
  options.target = cl.target == "riscv32"
                       ? mlir::pulptrain::TargetKind::Riscv32
                       : mlir::pulptrain::TargetKind::Riscv32Standard;
  return true;
}

/// Checks that the model options go together; picks the default model and
/// the QEMU configuration.
bool checkInputs(const CommandLine &cl, Options &options) {
  if (!options.input.empty() && !options.model.empty())
    return fail("give a model file or --model, not both");
  if (options.input.empty() && options.model.empty())
    options.input = kDefaultExample;
  llvm::StringRef ext = llvm::sys::path::extension(options.input);
  if (!options.input.empty() && ext != ".py" && ext != ".mlir")
    return fail("unsupported input '" + options.input +
                "' (expected .mlir or .py)");
  if (!options.input.empty() && !llvm::sys::fs::exists(options.input))
    return fail("no such file: '" + options.input + "'");
  if ((cl.classOpt->count() || cl.fnOpt->count()) && ext != ".py")
    return fail("--class and --model-fn apply to .py model files");
  if (options.isPythonModel() && !options.golden.empty())
    return fail("--golden is for .mlir inputs; the reference of a PyTorch "
                "model is PyTorch itself");
  if (!options.qemu)
    return true;
  if (cl.targetOpt->count() && cl.target != "riscv32-std")
    return fail("--qemu runs the standard ISA (--target=riscv32-std); "
                "QEMU has no CORE-V extensions");
  if (cl.coresOpt->count() && options.cores != 1)
    return fail("--qemu runs one core (qemu-riscv32 user mode); drop "
                "--cores");
  options.target = mlir::pulptrain::TargetKind::Riscv32Standard;
  options.cores = 1;
  return true;
}

/// Parses the memory-size option `option` into `bytes` (kept when `text`
/// is empty); false after a diagnostic.
bool parseMemorySize(llvm::StringRef option, llvm::StringRef text,
                     const ::pulptrain::MemorySizeLimits &limits,
                     int64_t &bytes) {
  if (text.empty())
    return true;
  std::string message;
  std::optional<uint64_t> size =
      ::pulptrain::parseMemorySizeOption(option, text, limits, message);
  if (!size)
    return fail(message);
  bytes = int64_t(*size);
  return true;
}

/// Sets the memory sizes: the simulator's defaults, or the ones given
/// within the limits of the memory map (pulptrain/platform.h); the tiles
/// are within L1.
bool resolveMemorySizes(Options &options) {
  for (const MemoryConfig &config : kMemoryConfigs)
    if (options.memory == config.name) {
      options.l1Bytes = config.l1;
      options.l2Bytes = config.l2;
      options.l3Bytes = config.l3;
    }
  if (!parseMemorySize("--l1-size", options.l1Size,
                       ::pulptrain::getL1SizeLimits(), options.l1Bytes) ||
      !parseMemorySize("--l2-size", options.l2Size,
                       ::pulptrain::getL2SizeLimits(), options.l2Bytes) ||
      !parseMemorySize("--l3-size", options.l3Size,
                       ::pulptrain::getL3SizeLimits(), options.l3Bytes))
    return false;
  ::pulptrain::MemorySizeLimits stateLimits = {
      1, uint64_t(options.l2Bytes), "the L2 size", PULPTRAIN_MEMORY_SIZE_ALIGN};
  if (!parseMemorySize("--l2-state", options.l2State, stateLimits,
                       options.l2StateBytes))
    return false;
  if (!options.l2State.empty() && options.l3Bytes == 0)
    return fail("--l2-state needs an L3 for the rest of the state "
                "(--l3-size or a --memory with one)");
  ::pulptrain::MemorySizeLimits tileLimits = {
      0, uint64_t(options.l1Bytes), "the L1 size", PULPTRAIN_MEMORY_SIZE_ALIGN};
  if (!parseMemorySize("--l1-tiles", options.l1Tiles, tileLimits,
                       options.l1TileBytes) ||
      !parseMemorySize("--l1-state", options.l1State, tileLimits,
                       options.l1StateBytes))
    return false;
  int64_t stacks = int64_t(options.cores) * PULPTRAIN_STACK_SIZE;
  if (options.l1Bytes <= stacks)
    return fail("--l1-size=" + options.l1Size +
                " leaves no room next to the stacks of " +
                llvm::Twine(options.cores) + " cores (" +
                llvm::Twine(PULPTRAIN_STACK_SIZE) + " B each)");
  if (options.l1Tiles.empty())
    options.l1TileBytes = (options.l1Bytes - stacks) / 2 / 1024 * 1024;
  return true;
}

/// Checks that the output options go with --emit.
bool checkOutputs(const CommandLine &cl, const Options &options) {
  if (!options.output.empty() && options.emit == Emit::Run)
    return fail("-o needs --emit (the run prints its report; see --json and "
                "--svg)");
  if ((!options.jsonFile.empty() || !options.svgFile.empty()) &&
      options.emit != Emit::Run)
    return fail("--json and --svg describe a run; they do not go with "
                "--emit=" +
                cl.emit);
  return true;
}

} // namespace

bool Options::isPythonModel() const {
  return !model.empty() || llvm::sys::path::extension(input) == ".py";
}

std::optional<int> mlir::pulptrain::run::parseCommandLine(int argc, char **argv,
                                                          Options &options) {
  CommandLine cl;
  addModelOptions(cl, options);
  addMemoryOptions(cl, options);
  addTrainingOptions(cl, options);
  addOutputOptions(cl, options);
  try {
    cl.app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    if (e.get_exit_code() == 0)
      return cl.app.exit(e);
    cl.app.exit(e);
    return kFailure;
  }
  if (!interpretOptions(cl, options) || !checkInputs(cl, options) ||
      !resolveMemorySizes(options) || !checkOutputs(cl, options))
    return kFailure;
  return std::nullopt;
}
