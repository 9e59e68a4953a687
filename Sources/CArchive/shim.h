/* libarchive: reading zip, 7z, rar, tar and compressed streams. */
#include <archive.h>
#include <archive_entry.h>
