#pragma once

// Shared<T>: a value with copy-on-write sharing (after Qt's implicit sharing), so that copying a
// Scenario copies a dozen pointers instead of 34,000 zone polygons and a 27 MB image.
//
// Why: the studio keeps its project as immutable versions (`std::shared_ptr<const Scenario>`);
// an edit copies the current version and changes one part, and jobs (save, generation, studies)
// read a version that nobody changes any more. Sharing the heavy parts makes those copies free,
// and undo is a swap of versions.
//
// Rules: const access never copies. Non-const access copies the value first when another Shared
// holds it too (detach), so a writer never changes what a reader sees. Readers on other threads
// only ever hold const versions, and only the owner of a non-const Shared detaches it, so the
// use-count test is safe: a concurrent reader can only drop its reference (at worst one needless
// copy), never add one to a value being written.
//
// Containers keep their look: size(), begin(), operator[] and friends forward to the value, so
// `scenario.zones.size()` and range-for read as before; push_back() and other writes detach.

#include <cstddef>
#include <memory>
#include <utility>

namespace netspatial::core {

template <typename T>
class Shared {
 public:
  using value_type = typename T::value_type;

  Shared() : m_p(std::make_shared<T>()) {}
  Shared(const T& value) : m_p(std::make_shared<T>(value)) {}        // NOLINT: implicit on purpose
  Shared(T&& value) : m_p(std::make_shared<T>(std::move(value))) {}  // NOLINT: implicit on purpose
  Shared(std::initializer_list<value_type> values) : m_p(std::make_shared<T>(values)) {}

  Shared& operator=(const T& value) { return *this = Shared(value); }
  Shared& operator=(T&& value) { return *this = Shared(std::move(value)); }
  // Without it `x = {a, b}` is ambiguous between the three assignments above.
  Shared& operator=(std::initializer_list<value_type> values) { return *this = Shared(values); }

  // --- reading (never copies) ---
  const T& get() const { return *m_p; }
  operator const T&() const { return *m_p; }  // NOLINT: pass where a const T& is expected
  const T& operator*() const { return *m_p; }
  const T* operator->() const { return m_p.get(); }

  //! True when both hold the very same value (no copy happened since one was copied from the other).
  bool isSharedWith(const Shared& other) const { return m_p == other.m_p; }
  //! A stable identity of the value held, for "did this part change?" tests.
  const void* identity() const { return m_p.get(); }

  // --- writing (detaches first) ---
  T& mut() {
    if (m_p.use_count() > 1) m_p = std::make_shared<T>(*m_p);
    return *m_p;
  }
  T& operator*() { return mut(); }
  T* operator->() { return &mut(); }

  // --- container look ---
  std::size_t size() const { return c().size(); }
  bool empty() const { return c().empty(); }
  auto begin() const { return c().begin(); }
  auto end() const { return c().end(); }
  auto cbegin() const { return c().begin(); }
  auto cend() const { return c().end(); }
  auto begin() { return mut().begin(); }
  auto end() { return mut().end(); }
  decltype(auto) front() const { return c().front(); }
  decltype(auto) back() const { return c().back(); }
  decltype(auto) front() { return mut().front(); }
  decltype(auto) back() { return mut().back(); }
  auto data() const requires requires(const T& t) { t.data(); }
  { return c().data(); }
  auto data() requires requires(T& t) { t.data(); }
  { return mut().data(); }

  template <typename K>
  decltype(auto) operator[](const K& key) const requires requires(const T& t, const K& k) {
    t[k];
  }
  { return c()[key]; }
  template <typename K>
  decltype(auto) operator[](const K& key) {
    return mut()[key];
  }
  template <typename K>
  decltype(auto) at(const K& key) const {
    return c().at(key);
  }
  template <typename K>
  decltype(auto) at(const K& key) {
    return mut().at(key);
  }
  template <typename K>
  auto find(const K& key) const {
    return c().find(key);
  }
  //! Non-const: detaches first, so the iterator may be passed to erase().
  template <typename K>
  auto find(const K& key) {
    return mut().find(key);
  }
  template <typename K>
  std::size_t count(const K& key) const {
    return c().count(key);
  }
  template <typename K>
  bool contains(const K& key) const {
    return c().find(key) != c().end();
  }

  void push_back(const value_type& v) { mut().push_back(v); }
  void push_back(value_type&& v) { mut().push_back(std::move(v)); }
  template <typename... A>
  decltype(auto) emplace_back(A&&... a) {
    return mut().emplace_back(std::forward<A>(a)...);
  }
  template <typename... A>
  decltype(auto) emplace(A&&... a) {
    return mut().emplace(std::forward<A>(a)...);
  }
  template <typename... A>
  decltype(auto) insert(A&&... a) {
    return mut().insert(std::forward<A>(a)...);
  }
  template <typename... A>
  decltype(auto) erase(A&&... a) {
    return mut().erase(std::forward<A>(a)...);
  }
  template <typename... A>
  void assign(A&&... a) {
    mut().assign(std::forward<A>(a)...);
  }
  template <typename... A>
  void resize(A&&... a) {
    mut().resize(std::forward<A>(a)...);
  }
  void reserve(std::size_t n) requires requires(T& t) { t.reserve(n); }
  { mut().reserve(n); }
  void clear() { *this = Shared(); }

  friend bool operator==(const Shared& a, const Shared& b) { return a.m_p == b.m_p || *a.m_p == *b.m_p; }

 private:
  const T& c() const { return *m_p; }

  std::shared_ptr<T> m_p;
};

}  // namespace netspatial::core
