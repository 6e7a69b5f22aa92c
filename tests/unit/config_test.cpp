#include <gtest/gtest.h>

#include "app/configuration.hpp"
#include "core/config.hpp"
#include "modules/ai_registry/ai_registry_settings.hpp"
#include "modules/assets/assets_settings.hpp"
#include "modules/gateway/gateway_settings.hpp"
#include "modules/users/users_settings.hpp"

using namespace netops;

namespace {
std::map<std::string, std::string> valid() {
  return {{"NETOPS_DATABASE_URL", "postgresql://u@h/db"},
          {"NETOPS_JWT_SECRET", std::string(40, 'x')},
          {"NETOPS_MASTER_KEY", std::string(64, 'a')}};
}
}  // namespace

TEST(Config, DefaultsFollowTheSpec) {
  auto c = load_configuration(valid());
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 3000);
  auto users = load_section(c, users::users_section());
  EXPECT_EQ(users.admin_email, "admin@localhost");
  EXPECT_FALSE(users.admin_password.has_value());
  EXPECT_EQ(c.storage_dir, ".local/storage");
  EXPECT_EQ(c.body_limit, 1u << 20);
  EXPECT_GE(c.threads, 1u);
}

TEST(Config, ParsesOverrides) {
  auto vars = valid();
  vars["NETOPS_LISTEN"] = "0.0.0.0:8080";
  vars["NETOPS_THREADS"] = "3";
  vars["NETOPS_ADMIN_EMAIL"] = "Root@Example.COM";
  vars["NETOPS_BODY_LIMIT"] = "2048";
  vars["OPENAI_API_KEY"] = "sk-test";
  auto c = load_configuration(vars);
  EXPECT_EQ(c.listen_host, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.threads, 3u);
  EXPECT_EQ(load_section(c, users::users_section()).admin_email, "root@example.com");
  EXPECT_EQ(c.body_limit, 2048u);
  EXPECT_EQ(load_section(c, ai_registry::ai_registry_section()).openai_api_key.value_or(""), "sk-test");
}

TEST(Config, ReportsEveryProblemAtOnceNamingTheVariable) {
  std::map<std::string, std::string> vars = {{"NETOPS_LISTEN", "nonsense"},
                                             {"NETOPS_JWT_SECRET", "short"},
                                             {"NETOPS_MASTER_KEY", "zz"},
                                             {"NETOPS_THREADS", "-1"},
                                             {"NETOPS_ADMIN_PASSWORD", "123"}};
  try {
    load_configuration(vars);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    std::string all = e.what();
    for (auto name : {"NETOPS_LISTEN", "NETOPS_DATABASE_URL", "NETOPS_JWT_SECRET", "NETOPS_MASTER_KEY",
                      "NETOPS_THREADS", "NETOPS_ADMIN_PASSWORD"})
      EXPECT_NE(all.find(name), std::string::npos) << name << " missing from: " << all;
    EXPECT_EQ(e.problems().size(), 6u);
  }
}

TEST(Config, EveryVariableIsDocumented) {
  std::set<std::string> names;
  for (auto& v : all_config_vars()) names.insert(v.name);
  for (auto n : {"NETOPS_LISTEN", "NETOPS_DATABASE_URL", "NETOPS_REDIS_URL", "NETOPS_JWT_SECRET", "NETOPS_MASTER_KEY",
                 "NETOPS_ADMIN_EMAIL", "NETOPS_ADMIN_PASSWORD", "NETOPS_STORAGE_DIR", "OPENAI_API_KEY",
                 "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY"})
    EXPECT_TRUE(names.count(n)) << n;
}

TEST(Config, AssetLimits) {
  auto c = load_configuration(valid());
  auto assets = load_section(c, assets::assets_section());
  EXPECT_EQ(assets.attachment_limit, 25u << 20);
  EXPECT_EQ(assets.import_limit, 64u << 20);
  auto vars = valid();
  vars["NETOPS_ATTACHMENT_LIMIT"] = "1048576";
  vars["NETOPS_IMPORT_LIMIT"] = "4096";
  c = load_configuration(vars);
  assets = load_section(c, assets::assets_section());
  EXPECT_EQ(assets.attachment_limit, 1u << 20);
  EXPECT_EQ(assets.import_limit, 4096u);
  vars["NETOPS_ATTACHMENT_LIMIT"] = "0";
  vars["NETOPS_IMPORT_LIMIT"] = "lots";
  try {
    load_configuration(vars);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems().size(), 2u) << e.what();
  }
  std::set<std::string> names;
  for (auto& v : all_config_vars()) names.insert(v.name);
  EXPECT_TRUE(names.count("NETOPS_ATTACHMENT_LIMIT"));
  EXPECT_TRUE(names.count("NETOPS_IMPORT_LIMIT"));
}

TEST(Config, EgressAndAccountingSpill) {
  auto c = load_configuration(valid());
  EXPECT_FALSE(c.egress_deny_private);
  EXPECT_EQ(c.egress_allow, "");
  EXPECT_EQ(load_section(c, gateway::gateway_section()).accounting_spill_dir, "");  // NETOPS_STORAGE_DIR/accounting-spill
  auto vars = valid();
  vars["NETOPS_EGRESS_DENY_PRIVATE"] = "true";
  vars["NETOPS_EGRESS_ALLOW"] = "169.254.169.254, 10.0.0.0/8";
  vars["NETOPS_ACCOUNTING_SPILL_DIR"] = "/var/spill";
  c = load_configuration(vars);
  EXPECT_TRUE(c.egress_deny_private);
  EXPECT_EQ(c.egress_allow, "169.254.169.254, 10.0.0.0/8");
  EXPECT_EQ(load_section(c, gateway::gateway_section()).accounting_spill_dir, "/var/spill");
  vars["NETOPS_EGRESS_DENY_PRIVATE"] = "maybe";
  vars["NETOPS_EGRESS_ALLOW"] = "metadata.internal";
  try {
    load_configuration(vars);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems().size(), 2u) << e.what();
  }
  std::set<std::string> names;
  for (auto& v : all_config_vars()) names.insert(v.name);
  for (auto n : {"NETOPS_EGRESS_DENY_PRIVATE", "NETOPS_EGRESS_ALLOW", "NETOPS_ACCOUNTING_SPILL_DIR"})
    EXPECT_TRUE(names.count(n)) << n;
}

TEST(Config, WorkerSliceIsZeroOrWithinTheKernelsRange) {
  EXPECT_EQ(load_configuration(valid()).worker_slice_us, 100);
  for (auto [value, ok] : std::vector<std::pair<std::string, bool>>{
           {"0", true}, {"100", true}, {"100000", true}, {"50", false}, {"100001", false}, {"-1", false}}) {
    auto vars = valid();
    vars["NETOPS_WORKER_SLICE_US"] = value;
    try {
      auto c = load_configuration(vars);
      EXPECT_TRUE(ok) << value;
      EXPECT_EQ(c.worker_slice_us, std::stoi(value));
    } catch (const ConfigError& e) {
      EXPECT_FALSE(ok) << value << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find("NETOPS_WORKER_SLICE_US"), std::string::npos) << e.what();
    }
  }
}
