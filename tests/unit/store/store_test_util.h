/*
 * Helpers shared by the store tests: a scratch directory per test, sample
 * token records, and reading a file's bytes.
 */
#ifndef TK_TEST_STORE_UTIL_H
#define TK_TEST_STORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct {
    char dir[64];
    char path[128]; /* dir/token.db, not created */
} tk_t_env;

/* Turn on logging to stderr when TRUSTOKEN_LOG_LEVEL asks for it. */
void
tk_t_log_from_env(void);

/* cmocka setup / teardown: make and remove a scratch directory. */
int
tk_t_setup(void **state);
int
tk_t_teardown(void **state);

/* A token record with the given label and serial seed, SO PIN present
 * with made-up bytes (no Argon2 needed to store it). */
void
tk_t_record(tk_token_record *rec, const char *label, uint8_t seed);

/* Create a store at env->path with tk_t_record(.., "test", 1). */
tk_store *
tk_t_create(const tk_t_env *env, unsigned int busy_ms);

/* The whole file, malloc'd; NULL with *len 0 if it does not exist. */
uint8_t *
tk_t_read_file(const char *path, size_t *len);

/* 1 when pat occurs in the file at path (missing file: 0). */
int
tk_t_file_has(const char *path, const void *pat, size_t pat_len);

/* Path of a file next to the database: env->path + suffix. */
const char *
tk_t_sibling(const tk_t_env *env, const char *suffix);

/* A fixed test token key; variant 0 or 1. */
const uint8_t *
tk_t_key(int variant);

#endif
