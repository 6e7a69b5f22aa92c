// netops-gateway: serve (default) or migrate. Configuration comes from the environment (--help).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "app/app.hpp"
#include "core/allocator.hpp"
#include "app/configuration.hpp"
#include "core/log.hpp"

#ifdef NETOPS_MIMALLOC
#include <mimalloc.h>
#endif

int main(int argc, char** argv) {
  netops::tune_allocator();
#ifdef NETOPS_MIMALLOC
  // mimalloc gives the memory of freed segments back after a delay (500 ms), but only when the thread that
  // held it allocates again: a worker that goes idle after a large answer (up to the 64 MiB cap) would keep
  // it resident. 0: at once (no measurable cost per request, BENCHMARKS "Session 13"). The environment
  // variable still decides when set.
  if (!std::getenv("MIMALLOC_SEGMENT_DECOMMIT_DELAY")) mi_option_set(mi_option_segment_decommit_delay, 0);
  // Start-up (migrations, seeding, module wiring, the route docs) allocates and frees ~35 MiB; mimalloc keeps
  // freed pages of a live segment resident unless told to reset them. During start-up only, freed pages are
  // reset at once; once ready, the main thread's heap is collected and the runtime settings come back (a
  // reset per freed page would cost every request a system call).
  static bool startup_reset = !std::getenv("MIMALLOC_PAGE_RESET") && !std::getenv("MIMALLOC_RESET_DELAY") &&
                              !std::getenv("MIMALLOC_DECOMMIT_DELAY");
  static long runtime_delay = mi_option_get(mi_option_decommit_delay);
  if (startup_reset) {
    mi_option_set(mi_option_page_reset, 1);
    mi_option_set(mi_option_decommit_delay, 0);
  }
  // Not mi_collect(true): forced, it also reclaims every abandoned segment and drains other threads' delayed
  // frees to the end, paths with reported hangs in mimalloc 2.0 (upstream issues 759, 1317) while other
  // threads run — and the workers do by then. The idle RSS is the same (29.6–29.7 MiB either way, session 19).
  netops::set_startup_memory_release([] {
    mi_collect(false);
    if (startup_reset) {
      mi_option_set(mi_option_page_reset, 0);
      mi_option_set(mi_option_decommit_delay, runtime_delay);
    }
  });
#endif
  std::string footer = "\nEnvironment variables:\n";
  for (auto& v : netops::all_config_vars()) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-28s %-28s %s\n", v.name, v.fallback, v.meaning);
    footer += line;
  }
  CLI::App cli{"NetOpsAI Gateway: AI gateway and IT operations system of record"};
  cli.footer(footer);
  cli.require_subcommand(0, 1);
  bool demo = false;
  auto* serve_cmd = cli.add_subcommand("serve", "run the HTTP server (default)");
  serve_cmd->add_flag("--demo", demo, "also register the simulated LLM upstream (NETOPS_DEMO_MOCK_URL)");
  cli.add_flag("--demo", demo, "same as serve --demo");
  auto* migrate_cmd = cli.add_subcommand("migrate", "apply pending database migrations and exit");
  CLI11_PARSE(cli, argc, argv);

  if (sodium_init() < 0) {
    std::fprintf(stderr, "libsodium failed to initialise\n");
    return 1;
  }
  netops::Config config;
  try {
    config = netops::load_process_configuration();
  } catch (const netops::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  netops::init_logging(config.log_level);
#ifdef NETOPS_MIMALLOC
  // The server links Debian's mimalloc ahead of libc, which replaces malloc/free/new/delete process-wide
  // (BENCHMARKS "Session 12"): say so, and whether the replacement took (a block from malloc in its heap).
  void* probe = std::malloc(64);
  spdlog::info("allocator: mimalloc {} ({})", mi_version(), mi_is_in_heap_region(probe) ? "in use" : "NOT in use");
  std::free(probe);
#endif
  if (migrate_cmd->parsed()) return netops::migrate_only(config);
  return netops::serve(config, netops::ServeOptions{demo});
}
