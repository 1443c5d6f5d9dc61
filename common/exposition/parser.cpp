#include "common/exposition/parser.hpp"

#include <exception>
#include <new>
#include <string>

#include "common/exposition/openmetrics_parser.hpp"
#include "common/exposition/text_parser.hpp"

namespace mc {

Status parse_exposition(std::string_view body, ExpositionFormat format, ExpositionHandler& handler,
                        const ParseOptions& options) {
  // The parsers throw nothing themselves; a handler or an allocation might, and
  // exceptions do not leave this component.
  try {
    switch (format) {
      case ExpositionFormat::prometheus_text:
        return exposition_detail::parse_prometheus_text(body, handler, options);
      case ExpositionFormat::openmetrics:
        return exposition_detail::parse_openmetrics(body, handler, options);
    }
    return Status::error("unknown exposition format");
  } catch (const std::bad_alloc&) {
    return Status::error("out of memory while parsing the exposition");
  } catch (const std::exception& e) {
    return Status::error(std::string("parsing the exposition failed: ") + e.what());
  }
}

}  // namespace mc
