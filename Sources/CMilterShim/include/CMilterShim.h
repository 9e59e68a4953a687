/* Fixed-arity wrappers for libmilter calls that Swift cannot reach (variadic C functions). */
#ifndef SLUICE_CMILTERSHIM_H
#define SLUICE_CMILTERSHIM_H

#include <stddef.h>
#include <sys/socket.h>
#include <libmilter/mfapi.h>

/* The most lines a reply set through this wrapper carries. */
#define SLUICE_MLREPLY_MAX_LINES 8

/*
 * Sets a reply of one or more lines; lines past SLUICE_MLREPLY_MAX_LINES are left out.
 * Returns MI_SUCCESS or MI_FAILURE (also when count is zero).
 */
int sluice_setmlreply(SMFICTX *ctx, const char *rcode, const char *xcode,
                      const char *const *lines, size_t count);

#endif
