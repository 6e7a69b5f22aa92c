#pragma once
#include <memory>
#include <string>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::ops_events {

// GET /api/v1/ops-events; the service is how the operations modules write and read their trail.
Module<OpsEventService> register_module(AppContext& ctx);

// Declares GET <base>/{id}/history: the ops events of one object of entity_type, newest first, paged.
// `exists` (optional) is awaited first so that an unknown id answers 404 like the object's own GET.
void history_route(AppContext& ctx, std::shared_ptr<OpsEventService> svc, const std::string& base,
                   const std::string& entity_type, const std::string& tag,
                   std::function<Task<void>(const std::string& id)> exists = {});

}  // namespace netops::ops_events
