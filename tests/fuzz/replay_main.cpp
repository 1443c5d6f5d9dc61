// fuzz_replay: runs files through the fuzz targets' entry functions without
// libFuzzer, so the corpora and the inputs of crashes once found are replayed
// by every `make test`, with g++ and no sanitizer runtime needed.
//
//   fuzz_replay <target> <file or directory>...
//
// A crash (or a sanitizer report in a sanitizer build) fails the run; a
// directory that does not exist is skipped, since a target may have no
// regression inputs yet. Exit 0 after every file ran; 2 on a usage error.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#define MC_FUZZ_ENTRY(name) extern "C" int fuzz_entry_##name(const uint8_t* data, size_t size);
#include "fuzz_entries.inc"
#undef MC_FUZZ_ENTRY

namespace {

using FuzzEntry = int (*)(const uint8_t*, size_t);

struct NamedEntry {
  std::string_view name;
  FuzzEntry entry;
};

#define MC_FUZZ_ENTRY(name) NamedEntry{#name, &fuzz_entry_##name},
constexpr NamedEntry kEntries[] = {
#include "fuzz_entries.inc"
};
#undef MC_FUZZ_ENTRY

std::vector<std::filesystem::path> files_under(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) {
    files.push_back(path);
  } else if (std::filesystem::is_directory(path, error)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  // Sorted, so a failure names the same file on every run.
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fuzz_replay <target> <file or directory>...\n");
    return 2;
  }
  const std::string_view target = argv[1];
  const auto found = std::find_if(std::begin(kEntries), std::end(kEntries),
                                  [&](const NamedEntry& entry) { return entry.name == target; });
  if (found == std::end(kEntries)) {
    std::fprintf(stderr, "fuzz_replay: no target named %s\n", argv[1]);
    return 2;
  }
  size_t replayed = 0;
  for (int i = 2; i < argc; ++i) {
    for (const auto& file : files_under(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                       std::istreambuf_iterator<char>());
      // Printed before the run, so a crash's output ends with the file to blame.
      std::fprintf(stderr, "%s: %s (%zu bytes)\n", argv[1], file.c_str(), bytes.size());
      found->entry(bytes.data(), bytes.size());
      ++replayed;
    }
  }
  std::printf("fuzz_replay %s: %zu inputs, no crash\n", argv[1], replayed);
  return 0;
}
