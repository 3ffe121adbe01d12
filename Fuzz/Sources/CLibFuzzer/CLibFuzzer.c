// Declarations only (include/CLibFuzzer.h); SwiftPM wants one C file.
#include "CLibFuzzer.h"
