#include "common/store/downsampled_querier.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <span>

#include "common/store/tiering/downsampled_columns.hpp"

namespace mc {

namespace {

constexpr int64_t kMinTime = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max();

using Part = std::pair<std::shared_ptr<block::BlockReader>, uint32_t>;

class PointsIterator final : public SampleIterator {
 public:
  PointsIterator(std::vector<Sample> points, Status status)
      : points_(std::move(points)), status_(std::move(status)) {}

  bool next() override {
    if (position_ == kBeforeFirst) {
      position_ = 0;
    } else if (position_ < points_.size()) {
      ++position_;
    }
    return position_ < points_.size();
  }
  bool seek(int64_t t_ms) override {
    if (position_ == kBeforeFirst) position_ = 0;
    while (position_ < points_.size() && points_[position_].t_ms < t_ms) ++position_;
    return position_ < points_.size();
  }
  Sample at() const override { return points_[position_]; }
  Status status() const override { return status_; }

 private:
  static constexpr size_t kBeforeFirst = static_cast<size_t>(-1);
  std::vector<Sample> points_;
  Status status_;
  size_t position_ = kBeforeFirst;
};

// The value of one window's point, for a value other than the counter.
double window_point_value(const tiering::AggregateSample& window, WindowValue value) {
  switch (value) {
    case WindowValue::Min:
      return window.min;
    case WindowValue::Max:
      return window.max;
    case WindowValue::Sum:
      return window.sum;
    case WindowValue::Count:
      return static_cast<double>(window.count);
    default:
      return window.sum / static_cast<double>(window.count);
  }
}

using Cuts = std::shared_ptr<const std::vector<tiering::WindowCut>>;

// The points of a window that cuts split (downsampled_querier.hpp), for a
// value other than the counter.
void push_window_parts(const tiering::AggregateSample& window,
                       std::span<const tiering::WindowPart> parts, WindowValue value, int64_t mint,
                       int64_t maxt, std::vector<Sample>& points) {
  const auto push = [&](int64_t t, double v) {
    if (t >= mint && t <= maxt) points.push_back(Sample{t, v});
  };
  const double count = static_cast<double>(window.count);
  switch (value) {
    case WindowValue::Min:
    case WindowValue::Max: {
      const auto largest =
          std::max_element(parts.begin(), parts.end(),
                           [](const auto& a, const auto& b) { return a.count < b.count; });
      push(largest->t_ms, window_point_value(window, value));
      break;
    }
    case WindowValue::Sum:
      for (const auto& part : parts) {
        push(part.t_ms, window.sum * (static_cast<double>(part.count) / count));
      }
      break;
    case WindowValue::Count:
      for (const auto& part : parts) push(part.t_ms, static_cast<double>(part.count));
      break;
    default:  // an average is the same in every part
      for (const auto& part : parts) push(part.t_ms, window_point_value(window, value));
      break;
  }
}

class DownsampledSeriesView final : public Series {
 public:
  DownsampledSeriesView(std::vector<Part> parts, int64_t mint, int64_t maxt, WindowValue value,
                        Cuts cuts)
      : parts_(std::move(parts)),
        labels_(parts_.front().first->labels(parts_.front().second)),
        mint_(mint),
        maxt_(maxt),
        value_(value),
        cuts_(std::move(cuts)) {}

  const Labels& labels() const override { return labels_; }

  // The newest block's that has any.
  const MetricMetadata* metadata() const override {
    for (auto part = parts_.rbegin(); part != parts_.rend(); ++part) {
      if (const MetricMetadata* metadata = part->first->metadata(part->second)) return metadata;
    }
    return nullptr;
  }

  std::unique_ptr<SampleIterator> iterator() const override {
    std::vector<Sample> points;
    Status status = load_points(points, nullptr);
    return std::make_unique<PointsIterator>(std::move(points), std::move(status));
  }

  std::optional<CounterEnd> counter_end() const {
    std::vector<Sample> points;
    std::optional<CounterEnd> end;
    if (!load_points(points, &end)) return std::nullopt;
    return end;
  }

 private:
  // The points this view serves in [mint, maxt]; for a counter served as
  // one, also where it ends (see downsampled_counter_end).
  Status load_points(std::vector<Sample>& points, std::optional<CounterEnd>* end) const {
    std::vector<tiering::DownsampledSeries> spans;
    std::vector<int64_t> timestamps;
    std::vector<std::vector<double>> columns;
    bool counter = false;
    for (const auto& [block, series] : parts_) {
      const MetricMetadata* metadata = block->metadata(series);
      if (metadata != nullptr && metadata->type == MetricType::counter) counter = true;
    }
    const bool as_counter =
        value_ == WindowValue::Counter || (value_ == WindowValue::Natural && counter);
    for (const auto& [block, series] : parts_) {
      // A block written before the windows' first samples were kept has fewer columns.
      const size_t count = tiering::downsampled_column_count(block->meta().columns);
      if (count == 0) return Status::error(block->dir() + ": not a downsampled block");
      columns.resize(count);
      bool have_timestamps = false;
      for (size_t c = 0; c < columns.size(); ++c) {
        if (!reads_column(c, as_counter)) continue;
        // Whole spans: rebasing a counter needs each span from its start.
        if (Status status = block->read(series, kMinTime, kMaxTime, c, timestamps, columns[c]);
            !status) {
          return status;
        }
        have_timestamps = true;
      }
      if (!have_timestamps) return Status::error(block->dir() + ": no column read");
      for (size_t c = 0; c < columns.size(); ++c) {
        if (!reads_column(c, as_counter)) columns[c].assign(timestamps.size(), unread_value(c));
      }
      auto span = tiering::from_columns(block->meta().resolution_ms, timestamps, columns);
      if (!span) return Status::error(block->dir() + ": " + span.error());
      spans.push_back(std::move(*span));
    }
    if (as_counter) {
      const std::vector<Sample> all = tiering::counter_points(spans, *cuts_);
      const auto from = std::lower_bound(all.begin(), all.end(), mint_,
                                         [](const Sample& p, int64_t t) { return p.t_ms < t; });
      const auto to = std::upper_bound(from, all.end(), maxt_,
                                       [](int64_t t, const Sample& p) { return t < p.t_ms; });
      points.assign(from, to);
      // The last point is the counter at the newest raw counter sample (a
      // later NaN may move the window's time, not its counter).
      if (end != nullptr && !all.empty()) {
        for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
          if (!span->last_raw) continue;
          *end = CounterEnd{all.back().v, span->last_raw->v};
          break;
        }
      }
    } else {
      for (const auto& span : spans) {
        for (const auto& window : span.windows) {
          if (window.count == 0) continue;
          if (!cuts_->empty()) {
            const std::vector<tiering::WindowPart> parts = tiering::window_parts(window, *cuts_);
            if (parts.size() > 1) {
              push_window_parts(window, parts, value_, mint_, maxt_, points);
              continue;
            }
          }
          if (window.t_ms < mint_ || window.t_ms > maxt_) continue;
          points.push_back(Sample{window.t_ms, window_point_value(window, value_)});
        }
      }
    }
    return Status::ok();
  }

  // Whether the points need column `c` (kDownsampledColumnKinds order):
  // decoding the rest would only be thrown away (a 30-day rate() over the
  // tier decoded all eleven columns of every block).
  bool reads_column(size_t c, bool as_counter) const {
    using block::ColumnKind;
    const ColumnKind kind = tiering::kDownsampledColumnKinds[c];
    // Cut windows need their first sample's time, and a counter's estimate
    // inside one the count, sum, min and max (tiering/window_cuts.hpp).
    if (!cuts_->empty() && (as_counter || kind == ColumnKind::window_first_age)) return true;
    if (as_counter) {
      return kind != ColumnKind::count && kind != ColumnKind::sum && kind != ColumnKind::min &&
             kind != ColumnKind::max;
    }
    switch (value_) {
      case WindowValue::Min:
        return kind == ColumnKind::count || kind == ColumnKind::min;
      case WindowValue::Max:
        return kind == ColumnKind::count || kind == ColumnKind::max;
      case WindowValue::Count:
        return kind == ColumnKind::count;
      default:  // Sum, Average, Natural for anything but a counter
        return kind == ColumnKind::count || kind == ColumnKind::sum;
    }
  }
  // What an unread column holds for from_columns: a count of 1, a first
  // sample at the window's time, NaN (absent) elsewhere.
  static double unread_value(size_t c) {
    switch (tiering::kDownsampledColumnKinds[c]) {
      case block::ColumnKind::count:
        return 1;
      case block::ColumnKind::window_first_age:
        return 0;
      default:
        return std::numeric_limits<double>::quiet_NaN();
    }
  }

  std::vector<Part> parts_;  // by block time
  Labels labels_;            // built once: the index keeps symbol numbers
  int64_t mint_;
  int64_t maxt_;
  WindowValue value_;
  Cuts cuts_;  // never null
};

class DownsampledQuerier final : public Querier {
 public:
  DownsampledQuerier(std::vector<std::shared_ptr<block::BlockReader>> blocks, int64_t mint,
                     int64_t maxt, WindowValue value, std::vector<tiering::WindowCut> cuts)
      // Pinned indexes: each series is read from several blocks in turn.
      : blocks_(block::BlockReader::with_pinned_indexes(std::move(blocks))),
        mint_(mint),
        maxt_(maxt),
        value_(value),
        cuts_(std::make_shared<const std::vector<tiering::WindowCut>>(std::move(cuts))) {}

  std::vector<std::unique_ptr<Series>> select(const std::vector<Matcher>& matchers) override {
    std::map<Labels, std::vector<Part>> by_labels;
    for (const auto& block : blocks_) {
      auto numbers = block->select(matchers);
      if (!numbers) continue;  // the index was checked at open
      for (const uint32_t series : *numbers)
        by_labels[block->labels(series)].emplace_back(block, series);
    }
    std::vector<std::unique_ptr<Series>> selected;
    for (auto& [labels, parts] : by_labels) {
      const bool in_range = std::any_of(parts.begin(), parts.end(), [&](const Part& part) {
        return part.first->max_time(part.second) >= mint_ &&
               part.first->min_time(part.second) <= maxt_;
      });
      if (in_range)
        selected.push_back(
            std::make_unique<DownsampledSeriesView>(std::move(parts), mint_, maxt_, value_, cuts_));
    }
    return selected;
  }

  std::vector<std::string> label_names() override {
    std::set<std::string> names;
    for (const auto& block : blocks_) {
      for (auto& name : block->label_names()) names.insert(std::move(name));
    }
    return {names.begin(), names.end()};
  }

  std::vector<std::string> label_values(std::string_view name) override {
    std::set<std::string> values;
    for (const auto& block : blocks_) {
      for (auto& value : block->label_values(name)) values.insert(std::move(value));
    }
    return {values.begin(), values.end()};
  }

  std::vector<std::string> tiers() const override { return {blocks_.front()->meta().tier}; }

 private:
  std::vector<std::shared_ptr<block::BlockReader>> blocks_;
  int64_t mint_;
  int64_t maxt_;
  WindowValue value_;
  Cuts cuts_;
};

}  // namespace

std::optional<CounterEnd> downsampled_counter_end(const Series& series) {
  const auto* view = dynamic_cast<const DownsampledSeriesView*>(&series);
  if (view == nullptr) return std::nullopt;
  return view->counter_end();
}

std::unique_ptr<Querier> downsampled_querier(
    std::vector<std::shared_ptr<block::BlockReader>> blocks, int64_t mint, int64_t maxt,
    WindowValue value, std::vector<tiering::WindowCut> cuts) {
  return std::make_unique<DownsampledQuerier>(std::move(blocks), mint, maxt, value,
                                              std::move(cuts));
}

}  // namespace mc
