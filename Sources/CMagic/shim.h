/* libmagic: file type detection by content. */
#include <magic.h>
