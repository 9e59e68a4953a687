/*
 * sluice-pdf: reads PDF documents with poppler for Sluice's extraction stage, one after another,
 * so a message with a PDF costs a request on a running process instead of starting a program.
 * Sluice starts it under CPU and address-space rlimits, talks to it over a socket on standard
 * input and output, and kills it when a document takes too long; the process also retires by
 * itself after a number of documents or CPU seconds, so a long-lived reader never drifts.
 *
 * On start it writes "SPDR", so Sluice knows the reader (and poppler) loaded; one that cannot
 * start is replaced by pdftotext rather than leaving every PDF unread.
 *
 * Request (native byte order):  u64 pdf_length, u64 max_text, u64 max_file, u32 max_files,
 *                               u32 zero, then pdf_length bytes.
 * Reply:   u32 magic "SPDF", u8 status, u8 retiring, u8 text_truncated, u8 zero,
 *          u32 files, u32 files_left_out, u64 text_length, then the text (UTF-8, pages
 *          separated by form feeds); then per attached file: u64 name_length,
 *          u64 data_length, u8 truncated, 7 zero bytes, the name, the data.
 * Status:  0 read, 1 needs a password, 2 not readable (the text is poppler's message).
 *
 * Usage: sluice-pdf [DOCUMENTS [CPU_SECONDS]]  retire after that many documents (default 500)
 *                                              or CPU seconds used (default 5)
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poppler.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

enum { STATUS_READ = 0, STATUS_PASSWORD = 1, STATUS_UNREADABLE = 2 };

struct request {
    uint64_t pdf_length;
    uint64_t max_text;
    uint64_t max_file;
    uint32_t max_files;
    uint32_t zero;
};

struct reply {
    uint32_t magic;
    uint8_t status;
    uint8_t retiring;
    uint8_t text_truncated;
    uint8_t zero;
    uint32_t files;
    uint32_t files_left_out;
    uint64_t text_length;
};

struct file_header {
    uint64_t name_length;
    uint64_t data_length;
    uint8_t truncated;
    uint8_t zero[7];
};

struct capped {
    GByteArray *bytes;
    uint64_t limit;
    int truncated;
};

static int read_all(int fd, void *buffer, size_t count)
{
    uint8_t *at = buffer;
    while (count > 0) {
        ssize_t got = read(fd, at, count);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        at += got;
        count -= (size_t)got;
    }
    return 0;
}

static int write_all(int fd, const void *buffer, size_t count)
{
    const uint8_t *at = buffer;
    while (count > 0) {
        ssize_t put = write(fd, at, count);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return -1;
        at += put;
        count -= (size_t)put;
    }
    return 0;
}

static void append_capped(struct capped *out, const char *data, size_t count)
{
    uint64_t room = out->limit > out->bytes->len ? out->limit - out->bytes->len : 0;
    if (count > room) {
        count = (size_t)room;
        out->truncated = 1;
    }
    g_byte_array_append(out->bytes, (const guint8 *)data, (guint)count);
}

static gboolean save_chunk(const gchar *data, gsize count, gpointer context, GError **error)
{
    struct capped *out = context;
    (void)error;
    append_capped(out, data, count);
    return !out->truncated;
}

static double cpu_seconds(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* Page text, then the attached files; each reply is written as soon as it is complete. */
static int answer(const struct request *request, GBytes *pdf, int retiring)
{
    struct reply reply = { .magic = 0x46445053, .retiring = (uint8_t)retiring };
    struct capped text = { g_byte_array_new(), request->max_text, 0 };
    GPtrArray *files = g_ptr_array_new();
    GError *error = NULL;
    PopplerDocument *document = poppler_document_new_from_bytes(pdf, NULL, &error);
    if (document == NULL) {
        int locked = error != NULL && error->domain == POPPLER_ERROR
            && error->code == POPPLER_ERROR_ENCRYPTED;
        const char *message = error != NULL ? error->message : "unknown error";
        reply.status = locked ? STATUS_PASSWORD : STATUS_UNREADABLE;
        append_capped(&text, message, strlen(message));
        g_clear_error(&error);
    } else {
        int pages = poppler_document_get_n_pages(document);
        for (int number = 0; number < pages && !text.truncated; number++) {
            PopplerPage *page = poppler_document_get_page(document, number);
            if (page == NULL)
                continue;
            char *content = poppler_page_get_text(page);
            if (content != NULL) {
                append_capped(&text, content, strlen(content));
                append_capped(&text, "\f", 1);
                g_free(content);
            }
            g_object_unref(page);
        }
        GList *attachments = poppler_document_get_attachments(document);
        for (GList *entry = attachments; entry != NULL; entry = entry->next) {
            if (files->len >= request->max_files) {
                reply.files_left_out++;
                continue;
            }
            PopplerAttachment *attachment = entry->data;
            struct capped *data = g_new0(struct capped, 1);
            data->bytes = g_byte_array_new();
            data->limit = request->max_file;
            poppler_attachment_save_to_callback(attachment, save_chunk, data, NULL);
            const char *name = attachment->name != NULL ? attachment->name : "";
            g_ptr_array_add(files, g_strdup(name));
            g_ptr_array_add(files, data);
        }
        g_list_free_full(attachments, g_object_unref);
        g_object_unref(document);
    }
    reply.text_truncated = (uint8_t)text.truncated;
    reply.files = files->len / 2;
    reply.text_length = text.bytes->len;
    int failed = write_all(1, &reply, sizeof reply) != 0
        || write_all(1, text.bytes->data, text.bytes->len) != 0;
    for (guint index = 0; index + 1 < files->len; index += 2) {
        char *name = files->pdata[index];
        struct capped *data = files->pdata[index + 1];
        struct file_header header = {
            .name_length = strlen(name),
            .data_length = data->bytes->len,
            .truncated = (uint8_t)data->truncated,
        };
        failed = failed || write_all(1, &header, sizeof header) != 0
            || write_all(1, name, strlen(name)) != 0
            || write_all(1, data->bytes->data, data->bytes->len) != 0;
        g_free(name);
        g_byte_array_unref(data->bytes);
        g_free(data);
    }
    g_ptr_array_unref(files);
    g_byte_array_unref(text.bytes);
    return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
    long documents = argc > 1 ? strtol(argv[1], NULL, 10) : 500;
    double retire_seconds = argc > 2 ? strtod(argv[2], NULL) : 5;
    /* Descriptors the milter had open when it started this reader (connections, pipes of
     * other children) must not stay open for the reader's whole life. */
    closefrom(3);
    if (write_all(1, "SPDR", 4) != 0)
        return 3;
    for (long served = 1;; served++) {
        struct request request;
        if (read_all(0, &request, sizeof request) != 0)
            return 0;
        if (request.pdf_length > (uint64_t)SIZE_MAX / 2)
            return 2;
        void *data = g_malloc(request.pdf_length);
        if (read_all(0, data, request.pdf_length) != 0)
            return 2;
        GBytes *pdf = g_bytes_new_take(data, request.pdf_length);
        int retiring = served >= documents || cpu_seconds() >= retire_seconds;
        /* Measured before the document, so the flag is known when the reply starts; the
         * CPU rlimit leaves room for one more document beyond the retirement point. */
        if (answer(&request, pdf, retiring) != 0)
            return 3;
        g_bytes_unref(pdf);
        if (retiring)
            return 0;
    }
}
