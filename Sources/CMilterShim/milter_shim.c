/*
 * Fixed-arity wrappers for libmilter.
 *
 * smfi_setmlreply takes its lines as variadic arguments, which Swift cannot pass. This
 * wrapper takes an array and spells out the call for each possible line count.
 */
#include "CMilterShim.h"

#define L(n) lines[n]

int
sluice_setmlreply(SMFICTX *ctx, const char *rcode, const char *xcode,
                  const char *const *lines, size_t count)
{
    switch (count) {
    case 1: return smfi_setmlreply(ctx, rcode, xcode, L(0), NULL);
    case 2: return smfi_setmlreply(ctx, rcode, xcode, L(0), L(1), NULL);
    case 3: return smfi_setmlreply(ctx, rcode, xcode, L(0), L(1), L(2), NULL);
    case 4: return smfi_setmlreply(ctx, rcode, xcode, L(0), L(1), L(2), L(3), NULL);
    case 5: return smfi_setmlreply(ctx, rcode, xcode, L(0), L(1), L(2), L(3), L(4), NULL);
    case 6:
        return smfi_setmlreply(ctx, rcode, xcode, L(0), L(1), L(2), L(3), L(4), L(5), NULL);
    case 7:
        return smfi_setmlreply(ctx, rcode, xcode, L(0), L(1), L(2), L(3), L(4), L(5), L(6),
                               NULL);
    case 8:
        return smfi_setmlreply(ctx, rcode, xcode, L(0), L(1), L(2), L(3), L(4), L(5), L(6),
                               L(7), NULL);
    default:
        /* Longer replies are cut to eight lines; libmilter allows up to 32, mail clients
         * rarely show more than a few. */
        if (count > 8)
            return smfi_setmlreply(ctx, rcode, xcode, L(0), L(1), L(2), L(3), L(4), L(5),
                                   L(6), L(7), NULL);
        return MI_FAILURE;
    }
}
