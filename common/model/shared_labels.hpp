// SharedLabels: a label set as the store, the scrape cache and the exporter
// share it, a nullable handle with the pointer syntax a
// std::shared_ptr<const Labels> had.
//
// It is one Labels (one pointer to the reference-counted block of pairs, see
// labels.hpp): copying it counts one more reference, and the pairs, their
// header and the count are one allocation, where make_shared<const Labels>
// added a 32-byte block (control block and the Labels) per series. Null
// (default, or nullptr) means "no labels", apart from the empty label set,
// which a non-null handle holds in a block of its own so that identity()
// tells handles apart as the shared_ptr's address did.
//
// Thread-safety: as Labels: copies may be made and dropped on any threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "common/model/labels.hpp"

namespace mc {

class SharedLabels {
 public:
  SharedLabels() = default;
  SharedLabels(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): as shared_ptr's
  explicit SharedLabels(Labels labels) : labels_(std::move(labels)) {
    if (labels_.block_ == nullptr) {
      labels_.block_ = Labels::allocate(0);
      labels_.block_->hash = Labels::empty_hash();
    }
  }

  // REQUIRES: non-null. Valid while this handle holds them.
  const Labels& operator*() const { return labels_; }
  const Labels* operator->() const { return &labels_; }
  explicit operator bool() const { return labels_.block_ != nullptr; }
  bool operator==(std::nullptr_t) const { return labels_.block_ == nullptr; }

  // The same for every handle to one label set (see Labels::identity); null
  // for a null handle.
  const void* identity() const { return labels_.identity(); }
  // How many handles and Labels share the label set (0 when null).
  uint32_t use_count() const { return labels_.use_count(); }
  void reset() { labels_ = Labels(); }

 private:
  Labels labels_;  // block_ null only when the handle is null
};

}  // namespace mc
