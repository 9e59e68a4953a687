/* libmilter's public API. mfapi.h includes <libmilter/mfdef.h>, so include it by that path. */
#include <sys/socket.h>
#include <libmilter/mfapi.h>
