// The liblz4 API patchlog uses: block compression with a dictionary (lz4.h) and its
// high-compression variant (lz4hc.h). Only Sources/BlockCompression calls into it.
#include <lz4.h>
#include <lz4hc.h>
