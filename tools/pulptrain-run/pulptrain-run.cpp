//===- pulptrain-run.cpp - Train a model end to end on the cluster --------===//
//
// PyTorch model or MLIR (forward model or training step) -> autodiff ->
// per-layer instrumentation -> reference lowering -> RISC-V object + C
// header -> linked with the runtime and a generated harness -> run on
// pulptrain-sim (or qemu-riscv32) -> losses next to PyTorch's and a
// per-layer, per-step table of cycles, MAC/cycle, stalls and contention.
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
#include "pulptrain/Support/MemorySize.h"
#include "pulptrain/Transforms/Passes.h"
#include "pulptrain/platform.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdlib>

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

/// The model of a run without arguments: the PULP-TrainLib tutorial CNN.
const std::string kDefaultExample =
    std::string(PULPTRAIN_SOURCE_DIR) + "/examples/tutorial_cnn/model.py";

/// Exit status of a failed run (bad input, failed tool, losses off).
constexpr int kFailure = 1;

/// Seeds are unsigned 32-bit: every generator of the run (the harness's and
/// PyTorch's) takes them.
constexpr uint64_t kMaxSeed = UINT32_MAX;

/// Reports `message` and returns the failure exit status.
int error(const llvm::Twine &message) {
  fail(message);
  return kFailure;
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

/// Temporary files of one run; removed at the end unless --keep-temps.
class WorkDir {
public:
  bool create(bool keep) {
    this->keep = keep;
    llvm::SmallString<128> dir;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("pulptrain-run", dir))
      return fail("cannot create a temporary directory: " + ec.message());
    path = std::string(dir);
    return true;
  }
  ~WorkDir() {
    if (path.empty())
      return;
    llvm::outs().flush();
    if (keep)
      llvm::errs() << "pulptrain-run: temporary files kept in " << path << "\n";
    else
      llvm::sys::fs::remove_directories(path);
  }
  std::string file(llvm::StringRef name) const {
    llvm::SmallString<128> p(path);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }

private:
  std::string path;
  bool keep = false;
};

bool writeFile(llvm::StringRef path, llvm::StringRef contents) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return fail("cannot write '" + path + "': " + ec.message());
  os << contents;
  return true;
}

bool readFile(llvm::StringRef path, std::string &out) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer)
    return fail("cannot read '" + path + "': " + buffer.getError().message());
  out = (*buffer)->getBuffer().str();
  return true;
}

/// Runs `args` (args[0] is the program) with stdout and stderr in files;
/// returns the exit status, or -1 (after a diagnostic) if it did not run.
int runTool(llvm::ArrayRef<std::string> args, llvm::StringRef stdoutFile,
            llvm::StringRef stderrFile, bool verbose,
            std::optional<llvm::ArrayRef<llvm::StringRef>> env = {}) {
  llvm::SmallVector<llvm::StringRef> refs(args.begin(), args.end());
  if (verbose) {
    llvm::errs() << "+";
    for (llvm::StringRef a : refs)
      llvm::errs() << " " << a;
    llvm::errs() << "\n";
  }
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, stdoutFile,
                                                stderrFile};
  std::string error;
  int status =
      llvm::sys::ExecuteAndWait(refs[0], refs, env, redirects, 0, 0, &error);
  if (status < 0) {
    fail("cannot run '" + refs[0] + "': " + error);
    return -1;
  }
  return status;
}

/// The last non-empty lines of a tool's stderr, for an error message.
std::string tail(llvm::StringRef path, unsigned maxLines = 12) {
  std::string text;
  if (!readFile(path, text))
    return "";
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(text).split(lines, '\n', -1, false);
  size_t first = lines.size() > maxLines ? lines.size() - maxLines : 0;
  std::string out;
  for (size_t i = first; i < lines.size(); ++i)
    out += "\n  " + lines[i].str();
  return out;
}

struct Tools {
  std::string binDir;
  std::string cc, sim, qemu;

  bool find(const char *argv0) {
    std::string self = llvm::sys::fs::getMainExecutable(
        argv0, reinterpret_cast<void *>(&fail));
    binDir = std::string(llvm::sys::path::parent_path(self));
    auto sibling = [&](llvm::StringRef name) {
      llvm::SmallString<128> p(binDir);
      llvm::sys::path::append(p, name);
      return std::string(p);
    };
    cc = sibling("pulptrain-cc");
    sim = sibling("pulptrain-sim");
    for (const std::string &tool : {cc, sim})
      if (!llvm::sys::fs::can_execute(tool))
        return fail("'" + tool +
                    "' is missing (build pulptrain-cc and "
                    "pulptrain-sim)");
    return true;
  }
};

/// Runs pulptrain.sim_golden for a PyTorch model; fills `golden`.
bool runPyTorchReference(const Options &options, const Tools &tools,
                         const WorkDir &work, Golden &golden) {
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
  // The frontend package of this source tree, and this build's tools.
  std::vector<std::string> envStorage;
  std::string pythonPath = std::string(PULPTRAIN_SOURCE_DIR) + "/python";
  for (char **e = environ; *e; ++e) {
    llvm::StringRef entry(*e);
    if (entry.starts_with("PYTHONPATH="))
      pythonPath += ":" + entry.drop_front(11).str();
    else if (!entry.starts_with("PULPTRAIN_BIN_DIR="))
      envStorage.push_back(entry.str());
  }
  envStorage.push_back("PYTHONPATH=" + pythonPath);
  envStorage.push_back("PULPTRAIN_BIN_DIR=" + tools.binDir);
  llvm::SmallVector<llvm::StringRef> env(envStorage.begin(), envStorage.end());

  std::string err = work.file("golden.err");
  int status = runTool(args, work.file("golden.out"), err, options.verbose,
                       llvm::ArrayRef<llvm::StringRef>(env));
  if (status < 0)
    return false;
  if (status != 0) {
    std::string text;
    readFile(err, text);
    llvm::StringRef message = llvm::StringRef(text).trim();
    // sim_golden reports user errors as "error: ..." (the importer's may
    // quote the model's source on the following lines).
    if (message.consume_front("error: ")) {
      llvm::SmallVector<llvm::StringRef> lines;
      message.split(lines, '\n');
      std::string text = lines.front().str();
      for (llvm::StringRef line : llvm::drop_begin(lines))
        text += "\n  " + line.str();
      // A diagnostic with a source location stands on its own.
      if (llvm::StringRef(text).contains(": error: ")) {
        llvm::outs().flush();
        llvm::errs() << text << "\n";
        return false;
      }
      return fail(text);
    }
    return fail("the PyTorch reference (python3 -m pulptrain.sim_golden) "
                "failed:" +
                tail(err));
  }
  std::string text;
  return readFile(work.file("golden.json"), text) &&
         parseGolden(text, "pulptrain.sim_golden", golden);
}

std::string describeTarget(const Options &options) {
  if (options.qemu)
    return "riscv32-std on qemu-riscv32 (1 core)";
  return (options.target == mlir::pulptrain::TargetKind::Riscv32
              ? std::string("riscv32 (CORE-V)")
              : std::string("riscv32-std")) +
         " on pulptrain-sim, " + std::to_string(options.cores) + " core" +
         (options.cores == 1 ? "" : "s");
}

int runDriver(int argc, char **argv) {
  Options options;
  CLI::App app{
      "pulptrain-run: train a model on the simulated PULP cluster and "
      "profile every layer.\nWithout a model: the PULP-TrainLib tutorial CNN "
      "(examples/tutorial_cnn/model.py)."};
  std::string emit = "run", target = "riscv32", profile = "core0",
              table = "summary";
  std::string trainable;
  app.add_option("input", options.input,
                 "model: .mlir (forward model or training step) or .py "
                 "(PyTorch: defines model() and INPUT_SHAPE, as for "
                 "pulptrain-import)");
  app.add_option("--model", options.model,
                 "a model of python/pulptrain/models.py (tutorial_cnn, mlp, "
                 "dscnn, ...)");
  auto *cls = app.add_option("--class", options.className,
                             "model file: instantiate this nn.Module class "
                             "(default: call model())");
  auto *fn = app.add_option("--model-fn", options.modelFn,
                            "model file: call this function for the model");
  cls->excludes(fn);
  app.add_option("--golden", options.golden,
                 "golden data (JSON, see docs/Run.md) for an .mlir input: "
                 "samples and reference losses");
  auto *cores = app.add_option("--cores", options.cores, "cluster cores")
                    ->capture_default_str()
                    ->check(CLI::Range(1, 16));
  app.add_option("--steps", options.steps, "training steps")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  auto *dtype =
      app.add_option("--dtype", options.dtype, "element type: f32, f16 or bf16")
          ->capture_default_str()
          ->check(CLI::IsMember({"f32", "f16", "bf16"}));
  app.add_option("--l1-size", options.l1Size,
                 std::string("L1 of the simulated cluster (") +
                     ::pulptrain::kMemorySizeSyntax + ")");
  app.add_option("--l2-size", options.l2Size,
                 std::string("L2 of the simulated cluster (") +
                     ::pulptrain::kMemorySizeSyntax + ")");
  app.add_option("--arena", options.arena,
                 "memory of the step's temporaries: l2, l1, or auto (L1 if it "
                 "fits next to the tiles)")
      ->capture_default_str()
      ->check(CLI::IsMember({"l1", "l2", "auto"}));
  app.add_option("--l1-tiles", options.l1Tiles,
                 "L1 for double-buffered DMA tiles of L2 data (as --l1-size; "
                 "0: compute on L2; default: half of the L1 the core stacks "
                 "leave)");
  auto *loss = app.add_option("--loss", options.setup.loss,
                              "loss of a forward model: mse or cross_entropy")
                   ->check(CLI::IsMember({"mse", "cross_entropy"}));
  auto *lr = app.add_option("--lr", options.setup.lr, "SGD learning rate");
  auto *momentum =
      app.add_option("--momentum", options.setup.momentum, "SGD momentum");
  auto *wd = app.add_option("--weight-decay", options.setup.weightDecay,
                            "SGD weight decay");
  auto *train = app.add_option("--trainable", trainable,
                               "layers to train, comma-separated (default: "
                               "the model's own choice)");
  app.add_option("--seed", options.seed,
                 "seed of the samples (and of parameters without "
                 "@init_params)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(0), kMaxSeed));
  app.add_option("--emit", emit,
                 "stop after: mlir (instrumented training step), llvm, asm, "
                 "obj (with its .h), h, elf; or run")
      ->capture_default_str()
      ->check(CLI::IsMember({"mlir", "llvm", "asm", "obj", "h", "elf", "run"}));
  app.add_option("-o", options.output,
                 "output file of --emit (default: stdout for text, "
                 "<model>.o/.elf)");
  auto *tgt = app.add_option("--target", target,
                             "riscv32 (CORE-V) or riscv32-std (standard ISA)")
                  ->capture_default_str()
                  ->check(CLI::IsMember({"riscv32", "riscv32-std"}));
  app.add_flag("--qemu", options.qemu,
               "run the riscv32-std build on qemu-riscv32 (one core, no "
               "counters) instead of pulptrain-sim");
  app.add_option("--profile", profile,
                 "counters of core0 or the sum over all cores")
      ->capture_default_str()
      ->check(CLI::IsMember({"core0", "all"}));
  app.add_option("--table", table,
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
  auto *tolerance = app.add_option(
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    if (e.get_exit_code() == 0)
      return app.exit(e);
    app.exit(e);
    return kFailure;
  }

  // Values CLI11 accepts but no training can use (nan, inf, negative).
  if (!checkReal(lr, options.setup.lr, 0, /*inclusive=*/false) ||
      !checkReal(momentum, options.setup.momentum, 0, /*inclusive=*/true) ||
      !checkReal(wd, options.setup.weightDecay, 0, /*inclusive=*/true) ||
      !checkReal(tolerance, options.tolerance.value_or(0), 0,
                 /*inclusive=*/true))
    return kFailure;

  options.dtypeGiven = dtype->count() > 0;
  options.setupGiven = loss->count() || lr->count() || momentum->count() ||
                       wd->count() || train->count();
  // The setup options as given, for the PyTorch reference.
  for (CLI::Option *opt : {loss, lr, momentum, wd, train})
    if (opt->count())
      options.setupArgs.insert(options.setupArgs.end(),
                               {opt->get_name(), opt->as<std::string>()});
  llvm::SmallVector<llvm::StringRef> layers;
  llvm::StringRef(trainable).split(layers, ',', -1, false);
  for (llvm::StringRef l : layers)
    options.setup.trainable.push_back(l.trim().str());
  options.profileAllCores = profile == "all";
  options.tableAllSteps = table == "steps";
  options.emit = llvm::StringSwitch<Emit>(emit)
                     .Case("mlir", Emit::Mlir)
                     .Case("llvm", Emit::Llvm)
                     .Case("asm", Emit::Asm)
                     .Case("obj", Emit::Obj)
                     .Case("h", Emit::Header)
                     .Case("elf", Emit::Elf)
                     .Default(Emit::Run);
  options.target = target == "riscv32"
                       ? mlir::pulptrain::TargetKind::Riscv32
                       : mlir::pulptrain::TargetKind::Riscv32Standard;

  // Consistency of the options.
  if (!options.input.empty() && !options.model.empty())
    return error("give a model file or --model, not both");
  if (options.input.empty() && options.model.empty())
    options.input = kDefaultExample;
  llvm::StringRef ext = llvm::sys::path::extension(options.input);
  bool python = !options.model.empty() || ext == ".py";
  if (!options.input.empty() && ext != ".py" && ext != ".mlir")
    return error("unsupported input '" + options.input +
                 "' (expected .mlir or .py)");
  if (!options.input.empty() && !llvm::sys::fs::exists(options.input))
    return error("no such file: '" + options.input + "'");
  if ((cls->count() || fn->count()) && ext != ".py")
    return error("--class and --model-fn apply to .py model files");
  if (python && !options.golden.empty())
    return error("--golden is for .mlir inputs; the reference of a PyTorch "
                 "model is PyTorch itself");
  if (options.qemu) {
    if (tgt->count() && target != "riscv32-std")
      return error("--qemu runs the standard ISA (--target=riscv32-std); "
                   "QEMU has no CORE-V extensions");
    if (cores->count() && options.cores != 1)
      return error("--qemu runs one core (qemu-riscv32 user mode); drop "
                   "--cores");
    options.target = mlir::pulptrain::TargetKind::Riscv32Standard;
    options.cores = 1;
  }
  // The memory plan gets the simulator's sizes (its defaults if not given).
  options.l1Bytes = PULPTRAIN_L1_DEFAULT_SIZE;
  options.l2Bytes = PULPTRAIN_L2_DEFAULT_SIZE;
  // The limits of the memory map (pulptrain/platform.h); the tiles are
  // within L1.
  if (!parseMemorySize("--l1-size", options.l1Size,
                       ::pulptrain::getL1SizeLimits(), options.l1Bytes) ||
      !parseMemorySize("--l2-size", options.l2Size,
                       ::pulptrain::getL2SizeLimits(), options.l2Bytes))
    return kFailure;
  ::pulptrain::MemorySizeLimits tileLimits = {0, uint64_t(options.l1Bytes),
                                               "the L1 size",
                                               PULPTRAIN_MEMORY_SIZE_ALIGN};
  if (!parseMemorySize("--l1-tiles", options.l1Tiles, tileLimits,
                       options.l1TileBytes))
    return kFailure;
  if (options.l1Bytes <= int64_t(options.cores) * PULPTRAIN_STACK_SIZE)
    return error("--l1-size=" + options.l1Size +
                 " leaves no room next to the stacks of " +
                 llvm::Twine(options.cores) + " cores (" +
                 llvm::Twine(PULPTRAIN_STACK_SIZE) + " B each)");
  if (options.l1Tiles.empty())
    options.l1TileBytes =
        (options.l1Bytes - int64_t(options.cores) * PULPTRAIN_STACK_SIZE) /
        2 / 1024 * 1024;
  if (!options.output.empty() && options.emit == Emit::Run)
    return error("-o needs --emit (the run prints its report; see --json and "
                 "--svg)");
  if ((!options.jsonFile.empty() || !options.svgFile.empty()) &&
      options.emit != Emit::Run)
    return error("--json and --svg describe a run; they do not go with "
                 "--emit=" +
                 emit);

  Tools tools;
  WorkDir work;
  if (!tools.find(argv[0]) || !work.create(options.keepTemps))
    return kFailure;
  if (options.qemu) {
    llvm::ErrorOr<std::string> qemu =
        llvm::sys::findProgramByName("qemu-riscv32");
    if (!qemu)
      return error("--qemu needs qemu-riscv32 (Debian package qemu-user)");
    tools.qemu = *qemu;
  }

  // The model and its reference.
  // The run's name: the model, the file, or for examples/<name>/model.py
  // the example.
  std::string stem = options.model;
  if (stem.empty()) {
    stem = std::string(llvm::sys::path::stem(options.input));
    llvm::StringRef dir =
        llvm::sys::path::filename(llvm::sys::path::parent_path(options.input));
    if (stem == "model" && !dir.empty() && dir != "." && dir != "..")
      stem = dir.str();
  }
  std::optional<Golden> golden;
  std::string text, source;
  if (python) {
    golden.emplace();
    if (!runPyTorchReference(options, tools, work, *golden))
      return kFailure;
    golden->origin =
        "pulptrain.golden_train (seed " + std::to_string(options.seed) + ")";
    text = golden->mlir;
    source = stem + " (imported from PyTorch)";
    if (!writeFile(work.file(stem + ".import.mlir"), text))
      return kFailure;
  } else {
    if (!readFile(options.input, text))
      return kFailure;
    source = options.input;
    if (!options.golden.empty()) {
      std::string goldenText;
      golden.emplace();
      golden->origin = "'" + options.golden + "'";
      if (!readFile(options.golden, goldenText) ||
          !parseGolden(goldenText, options.golden, *golden))
        return kFailure;
    }
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<mlir::pulptrain::PulpTrainDialect,
                  mlir::pulptrain::cluster::ClusterDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Diagnostics name the model's source lines, not the IR of the moment.
  context.printOpOnDiagnostic(false);

  CompiledStep step;
  OwningOpRef<ModuleOp> module;
  // The training setup of a forward model: the reference's (a PyTorch
  // model's already has the command line's values), else the defaults, with
  // what the command line sets.
  TrainingSetup setup =
      golden && golden->setup ? *golden->setup : TrainingSetup();
  if (!python) {
    if (loss->count())
      setup.loss = options.setup.loss;
    if (lr->count())
      setup.lr = options.setup.lr;
    if (momentum->count())
      setup.momentum = options.setup.momentum;
    if (wd->count())
      setup.weightDecay = options.setup.weightDecay;
    if (train->count())
      setup.trainable = options.setup.trainable;
  }
  // Diagnostics of every stage quote the model's source.
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, source), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  if (!buildTrainStep(context, sourceMgr, options, setup, module, step))
    return kFailure;
  if (golden && !golden->dtype.empty() && golden->dtype != step.dtype)
    return error("the golden data is " + golden->dtype + ", the model " +
                 step.dtype);

  auto writeOutput = [&](llvm::StringRef contents,
                         llvm::StringRef defaultName) {
    std::string path = options.output;
    if (path.empty())
      path = defaultName.empty() ? "-" : defaultName.str();
    if (path == "-") {
      llvm::outs() << contents;
      return true;
    }
    return writeFile(path, contents);
  };
  auto header = [&](std::string &out) {
    llvm::raw_string_ostream os(out);
    return succeeded(mlir::pulptrain::translateModuleToCHeader(*module, os));
  };

  if (options.emit == Emit::Mlir) {
    std::string out;
    llvm::raw_string_ostream os(out);
    module->print(os);
    return writeOutput(out, "") ? 0 : kFailure;
  }
  bool wholeModule = options.emit == Emit::Llvm || options.emit == Emit::Asm ||
                     options.emit == Emit::Obj || options.emit == Emit::Header;
  if (!wholeModule)
    stripToStep(*module, step.funcName);
  std::string headerText;
  if (!header(headerText))
    return kFailure;
  if (options.emit == Emit::Header)
    return writeOutput(headerText, "") ? 0 : kFailure;

  std::string code;
  Emit codeKind = options.emit == Emit::Llvm  ? Emit::Llvm
                  : options.emit == Emit::Asm ? Emit::Asm
                                              : Emit::Obj;
  if (!lowerAndEmit(*module, options, codeKind, step, code))
    return kFailure;
  if (options.emit == Emit::Llvm || options.emit == Emit::Asm)
    return writeOutput(code, "") ? 0 : kFailure;
  if (options.emit == Emit::Obj) {
    std::string objPath = options.output.empty() ? stem + ".o" : options.output;
    llvm::SmallString<128> headerPath(objPath);
    llvm::sys::path::replace_extension(headerPath, ".h");
    return writeFile(objPath, code) && writeFile(headerPath, headerText)
               ? 0
               : kFailure;
  }

  // Link the step with the runtime and the harness.
  RunData data;
  if (!prepareData(step, golden ? &*golden : nullptr, options, data))
    return kFailure;
  std::string objFile = work.file(stem + ".o");
  std::string headerName = stem + ".h";
  std::string harnessFile = work.file(stem + "_harness.c");
  std::string elfFile = work.file(stem + ".elf");
  if (!writeFile(objFile, code) ||
      !writeFile(work.file(headerName), headerText) ||
      !writeFile(harnessFile, generateHarness(step, data, options, headerName)))
    return kFailure;
  std::vector<std::string> link = {tools.cc, "-O2"};
  if (options.qemu)
    link.push_back("--qemu");
  else if (options.target != mlir::pulptrain::TargetKind::Riscv32)
    link.push_back("--no-xcv");
  // The link script's memories are the simulated ones of the run.
  if (!options.qemu)
    link.insert(link.end(),
                {"--l1-size=" + std::to_string(options.l1Bytes),
                 "--l2-size=" + std::to_string(options.l2Bytes)});
  link.insert(link.end(), {harnessFile, objFile, "-Wl,--wrap=malloc",
                           "-Wl,--wrap=pulptrain_l1_malloc", "-o", elfFile});
  int status = runTool(link, work.file("link.out"), work.file("link.err"),
                       options.verbose);
  if (status < 0)
    return kFailure;
  if (status != 0) {
    std::string linkErr;
    readFile(work.file("link.err"), linkErr);
    if (llvm::StringRef(linkErr).contains("will not fit in region"))
      return error("the program does not fit the simulated memory "
                   "(--l1-size, --l2-size):" +
                   tail(work.file("link.err"), 4) + "\n" +
                   describeFootprint(step, options));
    return error("linking the simulated program failed:" +
                 tail(work.file("link.err")));
  }
  if (options.emit == Emit::Elf) {
    std::string elf;
    return readFile(elfFile, elf) &&
                   writeFile(options.output.empty() ? stem + ".elf"
                                                    : options.output,
                             elf)
               ? 0
               : kFailure;
  }

  // Run it.
  std::vector<std::string> runArgs;
  if (options.qemu) {
    runArgs = {tools.qemu, "-cpu",
               mlir::pulptrain::getTargetInfo(options.target).qemuCpu,
               elfFile};
  } else {
    runArgs = {tools.sim,
               "--quiet",
               "--cores",
               std::to_string(options.cores),
               "--l1-size",
               std::to_string(options.l1Bytes),
               "--l2-size",
               std::to_string(options.l2Bytes),
               elfFile};
  }
  std::string outFile = work.file("run.out"), errFile = work.file("run.err");
  status = runTool(runArgs, outFile, errFile, options.verbose);
  if (status < 0)
    return kFailure;
  std::string output;
  if (!readFile(outFile, output))
    return kFailure;
  RunOutput run;
  if (status != 0) {
    // The harness reports a failed allocation itself.
    if (llvm::StringRef(output).contains("pulptrain-oom"))
      return parseRunOutput(output, step, options, run), kFailure;
    std::string err;
    readFile(errFile, err);
    // The runtime's start-up check (exit 125) or the simulator's loader.
    if (status == 125 || llvm::StringRef(err).contains("does not fit"))
      return error("the program does not fit the simulated memory (--l1-size, "
                   "--l2-size):" +
                   tail(outFile, 4) + tail(errFile) + "\n" +
                   describeFootprint(step, options));
    return error(llvm::Twine(options.qemu ? "qemu-riscv32" : "pulptrain-sim") +
                 " exited with status " + llvm::Twine(status) + ":" +
                 tail(outFile, 4) + tail(errFile));
  }
  if (!parseRunOutput(output, step, options, run))
    return kFailure;

  std::string title = "pulptrain-run: " + stem + ", " + step.dtype + ", " +
                      std::to_string(options.steps) + " steps, " +
                      describeTarget(options);
  bool ok = printReport(llvm::outs(), step, run, golden ? &*golden : nullptr,
                        options, title);
  llvm::outs() << "Data: " << data.origin << ".\n";
  if (!options.jsonFile.empty()) {
    std::string json;
    llvm::raw_string_ostream os(json);
    os << llvm::formatv(
              "{0:2}",
              reportJson(step, run, golden ? &*golden : nullptr, options))
       << "\n";
    if (!writeFile(options.jsonFile, json))
      return kFailure;
  }
  if (!options.svgFile.empty() && !options.qemu &&
      !writeFile(options.svgFile, reportSvg(step, run, title)))
    return kFailure;
  return ok ? 0 : kFailure;
}

} // namespace

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::pulptrain::registerPulpTrainConversionPasses();
  mlir::pulptrain::registerPulpTrainTransformsPasses();
  return runDriver(argc, argv);
}
