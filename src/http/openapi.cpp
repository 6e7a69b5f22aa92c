#include "http/openapi.hpp"

#include <cctype>

namespace netops::http {

namespace {
nlohmann::json error_schema_ref() { return {{"$ref", "#/components/schemas/Error"}}; }

nlohmann::json error_response(const char* description) {
  return {{"description", description}, {"content", {{"application/json", {{"schema", error_schema_ref()}}}}}};
}

std::string operation_id(const RouteSpec& r) {
  std::string id;
  for (char c : r.method) id.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  bool upper = true;
  for (char c : r.path) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}
}  // namespace

nlohmann::json openapi_document(const Router& router, const std::string& version) {
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& r : router.routes()) {
    nlohmann::json op = {{"operationId", operation_id(r)},
                         {"summary", r.summary_.empty() ? r.method + " " + r.path : r.summary_},
                         {"x-min-role", role_name(r.documented_role_.value_or(r.min_role))},
                         // The scope an API key needs for this route (http/scopes.hpp); null: keys may not use it.
                         {"x-api-key-scope", r.scope_.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.scope_)}};
    if (!r.tag_.empty()) op["tags"] = {r.tag_};
    nlohmann::json params = nlohmann::json::array();
    std::size_t i = 0;
    while ((i = r.path.find('{', i)) != std::string::npos) {
      auto j = r.path.find('}', i);
      params.push_back({{"name", r.path.substr(i + 1, j - i - 1)}, {"in", "path"}, {"required", true},
                        {"schema", {{"type", "string"}}}});
      i = j;
    }
    for (auto& q : r.query_)
      params.push_back({{"name", q.name}, {"in", "query"}, {"required", false}, {"description", q.description},
                        {"schema", {{"type", q.type}}}});
    if (!params.empty()) op["parameters"] = params;
    if (!r.request_schema_.is_null())
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", r.request_schema_}}}}}};
    nlohmann::json ok = {{"description", "success"}};
    if (r.success_status_ != 204)
      ok["content"] = {{"application/json",
                        {{"schema", r.response_schema_.is_null() ? nlohmann::json{{"type", "object"}}
                                                                 : r.response_schema_}}}};
    nlohmann::json responses = {{std::to_string(r.success_status_), ok}};
    if (!r.request_schema_.is_null() || !params.empty()) responses["400"] = error_response("invalid input");
    if (r.min_role != Role::anonymous) {
      op["security"] = {{{"bearerAuth", nlohmann::json::array()}}};
      responses["401"] = error_response("missing or invalid credentials");
      responses["403"] = error_response("role too low");
      responses["429"] = error_response("rate limited");
    }
    if (r.path.find('{') != std::string::npos) responses["404"] = error_response("not found");
    responses["500"] = error_response("internal error");
    op["responses"] = responses;
    std::string method;
    for (char c : r.method) method.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    paths[r.path][method] = op;
  }
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "NetOpsAI Gateway"},
        {"version", version},
        {"description",
         "AI gateway (OpenAI-compatible) and IT operations system of record. Every operation states its "
         "minimum role in x-min-role (anonymous, user, admin, super_admin) and the scope an API key needs in x-api-key-scope (null: no API key; \"*\": any key)."}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"error", "requestId"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", {"code", "message"}},
                {"properties",
                 {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}, {"details", {{"type", "object"}}}}}}},
              {"requestId", {{"type", "string"}}}}}}}}}}},
  };
}

std::string docs_page_html() {
  return R"(<!doctype html>
<html><head><meta charset="utf-8"><title>NetOpsAI Gateway API</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}code{background:#f3f3f3;padding:0 .2rem}
.op{border-bottom:1px solid #ddd;padding:.4rem 0}.m{display:inline-block;width:4.5rem;font-weight:bold}
.role{color:#666;font-size:.9em;margin-left:.5rem}h2{margin-top:2rem}</style></head>
<body><h1>NetOpsAI Gateway API</h1><p>Machine-readable: <a href="/docs/json">/docs/json</a> (OpenAPI 3).</p>
<div id="ops">loading…</div>
<script>
fetch('/docs/json').then(r=>r.json()).then(doc=>{
  const groups={};
  for(const [path,ops] of Object.entries(doc.paths)) for(const [m,op] of Object.entries(ops)){
    const tag=(op.tags&&op.tags[0])||'other'; (groups[tag]=groups[tag]||[]).push([m,path,op]);}
  const el=document.getElementById('ops'); el.textContent='';
  for(const tag of Object.keys(groups).sort()){
    const h=document.createElement('h2'); h.textContent=tag; el.appendChild(h);
    for(const [m,path,op] of groups[tag]){
      const d=document.createElement('div'); d.className='op';
      const mm=document.createElement('span'); mm.className='m'; mm.textContent=m.toUpperCase();
      const c=document.createElement('code'); c.textContent=path;
      const s=document.createElement('span'); s.textContent=' — '+op.summary;
      const r=document.createElement('span'); r.className='role'; r.textContent='['+op['x-min-role']+']';
      d.append(mm,c,s,r); el.appendChild(d);}}
});
</script></body></html>
)";
}

}  // namespace netops::http
