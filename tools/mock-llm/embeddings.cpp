// OpenAI Embeddings: POST /v1/embeddings with deterministic vectors. Each input's vector depends only on
// its text (or token ids) and the dimension: component i = a 64-bit FNV-1a hash of (input, i) mapped to
// [-1, 1], then the vector is L2-normalised. Dimension: `dimensions` of the request, else 8.
// prompt_tokens = Σ ceil(code points / 4) per string input + the length of each token-id array.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "behaviour.hpp"
#include "common.hpp"

namespace mockllm {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::vector<float> vector_of(const std::string& key, long dims) {
  std::vector<float> v(static_cast<std::size_t>(dims));
  double norm = 0;
  for (long i = 0; i < dims; ++i) {
    std::uint64_t h = fnv1a(std::to_string(i), fnv1a(key));
    double x = static_cast<double>(h % 2000001) / 1000000.0 - 1.0;
    v[static_cast<std::size_t>(i)] = static_cast<float>(x);
    norm += x * x;
  }
  norm = std::sqrt(norm);
  if (norm > 0)
    for (auto& x : v) x = static_cast<float>(x / norm);
  return v;
}

std::string base64(const std::vector<float>& v) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(v.size() * 4, '\0');
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::uint32_t u;
    std::memcpy(&u, &v[i], 4);
    for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<char>((u >> (8 * b)) & 0xff);  // little-endian
  }
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += k[(n >> 18) & 63];
    out += k[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? k[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? k[n & 63] : '=';
  }
  return out;
}

bool token_array(const json& a) {
  return a.is_array() && !a.empty() && std::all_of(a.begin(), a.end(), [](const json& t) { return t.is_number_integer(); });
}

}  // namespace

Reply openai_embeddings(const Incoming& in, Context& ctx) {
  if (!ctx.opts.require_key.empty() && in.authorization != "Bearer " + ctx.opts.require_key)
    return openai_error(401, "Incorrect API key provided. You can find your API key in your account settings.");
  auto body = json::parse(in.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return openai_error(400, "We could not parse the JSON body of your request.");
  auto model = body.value("model", std::string());
  if (model.empty()) return openai_error(400, "you must provide a model parameter", "model");
  auto input = body.find("input");
  if (input == body.end() || !(input->is_string() || input->is_array()) || (input->is_array() && input->empty()))
    return openai_error(400, "'input' is a required property", "input");
  long prior = ctx.stats.record(model);
  Behaviour b = parse_behaviour(model);
  if (b.kind == Kind::fail) return openai_error(static_cast<int>(b.param), "Mock upstream failure " + std::to_string(b.param));
  if (b.kind == Kind::flaky && prior < b.param) return openai_error(503, "Mock upstream is flaky");
  long dims = 8;
  if (auto d = body.find("dimensions"); d != body.end() && d->is_number_integer()) dims = std::clamp<long>(d->get<long>(), 1, 4096);
  bool b64 = body.value("encoding_format", std::string("float")) == "base64";
  std::vector<json> items;
  if (input->is_string() || token_array(*input)) items.push_back(*input);
  else
    for (auto& x : *input) items.push_back(x);
  ojson data = ojson::array();
  long tokens = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& x = items[i];
    std::string key = x.is_string() ? x.get<std::string>() : x.dump();
    tokens += x.is_string() ? static_cast<long>((utf8_length(key) + 3) / 4) : static_cast<long>(x.size());
    auto v = vector_of(key, dims);
    ojson e = {{"object", "embedding"}, {"index", i}};
    if (b64) e["embedding"] = base64(v);
    else e["embedding"] = v;
    data.push_back(std::move(e));
  }
  ojson out = {{"object", "list"}, {"data", std::move(data)}, {"model", model}};
  if (model_leaf(model).substr(0, 7) != "nousage") out["usage"] = {{"prompt_tokens", tokens}, {"total_tokens", tokens}};
  Reply r = json_reply(200, out);
  r.model = model;
  return r;
}

}  // namespace mockllm
