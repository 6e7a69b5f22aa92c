#include "support/eventually.hpp"

#include <chrono>
#include <thread>

namespace netops::test {

testing::AssertionResult eventually_impl(const std::function<testing::AssertionResult()>& fn, int timeout_ms,
                                         const std::string& what) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string last = "never evaluated";
  int attempts = 0;
  do {
    ++attempts;
    try {
      auto r = fn();
      if (r) return testing::AssertionSuccess();
      last = *r.message() ? std::string("last observed: ") + r.message() : "it returned false";
    } catch (const std::exception& e) {
      last = std::string("last exception: ") + e.what();
    } catch (...) {
      last = "last exception: (not a std::exception)";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  return testing::AssertionFailure() << "timed out after " << timeout_ms << " ms (" << attempts
                                     << " attempts) waiting for " << what << "; " << last;
}

}  // namespace netops::test
