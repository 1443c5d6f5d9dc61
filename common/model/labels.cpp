#include "common/model/labels.hpp"

#include <algorithm>
#include <cstring>

#include "common/exposition/escape.hpp"

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

}  // namespace

Labels::Labels(std::vector<Label> labels) : labels_(std::move(labels)) {
  std::sort(labels_.begin(), labels_.end(),
            [](const Label& a, const Label& b) { return a.name < b.name; });
  LabelsHasher hasher;
  for (const auto& label : labels_) hasher.add(label.name, label.value);
  hash_ = hasher.finish();
}

std::string_view Labels::get(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != labels_.end() && it->name == name) return it->value;
  return {};
}

bool Labels::has(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  return it != labels_.end() && it->name == name;
}

std::string Labels::to_string() const {
  std::string out(metric_name());
  out += '{';
  bool first = true;
  for (const auto& label : labels_) {
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

size_t Labels::heap_bytes() const {
  size_t bytes = labels_.capacity() * sizeof(Label);
  // std::string keeps up to 15 bytes inline (SSO); longer strings own a heap block.
  for (const auto& label : labels_) {
    if (label.name.capacity() > 15) bytes += label.name.capacity() + 1;
    if (label.value.capacity() > 15) bytes += label.value.capacity() + 1;
  }
  return bytes;
}

void LabelsHasher::add(std::string_view name, std::string_view value) {
  state_ = hash_bytes(state_, name);
  state_ = hash_bytes(state_ ^ 0xff, value);
}

uint64_t LabelsHasher::finish() const { return mix(state_); }

LabelsBuilder::LabelsBuilder(const Labels& base) : labels_(base.begin(), base.end()) {}

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
