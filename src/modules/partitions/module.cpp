#include "modules/partitions/module.hpp"

namespace netops::partitions {

Module<PartitionService> register_module(AppContext& ctx) {
  auto svc = std::make_shared<PartitionService>(ctx);
  Module<PartitionService> m{svc, {}};
  m.background.run.push_back([svc]() -> Task<void> { co_await svc->run(); });
  m.background.drain.push_back([svc]() -> Task<void> { co_await svc->drain(); });
  return m;
}

}  // namespace netops::partitions
