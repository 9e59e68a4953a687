/* Hyperscan: one compiled database of literals and regular expressions. */
#include <hs.h>
