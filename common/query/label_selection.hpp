// Which labels of a series take part when two vectors are matched
// (on/ignoring) or an aggregation groups (by/without), as Prometheus 2.42
// picks them: on(...) and by(...) keep only the named labels (__name__ too
// when it is named); ignoring(...) and without(...) keep all but the named
// ones and __name__.
//
// Immutable once built; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/model/labels.hpp"

namespace mc::query {

class LabelSelection {
 public:
  // only_named: on/by; otherwise ignoring/without.
  LabelSelection(bool only_named, std::vector<std::string> names);

  // Equal for two label sets exactly when their selected labels are equal;
  // the key two samples match on, or a sample's group.
  std::string signature(const Labels& labels) const;
  // The selected labels: a group's labels, the match group of an error.
  Labels select(const Labels& labels) const;
  bool selects(std::string_view name) const;

 private:
  bool only_named_;
  std::vector<std::string> names_;  // sorted
};

}  // namespace mc::query
