/*
 * null-milter: the smallest useful libmilter filter, the floor any libmilter design can
 * reach. It negotiates "no reply" for every stage before end of message, keeps no state and
 * accepts everything. Usage: null-milter unix:/path/to/socket
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <libmilter/mfapi.h>

static sfsistat
negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
          unsigned long f3, unsigned long *pf0, unsigned long *pf1, unsigned long *pf2,
          unsigned long *pf3)
{
    unsigned long want = SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT
        | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_NOUNKNOWN | SMFIP_NODATA;

    (void) ctx; (void) f2; (void) f3;
    *pf0 = 0;
    *pf1 = f1 & want;
    *pf2 = 0;
    *pf3 = 0;
    (void) f0;
    return SMFIS_CONTINUE;
}

static sfsistat
noreply(SMFICTX *ctx)
{
    (void) ctx;
    return SMFIS_NOREPLY;
}

static sfsistat
noreply_arg(SMFICTX *ctx, char *arg)
{
    (void) arg;
    return noreply(ctx);
}

static sfsistat
noreply_argv(SMFICTX *ctx, char **argv)
{
    (void) argv;
    return noreply(ctx);
}

static sfsistat
connect_cb(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
    (void) host; (void) addr;
    return noreply(ctx);
}

static sfsistat
header_cb(SMFICTX *ctx, char *name, char *value)
{
    (void) name; (void) value;
    return noreply(ctx);
}

static sfsistat
body_cb(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
    (void) chunk; (void) len;
    return noreply(ctx);
}

static sfsistat
accept_cb(SMFICTX *ctx)
{
    (void) ctx;
    return SMFIS_CONTINUE;
}

int
main(int argc, char **argv)
{
    struct smfiDesc desc = {
        "null-milter", SMFI_VERSION, 0,
        connect_cb, noreply_arg, noreply_argv, noreply_argv, header_cb, noreply, body_cb,
        accept_cb, accept_cb, accept_cb, NULL, NULL, negotiate
    };

    if (argc != 2) {
        fprintf(stderr, "usage: null-milter SOCKET\n");
        return 64;
    }
    if (smfi_setconn(argv[1]) != MI_SUCCESS || smfi_register(desc) != MI_SUCCESS
        || smfi_opensocket(1) != MI_SUCCESS) {
        fprintf(stderr, "null-milter: cannot listen on %s\n", argv[1]);
        return 73;
    }
    return smfi_main() == MI_SUCCESS ? 0 : 70;
}
