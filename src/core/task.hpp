#pragma once
// The one asynchronous type used from handler to database: an Asio C++20 coroutine.
#include <boost/asio/awaitable.hpp>

namespace netops {
template <class T = void>
using Task = boost::asio::awaitable<T>;
}  // namespace netops
