#pragma once
#include <string>

#include "core/config.hpp"

namespace netops::chat {

struct ChatSettings {
  // Older history is summarised once the unsummarised part exceeds this many tokens (0 = never), by this
  // model (an id, tier:N or auto); a model without context_window gets default_context_window.
  int summary_tokens = 8000;
  std::string summary_model = "tier:0";
  int default_context_window = 8192;
};
const ConfigSection<ChatSettings>& chat_section();

}  // namespace netops::chat
