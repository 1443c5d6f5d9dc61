#include "exporter/api/federate_route.hpp"

#include <algorithm>

#include "common/exposition/exposition_format.hpp"
#include "common/exposition/format_value.hpp"
#include "common/model/label_value_escape.hpp"
#include "common/util/wall_clock.hpp"
#include "exporter/api/api_match_params.hpp"
#include "exporter/api/api_series_select.hpp"
#include "exporter/api/deep_stack.hpp"

namespace mc::api {

namespace {

// The newest sample at or before `maxt_ms` from `mint_ms` on; nullopt when
// there is none or it is a stale marker.
std::optional<Sample> newest_sample(const Series& series, int64_t mint_ms, int64_t maxt_ms) {
  std::unique_ptr<SampleIterator> it = series.iterator();
  std::optional<Sample> newest;
  if (!it->seek(mint_ms)) return std::nullopt;
  do {
    const Sample sample = it->at();
    if (sample.t_ms > maxt_ms) break;
    newest = sample;
  } while (it->next());
  if (!it->status() || !newest || is_stale_nan(newest->v)) return std::nullopt;
  return newest;
}

HttpResponse serve_federation(Storage& storage, const HttpRequest& request,
                              const std::vector<Label>& external_labels,
                              std::chrono::milliseconds lookback_delta) {
  auto matchers = parse_match_params(request.params.values("match[]"));
  if (!matchers) return HttpResponse::text(400, matchers.error() + "\n");

  const int64_t maxt_ms = wall_clock_ms();
  const int64_t mint_ms = maxt_ms - lookback_delta.count();
  std::vector<FederatedSample> samples;
  if (!matchers->empty()) {
    const SelectedSeries selected = select_series(storage, *matchers, mint_ms, maxt_ms);
    for (const auto& series : selected.series) {
      if (auto sample = newest_sample(*series, mint_ms, maxt_ms)) {
        samples.push_back(FederatedSample{series->labels(), *sample});
      }
    }
  }
  HttpResponse response;
  response.content_type = std::string(kPrometheusTextContentType);
  response.body = render_federation(std::move(samples), external_labels);
  response.gzip_when_accepted = true;
  return response;
}

}  // namespace

std::string render_federation(std::vector<FederatedSample> samples,
                              const std::vector<Label>& external_labels) {
  std::ranges::stable_sort(samples, [](const FederatedSample& a, const FederatedSample& b) {
    return a.labels.metric_name() < b.labels.metric_name();
  });
  std::string body;
  std::string_view family;
  bool first = true;
  for (const FederatedSample& federated : samples) {
    const std::string_view name = federated.labels.metric_name();
    if (first || name != family) {
      body += "# TYPE ";
      body += name;
      body += " untyped\n";
      family = name;
      first = false;
    }
    body += name;
    bool any_label = false;
    auto add_label = [&](std::string_view label_name, std::string_view value) {
      body += any_label ? ',' : '{';
      any_label = true;
      body += label_name;
      body += "=\"";
      append_escaped_label_value(body, value);
      body += '"';
    };
    for (const LabelView label : federated.labels) {
      if (label.name != kMetricNameLabel) add_label(label.name, label.value);
    }
    for (const Label& external : external_labels) {
      if (!federated.labels.has(external.name)) add_label(external.name, external.value);
    }
    if (any_label) body += '}';
    body += ' ';
    append_text_float(body, federated.sample.v);
    body += ' ';
    append_text_timestamp(body, federated.sample.t_ms);
    body += '\n';
  }
  return body;
}

Route federate_route(Storage& storage, std::vector<Label> external_labels,
                     std::chrono::milliseconds lookback_delta) {
  Route route;
  route.pattern = "/federate";
  route.get = [&storage, external_labels = std::move(external_labels),
               lookback_delta](const HttpRequest& request) {
    if (!request.params_status) {
      return HttpResponse::text(
          400, "error parsing form values: " + request.params_status.message() + "\n");
    }
    return run_here_or_on_deep_stack(
        [&] { return serve_federation(storage, request, external_labels, lookback_delta); });
  };
  return route;
}

}  // namespace mc::api
