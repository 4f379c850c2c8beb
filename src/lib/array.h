/*
 * DOC: the one growable array: elements of one size, a cap, memory by owner.
 *
 * Every growable list in the daemon has a cap (STYLE.md: "caps everywhere"): growth past
 * max_count is an error value (ARRAY_AT_CAP), like running out of memory (ARRAY_NO_MEMORY),
 * never an abort and never a silent truncation. Capacity doubles (from 16 elements or the
 * cap, whichever is smaller) so that n pushes cost O(n) copies. Elements move when the array
 * grows: keep indices, not pointers, across a push.
 *
 *	struct array links;
 *	array_init(&links, MEMORY_KERNEL, sizeof(struct link_slot), 65536);
 *	struct link_slot *s = array_push(&links);   // zeroed, or NULL: array_reserve() says why
 *	struct link_slot *all = links.items;         // links.count of them
 */
#ifndef TERN_LIB_ARRAY_H
#define TERN_LIB_ARRAY_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/memory.h"

#define ARRAY_NO_CAP ((size_t)-1)

struct array {
	void *items;         /* count elements of element_size octets, or NULL */
	size_t count;
	size_t capacity;     /* elements room was allocated for */
	size_t element_size;
	size_t max_count;    /* the cap */
	enum memory_owner owner;
};

enum array_status {
	ARRAY_OK,
	ARRAY_AT_CAP,    /* max_count elements already */
	ARRAY_NO_MEMORY,
};

/* Holds no memory until the first push. max_count: the cap (ARRAY_NO_CAP: only memory). */
void array_init(struct array *a, enum memory_owner owner, size_t element_size, size_t max_count);
/* Gives the memory back; the array is empty and can be used again. */
void array_free(struct array *a);

/* The growth behind array_reserve(), out of line. */
enum array_status array_grow(struct array *a, size_t more);
/* Room for `more` elements beyond count, so that as many pushes cannot fail. Inline when there
 * is room already: queues append per prefix, and a call each was 1% of a load's instructions. */
static inline enum array_status array_reserve(struct array *a, size_t more)
{
	if (a->capacity - a->count >= more)
		return ARRAY_OK;
	return array_grow(a, more);
}
/* A new zeroed element at the end, or NULL at the cap or out of memory (nothing changes). */
void *array_push(struct array *a);
/* The element at index i < count. */
static inline void *array_at(const struct array *a, size_t i)
{
	return (char *)a->items + i * a->element_size;
}
/* A new zeroed element at index i <= count, the ones from i on moved up one; NULL as
 * array_push. */
void *array_insert(struct array *a, size_t i);
/* Removes element i, keeping the order of the others. */
void array_remove(struct array *a, size_t i);
/* count = 0, memory kept. */
static inline void array_clear(struct array *a)
{
	a->count = 0;
}

#endif
