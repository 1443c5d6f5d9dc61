// go_sort: it sorts whatever comes, and it leaves equal elements where Go's
// sort.Sort leaves them (traced by hand through Go 1.19's pdqsort).
#include "common/query/go_sort.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace mc::query {
namespace {

// Elements with a sort key and a name that tells equal keys apart.
struct Keyed {
  int key;
  char name;
};

class KeyedData : public GoSortData {
 public:
  explicit KeyedData(std::vector<Keyed> elements) : elements_(std::move(elements)) {}
  bool less(std::ptrdiff_t i, std::ptrdiff_t j) const override {
    return elements_[static_cast<size_t>(i)].key < elements_[static_cast<size_t>(j)].key;
  }
  void swap(std::ptrdiff_t i, std::ptrdiff_t j) override {
    std::swap(elements_[static_cast<size_t>(i)], elements_[static_cast<size_t>(j)]);
  }
  std::string names() const {
    std::string out;
    for (const Keyed& element : elements_) out += element.name;
    return out;
  }
  std::vector<int> keys() const {
    std::vector<int> out;
    for (const Keyed& element : elements_) out.push_back(element.key);
    return out;
  }
  std::ptrdiff_t size() const { return static_cast<std::ptrdiff_t>(elements_.size()); }

 private:
  std::vector<Keyed> elements_;
};

KeyedData keyed(const std::vector<int>& keys) {
  std::vector<Keyed> elements;
  for (size_t i = 0; i < keys.size(); ++i) {
    elements.push_back({keys[i], static_cast<char>('a' + static_cast<int>(i % 26))});
  }
  return KeyedData(std::move(elements));
}

TEST_CASE("up to 12 elements go_sort is an insertion sort: equal keys keep their order") {
  KeyedData data = keyed({2, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2});
  go_sort(data, data.size());
  CHECK(data.names() == "dgjbehkacfil");
}

TEST_CASE("at 13 elements one partition about a median of three moves equal keys apart") {
  // Keys 1 but g = 0. The pivot is the median of d, g and j: d. Partitioning
  // swaps d to the front, then g with b, then d behind g; the eleven after
  // are insertion-sorted, unmoved as all are equal.
  KeyedData data = keyed({1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1});
  go_sort(data, data.size());
  CHECK(data.names() == "gdcaefbhijklm");
}

TEST_CASE("sorted input of 13 or more stays as it is") {
  KeyedData data = keyed({0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7});
  go_sort(data, data.size());
  CHECK(data.names() == "abcdefghijklmno");
}

TEST_CASE("go_sort sorts any input, of any length, with and without duplicates") {
  uint64_t state = 88172645463325252ULL;
  const auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int length = 0; length <= 300; length += 1 + length / 10) {
    for (const int distinct : {1, 3, 1000000}) {
      std::vector<int> keys;
      for (int i = 0; i < length; ++i) keys.push_back(static_cast<int>(next() % distinct));
      for (const int shape : {0, 1, 2}) {
        std::vector<int> input = keys;
        if (shape == 1) std::sort(input.begin(), input.end());
        if (shape == 2) std::sort(input.rbegin(), input.rend());
        KeyedData data = keyed(input);
        go_sort(data, data.size());
        std::vector<int> expected = input;
        std::sort(expected.begin(), expected.end());
        INFO("length " << length << ", distinct " << distinct << ", shape " << shape);
        CHECK(data.keys() == expected);
      }
    }
  }
}

}  // namespace
}  // namespace mc::query
