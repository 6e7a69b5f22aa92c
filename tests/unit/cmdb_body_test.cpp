// CMDB request bodies → typed inputs: every problem named at once, minUp forms, ciIds caps.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "core/error.hpp"
#include "modules/cmdb/cmdb_body.hpp"

using namespace netops;
using namespace netops::cmdb;
using nlohmann::json;

namespace {
std::set<std::string> fields_of(const std::function<void()>& f) {
  std::set<std::string> out;
  try {
    f();
  } catch (const AppError& e) {
    EXPECT_EQ(e.status(), 400);
    for (auto& err : e.details().value("errors", json::array())) out.insert(err["field"].get<std::string>());
  }
  return out;
}
}  // namespace

TEST(CmdbBody, CiCreateNamesEveryProblem) {
  auto fields = fields_of([] {
    parse_ci({{"typeId", "nope"}, {"status", "down"}, {"environment", "qa"}, {"colour", 1}, {"attributes", 5}}, true);
  });
  EXPECT_EQ(fields, (std::set<std::string>{"typeId", "name", "ciCode", "status", "environment", "colour", "attributes"}));
}

TEST(CmdbBody, CiPatchIsPartialAndClears) {
  auto in = parse_ci({{"ownerTeam", nullptr}, {"attributes", {{"a", 1}}}}, false);
  EXPECT_FALSE(in.name);
  ASSERT_TRUE(in.owner_team);
  EXPECT_FALSE(*in.owner_team);
  ASSERT_TRUE(in.attributes);
  EXPECT_EQ((*in.attributes)["a"], 1);
}

TEST(CmdbBody, MinUpIsACountOrAPercentage) {
  EXPECT_EQ(parse_rel_type({{"code", "c"}, {"name", "n"}, {"minUp", 2}}, true).min_up.value().value(),
            std::make_pair(2, false));
  EXPECT_EQ(parse_rel_type({{"code", "c"}, {"name", "n"}, {"minUp", "50%"}}, true).min_up.value().value(),
            std::make_pair(50, true));
  EXPECT_FALSE(parse_rel_type({{"minUp", nullptr}}, false).min_up.value());
  for (json bad : {json(0), json("0%"), json("101%"), json("half"), json(1.5)})
    EXPECT_EQ(fields_of([&] { parse_rel_type({{"code", "c"}, {"name", "n"}, {"minUp", bad}}, true); }),
              std::set<std::string>{"minUp"})
        << bad.dump();
}

TEST(CmdbBody, RelationshipSelfLoopIsRefused) {
  auto id = "0b6e7a39-2b5f-4c55-9f61-7f1f2b7f6a10";
  EXPECT_EQ(fields_of([&] { parse_relationship({{"relTypeId", id}, {"fromCiId", id}, {"toCiId", id}}, true); }),
            std::set<std::string>{"toCiId"});
}

TEST(CmdbBody, CiIdsAreCappedAndDeduplicated) {
  auto id = std::string("0B6E7A39-2B5F-4C55-9F61-7F1F2B7F6A10");
  auto ids = parse_ci_ids({{"ciIds", {id, "0b6e7a39-2b5f-4c55-9f61-7f1f2b7f6a10"}}}, 10);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0], "0b6e7a39-2b5f-4c55-9f61-7f1f2b7f6a10");
  EXPECT_EQ(fields_of([] { parse_ci_ids({{"ciIds", json::array()}}, 10); }), std::set<std::string>{"ciIds"});
  EXPECT_EQ(fields_of([&] { parse_ci_ids({{"ciIds", json::array({id, id, id})}}, 2); }), std::set<std::string>{"ciIds"});
  EXPECT_EQ(fields_of([] { parse_ci_ids({{"ciIds", {"x"}}}, 10); }), std::set<std::string>{"ciIds[0]"});
}

TEST(CmdbBody, TypeAttributesAreCheckedByTheSpecEngine) {
  auto fields = fields_of([] {
    parse_ci_type({{"code", "srv"}, {"name", "Server"},
                   {"attributes", {{{"key", "n"}, {"label", "N"}, {"fieldType", "integer"}, {"minLen", 2}}}}},
                  true);
  });
  EXPECT_FALSE(fields.empty());
  for (auto& f : fields) EXPECT_EQ(f.rfind("attributes[0]", 0), 0u) << f;
}
