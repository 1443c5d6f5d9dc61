#include "common/store/series_across_sources.hpp"

namespace mc {

SeriesAcrossSources::SeriesAcrossSources(std::vector<std::unique_ptr<block::SeriesStream>>& streams)
    : streams_(streams), loaded_(streams.size()) {
  for (size_t s = 0; s < streams_.size(); ++s) load(s);
}

bool SeriesAcrossSources::next(Labels* labels, Parts* parts) {
  if (!status_) return false;
  // The sources at the series returned last move on first.
  for (const size_t s : last_parts_) {
    if (!load(s)) return false;
  }
  const Labels* least = nullptr;
  for (size_t s = 0; s < streams_.size(); ++s) {
    if (loaded_[s] && (least == nullptr || streams_[s]->labels() < *least)) {
      least = &streams_[s]->labels();
    }
  }
  if (least == nullptr) return false;
  *labels = *least;
  parts->clear();
  for (size_t s = 0; s < streams_.size(); ++s) {
    if (loaded_[s] && streams_[s]->labels() == *labels) parts->push_back(s);
  }
  last_parts_ = *parts;
  return true;
}

bool SeriesAcrossSources::load(size_t s) {
  loaded_[s] = streams_[s]->next();
  if (!loaded_[s] && !streams_[s]->status()) {
    status_ = streams_[s]->status();
    return false;
  }
  return true;
}

}  // namespace mc
