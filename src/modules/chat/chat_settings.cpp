#include "modules/chat/chat_settings.hpp"

// GCC 12 reports a false -Wstringop-overread inside libstdc++'s std::string here (the family of GCC bugs
// 105329/105651 that CMakeLists.txt already silences for the other warnings of it).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif

namespace netops::chat {

const ConfigSection<ChatSettings>& chat_section() {
  static const ConfigSection<ChatSettings> s{
      "chat",
      {{"NETOPS_CHAT_SUMMARY_TOKENS", "8000",
        "chat: summarise older history once the unsummarised messages exceed this many tokens (0 = never)"},
       {"NETOPS_CHAT_SUMMARY_MODEL", "tier:0", "chat: the model that writes summaries (id, tier:N or auto)"},
       {"NETOPS_CHAT_DEFAULT_CONTEXT_WINDOW", "8192", "chat: context window assumed for a model that declares none"}},
      [](ConfigReader& r, ChatSettings& s) {
        r.number<int>("NETOPS_CHAT_SUMMARY_TOKENS", s.summary_tokens, 0, 10'000'000);
        r.number<int>("NETOPS_CHAT_DEFAULT_CONTEXT_WINDOW", s.default_context_window, 256, 100'000'000);
        if (auto v = r.str("NETOPS_CHAT_SUMMARY_MODEL")) {
          if (v->empty() || v->size() > 100 || v->find_first_of(" \t\r\n\"") != std::string::npos)
            r.problem("NETOPS_CHAT_SUMMARY_MODEL: must be a model id, tier:0 … tier:3 or auto");
          else
            s.summary_model = *v;
        }
      }};
  return s;
}

}  // namespace netops::chat
