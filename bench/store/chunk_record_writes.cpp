// What writing the head's sealed chunks costs per record: one pwritev each
// (HeadChunkFile before d484ab4) against gathering them in memory and one
// pwrite per 64 KiB (after). 160-byte records, as a farm's chunks make, into
// a 128 MiB sparse file in the directory given (use the store's file
// system); 5 rounds of 400,000 records each way, medians printed.
// Standalone (no library of ours), built by hand:
//
//   g++ -O2 -std=c++20 -o /tmp/chunk_record_writes bench/store/chunk_record_writes.cpp
//   /tmp/chunk_record_writes /tmp
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "/tmp";
  const size_t kRecords = 400000, kChunk = 110, kHeader = 44, kTrailer = 4 + 2;
  const size_t kRecord = kHeader + kChunk + kTrailer;  // 160 bytes, 8-aligned
  std::vector<unsigned char> header(kHeader, 1), chunk(kChunk, 2), trailer(8, 0);
  std::vector<double> per_record_ns[2];
  for (int round = 0; round < 5; ++round) {
    for (int mode = 0; mode < 2; ++mode) {
      const std::string path = dir + "/pw-" + std::to_string(mode);
      int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
      if (::ftruncate(fd, 128 << 20) != 0) return 1;
      std::vector<unsigned char> gathered;
      gathered.reserve(70 << 10);
      size_t offset = 8, written = 8;
      auto start = std::chrono::steady_clock::now();
      for (size_t i = 0; i < kRecords; ++i) {
        if (mode == 0) {
          iovec pieces[3] = {
              {header.data(), kHeader}, {chunk.data(), kChunk}, {trailer.data(), kTrailer}};
          if (::pwritev(fd, pieces, 3, static_cast<off_t>(offset)) != static_cast<ssize_t>(kRecord))
            return 2;
        } else {
          const size_t at = gathered.size();
          gathered.resize(at + kRecord);
          std::memcpy(gathered.data() + at, header.data(), kHeader);
          std::memcpy(gathered.data() + at + kHeader, chunk.data(), kChunk);
          std::memset(gathered.data() + at + kHeader + kChunk, 0, kTrailer);
          if (gathered.size() >= (64u << 10)) {
            if (::pwrite(fd, gathered.data(), gathered.size(), static_cast<off_t>(written)) !=
                static_cast<ssize_t>(gathered.size()))
              return 3;
            written += gathered.size();
            gathered.clear();
          }
        }
        offset += kRecord;
      }
      auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                    .count();
      per_record_ns[mode].push_back(ns / kRecords);
      ::close(fd);
      ::unlink(path.c_str());
    }
  }
  for (int mode = 0; mode < 2; ++mode) {
    auto v = per_record_ns[mode];
    std::sort(v.begin(), v.end());
    std::printf("%s: median %.0f ns a record (rounds:",
                mode == 0 ? "pwritev each" : "gathered, pwrite per 64 KiB", v[2]);
    for (double x : per_record_ns[mode]) std::printf(" %.0f", x);
    std::printf(")\n");
  }
}
