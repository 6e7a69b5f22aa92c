#pragma once
// eventually(fn, timeout_ms, what): polls fn every 20 ms until it succeeds or the deadline passes.
// fn returns bool or testing::AssertionResult (its message is the "last observed value"). An exception
// thrown by fn counts as "not yet" and its message is kept. On timeout the failure says what was awaited,
// how long, and the last exception or observed value:  EXPECT_TRUE(eventually([&] { ... }, 3000, "x"));
#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace netops::test {

testing::AssertionResult eventually_impl(const std::function<testing::AssertionResult()>& fn, int timeout_ms,
                                         const std::string& what);

template <class Fn>
testing::AssertionResult eventually(Fn&& fn, int timeout_ms = 10000, const std::string& what = "the condition") {
  return eventually_impl([&] { return testing::AssertionResult(fn()); }, timeout_ms, what);
}

}  // namespace netops::test
