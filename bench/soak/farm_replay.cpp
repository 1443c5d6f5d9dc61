// farm_replay: says which value target_farm served for a series at a given
// request, so the soak (bench/soak/soak.sh) can check scraped samples end to
// end without the farm recording anything.
//
// The farm's values are already a deterministic function of (seed, target,
// request number): each target's page has its own generator, seeded from the
// farm's seed and the target's index, and every /metrics request steps every
// value of the page once, in page order. So this tool compiles the farm's own
// source (its main renamed) and renders the same pages the same number of
// times; the numbers come out byte for byte as they were served. Requests
// that are not GET /metrics (the harness's /-/stats) do not step values.
//
//   farm_replay --page=FILE --series=M [--seed=N] --layout
//       one line per series of a page: "index kind name{labels}"
//   farm_replay --page=FILE --series=M [--seed=N] --targets=LIST --requests=N --columns=LIST
//       one line per target and request 1..N: "target request value..." with
//       the values of the listed series indices, as the farm wrote them
//
// LIST is comma-separated numbers and ranges ("0-199", "3,17,40-42").
#define main target_farm_main
#include "../scrape/target_farm.cpp"
#undef main

#include <iostream>

namespace {

// Must stay the same as Farm's constructor in target_farm.cpp.
uint64_t target_seed(uint64_t farm_seed, int target) {
  return farm_seed + 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(target + 1);
}

const char* kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::counter_integer:
      return "counter_integer";
    case ValueKind::counter_float:
      return "counter_float";
    case ValueKind::gauge_integer:
      return "gauge_integer";
    case ValueKind::gauge_float:
      return "gauge_float";
  }
  return "unknown";
}

bool parse_list(std::string_view text, std::vector<size_t>& out) {
  while (!text.empty()) {
    std::string_view item = text.substr(0, text.find(','));
    text.remove_prefix(std::min(text.size(), item.size() + 1));
    size_t dash = item.find('-');
    size_t first = 0;
    size_t last = 0;
    auto parse = [](std::string_view digits, size_t& value) {
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      return ec == std::errc() && end == digits.data() + digits.size() && !digits.empty();
    };
    if (dash == std::string_view::npos) {
      if (!parse(item, first)) return false;
      last = first;
    } else if (!parse(item.substr(0, dash), first) || !parse(item.substr(dash + 1), last) ||
               last < first) {
      return false;
    }
    for (size_t value = first; value <= last; ++value) out.push_back(value);
  }
  return !out.empty();
}

struct ReplayOptions {
  std::string page_path;
  size_t series = 0;
  uint64_t seed = 1;  // target_farm's default
  bool layout = false;
  std::vector<size_t> targets;
  size_t requests = 0;
  std::vector<size_t> columns;
};

bool parse_replay_options(int argc, char** argv, ReplayOptions& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--layout") {
      options.layout = true;
      continue;
    }
    auto eq = arg.find('=');
    if (!arg.starts_with("--") || eq == std::string_view::npos) return false;
    std::string_view name = arg.substr(2, eq - 2);
    std::string value(arg.substr(eq + 1));
    if (name == "page") {
      options.page_path = value;
    } else if (name == "series") {
      options.series = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "seed") {
      options.seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "targets") {
      if (!parse_list(value, options.targets)) return false;
    } else if (name == "requests") {
      options.requests = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "columns") {
      if (!parse_list(value, options.columns)) return false;
    } else {
      return false;
    }
  }
  if (options.page_path.empty() || options.series == 0) return false;
  return options.layout ||
         (!options.targets.empty() && options.requests > 0 && !options.columns.empty());
}

}  // namespace

int main(int argc, char** argv) {
  ReplayOptions options;
  if (!parse_replay_options(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: farm_replay --page=FILE --series=M [--seed=N] --layout\n"
                 "       farm_replay --page=FILE --series=M [--seed=N] --targets=LIST "
                 "--requests=N --columns=LIST\n");
    return 2;
  }
  auto model = read_model_page(options.page_path);
  if (model.empty()) {
    std::fprintf(stderr, "farm_replay: no samples in %s\n", options.page_path.c_str());
    return 1;
  }
  const std::vector<TemplateSample> layout = build_template(model, options.series);
  if (options.layout) {
    for (size_t i = 0; i < layout.size(); ++i) {
      const std::string& text = layout[i].text_before;
      // text_before starts with the family's comment lines; the series is its last line.
      size_t line_start = text.rfind('\n', text.size() - 2);
      line_start = line_start == std::string::npos ? 0 : line_start + 1;
      std::cout << i << ' ' << kind_name(layout[i].kind) << ' '
                << std::string_view(text).substr(line_start, text.size() - line_start - 1) << '\n';
    }
    return 0;
  }
  for (size_t column : options.columns) {
    if (column >= layout.size()) {
      std::fprintf(stderr, "farm_replay: series index %zu is past the page's %zu series\n", column,
                   layout.size());
      return 2;
    }
  }
  // Where each value starts in a rendered page depends only on the text pieces
  // before it and the lengths of the numbers before it, so walk the page once.
  std::string page;
  std::vector<std::string_view> values(layout.size());
  std::string line;
  for (size_t target : options.targets) {
    TargetPage target_page(layout, target_seed(options.seed, static_cast<int>(target)));
    for (size_t request = 1; request <= options.requests; ++request) {
      target_page.render_fresh(page);
      size_t position = 0;
      for (size_t i = 0; i < layout.size(); ++i) {
        position += layout[i].text_before.size();
        size_t end = page.find('\n', position);
        values[i] = std::string_view(page).substr(position, end - position);
        position = end + 1;
      }
      line = std::to_string(target) + ' ' + std::to_string(request);
      for (size_t column : options.columns) {
        line += ' ';
        line += values[column];
      }
      line += '\n';
      std::cout << line;
    }
  }
  return std::cout.good() ? 0 : 1;
}
