#pragma once
// What registering a module gives back to the application that assembles the server:
//   Module<FooService> register_foo(AppContext& ctx, <the services of modules it uses>);
// The service is what other modules may call (they never touch its tables); background jobs run beside
// the request path; drains are awaited on shutdown, after in-flight requests and before the pools close.
#include <functional>
#include <memory>
#include <vector>

#include "core/task.hpp"

namespace netops {

struct Background {
  // Awaited in order once migrations are applied, before the server reports ready (seeding: the first
  // admin, default providers); the whole start-up is retried while the database is unavailable.
  std::vector<std::function<Task<void>()>> start;
  std::vector<std::function<Task<void>()>> run;    // spawned on worker 0 once the server runs
  std::vector<std::function<Task<void>()>> drain;  // awaited on shutdown, in order
};

template <class Service>
struct Module {
  std::shared_ptr<Service> service;
  Background background;
};

}  // namespace netops
