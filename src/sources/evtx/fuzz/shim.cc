// Shims for a Jazzer.js prebuild linked against glibc 2.38 / GCC 13, loaded on glibc 2.36 / GCC 12.
#include <cstdlib>
#include <ios>
extern "C" long __isoc23_strtol(const char *s, char **end, int base) { return std::strtol(s, end, base); }
extern "C" unsigned long __isoc23_strtoul(const char *s, char **end, int base) { return std::strtoul(s, end, base); }
// GCC 13 calls this from static initialisers instead of constructing an ios_base::Init itself.
namespace std { void ios_base_library_init() { static ios_base::Init init; } }
