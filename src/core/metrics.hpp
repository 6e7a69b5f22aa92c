#pragma once
// Prometheus metrics: counters and histograms keyed by name and labels, plus collectors that add
// gauges read at scrape time (pool sizes, RSS). One process-wide registry; cheap enough per request.
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netops {

// Label pairs as written at the call site ({{"provider", p}, {"model", m}}): nothing is allocated to pass them.
using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Metrics {
 public:
  static Metrics& instance();

  void describe(std::string name, std::string type, std::string help);
  void inc(std::string_view name, const Labels& labels, double by = 1);
  void set(std::string_view name, const Labels& labels, double value);  // gauge
  void observe(std::string_view name, const Labels& labels, double value);  // histogram (seconds)
  // Appends exposition text at scrape time (for values owned elsewhere).
  void add_collector(std::function<void(std::string& out)> fn);
  std::string render();
  // At most this many label sets per family (default 10000): a new label set beyond it is counted in the
  // family's {overflow="true"} series and in metrics_series_dropped_total{family=…}, so no input can
  // grow the registry without bound.
  void set_series_limit(std::size_t n);

  static std::string escape(std::string_view v);

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string type;
    std::string help;
    std::map<std::string, double> values;        // label text → value
    std::map<std::string, Histogram> histograms;  // label text → histogram
  };
  // The series key of `labels` (k="v",…), in a per-thread buffer reused by every call: no allocation
  // once the buffer has grown.
  static const std::string& label_text(const Labels& labels);
  Family& family(std::string_view name, const char* type);
  // The key to store a sample under: `key` when it exists or fits, else the overflow series.
  template <class Map>
  const std::string& admit(std::string_view name, Map& series, const std::string& key);

  std::size_t series_limit_ = 10000;

  std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
  std::vector<std::function<void(std::string&)>> collectors_;
};

const std::vector<double>& histogram_buckets();

}  // namespace netops
