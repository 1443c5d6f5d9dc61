// Whether this test was compiled with a sanitizer (make test-asan, make
// test-tsan), where each repetition costs several times the CPU. A test that
// repeats one check many thousand times on random input runs fewer
// repetitions there, and a test that runs no code of ours (only an installed
// tool) is skipped there; the RelWithDebInfo tree (make test) runs them in
// full. .ci/README.md lists each such test and what covers what it leaves
// out. The compilers' own macros, not a definition of ours, so the answer
// cannot drift from the flags the file was really compiled with.
#pragma once

namespace mc::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizerBuild = true;
#else
inline constexpr bool kSanitizerBuild = false;
#endif
#else
inline constexpr bool kSanitizerBuild = false;
#endif

// `full` repetitions in an ordinary build, `sanitized` under a sanitizer.
constexpr int repetitions(int full, int sanitized) { return kSanitizerBuild ? sanitized : full; }

}  // namespace mc::test
