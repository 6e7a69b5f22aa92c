// Asio, Asio SSL and Beast are compiled once, here (BOOST_*_SEPARATE_COMPILATION is set for every
// target), so no other translation unit pays for their implementation.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
