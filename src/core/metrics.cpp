#include "core/metrics.hpp"

#include <cstdio>

namespace netops {

const std::vector<double>& histogram_buckets() {
  static const std::vector<double> b = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                        0.025,   0.05,   0.1,     0.25,   0.5,   1,      2.5,    5,   10, 30};
  return b;
}

Metrics& Metrics::instance() {
  static Metrics m;
  return m;
}

namespace {
void append_escaped(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c);
  }
}
}  // namespace

std::string Metrics::escape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  append_escaped(out, v);
  return out;
}

const std::string& Metrics::label_text(const Labels& labels) {
  thread_local std::string s;
  s.clear();
  for (auto& [k, v] : labels) {
    if (!s.empty()) s.push_back(',');
    s.append(k);
    s += "=\"";
    append_escaped(s, v);
    s.push_back('"');
  }
  return s;
}

Metrics::Family& Metrics::family(std::string_view name, const char* type) {
  auto it = families_.find(name);
  if (it == families_.end()) it = families_.emplace(std::string(name), Family{type, "", {}, {}}).first;
  return it->second;
}

namespace {
const std::string kOverflow = "overflow=\"true\"";
constexpr std::string_view kDropped = "metrics_series_dropped_total";
}  // namespace

template <class Map>
const std::string& Metrics::admit(std::string_view name, Map& series, const std::string& key) {
  if (series.size() < series_limit_ || series.count(key)) return key;
  if (name != kDropped) {
    auto& dropped = family(kDropped, "counter");
    if (dropped.help.empty()) dropped.help = "New label sets refused because their family reached the series limit";
    dropped.values["family=\"" + escape(name) + "\""] += 1;
  }
  return kOverflow;
}

void Metrics::set_series_limit(std::size_t n) {
  std::lock_guard lk(mu_);
  series_limit_ = n;
}

void Metrics::describe(std::string name, std::string type, std::string help) {
  std::lock_guard lk(mu_);
  auto& f = family(name, type.c_str());
  f.type = std::move(type);
  f.help = std::move(help);
}

void Metrics::inc(std::string_view name, const Labels& labels, double by) {
  const std::string& key = label_text(labels);
  std::lock_guard lk(mu_);
  auto& f = family(name, "counter");
  f.values[admit(name, f.values, key)] += by;
}

void Metrics::set(std::string_view name, const Labels& labels, double value) {
  const std::string& key = label_text(labels);
  std::lock_guard lk(mu_);
  auto& f = family(name, "gauge");
  f.values[admit(name, f.values, key)] = value;
}

void Metrics::observe(std::string_view name, const Labels& labels, double value) {
  const std::string& key = label_text(labels);
  const auto& bounds = histogram_buckets();
  std::lock_guard lk(mu_);
  auto& f = family(name, "histogram");
  auto& h = f.histograms[admit(name, f.histograms, key)];
  if (h.buckets.empty()) h.buckets.assign(bounds.size(), 0);
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (value <= bounds[i]) h.buckets[i]++;
  h.count++;
  h.sum += value;
}

void Metrics::add_collector(std::function<void(std::string&)> fn) {
  std::lock_guard lk(mu_);
  collectors_.push_back(std::move(fn));
}

std::string Metrics::render() {
  std::string out;
  std::vector<std::function<void(std::string&)>> collectors;
  {
    std::lock_guard lk(mu_);
    char num[64];
    for (auto& [name, f] : families_) {
      if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
      out += "# TYPE " + name + " " + f.type + "\n";
      for (auto& [labels, v] : f.values) {
        std::snprintf(num, sizeof num, "%.17g", v);
        out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + num + "\n";
      }
      const auto& bounds = histogram_buckets();
      for (auto& [labels, h] : f.histograms) {
        std::string sep = labels.empty() ? "" : ",";
        for (std::size_t i = 0; i < bounds.size(); ++i) {
          std::snprintf(num, sizeof num, "%g", bounds[i]);
          out += name + "_bucket{" + labels + sep + "le=\"" + num + "\"} " + std::to_string(h.buckets[i]) + "\n";
        }
        out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(h.count) + "\n";
        std::snprintf(num, sizeof num, "%.9g", h.sum);
        out += name + "_sum" + (labels.empty() ? "" : "{" + labels + "}") + " " + num + "\n";
        out += name + "_count" + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(h.count) + "\n";
      }
    }
    collectors = collectors_;
  }
  for (auto& c : collectors) c(out);
  return out;
}

}  // namespace netops
