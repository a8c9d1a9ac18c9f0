//===- Simulate.cpp - pulptrain-run: link and run the program -------------===//
//
// Links the compiled step with the runtime and the generated harness
// (pulptrain-cc) and runs it on pulptrain-sim or qemu-riscv32; a program
// that does not fit the simulated memories is explained with its footprint.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "pulptrain/platform.h"

using namespace mlir::pulptrain::run;

namespace {

/// The pulptrain-cc command that links the harness and the step into
/// `elfFile`.
std::vector<std::string> getLinkCommand(const Options &options,
                                        const Tools &tools,
                                        llvm::StringRef harnessFile,
                                        llvm::StringRef objFile,
                                        llvm::StringRef elfFile,
                                        bool largest = false) {
  std::vector<std::string> link = {tools.cc, "-O2"};
  if (options.qemu)
    link.push_back("--qemu");
  else if (options.target != mlir::pulptrain::TargetKind::Riscv32)
    link.push_back("--no-xcv");
  // The link script's memories are the simulated ones of the run (the
  // largest ones to measure a program that does not fit).
  if (!options.qemu)
    link.insert(link.end(),
                {"--l1-size=" + std::to_string(largest ? PULPTRAIN_L1_MAX_SIZE
                                                       : options.l1Bytes),
                 "--l2-size=" + std::to_string(largest ? PULPTRAIN_L2_MAX_SIZE
                                                       : options.l2Bytes)});
  if (!options.qemu && (options.l3Bytes || largest))
    link.push_back("--l3-size=" + std::to_string(largest ? PULPTRAIN_L3_MAX_SIZE
                                                         : options.l3Bytes));
  link.insert(link.end(),
              {harnessFile.str(), objFile.str(), "-Wl,--wrap=malloc",
               "-Wl,--wrap=pulptrain_l1_malloc"});
  // The harness's region extras read two more counters around each region.
  if (hasRegionExtras(options))
    link.insert(link.end(), {"-Wl,--wrap=pulptrain_prof_enter",
                             "-Wl,--wrap=pulptrain_prof_exit"});
  link.insert(link.end(), {"-o", elfFile.str()});
  return link;
}

/// The command that runs `elfFile`: pulptrain-sim with the run's cluster,
/// or qemu-riscv32 with the CPU of the standard ISA.
std::vector<std::string> getRunCommand(const Options &options,
                                       const Tools &tools,
                                       llvm::StringRef elfFile,
                                       llvm::StringRef statsFile) {
  if (options.qemu)
    return {tools.qemu, "-cpu",
            mlir::pulptrain::getTargetInfo(options.target).qemuCpu,
            elfFile.str()};
  std::vector<std::string> command = {
      tools.sim,      "--quiet",
      "--cores",      std::to_string(options.cores),
      "--l1-size",    std::to_string(options.l1Bytes),
      "--l2-size",    std::to_string(options.l2Bytes),
      "--preset",     options.preset,
      "--stats-json", statsFile.str()};
  if (options.l3Bytes)
    command.insert(command.end(),
                   {"--l3-size", std::to_string(options.l3Bytes)});
  command.push_back(elfFile.str());
  return command;
}

/// Reads the whole-program totals of pulptrain-sim's --stats-json.
void readSimTotals(llvm::StringRef statsFile, RunOutput &run) {
  std::string text;
  if (!readFile(statsFile, text))
    return;
  llvm::Expected<llvm::json::Value> doc = llvm::json::parse(text);
  if (!doc) {
    llvm::consumeError(doc.takeError());
    return;
  }
  const llvm::json::Object *total =
      doc->getAsObject() ? doc->getAsObject()->getObject("total") : nullptr;
  if (!total)
    return;
  auto get = [&](llvm::StringRef key) {
    return uint64_t(total->getInteger(key).value_or(0));
  };
  run.haveSimTotals = true;
  run.simCycles = get("cycles");
  run.simIcacheMisses = get("icache_misses");
  run.simFpuContentions = get("fpu_contentions");
  run.simTcdmContentions = get("tcdm_contentions");
  if (const llvm::json::Object *l3 = doc->getAsObject()->getObject("l3_dma")) {
    run.simL3Transfers = uint64_t(l3->getInteger("transfers").value_or(0));
    run.simL3Bytes = uint64_t(l3->getInteger("bytes").value_or(0));
    run.simL3Cycles = uint64_t(l3->getInteger("busy_cycles").value_or(0));
  }
}

/// Reports a program that does not fit the simulated memories: what the
/// tool said and what the harness keeps in memory.
bool failDoesNotFit(llvm::StringRef details, const CompiledStep &step,
                    const Options &options) {
  return fail("the program does not fit the simulated memory (--l1-size, "
              "--l2-size):" +
              details + "\n" + describeFootprint(step, options));
}

/// Reports a linked program that does not fit: the table of its memory.
bool failProgramMemory(const ProgramMemory &memory, const Options &options) {
  return fail("the program does not fit the simulated memory (--l1-size=" +
              llvm::Twine(options.l1Bytes) +
              ", --l2-size=" + llvm::Twine(options.l2Bytes) +
              (options.l3Bytes
                   ? ", --l3-size=" + std::to_string(options.l3Bytes)
                   : std::string()) +
              "):\n" +
              describeProgramMemory(memory, options.l1Bytes, options.l2Bytes,
                                    options.l3Bytes));
}

} // namespace

bool mlir::pulptrain::run::linkProgram(const CompiledStep &step,
                                       const CompiledCode &code,
                                       const Golden *golden,
                                       const Options &options,
                                       const Tools &tools, const WorkDir &work,
                                       llvm::StringRef stem, Program &program,
                                       ProgramMemory *overflow) {
  RunData data;
  if (!prepareData(step, golden, options, data))
    return false;
  std::string objFile = work.file((stem + ".o").str());
  std::string headerName = (stem + ".h").str();
  std::string harnessFile = work.file((stem + "_harness.c").str());
  program.elfFile = work.file((stem + ".elf").str());
  program.dataOrigin = data.origin;
  if (!writeFile(objFile, code.code) ||
      !writeFile(work.file(headerName), code.header) ||
      !writeFile(harnessFile, generateHarness(step, data, options, headerName)))
    return false;
  std::string errFile = work.file("link.err");
  int status = runTool(
      getLinkCommand(options, tools, harnessFile, objFile, program.elfFile),
      work.file("link.out"), errFile, options.verbose);
  if (status < 0)
    return false;
  if (status == 0) {
    // The link script does not reserve the core stacks at the top of L1.
    ProgramMemory memory;
    if (options.qemu ||
        !readProgramMemory(program.elfFile, step, options.cores, memory) ||
        memory.fits(options.l1Bytes, options.l2Bytes, options.l3Bytes))
      return true;
    if (overflow) {
      *overflow = std::move(memory);
      return false;
    }
    return failProgramMemory(memory, options);
  }
  std::string linkErr;
  readFile(errFile, linkErr);
  if (!llvm::StringRef(linkErr).contains("will not fit in region"))
    return fail("linking the simulated program failed:" + tail(errFile));
  // Linked again for the largest memories, only to measure it.
  std::string probeFile = work.file((stem + ".probe.elf").str());
  ProgramMemory memory;
  if (runTool(getLinkCommand(options, tools, harnessFile, objFile, probeFile,
                             /*largest=*/true),
              work.file("probe.out"), work.file("probe.err"),
              options.verbose) != 0 ||
      !readProgramMemory(probeFile, step, options.cores, memory))
    return failDoesNotFit(tail(errFile, 4), step, options);
  if (overflow) {
    *overflow = std::move(memory);
    return false;
  }
  return failProgramMemory(memory, options);
}

bool mlir::pulptrain::run::runProgram(const Program &program,
                                      const CompiledStep &step,
                                      const Options &options,
                                      const Tools &tools, const WorkDir &work,
                                      RunOutput &run) {
  std::string outFile = work.file("run.out"), errFile = work.file("run.err");
  std::string statsFile = work.file("sim-stats.json");
  int status = runTool(
      getRunCommand(options, tools, program.elfFile, statsFile), outFile,
      errFile, options.verbose);
  if (status < 0)
    return false;
  std::string output;
  if (!readFile(outFile, output))
    return false;
  if (status == 0) {
    if (!options.qemu)
      readSimTotals(statsFile, run);
    return parseRunOutput(output, step, options, run);
  }
  // The harness reports a failed allocation itself.
  if (llvm::StringRef(output).contains("pulptrain-oom")) {
    parseRunOutput(output, step, options, run);
    return false;
  }
  std::string err;
  readFile(errFile, err);
  // The runtime's start-up check (exit 125) or the simulator's loader.
  if (status == 125 || llvm::StringRef(err).contains("does not fit"))
    return failDoesNotFit(tail(outFile, 4) + tail(errFile), step, options);
  return fail(llvm::Twine(options.qemu ? "qemu-riscv32" : "pulptrain-sim") +
              " exited with status " + llvm::Twine(status) + ":" +
              tail(outFile, 4) + tail(errFile));
}
