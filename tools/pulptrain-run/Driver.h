//===- Driver.h - pulptrain-run: shared declarations ------------*- C++ -*-===//
//
// The stages of the end-to-end driver, run in order by pulptrain-run.cpp:
// the command line (Options.cpp), the model and its reference, compiling
// the training step (Compile.cpp), the data and the C harness that runs it
// (Harness.cpp), linking and running the program (Simulate.cpp, with the
// process helpers of Process.cpp), and the report (Report.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_RUN_DRIVER_H
#define PULPTRAIN_RUN_DRIVER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "pulptrain/Target/CHeader.h"
#include "pulptrain/Target/TargetInfo.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir::pulptrain::run {

/// Reports a user-facing error ("pulptrain-run: error: ...") and returns
/// false, so that callers can `return fail(...)`.
bool fail(const llvm::Twine &message);

/// Exit status of a failed run (bad input, failed tool, losses off).
inline constexpr int kFailure = 1;

/// What the driver produces.
enum class Emit { Mlir, Llvm, Asm, Obj, Header, Elf, Run };

/// The training setup of a forward model (autodiff options).
struct TrainingSetup {
  std::string loss = "mse";
  double lr = 0.01;
  double momentum = 0.0;
  double weightDecay = 0.0;
  /// SGD with Nesterov momentum.
  bool nesterov = false;
  /// "sgd" or "adam" (torch.optim.Adam with betas and eps).
  std::string optimizer = "sgd";
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  std::vector<std::string> trainable;
  /// Element type of the saved activations: "model", or "f16"/"bf16" in an
  /// f32 model (pulptrain-round-saved-activations).
  std::string savedActivations = "model";
};

/// Which training-setup options the command line gives: they override the
/// model's own, and do not apply to a training step.
struct SetupGiven {
  bool loss = false, lr = false, momentum = false, weightDecay = false,
       trainable = false, nesterov = false, optimizer = false, betas = false,
       eps = false, savedActivations = false;
  bool any() const {
    return loss || lr || momentum || weightDecay || trainable || nesterov ||
           optimizer || betas || eps || savedActivations;
  }
};

/// Everything the command line configures.
struct Options {
  std::string input;
  std::string model;
  /// How a .py model file makes its model (as for pulptrain-import).
  std::string className, modelFn;
  std::string golden;
  unsigned cores = 8;
  /// Memory configuration (--memory): default, gap9 or small.
  std::string memory = "default";
  /// Timing model of pulptrain-sim (--preset: ideal or pulp-open).
  std::string preset = "ideal";
  unsigned steps = 10;
  std::string dtype = "f32";
  bool dtypeGiven = false;
  /// As given (for the simulator) and in bytes (for the memory plan).
  std::string l1Size, l2Size, l3Size;
  int64_t l1Bytes = 0, l2Bytes = 0, l3Bytes = 0;
  /// L2 bytes the training state may take, the rest in L3 (--l2-state), as
  /// given and in bytes; empty: all of it when the program fits L2, else
  /// what the program leaves (with an L3).
  std::string l2State;
  int64_t l2StateBytes = 0;
  /// Memory of the step's arena (l2, l1 or auto).
  std::string arena = "auto";
  /// Activations instead of byte masks for the relu and max-pooling
  /// gradients (--no-compact-masks).
  bool noCompactMasks = false;
  /// Keep every forward value the backward pass reads (--no-recompute).
  bool noRecompute = false;
  /// Every element-wise result in a buffer of its own
  /// (--no-elementwise-in-place).
  bool noElementwiseInPlace = false;
  /// f16/bf16 SGD updates in f32, rounded once (--no-narrow-updates).
  bool noNarrowUpdates = false;
  /// L1 bytes for DMA tiles of L2 data (--l1-tiles), as given and in bytes;
  /// empty: half of the L1 the core stacks leave.
  std::string l1Tiles;
  int64_t l1TileBytes = 0;
  /// L1 bytes for the training state (--l1-state), as given and in bytes;
  /// empty: what the tiles leave (tiles: see resolveL1Budgets).
  std::string l1State;
  int64_t l1StateBytes = 0;
  TrainingSetup setup;
  SetupGiven setupGiven;
  /// The setup options given on the command line ("--lr", "0.05", ...).
  std::vector<std::string> setupArgs;
  uint64_t seed = 0;
  Emit emit = Emit::Run;
  std::string output;
  mlir::pulptrain::TargetKind target = mlir::pulptrain::TargetKind::Riscv32;
  bool qemu = false;
  bool profileAllCores = false;
  bool tableAllSteps = false;
  /// The program prints every final parameter value (--dump-params).
  bool dumpParams = false;
  std::string jsonFile, svgFile;
  bool keepTemps = false;
  std::optional<double> tolerance;
  unsigned optLevel = 3;
  bool verbose = false;

  /// Whether the model is a PyTorch model (--model or a .py file).
  bool isPythonModel() const;
};

/// Parses and checks the command line into `options` (Options.cpp).
/// Returns the exit status when the driver stops here (0 after --help, 1
/// after a diagnostic), nullopt when it goes on.
std::optional<int> parseCommandLine(int argc, char **argv, Options &options);

//===----------------------------------------------------------------------===//
// Files and processes (Process.cpp)
//===----------------------------------------------------------------------===//

/// Temporary files of one run; removed at the end unless --keep-temps.
class WorkDir {
public:
  WorkDir() = default;
  WorkDir(const WorkDir &) = delete;
  WorkDir &operator=(const WorkDir &) = delete;
  ~WorkDir();
  /// Creates the directory; false after a diagnostic.
  bool create(bool keep);
  /// The path of file `name` in the directory.
  std::string file(llvm::StringRef name) const;

private:
  std::string path;
  bool keep = false;
};

/// The programs a run uses: the tools next to pulptrain-run, and QEMU.
struct Tools {
  std::string binDir;
  std::string cc, sim, qemu;

  /// Finds pulptrain-cc and pulptrain-sim next to `argv0`, and
  /// qemu-riscv32 when `qemu`; false after a diagnostic.
  bool find(const char *argv0, bool qemu);
};

bool writeFile(llvm::StringRef path, llvm::StringRef contents);
bool readFile(llvm::StringRef path, std::string &out);

/// Runs `args` (args[0] is the program) with stdout and stderr in files;
/// returns the exit status, or -1 (after a diagnostic) if it did not run.
int runTool(llvm::ArrayRef<std::string> args, llvm::StringRef stdoutFile,
            llvm::StringRef stderrFile, bool verbose,
            std::optional<llvm::ArrayRef<llvm::StringRef>> env = {});

/// The last `maxLines` non-empty lines of a file (a tool's output), each on
/// a new indented line, for an error message.
std::string tail(llvm::StringRef path, unsigned maxLines = 12);

/// One profiling region of the instrumented step.
struct ProfileRegion {
  unsigned id = 0;
  std::string layer;
  std::string phase;
  int64_t macs = 0;
  /// The region whose ops compute this one's since a fusion (its MACs
  /// counted there), if any.
  std::optional<unsigned> fusedInto;
};

/// Reference data of a run: from `pulptrain.sim_golden` (a PyTorch model)
/// or a golden-data file.
struct Golden {
  /// Where the data comes from, for the report.
  std::string origin;
  std::string model;
  std::string dtype;
  std::optional<TrainingSetup> setup;
  std::string mlir;
  /// Input name -> one sample per step (flattened values).
  std::map<std::string, std::vector<std::vector<double>>> inputs;
  std::vector<std::vector<double>> labels;
  std::vector<double> losses;
  /// Per step, the magnitude the loss's rounding error scales with (for
  /// cross-entropy the largest logit); empty when the document has none.
  std::vector<double> lossScales;
  std::optional<double> lossTolerance;
};

/// Parses a golden-data document; reports errors naming `source`.
bool parseGolden(llvm::StringRef text, llvm::StringRef source, Golden &out);

/// The compiled training step and what the harness needs to call it.
struct CompiledStep {
  std::string funcName = "train_step";
  llvm::SmallVector<mlir::pulptrain::CParam> params;
  std::vector<ProfileRegion> regions;
  /// Element type of the buffers ("f32", "f16", "bf16").
  std::string dtype;
  /// Element type of the saved activations ("model", "f16", "bf16").
  std::string savedActivations = "model";
  /// Initial parameter values from @init_params, by parameter order.
  std::vector<std::vector<double>> initParams;
  /// Whether the input was a forward model (autodiff ran).
  bool derived = false;
  /// Bytes of the memory plan's static arenas in L1, L2 and L3 (after
  /// lowering).
  int64_t arenaL1 = 0, arenaL2 = 0, arenaL3 = 0;
  /// The liveness lower bound of the arena (the memory plan's largest
  /// `live_bytes`): no packing of the step's temporaries can use less.
  int64_t arenaLiveBound = 0;
  /// The L1 the memory plan's L1 arena may take (0: no limit).
  int64_t arenaL1Budget = 0;
  /// The step's temporaries (pulptrain-plan-memory's table): each in the
  /// L1 or the L2 arena, with the DMA cycles per step L1 saves it.
  struct Temporary {
    /// The layer and phase of its first user ("conv1 fwd").
    std::string name;
    int64_t bytes = 0, offset = 0, first = 0, last = 0, savedCycles = 0;
    bool inL1 = false, inL3 = false;
  };
  std::vector<Temporary> temporaries;
  /// Bytes of the L1 tile space of L1 tiling (after lowering).
  int64_t l1Tiles = 0;
  /// Bytes of the L2 buffer the state in L3 is staged through (after
  /// lowering; 0 without state in L3).
  int64_t l3Staging = 0;
  /// The L2 budget of the training state the lowering got (0: no limit,
  /// nothing in L3).
  int64_t l2StateBudget = 0;
  /// The L2 the arena of the temporaries may take, the temporaries it
  /// cannot hold in L3 (0: no limit); set like l2StateBudget, once the
  /// state alone cannot make up for the program's L2 overflow.
  int64_t l2ArenaBudget = 0;
  /// The L1 budgets the lowering got: tiles and training state.
  int64_t l1TileBudget = 0, l1StateBudget = 0;
  /// L1 bytes the lowering leaves out of the L1 arena's budget: what the
  /// linked program's small L1 data took beyond it (runDriver).
  int64_t l1Reserve = 0;
  /// The placement of the training state (pulptrain-place-state), after
  /// lowering; empty when the step has no state API.
  struct StateBuffer {
    std::string name;
    /// The symbol of its static buffer; the argument of the step it
    /// replaces.
    std::string symbol;
    int64_t argument = -1;
    int64_t bytes = 0, uses = 0;
    bool inL1 = false, inL3 = false, inPlace = true;
  };
  std::vector<StateBuffer> state;
  /// The state buffer with a symbol that replaces argument `param` of the
  /// step, if any.
  const StateBuffer *
  findStateBuffer(const mlir::pulptrain::CParam &param) const {
    for (const StateBuffer &buffer : state)
      if (buffer.argument == int64_t(param.index) && !buffer.symbol.empty())
        return &buffer;
    return nullptr;
  }
  /// Whether the state buffers are the program's to define, with their
  /// initial values (pulptrain-place-state's external-state: the harness
  /// of a linked program does, so the parameters exist once).
  bool externalState = false;
};

/// Parses the main buffer of `sourceMgr`, derives the training step with
/// `setup` when the module holds a forward model, instruments it, and fills
/// `step`.
/// `module` keeps the tensor-level module.
bool buildTrainStep(mlir::MLIRContext &context, llvm::SourceMgr &sourceMgr,
                    const Options &options,
                    const TrainingSetup &setup,
                    mlir::OwningOpRef<mlir::ModuleOp> &module,
                    CompiledStep &step);

/// Keeps only the training step (and the declarations it calls): what the
/// simulated program needs.
void stripToStep(mlir::ModuleOp module, llvm::StringRef funcName);

/// Lowers `module` to the LLVM dialect, translates it and emits LLVM IR
/// (`emit` Llvm), assembly (Asm) or an object (otherwise) into `out`;
/// records the arena sizes in `step`.
bool lowerAndEmit(mlir::ModuleOp module, const Options &options, Emit emit,
                  CompiledStep &step, std::string &out);

/// Initial values of every argument buffer of the step and the per-step
/// samples: from the golden data, @init_params, or a seeded generator.
struct RunData {
  /// Per parameter (CParam) index of an argument: the initial values; for
  /// inputs and labels: one sample per step.
  std::map<unsigned, std::vector<std::vector<double>>> values;
  /// How the data was obtained, for the report.
  std::string origin;
};

bool prepareData(const CompiledStep &step, const Golden *golden,
                 const Options &options, RunData &data);

/// Writes the C program that runs `options.steps` training steps, printing
/// losses, per-region counters and the memory use.
std::string generateHarness(const CompiledStep &step, const RunData &data,
                            const Options &options, llvm::StringRef headerName);

/// What the harness keeps in L2 besides code: the step's buffers, by kind.
std::string describeFootprint(const CompiledStep &step, const Options &options);

/// Counters of one region (or the whole step) in one step.
struct Counters {
  uint64_t calls = 0, cycles = 0, instr = 0, ldStall = 0, tcdmCont = 0,
           l2Access = 0, macs = 0;
  /// Core 0's L0 instruction-cache misses and FPU contention cycles; only
  /// measured under a preset other than `ideal` (see hasRegionExtras).
  uint64_t icacheMiss = 0, fpuCont = 0;
};

/// Whether the harness also measures each region's instruction-cache misses
/// and FPU contention: only for a timing model that has them, so that the
/// `ideal` program stays the same (the reads cost cycles).
inline bool hasRegionExtras(const Options &options) {
  return !options.qemu && options.preset != "ideal";
}

/// What the simulated program printed.
struct RunOutput {
  std::vector<double> losses;
  std::vector<uint32_t> lossBits;
  /// [step][region id]; the last id is the whole step.
  std::vector<std::vector<Counters>> counters;
  /// Whole-program counters of pulptrain-sim, all cores (from its
  /// --stats-json), when it ran.
  bool haveSimTotals = false;
  uint64_t simCycles = 0, simIcacheMisses = 0, simFpuContentions = 0,
           simTcdmContentions = 0;
  /// The L3 channel of pulptrain-sim: transfers, bytes and busy cycles.
  uint64_t simL3Transfers = 0, simL3Bytes = 0, simL3Cycles = 0;
  bool haveMemory = false;
  uint64_t l2Static = 0, l2HeapPeak = 0, l1Static = 0, l1HeapPeak = 0,
           l1Size = 0, l2Size = 0, cores = 0;
  std::vector<std::pair<std::string, std::string>> paramHashes;
  /// Final values of the parameters, with --dump-params.
  std::vector<std::pair<std::string, std::vector<double>>> paramValues;
};

/// Parses the program's output; reports malformed or missing lines.
bool parseRunOutput(llvm::StringRef text, const CompiledStep &step,
                    const Options &options, RunOutput &out);

/// The default loss tolerance of an element type: the "loss" entries of
/// pulptrain.train_check.TOLERANCE (test/Run/help.test checks they agree).
struct LossTolerance {
  const char *dtype;
  double tolerance;
};
inline constexpr LossTolerance kLossTolerances[] = {
    {"f32", 1e-5}, {"f16", 2e-3}, {"bf16", 1.5e-2}};

/// `value` as printf's %g ("1e-05", "0.015").
std::string formatReal(double value);

/// The default tolerances for --help: "1e-05 f32, 0.002 f16, ...".
std::string describeDefaultTolerances();

/// Prints the loss and per-layer tables; returns false when the losses are
/// off the reference by more than the tolerance.
bool printReport(llvm::raw_ostream &os, const CompiledStep &step,
                 const RunOutput &run, const Golden *golden,
                 const Options &options, llvm::StringRef title);

/// The run as JSON (configuration, regions, per-step losses and counters,
/// memory).
llvm::json::Value reportJson(const CompiledStep &step, const RunOutput &run,
                             const Golden *golden, const Options &options);

/// A stacked bar chart of the cycles of each region per step.
std::string reportSvg(const CompiledStep &step, const RunOutput &run,
                      llvm::StringRef title);

//===----------------------------------------------------------------------===//
// Linking and running the program (Simulate.cpp)
//===----------------------------------------------------------------------===//

/// The compiled step: its C header and its code (an object, or LLVM IR or
/// assembly for --emit llvm/asm).
struct CompiledCode {
  std::string header;
  std::string code;
};

/// The linked program of a run.
struct Program {
  std::string elfFile;
  /// How the data of the run was obtained, for the report.
  std::string dataOrigin;
};

/// The memory a linked program takes (MemoryModel.cpp): its allocated
/// sections and data objects by memory, and the core stacks at the top of
/// L1.
struct ProgramMemory {
  struct Entry {
    std::string what;     // What the buffer holds.
    std::string lifetime; // "program" (static) or "step" (the arena).
    uint64_t bytes = 0;
    bool inL1 = false, inL3 = false;
  };
  std::vector<Entry> entries;
  /// Bytes from each memory's base to the end of its last section.
  uint64_t l1End = 0, l2End = 0, l3End = 0;
  uint64_t stacks = 0;
  bool fits(uint64_t l1Size, uint64_t l2Size, uint64_t l3Size) const {
    return l2End <= l2Size && l1End + stacks <= l1Size && l3End <= l3Size;
  }
};

/// Reads the memory of the linked program `elfFile` of `step` for `cores`
/// cores; false (quietly) when it is not a readable 32-bit ELF file. The
/// step's own static buffers (private symbols, absent from the ELF's symbol
/// table) come from `step`.
bool readProgramMemory(llvm::StringRef elfFile, const CompiledStep &step,
                       unsigned cores, ProgramMemory &memory);

/// The table of `memory` against the memories of the run.
std::string describeProgramMemory(const ProgramMemory &memory,
                                  uint64_t l1Size, uint64_t l2Size,
                                  uint64_t l3Size = 0);

/// Links the step with the runtime and a generated harness that runs it on
/// the data of `golden` (or generated data); explains a program that does
/// not fit the memories, or, with `overflow`, returns false and leaves its
/// memory there (measured, unexplained) for the caller to place again.
bool linkProgram(const CompiledStep &step, const CompiledCode &code,
                 const Golden *golden, const Options &options,
                 const Tools &tools, const WorkDir &work, llvm::StringRef stem,
                 Program &program, ProgramMemory *overflow = nullptr);

/// Runs the program on pulptrain-sim (or qemu-riscv32) and parses what it
/// prints; explains a failed run.
bool runProgram(const Program &program, const CompiledStep &step,
                const Options &options, const Tools &tools, const WorkDir &work,
                RunOutput &run);

} // namespace mlir::pulptrain::run

#endif // PULPTRAIN_RUN_DRIVER_H
