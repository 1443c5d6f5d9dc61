// SampleLineCounter: counts the sample lines of an exposition body while it is
// still arriving, so a scrape over sample_limit can stop reading at the limit
// instead of first taking in a body of millions of series (up to
// body_size_limit, or without end when that is 0).
//
// A sample line is one whose first non-blank byte can start a metric name;
// comments, blank lines and the rest of a line are skipped, and a line break
// inside a quoted label value (text 0.0.4 allows them) does not start a line.
// The count never exceeds the samples of a body that parses, so stopping at
// count > sample_limit never fails a scrape the parser would have accepted.
//
// Thread-safety: not thread-safe; one body at a time.
#pragma once

#include <cstdint>
#include <string_view>

namespace mc {

// The newline bytes in `text`. Every sample line but a body's last ends in
// one, so while a body's newlines stay under sample_limit its sample lines
// cannot pass it: the exact (slower) count is needed only near the limit.
uint64_t count_newlines(std::string_view text);

class SampleLineCounter {
 public:
  // Forgets the last body.
  void reset();
  // Reads the body's next bytes; pieces may split lines and label values anywhere.
  void add(std::string_view piece);
  uint64_t count() const { return count_; }

 private:
  enum class State : uint8_t {
    line_start,       // blanks before the first byte of a line
    in_other_line,    // a comment or a line that is no sample: skip to its end
    in_sample_line,   // outside quotes
    in_label_value,   // inside a double-quoted label value
    after_backslash,  // the byte after a backslash in a label value
  };

  State state_ = State::line_start;
  uint64_t count_ = 0;
};

}  // namespace mc
