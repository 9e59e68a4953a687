/*
 * gmime-decode: parses each message file given and decodes every leaf part to memory, the
 * work a MIME library does before any scanning. Prints the total bytes read. Used by
 * bench/engine.sh as the reference for Sluice's own parser.
 */
#include <fcntl.h>
#include <gmime/gmime.h>
#include <stdio.h>

static gint64 decoded;

static void
decode_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    (void) parent;
    (void) data;
    if (GMIME_IS_PART(part)) {
        GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(part));
        if (content != NULL) {
            GMimeStream *sink = g_mime_stream_mem_new();
            decoded += g_mime_data_wrapper_write_to_stream(content, sink);
            g_object_unref(sink);
        }
    }
}

int
main(int argc, char **argv)
{
    gint64 total = 0;

    g_mime_init();
    for (int i = 1; i < argc; i++) {
        GMimeStream *stream = g_mime_stream_fs_open(argv[i], O_RDONLY, 0, NULL);
        if (stream == NULL) {
            fprintf(stderr, "gmime-decode: cannot open %s\n", argv[i]);
            return 65;
        }
        total += g_mime_stream_length(stream);
        GMimeParser *parser = g_mime_parser_new_with_stream(stream);
        GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
        if (message != NULL) {
            g_mime_message_foreach(message, decode_part, NULL);
            g_object_unref(message);
        }
        g_object_unref(parser);
        g_object_unref(stream);
    }
    printf("%lld %lld\n", (long long) total, (long long) decoded);
    return 0;
}
