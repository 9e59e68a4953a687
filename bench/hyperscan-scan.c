/* Hyperscan alone, the floor under Sluice's detection pass: compiles the terms of a file
 * (one per line) as literals into one block-mode database, lower-cases the ASCII of a text
 * file as Sluice's normaliser would, and prints the best of three scans of it in MB/s of
 * CPU time. Usage: hyperscan-scan TERMS TEXT */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *slurp(const char *path, size_t *length) {
    FILE *file = fopen(path, "rb");
    if (!file) {
        perror(path);
        exit(1);
    }
    fseek(file, 0, SEEK_END);
    *length = (size_t)ftell(file);
    fseek(file, 0, SEEK_SET);
    char *bytes = malloc(*length + 1);
    if (!bytes || fread(bytes, 1, *length, file) != *length) {
        perror(path);
        exit(1);
    }
    bytes[*length] = 0;
    fclose(file);
    return bytes;
}

static double cpu_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *context) {
    (void)id, (void)from, (void)to, (void)flags;
    ++*(unsigned long *)context;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: hyperscan-scan TERMS TEXT\n");
        return 2;
    }
    size_t terms_length, text_length;
    char *terms = slurp(argv[1], &terms_length);
    char *text = slurp(argv[2], &text_length);
    for (size_t i = 0; i < text_length; i++) {
        if (text[i] >= 'A' && text[i] <= 'Z') {
            text[i] += 'a' - 'A';
        }
    }
    size_t capacity = 1024, count = 0;
    const char **literals = malloc(capacity * sizeof *literals);
    size_t *lengths = malloc(capacity * sizeof *lengths);
    unsigned int *flags = malloc(capacity * sizeof *flags), *ids = malloc(capacity * sizeof *ids);
    char *state = NULL;
    for (char *line = strtok_r(terms, "\n", &state); line; line = strtok_r(NULL, "\n", &state)) {
        if (count == capacity) {
            capacity *= 2;
            literals = realloc(literals, capacity * sizeof *literals);
            lengths = realloc(lengths, capacity * sizeof *lengths);
            flags = realloc(flags, capacity * sizeof *flags);
            ids = realloc(ids, capacity * sizeof *ids);
        }
        literals[count] = line;
        lengths[count] = strlen(line);
        flags[count] = 0;
        ids[count] = (unsigned int)count;
        count++;
    }
    hs_database_t *database;
    hs_compile_error_t *error;
    if (hs_compile_lit_multi(literals, flags, ids, lengths, (unsigned int)count, HS_MODE_BLOCK,
                             NULL, &database, &error) != HS_SUCCESS) {
        fprintf(stderr, "compile: %s\n", error->message);
        return 1;
    }
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(database, &scratch) != HS_SUCCESS) {
        return 1;
    }
    double best = 1e9;
    unsigned long matches = 0;
    for (int run = 0; run < 3; run++) {
        double start = cpu_seconds();
        hs_scan(database, text, (unsigned int)text_length, 0, scratch, on_match, &matches);
        double elapsed = cpu_seconds() - start;
        best = elapsed < best ? elapsed : best;
    }
    printf("%.1f\n", (double)text_length / 1e6 / best);
    return 0;
}
