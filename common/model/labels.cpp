#include "common/model/labels.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "common/model/label_value_escape.hpp"

namespace mc {

namespace {

// A 64-bit mix (the finaliser of MurmurHash3 / splitmix64): cheap and good
// enough to spread label sets over hash-table buckets. Not cryptographic.
uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t hash_bytes(uint64_t seed, std::string_view bytes) {
  uint64_t h = seed ^ (bytes.size() * 0x9ddfea08eb382d69ULL);
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    h = mix(h ^ word) * 0x9e3779b97f4a7c15ULL;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  return mix(h ^ tail);
}

size_t length_size(size_t length) {
  size_t size = 1;
  for (; length >= 0x80; length >>= 7) ++size;
  return size;
}

char* append_length(char* out, size_t length) {
  while (length >= 0x80) {
    *out++ = static_cast<char>((length & 0x7f) | 0x80);
    length >>= 7;
  }
  *out++ = static_cast<char>(length);
  return out;
}

char* append_bytes(char* out, std::string_view bytes) {
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return out + bytes.size();
}

constexpr int kNotCommonLabelName = -1;

// The index of `name` in kCommonLabelNames, or kNotCommonLabelName.
int common_label_name_index(std::string_view name) {
  for (size_t i = 0; i < std::size(kCommonLabelNames); ++i) {
    if (kCommonLabelNames[i] == name) return static_cast<int>(i);
  }
  return kNotCommonLabelName;
}

// Bytes a name takes in the pairs.
size_t encoded_label_name_size(std::string_view name) {
  if (name.empty() || common_label_name_index(name) != kNotCommonLabelName) return 2;
  return length_size(name.size()) + name.size();
}

char* append_label_name(char* out, std::string_view name) {
  const int index = common_label_name_index(name);
  if (index != kNotCommonLabelName || name.empty()) {
    *out++ = 0;
    *out++ = static_cast<char>(index != kNotCommonLabelName ? index : kEmptyLabelNameIndex);
    return out;
  }
  return append_bytes(append_length(out, name.size()), name);
}

}  // namespace

Labels::Labels(std::vector<Label> labels) {
  if (labels.empty()) return;
  std::sort(labels.begin(), labels.end(),
            [](const Label& a, const Label& b) { return a.name < b.name; });
  encode_sorted(labels);
}

Labels Labels::from_sorted(std::span<const LabelView> labels) {
  Labels out;
  if (!labels.empty()) out.encode_sorted(labels);
  return out;
}

template <typename Pairs>
void Labels::encode_sorted(const Pairs& labels) {
  size_t size = 0;
  for (const auto& label : labels) {
    size +=
        encoded_label_name_size(label.name) + length_size(label.value.size()) + label.value.size();
  }
  block_ = allocate(size);
  char* out = reinterpret_cast<char*>(block_ + 1);
  LabelsHasher hasher;
  for (const auto& label : labels) {
    out = append_label_name(out, label.name);
    out = append_length(out, label.value.size());
    out = append_bytes(out, label.value);
    hasher.add(label.name, label.value);
  }
  block_->hash = hasher.finish();
}

Labels::Block* Labels::allocate(size_t size) {
  void* memory = ::operator new(sizeof(Block) + size);
  return new (memory) Block{0, 1, static_cast<uint32_t>(size)};
}

void Labels::release() {
  Block* block = std::exchange(block_, nullptr);
  // acq_rel: the last owner's free happens after every other owner's reads.
  if (block == nullptr || block->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  block->~Block();
  ::operator delete(block);
}

size_t Labels::size() const {
  size_t count = 0;
  for (auto it = begin(); it != end(); ++it) ++count;
  return count;
}

uint64_t Labels::empty_hash() {
  static const uint64_t hash = LabelsHasher().finish();
  return hash;
}

std::string_view Labels::get(std::string_view name) const {
  for (const LabelView label : *this) {
    if (label.name == name) return label.value;
    if (label.name > name) break;  // sorted by name
  }
  return {};
}

bool Labels::has(std::string_view name) const {
  for (const LabelView label : *this) {
    if (label.name == name) return true;
    if (label.name > name) break;
  }
  return false;
}

std::strong_ordering Labels::operator<=>(const Labels& other) const {
  return std::lexicographical_compare_three_way(begin(), end(), other.begin(), other.end());
}

std::string Labels::to_string() const {
  std::string out(metric_name());
  out += '{';
  bool first = true;
  for (const LabelView label : *this) {
    if (label.name == kMetricNameLabel) continue;
    if (!first) out += ", ";
    first = false;
    out += label.name;
    out += "=\"";
    append_escaped_label_value(out, label.value);
    out += '"';
  }
  out += '}';
  return out;
}

size_t Labels::heap_bytes() const { return block_ == nullptr ? 0 : sizeof(Block) + block_->size; }

void LabelsHasher::add(std::string_view name, std::string_view value) {
  state_ = hash_bytes(state_, name);
  state_ = hash_bytes(state_ ^ 0xff, value);
}

uint64_t LabelsHasher::finish() const { return mix(state_); }

LabelsBuilder::LabelsBuilder(const Labels& base) {
  labels_.reserve(base.size());
  for (const LabelView label : base) {
    labels_.push_back(Label{std::string(label.name), std::string(label.value)});
  }
}

LabelsBuilder& LabelsBuilder::set(std::string_view name, std::string_view value) {
  if (value.empty()) return remove(name);
  for (auto& label : labels_) {
    if (label.name == name) {
      label.value = value;
      return *this;
    }
  }
  labels_.push_back(Label{std::string(name), std::string(value)});
  return *this;
}

LabelsBuilder& LabelsBuilder::remove(std::string_view name) {
  std::erase_if(labels_, [&](const Label& l) { return l.name == name; });
  return *this;
}

std::string_view LabelsBuilder::get(std::string_view name) const {
  for (const auto& label : labels_) {
    if (label.name == name) return label.value;
  }
  return {};
}

bool LabelsBuilder::has(std::string_view name) const {
  return std::any_of(labels_.begin(), labels_.end(),
                     [&](const Label& l) { return l.name == name; });
}

Labels LabelsBuilder::labels() const { return Labels(labels_); }

}  // namespace mc
