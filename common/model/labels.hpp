// Labels: the identity of a series, a set of name/value pairs sorted by name.
//
// The metric name is the label "__name__", as in Prometheus. A Labels value is
// immutable once built; build or change one with LabelsBuilder. The hash is
// computed once at construction, so looking a series up by its labels costs one
// hash-table probe and one comparison.
//
// The pairs live in one byte string (per label: varint name length, name,
// varint value length, value; a common name in two bytes, see
// kCommonLabelNames), as Prometheus's "stringlabels" does: a label
// set is one allocation instead of a vector of string pairs, which was about
// 250 bytes more per series for the head and the scrape cache to hold.
// That allocation also holds the hash, the byte size and a reference count in
// front of the bytes, so a Labels is one pointer, and copying one shares the
// allocation (the pairs never change) instead of copying it: the head's
// series, the scrape cache and the exporter hold one label set between them
// without a shared_ptr's separate control block (32 bytes a series,
// bench/memory). SharedLabels (shared_labels.hpp) is the nullable handle the
// store passes around. The empty set allocates nothing. Iteration yields
// LabelView pairs of string_views into that string; get(), size() and
// iteration are linear, which is fast at the few labels a series has.
//
// Thread-safety: const methods may be called from any thread; copies of one
// Labels may be made and destroyed on any threads at once (the count is atomic).
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mc {

inline constexpr std::string_view kMetricNameLabel = "__name__";

// Label names most series carry. Inside a Labels a pair names one of them in
// two bytes (a 0 byte, then its index) instead of its length and text: 16
// bytes less for every scraped series (__name__, instance, job), at 100,000s
// of series. In memory only: nothing writes a Labels' bytes out as they are
// (the WAL and blocks write names and values), so the list may change.
inline constexpr std::string_view kCommonLabelNames[] = {
    kMetricNameLabel, "instance", "job", "le", "quantile", "cpu", "device", "mode"};
// The index byte after a 0 that stands for the empty name (no varint length
// of one byte is 0 otherwise).
inline constexpr unsigned char kEmptyLabelNameIndex = 0xff;
static_assert(std::size(kCommonLabelNames) < kEmptyLabelNameIndex);

struct Label {
  std::string name;
  std::string value;

  // clang-tidy 14 flags the literal 0 inside the defaulted <=> (a false positive).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  auto operator<=>(const Label&) const = default;
};

// One label of a Labels, viewing its bytes; valid as long as the Labels.
struct LabelView {
  std::string_view name;
  std::string_view value;

  // clang-tidy 14 flags the literal 0 inside the defaulted <=> (a false positive).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  auto operator<=>(const LabelView&) const = default;
};

class Labels {
 public:
  // Forward iterator over the pairs in name order.
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = LabelView;
    using difference_type = std::ptrdiff_t;
    using pointer = const LabelView*;
    using reference = LabelView;

    Iterator() = default;
    Iterator(const char* at, const char* end) : at_(at), end_(end) { decode(); }

    LabelView operator*() const { return current_; }
    const LabelView* operator->() const { return &current_; }
    Iterator& operator++() {
      at_ = next_;
      decode();
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& other) const { return at_ == other.at_; }

   private:
    // Inline: sorting a /metrics family decodes labels in every comparison.
    void decode() {
      if (at_ == end_) return;
      const char* at = at_;
      if (*at == 0) {
        const auto index = static_cast<unsigned char>(at[1]);
        current_.name =
            index == kEmptyLabelNameIndex ? std::string_view() : kCommonLabelNames[index];
        at += 2;
      } else {
        const size_t name_size = read_length(at);
        current_.name = std::string_view(at, name_size);
        at += name_size;
      }
      const size_t value_size = read_length(at);
      current_.value = std::string_view(at, value_size);
      next_ = at + value_size;
    }
    // A varint length as Labels wrote it (most are one byte).
    static size_t read_length(const char*& at) {
      auto byte = static_cast<unsigned char>(*at++);
      if (byte < 0x80) return byte;
      size_t length = byte & 0x7f;
      for (int shift = 7;; shift += 7) {
        byte = static_cast<unsigned char>(*at++);
        length |= static_cast<size_t>(byte & 0x7f) << shift;
        if (byte < 0x80) return length;
      }
    }

    const char* at_ = nullptr;
    const char* end_ = nullptr;
    const char* next_ = nullptr;
    LabelView current_;
  };

  Labels() = default;
  // Sorts by name. REQUIRES: no name appears twice (LabelsBuilder guarantees it).
  explicit Labels(std::vector<Label> labels);
  Labels(std::initializer_list<Label> labels) : Labels(std::vector<Label>(labels)) {}
  // From pairs already sorted by name, viewed where they are kept (a block's
  // symbol table): no string is copied but into the one allocation.
  // REQUIRES: sorted by name, no name twice.
  static Labels from_sorted(std::span<const LabelView> labels);
  // Copies share the pairs (one more reference), they do not copy them.
  Labels(const Labels& other) noexcept : block_(other.block_) { retain(); }
  Labels& operator=(const Labels& other) noexcept {
    Labels copy(other);
    std::swap(block_, copy.block_);
    return *this;
  }
  Labels(Labels&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  Labels& operator=(Labels&& other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }
  ~Labels() { release(); }

  // The value of `name`, or "" when absent (Prometheus treats both the same).
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  std::string_view metric_name() const { return get(kMetricNameLabel); }

  // The number of pairs, counted by decoding them (a few).
  size_t size() const;
  bool empty() const { return block_ == nullptr || block_->size == 0; }
  Iterator begin() const { return {bytes().data(), bytes().data() + bytes().size()}; }
  Iterator end() const {
    return {bytes().data() + bytes().size(), bytes().data() + bytes().size()};
  }

  uint64_t hash() const { return block_ == nullptr ? empty_hash() : block_->hash; }

  bool operator==(const Labels& other) const {
    return hash() == other.hash() && bytes() == other.bytes();
  }
  // Pair by pair, name before value, as a sorted vector of pairs compares.
  std::strong_ordering operator<=>(const Labels& other) const;

  // `name{a="1", b="2"}` with values escaped as in the text format; for logs and errors.
  std::string to_string() const;

  // Bytes of the heap block this label set shares with its copies, for memory accounting.
  size_t heap_bytes() const;

  // The same for every copy of one label set and different for label sets
  // that are alive at once and were built apart (equal or not); null for the
  // empty set. Lets a cache key by "this series' labels" without comparing them.
  const void* identity() const { return block_; }
  // How many Labels share this one's pairs (0 for the empty set); racy but
  // exact when no other thread copies or drops them meanwhile.
  uint32_t use_count() const {
    return block_ == nullptr ? 0 : block_->refs.load(std::memory_order_acquire);
  }

 private:
  // The front of the one allocation; the encoded pairs (see the top) follow.
  struct Block {
    uint64_t hash;
    std::atomic<uint32_t> refs;  // the Labels that share this block
    uint32_t size;               // bytes of encoded pairs
  };
  static_assert(sizeof(Block) == 16, "the header malloc's 16-byte steps were sized for");

  friend class SharedLabels;
  // A block of `size` encoded bytes, one reference, hash still to be set.
  static Block* allocate(size_t size);
  // Encodes sorted pairs (anything with .name and .value) into block_.
  template <typename Pairs>
  void encode_sorted(const Pairs& labels);

  static uint64_t empty_hash();
  // The encoded pairs; empty for the empty set.
  std::string_view bytes() const {
    if (block_ == nullptr) return {};
    return {reinterpret_cast<const char*>(block_ + 1), block_->size};
  }
  void retain() const {
    if (block_ != nullptr) block_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release();

  Block* block_ = nullptr;  // null: the empty set
};

// Hash of a sequence of name/value pairs in sorted order; Labels::hash() uses it,
// and so may code that has the pairs but not yet a Labels.
class LabelsHasher {
 public:
  void add(std::string_view name, std::string_view value);
  uint64_t finish() const;

 private:
  uint64_t state_ = 0x9e3779b97f4a7c15ULL;
};

// Builds a Labels from a base set with names set or removed; setting an empty
// value removes the label, as in Prometheus.
class LabelsBuilder {
 public:
  LabelsBuilder() = default;
  explicit LabelsBuilder(const Labels& base);

  LabelsBuilder& set(std::string_view name, std::string_view value);
  LabelsBuilder& remove(std::string_view name);
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  Labels labels() const;

 private:
  std::vector<Label> labels_;  // unsorted while building; names unique
};

struct LabelsHash {
  size_t operator()(const Labels& labels) const { return labels.hash(); }
};

}  // namespace mc
