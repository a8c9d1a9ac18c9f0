//===- MemoryModel.cpp - pulptrain-run: what a linked program takes -------===//
//
// The memory of the whole program, read from its ELF: code, read-only
// data, the harness's buffers (samples, parameters, results), the training
// state, the step's arena and L1 tiles, the profiling regions, and the
// core stacks the start code reserves at the top of L1. A program that
// does not fit is linked again for the largest memories, only to measure
// it, and reported as one table of its buffers.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/platform.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"
#include <map>

using namespace mlir::pulptrain::run;
namespace attrs = mlir::pulptrain::attrs;

namespace {

/// What a data symbol of the program is, from its name.
std::string describeSymbol(llvm::StringRef name) {
  if (name.starts_with(attrs::kArenaSymbol))
    return "the step's temporaries (arena, reused by liveness)";
  if (name == attrs::kTilesSymbol)
    return "L1 tiles of the DMA (double-buffered)";
  if (name.consume_front(attrs::kStateSymbol))
    return ("training state " + name).str();
  if (name == "regions")
    return "profiling regions of the harness";
  if (name.ends_with("_data"))
    return ("harness: samples '" + name.drop_back(5) + "'").str();
  if (name.ends_with("_buf"))
    return ("harness: result '" + name.drop_back(4) + "'").str();
  if (name.ends_with("_0") || name.ends_with("_1"))
    return ("harness: parameter '" + name.drop_back(2) + "'").str();
  return ("data '" + name + "'").str();
}

} // namespace

bool mlir::pulptrain::run::readProgramMemory(llvm::StringRef elfFile,
                                             const CompiledStep &step,
                                             unsigned cores,
                                             ProgramMemory &memory) {
  using namespace llvm::object;
  auto buffer = llvm::MemoryBuffer::getFile(elfFile);
  if (!buffer)
    return false;
  auto object = ObjectFile::createObjectFile((*buffer)->getMemBufferRef());
  if (!object) {
    llvm::consumeError(object.takeError());
    return false;
  }
  auto *elf = llvm::dyn_cast<ELF32LEObjectFile>(object->get());
  if (!elf)
    return false;

  memory = ProgramMemory();
  auto inL1 = [](uint64_t address) {
    return address >= PULPTRAIN_L1_BASE && address < PULPTRAIN_L2_BASE;
  };
  auto inL3 = [](uint64_t address) { return address >= PULPTRAIN_L3_BASE; };
  // Allocated sections: code and data by kind, the end of each memory.
  std::map<std::string, uint64_t> code;
  for (const SectionRef &section : elf->sections()) {
    ELFSectionRef ref(section);
    if (!(ref.getFlags() & llvm::ELF::SHF_ALLOC) || section.getSize() == 0)
      continue;
    uint64_t address = section.getAddress(), size = section.getSize();
    bool l1 = inL1(address), l3 = inL3(address);
    uint64_t base = l1   ? PULPTRAIN_L1_BASE
                    : l3 ? PULPTRAIN_L3_BASE
                         : PULPTRAIN_L2_BASE;
    uint64_t &end = l1 ? memory.l1End : l3 ? memory.l3End : memory.l2End;
    end = std::max(end, address + size - base);
    if (section.isText())
      code["code (.text: the step's kernels, the runtime, libc, the "
           "harness)"] += size;
    else if (ref.getFlags() & llvm::ELF::SHF_WRITE)
      continue; // Data: by symbol below.
    else
      code["read-only data (constants, initial parameter values)"] += size;
  }
  // The heaps start at the next 16-byte boundary (link.ld); the start-up
  // check of the runtime wants both below the end of their memory.
  memory.l1End = llvm::alignTo(memory.l1End, 16);
  memory.l2End = llvm::alignTo(memory.l2End, 16);
  memory.l3End = llvm::alignTo(memory.l3End, 16);
  for (auto &[what, bytes] : code)
    memory.entries.push_back({what, "program", bytes, false});

  // Data objects, largest first; small ones summed.
  std::vector<ProgramMemory::Entry> objects;
  uint64_t smallL1 = 0, smallL2 = 0;
  for (const ELFSymbolRef &symbol : elf->symbols()) {
    if (symbol.getELFType() != llvm::ELF::STT_OBJECT)
      continue;
    llvm::Expected<llvm::StringRef> name = symbol.getName();
    llvm::Expected<uint64_t> address = symbol.getAddress();
    auto section = symbol.getSection();
    if (!name || !address || !section || *section == elf->section_end() ||
        !(ELFSectionRef(**section).getFlags() & llvm::ELF::SHF_WRITE)) {
      if (!name)
        llvm::consumeError(name.takeError());
      if (!address)
        llvm::consumeError(address.takeError());
      if (!section)
        llvm::consumeError(section.takeError());
      continue;
    }
    // The training state is listed from the step's plan below (the
    // harness defines its buffers when they are initialised in place).
    if (name->starts_with(attrs::kStateSymbol))
      continue;
    uint64_t bytes = symbol.getSize();
    bool l1 = inL1(*address), l3 = inL3(*address);
    if (bytes < 256 && !l3) {
      (l1 ? smallL1 : smallL2) += bytes;
      continue;
    }
    bool arena = name->starts_with(attrs::kArenaSymbol);
    objects.push_back({describeSymbol(*name), arena ? "step" : "program",
                       bytes, l1, l3});
  }
  // The step's static buffers: private globals, without symbols.
  if (step.arenaL2)
    objects.push_back({describeSymbol(attrs::kArenaSymbol), "step",
                       uint64_t(step.arenaL2), false});
  if (step.arenaL1)
    objects.push_back({describeSymbol(attrs::kArenaSymbol), "step",
                       uint64_t(step.arenaL1), true});
  if (step.arenaL3)
    objects.push_back({describeSymbol(attrs::kArenaSymbol), "step",
                       uint64_t(step.arenaL3), false, true});
  if (step.l1Tiles)
    objects.push_back({describeSymbol(attrs::kTilesSymbol), "step",
                       uint64_t(step.l1Tiles), true});
  if (step.l3Staging)
    objects.push_back({"L2 staging of the training state in L3", "step",
                       uint64_t(step.l3Staging), false});
  for (const CompiledStep::StateBuffer &buffer : step.state)
    objects.push_back({"training state '" + buffer.name + "'", "program",
                       uint64_t(buffer.bytes), buffer.inL1, buffer.inL3});
  llvm::sort(objects, [](const auto &a, const auto &b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.what < b.what;
  });
  llvm::append_range(memory.entries, objects);
  if (smallL2)
    memory.entries.push_back(
        {"other data (runtime, harness; under 256 B each)", "program",
         smallL2, false});
  if (smallL1)
    memory.entries.push_back(
        {"other data (under 256 B each)", "program", smallL1, true});
  memory.stacks = uint64_t(cores) * PULPTRAIN_STACK_SIZE;
  memory.entries.push_back({llvm::formatv("core stacks ({0} x {1} B)", cores,
                                          PULPTRAIN_STACK_SIZE)
                                .str(),
                            "program", memory.stacks, true, false});
  return true;
}

std::string
mlir::pulptrain::run::describeProgramMemory(const ProgramMemory &memory,
                                            uint64_t l1Size, uint64_t l2Size,
                                            uint64_t l3Size) {
  std::string text;
  llvm::raw_string_ostream os(text);
  uint64_t l1Need = memory.l1End + memory.stacks;
  os << llvm::formatv("  L2: {0} B needed, {1} B available{2}\n",
                      memory.l2End, l2Size,
                      memory.l2End > l2Size ? " (does not fit)" : "");
  os << llvm::formatv("  L1: {0} B needed ({1} B of data and {2} B of "
                      "stacks), {3} B available{4}\n",
                      l1Need, memory.l1End, memory.stacks, l1Size,
                      l1Need > l1Size ? " (does not fit)" : "");
  // L3 where the part has one or the program uses it.
  if (l3Size || memory.l3End)
    os << llvm::formatv("  L3: {0} B needed, {1} B available{2}\n",
                        memory.l3End, l3Size,
                        memory.l3End > l3Size ? " (does not fit)" : "");
  os << "  memory       bytes  lifetime  buffer\n";
  for (const ProgramMemory::Entry &entry : memory.entries)
    os << llvm::formatv("  {0,-6} {1,11}  {2,-8}  {3}\n",
                        entry.inL1   ? "L1"
                        : entry.inL3 ? "L3"
                                     : "L2",
                        entry.bytes, entry.lifetime, entry.what);
  return text;
}
