#pragma once

#include "core/util/error.h"

#include <type_traits>
#include <utility>
#include <variant>

namespace netspatial::core {

//! A value or an Error. Fallible public functions of core return it instead of throwing.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return m_state.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(m_state); }
  const T& value() const& { return std::get<0>(m_state); }
  T&& value() && { return std::get<0>(std::move(m_state)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(m_state); }

  T valueOr(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : m_error(std::move(error)) {}

  bool ok() const { return !m_error.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *m_error; }

 private:
  std::optional<Error> m_error;
};

using Status = Result<void>;

}  // namespace netspatial::core

//! Returns the Error of a failed Status (or Result) from the enclosing function, which returns a
//! Status or a Result: the one early-return of a step that can fail.
#define NS_TRY(expr)                             \
  do {                                           \
    if (auto ns_status_ = (expr); !ns_status_) { \
      return ns_status_.error();                 \
    }                                            \
  } while (false)
